"""CSL JSON (Zotero, Mendeley, Better BibTeX, citeproc-js, pandoc exports).

Crossref's work JSON is CSL JSON with lists where CSL has strings, so the item reading
here accepts both and crossref.py reuses it rather than keeping a second copy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from citegraph.loaders.collector import Collector, Parsed
from citegraph.loaders.common import (
    clean_text,
    normalize_doi,
    normalize_isbn,
    normalize_issn,
    normalize_pages,
    organization,
    parse_year,
    person,
    scalar,
    split_list,
    truncate,
    work_type,
)
from citegraph.loaders.json_items import JsonItem, read_json
from citegraph.loaders.records import Agent, LoadResult, Work
from citegraph.loaders.registry import register
from citegraph.loaders.text import read_text

NAME = "csl-json"

_CSL_KEYS = ('"issued"', '"container-title"', '"citation-key"', '"family"')


def sniff(head: str, suffix: str) -> bool:
    """JSON with CSL variables; Crossref and OpenAlex sniff first, being more specific."""
    is_json = head.lstrip()[:1] in ("[", "{")
    return is_json and '"type"' in head and any(k in head for k in _CSL_KEYS)


@register(NAME, suffixes=(".json", ".csl", ".csljson"), sniff=sniff, priority=40)
def load(path: Path) -> LoadResult:
    """CSL JSON items (a list, one item, or JSON Lines)."""
    text = read_text(path, NAME)
    out = Collector(text, NAME)
    read_json(out, ("items",), lambda item: Parsed(csl_work(out, item, _key(item))))
    return out.finish()


def _key(item: JsonItem) -> str:
    data = item.value
    key = data.get("citation-key") or data.get("id")
    return str(key) if key not in (None, "") else f"item{item.line}"


def csl_work(out: Collector, item: JsonItem, key: str) -> Work:
    """The Work of one CSL (or Crossref) item."""
    data: dict[str, Any] = item.value
    year, suffix = csl_year(data)
    title = clean_text(first_of(data.get("title")))
    subtitle = clean_text(first_of(data.get("subtitle")))
    return Work(
        key=key,
        source=out.source(item.line),
        title=f"{title}: {subtitle}" if title and subtitle else title,
        year=year,
        year_suffix=str(data.get("year-suffix") or suffix),
        type=work_type(data.get("type")),
        authors=csl_agents(data.get("author")),
        editors=csl_agents(data.get("editor")),
        doi=normalize_doi(data.get("DOI")),
        url=first_of(data.get("URL")),
        container=clean_text(first_of(data.get("container-title"))),
        volume=scalar(data.get("volume")),
        issue=scalar(data.get("issue")),
        pages=normalize_pages(first_of(data.get("page"))),
        publisher=clean_text(first_of(data.get("publisher"))),
        issn=normalize_issn(first_of(data.get("ISSN"))),
        isbn=normalize_isbn(first_of(data.get("ISBN"))),
        language=scalar(data.get("language")),
        abstract=clean_text(data.get("abstract")),
        keywords=split_list(data.get("keyword"), ",;"),
        raw=truncate(item.raw),
        raw_is_record=True,
    )


def first_of(value: Any) -> str | None:
    """A string variable, or the first string of a Crossref list variable."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    return (value.strip() or None) if isinstance(value, str) else None


_DATE_KEYS = ("issued", "published", "published-print", "published-online")


def csl_year(data: dict[str, Any]) -> tuple[int | None, str]:
    """The year of the first dated CSL date variable (`date-parts`, `raw` or `literal`)."""
    for name in _DATE_KEYS:
        date = data.get(name)
        if isinstance(date, dict):
            parts = date.get("date-parts")
            if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
                date = parts[0][0]
            else:
                date = date.get("raw") or date.get("literal")
        year, suffix = parse_year(date)
        if year is not None:
            return year, suffix
    return None, ""


def csl_agents(value: Any) -> tuple[Agent, ...]:
    """CSL/Crossref name objects in order; `literal` and Crossref `name` are institutions."""
    if not isinstance(value, list):
        return ()
    agents = (_agent(name) for name in value if isinstance(name, dict))
    return tuple(a for a in agents if a)


def _agent(name: dict[str, Any]) -> Agent | None:
    """A person: particles and suffix join the family name, as BibTeX's von and jr do."""
    family = " ".join(
        str(name[k]).strip()
        for k in ("non-dropping-particle", "family", "suffix")
        if isinstance(name.get(k), str) and name[k].strip()
    )
    given = " ".join(
        str(name[k]).strip()
        for k in ("given", "dropping-particle")
        if isinstance(name.get(k), str) and name[k].strip()
    )
    affiliations = name.get("affiliation")
    affiliation = None
    if isinstance(affiliations, list) and affiliations and isinstance(affiliations[0], dict):
        affiliation = scalar(affiliations[0].get("name"))
    if family:
        return person(family, given or None, name.get("ORCID"), affiliation)
    literal = scalar(name.get("literal") or name.get("name"))
    if literal:
        return organization(literal, affiliation)
    return person(given, None, name.get("ORCID"), affiliation) if given else None
