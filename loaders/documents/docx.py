"""A review as a Word manuscript (DOCX): paragraphs, tables, footnotes and citation fields.

python-docx opens the package; the paragraphs are walked at the XML level because the
parts that matter here are below its API: complex fields (`w:fldChar`/`w:instrText`,
where Zotero and Mendeley keep CSL-JSON), simple fields, runs inside hyperlinks, and
footnote and endnote references. A paragraph is one line of Markdown (headings from the
`Heading N` and `Title` styles, italic, bold and superscript runs), a table row is one
tab-separated line, and a footnote or endnote follows the paragraph that calls it. Each
line's place is its paragraph's number in document order (table cells counted).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citegraph.loaders.documents.fields import FieldCitation, link_fields, parse_field
from citegraph.loaders.documents.text import (
    DocumentText,
    Place,
    Run,
    empty,
    markdown,
    unreadable,
)
from citegraph.loaders.records import LoadResult
from citegraph.loaders.registry import register

FORMAT = "docx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADING_STYLE = re.compile(r"^(?:heading\s*(\d)|title)$", re.I)


def _on(props: Any, tag: str) -> bool:
    """A run property such as `w:i` is on unless its `w:val` says off."""
    if props is None:
        return False
    element = props.find(f"{W}{tag}")
    return element is not None and element.get(f"{W}val", "true") not in ("0", "false", "none")


@dataclass
class _Field:
    instruction: str = ""
    printed: list[str] = field(default_factory=list)
    in_result: bool = False


@dataclass
class _Paragraph:
    runs: list[Run] = field(default_factory=list)
    fields: list[tuple[str, str]] = field(default_factory=list)  # (instruction, printed)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (kind, id)


def read_paragraph(element: Any, styles: dict[str, tuple[bool, bool]]) -> _Paragraph:
    """A `w:p`: its runs with their emphasis, its fields, and the notes it calls."""
    out = _Paragraph()
    stack: list[_Field] = []
    for node in element.iter():
        tag = node.tag
        if tag == f"{W}fldSimple":
            out.fields.append((node.get(f"{W}instr", ""), "".join(node.itertext())))
        elif tag == f"{W}fldChar":
            kind = node.get(f"{W}fldCharType")
            if kind == "begin":
                stack.append(_Field())
            elif kind == "separate" and stack:
                stack[-1].in_result = True
            elif kind == "end" and stack:
                done = stack.pop()
                out.fields.append((done.instruction, "".join(done.printed)))
        elif tag == f"{W}instrText" and stack:
            stack[-1].instruction += node.text or ""
        elif tag in (f"{W}footnoteReference", f"{W}endnoteReference"):
            kind = "footnote" if "footnote" in tag else "endnote"
            out.notes.append((kind, node.get(f"{W}id", "")))
        elif tag == f"{W}r":
            text = "".join(
                (child.text or "")
                if child.tag == f"{W}t"
                else "\t"
                if child.tag == f"{W}tab"
                else " "
                if child.tag in (f"{W}br", f"{W}cr")
                else ""
                for child in node
            )
            if not text or (stack and not stack[-1].in_result):
                continue
            for open_field in stack:
                open_field.printed.append(text)
            props = node.find(f"{W}rPr")
            style = props.find(f"{W}rStyle") if props is not None else None
            italic, bold = styles.get(style.get(f"{W}val", "") if style is not None else "", (0, 0))
            align = props.find(f"{W}vertAlign") if props is not None else None
            sup = align is not None and align.get(f"{W}val") == "superscript"
            out.runs.append(
                Run(text, _on(props, "i") or bool(italic), _on(props, "b") or bool(bold), sup)
            )
    return out


def _heading_level(element: Any, names: dict[str, str]) -> int | None:
    style = element.find(f"{W}pPr/{W}pStyle")
    if style is None:
        return None
    name = names.get(style.get(f"{W}val", ""), style.get(f"{W}val", ""))
    match = HEADING_STYLE.match(name.strip())
    if not match:
        return None
    return int(match.group(1)) + 1 if match.group(1) else 1


@dataclass
class _Reader:
    """Walks the body, numbering paragraphs, and writes the DocumentText."""

    doc: DocumentText
    styles: dict[str, tuple[bool, bool]]
    names: dict[str, str]
    notes: dict[tuple[str, str], list[Any]]
    fields: list[FieldCitation] = field(default_factory=list)
    number: int = 0

    def paragraph(self, element: Any) -> None:
        self.number += 1
        parsed = read_paragraph(element, self.styles)
        text = markdown(parsed.runs).strip()
        if not text:
            return
        level = _heading_level(element, self.names)
        place = Place(self.number)
        self.doc.blank()
        self.doc.add(f"{'#' * level} {text}" if level else text, place)
        self._fields(parsed)
        for kind, note in parsed.notes:
            for note_paragraph in self.notes.get((kind, note), []):
                note_text = read_paragraph(note_paragraph, self.styles)
                if markdown(note_text.runs).strip():
                    self.doc.blank()
                    self.doc.add(markdown(note_text.runs).strip(), place)
                    self._fields(note_text)
        self.doc.blank()

    def _fields(self, parsed: _Paragraph) -> None:
        for instruction, printed in parsed.fields:
            items = parse_field(instruction)
            if items:
                self.fields.append(FieldCitation(items, printed.strip(), len(self.doc.lines)))

    def table(self, element: Any) -> None:
        """Each row one tab-separated line, placed at its first paragraph."""
        for row in element.iter(f"{W}tr"):
            cells: list[str] = []
            parsed: list[_Paragraph] = []
            first = self.number + 1
            for cell in row.iter(f"{W}tc"):
                parts = []
                for paragraph in cell.iter(f"{W}p"):
                    self.number += 1
                    parsed.append(read_paragraph(paragraph, self.styles))
                    parts.append(markdown(parsed[-1].runs).strip())
                cells.append(" ".join(p for p in parts if p))
            if any(cells):
                self.doc.add("\t".join(cells), Place(first))
                for cell_paragraph in parsed:
                    self._fields(cell_paragraph)
        self.doc.blank()


def _styles(document: Any) -> tuple[dict[str, tuple[bool, bool]], dict[str, str]]:
    """Character styles that make text italic or bold (`Emphasis`), and style names."""
    emphasis: dict[str, tuple[bool, bool]] = {}
    names: dict[str, str] = {}
    for style in document.styles.element.iter(f"{W}style"):
        style_id = style.get(f"{W}styleId", "")
        name = style.find(f"{W}name")
        names[style_id] = name.get(f"{W}val", style_id) if name is not None else style_id
        props = style.find(f"{W}rPr")
        emphasis[style_id] = (_on(props, "i"), _on(props, "b"))
    return emphasis, names


def _notes(document: Any) -> dict[tuple[str, str], list[Any]]:
    """Footnote and endnote paragraphs by (kind, id), from their own package parts."""
    from lxml import etree

    found: dict[tuple[str, str], list[Any]] = {}
    for part in document.part.package.parts:
        name = str(part.partname)
        kind = "footnote" if name.endswith("/footnotes.xml") else None
        kind = "endnote" if name.endswith("/endnotes.xml") else kind
        if kind is None:
            continue
        root = etree.fromstring(part.blob)
        for note in root.iter(f"{W}{kind}"):
            found[(kind, note.get(f"{W}id", ""))] = list(note.iter(f"{W}p"))
    return found


def _sniff(head: str, suffix: str) -> bool:
    return head.startswith("PK") and "word/" in head and "[Content_Types].xml" in head


@register(
    FORMAT,
    suffixes=(".docx",),
    sniff=_sniff,
    priority=5,
    description="A review as a Word file: paragraphs, tables, notes, Zotero/Mendeley fields",
)
def load(path: Path) -> LoadResult:
    """Read a DOCX review: its records as the text's, placed by paragraph."""
    nothing = empty(path, FORMAT)
    if nothing is not None:
        return nothing
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        reason = str(error) or type(error).__name__
        return unreadable(path, FORMAT, f"corrupted or not a Word document ({reason})")
    except Exception as error:  # noqa: BLE001 - lxml and zip errors of a damaged package
        return unreadable(path, FORMAT, f"corrupted Word document ({type(error).__name__})")
    styles, names = _styles(document)
    doc = DocumentText(str(path), FORMAT)
    reader = _Reader(doc, styles, names, _notes(document))
    for child in document.element.body.iterchildren():
        if child.tag == f"{W}p":
            reader.paragraph(child)
        elif child.tag == f"{W}tbl":
            reader.table(child)
    return link_fields(doc.to_review(), reader.fields, doc.locate)
