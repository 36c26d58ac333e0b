"""Which records describe the same work.

DOI first, then accent- and case-insensitive first author and year with a fuzzy title
that tolerates subtitles and truncated titles. Every decision is a pure function of the
records, so building never depends on input order.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from citegraph.graph.identity.keys import (
    closure_keys,
    family_token,
    first_family,
    is_stub,
    keys_match,
    part_of_other,
    record_key,
    title_keys,
    where_published,
)
from citegraph.graph.identity.people import same_person
from citegraph.graph.normalize import doi as normal_doi
from citegraph.loaders.records import Work

#: The loader name of the ontology's founding works (graph/build.py `founding_works`).
ONTOLOGY_LOADER = "ontology"


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass(frozen=True)
class WorkCluster:
    """Records judged to be one work; `key` is order-independent and names its IRI."""

    key: str
    members: tuple[Work, ...]
    merged_by: tuple[str, ...]  # why members were joined: "doi", "author-year-title"


def components(works: list[Work]) -> list[list[int]]:
    """The works' indexes grouped into the components `closure_keys` connect, each in
    input order, the groups ordered by their first member."""
    uf = _UnionFind(len(works))
    first: dict[str, int] = {}
    for i, work in enumerate(works):
        for key in closure_keys(work):
            if key in first:
                uf.union(first[key], i)
            else:
                first[key] = i
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(works)):
        groups[uf.find(i)].append(i)
    return list(groups.values())


def cluster_works(works: list[Work]) -> list[WorkCluster]:
    """Group the works that are the same; the result is sorted by key, whatever the input order."""
    uf = _UnionFind(len(works))
    reasons: dict[int, set[str]] = defaultdict(set)
    by_doi: dict[str, int] = {}
    blocks: dict[tuple[str, int | None], list[int]] = defaultdict(list)
    titles = [title_keys(w.title) for w in works]
    dois = [normal_doi(w.doi) for w in works]
    places = [where_published(w) if not w.title else "" for w in works]
    for i, work in enumerate(works):
        found = dois[i]
        if found:
            if found in by_doi:
                uf.union(by_doi[found], i)
                reasons[i].add("doi")
            else:
                by_doi[found] = i
        blocks[(first_family(work), work.year)].append(i)
    for (family, _year), members in blocks.items():
        if not family and len(members) > 50:
            continue  # anonymous works with no author: too weak to match on titles alone
        representatives = _merge_identical(members, works, titles, dois, places, uf, reasons)
        for pos, i in enumerate(representatives):
            for j in representatives[pos + 1 :]:
                di, dj = dois[i], dois[j]
                if di and dj and di != dj:
                    continue
                if uf.find(i) == uf.find(j):
                    continue
                if part_of_other(works[i], works[j]) and not (di and di == dj):
                    continue
                if keys_match(titles[i], titles[j]):
                    uf.union(i, j)
                    reasons[j].add("author-year-title")
                elif places[i] and places[i] == places[j]:
                    uf.union(i, j)  # the same cited reference, read from two citing records
                    reasons[j].add("author-year-venue")
    _link_stubs(works, blocks, uf, reasons)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(works)):
        groups[uf.find(i)].append(i)
    clusters = []
    for indexes in groups.values():
        same = tuple(sorted((works[i] for i in indexes), key=_member_order))
        keys = sorted(record_key(m) for m in same)
        key = next((k for k in keys if k.startswith("doi:")), keys[0])
        why = tuple(sorted(set().union(*(reasons[i] for i in indexes))))
        clusters.append(WorkCluster(key, same, why))
    return _distinct_keys(clusters)


def _distinct_keys(clusters: list[WorkCluster]) -> list[WorkCluster]:
    """Sorted clusters whose keys (and so IRIs) are unique.

    Two works judged different can still share a key (same first author, year and
    title prefix but different DOIs); the second and later get a suffix, in an order
    fixed by their members' places, so the IRIs do not depend on input order.
    """
    by_key: dict[str, list[WorkCluster]] = defaultdict(list)
    for cluster in clusters:
        by_key[cluster.key].append(cluster)
    distinct = []
    for key, same in by_key.items():
        if len(same) == 1:
            distinct.extend(same)
            continue
        same.sort(key=lambda c: [_member_order(m) for m in c.members])
        distinct.append(same[0])
        distinct.extend(
            WorkCluster(f"{key}#{n}", c.members, c.merged_by) for n, c in enumerate(same[1:], 2)
        )
    return sorted(distinct, key=lambda c: c.key)


def _merge_identical(
    members: list[int],
    works: list[Work],
    titles: list[tuple[str, str]],
    dois: list[str | None],
    places: list[str],
    uf: _UnionFind,
    reasons: dict[int, set[str]],
) -> list[int]:
    """Join the block's members that agree to the letter; return one member of each kind.

    A classic (Cohen & Felson, 1979) is cited by thousands of rows of one export in the
    same words: comparing those pairwise would make a block quadratic in its citations.
    Members with neither title nor venue match nothing pairwise and are left out.
    """
    first_of: dict[tuple[str, str | None, str, str], int] = {}
    for i in members:
        title, place = titles[i][0], places[i]
        if not title and not place:
            continue
        part = works[i].type if works[i].type in ("book", "chapter") else ""
        kind = (title, dois[i], place, part)
        if kind in first_of:
            uf.union(first_of[kind], i)
            reasons[i].add("author-year-title" if title else "author-year-venue")
        else:
            first_of[kind] = i
    return list(first_of.values())


def _link_stubs(
    works: list[Work],
    blocks: dict[tuple[str, int | None], list[int]],
    uf: _UnionFind,
    reasons: dict[int, set[str]],
) -> None:
    """Join each title-less stub to the one full work it can only mean.

    By first author and year when exactly one full work has them (a second cited author
    breaks ties), else by citation key; an ambiguous stub stays a node of its own.
    """
    by_key: dict[str, list[int]] = defaultdict(list)
    full: dict[tuple[str, int | None], list[int]] = {}  # a block's full works, found once
    for i, work in enumerate(works):
        if not is_stub(work):
            by_key[work.key].append(i)
    for i, stub in enumerate(works):
        if not is_stub(stub):
            continue
        if stub.authors:
            block = (first_family(stub), stub.year)
            if block not in full:  # a classic's block holds thousands of stubs
                full[block] = [j for j in blocks.get(block, []) if not is_stub(works[j])]
            candidates = [
                j for j in full[block] if same_person(stub.authors[0], works[j].authors[0])
            ]
            if len(candidates) > 1 and len(stub.authors) > 1:
                second = family_token(stub.authors[1].family or stub.authors[1].name)
                candidates = [
                    j
                    for j in candidates
                    if len(works[j].authors) > 1
                    and second
                    == family_token(works[j].authors[1].family or works[j].authors[1].name)
                ]
            why = "author-year"
        else:
            candidates = by_key.get(stub.raw or "", [])
            why = "citation-key"
        if len({uf.find(j) for j in candidates}) == 1:
            uf.union(candidates[0], i)
            reasons[i].add(why)


def _member_order(work: Work) -> tuple[int, int, str, int, str]:
    """Which member's values win: structured records before parsed strings, then the
    ontology's founding work, then cited-only references.

    The researcher's own files come first: the ontology only fills what they leave out
    (a DOI), and where it says otherwise the node keeps both values as a conflict.
    """
    if work.cited_only:
        rank = 3
    elif work.source.loader == ONTOLOGY_LOADER:
        rank = 2
    else:
        rank = 1 if work.flags else 0
    return (rank, 0 if work.doi else 1, work.source.path, work.source.line, work.key)
