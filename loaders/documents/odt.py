"""A review as an OpenDocument text (ODT, LibreOffice): paragraphs, tables, notes, fields.

odfpy opens the package. Headings are `text:h` with their outline level; italic, bold and
superscript come from the automatic and common text styles; a table row is one
tab-separated line; a footnote or endnote (`text:note`) follows its paragraph. Zotero
keeps a citation's CSL-JSON in the name of the reference mark (or bookmark) around the
printed citation. Each line's place is its paragraph's number in document order.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers.expat import ExpatError

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

FORMAT = "odt"
MIME = "application/vnd.oasis.opendocument.text"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
MARK_STARTS = {"reference-mark-start", "bookmark-start"}
MARK_ENDS = {"reference-mark-end", "bookmark-end"}


def _styles(document: Any) -> dict[str, tuple[bool, bool, bool]]:
    """Text styles by name: (italic, bold, superscript)."""
    found: dict[str, tuple[bool, bool, bool]] = {}
    for container in (document.styles, document.automaticstyles):
        for style in container.childNodes:
            name = style.attributes.get((STYLE, "name")) if hasattr(style, "attributes") else None
            if not name:
                continue
            for props in style.childNodes:
                if getattr(props, "qname", None) == (STYLE, "text-properties"):
                    attrs = props.attributes
                    found[name] = (
                        attrs.get((FO, "font-style")) == "italic",
                        attrs.get((FO, "font-weight")) in ("bold", "700", "800", "900"),
                        str(attrs.get((STYLE, "text-position"), "")).startswith(("super", "33%")),
                    )
    return found


@dataclass
class _Paragraph:
    runs: list[Run] = field(default_factory=list)
    notes: list[Any] = field(default_factory=list)
    fields: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class _Reader:
    doc: DocumentText
    styles: dict[str, tuple[bool, bool, bool]]
    fields: list[FieldCitation] = field(default_factory=list)
    number: int = 0

    def inline(
        self,
        node: Any,
        style: tuple[bool, bool, bool],
        out: _Paragraph,
        open_marks: dict[str, list[str]],
    ) -> None:
        for child in node.childNodes:
            if child.nodeType == child.TEXT_NODE:
                text = str(child.data)
                out.runs.append(Run(text, *style))
                for printed in open_marks.values():
                    printed.append(text)
                continue
            namespace, tag = child.qname
            if namespace != TEXT:
                continue
            if tag == "span":
                name = child.attributes.get((TEXT, "style-name"), "")
                own = self.styles.get(name, (False, False, False))
                merged = (style[0] or own[0], style[1] or own[1], style[2] or own[2])
                self.inline(child, merged, out, open_marks)
            elif tag in ("s", "tab", "line-break"):
                out.runs.append(Run("\t" if tag == "tab" else " ", *style))
            elif tag == "note":
                out.notes.append(child)
            elif tag in MARK_STARTS:
                open_marks[str(child.attributes.get((TEXT, "name"), ""))] = []
            elif tag in MARK_ENDS:
                name = str(child.attributes.get((TEXT, "name"), ""))
                if name in open_marks:
                    out.fields.append((name, "".join(open_marks.pop(name))))
            elif tag == "reference-mark":  # a mark with no span: nothing printed inside
                continue
            else:
                self.inline(child, style, out, open_marks)

    def paragraph(self, node: Any) -> _Paragraph:
        self.number += 1
        out = _Paragraph()
        name = node.attributes.get((TEXT, "style-name"), "")
        self.inline(node, self.styles.get(name, (False, False, False)), out, {})
        return out

    def _fields(self, parsed: _Paragraph) -> None:
        for name, printed in parsed.fields:
            instruction = name.removeprefix("ZOTERO_ITEM ").rsplit(" RND", 1)[0]
            items = parse_field(instruction)
            if items:
                self.fields.append(FieldCitation(items, printed.strip(), len(self.doc.lines)))

    def block(self, node: Any) -> None:
        namespace, tag = node.qname
        if namespace == TEXT and tag in ("p", "h"):
            parsed = self.paragraph(node)
            text = markdown(parsed.runs).strip()
            if not text:
                return
            level = int(node.attributes.get((TEXT, "outline-level"), 1)) if tag == "h" else 0
            place = Place(self.number)
            self.doc.blank()
            self.doc.add(f"{'#' * min(level, 6)} {text}" if level else text, place)
            self._fields(parsed)
            for note in parsed.notes:
                for body in note.getElementsByType(_odf_p()):
                    note_paragraph = _Paragraph()
                    self.inline(body, (False, False, False), note_paragraph, {})
                    if markdown(note_paragraph.runs).strip():
                        self.doc.blank()
                        self.doc.add(markdown(note_paragraph.runs).strip(), place)
                        self._fields(note_paragraph)
            self.doc.blank()
        elif namespace == TABLE and tag == "table":
            self.table(node)
        else:
            for child in node.childNodes:
                if child.nodeType == child.ELEMENT_NODE:
                    self.block(child)

    def table(self, node: Any) -> None:
        for row in node.getElementsByType(_odf_row()):
            first = self.number + 1
            cells, parsed = [], []
            for cell in row.childNodes:
                if getattr(cell, "qname", None) != (TABLE, "table-cell"):
                    continue
                parts = []
                for paragraph in cell.getElementsByType(_odf_p()):
                    parsed.append(self.paragraph(paragraph))
                    parts.append(markdown(parsed[-1].runs).strip())
                cells.append(" ".join(p for p in parts if p))
            if any(cells):
                self.doc.add("\t".join(cells), Place(first))
                for cell_paragraph in parsed:
                    self._fields(cell_paragraph)
        self.doc.blank()


def _odf_p() -> Any:
    from odf.text import P

    return P


def _odf_row() -> Any:
    from odf.table import TableRow

    return TableRow


def _sniff(head: str, suffix: str) -> bool:
    return head.startswith("PK") and MIME in head[:200] and f"{MIME}-" not in head[:200]


@register(
    FORMAT,
    suffixes=(".odt",),
    sniff=_sniff,
    priority=5,
    description="A review as an OpenDocument text: paragraphs, tables, notes, Zotero marks",
)
def load(path: Path) -> LoadResult:
    """Read an ODT review: its records as the text's, placed by paragraph."""
    nothing = empty(path, FORMAT)
    if nothing is not None:
        return nothing
    from odf.opendocument import load as open_odt

    try:
        document = open_odt(str(path))
    except (zipfile.BadZipFile, KeyError, ExpatError, ValueError) as error:
        reason = str(error) or type(error).__name__
        return unreadable(path, FORMAT, f"corrupted or not an OpenDocument text ({reason})")
    except Exception as error:  # noqa: BLE001 - odfpy raises bare errors on damaged packages
        return unreadable(path, FORMAT, f"corrupted OpenDocument text ({type(error).__name__})")
    doc = DocumentText(str(path), FORMAT)
    reader = _Reader(doc, _styles(document))
    reader.block(document.text)
    return link_fields(doc.to_review(), reader.fields, doc.locate)
