"""The papers of `papers.py` written as an ODT (odfpy) or a DOCX (python-docx) and printed
to PDF by LibreOffice headless, the way a manuscript becomes a PDF on a desk.

Each carries what a word processor adds: a page style with a running head and a footer
with a PAGE field, the body in a section (or continuous section) of one or two columns,
hyphenation on, justified text, and hanging-indent or spaced references.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from papers import RUNNING_HEAD, Paper, Pieces


def soffice(source: Path, out: Path) -> Path:
    """`source` (ODT or DOCX) printed to PDF by LibreOffice headless, as `out`."""
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        shutil.move(Path(tmp) / f"{source.stem}.pdf", out)
    return out


def paper_odt(p: Paper, out: Path, notes: list[tuple[int, str]] | None = None) -> Path:
    """The paper as an ODT: a page style with a header and a page-number footer, the body
    in a section of `columns` columns; `notes` puts footnotes after paragraph indexes."""
    from odf.opendocument import OpenDocumentText
    from odf.style import (
        Column,
        Columns,
        Footer,
        Header,
        MasterPage,
        PageLayout,
        PageLayoutProperties,
        ParagraphProperties,
        SectionProperties,
        Style,
        TextProperties,
    )
    from odf.text import H, Note, NoteBody, NoteCitation, P, PageNumber, Section, Span

    layout = p.layout
    doc = OpenDocumentText()
    size = f"{layout.size}pt"
    text_props = {"fontfamily": layout.font, "fontsize": size, "language": "en", "country": "US"}
    if layout.hyphenate:
        text_props["hyphenate"] = "true"

    def style(name: str, para: dict[str, str], text: dict[str, str]) -> Style:
        s = Style(name=name, family="paragraph")
        s.addElement(ParagraphProperties(**para))
        s.addElement(TextProperties(**{**text_props, **text}))
        doc.automaticstyles.addElement(s)
        return s

    body = style("Body", {"textalign": "justify", "marginbottom": "0.15cm"}, {})
    head = style(
        "Head",
        {"margintop": "0.3cm", "marginbottom": "0.15cm", "keepwithnext": "always"},
        {"fontweight": "bold", "fontsize": f"{layout.size + 2}pt"},
    )
    title = style(
        "Title",
        {"marginbottom": "0.4cm"},
        {"fontweight": "bold", "fontsize": f"{layout.size + 8}pt"},
    )
    hang = (
        {"marginleft": "0.6cm", "textindent": "-0.6cm"}
        if layout.hanging
        else {"margintop": "0.2cm"}
    )
    ref = style("Ref", {**hang, "marginbottom": "0.05cm"}, {})
    small = style("Small", {"textalign": "end"}, {"fontsize": "7pt"})
    italic = Style(name="It", family="text")
    italic.addElement(TextProperties(fontstyle="italic"))
    doc.automaticstyles.addElement(italic)
    page = PageLayout(name="Page")
    page.addElement(
        PageLayoutProperties(
            pagewidth="21cm",
            pageheight="29.7cm",
            margintop="1.5cm",
            marginbottom="1.5cm",
            marginleft="2cm",
            marginright="2cm",
        )
    )
    doc.automaticstyles.addElement(page)
    master = MasterPage(name="Standard", pagelayoutname=page)
    if layout.running:
        header = Header()
        header.addElement(P(stylename=small, text=RUNNING_HEAD))
        master.addElement(header)
        footer = Footer()
        number = P(stylename=small, text="Page ")
        number.addElement(PageNumber(selectpage="current", text="1"))
        footer.addElement(number)
        master.addElement(footer)
    doc.masterstyles.addElement(master)
    columns = Style(name="Cols", family="section")
    props = SectionProperties()
    cols = Columns(columncount=str(layout.columns), columngap="0.5cm")
    for _ in range(layout.columns):
        cols.addElement(Column(relwidth="1*"))
    props.addElement(cols)
    columns.addElement(props)
    doc.automaticstyles.addElement(columns)

    def para(kind: Style, pieces: Pieces, tag: type = P) -> object:
        element = tag(stylename=kind) if tag is P else tag(stylename=kind, outlinelevel=1)
        for text, it in pieces:
            if it:
                element.addElement(Span(stylename=italic, text=text))
            else:
                element.addText(text)
        return element

    doc.text.addElement(para(title, [(p.title, False)]))
    doc.text.addElement(para(body, [("A. Author and B. Author", False)]))
    section = Section(name="Body", stylename=columns)
    index = 0
    pending = dict(notes or [])
    for heading, paragraphs in p.body:
        section.addElement(para(head, [(heading, False)], H))
        for pieces in paragraphs:
            element = para(body, pieces)
            if index in pending:
                note = Note(id=f"ftn{index}", noteclass="footnote")
                note.addElement(NoteCitation(text=str(len(section.childNodes))))
                note_body = NoteBody()
                note_body.addElement(P(stylename=body, text=pending[index]))
                note.addElement(note_body)
                element.addElement(note)  # type: ignore[attr-defined]
            section.addElement(element)
            index += 1
    if p.references:
        section.addElement(para(head, [(p.layout.heading, False)], H))
        for i in range(len(p.references)):
            section.addElement(para(ref, p.entry(i)))
    doc.text.addElement(section)
    doc.save(str(out))
    return out


def paper_docx(p: Paper, out: Path) -> Path:
    """The paper as a DOCX: header and PAGE-field footer, the body in a continuous section
    of `columns` columns, hanging-indent references, automatic hyphenation on."""
    import docx
    from docx.enum.section import WD_SECTION
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    layout = p.layout
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = layout.font
    normal.font.size = Pt(layout.size)
    normal.paragraph_format.space_after = Pt(layout.size * 0.4)
    if layout.hyphenate:
        auto = OxmlElement("w:autoHyphenation")
        document.settings.element.append(auto)
    first = document.sections[0]
    if layout.running:
        first.header.paragraphs[0].text = RUNNING_HEAD
        footer = first.footer.paragraphs[0]
        footer.add_run("Page ")
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        footer._p.append(field)
    heading = document.add_paragraph()
    heading.add_run(p.title).bold = True
    heading.runs[0].font.size = Pt(layout.size + 8)
    document.add_paragraph("A. Author and B. Author")
    section = document.add_section(WD_SECTION.CONTINUOUS)
    cols = section._sectPr.xpath("./w:cols")
    element = cols[0] if cols else OxmlElement("w:cols")
    element.set(qn("w:num"), str(layout.columns))
    element.set(qn("w:space"), "340")
    if not cols:
        section._sectPr.append(element)

    def write(pieces: Pieces, bold: bool = False) -> object:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.alignment = 3  # justify
        for text, italic in pieces:
            run = paragraph.add_run(text)
            run.italic = italic or None
            run.bold = bold or None
        return paragraph

    for title, paragraphs in p.body:
        write([(title, False)], bold=True).runs[0].font.size = Pt(layout.size + 2)  # type: ignore[attr-defined]
        for pieces in paragraphs:
            write(pieces)
    write([(layout.heading, False)], bold=True).runs[0].font.size = Pt(layout.size + 2)  # type: ignore[attr-defined]
    for i in range(len(p.references)):
        entry = write(p.entry(i))
        fmt = entry.paragraph_format  # type: ignore[attr-defined]
        fmt.alignment = 0
        if layout.hanging:
            fmt.left_indent, fmt.first_line_indent = Cm(0.6), Cm(-0.6)
        else:
            fmt.space_before = Pt(layout.size * 0.6)
    document.save(str(out))
    return out
