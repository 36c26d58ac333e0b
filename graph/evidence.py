"""The evidence map: which prevention strategies have findings where (or under which theory).

A review's findings hang off the graph as Work-REPORTS->Finding-ABOUT->Strategy and
Finding-IN->Country|Region. Crossing strategies with places (or theories) and counting
findings per cell shows where the evidence is thick and where it is missing, and each
cell keeps the works behind it so a count can always be checked against its sources.
Every strategy is a row even without findings: the gaps are the point of the map. A
finding with no strategy, place or theory lands in an "unspecified" row or column rather
than disappearing.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal, TextIO

from jinja2 import Environment, Template
from markupsafe import Markup

from citegraph.graph.property_graph import Node, PropertyGraph
from citegraph.graph.work_text import WorkRef, authors_by_work, work_ref

By = Literal["country", "theory"]
UNSPECIFIED = ""


@dataclass(frozen=True)
class Heading:
    """A row or column: the node's IRI (UNSPECIFIED for none), its name and a short form
    for narrow terminal columns (ISO code, scheme id)."""

    iri: str
    name: str
    short: str

    def to_json(self) -> dict[str, str]:
        return {"iri": self.iri, "name": self.name, "short": self.short}


@dataclass(frozen=True)
class FindingRef:
    iri: str
    claim: str
    sentence: str
    sources: tuple[str, ...]
    works: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "iri": self.iri,
            "claim": self.claim,
            "sentence": self.sentence,
            "sources": list(self.sources),
            "works": list(self.works),
        }


@dataclass
class Cell:
    findings: list[str] = field(default_factory=list)
    works: list[str] = field(default_factory=list)


@dataclass
class EvidenceMap:
    by: By
    rows: list[Heading]
    columns: list[Heading]
    cells: dict[tuple[str, str], Cell]
    works: dict[str, WorkRef]
    findings: dict[str, FindingRef]

    def cell(self, row: str, column: str) -> Cell:
        return self.cells.get((row, column), Cell())

    def count(self, row: str, column: str) -> int:
        return len(self.cell(row, column).findings)

    def filled(self) -> list[tuple[Heading, Heading, Cell]]:
        """Non-empty cells, in row then column order."""
        return [
            (row, column, self.cells[(row.iri, column.iri)])
            for row in self.rows
            for column in self.columns
            if (row.iri, column.iri) in self.cells
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "rows": [r.to_json() for r in self.rows],
            "columns": [c.to_json() for c in self.columns],
            "cells": [
                {
                    "strategy": row.iri,
                    self.by: column.iri,
                    "count": len(cell.findings),
                    "findings": [self.findings[f].to_json() for f in cell.findings],
                    "works": [self.works[w].to_json() for w in cell.works],
                }
                for row, column, cell in self.filled()
            ],
        }

    def table(self) -> str:
        """Counts as a text table (`.` for none), then the works behind each filled cell."""
        headers = ["strategy", *[c.short for c in self.columns]]
        rows = [
            [r.name, *[str(self.count(r.iri, c.iri) or ".") for c in self.columns]]
            for r in self.rows
        ]
        lines = [text_table(rows, headers), ""]
        for row, column, cell in self.filled():
            lines.append(f"{row.name} × {column.name}: {len(cell.findings)} finding(s)")
            lines.extend(f"  - {self.works[w].reference}" for w in cell.works)
        return "\n".join(lines).rstrip()

    def write_csv(self, out: TextIO) -> None:
        """One line per cell, empty ones included, so gaps are explicit in a spreadsheet."""
        writer = csv.writer(out)
        writer.writerow(
            [
                "strategy",
                "strategy_iri",
                self.by,
                f"{self.by}_iri",
                "findings",
                "works",
                "work_iris",
            ]
        )
        for row in self.rows:
            for column in self.columns:
                cell = self.cell(row.iri, column.iri)
                writer.writerow(
                    [
                        row.name,
                        row.iri,
                        column.name,
                        column.iri,
                        len(cell.findings),
                        " | ".join(self.works[w].reference for w in cell.works),
                        " ".join(cell.works),
                    ]
                )


def text_table(rows: list[list[str]], headers: list[str]) -> str:
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    head = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()
    return "\n".join([head, "  ".join("-" * w for w in widths), *lines])


def _heading(node: Node) -> Heading:
    short = node.properties.get("iso2") or node.iri.rstrip("/").rsplit("/", 1)[-1]
    if node.label == "Region":
        short = node.name
    return Heading(node.iri, node.name, str(short))


def _sort_key(node: Node) -> tuple[bool, str]:
    """Countries before regions, each by name."""
    return (node.label == "Region", node.name.casefold())


@dataclass
class _Index:
    """The relationships the map needs, indexed once: finding -> reporting works, finding
    -> what it is about, finding -> where, work -> theories used."""

    reporters: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    about: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    where: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    uses: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, pg: PropertyGraph) -> _Index:
        index = cls()
        for rel in pg.relationships:
            if rel.type == "REPORTS":
                index.reporters[rel.end].append(rel.start)
            elif rel.type == "ABOUT":
                index.about[rel.start].append(rel.end)
            elif rel.type == "IN":
                index.where[rel.start].append(rel.end)
            elif rel.type == "USES_THEORY":
                index.uses[rel.start].append(rel.end)
        return index


def _columns_of(pg: PropertyGraph, index: _Index, finding: str, by: By) -> list[str]:
    """A finding's places; or its theories: those it is about, else those of its works
    (a finding inherits the theoretical frame of the work that reports it)."""
    if by == "country":
        return index.where.get(finding, [])
    about = [t for t in index.about.get(finding, []) if pg.nodes[t].label == "Theory"]
    if about:
        return about
    return sorted({t for w in index.reporters.get(finding, []) for t in index.uses.get(w, [])})


def evidence_map(pg: PropertyGraph, by: By = "country") -> EvidenceMap:
    """Cross every finding's strategies with its places (or theories)."""
    if by not in ("country", "theory"):
        raise ValueError(f"evidence by {by!r}: expected country or theory")
    index = _Index.of(pg)
    authors = authors_by_work(pg)
    cells: dict[tuple[str, str], Cell] = defaultdict(Cell)
    works: dict[str, WorkRef] = {}
    findings: dict[str, FindingRef] = {}
    for finding in pg.by_label("Finding"):
        reporters = sorted(index.reporters.get(finding.iri, []))
        for work in reporters:
            works.setdefault(work, work_ref(pg.nodes[work], authors.get(work, [])))
        findings[finding.iri] = FindingRef(
            finding.iri,
            str(finding.properties.get("claim", "")),
            str(finding.properties.get("source", "")),
            tuple(finding.properties.get("sources", [])),
            tuple(reporters),
        )
        strategies = [
            s for s in index.about.get(finding.iri, []) if pg.nodes[s].label == "Strategy"
        ]
        for row in strategies or [UNSPECIFIED]:
            for column in _columns_of(pg, index, finding.iri, by) or [UNSPECIFIED]:
                cell = cells[(row, column)]
                cell.findings.append(finding.iri)
                cell.works.extend(w for w in reporters if w not in cell.works)
    return EvidenceMap(by, *_headings(pg, cells, by), dict(cells), works, findings)


def _headings(
    pg: PropertyGraph, cells: dict[tuple[str, str], Cell], by: By
) -> tuple[list[Heading], list[Heading]]:
    """Every strategy as a row; as columns only what has findings (a map of all 250
    countries would be mostly empty); "unspecified" last where it occurs."""
    unspecified = Heading(UNSPECIFIED, "unspecified", "unspecified")
    rows = [_heading(n) for n in sorted(pg.by_label("Strategy"), key=_sort_key)]
    if any(row == UNSPECIFIED for row, _ in cells):
        rows.append(unspecified)
    used = {column for _, column in cells}
    nodes = sorted((pg.nodes[c] for c in used if c != UNSPECIFIED), key=_sort_key)
    columns = [_heading(n) for n in nodes]
    if UNSPECIFIED in used:
        columns.append(unspecified)
    return rows, columns


# --- the heat map page --------------------------------------------------------------------

HEATMAP_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; color: #222; margin: 16px; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ddd; padding: 4px 8px; text-align: center; }
th.row { text-align: left; }
thead th { vertical-align: bottom; max-width: 9em; }
td a { display: block; color: inherit; font-weight: 600; text-decoration: none; }
td.zero { color: #bbb; }
.cell { display: none; border: 1px solid #ccc; padding: 6px 12px; margin: 12px 0; }
.cell:target { display: block; background: #fffbea; }
.cell li { margin: 4px 0; }
.quote { color: #555; font-style: italic; }
.src { color: #888; font-size: 12px; }
"""


def _shade(count: int, most: int) -> str:
    """A red scale: stronger where more findings agree on a cell."""
    alpha = 0.12 + 0.78 * count / most if most else 0.0
    return f"background: rgba(225, 87, 89, {alpha:.2f})"


HEATMAP_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>{{ style }}</style></head><body>
<h1>{{ title }}</h1>
<p>Findings per strategy and {{ emap.by }}; select a count to list its findings and the works
reporting them.</p>
<table><thead><tr><th scope="col">strategy</th>
{%- for column in emap.columns %}<th scope="col">{{ column.name }}</th>{% endfor %}</tr></thead>
<tbody>
{%- for row in emap.rows %}
<tr><th class="row" scope="row">{{ row.name }}</th>
  {%- for column in emap.columns %}{% set count = emap.count(row.iri, column.iri) %}
  {%- if count %}<td style="{{ shade(count) }}"><a href="#{{ anchors[(row.iri, column.iri)] }}">
  {{- count }}</a></td>
  {%- else %}<td class="zero">0</td>{% endif %}{% endfor %}</tr>
{%- endfor %}
</tbody></table>
{%- for row, column, cell in emap.filled() %}
<section class="cell" id="{{ anchors[(row.iri, column.iri)] }}">
<h2>{{ row.name }} × {{ column.name }}: {{ cell.findings | length }} finding(s)</h2><ul>
{%- for iri in cell.findings %}{% set finding = emap.findings[iri] %}
<li>{{ finding.claim }} <span class="quote">"{{ finding.sentence }}"</span><br>
  {%- for work in finding.works %}{% set ref = emap.works[work] %}
  {%- if not loop.first %}; {% endif %}
  {%- if ref.link %}<a href="{{ ref.link }}">{{ ref.reference }}</a>
  {%- else %}{{ ref.reference }}{% endif %}{% endfor %}
  {%- if finding.sources %} <span class="src">read from {{ finding.sources | join("; ") }}</span>
  {%- endif %}</li>
{%- endfor %}
</ul></section>
{%- endfor %}
</body></html>
"""


@cache
def _heatmap_template() -> Template:
    return Environment(autoescape=True).from_string(HEATMAP_PAGE)


def heatmap_html(emap: EvidenceMap, title: str) -> str:
    """A self-contained page: a table shaded by count; a cell links to the list of its
    findings and works below (shown with CSS :target, so no script is needed). Every
    value from the graph goes through the template's HTML escaping."""
    most = max((len(c.findings) for c in emap.cells.values()), default=0)
    anchors = {
        (r.iri, c.iri): f"cell-{i}-{j}"
        for i, r in enumerate(emap.rows)
        for j, c in enumerate(emap.columns)
    }
    return _heatmap_template().render(
        title=title,
        style=Markup(HEATMAP_STYLE),
        emap=emap,
        anchors=anchors,
        shade=lambda count: _shade(count, most),
    )
