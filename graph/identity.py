"""Which records describe the same work, and which author names the same person.

The one place that decides identity: DOI first, then accent- and case-insensitive first
author and year with a fuzzy title that tolerates subtitles and truncated titles. Every
decision is a pure function of the records, so building never depends on input order.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from citegraph.graph.normalize import doi as normal_doi
from citegraph.graph.normalize import fold, initials
from citegraph.loaders.intext import PARTICLES
from citegraph.loaders.records import Agent, Work

TITLE_MATCH = 90.0
#: The fields whose disagreement between a work's records is a conflict: the build flags
#: the node with them and the audit lists them, so the two read one list.
CONFLICT_FIELDS = ("title", "year", "doi", "volume", "issue", "pages", "publisher")
#: The loader name of the ontology's founding works (graph/build.py `founding_works`).
ONTOLOGY_LOADER = "ontology"


def digest(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=10).hexdigest()


@lru_cache(maxsize=1 << 16)
def family_tokens(name: str) -> tuple[str, ...]:
    """A family name's folded words after its particles: `de la Peña` -> `pena`,
    `Pérez García` -> `perez garcia`."""
    tokens = fold(name).split()
    while len(tokens) > 1 and tokens[0] in PARTICLES:
        tokens = tokens[1:]
    return tuple(tokens)


def family_token(name: str) -> str:
    """The token that names a family: `de la Peña` -> `pena`, `Asencios Mallqui` -> `asencios`."""
    tokens = family_tokens(name)
    return tokens[0] if tokens else ""


def first_family(work: Work) -> str:
    if not work.authors:
        return ""
    first = work.authors[0]
    return family_token(first.family or first.name)


def title_key(title: str | None) -> str:
    return fold(title or "")


def title_keys(title: str | None) -> tuple[str, str]:
    """The folded title and its main part (before a subtitle colon), computed once a work."""
    return title_key(title), title_key((title or "").split(":")[0])


def keys_match(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """Same title, or one is a prefix (truncated WoS title, dropped subtitle) of the other."""
    (fa, main_a), (fb, main_b) = a, b
    if not fa or not fb:
        return False
    if fa == fb:
        return True
    short, long = sorted((fa, fb), key=len)
    if len(short) >= 20 and long.startswith(short):
        return True
    if fuzz.ratio(fa, fb, score_cutoff=TITLE_MATCH):
        return True
    if len(short) >= 8 and short in (main_a, main_b) and main_a == main_b:
        return True  # a short title whose subtitle one source dropped: `Broken windows`
    return min(len(main_a), len(main_b)) >= 25 and bool(
        fuzz.ratio(main_a, main_b, score_cutoff=TITLE_MATCH)
    )


def part_of_other(a: Work, b: Work) -> bool:
    """A book and a chapter of it (or of another book) are never one work by their titles:
    `Environmental criminology and crime analysis` (the book) and its opening chapter
    `Environmental criminology and crime analysis: Situating the theory...`."""
    return {a.type, b.type} == {"book", "chapter"}


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


def where_published(work: Work) -> str:
    """Venue, volume and first page: what tells apart two title-less cited references
    (`Clarke RV, 1997, SITUATIONAL CRIME PR, P1`) by one author in one year."""
    if not (work.container or work.volume or work.pages):
        return ""
    first_page = (work.pages or "").split("-")[0].strip()
    return f"{fold(work.container or '')[:40]}|{work.volume or ''}|{first_page}"


def _record_key(work: Work) -> str:
    found = normal_doi(work.doi)
    if found:
        return f"doi:{found}"
    if work.is_document and not work.title:
        return f"doc:{work.source.path}"
    what = title_key(work.title)[:80] if work.title else "@" + where_published(work)
    return f"aty:{first_family(work)}|{work.year or ''}|{what}"


def closure_keys(work: Work) -> tuple[str, ...]:
    """What `cluster_works` can join this work to another by: its DOI, its first author
    and year (the block every comparison happens in), the citation key a title-less stub
    is linked by, and a title-less document's file.

    Works that share none of these, directly or through others, are always decided
    apart, so identity can be decided one connected component at a time, and a new
    record only reopens the components it shares a key with.
    """
    keys = [f"blk:{first_family(work)}|{work.year or ''}"]
    found = normal_doi(work.doi)
    if found:
        keys.append(f"doi:{found}")
    if is_stub(work):
        if not work.authors and work.raw:
            keys.append(f"ck:{work.raw}")
    else:
        keys.append(f"ck:{work.key}")
    if work.is_document and not work.title:
        keys.append(f"doc:{work.source.path}")
    return tuple(keys)


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
        keys = sorted(_record_key(m) for m in same)
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


def conflicting_values(members: tuple[Work, ...], attribute: str) -> list[str]:
    """The values full records give for a field when they differ beyond case and punctuation.

    Cited references (a Scopus `References` cell, a WoS `CR` line) are abbreviated by
    nature, so they only count when no full record describes the work.
    """
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


def is_stub(work: Work) -> bool:
    """A reference that only identifies a work (a sheet row, a bare cited reference)."""
    return work.cited_only and not work.title and not work.doi


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


def person_key(agent: Agent) -> str:
    """ORCID when known; else family name and all initials (`Clarke, R. V.` = `Ronald V. Clarke`).

    Two people sharing a surname and first initial stay apart unless their other
    initials agree: merging needs evidence.
    """
    if agent.orcid:
        return f"orcid:{agent.orcid}"
    if agent.kind == "organization":
        return f"org:{fold(agent.name)}"
    family = fold(agent.family or agent.name)
    return f"person:{family}|{initials(agent.given)}"


def name_key(agent: Agent) -> str:
    """The key an author's name alone gives (`person_key` without the ORCID): what a name
    seen with an ORCID is unified by."""
    return person_key(Agent(agent.name, agent.kind, agent.family, agent.given))


def unify_people(agents: Iterable[Agent]) -> dict[str, str]:
    """Map each name key to one canonical key: a name key seen with an ORCID takes the ORCID."""
    by_name: dict[str, set[str]] = defaultdict(set)
    for agent in agents:
        if agent.orcid and agent.kind == "person":
            by_name[name_key(agent)].add(f"orcid:{agent.orcid}")
    return {name: sorted(orcids)[0] for name, orcids in by_name.items() if len(orcids) == 1}


def same_person(a: Agent, b: Agent) -> bool:
    """Whether two author names can name one person: families agree (a double surname may
    lose its second part: `Pérez García, J.` = `Pérez, J.`) and one's initials begin the
    other's (`Clarke, R.` = `Clarke, R. V.`, but `Clarke, R. V.` != `Clarke, R. A.`)."""
    if a.kind != b.kind:
        return False
    if a.kind == "organization":
        return fold(a.name) == fold(b.name)
    if a.orcid and b.orcid:
        return a.orcid == b.orcid
    fa, fb = family_tokens(a.family or a.name), family_tokens(b.family or b.name)
    short_f, long_f = sorted((fa, fb), key=len)
    if not short_f or long_f[: len(short_f)] != short_f:
        return False
    ia, ib = initials(a.given), initials(b.given)
    short_i, long_i = sorted((ia, ib), key=len)
    return long_i.startswith(short_i)


def _specificity(agent: Agent) -> tuple[int, int]:
    return (len(family_tokens(agent.family or agent.name)), len(initials(agent.given)))


@dataclass(frozen=True)
class AuthorSlot:
    """One author of a merged work: the name every source gives them, and the key naming
    the person (ORCID, else the fullest name form that more sources use)."""

    key: str
    agent: Agent  # the form the work's author list was taken from
    forms: tuple[tuple[Agent, Work], ...]  # every full record's form, with its record


def align_authors(authored_by: Work, members: tuple[Work, ...]) -> list[AuthorSlot]:
    """Match each full record's authors to the author list of `authored_by`.

    A name goes to the one slot it can name; when it could name two (`Brantingham, P.`
    beside `P. L.` and `P. J.`) only the same position decides, else it is left out.
    Linear in the members' authors, so a classic cited ten thousand times stays cheap.
    """
    slots = list(authored_by.authors)
    forms: list[list[tuple[Agent, Work]]] = [[(a, authored_by)] for a in slots]
    for member in members:
        if member is authored_by or member.cited_only:
            continue
        for position, agent in enumerate(member.authors):
            fits = [p for p, slot in enumerate(slots) if same_person(slot, agent)]
            if len(fits) > 1:
                fits = [p for p in fits if p == position]
            if len(fits) == 1:
                forms[fits[0]].append((agent, member))
    return [
        AuthorSlot(_slot_key(slot, same), slot, tuple(same))
        for slot, same in zip(slots, forms, strict=True)
    ]


def _slot_key(slot: Agent, forms: list[tuple[Agent, Work]]) -> str:
    orcids = sorted({a.orcid for a, _ in forms if a.orcid and a.kind == "person"})
    if len(orcids) == 1:
        return f"orcid:{orcids[0]}"
    if len(orcids) > 1:
        return person_key(slot)
    agents = [a for a, _ in forms]
    best = max(_specificity(a) for a in agents)
    # a bare first initial names nobody in particular once a fuller form is known
    usable = [a for a in agents if _specificity(a)[1] > 1 or best[1] <= 1]
    votes: dict[str, int] = defaultdict(int)
    for agent in usable:
        votes[name_key(agent)] += 1
    by_key = {name_key(a): a for a in usable}
    return min(votes, key=lambda k: (-votes[k], tuple(-x for x in _specificity(by_key[k])), k))


def decisions(clusters: Iterable[WorkCluster]) -> Iterator[dict[str, object]]:
    """The merges the build made, as the store keeps them for the audit to read: every
    cluster of two or more records, why it was joined, its members with file and line
    (and whether each is a stub or a cited reference only, so the PRISMA view counts an
    export's own records), and the fields its members disagree on (the same list that
    flags the node)."""
    for cluster in clusters:
        if len(cluster.members) < 2:
            continue
        yield {
            "key": cluster.key,
            "merged_by": list(cluster.merged_by),
            "title": best_title(cluster.members) or cluster.members[0].raw or "",
            "members": [
                {
                    "path": m.source.path,
                    "line": m.source.line,
                    "stub": is_stub(m),
                    "cited_only": m.cited_only,
                }
                for m in cluster.members
            ],
            "conflicts": {
                attribute: values
                for attribute in CONFLICT_FIELDS
                if (values := conflicting_values(cluster.members, attribute))
            },
        }
