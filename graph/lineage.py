"""A theory's lineage: where it comes from, what grew out of it, and who uses it.

Lineage follows DERIVES_FROM (child to parent, as the ontology's scheme records it) both
ways from one theory; each theory in it brings its founding works (PROPOSED_IN) and the
works that use it (USES_THEORY). The result prints as a plain box-drawing tree (no
terminal library, so it pipes into files and review notes), as JSON, and as a top-down
page with the oldest ideas at the top.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citegraph.graph.name_lookup import resolve_focus
from citegraph.graph.property_graph import PropertyGraph
from citegraph.graph.render import render
from citegraph.graph.subgraph import induced
from citegraph.graph.work_text import WorkRef, authors_by_work, work_ref


def theory_id(iri: str) -> str:
    """The scheme's short id (`routine-activity`): the last segment of the theory's IRI."""
    return iri.rstrip("/").rsplit("/", 1)[-1]


@dataclass
class TheoryEntry:
    """One theory of the lineage with its parents, children and works (IRIs in order)."""

    iri: str
    name: str
    description: str
    aliases: list[str]
    parents: list[str]
    children: list[str]
    founding: list[WorkRef]
    used_by: list[WorkRef]
    depth: int = 0

    @property
    def id(self) -> str:
        return theory_id(self.iri)

    @property
    def year(self) -> int | None:
        years = [w.year for w in self.founding if w.year is not None]
        return min(years) if years else None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "iri": self.iri,
            "name": self.name,
            "description": self.description,
            "aliases": self.aliases,
            "year": self.year,
            "depth": self.depth,
            "derives_from": [theory_id(p) for p in self.parents],
            "derived_into": [theory_id(c) for c in self.children],
            "founding_works": [w.to_json() for w in self.founding],
            "used_by": [w.to_json() for w in self.used_by],
        }


@dataclass
class TreeItem:
    text: str
    children: list[TreeItem] = field(default_factory=list)


@dataclass
class Lineage:
    """The theory, its ancestors and descendants (each nearest first), keyed by IRI."""

    root: str
    theories: dict[str, TheoryEntry]
    ancestors: list[str]
    descendants: list[str]

    @property
    def theory(self) -> TheoryEntry:
        return self.theories[self.root]

    def to_json(self) -> dict[str, Any]:
        return {
            "theory": self.theory.to_json(),
            "ancestors": [self.theories[i].to_json() for i in self.ancestors],
            "descendants": [self.theories[i].to_json() for i in self.descendants],
        }

    def tree(self) -> str:
        """The lineage as terminal text: the theory, then up its ancestry and down its
        descendants; a theory reached twice (lineage is a DAG) is shown once."""
        root = self._item(self.root, "parents", set())
        descendants = self._branch("derived into", self.theory.children, "children", {self.root})
        if descendants.children:
            root.children.append(descendants)
        return "\n".join(draw(root))

    def _item(self, iri: str, direction: str, seen: set[str]) -> TreeItem:
        entry = self.theories[iri]
        year = f" ({entry.year})" if entry.year else ""
        item = TreeItem(f"{entry.name} [{entry.id}]{year}")
        seen.add(iri)
        item.children += [TreeItem(f"proposed in: {w.reference}") for w in entry.founding]
        if entry.used_by:
            item.children.append(
                TreeItem(
                    f"used by {len(entry.used_by)} work(s)",
                    [TreeItem(w.reference) for w in entry.used_by],
                )
            )
        label = "derives from" if direction == "parents" else "derived into"
        branch = self._branch(label, getattr(entry, direction), direction, seen)
        if branch.children:
            item.children.append(branch)
        return item

    def _branch(self, label: str, iris: list[str], direction: str, seen: set[str]) -> TreeItem:
        branch = TreeItem(label)
        for iri in iris:
            if iri not in self.theories:
                continue
            if iri in seen:
                branch.children.append(TreeItem(f"{self.theories[iri].name} (shown above)"))
            else:
                branch.children.append(self._item(iri, direction, seen))
        return branch

    def levels(self) -> dict[str, int]:
        """Rows for the page, oldest ideas at the top: a theory sits one row pair below its
        deepest parent, its works on the row under it."""
        rows = {iri: 2 * entry.depth for iri, entry in self.theories.items()}
        for iri, entry in self.theories.items():
            for work in entry.founding + entry.used_by:
                rows[work.iri] = max(rows.get(work.iri, 0), rows[iri] + 1)
        return rows

    def subgraph(self, pg: PropertyGraph) -> PropertyGraph:
        """The theories and their works, with every relationship among them."""
        return induced(pg, set(self.levels()))


def draw(item: TreeItem) -> list[str]:
    """Box-drawing lines for a tree, root first."""
    lines = [item.text]
    for number, child in enumerate(item.children):
        last = number == len(item.children) - 1
        sub = draw(child)
        lines.append(("└── " if last else "├── ") + sub[0])
        lines.extend(("    " if last else "│   ") + line for line in sub[1:])
    return lines


def _walk(start: str, step: dict[str, list[str]]) -> list[str]:
    """Everything reachable from `start` through `step`, nearest first (breadth first)."""
    order: list[str] = []
    seen = {start}
    frontier = [start]
    while frontier:
        following = []
        for iri in frontier:
            for other in step.get(iri, []):
                if other not in seen:
                    seen.add(other)
                    order.append(other)
                    following.append(other)
        frontier = following
    return order


def _depths(family: list[str], parents: dict[str, list[str]]) -> dict[str, int]:
    """Longest chain of parents inside the family (a cycle in the scheme is cut, not
    followed forever)."""
    inside = set(family)
    depth: dict[str, int] = {}

    def visit(iri: str, path: frozenset[str]) -> int:
        if iri not in depth:
            ups = [p for p in parents.get(iri, []) if p in inside and p not in path]
            depth[iri] = 1 + max((visit(p, path | {iri}) for p in ups), default=-1)
        return depth[iri]

    for iri in family:
        visit(iri, frozenset())
    return depth


def lineage(pg: PropertyGraph, theory: str) -> Lineage:
    """The lineage of the theory `theory` names (id, name, alias or IRI).

    Raises LookupError (naming close candidates) when no single theory matches.
    """
    root = resolve_focus(pg, theory, ("Theory",))
    parents: dict[str, list[str]] = defaultdict(list)
    children: dict[str, list[str]] = defaultdict(list)
    founding: dict[str, list[str]] = defaultdict(list)
    users: dict[str, list[str]] = defaultdict(list)
    for rel in pg.relationships:
        if rel.type == "DERIVES_FROM":
            parents[rel.start].append(rel.end)
            children[rel.end].append(rel.start)
        elif rel.type == "PROPOSED_IN":
            founding[rel.start].append(rel.end)
        elif rel.type == "USES_THEORY":
            users[rel.end].append(rel.start)
    ancestors, descendants = _walk(root, parents), _walk(root, children)
    family = [root, *ancestors, *descendants]
    depth = _depths(family, parents)
    authors = authors_by_work(pg)

    def refs(iris: list[str]) -> list[WorkRef]:
        found = [work_ref(pg.nodes[i], authors.get(i, [])) for i in iris]
        return sorted(found, key=lambda w: (w.year or 0, w.reference))

    theories = {}
    for iri in family:
        props = pg.nodes[iri].properties
        theories[iri] = TheoryEntry(
            iri=iri,
            name=pg.nodes[iri].name,
            description=str(props.get("description", "")),
            aliases=list(props.get("aliases", [])),
            parents=sorted(parents.get(iri, []), key=lambda i: pg.nodes[i].name),
            children=sorted(children.get(iri, []), key=lambda i: pg.nodes[i].name),
            founding=refs(founding.get(iri, [])),
            used_by=refs(users.get(iri, [])),
            depth=depth[iri],
        )
    return Lineage(root, theories, ancestors, descendants)


def render_lineage(pg: PropertyGraph, found: Lineage, out_path: Path | str) -> Path:
    """The lineage as a top-down page (oldest theories at the top)."""
    return render(
        found.subgraph(pg),
        out_path,
        title=f"Lineage of {found.theory.name}",
        hierarchical=True,
        levels=found.levels(),
        authors=authors_by_work(pg),
    )
