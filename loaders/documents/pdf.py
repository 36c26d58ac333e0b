"""A review as a PDF: its printed lines become the Markdown the review loader reads.

pdfminer.six (MIT, pure Python) reads the characters; PyMuPDF would be faster but is AGPL.
On top of the layout in `pdf_layout`: headings are told by size and weight, a word
hyphenated at a line end is rejoined, a URL or DOI broken over lines is glued back, and
the reference section is cut into entries by its own geometry (a hanging indent, `[12]` or
`12.` numbers, or the space between entries) across columns and pages, each entry's
continuation lines joined to it. A table's cells, pieces of one printed row, become a
tab-separated row. A paper citing in footnotes with no reference list is flagged, and its
notes kept out of the text. Every line keeps its page and its line on that page.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from statistics import median

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFException
from pdfminer.psexceptions import PSException

from citegraph.loaders.documents.pdf_layout import (
    Page,
    PdfLine,
    drop_running_lines,
    order_page,
    read_page,
)
from citegraph.loaders.documents.text import (
    DocumentError,
    DocumentText,
    Place,
    Run,
    empty,
    markdown,
    unreadable,
)
from citegraph.loaders.records import LoadResult, Severity
from citegraph.loaders.registry import register
from citegraph.loaders.review_text import ENTRY_START, LIST_NUMBER, REFERENCE_HEADING

FORMAT = "pdf"
#: boxes_flow=None: our own reading order replaces pdfminer's box ordering (and its cost).
LAYOUT = LAParams(boxes_flow=None)
URL_TAIL = re.compile(r"(?:https?://|www\.|doi\.org/|\b10\.\d{4,9}/)\S*$", re.I)
URL_STARTS = ("http://", "https://", "www.")
NOTE_NUMBER = re.compile(r"^\s*\d{1,3}[.)]?\s+\S")
YEAR = re.compile(r"(?<!\d)(?:1[5-9]\d\d|20\d\d)(?!\d)")


def read_pages(path: Path) -> list[Page]:
    """Every page's lines in reading order, running heads and page numbers dropped."""
    with path.open("rb") as handle:
        try:
            document = PDFDocument(PDFParser(handle))
        except PDFPasswordIncorrect:
            raise DocumentError("encrypted PDF: it needs a password to open") from None
        except PDFEncryptionError as error:
            raise DocumentError(f"encrypted PDF that cannot be opened ({error})") from None
        except (PDFException, PSException, ValueError, KeyError) as error:
            raise DocumentError(f"not a readable PDF ({type(error).__name__}: {error})") from None
        manager = PDFResourceManager(caching=True)
        device = PDFPageAggregator(manager, laparams=LAYOUT)
        interpreter = PDFPageInterpreter(manager, device)
        pages = []
        try:
            for number, page in enumerate(PDFPage.create_pages(document), 1):
                interpreter.process_page(page)
                pages.append(read_page(number, device.get_result()))
        except (PDFException, PSException, ValueError, KeyError) as error:
            raise DocumentError(f"damaged PDF ({type(error).__name__}: {error})") from None
    if not pages:
        raise DocumentError("the PDF has no pages")
    if not any(page.chars for page in pages):
        raise DocumentError("no text layer: run OCR first")
    drop_running_lines(pages)
    for page in pages:
        page.lines = order_page(page, page.lines)
    return pages


@dataclass
class _Style:
    """What the document's own typography says: body size, heading sizes, line pitch."""

    body: float
    heading_sizes: list[float]
    pitch: float

    @classmethod
    def of(cls, lines: list[PdfLine]) -> _Style:
        sizes: Counter[float] = Counter()
        for line in lines:
            sizes[round(line.size * 2) / 2] += len(line.text)
        body = sizes.most_common(1)[0][0] if sizes else 10.0
        big = sorted(
            {round(ln.size * 2) / 2 for ln in lines if ln.size >= 1.15 * body and _short(ln)},
            reverse=True,
        )
        steps = [
            b.top - a.top
            for a, b in zip(lines, lines[1:], strict=False)
            if a.page == b.page and a.column == b.column and 0 < b.top - a.top < 3 * body
        ]
        return cls(body, big, median(steps) if steps else 1.2 * body)

    def heading(self, line: PdfLine) -> int | None:
        """A heading's rank (1 is the biggest), or None for text."""
        text = line.text.strip()
        if not _short(line) or any(run.sup for run in line.runs):  # a byline's marks
            return None
        size = round(line.size * 2) / 2
        if size in self.heading_sizes:
            return self.heading_sizes.index(size) + 1
        if (line.all_bold and not text.endswith((",", ";"))) or REFERENCE_HEADING.match(text):
            return min(len(self.heading_sizes) + 1, 6)
        return None


def _short(line: PdfLine) -> bool:
    return 0 < len(line.text.split()) <= 20 and not line.text.strip().endswith(".")


def _first_word(runs: list[Run]) -> tuple[list[Run], list[Run]]:
    """The runs of the first word of a line, and the rest."""
    word: list[Run] = []
    for index, run in enumerate(runs):
        stripped = run.text.lstrip() if not word else run.text
        cut = re.search(r"\s", stripped)
        if cut is None:
            word.append(Run(stripped, run.italic, run.bold, run.sup))
            continue
        word.append(Run(stripped[: cut.start()], run.italic, run.bold, run.sup))
        rest = Run(stripped[cut.start() :].lstrip(), run.italic, run.bold, run.sup)
        return word, [rest, *runs[index + 1 :]]
    return word, []


#: Words that form hyphenated compounds: a line-end hyphen before one of them (or after
#: one of the prefixes) is the word's own (`results-based`, `self-control`), not the
#: typesetter's; otherwise the document's own spelling elsewhere decides.
COMPOUND_TAILS = frozenset(
    "based term level scale related specific oriented making wide like free led run "
    "driven centred centered focused informed sectional income class year old time "
    "wing violent reported".split()
)
COMPOUND_HEADS = frozenset("self cross quasi socio well non multi long short".split())


@dataclass
class _Words:
    """How the document spells words, to tell a typesetter's hyphen from a word's own."""

    hyphenated: set[str]
    plain: set[str]

    @classmethod
    def of(cls, lines: list[PdfLine]) -> _Words:
        hyphenated: set[str] = set()
        plain: set[str] = set()
        for line in lines:
            for token in line.text.split()[1:-1]:  # a line's edges may be halves of a word
                word = token.strip(".,;:()[]\"'“”‘’").lower()
                (hyphenated if "-" in word else plain).add(word)
        return cls(hyphenated, plain)

    def keeps_hyphen(self, head: str, tail: str) -> bool:
        if f"{head}-{tail}" in self.hyphenated or tail in COMPOUND_TAILS:
            return True
        return head in COMPOUND_HEADS and f"{head}{tail}" not in self.plain


def _glue(left: list[Run], right: list[Run], words: _Words) -> tuple[list[Run], list[Run]]:
    """Join a word broken at a line end: `situa-` + `tional`, `Gómez-` + `Mera`, a URL.

    Returns the left line with the word completed and what is left of the right line
    (the right line itself when nothing was joined). A hyphen before a capital is the
    word's own; before a lower-case letter it is the typesetter's unless `words` says
    the document spells the word with one.
    """
    text = "".join(r.text for r in left).rstrip()
    head = "".join(r.text for r in right).lstrip()
    if not text or not head:
        return left, right
    tail = text.split()[-1]
    spaced = re.search(r"([^\W\d_]+) -$", text)  # LibreOffice sets `partici -`
    rest_of = re.match(r"[^\W\d_]+", head)
    if spaced and rest_of and f"{spaced.group(1)}{rest_of.group(0)}".lower() in words.plain:
        # a spaced hyphen ending a line is a dash, unless the document spells the word
        # whole elsewhere: then it is the typesetter's, its space dropped
        last = left[-1]
        cut = last.text.rstrip()[:-1].rstrip() + "-"
        left, tail = [*left[:-1], Run(cut, last.italic, last.bold, last.sup)], f"{spaced.group(1)}-"
    hyphen = re.search(r"[^\W\d_]-$", tail) is not None and head[:1].isalpha()
    if re.search(r"\d[–-]$", tail) and head[:1].isdigit():  # pages `1–` / `20` are one range
        word, rest = _first_word(right)
        last = left[-1]
        return [*left[:-1], Run(last.text.rstrip(), last.italic, last.bold, last.sup), *word], rest
    url = URL_TAIL.search(tail) is not None and not tail.endswith((".", ",", ";"))
    url = url and re.match(r"[\w/.%?=&#~-]", head) is not None
    if url and not hyphen and re.match(r"[A-Z][a-z]+\b[^/.]", head):  # the next word
        url = False
    url = url or (len(tail) < 8 and f"{tail}{head}".lower().startswith(URL_STARTS))
    if not (hyphen or url):
        return left, right
    word, rest = _first_word(right)
    first = "".join(r.text for r in word)
    trimmed = [*left]
    last = trimmed[-1]
    trimmed[-1] = Run(last.text.rstrip(), last.italic, last.bold, last.sup)
    if hyphen and head[:1].islower() and not url:
        stem = re.sub(r"^\W+", "", tail[:-1]).lower()
        ending = re.sub(r"\W+$", "", first).lower()
        if not words.keeps_hyphen(stem, ending):
            last = trimmed[-1]
            trimmed[-1] = Run(last.text[:-1], last.italic, last.bold, last.sup)
    return [*trimmed, *word], rest


def _join(lines: list[PdfLine], words: _Words) -> list[tuple[PdfLine, list[Run]]]:
    """Each line with the words broken at its end completed from the lines after it; a
    line wholly taken up that way (the rest of a long URL) is no line of its own."""
    if not lines:
        return []
    joined: list[tuple[PdfLine, list[Run]]] = []
    line, runs = lines[0], lines[0].runs
    for following in lines[1:]:
        runs, rest = _glue(runs, following.runs, words)
        if "".join(r.text for r in rest).strip():
            joined.append((line, runs))
            line, runs = following, rest
    joined.append((line, runs))
    return joined


def _entry_starts(
    section: list[PdfLine], edges: dict[tuple[int, int], float], pitch: float
) -> list[bool] | None:
    """Which lines of the reference section begin an entry, from its geometry; None when
    nothing in it marks entries (the review loader then joins the lines by their text)."""
    numbers = [LIST_NUMBER.match(ln.text) for ln in section]
    expected, starts = None, []
    for match in numbers:
        value = int(match.group(1) or match.group(2)) if match else None
        starts.append(value is not None and (expected is None or value == expected))
        if value is not None and (expected is None or value == expected):
            expected = value + 1
    if sum(starts) >= 2:
        return starts
    indent = [ln.x0 - edges.get((ln.page, ln.column), ln.x0) for ln in section]
    indented = [i > 3 for i in indent]
    if any(indented) and not all(indented):
        hanging = not indented[0]
        return [not i if hanging else i for i in indented]
    gaps = [
        i > 0 and a.page == b.page and a.column == b.column and b.top - a.top > 1.3 * pitch
        for i, (a, b) in enumerate(zip([section[0], *section], section, strict=False))
    ]
    if any(gaps):
        # the first line of a column or page has no space above it to go by: it starts
        # an entry when it reads like the head of one and the line before ended one
        return [
            i == 0
            or g
            or (
                (a.page, a.column) != (b.page, b.column)
                and (
                    a.text.rstrip().endswith((".", ")"))
                    or URL_TAIL.search(a.text.rstrip()) is not None
                )
                and ENTRY_START.match(b.text.strip()) is not None
            )
            for i, (g, a, b) in enumerate(zip(gaps, [section[0], *section], section, strict=False))
        ]
    return None


def _column_edges(pages: list[Page]) -> dict[tuple[int, int], float]:
    edges: dict[tuple[int, int], float] = {}
    for page in pages:
        for line in page.lines:
            key = (page.number, line.column)
            edges[key] = min(edges.get(key, line.x0), line.x0)
    return edges


def compose(path: Path, pages: list[Page]) -> DocumentText:
    """The pages as Markdown lines for the review loader, each placed on its page."""
    doc = DocumentText(str(path), FORMAT)
    lines = [line for page in pages for line in page.lines]
    style = _Style.of(lines)
    notes, citing = _footnotes(pages, style)
    if (
        citing >= 2
        and _calls(lines, style) >= 2
        and not any(REFERENCE_HEADING.match(ln.text.strip()) for ln in lines)
    ):
        # cited in footnotes (Chicago notes, law reviews), no list: say so, and keep
        # the notes out of the text, whose citation finder would misread them
        doc.note(
            Severity.WARNING,
            f"footnote citation style: {citing} footnotes cite works (such as "
            f"'{notes[0].text.strip()[:60]}') and there is no reference list; the "
            "footnotes are not read",
            Place(notes[0].line, notes[0].page),
        )
        dropped = {id(line) for line in notes}
        lines = [line for line in lines if id(line) not in dropped]
    words = _Words.of(lines)
    edges = _column_edges(pages)
    levels = [style.heading(line) for line in lines]
    reference_level: int | None = None
    block: list[PdfLine] = []
    index = 0
    while index < len(lines) or block:
        if index < len(lines) and levels[index] is None:
            block.append(lines[index])
            index += 1
            continue
        if reference_level is None:
            _body(doc, block, style.pitch, words)
        else:
            _references(doc, block, edges, style.pitch, words)
        block = []
        if index == len(lines):
            break
        line, level = lines[index], levels[index]
        stop = index + 1  # a heading set on several lines is one heading
        while stop < len(lines) and levels[stop] == level and lines[stop].size == line.size:
            stop += 1
        doc.blank()
        text = " ".join(markdown(ln.runs).strip() for ln in lines[index:stop])
        doc.add(f"{'#' * (level or 1)} {text}", Place(line.line, line.page))
        doc.blank()
        if REFERENCE_HEADING.match(" ".join(ln.text.strip() for ln in lines[index:stop])):
            reference_level = level
        elif reference_level is not None and (level or 1) <= reference_level:
            reference_level = None
        index = stop
    return doc


def _footnotes(pages: list[Page], style: _Style) -> tuple[list[PdfLine], int]:
    """The lines of a page's footnotes, and how many notes cite a work.

    A note is set smaller than the body, in the page's lower half, and opens with its
    number (superscript or not); it cites a work when it holds a year. The lines from a
    page's first note down are its notes."""
    found: list[PdfLine] = []
    citing = 0
    for page in pages:
        small = [
            ln for ln in page.lines if ln.size < 0.92 * style.body and ln.top > 0.5 * page.height
        ]
        opens = [
            i
            for i, ln in enumerate(small)
            if (ln.runs and ln.runs[0].sup) or NOTE_NUMBER.match(ln.text)
        ]
        if not opens:
            continue
        found += small[opens[0] :]
        for a, b in zip(opens, [*opens[1:], len(small)], strict=True):
            citing += any(YEAR.search(ln.text) for ln in small[a:b])
    return found, citing


def _calls(lines: list[PdfLine], style: _Style) -> int:
    """Superscript numbers in body-size lines: where the text calls its notes."""
    return sum(
        1
        for line in lines
        if line.size >= 0.92 * style.body
        for run in line.runs
        if run.sup and run.text.strip().isdigit()
    )


def _printed(runs: list[Run]) -> str:
    """The runs as Markdown, a run of spaces as one: LibreOffice ends every line with a
    space and pads justified lines, and a doubled space once split `Darrell L.  Guder`
    from its name for the reference parser."""
    return re.sub(r"(?<=\S) {2,}", " ", markdown(runs).strip())


def _body(doc: DocumentText, block: list[PdfLine], pitch: float, words: _Words) -> None:
    """Body lines as printed (words broken at line ends rejoined), a blank line where the
    space before a line says a paragraph begins."""
    previous: PdfLine | None = None
    for line, runs in _join(block, words):
        if previous and previous.page == line.page and previous.column == line.column:
            if line.top - previous.top > 1.45 * pitch:
                doc.blank()
        previous = line
        text = _printed(runs)
        if text:
            doc.add(text, Place(line.line, line.page))


def _references(
    doc: DocumentText,
    section: list[PdfLine],
    edges: dict[tuple[int, int], float],
    pitch: float,
    words: _Words,
) -> None:
    """One line per entry (placed where it begins), or the lines as printed."""
    if not section:
        return
    starts = _entry_starts(section, edges, pitch)
    if starts is None:
        for line, printed in _join(section, words):
            doc.add(_printed(printed), Place(line.line, line.page))
        return
    entries: list[list[PdfLine]] = []
    for line, start in zip(section, starts, strict=True):
        if start or not entries:
            entries.append([line])
        else:
            entries[-1].append(line)
    for entry in entries:
        runs: list[Run] = []
        for _line, piece in _join(entry, words):
            if runs and piece:
                runs.append(Run(" "))
            runs.extend(piece)
        doc.add(_printed(runs), Place(entry[0].line, entry[0].page))


def _sniff(head: str, suffix: str) -> bool:
    return "%PDF-" in head[:1024]


@register(
    FORMAT,
    suffixes=(".pdf",),
    sniff=_sniff,
    priority=5,
    description="A review as a PDF (text layer): reading order, references, page and line",
)
def load(path: Path) -> LoadResult:
    """Read a PDF review: the same records as its text, placed by page and line."""
    nothing = empty(path, FORMAT)
    if nothing is not None:
        return nothing
    try:
        pages = read_pages(path)
    except DocumentError as error:
        return unreadable(path, FORMAT, str(error))
    return compose(path, pages).to_review()
