"""A PDF's printed lines in reading order: columns, running headers and page numbers.

pdfminer.six finds the lines (characters with their font, size and position); this module
decides the order a person reads them in. A page is cut into bands at every line that
crosses the gutter (a title, an abstract, a wide table), and each band is read left column
first; lines repeated in the top or bottom margin of several pages (running heads, journal
names, "Page 3 of 12") and bare page numbers are dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from pdfminer.layout import LTAnno, LTChar, LTPage, LTTextBox, LTTextLine

from citegraph.loaders.documents.text import Run

#: Part of the page height, at top and bottom, where running heads and footers live.
MARGIN = 0.09
PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*)?(?:page\s+|p\.\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*[-–—])?$"
    r"|^[ivxlc]{1,6}$",
    re.IGNORECASE,
)
#: A gap between pieces of a printed row wider than this many font sizes parts two cells.
TABLE_GAP = 1.5
ITALIC_FONT = re.compile(r"italic|oblique|[-,.](?:it|i|bi|boldit|mediumit)$|ital", re.I)
BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi|[-,.](?:bd|b|bi|boldit)$", re.I)
LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
)


@dataclass
class PdfLine:
    """One printed line: where it is, how big, and its text as styled runs."""

    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    runs: list[Run]
    column: int = 0  # 0 left (or the only one), 1 right, -1 across the gutter
    line: int = 0  # its number among the page's lines in reading order, 1-based
    #: Where each of its table cells starts (a tab between runs parts two), or only x0.
    cells: list[float] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)

    @property
    def all_bold(self) -> bool:
        return all(run.bold for run in self.runs if run.text.strip())


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[PdfLine] = field(default_factory=list)
    chars: int = 0
    images: int = 0


@lru_cache(maxsize=512)
def _font_style(fontname: str) -> tuple[bool, bool]:
    """(italic, bold) from a font's name (its subset tag `ABCDEF+` aside); a document has a
    handful of fonts and a page tens of thousands of characters, so each name is read once."""
    name = fontname.split("+", 1)[1] if "+" in fontname[:8] else fontname
    return bool(ITALIC_FONT.search(name)), bool(BOLD_FONT.search(name))


def _runs(line: LTTextLine) -> tuple[list[Run], float, int]:
    """The line's text as runs of one style each, its main font size, and its chars."""
    items = list(line)
    sizes = Counter(round(item.size, 1) for item in items if type(item) is LTChar)
    if not sizes:
        return [], 0.0, 0
    size = max(sizes.items(), key=lambda kv: kv[1])[0]
    baseline = min(c.y0 for c in items if type(c) is LTChar and round(c.size, 1) == size)
    raised, little = baseline + 0.2 * size, 0.85 * size
    runs: list[Run] = []
    style = (False, False, False)
    text: list[str] = []
    for item in items:
        if isinstance(item, LTChar):
            italic, bold = _font_style(item.fontname)
            now = (italic, bold, item.size < little and item.y0 > raised)
            value = item.get_text()
        elif isinstance(item, LTAnno):
            value = " " if item.get_text() == " " else ""
            now = style
        else:
            continue
        if now != style and text:
            runs.append(Run("".join(text).translate(LIGATURES), *style))
            text = []
        style = now
        text.append(value)
    if text:
        runs.append(Run("".join(text).translate(LIGATURES), *style))
    return runs, size, sum(sizes.values())


def _text_lines(layout: Iterable[object]) -> Iterator[LTTextLine]:
    for item in layout:
        if isinstance(item, LTTextBox):
            for line in item:
                if isinstance(line, LTTextLine):
                    yield line
        elif isinstance(item, LTTextLine):
            yield item


def read_page(number: int, layout: LTPage) -> Page:
    """The page's lines (unordered), counting its characters and images for the OCR check."""
    page = Page(number, layout.width, layout.height)
    for item in layout:
        if type(item).__name__ in {"LTFigure", "LTImage"}:
            page.images += 1
    for line in _text_lines(layout):
        runs, size, chars = _runs(line)
        page.chars += chars
        if not "".join(r.text for r in runs).strip():
            continue
        top = layout.height - line.y1
        page.lines.append(
            PdfLine(number, line.x0, line.x1, top, layout.height - line.y0, size, runs)
        )
    return page


def _merge_same_row(lines: list[PdfLine]) -> list[PdfLine]:
    """pdfminer splits a line at a wide gap (justified text, a tab, a table's cells):
    pieces of one column that share a baseline are one line again, a gap as wide as a
    table's between cells kept as a tab (the review loader reads tab rows as a table)."""
    merged: list[PdfLine] = []
    for line in sorted(lines, key=lambda ln: (ln.column, round(ln.top), ln.x0)):
        last = merged[-1] if merged else None
        if last is not None and last.column == line.column:
            overlap = min(last.bottom, line.bottom) - max(last.top, line.top)
            if overlap > 0.5 * min(last.bottom - last.top, line.bottom - line.top):
                space = Run(" ") if not last.text.endswith(" ") else Run("")
                gap = Run("\t") if line.x0 - last.x1 > TABLE_GAP * line.size else space
                if gap.text == "\t":
                    last.cells.append(line.x0)
                last.runs = [*last.runs, gap, *line.runs]
                last.x1 = max(last.x1, line.x1)
                continue
        line.cells = [line.x0]
        merged.append(line)
    return merged


#: A line's pieces start at a table's cells when within this many font sizes of them.
CELL_ALIGN = 0.6
#: A table's rows are parted by more space than its wrapped lines when the widest step
#: between its printed lines is this many times the narrowest.
ROW_SPACING = 1.25


def _cells(line: PdfLine) -> list[list[Run]]:
    cells: list[list[Run]] = [[]]
    for run in line.runs:
        if run.text == "\t":
            cells.append([])
        else:
            cells[-1].append(run)
    return cells


def _cell_of(x: float, row: PdfLine) -> int | None:
    """Which of `row`'s cells a piece starting at `x` is in, if it starts where one does."""
    for number, start in enumerate(row.cells):
        if abs(x - start) <= CELL_ALIGN * row.size:
            return number
    return None


def _in_cells(line: PdfLine, row: PdfLine) -> bool:
    """Every piece of `line` starts where a cell of `row` does, and its last piece ends
    before the next cell (a paragraph below a table starts at its first cell too)."""
    numbers = [_cell_of(x, row) for x in line.cells]
    if any(n is None for n in numbers):
        return False
    last = numbers[-1]
    assert last is not None
    return last + 1 >= len(row.cells) or line.x1 <= row.cells[last + 1]


def _table_runs(lines: list[PdfLine]) -> Iterator[list[PdfLine]]:
    """Runs of lines in one column that print a table: a tab row, then every line below
    it that sits in that row's cells (a cell wrapped onto the next printed line, or the
    next row)."""
    run: list[PdfLine] = []
    for line in lines:
        head = run[0] if run else None
        if (
            head is not None
            and line.column == head.column
            and line.top - run[-1].bottom < 2 * line.size
            and _in_cells(line, head)
        ):
            run.append(line)
            continue
        if len(run) > 1:
            yield run
        run = [line] if len(line.cells) > 1 else []
    if len(run) > 1:
        yield run


def join_wrapped_cells(lines: list[PdfLine]) -> list[PdfLine]:
    """A table cell too long for its column wraps onto the printed lines below, which
    pdfminer reads as more rows: each such line joins its row, cell by cell. A line is a
    wrap when its first cell is empty (a citation table's first column names the study)
    or when the table parts its rows by more space than its lines (`ROW_SPACING`)."""
    joined: set[int] = set()
    for run in _table_runs(lines):
        head = run[0]
        steps = [b.top - a.top for a, b in zip(run, run[1:], strict=False)]
        spaced = max(steps) > ROW_SPACING * min(steps)
        cut = (max(steps) + min(steps)) / 2
        row = head
        for line, step in zip(run[1:], steps, strict=True):
            first = _cell_of(line.cells[0], head)
            if not (first != 0 or (spaced and step < cut)):
                row = line
                continue
            cells = _cells(row)
            while len(cells) < len(head.cells):
                cells.append([])
            for x, pieces in zip(line.cells, _cells(line), strict=True):
                number = _cell_of(x, head)
                assert number is not None  # every piece of a run's line starts at a cell
                target = cells[number]
                cells[number] = [*target, Run(" "), *pieces] if target else list(pieces)
            row.runs = [run for cell in cells for run in (*cell, Run("\t"))][:-1]
            row.bottom = max(row.bottom, line.bottom)
            joined.add(id(line))
    return [line for line in lines if id(line) not in joined]


def _gutter(page: Page, lines: list[PdfLine]) -> float | None:
    """The x of a two-column page's gutter: the least-covered x in the middle of the page,
    if few lines cross it and enough lines sit wholly on each side."""
    if len(lines) < 6:
        return None
    width = page.width
    best, best_cover = None, len(lines) + 1
    for step in range(int(0.3 * width), int(0.7 * width), 2):
        cover = sum(1 for ln in lines if ln.x0 < step < ln.x1)
        if cover < best_cover:
            best, best_cover = float(step), cover
    if best is None:
        return None
    left = sum(1 for ln in lines if ln.x1 <= best)
    right = sum(1 for ln in lines if ln.x0 >= best)
    if left >= 3 and right >= 3 and best_cover <= 0.25 * len(lines):
        return best
    return None


def _column(line: PdfLine, gutter: float, left: float, right: float) -> int:
    """0 left, 1 right, -1 across: a line overflowing the gutter a little (a long URL)
    stays in its column."""
    if line.x1 <= gutter or (line.x1 - gutter) < 0.3 * (right - gutter):
        return 0 if line.x0 < gutter else 1
    if line.x0 >= gutter or (gutter - line.x0) < 0.3 * (gutter - left):
        return 1
    return -1


def order_page(page: Page, lines: list[PdfLine]) -> list[PdfLine]:
    """Reading order: bands cut at lines crossing the gutter, each band left column first."""
    gutter = _gutter(page, lines)
    left = min((ln.x0 for ln in lines), default=0.0)
    right = max((ln.x1 for ln in lines), default=page.width)
    for line in lines:
        line.column = 0 if gutter is None else _column(line, gutter, left, right)
    for line in lines:  # across, yet beside a line of a column: it overflows its own
        if line.column == -1 and any(
            other.column != -1 and other.top < line.bottom and line.top < other.bottom
            for other in lines
        ):
            line.column = 0 if line.x0 < (gutter or 0.0) else 1
    lines = join_wrapped_cells(_merge_same_row(lines))
    ordered: list[PdfLine] = []
    band: list[PdfLine] = []
    for line in sorted(lines, key=lambda ln: (ln.top, ln.x0)):
        if line.column == -1:
            ordered.extend(sorted(band, key=lambda ln: (ln.column, ln.top, ln.x0)))
            band = []
            ordered.append(line)
        else:
            band.append(line)
    ordered.extend(sorted(band, key=lambda ln: (ln.column, ln.top, ln.x0)))
    for number, line in enumerate(ordered, 1):
        line.line = number
    return ordered


def _margin_key(line: PdfLine) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", line.text.strip().lower()))


def _in_margin(page: Page, line: PdfLine) -> bool:
    return line.bottom < MARGIN * page.height or line.top > (1 - MARGIN) * page.height


def drop_running_lines(pages: list[Page]) -> int:
    """Remove running heads, footers and page numbers from every page; returns how many.

    A margin line is running when its text (digits aside) is in the margin of at least
    two pages, or when it is a bare page number."""
    seen: Counter[str] = Counter()
    for page in pages:
        seen.update({_margin_key(ln) for ln in page.lines if _in_margin(page, ln)})
    dropped = 0
    for page in pages:
        kept = []
        for line in page.lines:
            if _in_margin(page, line) and (
                PAGE_NUMBER.match(line.text.strip())
                or (len(pages) > 1 and seen[_margin_key(line)] >= 2)
            ):
                dropped += 1
                continue
            kept.append(line)
        page.lines = kept
    return dropped
