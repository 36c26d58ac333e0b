"""The keys identity compares works by: folded titles and family names, DOIs, where a
cited reference was published, and the keys that bound which works are ever compared.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from citegraph.graph.identity.reviewer import NO_DECISIONS, Reviewer
from citegraph.graph.normalize import doi as normal_doi
from citegraph.graph.normalize import fold
from citegraph.loaders.intext import PARTICLES
from citegraph.loaders.records import Work

TITLE_MATCH = 90.0


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


def title_score(a: tuple[str, str], b: tuple[str, str]) -> float | None:
    """How alike two titles are (0-100), or None when they are not one title: the same
    words, or one a prefix of the other (a truncated WoS title, a dropped subtitle)."""
    (fa, main_a), (fb, main_b) = a, b
    if not fa or not fb:
        return None
    if fa == fb:
        return 100.0
    short, long = sorted((fa, fb), key=len)
    if len(short) >= 20 and long.startswith(short):
        return 99.0
    ratio = fuzz.ratio(fa, fb, score_cutoff=TITLE_MATCH)
    if ratio:
        return round(ratio, 1)
    if len(short) >= 8 and short in (main_a, main_b) and main_a == main_b:
        return 95.0  # a short title whose subtitle one source dropped: `Broken windows`
    if min(len(main_a), len(main_b)) >= 25:
        ratio = fuzz.ratio(main_a, main_b, score_cutoff=TITLE_MATCH)
        if ratio:
            return round(ratio, 1)
    return None


def part_of_other(a: Work, b: Work) -> bool:
    """A book and a chapter of it (or of another book) are never one work by their titles:
    `Environmental criminology and crime analysis` (the book) and its opening chapter
    `Environmental criminology and crime analysis: Situating the theory...`."""
    if {a.type, b.type} != {"book", "chapter"}:
        return False
    chapter = a if a.type == "chapter" else b
    return not _volume_of_itself(chapter)


_VOLUME_NUMBER = re.compile(r"(?:vol(?:ume)?|part|book|tome)?\s*\d+")


def _volume_of_itself(chapter: Work) -> bool:
    """A proceedings volume that an export files as a paper in it: its title is its
    container plus a volume number (`ECIS 2019` in `ECIS 2019, Volume 6`)."""
    container, title = title_key(chapter.container), title_key(chapter.title)
    rest = title[len(container) :].strip() if container and title.startswith(container) else None
    return rest is not None and bool(_VOLUME_NUMBER.fullmatch(rest))


def where_published(work: Work) -> str:
    """Venue, volume and first page: what tells apart two title-less cited references
    (`Clarke RV, 1997, SITUATIONAL CRIME PR, P1`) by one author in one year."""
    if not (work.container or work.volume or work.pages):
        return ""
    first_page = (work.pages or "").split("-")[0].strip()
    return f"{fold(work.container or '')[:40]}|{work.volume or ''}|{first_page}"


def record_key(work: Work) -> str:
    found = normal_doi(work.doi)
    if found:
        return f"doi:{found}"
    if work.is_document and not work.title:
        return f"doc:{work.source.path}"
    what = title_key(work.title)[:80] if work.title else "@" + where_published(work)
    return f"aty:{first_family(work)}|{work.year or ''}|{what}"


def is_stub(work: Work) -> bool:
    """A reference that only identifies a work (a sheet row, a bare cited reference)."""
    return work.cited_only and not work.title and not work.doi


#: A title this long, printed alike, is compared across adjacent years (`near_year_title`).
NEAR_YEAR_TITLE = 25


def near_year_title(work: Work) -> str | None:
    """The folded title a record is compared by across first authors and years: an
    article online in 2012 and in print in 2013, a record that lost its authors."""
    if is_stub(work) or work.cited_only or not work.title:
        return None
    title = title_key(work.title)
    return title if len(title) >= NEAR_YEAR_TITLE else None


def closure_keys(work: Work, reviewer: Reviewer = NO_DECISIONS) -> tuple[str, ...]:
    """What `cluster_works` can join this work to another by: its DOI, its first author
    and year (the block most comparisons happen in), its long title (compared across
    adjacent years), the citation key a title-less stub is linked by, and a title-less
    document's file.

    Works that share none of these, directly or through others, are always decided
    apart, so identity can be decided one connected component at a time, and a new
    record only reopens the components it shares a key with. A reviewer's merge is a
    key of the records it names.
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
    if (title := near_year_title(work)) is not None:
        keys.append(f"ttl:{title}")
    keys.extend(reviewer.keys(work))
    return tuple(keys)
