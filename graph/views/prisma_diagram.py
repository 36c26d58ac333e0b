"""The PRISMA 2020 flow diagram, drawn offline: a standalone SVG, or a page holding it.

The SVG is built as an XML tree (xml.etree), so every text from a review is escaped by
construction and the file is well-formed, which browsers and Inkscape both need. It
uses only rect, text, line and a marker: no fonts, scripts or links to fetch. A box shows
the count the review stands by (its tables over its text); counts that other places give
differently are written under it in red, with their line, so the diagram is an audit.
"""

from __future__ import annotations

import re
import textwrap
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from importlib.resources import files

from jinja2 import Environment
from markupsafe import Markup

from citegraph.graph.method_audit import ReviewFlows
from citegraph.graph.prisma_flow import LABELS, Count, Flow
from citegraph.graph.views.prisma import column_names, rows

SVG_NS = "http://www.w3.org/2000/svg"
WIDTH = 900
MAIN_X, MAIN_W = 60, 360
SIDE_X, SIDE_W = 480, 390
LINE_H = 17
PAD = 10
CHARS = 48  # characters per line in a box at 13 px
GAP = 34
PHASE_COLOUR, BOX_COLOUR, WARN_COLOUR = "#9fc5e8", "#ffffff", "#b00020"
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class _Line:
    text: str
    warn: bool = False


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _n(count: Count | None) -> str:
    return f"(n = {count.count})" if count else "(n = not reported)"


def _others(flows: list[Flow], chosen: Count | None, stage: str, detail: str | None) -> list[_Line]:
    """What the other places say of this box, where it differs from the count shown."""
    found = []
    for flow in flows:
        other = flow.first(stage, "databases", detail)
        if other is None or (chosen is not None and other.count == chosen.count):
            continue
        if chosen is not None and other.file == chosen.file and other.line == chosen.line:
            continue
        where = f", line {other.line}" if other.line else ""
        found.append(_Line(f"{flow.source}: {other.count}{where}", warn=True))
    return found


def _box(shown: Flow, flows: list[Flow], title: str, stage: str) -> list[_Line]:
    chosen = shown.first(stage)
    return [_Line(f"{title} {_n(chosen)}"), *_others(flows, chosen, stage, None)]


def _identified(shown: Flow, flows: list[Flow]) -> list[_Line]:
    lines = [_Line("Records identified from:")]
    total = shown.first("identified")
    lines.append(_Line(f"Databases and registers {_n(total)}"))
    lines += _others(flows, total, "identified", None)
    details = sorted({c.detail for f in flows for c in f.details("identified") if c.detail})
    for detail in details:
        chosen = shown.first("identified", "databases", detail)
        lines.append(_Line(f"  {detail} {_n(chosen)}"))
        lines += _others(flows, chosen, "identified", detail)
    return lines


def _excluded(shown: Flow, flows: list[Flow]) -> list[_Line]:
    lines = _box(shown, flows, "Reports excluded", "excluded")
    for reason in shown.details("excluded"):
        lines.append(_Line(f"  {reason.detail} (n = {reason.count})"))
    return lines


def _layout(shown: Flow, flows: list[Flow]) -> list[tuple[str, list[_Line], list[_Line]]]:
    """(phase, main box, side box) per row of the diagram."""
    removed = [
        _Line("Records removed before screening:"),
        *_box(shown, flows, "Duplicate records", "duplicates"),
        *_box(shown, flows, "Removed for other reasons", "removed_other"),
    ]
    return [
        ("Identification", _identified(shown, flows), removed),
        ("Screening", _box(shown, flows, LABELS["screened"].capitalize(), "screened"),
         _box(shown, flows, "Records excluded", "screen_excluded")),
        ("Screening", _box(shown, flows, LABELS["sought"].capitalize(), "sought"),
         _box(shown, flows, LABELS["not_retrieved"].capitalize(), "not_retrieved")),
        ("Screening", _box(shown, flows, LABELS["assessed"].capitalize(), "assessed"),
         _excluded(shown, flows)),
        ("Included", [
            *_box(shown, flows, "Studies included in review", "included"),
            *_box(shown, flows, "Reports of included studies", "included_reports"),
        ], []),
    ]  # fmt: skip


def _wrapped(lines: list[_Line]) -> list[_Line]:
    found = []
    for line in lines:
        indent = "  " if line.text.startswith("  ") else ""
        for piece in textwrap.wrap(line.text, CHARS, subsequent_indent=indent + "  ") or [""]:
            found.append(_Line(piece, line.warn))
    return found


def _text_box(parent: ET.Element, x: int, y: int, w: int, lines: list[_Line]) -> int:
    height = PAD * 2 + LINE_H * len(lines)
    ET.SubElement(
        parent, "rect", x=str(x), y=str(y), width=str(w), height=str(height),
        fill=BOX_COLOUR, stroke="#333333", rx="3",
    )  # fmt: skip
    for index, line in enumerate(lines):
        node = ET.SubElement(
            parent, "text", x=str(x + PAD), y=str(y + PAD + LINE_H * (index + 1) - 4),
            fill=WARN_COLOUR if line.warn else "#111111",
        )  # fmt: skip
        node.text = _clean(line.text)
    return height


def _arrow(parent: ET.Element, x1: int, y1: int, x2: int, y2: int) -> None:
    ET.SubElement(
        parent, "line", x1=str(x1), y1=str(y1), x2=str(x2), y2=str(y2),
        stroke="#333333", attrib={"marker-end": "url(#arrow)"},
    )  # fmt: skip


def diagram_svg(report: ReviewFlows, shown: Flow, title: str) -> str:
    """The diagram as a standalone SVG document (`shown`: the flow whose counts fill
    the boxes; the report's other flows add their differing counts in red)."""
    others = [f for f in report.flows if f is not shown]
    laid = [(phase, _wrapped(main), _wrapped(side)) for phase, main, side in _layout(shown, others)]
    top = 70
    alone = {p for p in (row[0] for row in laid) if sum(r[0] == p for r in laid) == 1}
    heights = [
        # a phase of one row is at least as tall as its name written upwards
        max(PAD * 2 + LINE_H * max(len(m), len(s), 1), 80 if phase in alone else 0)
        for phase, m, s in laid
    ]
    total_height = top + sum(heights) + GAP * len(heights) + 20
    svg = ET.Element(
        "svg", xmlns=SVG_NS, width=str(WIDTH), height=str(total_height),
        viewBox=f"0 0 {WIDTH} {total_height}",
        attrib={"font-family": "DejaVu Sans, Arial, sans-serif", "font-size": "13"},
    )  # fmt: skip
    ET.SubElement(svg, "title").text = _clean(title)
    defs = ET.SubElement(svg, "defs")
    marker = ET.SubElement(
        defs, "marker", id="arrow", markerWidth="10", markerHeight="8", refX="9", refY="4",
        orient="auto",
    )  # fmt: skip
    ET.SubElement(marker, "path", d="M0,0 L10,4 L0,8 z", fill="#333333")
    heading = ET.SubElement(svg, "text", x="20", y="28", attrib={"font-size": "16"})
    heading.text = _clean(title)
    note = ET.SubElement(svg, "text", x="20", y="50", fill="#555555")
    note.text = _clean(
        f"counts from {shown.source}" + ("; in red: other places that disagree" if others else "")
    )
    y = top
    previous_bottom: int | None = None
    phases: list[tuple[str, int, int]] = []
    for (phase, main, side), height in zip(laid, heights, strict=True):
        _text_box(svg, MAIN_X, y, MAIN_W, main)
        if side:
            _text_box(svg, SIDE_X, y, SIDE_W, side)
            _arrow(svg, MAIN_X + MAIN_W, y + height // 2, SIDE_X, y + height // 2)
        if previous_bottom is not None:
            _arrow(svg, MAIN_X + MAIN_W // 2, previous_bottom, MAIN_X + MAIN_W // 2, y)
        previous_bottom = y + PAD * 2 + LINE_H * max(len(main), 1)
        if phases and phases[-1][0] == phase:
            phases[-1] = (phase, phases[-1][1], y + height)
        else:
            phases.append((phase, y, y + height))
        y += height + GAP
    for phase, start, end in phases:
        ET.SubElement(
            svg, "rect", x="12", y=str(start), width="30", height=str(end - start),
            fill=PHASE_COLOUR, rx="3",
        )  # fmt: skip
        middle = (start + end) // 2
        label = ET.SubElement(
            svg, "text", x="32", y=str(middle), transform=f"rotate(-90 32 {middle})",
            attrib={"text-anchor": "middle", "font-weight": "bold"},
        )  # fmt: skip
        label.text = phase
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(svg, encoding="unicode") + "\n"


def _template() -> str:
    return (files("citegraph.graph") / "templates" / "prisma_page.html.j2").read_text("utf-8")


def diagram_html(report: ReviewFlows, shown: Flow, title: str) -> str:
    """A self-contained page: the diagram, the flows side by side and the audit items.
    The page's text goes through the template's HTML escaping; the SVG is escaped XML."""
    svg = diagram_svg(report, shown, title).split("\n", 1)[1]
    return (
        Environment(autoescape=True)
        .from_string(_template())
        .render(
            title=title,
            svg=Markup(svg),  # noqa: S704 - built by xml.etree, which escapes every text
            columns=column_names(report.flows),
            rows=rows(report.flows),
            items=report.items,
        )
    )
