"""A review as an HTML page (a journal's full-text view, a saved web page, pandoc output).

The standard library's HTML parser reads it: `h1`-`h6` are headings, block elements
(`p`, `li`, `div`, `blockquote`, `br`) are lines, `i`/`em`/`cite` italic, `b`/`strong`
bold, `sup` superscript, a table row one tab-separated line; scripts, styles and
navigation are skipped. Each line's place is the source line its block starts on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from citegraph.loaders.documents.text import DocumentText, Place, Run, empty, markdown
from citegraph.loaders.records import LoadResult
from citegraph.loaders.registry import register
from citegraph.loaders.text import read_text

FORMAT = "html"
BLOCKS = {"p", "li", "div", "blockquote", "dd", "dt", "section", "article", "caption"}
HEADINGS = {f"h{n}": n for n in range(1, 7)}
SKIPPED = {"script", "style", "nav", "head", "noscript", "template", "svg"}
ITALIC = {"i", "em", "cite", "var"}
BOLD = {"b", "strong"}


@dataclass
class _Parser(HTMLParser):
    doc: DocumentText
    runs: list[Run] = field(default_factory=list)
    start: int = 1
    level: int = 0
    skip: int = 0
    italic: int = 0
    bold: int = 0
    sup: int = 0
    cells: list[list[Run]] | None = None

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self.skip += 1
        elif tag in HEADINGS or tag in BLOCKS or tag == "br":
            self._line()
            self.level = HEADINGS.get(tag, 0)
        elif tag == "tr":
            self._line()
            self.cells = []
        elif tag in ("td", "th") and self.cells is not None:
            self.cells.append([])
        self.italic += tag in ITALIC
        self.bold += tag in BOLD
        self.sup += tag == "sup"

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skip = max(0, self.skip - 1)
        elif tag in HEADINGS or tag in BLOCKS:
            self._line()
        elif tag == "tr" and self.cells is not None:
            row = [markdown(cell).strip() for cell in self.cells]
            if any(row):
                self.doc.add("\t".join(row), Place(self.start))
            self.cells = None
        self.italic -= tag in ITALIC and self.italic > 0
        self.bold -= tag in BOLD and self.bold > 0
        self.sup -= tag == "sup" and self.sup > 0

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        text = re.sub(r"\s+", " ", data)
        if not self.runs and not (self.cells or []) and text.strip():
            self.start = self.getpos()[0]
        run = Run(text, self.italic > 0, self.bold > 0, self.sup > 0)
        if self.cells:
            self.cells[-1].append(run)
        elif self.cells is None:
            self.runs.append(run)

    def _line(self) -> None:
        text = markdown(self.runs).strip()
        self.runs = []
        if text:
            self.doc.blank()
            self.doc.add(f"{'#' * self.level} {text}" if self.level else text, Place(self.start))
            self.doc.blank()
        self.level = 0


def _sniff(head: str, suffix: str) -> bool:
    start = head.lstrip()[:200].lower()
    return start.startswith(("<!doctype html", "<html")) or (
        suffix in (".html", ".htm", ".xhtml") and "<body" in head.lower()
    )


@register(
    FORMAT,
    suffixes=(".html", ".htm", ".xhtml"),
    sniff=_sniff,
    priority=8,
    description="A review as an HTML page: headings, paragraphs, tables, emphasis",
)
def load(path: Path) -> LoadResult:
    """Read an HTML review: its records as the text's, placed by source line."""
    nothing = empty(path, FORMAT)
    if nothing is not None:
        return nothing
    text_file = read_text(path, FORMAT)
    doc = DocumentText(str(path), FORMAT, issues=list(text_file.issues))
    parser = _Parser(doc)
    parser.feed(text_file.text)
    parser.close()
    parser._line()
    return doc.to_review()
