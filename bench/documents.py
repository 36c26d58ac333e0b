"""Synthetic documents from a Markdown review: PDF (reportlab), DOCX (python-docx), HTML.

The tests and the PDF benchmark render the bundled example review (or a generated one)
the way journals and word processors print them, traps included: two columns, a running
head and page numbers on every page, words hyphenated at line ends, fi/fl ligatures,
italic titles, hanging-indent references, a reference list crossing columns and pages,
and, in DOCX, Zotero and Mendeley citation fields carrying CSL-JSON.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
ITEM = re.compile(r"^\s*[-*]\s+")
RUNNING_HEAD = "Citizen security review, rendered by citegraph's test suite"


@dataclass
class Block:
    kind: str  # heading, paragraph, item, row
    text: str
    level: int = 0


def blocks(markdown: str) -> Iterator[Block]:
    """The review's headings, paragraphs, list items and tab-separated table rows."""
    for line in markdown.split("\n"):
        if not line.strip():
            continue
        heading = HEADING.match(line)
        if heading:
            yield Block("heading", heading.group(2).strip(), len(heading.group(1)))
        elif ITEM.match(line):
            yield Block("item", ITEM.sub("", line).strip())
        elif "\t" in line:
            yield Block("row", line.strip("\n"))
        else:
            yield Block("paragraph", line.strip())


def plain_inline(text: str) -> str:
    """Markdown links and escapes as printed text: `[a](b)` -> `a`, `<url>` -> `url`."""
    text = re.sub(r"\[([^\]]*)\]\((?:[^)]*)\)", r"\1", text)
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    return text.replace("\\\\_", "_").replace("\\_", "_")


# ---------------------------------------------------------------- PDF (reportlab)


def _ligatures(text: str) -> str:
    return text.replace("fi", "\ufb01").replace("fl", "\ufb02")


def _soft_hyphens(text: str) -> str:
    """A soft hyphen in the middle of every long plain word, where reportlab may break."""

    def split(match: re.Match[str]) -> str:
        word = match.group(0)
        middle = len(word) // 2
        return f"{word[:middle]}\xad{word[middle:]}"

    return re.sub(r"(?<![\w/.:-])[a-z]{11,}(?![\w/.:-])", split, text)


def _reportlab_markup(text: str, hyphenate: bool = True) -> str:
    """Inline Markdown as reportlab paragraph markup (italic, bold, superscript)."""
    text = html.escape(plain_inline(text), quote=False)
    text = re.sub(r"&lt;sup&gt;(.*?)&lt;/sup&gt;", r"<super>\1</super>", text)
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<i>\1</i>", text)
    if hyphenate:
        text = _soft_hyphens(text)
    return _ligatures(text)


def _fonts() -> str:
    """Bitstream Vera, shipped inside reportlab: a real embedded TrueType font with fi/fl."""
    import reportlab
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = Path(reportlab.__file__).parent / "fonts"
    for name, file, bold, italic in (
        ("Vera", "Vera.ttf", 0, 0),
        ("Vera-Bold", "VeraBd.ttf", 1, 0),
        ("Vera-Italic", "VeraIt.ttf", 0, 1),
        ("Vera-BoldItalic", "VeraBI.ttf", 1, 1),
    ):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(folder / file)))
        addMapping("Vera", bold, italic, name)
    return "Vera"


def review_pdf(
    markdown: str,
    out: Path,
    *,
    columns: int = 2,
    encrypt: str | None = None,
    body_size: float = 8.8,
) -> Path:
    """The review typeset as a journal article: title block across the page, then two
    columns; running head and page number on every page; references with hanging indents.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        FrameBreak,
        NextPageTemplate,
        PageTemplate,
        Paragraph,
        Table,
    )

    font = _fonts()
    width, height = A4
    margin, gutter = 50.0, 18.0
    column = (width - 2 * margin - (columns - 1) * gutter) / columns
    body = ParagraphStyle(
        "body",
        fontName=font,
        fontSize=body_size,
        leading=body_size * 1.3,
        spaceAfter=body_size * 0.8,
        embeddedHyphenation=1,
    )
    styles = {
        level: ParagraphStyle(
            f"h{level}",
            parent=body,
            fontName=f"{font}-Bold",
            fontSize=body_size + max(0, 6 - 2 * level) + 1,
            leading=(body_size + max(0, 6 - 2 * level) + 1) * 1.25,
            spaceBefore=4,
        )
        for level in range(1, 7)
    }
    reference = ParagraphStyle(
        "reference", parent=body, leftIndent=12, firstLineIndent=-12, spaceAfter=2
    )

    def decorate(canvas: object, doc: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(font, 7.5)  # type: ignore[attr-defined]
        canvas.drawString(margin, height - 30, RUNNING_HEAD)  # type: ignore[attr-defined]
        number = canvas.getPageNumber()  # type: ignore[attr-defined]
        canvas.drawCentredString(width / 2, 28, str(number))  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    def frames(top: float) -> list[Frame]:
        return [
            Frame(margin + i * (column + gutter), margin, column, top - margin, id=f"c{i}")
            for i in range(columns)
        ]

    title_height = 230.0
    first = [
        Frame(margin, height - margin - title_height, width - 2 * margin, title_height, id="t"),
        *frames(height - margin - title_height),
    ]
    doc = BaseDocTemplate(str(out), pagesize=A4, encrypt=encrypt, title="citegraph fixture")
    doc.addPageTemplates(
        [
            PageTemplate("first", first, onPage=decorate),
            PageTemplate("later", frames(height - margin), onPage=decorate),
        ]
    )
    story: list[object] = [NextPageTemplate("later")]
    in_title, in_references = True, False
    cell = ParagraphStyle("cell", parent=body, fontSize=body_size - 1.5, spaceAfter=0)
    rows: list[list[object]] = []
    for block in blocks(markdown):
        if rows and block.kind != "row":  # a table of the rows before: one cell a column
            story.append(Table(rows, colWidths=[0.3 * column, 0.7 * column]))
            rows = []
        if block.kind == "heading":
            if in_title and block.text.strip("#* :").upper() not in ("KEYWORDS", "ABSTRACT"):
                if len(story) > 2:  # the title block ends at the first body section
                    story.append(FrameBreak())
                    in_title = False
            in_references = "REFERENCES" in block.text.upper()
            story.append(Paragraph(_reportlab_markup(block.text, False), styles[block.level]))
        elif block.kind == "row":
            rows.append(
                [Paragraph(_reportlab_markup(c, False), cell) for c in block.text.split("\t")]
            )
            continue
        else:
            style = reference if in_references else body
            story.append(Paragraph(_reportlab_markup(block.text), style))
    doc.build(story)
    return out


FOOTNOTED = (
    "Informal social control has a long history in criminology.{1} Its link to the design "
    "of places came later, when architects and planners took up the question.{2} ",
    "Both strands meet in community crime prevention, which the review below follows "
    "through its programmes in Latin America.{3}",
)
NOTES = (
    "Travis Hirschi, Causes of Delinquency (Berkeley: University of California Press, "
    "1969), 16-34.",
    "Oscar Newman, Defensible Space: Crime Prevention through Urban Design (New York: "
    "Macmillan, 1972), 3.",
    "Paul Cozens, “Crime Prevention through Environmental Design in Western Australia,” "
    "International Journal of Sustainable Development and Planning 3, no. 3 (2008): 272.",
)


def footnoted_pdf(out: Path, pages: int = 2) -> Path:
    """A paper that cites in footnotes (Chicago notes) and prints no reference list: body
    text calling notes with superscript numbers, the notes set small at the page foot."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageTemplate, Paragraph

    font = _fonts()
    width, height = A4
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=13, spaceAfter=6)
    heading = ParagraphStyle("h", parent=body, fontName=f"{font}-Bold", fontSize=14, leading=18)
    note = ParagraphStyle("note", parent=body, fontSize=7.5, leading=9, spaceAfter=2)
    frames = [
        Frame(60, 200, width - 120, height - 260, id="body"),
        Frame(60, 60, width - 120, 130, id="notes"),
    ]
    doc = BaseDocTemplate(str(out), pagesize=A4)
    doc.addPageTemplates([PageTemplate("page", frames)])
    story: list[object] = [Paragraph("Informal control and the design of places", heading)]
    number = 0
    for page in range(pages):
        for paragraph in FOOTNOTED * 3:  # the body outweighs the notes, as in a paper
            for call in range(1, 4):  # each page calls its own three notes
                paragraph = paragraph.replace(f"{{{call}}}", f"<super>{call + 3 * page}</super>")
            story.append(Paragraph(paragraph, body))
        story.append(FrameBreak())
        for text in NOTES:
            number += 1
            story.append(Paragraph(f"<super>{number}</super> {html.escape(text)}", note))
        story.append(FrameBreak())
    doc.build(story)
    return out


def scanned_pdf(out: Path) -> Path:
    """A 'scan': pages holding only an image, no text layer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    pixels = _grey_png()
    canvas = Canvas(str(out), pagesize=A4)
    for _ in range(2):
        canvas.drawImage(ImageReader(pixels), 50, 50, 400, 600)
        canvas.showPage()
    canvas.save()
    return out


def _grey_png() -> object:
    """A small grey PNG made with the standard library (no Pillow needed to write it)."""
    import io
    import struct
    import zlib

    size = 32
    raw = b"".join(b"\x00" + bytes([(x * y) % 256 for x in range(size)]) for y in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    return io.BytesIO(png)


def csl_citation(items: list[dict[str, object]], printed: str, zotero: bool = True) -> str:
    """The instruction text of a Zotero (or Mendeley) citation field."""
    payload = {
        "citationID": "c" + str(abs(hash(printed)) % 10**6),
        "properties": {"formattedCitation": printed, "plainCitation": printed},
        "citationItems": [
            {"id": i + 1, "uris": [f"http://zotero.org/users/1/items/ITEM{i}"], "itemData": item}
            for i, item in enumerate(items)
        ],
        "schema": "https://github.com/citation-style-language/schema/raw/master/csl-citation.json",
    }
    head = "ADDIN ZOTERO_ITEM CSL_CITATION" if zotero else "ADDIN CSL_CITATION"
    return f" {head} {json.dumps(payload, ensure_ascii=False)} "


# ---------------------------------------------------------------- DOCX (python-docx)

INLINE = re.compile(r"(\*\*.+?\*\*|(?<![\w*])\*(?!\s).+?(?<!\s)\*(?![\w*])|<sup>.*?</sup>)")


def _inline_runs(text: str) -> Iterator[tuple[str, bool, bool, bool]]:
    """(text, italic, bold, superscript) pieces of one Markdown line."""
    for piece in INLINE.split(plain_inline(text)):
        if not piece:
            continue
        if piece.startswith("**"):
            for inner, italic, _, sup in _inline_runs(piece[2:-2]):
                yield inner, italic, True, sup
        elif piece.startswith("<sup>"):
            yield piece[5:-6], False, False, True
        elif piece.startswith("*") and piece.endswith("*") and len(piece) > 2:
            yield piece[1:-1], True, False, False
        else:
            yield piece, False, False, False


def _field(paragraph: object, instruction: str, printed: str) -> None:
    """A complex field as Word writes it: begin, instruction, separate, result, end."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> None:
        run = paragraph.add_run()  # type: ignore[attr-defined]
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    run = paragraph.add_run()  # type: ignore[attr-defined]
    middle = len(instruction) // 2  # Word splits long instructions over several runs
    for part in (instruction[:middle], instruction[middle:]):
        text = OxmlElement("w:instrText")
        text.set(qn("xml:space"), "preserve")
        text.text = part
        run._r.append(text)
    char("separate")
    paragraph.add_run(printed)  # type: ignore[attr-defined]
    char("end")


def _write_runs(paragraph: object, text: str, fields: dict[str, str]) -> None:
    keys = sorted(fields, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(k) for k in keys)) if keys else None
    position = 0
    for match in pattern.finditer(text) if pattern else ():
        _styled(paragraph, text[position : match.start()])
        _field(paragraph, fields[match.group(0)], match.group(0))
        position = match.end()
    _styled(paragraph, text[position:])


def _styled(paragraph: object, text: str) -> None:
    for piece, italic, bold, sup in _inline_runs(text):
        run = paragraph.add_run(piece)  # type: ignore[attr-defined]
        run.italic = italic or None
        run.bold = bold or None
        if sup:
            run.font.superscript = True


def review_docx(
    markdown: str, out: Path, fields: dict[str, str] | None = None, footnotes: bool = False
) -> Path:
    """The review as a Word manuscript: heading styles, emphasis runs, tables for tab rows,
    and a citation field (Zotero or Mendeley instruction text) for each printed citation
    named in `fields`."""
    import docx

    document = docx.Document()
    fields = fields or {}
    rows: list[list[str]] = []

    def flush_table() -> None:
        if rows:
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for i, row in enumerate(rows):
                for j, cell in enumerate(row):
                    table.cell(i, j).paragraphs[0].text = ""
                    _write_runs(table.cell(i, j).paragraphs[0], cell, fields)
            rows.clear()

    for block in blocks(markdown):
        if block.kind == "row":
            rows.append(block.text.split("\t"))
            continue
        flush_table()
        if block.kind == "heading":
            paragraph = document.add_heading("", level=max(0, block.level - 1))
        else:
            paragraph = document.add_paragraph()
        _write_runs(paragraph, block.text, fields)
    flush_table()
    document.save(str(out))
    return out


_NOTE_PARTS = {
    "footnote": (
        "footnotes",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
    ),
    "endnote": (
        "endnotes",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml",
    ),
}


def with_notes(path: Path, notes: list[tuple[str, str, str]]) -> Path:
    """Add real footnote and endnote parts to a DOCX, as Word writes them (python-docx
    cannot): each (kind, phrase, text) puts a note of `kind` holding `text` after the
    paragraph containing `phrase`, called by a superscript reference run."""
    import zipfile

    from lxml import etree

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    q = f"{{{w}}}"
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    body = etree.fromstring(parts["word/document.xml"])
    bodies: dict[str, list[str]] = {"footnote": [], "endnote": []}
    for kind, phrase, text in notes:
        paragraph = next(p for p in body.iter(f"{q}p") if phrase in "".join(p.itertext()))
        number = len(bodies[kind]) + 1
        run = etree.SubElement(paragraph, f"{q}r")
        props = etree.SubElement(run, f"{q}rPr")
        etree.SubElement(props, f"{q}vertAlign").set(f"{q}val", "superscript")
        etree.SubElement(run, f"{q}{kind}Reference").set(f"{q}id", str(number))
        bodies[kind].append(
            f'<w:{kind} w:id="{number}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/>'
            f'</w:rPr><w:{kind}Ref/></w:r><w:r><w:t xml:space="preserve"> {html.escape(text)}'
            f"</w:t></w:r></w:p></w:{kind}>"
        )
    parts["word/document.xml"] = etree.tostring(body, xml_declaration=True, encoding="UTF-8")
    types = parts["[Content_Types].xml"].decode()
    rels = parts["word/_rels/document.xml.rels"].decode()
    for kind, found in bodies.items():
        name, content_type = _NOTE_PARTS[kind]
        separators = (
            f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
            f'</w:{kind}><w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r>'
            f"<w:continuationSeparator/></w:r></w:p></w:{kind}>"
        )
        parts[f"word/{name}.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{name} xmlns:w="{w}">'
            f"{separators}{''.join(found)}</w:{name}>"
        ).encode()
        types = types.replace(
            "</Types>",
            f'<Override PartName="/word/{name}.xml" ContentType="{content_type}"/></Types>',
        )
        rels = rels.replace(
            "</Relationships>",
            f'<Relationship Id="rId{name}" Type="http://schemas.openxmlformats.org/'
            f'officeDocument/2006/relationships/{name}" Target="{name}.xml"/></Relationships>',
        )
    parts["[Content_Types].xml"], parts["word/_rels/document.xml.rels"] = (
        types.encode(),
        rels.encode(),
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return path


# ---------------------------------------------------------------- ODT (odfpy)


def review_odt(markdown: str, out: Path, fields: dict[str, str] | None = None) -> Path:
    """The review as a LibreOffice text: headings, emphasis spans, tables, and Zotero's
    reference marks (the CSL-JSON in the mark's name) around the printed citations."""
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, P, ReferenceMarkEnd, ReferenceMarkStart, Span

    document = OpenDocumentText()
    spans = {}
    for name, props in (
        ("I", {"fontstyle": "italic"}),
        ("B", {"fontweight": "bold"}),
        ("BI", {"fontstyle": "italic", "fontweight": "bold"}),
        ("S", {"textposition": "super 58%"}),
        ("BS", {"fontweight": "bold", "textposition": "super 58%"}),
    ):
        style = Style(name=name, family="text")
        style.addElement(TextProperties(**props))
        document.automaticstyles.addElement(style)
        spans[name] = style
    fields = fields or {}
    keys = sorted(fields, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(k) for k in keys)) if keys else None

    def styled(parent: object, text: str) -> None:
        for piece, italic, bold, sup in _inline_runs(text):
            name = ("B" if bold else "") + ("I" if italic else "") + ("S" if sup else "")
            if name in ("IS", "BIS"):
                name = "S"
            if name:
                parent.addElement(Span(stylename=spans[name], text=piece))  # type: ignore[attr-defined]
            else:
                parent.addText(piece)  # type: ignore[attr-defined]

    def write(parent: object, text: str) -> None:
        position = 0
        for number, match in enumerate(pattern.finditer(text) if pattern else ()):
            styled(parent, text[position : match.start()])
            mark = f"ZOTERO_ITEM{fields[match.group(0)].split('ADDIN ZOTERO_ITEM', 1)[-1].rstrip()}"
            mark = f"{mark} RND{number:06d}"
            parent.addElement(ReferenceMarkStart(name=mark))  # type: ignore[attr-defined]
            parent.addText(match.group(0))  # type: ignore[attr-defined]
            parent.addElement(ReferenceMarkEnd(name=mark))  # type: ignore[attr-defined]
            position = match.end()
        styled(parent, text[position:])

    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            table = Table(name=f"Table{id(rows) % 1000}")
            table.addElement(TableColumn(numbercolumnsrepeated=max(len(r) for r in rows)))
            for row in rows:
                element = TableRow()
                for cell in row:
                    holder = TableCell()
                    paragraph = P()
                    write(paragraph, cell)
                    holder.addElement(paragraph)
                    element.addElement(holder)
                table.addElement(element)
            document.text.addElement(table)
            rows.clear()

    for block in blocks(markdown):
        if block.kind == "row":
            rows.append(block.text.split("\t"))
            continue
        flush()
        element = H(outlinelevel=block.level) if block.kind == "heading" else P()
        write(element, block.text)
        document.text.addElement(element)
    flush()
    document.save(str(out))
    return out


# ---------------------------------------------------------------- HTML


def review_html(markdown: str, out: Path) -> Path:
    """The review as a journal's full-text HTML page, with a script and navigation to skip."""

    def inline(text: str) -> str:
        parts = []
        for piece, italic, bold, sup in _inline_runs(text):
            piece = html.escape(piece)
            piece = f"<sup>{piece}</sup>" if sup else piece
            piece = f"<em>{piece}</em>" if italic else piece
            parts.append(f"<strong>{piece}</strong>" if bold else piece)
        return "".join(parts)

    lines = [
        "<!DOCTYPE html>",
        "<html><head><title>fixture</title><style>p { margin: 0 }</style></head><body>",
        "<nav><a href='/'>Journal home</a></nav>",
        "<script>var tracking = 'References (2020)';</script>",
    ]
    rows: list[str] = []
    for block in blocks(markdown):
        if block.kind == "row":
            cells = "".join(f"<td>{inline(c)}</td>" for c in block.text.split("\t"))
            rows.append(f"<tr>{cells}</tr>")
            continue
        if rows:
            lines += ["<table>", *rows, "</table>"]
            rows = []
        if block.kind == "heading":
            lines.append(f"<h{block.level}>{inline(block.text)}</h{block.level}>")
        else:
            lines.append(f"<p>{inline(block.text)}</p>")
    if rows:
        lines += ["<table>", *rows, "</table>"]
    lines.append("</body></html>")
    out.write_text("\n".join(lines), encoding="utf-8")
    return out
