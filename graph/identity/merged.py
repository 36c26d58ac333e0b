"""What a merged work's records say together: its best title, the fields they disagree
on, and the merge decisions as the store keeps them for the audit to read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from citegraph.graph.identity.evidence import first_page
from citegraph.graph.identity.keys import first_family, is_stub
from citegraph.graph.identity.works import WorkCluster
from citegraph.graph.normalize import doi as normal_doi
from citegraph.graph.normalize import fold
from citegraph.loaders.records import Work

#: The fields whose disagreement between a work's records is a conflict: the build flags
#: the node with them and the audit lists them, so the two read one list.
CONFLICT_FIELDS = ("title", "year", "doi", "volume", "issue", "pages", "publisher")


def conflicting_values(members: tuple[Work, ...], attribute: str) -> list[str]:
    """The values full records give for a field when they differ beyond case and punctuation.

    Cited references (a Scopus `References` cell, a WoS `CR` line) are abbreviated by
    nature, so they only count when no full record describes the work.
    """
    if len(members) < 2:  # most works: one record, nothing to disagree with
        return []
    described = [m for m in members if not m.cited_only] or list(members)
    values = {
        str(getattr(m, attribute)) for m in described if getattr(m, attribute) and not is_stub(m)
    }
    folded = {fold(v) for v in values}
    if attribute == "title":
        # a title cut short (WoS) or without its subtitle says less, not something else
        folded = {f for f in folded if not any(o != f and o.startswith(f) for o in folded)}
    if attribute == "publisher":
        # `Springer` and `Springer-Verlag`, `Sage` and `SAGE Publications`: one name, said shorter
        words = {f: set(f.split()) for f in folded}
        folded = {f for f in folded if not any(o != f and words[f] <= words[o] for o in folded)}
    return sorted(values) if len(folded) > 1 else []


def best_title(members: tuple[Work, ...]) -> str | None:
    """The first member's title, unless it is in capitals (WoS) and another is not, or it
    is cut short (no subtitle, truncated) where another gives it whole."""
    titles = [m.title for m in members if m.title]
    readable = [t for t in titles if not t.isupper()] or titles
    # a classic cited ten thousand times has as many titles, but only a few distinct ones
    distinct = set(map(fold, readable))
    cut_short = {f for f in distinct if any(o != f and o.startswith(f) for o in distinct)}
    whole = [t for t in readable if fold(t) not in cut_short]
    return (whole or readable or [None])[0]


def _same(a: str | None, b: str | None, normal: Callable[[str], str] = fold) -> bool | None:
    """Whether two values agree (None when either lacks one)."""
    if not a or not b:
        return None
    return normal(a) == normal(b)


def matched(a: Work, b: Work) -> list[str]:
    """The fields two joined records agree on, where both have them."""
    checks = {
        "doi": _same(a.doi, b.doi, lambda v: normal_doi(v) or v),
        "title": _same(a.title, b.title),
        "first author": _same(first_family(a), first_family(b), str),
        "year": _same(str(a.year or ""), str(b.year or ""), str),
        "venue": _same(a.container, b.container),
        "volume": _same(a.volume, b.volume),
        "issue": _same(a.issue, b.issue),
        "pages": _same(a.pages, b.pages, lambda v: "".join(sorted(first_page(v)))),
    }
    return [name for name, agrees in checks.items() if agrees]


def decisions(clusters: Iterable[WorkCluster]) -> Iterator[dict[str, object]]:
    """The merges the build made, as the store keeps them for the audit to read: every
    cluster of two or more records, why it was joined, its members with file and line
    (and whether each is a stub or a cited reference only, so the PRISMA view counts an
    export's own records), each join with its rule, score and the fields that matched
    (what `audit --merges` shows), the works kept apart as its other versions, and the
    fields its members disagree on (the same list that flags the node)."""
    for cluster in clusters:
        if len(cluster.members) < 2 and not cluster.versions:
            continue
        members = cluster.members
        yield {
            "key": cluster.key,
            "merged_by": list(cluster.merged_by),
            "title": best_title(cluster.members) or cluster.members[0].raw or "",
            "members": [
                {
                    "path": m.source.path,
                    "line": m.source.line,
                    "record": m.key,
                    "stub": is_stub(m),
                    "cited_only": m.cited_only,
                }
                for m in members
            ],
            "links": [
                {
                    "a": a,
                    "b": b,
                    "rule": rule,
                    "score": score,
                    "matched": matched(members[a], members[b]),
                }
                for a, b, rule, score in cluster.links
            ],
            "versions": list(cluster.versions),
            "conflicts": {
                attribute: values
                for attribute in CONFLICT_FIELDS
                if (values := conflicting_values(cluster.members, attribute))
            },
        }
