"""Web of Science exports: "Plain text" (tagged) and "Tab delimited" files.

Both are read into the same `{tag: [values]}` record, so one function turns either into
a Work. The tagged form opens records with `PT`, continues a field on lines starting
with three spaces and closes with `ER`; a record missing its `ER` is still read up to
the next `PT` (with a warning). Cited references (`CR`, `Cohen LE, 1979, AM SOCIOL
REV, V44, P588, DOI 10.2307/2094589`) become cited-only Works and Citations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from citegraph.loaders.collector import Collector, Parsed
from citegraph.loaders.common import (
    clean_text,
    join_pages,
    normalize_doi,
    normalize_isbn,
    normalize_issn,
    normalize_orcid,
    organization,
    parse_name,
    parse_names,
    parse_year,
    split_list,
    truncate,
    work_type,
)
from citegraph.loaders.records import Agent, LoadResult, Severity, Source, Work
from citegraph.loaders.registry import register
from citegraph.loaders.text import read_text

NAME = "wos"

_SNIFF = re.compile(r"\s*(?:FN |PT [A-Z]\s*\n|PT\tAU\t)")
_TAG = re.compile(r"([A-Z][A-Z0-9])(?: (.*))?")
_RIS_RECORD = re.compile(r"^TY  - ", re.M)
_PT_LINE = re.compile(r"^PT[ \t]", re.M)
_FILE_TAGS = frozenset({"FN", "VR", "EF"})
# Fields holding one item per line (tagged) or per "; " (tab-delimited).
_LIST_TAGS = frozenset({"AU", "AF", "BA", "BF", "CA", "GP", "BE", "CR", "C1", "OI", "RI"})
_REF_VOLUME = re.compile(r"V(\w+)")
_REF_PAGE = re.compile(r"P(\w+)")


def sniff(head: str, suffix: str) -> bool:
    """`FN ...` / `PT J` tagged files, or a tab-delimited header starting `PT<tab>AU`.

    Web of Science's RIS export starts with the same `FN`/`VR` lines, then has RIS
    `TY  - ` records and no `PT` line: that file is RIS's.
    """
    if not _SNIFF.match(head):
        return False
    return not (_RIS_RECORD.search(head) and not _PT_LINE.search(head))


@dataclass
class _Record:
    """One WoS record as tag -> values, with its start line and original text."""

    line: int
    fields: dict[str, list[str]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    def one(self, *tags: str) -> str | None:
        """The first present tag's value, continuation lines joined by spaces."""
        for tag in tags:
            values = self.fields.get(tag)
            if values:
                return " ".join(v.strip() for v in values).strip() or None
        return None

    def many(self, tag: str) -> list[str]:
        return [v.strip() for v in self.fields.get(tag, []) if v.strip()]

    def add(self, tag: str, value: str, line: str) -> None:
        self.fields.setdefault(tag, []).append(value)
        self.lines.append(line)


@register(NAME, suffixes=(".txt", ".ciw"), sniff=sniff, priority=20)
def load(path: Path) -> LoadResult:
    """Web of Science records, tagged plain text or tab-delimited."""
    text = read_text(path, NAME)
    out = Collector(text, NAME)
    lines = text.text.split("\n")
    tab = lines[0].startswith("PT\t")
    records = _tab_records(out, lines) if tab else _TaggedReader(out).read(lines)
    for record in records:
        raw = "\n".join(record.lines)
        out.entry(record.line, raw, partial(_parse_record, out, record, raw))
    return out.finish()


class _TaggedReader:
    """Collects the records of the tagged format, one line at a time.

    Tags met outside a PT...ER record (a record that lost its PT line) gather into a
    stray chunk that is rejected as one entry when the next record or file tag comes.
    """

    def __init__(self, out: Collector) -> None:
        self.out = out
        self.records: list[_Record] = []
        self.record: _Record | None = None
        self.stray: _Record | None = None

    def read(self, lines: list[str]) -> list[_Record]:
        tag = ""
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            match = None if line.startswith(" ") else _TAG.fullmatch(line.rstrip())
            if match is None:
                self._continue(number, tag, line)
                continue
            tag, value = match.group(1), match.group(2) or ""
            if tag == "ER":
                self._close(missing_end=False)
            elif tag == "PT" or tag in _FILE_TAGS:
                self._close(missing_end=True)
                if tag == "PT":
                    self.record = _Record(number)
                    self.record.add(tag, value, line)
            elif self.record is not None:
                self.record.add(tag, value, line)
            else:
                self.stray = self.stray or _Record(number)
                self.stray.add(tag, value, line)
        self._close(missing_end=True)
        return self.records

    def _continue(self, number: int, tag: str, line: str) -> None:
        """A continuation line extends the last tag of the open record (or stray chunk)."""
        target = self.record or self.stray
        if target is not None and tag:
            target.add(tag, line.strip(), line)
        else:
            self.out.issue(number, Severity.INFO, "text outside WoS records ignored", line)

    def _close(self, missing_end: bool) -> None:
        if self.stray is not None:
            raw = "\n".join(self.stray.lines)
            self.out.reject(self.stray.line, "WoS tags outside a record (no 'PT' line)", raw)
            self.stray = None
        if self.record is not None:
            if missing_end:
                self.out.warn(self.record.line, "record has no 'ER' line; read up to what follows")
            self.records.append(self.record)
            self.record = None


def _tab_records(out: Collector, lines: list[str]) -> list[_Record]:
    """Rows of the tab-delimited format; list fields split at "; "."""
    header = lines[0].rstrip("\t").split("\t")
    records = []
    for number, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        values = line.split("\t")
        if any(v.strip() for v in values[len(header) :]):
            reason = f"row has {len(values)} fields, the header {len(header)}"
            out.reject(number, reason, line)
            continue
        record = _Record(number, lines=[line])
        for tag, value in zip(header, values, strict=False):
            if value.strip():
                record.fields[tag] = value.split("; ") if tag in _LIST_TAGS else [value]
        records.append(record)
    return records


def _parse_record(out: Collector, record: _Record, raw: str) -> Parsed:
    year, _ = parse_year(record.one("PY") or record.one("EA"))
    key = record.one("UT") or f"record{record.line}"
    serial = record.one("SN", "EI")
    work = Work(
        key=key,
        source=out.source(record.line),
        title=clean_text(record.one("TI")),
        year=year,
        type=work_type(record.one("DT") or record.one("PT")),
        authors=_authors(record),
        editors=parse_names(record.many("BE")),
        doi=normalize_doi(record.one("DI")),
        container=clean_text(record.one("SO")),
        volume=record.one("VL"),
        issue=record.one("IS"),
        # an e-journal's article number (AR) stands where the pages would
        pages=join_pages(record.one("BP"), record.one("EP")) or record.one("AR") or None,
        publisher=clean_text(record.one("PU")),
        issn=normalize_issn(serial),
        isbn=normalize_isbn(record.one("BN")),
        language=record.one("LA"),
        abstract=clean_text(record.one("AB")),
        keywords=split_list(record.one("DE")),
        raw=truncate(raw),
        raw_is_record=True,
    )
    references = enumerate(record.many("CR"), 1)
    cited = [_cited(ref, f"{key}#ref-{n}", work.source) for n, ref in references]
    return Parsed(work, cited)


def _authors(record: _Record) -> tuple[Agent, ...]:
    """Full names (AF) if exported, else short ones (AU); group authors (CA) after them."""
    orcids = _orcids(record)
    people = record.many("AF") or record.many("AU")
    agents = [parse_name(name, orcids.get(name.lower())) for name in people]
    groups = [organization(name) for name in record.many("CA")]
    return tuple(a for a in agents if a) + tuple(groups)


def _orcids(record: _Record) -> dict[str, str]:
    """ORCIDs by lower-cased author name from `OI Cohen, Lawrence E./0000-0002-...; ...`."""
    found: dict[str, str] = {}
    for item in split_list(" ".join(record.many("OI"))):
        name, _, identifier = item.rpartition("/")
        orcid = normalize_orcid(identifier)
        if name and orcid:
            found[name.strip().lower()] = orcid
    return found


def _cited(text: str, key: str, source: Source) -> Work:
    """A cited-only Work from one CR entry: `Author, Year, SOURCE, Vnn, Pnn, DOI x`."""
    parts = [p.strip() for p in text.split(", ")]
    doi = next((normalize_doi(p) for p in parts if p.upper().startswith("DOI")), None)
    author = None
    if parts and not parse_year(parts[0])[0]:
        name = parts.pop(0)
        author = organization(name.lstrip("*")) if name.startswith("*") else parse_name(name)
    year, suffix = parse_year(parts[0]) if parts else (None, "")
    if year is not None:
        parts.pop(0)
    rest = [p for p in parts if not p.upper().startswith("DOI")]
    volume = next((m.group(1) for p in rest if (m := _REF_VOLUME.fullmatch(p))), None)
    page = next((m.group(1) for p in rest if (m := _REF_PAGE.fullmatch(p))), None)
    numbered = rest and (_REF_VOLUME.fullmatch(rest[0]) or _REF_PAGE.fullmatch(rest[0]))
    container = rest[0] if rest and not numbered else None
    return Work(
        key=f"doi:{doi}" if doi else key,
        source=source,
        year=year,
        year_suffix=suffix,
        type="article" if volume else "other",
        authors=(author,) if author else (),
        doi=doi,
        container=container,
        volume=volume,
        pages=page,
        raw=truncate(text),
        cited_only=True,
        flags=("first_author_only", "abbreviated_source") if author else ("abbreviated_source",),
    )
