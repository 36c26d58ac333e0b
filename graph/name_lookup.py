"""Which node a researcher means by what they typed: an IRI, a DOI, or a name or title
as they remember it, perhaps with a label prefix (`Theory:routine activity`).

One set of rules for `--focus`, `--theory`, `--country` and `lineage`, over nodes in
memory or over the texts the store's database keeps beside each node (`lookup_text`), so
a name means the same node on every engine; an ambiguous one is an error naming the
candidates, because a silent wrong guess would export the wrong subgraph.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rapidfuzz import fuzz, process

from citegraph.graph.normalize import doi as normal_doi
from citegraph.graph.normalize import fold
from citegraph.graph.property_graph import LABEL_NAMES, Node, PropertyGraph

#: A fuzzy match below this rapidfuzz WRatio score is no match.
FUZZY_CUTOFF = 80.0
#: How many close candidates an error message lists.
CANDIDATES_SHOWN = 5

#: The properties `_texts` reads: all a lookup needs to fetch of a node.
NAMING_PROPERTIES = ("name", "title", "iso2", "doi", "aliases", "keys")


def _texts(node: Node) -> Iterable[str]:
    """Every string a researcher may use to name this node."""
    props = node.properties
    yield node.name
    for prop in ("title", "iso2", "doi"):
        if props.get(prop):
            yield str(props[prop])
    for prop in ("aliases", "keys"):
        yield from (str(v) for v in props.get(prop, []))
    if node.label in ("Theory", "Strategy", "Region", "Country"):
        yield node.iri.rsplit("/", 1)[-1]


#: Between the folded texts of `lookup_text`: no folded name holds it, so a substring
#: of the whole is a substring of one text.
LOOKUP_SEPARATOR = "\x1f"


def lookup_text(node: Node) -> str:
    """Every text naming `node`, folded as `resolve_in` folds them: the store's database
    keeps this beside each node, so a name is looked up by a substring query instead of
    folding every node's names at every lookup (135k texts, 1.1 s at 60k works)."""
    return LOOKUP_SEPARATOR.join(dict.fromkeys(fold(t) for t in _texts(node)))


def _describe(nodes: Mapping[str, Node], iris: Iterable[str]) -> str:
    shown = [f"{nodes[i].label} {nodes[i].name!r} <{i}>" for i in iris]
    return "; ".join(shown[:CANDIDATES_SHOWN])


def split_label(text: str) -> tuple[tuple[str, ...], str]:
    """`Theory:Environmental criminology` restricts the lookup to one label."""
    head, sep, rest = text.partition(":")
    if sep and head in LABEL_NAMES:
        return (head,), rest.strip()
    return (), text


def unique(nodes: Mapping[str, Node], text: str, found: list[str], how: str) -> str | None:
    """The one node found, None for none; several are an error naming them."""
    distinct = sorted(set(found))  # by IRI: the same candidates named by any engine
    if len(distinct) == 1:
        return distinct[0]
    if distinct:
        raise LookupError(
            f"{text!r} {how} {len(distinct)} nodes: {_describe(nodes, distinct)}; "
            "give an IRI, a DOI or a longer name (or prefix a label, e.g. Theory:NAME)"
        )
    return None


def by_doi(nodes: Mapping[str, Node], text: str, wanted_doi: str) -> str:
    """The one candidate carrying the DOI (`nodes` may hold only those that do)."""
    hits = [n.iri for n in nodes.values() if n.properties.get("doi") == wanted_doi]
    found = unique(nodes, text, hits, "has the DOI of")
    if found:
        return found
    raise LookupError(f"no work with DOI {wanted_doi}")


def resolve_focus(pg: PropertyGraph, text: str, labels: tuple[str, ...] = ()) -> str:
    """The IRI of the node `text` names: an IRI, a DOI, or a name/title.

    Names match case- and accent-insensitively: exactly, then as a unique substring, then
    the best fuzzy match. Anything ambiguous or absent raises LookupError naming the
    close candidates, because a silent wrong guess would export the wrong subgraph.
    """
    return resolve_in(pg.nodes, text, labels)


def resolve_in(nodes: Mapping[str, Node], text: str, labels: tuple[str, ...] = ()) -> str:
    """`resolve_focus` over any nodes holding at least the NAMING_PROPERTIES (the store's
    database reads only those)."""
    prefixed, text = split_label(text.strip())
    labels = labels or prefixed
    if text in nodes and (not labels or nodes[text].label in labels):
        return text
    candidates = {i: n for i, n in nodes.items() if not labels or n.label in labels}
    wanted_doi = normal_doi(text)
    if wanted_doi:
        return by_doi(candidates, text, wanted_doi)
    key = fold(text)
    if not key:
        raise LookupError(f"{text!r}: nothing to look up")
    choices = _choices({n.iri: lookup_text(n) for n in candidates.values()})
    exact = unique(nodes, text, [iri for t, iri in choices if t == key], "names")
    if exact:
        return exact
    partial = unique(nodes, text, [iri for t, iri in choices if key in t], "is part of the name of")
    if partial:
        return partial
    return _fuzzy(nodes, text, key, choices, labels)


def fuzzy_in(
    nodes: Mapping[str, Node],
    text: str,
    key: str,
    lookups: Mapping[str, str],
    labels: tuple[str, ...] = (),
) -> str:
    """The last step of `resolve_in`, for a `key` that no name holds, over the nodes'
    `lookup_text` as the store's database keeps it (nothing is folded again)."""
    return _fuzzy(nodes, text, key, _choices(lookups), labels)


def _choices(lookups: Mapping[str, str]) -> list[tuple[str, str]]:
    """Each folded text with the IRI it names, from the nodes' `lookup_text`."""
    return [(t, iri) for iri, joined in lookups.items() for t in joined.split(LOOKUP_SEPARATOR)]


def _fuzzy(
    nodes: Mapping[str, Node],
    text: str,
    key: str,
    choices: list[tuple[str, str]],
    labels: tuple[str, ...],
) -> str:
    scored = process.extract(
        key, [t for t, _ in choices], scorer=fuzz.WRatio, limit=CANDIDATES_SHOWN * 4
    )
    ranked: dict[str, float] = {}
    for _, score, index in scored:
        ranked.setdefault(choices[index][1], score)
    best = sorted(ranked.items(), key=lambda item: -item[1])
    if best and best[0][1] >= FUZZY_CUTOFF and (len(best) == 1 or best[1][1] < best[0][1]):
        return best[0][0]
    what = "/".join(labels) if labels else "node"
    close = _describe(nodes, [iri for iri, score in best if score >= FUZZY_CUTOFF / 2])
    raise LookupError(f"no {what} named {text!r}" + (f"; close: {close}" if close else ""))
