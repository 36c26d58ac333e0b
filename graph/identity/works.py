"""Which records describe the same work.

DOI first, then accent- and case-insensitive first author and year with a fuzzy title
that tolerates subtitles and truncated titles. Every decision is a pure function of the
records, so building never depends on input order.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from citegraph.graph.gc_paused import collector_paused
from citegraph.graph.identity.evidence import (
    Facts,
    against,
    corroborated,
    facts,
    is_generic,
    join,
    locates,
    numbers_differ,
    title_numbers,
)
from citegraph.graph.identity.keys import (
    closure_keys,
    family_token,
    first_family,
    is_stub,
    near_year_title,
    part_of_other,
    record_key,
    title_keys,
    title_score,
    where_published,
)
from citegraph.graph.identity.people import same_person
from citegraph.graph.identity.reviewer import NO_DECISIONS, Reviewer, record_ref
from citegraph.graph.normalize import doi as normal_doi
from citegraph.loaders.records import Work

#: The loader name of the ontology's founding works (graph/build_concepts.py `founding_works`).
ONTOLOGY_LOADER = "ontology"


class _Clusters:
    """Union-find over one component's records that refuses a join the evidence is
    against, and remembers each join that was made, with its rule and score.

    Each root keeps its cluster's facts (graph/identity/evidence.py) plus one fact per
    reviewer split (`split:<id>`, the groups its records are in): a join that would put
    two of a split's groups, or two volumes, in one work is refused.
    """

    def __init__(self, facts: list[Facts]) -> None:
        self.parent = list(range(len(facts)))
        self.facts = facts
        self.links: list[tuple[int, int, str, float]] = []

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(
        self,
        a: int,
        b: int,
        rule: str,
        score: float,
        *,
        check: str = "all",
        strict: bool = False,
        after: int = 0,
    ) -> list[str]:
        """Join the clusters of `a` and `b` unless the evidence is against it; return the
        fields that refused the join (none: joined). `check` is "all", "splits" (a shared
        DOI outweighs a differing page) or "later splits" (a reviewer's merge outweighs
        everything but the splits made after it, decision number > `after`); `strict`
        for a generic title."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return []
        fields = against(self.facts[ra], self.facts[rb], strict)
        if check != "all":
            fields = [f for f in fields if f.startswith("split:d")]
        if check == "later splits":
            fields = [f for f in fields if int(f.removeprefix("split:d")) > after]
        if fields:
            return fields
        root, other = min(ra, rb), max(ra, rb)
        self.parent[other] = root
        self.facts[root] = join(self.facts[root], self.facts[other])
        self.links.append((a, b, rule, score))
        return []


@dataclass(frozen=True)
class WorkCluster:
    """Records judged to be one work; `key` is order-independent and names its IRI.

    `links` are the joins that made it, between members (by position): the rule, and
    the title similarity (100 for a DOI or a reviewer's merge). `versions` are the keys
    of other works found to be another printing of this one (a preprint, a conference
    paper): same title, author and year, kept apart by their edition."""

    key: str
    members: tuple[Work, ...]
    merged_by: tuple[str, ...]  # why members were joined: "doi", "author-year-title"
    links: tuple[tuple[int, int, str, float], ...] = ()
    versions: tuple[str, ...] = ()


def components(works: list[Work], reviewer: Reviewer = NO_DECISIONS) -> list[list[int]]:
    """The works' indexes grouped into the components `closure_keys` connect, each in
    input order, the groups ordered by their first member."""
    parent = list(range(len(works)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, work in enumerate(works):
        for key in closure_keys(work, reviewer):
            if key in first:
                ra, rb = find(first[key]), find(i)
                parent[max(ra, rb)] = min(ra, rb)
            else:
                first[key] = i
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(works)):
        groups[find(i)].append(i)
    return list(groups.values())


def _canonical(work: Work) -> tuple[str, str, int, str, str]:
    """A total order on records (a file's keys are unique): joins that the evidence can
    refuse depend on the order they are tried in, so they are tried in this one."""
    return (work.source.path, work.key, work.source.line, work.title or "", work.raw or "")


def cluster_works(works: list[Work], reviewer: Reviewer = NO_DECISIONS) -> list[WorkCluster]:
    """Group the works that are the same; the result is sorted by key, whatever the input order.

    Strongest evidence first: the reviewer's merges, then shared DOIs, then records
    identical to the letter, then title matches within a first author and year, best
    score first, then one long title across adjacent years, then stubs; every join but
    the reviewer's can be refused by evidence against it (graph/identity/evidence.py)
    or by the reviewer's splits. Between the
    reviewer's own decisions the later wins: a split made after a merge parts it.
    """
    if len(works) == 1:  # most components: a work cited once, by one record
        return [WorkCluster(record_key(works[0]), tuple(works), ())]
    # it makes many small dicts and tuples, none in a cycle: the collector, scanning
    # every record of the store each time, took half the time
    with collector_paused():
        return _clustered(works, reviewer)


def _clustered(works: list[Work], reviewer: Reviewer) -> list[WorkCluster]:
    works = sorted(works, key=_canonical)
    titles = [title_keys(w.title) for w in works]
    record_facts = [facts(w, t[0]) for w, t in zip(works, titles, strict=True)]
    uf = _Clusters([dict(f) for f in record_facts])
    position = {record_ref(w): i for i, w in enumerate(works)}
    for i, work in enumerate(works):
        for decision, group in reviewer.named(work):
            if decision.action == "split":
                uf.facts[i][f"split:{decision.id}"] = frozenset({str(group)})
    for decision in reviewer.merges():
        named = [position[r] for r in decision.groups[0] if r in position]
        for i in named[1:]:
            uf.join(named[0], i, "reviewer", 100.0, check="later splits", after=decision.number)
    dois = [normal_doi(w.doi) for w in works]
    by_doi: dict[str, int] = {}
    blocks: dict[tuple[str, int | None], list[int]] = defaultdict(list)
    places = [where_published(w) if not w.title else "" for w in works]
    for i, work in enumerate(works):
        found = dois[i]
        if found:
            if found in by_doi:
                uf.join(by_doi[found], i, "doi", 100.0, check="splits")
            else:
                by_doi[found] = i
        blocks[(first_family(work), work.year)].append(i)
    versions: list[tuple[int, int]] = []
    for (family, _year), members in blocks.items():
        if not family and len(members) > 50:
            continue  # anonymous works with no author: too weak to match on titles alone
        representatives = _merge_identical(members, works, titles, record_facts, places, uf)
        candidates = _title_pairs(representatives, works, titles, dois, record_facts, places)
        for score, i, j, rule, generic in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
            if "edition" in uf.join(i, j, rule, score, strict=generic):
                versions.append((i, j))
    _near_years(works, titles, uf, versions)
    _link_stubs(works, blocks, uf)
    return _gather(works, uf, versions)


def _near_years(
    works: list[Work],
    titles: list[tuple[str, str]],
    uf: _Clusters,
    versions: list[tuple[int, int]],
) -> None:
    """Join full records printed with one long title whose first author or year differ
    by what exports make of one work: the year online and the year in print (one apart,
    same first author), or a record that lost its authors (same year). Organisations'
    yearly reports (`World Drug Report`) keep their years apart."""
    by_title: dict[str, list[int]] = defaultdict(list)
    for i, work in enumerate(works):
        if near_year_title(work) is not None and not is_generic(titles[i][0]):
            by_title[titles[i][0]].append(i)
    for members in by_title.values():
        for pos, i in enumerate(members):
            for j in members[pos + 1 :]:
                if uf.find(i) != uf.find(j) and _near_year(works[i], works[j]):
                    if "edition" in uf.join(i, j, "title-near-year", 100.0):
                        versions.append((i, j))


def _near_year(a: Work, b: Work) -> bool:
    if not a.authors or not b.authors:
        return a.year == b.year and bool(a.authors or b.authors)
    first_a, first_b = a.authors[0], b.authors[0]
    if first_a.kind != "person" or not same_person(first_a, first_b):
        return False
    return a.year is None or b.year is None or abs(a.year - b.year) <= 1


def _title_pairs(
    representatives: list[int],
    works: list[Work],
    titles: list[tuple[str, str]],
    dois: list[str | None],
    record_facts: list[Facts],
    places: list[str],
) -> list[tuple[float, int, int, str, bool]]:
    """The block's pairs of kinds that its titles (or, title-less, its venues) match,
    with the title similarity; generic titles need a shared DOI or locator besides."""
    found = []
    generic = {i: bool(titles[i][0]) and is_generic(titles[i][0]) for i in representatives}
    for pos, i in enumerate(representatives):
        for j in representatives[pos + 1 :]:
            di, dj = dois[i], dois[j]
            if di and dj and di != dj:
                continue
            if part_of_other(works[i], works[j]) and not (di and di == dj):
                continue
            score = title_score(titles[i], titles[j])
            if score is not None:
                if numbers_differ(title_numbers(titles[i][0]), title_numbers(titles[j][0])):
                    continue  # `Volume 1` and `Volume 4`, `Part I` and `Part II`
                if (generic[i] or generic[j]) and not corroborated(
                    record_facts[i], record_facts[j], titles[i][0]
                ):
                    continue  # `Editor's Comments` of one editor in two issues
                found.append((score, i, j, "author-year-title", generic[i] or generic[j]))
            elif places[i] and places[i] == places[j]:
                # the same cited reference, read from two citing records
                found.append((100.0, i, j, "author-year-venue", False))
    return found


def _gather(works: list[Work], uf: _Clusters, versions: list[tuple[int, int]]) -> list[WorkCluster]:
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(works)):
        groups[uf.find(i)].append(i)
    links: dict[int, list[tuple[int, int, str, float]]] = defaultdict(list)
    for a, b, rule, score in uf.links:
        links[uf.find(a)].append((a, b, rule, score))
    roots = list(groups)
    clusters = []
    for root in roots:
        order = sorted(groups[root], key=lambda i: _member_order(works[i]))
        at = {i: n for n, i in enumerate(order)}
        same = tuple(works[i] for i in order)
        keys = sorted(record_key(m) for m in same)
        key = next((k for k in keys if k.startswith("doi:")), keys[0])
        made = tuple(sorted((at[a], at[b], rule, score) for a, b, rule, score in links[root]))
        why = tuple(sorted({rule for _, _, rule, _ in made}))
        clusters.append(WorkCluster(key, same, why, made))
    clusters = _distinct_keys(clusters)
    key_of = {root: c.key for root, c in zip(roots, clusters, strict=True)}
    other: dict[str, set[str]] = defaultdict(set)
    for a, b in versions:
        ka, kb = key_of[uf.find(a)], key_of[uf.find(b)]
        if ka != kb:
            other[ka].add(kb)
            other[kb].add(ka)
    clusters = [
        replace(c, versions=tuple(sorted(other[c.key]))) if c.key in other else c for c in clusters
    ]
    return sorted(clusters, key=lambda c: c.key)


def _distinct_keys(clusters: list[WorkCluster]) -> list[WorkCluster]:
    """The clusters, in their order, with keys (and so IRIs) made unique.

    Two works judged different can still share a key (same first author, year and
    title prefix but different DOIs); the second and later get a suffix, in an order
    fixed by their members' places, so the IRIs do not depend on input order.
    """
    by_key: dict[str, list[int]] = defaultdict(list)
    for n, cluster in enumerate(clusters):
        by_key[cluster.key].append(n)
    distinct = list(clusters)
    for key, same in by_key.items():
        if len(same) == 1:
            continue
        same.sort(key=lambda n: [_member_order(m) for m in clusters[n].members])
        for suffix, n in enumerate(same[1:], 2):
            distinct[n] = replace(clusters[n], key=f"{key}#{suffix}")
    return distinct


def _merge_identical(
    members: list[int],
    works: list[Work],
    titles: list[tuple[str, str]],
    record_facts: list[Facts],
    places: list[str],
    uf: _Clusters,
) -> list[int]:
    """Join the block's members that agree to the letter; return one member of each kind.

    A classic (Cohen & Felson, 1979) is cited by thousands of rows of one export in the
    same words: comparing those pairwise would make a block quadratic in its citations.
    A record's facts (DOI, volume, issue, page) are part of its kind, so two issues'
    `Editorial` are two kinds; a generic title with no DOI nor locator is a kind of
    its own. Members with neither title nor venue match nothing pairwise and are left out.
    """
    first_of: dict[tuple[object, ...], int] = {}
    kinds = []
    for i in members:
        title, place = titles[i][0], places[i]
        if not title and not place:
            continue
        if title and not locates(record_facts[i]) and is_generic(title):
            kinds.append(i)
            continue
        part = works[i].type if works[i].type in ("book", "chapter") else ""
        kind = (title, place, part, tuple(sorted(record_facts[i].items())))
        if kind in first_of:
            uf.join(first_of[kind], i, "author-year-title" if title else "author-year-venue", 100.0)
        else:
            first_of[kind] = i
            kinds.append(i)
    return kinds


def _link_stubs(
    works: list[Work], blocks: dict[tuple[str, int | None], list[int]], uf: _Clusters
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
            uf.join(candidates[0], i, why, 100.0)


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
