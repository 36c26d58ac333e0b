"""Papers whose reference lists are real, tagged reference strings, typeset many ways.

The synthetic reviews of `documents.py` print references the project wrote; a journal's
list is messier. Here each paper takes its list from AnyStyle's tagged strings (BSD-2,
`../shared/training/anystyle/`, the fifth `reference_training.split` holds out from the
CRF) so that the title, year and first author of every entry are known, and prints it
the way journals and word processors do: one or two columns, serif or sans fonts of
several sizes, running heads and footers, page numbers, hyphenated words, lists crossing
columns and pages, hanging indents or space between entries, `[12]` and `12.` numbers as
well as author-date. Three typesetters: reportlab, and LibreOffice headless converting an
ODT (odfpy) or a DOCX (python-docx).
"""

from __future__ import annotations

import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import documents  # noqa: E402

from citegraph.loaders.reference_training import Tagged  # noqa: E402

#: A paragraph: (text, italic) pieces.
Pieces = list[tuple[str, bool]]


@dataclass(frozen=True)
class Layout:
    """How one paper is printed."""

    name: str
    engine: str  # reportlab, odt, docx
    columns: int
    font: str
    size: float
    numbering: str = ""  # "", "[1]" or "1."
    hanging: bool = True  # else a space between entries, no indent
    running: bool = True  # a running head and a footer with the page number
    hyphenate: bool = True
    references: int = 40
    italic_container: bool = True
    heading: str = "References"


LAYOUTS = (
    Layout("rl-2col-apa", "reportlab", 2, "Vera", 8.5, references=60),
    Layout("rl-1col-times", "reportlab", 1, "Times-Roman", 11, references=35),
    Layout("rl-2col-numbered", "reportlab", 2, "Helvetica", 8, "[1]", references=50),
    Layout("rl-1col-dotted-spaced", "reportlab", 1, "Vera", 10, "1.", hanging=False),
    Layout(
        "rl-2col-small-noheads",
        "reportlab",
        2,
        "Times-Roman",
        7.5,
        running=False,
        references=80,
        italic_container=False,
        heading="Bibliography",
    ),
    Layout("odt-2col-serif", "odt", 2, "Liberation Serif", 9.5, references=60),
    Layout("odt-1col-sans", "odt", 1, "Liberation Sans", 10.5, references=35),
    Layout("odt-2col-numbered", "odt", 2, "DejaVu Serif", 8, "[1]", references=45),
    Layout("odt-1col-spaced", "odt", 1, "Carlito", 11, hanging=False, heading="Works Cited"),
    Layout("docx-1col-carlito", "docx", 1, "Carlito", 11, references=45),
    Layout("docx-2col-numbered", "docx", 2, "Liberation Serif", 9, "1.", references=50),
    Layout(
        "docx-2col-apa", "docx", 2, "Liberation Sans", 8.5, references=70, italic_container=False
    ),
)

_CONTAINERS = {"container-title", "journal"}
_TOPICS = (
    "neighbourhood disorder",
    "police legitimacy",
    "school segregation",
    "welfare reform",
    "collective efficacy",
    "labour market entry",
    "civic participation",
    "crime concentration",
    "migration networks",
    "intergenerational mobility",
    "public trust",
    "youth violence",
)
_VERBS = ("shows", "argues", "finds", "suggests", "reports", "documents")


@dataclass(frozen=True)
class Paper:
    layout: Layout
    title: str
    body: list[tuple[str, list[Pieces]]]  # (section heading, paragraphs)
    references: list[Tagged]

    def entry(self, index: int) -> Pieces:
        """The printed entry: its number, if any, then its segments (the container in
        italics where the style says so)."""
        tagged = self.references[index]
        number = {"[1]": f"[{index + 1}] ", "1.": f"{index + 1}. "}.get(self.layout.numbering, "")
        pieces: Pieces = [(number, False)] if number else []
        for position, (label, text) in enumerate(tagged.segments):
            if label == "citation-number":
                continue
            space = " " if position < len(tagged.segments) - 1 else ""
            italic = self.layout.italic_container and label in _CONTAINERS
            pieces.append((text, italic))
            pieces.append((space, False))
        return pieces

    def markdown(self, index: int) -> str:
        """The entry as the review loader should be given it: its number (the list
        marker) dropped, italics as `*...*`."""
        pieces = self.entry(index)[1 if self.layout.numbering else 0 :]
        return "".join(f"*{t}*" if italic and t.strip() else t for t, italic in pieces).strip()


def _cite_name(tagged: Tagged) -> str:
    creators = tagged.creators or "Anon"
    words = re.findall(r"[A-ZÀ-Þ][\w'’-]+", creators)
    return words[0] if words else "Anon"


def paper(layout: Layout, pool: list[Tagged], seed: int) -> Paper:
    """A paper citing `layout.references` strings of `pool`, its body citing each once."""
    rng = random.Random(seed)
    chosen = rng.sample(pool, layout.references)
    if not layout.numbering:
        chosen.sort(key=lambda t: (_cite_name(t), t.year or 0))
    sections = ["Introduction", "Theory and prior research", "Data and methods", "Discussion"]
    body: list[tuple[str, list[Pieces]]] = []
    per = max(1, len(chosen) // len(sections) // 2)
    cursor = 0
    order = list(range(len(chosen)))
    rng.shuffle(order)
    for heading in sections:
        paragraphs = []
        for _ in range(2):
            sentences = []
            for _ in range(rng.randint(4, 7)):
                topic, verb = rng.choice(_TOPICS), rng.choice(_VERBS)
                cited = order[cursor : cursor + per] if cursor < len(order) else []
                cursor += len(cited)
                sentences.append(
                    f"Work on {topic} {verb} that contextual effects differ between "
                    f"comparable settings and over time{_pointer(layout, chosen, cited)}."
                )
            paragraphs.append([(" ".join(sentences), False)])
        body.append((heading, paragraphs))
    title = f"{rng.choice(_TOPICS).capitalize()} and {rng.choice(_TOPICS)}: a comparative study"
    return Paper(layout, title, body, chosen)


def _pointer(layout: Layout, chosen: list[Tagged], cited: list[int]) -> str:
    if not cited:
        return ""
    if layout.numbering:
        return " [" + ", ".join(str(i + 1) for i in sorted(cited)) + "]"
    return (
        " ("
        + "; ".join(f"{_cite_name(chosen[i])}, {chosen[i].year or 'n.d.'}" for i in cited)
        + ")"
    )


RUNNING_HEAD = "Journal of Comparative Social Inquiry"


# ---------------------------------------------------------------- reportlab


def _markup(pieces: Pieces, hyphenate: bool) -> str:
    import html

    out = []
    for text, italic in pieces:
        text = html.escape(text, quote=False)
        if hyphenate:
            text = documents._soft_hyphens(text)
        out.append(f"<i>{text}</i>" if italic and text.strip() else text)
    return "".join(out)


def render_reportlab(p: Paper, out: Path) -> Path:
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        FrameBreak,
        NextPageTemplate,
        PageTemplate,
        Paragraph,
    )

    layout = p.layout
    regular = documents._fonts() if layout.font == "Vera" else layout.font
    bold = {"Vera": "Vera-Bold", "Times-Roman": "Times-Bold"}.get(
        layout.font, f"{layout.font}-Bold"
    )
    if layout.font == "Times-Roman":
        from reportlab.lib.fonts import addMapping

        addMapping("Times-Roman", 0, 1, "Times-Italic")
    width, height = A4
    margin, gutter = 56.0, 16.0
    column = (width - 2 * margin - (layout.columns - 1) * gutter) / layout.columns
    body = ParagraphStyle(
        "b",
        fontName=regular,
        fontSize=layout.size,
        leading=layout.size * 1.25,
        alignment=TA_JUSTIFY,
        spaceAfter=layout.size * 0.5,
        embeddedHyphenation=1,
    )
    head = ParagraphStyle(
        "h",
        parent=body,
        fontName=bold,
        fontSize=layout.size + 2,
        leading=(layout.size + 2) * 1.3,
        spaceBefore=6,
        alignment=0,
    )
    title = ParagraphStyle(
        "t", parent=head, fontSize=layout.size + 8, leading=(layout.size + 8) * 1.2
    )
    indent = 14 if layout.hanging else 0
    ref = ParagraphStyle(
        "r",
        parent=body,
        leftIndent=indent,
        firstLineIndent=-indent,
        spaceAfter=1 if layout.hanging else layout.size * 0.6,
        alignment=0,
    )

    def decorate(canvas: object, doc: object) -> None:
        if not layout.running:
            return
        c = canvas
        c.saveState()  # type: ignore[attr-defined]
        c.setFont(regular, 7)  # type: ignore[attr-defined]
        c.drawRightString(width - margin, height - 32, RUNNING_HEAD)  # type: ignore[attr-defined]
        number = c.getPageNumber()  # type: ignore[attr-defined]
        c.drawCentredString(width / 2, 30, f"Page {number}")  # type: ignore[attr-defined]
        c.restoreState()  # type: ignore[attr-defined]

    def frames(top: float) -> list[Frame]:
        return [
            Frame(margin + i * (column + gutter), margin, column, top - margin, id=f"c{i}")
            for i in range(layout.columns)
        ]

    block = 90.0
    first = [
        Frame(margin, height - margin - block, width - 2 * margin, block, id="t"),
        *frames(height - margin - block),
    ]
    doc = BaseDocTemplate(str(out), pagesize=A4, title=p.title)
    doc.addPageTemplates(
        [
            PageTemplate("first", first, onPage=decorate),
            PageTemplate("later", frames(height - margin), onPage=decorate),
        ]
    )
    story: list[object] = [
        NextPageTemplate("later"),
        Paragraph(p.title, title),
        Paragraph("A. Author and B. Author", body),
        FrameBreak(),
    ]
    for heading, paragraphs in p.body:
        story.append(Paragraph(heading, head))
        story += [Paragraph(_markup(par, layout.hyphenate), body) for par in paragraphs]
    story.append(Paragraph(layout.heading, head))
    story += [
        Paragraph(_markup(p.entry(i), layout.hyphenate), ref) for i in range(len(p.references))
    ]
    doc.build(story)
    return out


def render(p: Paper, out: Path) -> Path:
    """The paper as a PDF at `out`, through its layout's typesetter."""
    if p.layout.engine == "reportlab":
        return render_reportlab(p, out)
    import papers_office

    source = out.with_suffix(f".{p.layout.engine}")
    write = papers_office.paper_odt if p.layout.engine == "odt" else papers_office.paper_docx
    write(p, source)
    return papers_office.soffice(source, out)
