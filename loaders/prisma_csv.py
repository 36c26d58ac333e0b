"""A PRISMA 2020 flow filled in on the PRISMA2020 template (the R package and Shiny app).

The template is a CSV with the columns `data, node, box, description, boxtext, tooltips,
url, n`: `data` names the count (`database_results`, `records_screened`, `dbr_excluded`)
and `n` holds it; the rows whose `data` is NA are the diagram's title boxes. Lists of
counts (`database_specific_results`, `dbr_excluded`) are `name, n; name, n` pairs, so
each database and each reason for exclusion becomes its own count. A row left as the
template gave it (`Reason1, xxx`) is passed over with a note, never guessed at.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from citegraph.loaders.records import FlowCount, Issue, LoadResult, Record, Severity, Source
from citegraph.loaders.registry import register
from citegraph.loaders.text import read_text

LOADER = "prisma-csv"
HEADER = ("data", "node", "box", "description", "boxtext")

#: The template's counts: stage, arm and detail (None: the arm's total, or per item for
#: the lists of `name, n` pairs).
SINGLE: dict[str, tuple[str, str, str | None]] = {
    "database_results": ("identified", "databases", None),
    "register_results": ("identified", "databases", "Registers"),
    "website_results": ("identified", "other", "Websites"),
    "organisation_results": ("identified", "other", "Organisations"),
    "citations_results": ("identified", "other", "Citation searching"),
    "duplicates": ("duplicates", "databases", None),
    "excluded_automatic": ("removed_other", "databases", "automation tools"),
    "excluded_other": ("removed_other", "databases", "other reasons"),
    "records_screened": ("screened", "databases", None),
    "records_excluded": ("screen_excluded", "databases", None),
    "dbr_sought_reports": ("sought", "databases", None),
    "dbr_notretrieved_reports": ("not_retrieved", "databases", None),
    "dbr_assessed": ("assessed", "databases", None),
    "other_sought_reports": ("sought", "other", None),
    "other_notretrieved_reports": ("not_retrieved", "other", None),
    "other_assessed": ("assessed", "other", None),
    "new_studies": ("included", "databases", None),
    "new_reports": ("included_reports", "databases", None),
    "previous_studies": ("included", "previous", None),
    "previous_reports": ("included_reports", "previous", None),
    "total_studies": ("included", "total", None),
    "total_reports": ("included_reports", "total", None),
}
LISTS: dict[str, tuple[str, str]] = {
    "database_specific_results": ("identified", "databases"),
    "register_specific_results": ("identified", "databases"),
    "dbr_excluded": ("excluded", "databases"),
    "other_excluded": ("excluded", "other"),
}
#: The template's rows that are no count: the diagram's title boxes and the meta-analysis.
BOXES = {"identification", "screening", "included", "total_studies_ma", "total_reports_ma"}
_PLACEHOLDER = re.compile(r"^x+$", re.IGNORECASE)
_COUNT = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")


def _cells(line: str) -> list[str]:
    delimiter = ";" if line.count(";") > line.count(",") else ","
    return [c.strip().strip('"').casefold() for c in line.split(delimiter)]


def _sniff(head: str, suffix: str) -> bool:
    first = next((line for line in head.splitlines() if line.strip()), "")
    return suffix in (".csv", ".txt", "") and tuple(_cells(first)[: len(HEADER)]) == HEADER


def _count(text: str) -> int | None:
    return int(text.replace(",", "")) if _COUNT.match(text.strip()) else None


def _pairs(
    text: str, stage: str, arm: str, source: Source, printed: str
) -> tuple[list[FlowCount], list[str]]:
    """`Scopus, 216; SciELO, 120`: one count per pair; placeholders and bad pairs named."""
    found, bad = [], []
    for item in (i.strip() for i in text.split(";")):
        if not item:
            continue
        name, _, value = item.rpartition(",")
        count = _count(value)
        if _PLACEHOLDER.match(value.strip()) or not name.strip():
            bad.append(item)
        elif count is None:
            bad.append(item)
        else:
            found.append(
                FlowCount(None, stage, count, source, printed, "template", name.strip(), arm)
            )
    return found, bad


@register(
    LOADER,
    suffixes=(),
    sniff=_sniff,
    priority=10,
    description="A PRISMA 2020 flow on the PRISMA2020 template CSV (data, node, box, ..., n)",
)
def load(path: Path) -> LoadResult:
    """The counts of a filled-in PRISMA2020 template, one record per count with its line."""
    text_file = read_text(path, LOADER)
    records: list[Record] = []
    issues = list(text_file.issues)
    if not text_file.text.strip():
        issues.append(Issue(Source(str(path), 1, LOADER), Severity.WARNING, "empty file"))
        return LoadResult(str(path), LOADER, [], issues)
    entries = loaded = 0
    dialect = ";" if text_file.text.split("\n", 1)[0].count(";") > 1 else ","
    reader = csv.DictReader(io.StringIO(text_file.text), delimiter=dialect)
    start = 2  # the line the next row begins on (the header is line 1)
    rows: list[tuple[dict[str, str], int]] = []
    try:
        for row in reader:
            rows.append((row, reader.line_num))
    except csv.Error as error:
        where = Source(str(path), reader.line_num or 1, LOADER)
        issues.append(Issue(where, Severity.WARNING, f"unreadable CSV from here on: {error}"))
    for row, ends in rows:
        line, start = start, ends + 1
        source = Source(str(path), line, LOADER)
        name = (row.get("data") or "").strip()
        value = (row.get("n") or "").strip()
        printed = (row.get("boxtext") or row.get("description") or name).strip()
        if name in SINGLE:
            entries += 1
            stage, arm, detail = SINGLE[name]
            count = _count(value)
            if count is None:
                reason = f"{name}: the count {value!r} is not a whole number"
                issues.append(Issue(source, Severity.ERROR, reason, str(row)))
                continue
            records.append(FlowCount(None, stage, count, source, printed, "template", detail, arm))
            loaded += 1
        elif name in LISTS:
            stage, arm = LISTS[name]
            found, bad = _pairs(value, stage, arm, source, printed)
            if not found and all(_PLACEHOLDER.match(b.rpartition(",")[2].strip()) for b in bad):
                issues.append(Issue(source, Severity.INFO, f"{name}: left as the template gave it"))
                continue
            entries += 1
            if bad:
                reason = f"{name}: not `name, count` pairs: {'; '.join(bad)[:120]}"
                issues.append(Issue(source, Severity.ERROR, reason, str(row)))
                continue
            records += found
            loaded += 1
        elif name and name.upper() != "NA" and name not in BOXES and _count(value) is not None:
            issues.append(
                Issue(source, Severity.WARNING, f"{name}: not a count of the PRISMA 2020 flow")
            )
    if reader.fieldnames is None or "n" not in [(f or "").strip() for f in reader.fieldnames]:
        issues.append(
            Issue(Source(str(path), 1, LOADER), Severity.WARNING, "no `n` column: no counts")
        )
    return LoadResult(str(path), LOADER, records, issues, entries=entries, loaded=loaded)
