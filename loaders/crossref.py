"""Crossref REST API works JSON (`/works/{doi}` or a `/works?query=` page, or bare works).

A work's `reference` list becomes cited-only Works with Citations: a reference with a
DOI is keyed by it (so two works citing one DOI share it), one without is read from
its `unstructured` string or its structured fields.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from citegraph.loaders.collector import Collector, Parsed
from citegraph.loaders.common import (
    Rejected,
    clean_text,
    normalize_doi,
    parse_name,
    parse_year,
    truncate,
)
from citegraph.loaders.csl_json import csl_work, first_of
from citegraph.loaders.json_items import JsonItem, read_json
from citegraph.loaders.records import LoadResult, Work
from citegraph.loaders.reference_string import parse_reference
from citegraph.loaders.registry import register
from citegraph.loaders.text import read_text

NAME = "crossref"

_MARKERS = ('"message-type"', '"reference-count"', '"is-referenced-by-count"')


def sniff(head: str, suffix: str) -> bool:
    """JSON with Crossref's own bookkeeping keys (hyphenated, unlike OpenAlex's)."""
    return head.lstrip()[:1] in ("[", "{") and any(m in head for m in _MARKERS)


# `.json` falls back to the generic CSL JSON; Crossref JSON is recognised by its content.
@register(NAME, sniff=sniff, priority=25)
def load(path: Path) -> LoadResult:
    """Crossref works: `{"message": work}`, `{"message": {"items": [...]}}` or bare works."""
    text = read_text(path, NAME)
    out = Collector(text, NAME)
    read_json(out, ("message", "items"), lambda item: _parse_work(out, item))
    return out.finish()


def _parse_work(out: Collector, item: JsonItem) -> Parsed:
    doi = normalize_doi(item.value.get("DOI"))
    key = f"doi:{doi}" if doi else f"item{item.line}"
    work = csl_work(out, item, key)
    references = item.value.get("reference") or []
    if not isinstance(references, list):
        raise Rejected("'reference' is not a list")
    cited = [_cited(out, item.line, key, n, ref) for n, ref in enumerate(references, 1)]
    return Parsed(work, [c for c in cited if c])


def _cited(out: Collector, line: int, citing: str, n: int, ref: Any) -> Work | None:
    """A cited-only Work from one `reference` entry (None for an empty one)."""
    if not isinstance(ref, dict):
        return None
    doi = normalize_doi(ref.get("DOI"))
    key = f"doi:{doi}" if doi else f"{citing}#ref-{n}"
    unstructured = clean_text(ref.get("unstructured"))
    if unstructured:
        parsed = parse_reference(unstructured)
        return parsed.to_work(
            key, out.source(line), truncate(unstructured), doi=doi or parsed.doi, cited_only=True
        )
    title = clean_text(ref.get("article-title") or ref.get("volume-title"))
    author = parse_name(str(ref.get("author") or ""))
    if not (doi or title or author):
        return None
    year, suffix = parse_year(ref.get("year"))
    return Work(
        key=key,
        source=out.source(line),
        title=title,
        year=year,
        year_suffix=suffix,
        type="article" if ref.get("journal-title") else "other",
        authors=(author,) if author else (),
        doi=doi,
        container=clean_text(first_of(ref.get("journal-title") or ref.get("series-title"))),
        volume=clean_text(ref.get("volume")),
        pages=clean_text(ref.get("first-page")),
        cited_only=True,
        flags=("first_author_only",) if author else (),
    )
