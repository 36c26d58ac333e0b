"""A review's structure as the method audit reads it: sections, tables and figures.

Reviews reach us as Markdown converted from word processors: tables are tab-separated
lines or Markdown pipe tables under a `Table 1` caption, sections are headings that name
them (`III. RESULTS`, `## Methods`), figures are a caption and, if all went well, an image.
Everything keeps its 1-based line, so each count can be traced to where it is printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Markup a word processor leaves around cells and captions.
_MARKUP = re.compile(
    r"</?(?:b|i|em|strong|sup|sub|span|br)\s*/?>|\*\*|__|(?<!\w)[*_](?!\s)|(?<!\s)[*_](?!\w)"
)
_HEADING = re.compile(r"^\s*#{1,6}\s+(.*)$")
_NUMBERING = re.compile(r"^(?:[IVXLC]+|\d+(?:\.\d+)*)[.)]?\s+", re.IGNORECASE)
_TABLE_CAPTION = re.compile(
    r"^(?P<label>(?:Table|Tabla|Tabela|Tableau)\s+(?P<number>\d+))\b\s*[.:\-–—]?\s*(?P<title>.*)$",
    re.IGNORECASE,
)
_FIGURE_CAPTION = re.compile(
    r"^(?P<label>(?:Figure|Fig\.|Figura|Gráfico|Graphic)\s*(?P<number>\d+))\s*(?P<sep>[.:\-–—]?)"
    r"\s*(?P<title>.*)$",
    re.IGNORECASE,
)
#: A line that may be a caption: its first words name a table or a figure (checked before
#: the markup is cleaned away, which costs more than this look).
_CAPTION_HINT = re.compile(r"^\W{0,8}(?:tab|fig|gr[aá]f)", re.IGNORECASE)
_IMAGE = re.compile(r"!\[|<\s*(?:img|svg|figure|picture|object|embed|canvas)\b", re.IGNORECASE)
_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")

#: The sections a method audit tells apart, by the words their headings use.
SECTION_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("abstract", re.compile(r"^(?:abstract|resumen|resumo|summary)\b", re.IGNORECASE)),
    ("introduction", re.compile(r"^(?:introduc|background)", re.IGNORECASE)),
    ("method", re.compile(r"\b(?:method|metodolog|materials)", re.IGNORECASE)),
    ("results", re.compile(r"^(?:results?|resultados?|findings)\b", re.IGNORECASE)),
    ("discussion", re.compile(r"^(?:discussion|discusión|discussão)\b", re.IGNORECASE)),
    ("conclusion", re.compile(r"^(?:conclusi|conclus)", re.IGNORECASE)),
    (
        "references",
        re.compile(r"^(?:references|bibliograph|referencias|works cited)", re.IGNORECASE),
    ),
    (
        "other",
        re.compile(
            r"^(?:limitations|acknowledg|appendix|annex|anexo|funding|keywords)", re.IGNORECASE
        ),
    ),
)


def clean_cell(text: str) -> str:
    """A cell or caption without its markup, escapes or extra spaces."""
    text = _MARKUP.sub("", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|])", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Section:
    kind: str  # one of SECTION_KINDS' names
    title: str
    start: int  # the heading's line
    end: int  # the last line before the next section heading

    def holds(self, line: int) -> bool:
        return self.start <= line <= self.end


def sections(lines: list[str]) -> list[Section]:
    """The named sections; a heading that names no section kind is a subsection."""
    found: list[Section] = []
    for index, line in enumerate(lines):
        heading = _HEADING.match(line)
        if not heading:
            continue
        title = clean_cell(heading.group(1))
        name = _NUMBERING.sub("", title).strip(" :.")
        kind = next((k for k, pattern in SECTION_KINDS if pattern.search(name)), None)
        if kind is None:
            continue
        if found:
            last = found[-1]
            found[-1] = Section(last.kind, last.title, last.start, index)
        found.append(Section(kind, title, index + 1, len(lines)))
    return found


def section(lines: list[str], kind: str) -> Section | None:
    return next((s for s in sections(lines) if s.kind == kind), None)


@dataclass(frozen=True)
class Row:
    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    label: str  # "Table 1"
    title: str
    line: int  # the caption's line
    header: Row | None
    rows: tuple[Row, ...]


def _row(line: str) -> tuple[str, ...] | None:
    """The cells of a tab-separated or pipe table line; None for other lines."""
    stripped = line.strip()
    if stripped.startswith("|") and not _PIPE_SEPARATOR.match(stripped):
        return tuple(clean_cell(c) for c in stripped.strip("|").split("|"))
    if "\t" in line and line.strip():
        return tuple(clean_cell(c) for c in line.rstrip("\n").split("\t"))
    return None


_COUNT = re.compile(r"^\d[\d,.]*\s*%?$")


def _is_header(cells: tuple[str, ...]) -> bool:
    return not any(_COUNT.match(c) for c in cells if c)


def tables(lines: list[str]) -> list[Table]:
    """Captioned tables: a `Table N` line, maybe a title line, then its rows."""
    found: list[Table] = []
    index = 0
    while index < len(lines):
        # a caption set in bold comes out of a PDF as a heading (`### **Table 1**`)
        line = _HEADING.sub(r"\1", lines[index])
        hinted = _CAPTION_HINT.match(line)
        caption = _TABLE_CAPTION.match(clean_cell(line)) if hinted else None
        if not caption or _row(lines[index]) is not None:
            index += 1
            continue
        title = caption.group("title").strip()
        cursor = index + 1
        rows: list[Row] = []
        blank = 0
        while cursor < len(lines) and blank <= 3:
            text = lines[cursor]
            cells = _row(text)
            if cells is not None:
                rows.append(Row(cursor + 1, cells))
                blank = 0
            elif _PIPE_SEPARATOR.match(text.strip()) and rows:
                pass
            elif rows:
                break
            elif not text.strip():
                blank += 1
            elif not title and len(text) < 250 and not _HEADING.match(text):
                title = clean_cell(text)
            else:
                break
            cursor += 1
        if rows:
            header = rows[0] if _is_header(rows[0].cells) else None
            body = tuple(rows[1:] if header else rows)
            found.append(Table(caption.group("label").title(), title, index + 1, header, body))
        index = max(cursor, index + 1)
    return found


@dataclass(frozen=True)
class FigureCaption:
    label: str  # "Figure 1"
    title: str
    line: int
    has_image: bool


def _is_boundary(line: str) -> bool:
    """A heading or another caption: where the lines about a figure end."""
    if not _CAPTION_HINT.match(line):
        return bool(_HEADING.match(line))
    cleaned = clean_cell(line)
    return bool(
        _HEADING.match(line) or _FIGURE_CAPTION.match(cleaned) or _TABLE_CAPTION.match(cleaned)
    )


def _near(lines: list[str], index: int) -> list[str]:
    """Up to three lines above a caption and six below, within its own stretch."""
    found = []
    for k in range(index - 1, max(-1, index - 4), -1):
        if _is_boundary(lines[k]):
            break
        found.append(lines[k])
    for k in range(index + 1, min(len(lines), index + 7)):
        if _is_boundary(lines[k]):
            break
        found.append(lines[k])
    return found


def figure_captions(lines: list[str]) -> list[FigureCaption]:
    """Figure captions, each with whether an image stands near it (three lines above,
    six below, within its section): a caption left without its figure is a gap."""
    found = []
    for index, line in enumerate(lines):
        if not _CAPTION_HINT.match(line):
            continue
        cleaned = clean_cell(line)
        caption = _FIGURE_CAPTION.match(cleaned)
        if not caption or _HEADING.match(line):
            continue
        title = caption.group("title")
        alone = not title or bool(caption.group("sep"))
        if not alone or len(cleaned) > 200:
            continue  # prose that mentions a figure: "Figure 1 shows ..."
        if not title:
            following = next((t for t in lines[index + 1 : index + 3] if t.strip()), "")
            if following and not _HEADING.match(following) and len(following) < 200:
                title = clean_cell(following)
        has_image = any(_IMAGE.search(t) for t in _near(lines, index))
        found.append(FigureCaption(caption.group("label").title(), title, index + 1, has_image))
    return found


_COUNT_HEADER = re.compile(
    r"^(?:n|no\.?|n\.?º|f|number|quantity|count|frequency|total|records?|articles?|studies"
    r"|documents?|cantidad|número|numero|quantidade)$|\b(?:number|quantity|count)\b",
    re.IGNORECASE,
)
_PERCENT_HEADER = re.compile(r"%|percent|porcentaje|porcentagem|proportion|share", re.IGNORECASE)
_INTEGER = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")
_PERCENT = re.compile(r"^(\d+(?:[.,]\d+)?)\s*%$")


@dataclass(frozen=True)
class Entry:
    """A table row read as a labelled count: `Selected by full reading | 38`, or
    `Year | 2022 | 2 | 4%` (group `Year`, label `2022`, count 2, percent 4)."""

    line: int
    group: str
    label: str
    count: int | None
    percent: float | None


def _column(rows: tuple[Row, ...], index: int) -> list[str]:
    return [r.cells[index] for r in rows if index < len(r.cells) and r.cells[index]]


def _columns(table: Table) -> tuple[int | None, int | None]:
    """Which column holds the counts and which the percentages: by the header's words,
    else the rightmost column of integers that are not all years, and the column of %."""
    width = max((len(r.cells) for r in table.rows), default=0)
    if table.header is not None:
        names = table.header.cells
        count = next((i for i, c in enumerate(names) if _COUNT_HEADER.search(c)), None)
        percent = next((i for i, c in enumerate(names) if _PERCENT_HEADER.search(c)), None)
        if count is not None or percent is not None:
            return count, percent
    percent = next(
        (i for i in range(width) if any(_PERCENT.match(c) for c in _column(table.rows, i))), None
    )
    count = None
    for index in range(width):
        values = [c for c in _column(table.rows, index) if _INTEGER.match(c)]
        numbers = [int(v.replace(",", "")) for v in values]
        if numbers and not all(1900 <= n <= 2100 for n in numbers) and index != percent:
            count = index
    return count, percent


def entries(table: Table) -> list[Entry]:
    """The table's rows as labelled counts; a first column left empty continues the
    group of the row above (`Year` then `2022`, ` `, `2023-2024`)."""
    count_at, percent_at = _columns(table)
    if count_at is None and percent_at is None:
        return []
    found = []
    group = ""
    for row in table.rows:
        cells = list(row.cells)
        count_text = cells[count_at] if count_at is not None and count_at < len(cells) else ""
        percent_text = (
            cells[percent_at] if percent_at is not None and percent_at < len(cells) else ""
        )
        labels = [(i, c) for i, c in enumerate(cells) if c and i not in (count_at, percent_at)]
        several = sum(1 for i in range(len(cells)) if i not in (count_at, percent_at)) > 1
        if several and cells[0] and labels and labels[0][0] == 0:
            group = cells[0]
            labels = labels[1:] or labels
        label = " ".join(c for _, c in labels)
        count = int(count_text.replace(",", "")) if _INTEGER.match(count_text) else None
        percent_match = _PERCENT.match(percent_text)
        percent = float(percent_match.group(1).replace(",", ".")) if percent_match else None
        if label and (count is not None or percent is not None):
            found.append(Entry(row.line, group if several else "", label, count, percent))
    return found
