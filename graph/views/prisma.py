"""`citegraph prisma`: a review's PRISMA 2020 flow from its three places, side by side.

The review's and the template's counts are the `FlowStage` nodes of the store's graph
(one Cypher query); the exports' counts come from the records per file and the build's
identity decisions; the method audit's items from graph/method_audit.py. The writers
print a table for people, JSON for programs, or draw the diagram (prisma_diagram.py).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citegraph.graph.method_audit import (
    ReviewFlows,
    items_by_kind,
    method_audit,
    store_exports_flow,
)
from citegraph.graph.prisma_flow import LABELS, Count, Flow, MethodItem
from citegraph.graph.store import Snapshot
from citegraph.graph.store.graphdb import GraphDB
from citegraph.loaders.records import FLOW_ARMS, FLOW_STAGES

_SOURCE = re.compile(r"^(?P<file>.*):(?P<line>\d+) \((?P<loader>[^)]*)\)$")
COLUMNS = ("tables", "text", "template", "exports")


@dataclass
class PrismaReport:
    """Each review's flows (graph and exports) and the method audit's items."""

    reviews: list[ReviewFlows] = field(default_factory=list)

    @property
    def items(self) -> list[MethodItem]:
        return items_by_kind(self.reviews)

    def to_json(self) -> dict[str, Any]:
        return {"reviews": [r.to_json() for r in self.reviews]}

    def text(self) -> str:
        return "\n\n".join(review_text(r) for r in self.reviews)


def graph_flows(db: GraphDB) -> dict[str, list[Flow]]:
    """The FlowStage nodes as flows: per review file, its tables' and its text's; the
    templates' under the key "" (a template names no review)."""
    rows = db.rows(
        "MATCH (f:FlowStage) OPTIONAL MATCH (w:Work)-[:REPORTS_STAGE]->(f) "
        "RETURN f.stage AS stage, f.count AS count, f.source AS source, f.arm AS arm, "
        "f.detail AS detail, f.line AS line, f.place AS place, f.printed AS printed, "
        "f.sources AS sources, w.iri AS review ORDER BY f.line, f.stage, f.detail"
    )
    flows: dict[tuple[str, str, str], Flow] = {}
    for row in rows:
        where = _SOURCE.match((row["sources"] or [""])[0])
        file = where.group("file") if where else ""
        is_template = row["source"] == "template"
        column = "template" if is_template else ("text" if row["place"] == "text" else "tables")
        review = "" if is_template else file
        flow = flows.setdefault((review, column, file), Flow(column, file))
        flow.counts.append(
            Count(
                row["stage"],
                int(row["count"]),
                file,
                int(row["line"]),
                row["place"],
                row["detail"],
                row["arm"],
                row["printed"] or "",
            )
        )
    found: dict[str, list[Flow]] = defaultdict(list)
    for (review, _, _), flow in sorted(flows.items()):
        found[review].append(flow)
    return found


def prisma(snapshot: Snapshot, review: str | None = None) -> PrismaReport:
    """The flows of every review in the store (or of the one `review` names by path or
    file name), from its graph and its exports, with the method audit. Templates stand
    beside every review."""
    by_review = graph_flows(snapshot.graph())
    templates = by_review.pop("", [])
    exports = store_exports_flow(snapshot)
    audited = {r.review: r for r in method_audit(snapshot)}
    report = PrismaReport()
    for path in sorted(set(by_review) | set(audited) - {""}):
        flows = [*by_review.get(path, []), *templates, *([exports] if exports else [])]
        items = audited[path].items if path in audited else []
        report.reviews.append(ReviewFlows(path, flows, items))
    if review is not None:
        wanted = [r for r in report.reviews if review in (r.review, Path(r.review).name)]
        if not wanted:
            known = ", ".join(Path(r.review).name for r in report.reviews) or "none"
            raise LookupError(f"{review}: no such review in this store (reviews: {known})")
        report.reviews = wanted
    if not report.reviews and (templates or exports):
        items = audited[""].items if "" in audited else []
        report.reviews.append(ReviewFlows("", [*templates, *([exports] if exports else [])], items))
    return report


def rows(flows: list[Flow]) -> list[tuple[str, list[str]]]:
    """The side-by-side table: one row per stage (and per source, per reason), one cell
    per flow: the count and where it is printed."""
    keys: list[tuple[str, str, str | None]] = []
    arms = [*FLOW_ARMS, *sorted({c.arm for f in flows for c in f.counts} - set(FLOW_ARMS))]
    for arm in arms:
        for stage in FLOW_STAGES:
            found = {c.key for f in flows for c in f.counts if c.stage == stage and c.arm == arm}
            keys += sorted(found, key=lambda k: (k[2] is not None, k[2] or ""))
    table = []
    for stage, arm, detail in keys:
        label = LABELS[stage] + (f": {detail}" if detail else "")
        if arm == "cited":
            label = "records of the exports the review cites"
        elif arm != "databases":
            label = f"[{arm}] {label}"
        cells = []
        for flow in flows:
            counts = flow.get(stage, arm, detail)
            cells.append(
                "; ".join(f"{c.count}" + (f" (l.{c.line})" if c.line else "") for c in counts)
            )
        table.append((label, cells))
    return table


def column_names(flows: list[Flow]) -> list[str]:
    names = []
    for flow in flows:
        name = flow.source
        if flow.source == "template":
            name = f"template {flow.file.rsplit('/', 1)[-1]}"
        names.append(name)
    return names


def _table(headers: list[str], body: list[list[str]]) -> str:
    cells = [headers, *body]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def review_text(review: ReviewFlows) -> str:
    """One review's flows side by side, then its audit items, for people."""
    title = f"PRISMA 2020 flow of {review.review or 'the template'}"
    body = [[label, *cells] for label, cells in rows(review.flows)]
    lines = [title, _table(["stage", *column_names(review.flows)], body)]
    items = items_by_kind([review])
    lines.append(f"\nMethod audit: {len(items)} item{'' if len(items) == 1 else 's'}")
    lines += [f"  {item}" for item in items]
    return "\n".join(lines)


def shown_flow(review: ReviewFlows, counts: str) -> Flow:
    """The flow whose counts fill the diagram: `review` is the tables' count of each
    stage, else the text's; or one place's own."""
    own = [f for f in review.flows if f.source in ("tables", "text")]
    if counts == "review":
        merged = Flow("the review", review.review)
        seen: set[tuple[str, str, str | None]] = set()
        for flow in own:
            for count in flow.counts:
                if count.key not in seen:
                    seen.add(count.key)
                    merged.counts.append(count)
        if merged.counts:
            return merged
    found = next((f for f in review.flows if f.source == counts), None)
    if found is None:
        present = ", ".join(sorted({f.source for f in review.flows})) or "none"
        raise LookupError(f"no {counts} counts in this store (there are: {present})")
    return found


def write_diagram(review: ReviewFlows, counts: str, out: Path) -> None:
    """The diagram as FILE.svg or FILE.html (chosen by the suffix)."""
    from citegraph.graph.views.prisma_diagram import diagram_html, diagram_svg

    shown = shown_flow(review, counts)
    title = f"PRISMA 2020 flow: {Path(review.review).name or 'template'}"
    suffix = out.suffix.lower()
    if suffix == ".svg":
        out.write_text(diagram_svg(review, shown, title), encoding="utf-8")
    elif suffix in (".html", ".htm"):
        out.write_text(diagram_html(review, shown, title), encoding="utf-8")
    else:
        raise ValueError(f"{out}: write the diagram to a .svg or an .html file")
