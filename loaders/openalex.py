"""OpenAlex works JSON: one work, a list of works, an API page or a JSON Lines snapshot.

`referenced_works` holds only OpenAlex IDs, so each cited work becomes a cited-only
Work keyed by its short ID (`W2041468310`) with the ID URL as `url`; a work of the
same file with that ID is the same node, and graph/ can resolve the rest later.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from citegraph.loaders.collector import Collector, Parsed
from citegraph.loaders.common import (
    Rejected,
    clean_text,
    join_pages,
    normalize_doi,
    normalize_issn,
    parse_name,
    parse_year,
    scalar,
    truncate,
    work_type,
)
from citegraph.loaders.json_items import JsonItem, read_json
from citegraph.loaders.records import Agent, LoadResult, Work
from citegraph.loaders.registry import register
from citegraph.loaders.text import read_text

NAME = "openalex"

_ID_PREFIX = "https://openalex.org/"


def sniff(head: str, suffix: str) -> bool:
    """JSON mentioning OpenAlex work IDs or `authorships`."""
    start = head.lstrip()[:1] in ("[", "{")
    return start and (f'"{_ID_PREFIX}W' in head or '"authorships"' in head)


# `.json` falls back to the generic CSL JSON; OpenAlex JSON is recognised by its content.
@register(NAME, suffixes=(".jsonl",), sniff=sniff, priority=20)
def load(path: Path) -> LoadResult:
    """OpenAlex works (single, list, `{"meta":..., "results": [...]}` page, JSON Lines)."""
    text = read_text(path, NAME)
    out = Collector(text, NAME)
    read_json(out, ("results",), lambda item: _parse_work(out, item))
    return out.finish()


def _parse_work(out: Collector, item: JsonItem) -> Parsed:
    data: dict[str, Any] = item.value
    doi = normalize_doi(data.get("doi"))
    key = _short_id(data.get("id")) or (f"doi:{doi}" if doi else f"item{item.line}")
    location = _dict(data.get("primary_location"))
    source = _dict(location.get("source")) or _dict(data.get("host_venue"))
    biblio = _dict(data.get("biblio"))
    year, _ = parse_year(data.get("publication_year") or data.get("publication_date"))
    work = Work(
        key=key,
        source=out.source(item.line),
        title=clean_text(data.get("title") or data.get("display_name")),
        year=year,
        type=work_type(data.get("type")),
        authors=_authors(data.get("authorships")),
        doi=doi,
        url=location.get("landing_page_url") or data.get("id"),
        container=clean_text(source.get("display_name")),
        volume=scalar(biblio.get("volume")),
        issue=scalar(biblio.get("issue")),
        pages=join_pages(biblio.get("first_page"), biblio.get("last_page")),
        publisher=clean_text(source.get("host_organization_name") or source.get("publisher")),
        issn=normalize_issn(source.get("issn_l") or source.get("issn")),
        language=scalar(data.get("language")),
        abstract=_abstract(data.get("abstract_inverted_index")),
        keywords=_keywords(data.get("keywords")),
        raw=truncate(item.raw),
        raw_is_record=True,
    )
    return Parsed(work, _cited(out, item.line, data.get("referenced_works")))


def _short_id(value: Any) -> str | None:
    """`W2041468310` from `https://openalex.org/W2041468310` (or from itself)."""
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().removeprefix(_ID_PREFIX)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _authors(authorships: Any) -> tuple[Agent, ...]:
    """Authors in authorship order, with ORCID and first institution."""
    if not isinstance(authorships, list):
        return ()
    agents: list[Agent] = []
    for authorship in authorships:
        author = _dict(_dict(authorship).get("author"))
        name = author.get("display_name") or _dict(authorship).get("raw_author_name")
        if not isinstance(name, str):
            continue
        agent = parse_name(name, author.get("orcid"), _affiliation(authorship))
        if agent:
            agents.append(agent)
    return tuple(agents)


def _affiliation(authorship: dict[str, Any]) -> str | None:
    institutions = authorship.get("institutions")
    if isinstance(institutions, list) and institutions:
        return clean_text(_dict(institutions[0]).get("display_name"))
    raw = authorship.get("raw_affiliation_strings")
    return clean_text(raw[0]) if isinstance(raw, list) and raw else None


def _abstract(index: Any) -> str | None:
    """Rebuild the text OpenAlex ships as {word: [positions]} (an inverted index)."""
    if not isinstance(index, dict) or not index:
        return None
    placed = [(p, w) for w, positions in index.items() for p in positions if isinstance(p, int)]
    return clean_text(" ".join(word for _, word in sorted(placed)))


def _keywords(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    names = (k.get("display_name") if isinstance(k, dict) else k for k in value)
    return tuple(dict.fromkeys(n.strip() for n in names if isinstance(n, str) and n.strip()))


def _cited(out: Collector, line: int, referenced: Any) -> list[Work]:
    """Cited-only Works for `referenced_works`, known only by their OpenAlex ID."""
    if referenced is None:
        return []
    if not isinstance(referenced, list):
        raise Rejected("'referenced_works' is not a list")
    cited = []
    for value in referenced:
        short = _short_id(value)
        if short:
            url = f"{_ID_PREFIX}{short}"
            cited.append(
                Work(short, out.source(line), url=url, cited_only=True, flags=("id_only",))
            )
    return cited
