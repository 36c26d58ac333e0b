"""What the commands print for people (aligned tables, the ingest, audit and stats
reports, query results) and for programs (`--json`): kept apart from cli.py so the
commands there read as options and one library call each."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from citegraph.graph.audit import AuditReport
    from citegraph.graph.ingest import IngestReport
    from citegraph.graph.saved_queries import SavedQuery
    from citegraph.graph.store import Store


def emit_json(data: object) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def table(rows: list[list[object]], headers: list[str]) -> str:
    """A plain aligned text table (no dependency for something this small)."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def print_ingest(report: IngestReport, store: Store) -> None:
    rows = [
        [
            f.path,
            f.format,
            f.records,
            f.loaded,
            f.rejected,
            sum(1 for i in f.issues if i.severity.value == "warning"),
        ]
        for f in report.files
    ]
    click.echo(table(rows, ["file", "format", "records", "loaded", "rejected", "warnings"]))
    for f in report.files:
        for issue in f.issues:
            if issue.severity.value != "info":
                click.echo(str(issue), err=True)
    validation = report.validation
    if validation is not None:
        for violation in validation.violations:
            click.echo(f"SHACL {violation}", err=True)
        click.echo(
            f"SHACL: {'valid' if validation.conforms else 'INVALID'} "
            f"({validation.checks} checks, {len(validation.violations)} violations)"
        )
    snapshot = store.snapshot()
    if snapshot is not None:
        click.echo(f"rejects kept in {snapshot.rejects_path}")


AUDIT_TITLES = {
    "unresolved": "Citations without a reference entry",
    "uncited": "Entries never cited in the text",
    "mismatches": "Citations linked despite a different year, spelling or author order",
    "duplicates": "Duplicate entries",
    "merges": "Records merged into one work across sources",
    "conflicts": "Values that disagree between merged records",
    "method": "Method audit: the review's counts against its tables, text and cited works",
}


def print_audit(report: AuditReport) -> None:
    for name, items in report.sections().items():
        click.echo(f"\n{AUDIT_TITLES[name]}: {len(items)}")
        for item in items:
            click.echo(f"  {item}")


def query_cell(value: object) -> str:
    """A table cell: lists joined, long text cut, so a row stays on one line."""
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, default=str)
    text = "" if value is None else " ".join(str(value).split())
    return text if len(text) <= 80 else text[:79] + "…"


def print_query_result(
    columns: list[str], rows: list[dict[str, Any]], answered_by: str, as_json: bool, as_csv: bool
) -> None:
    import csv

    if as_json:
        emit_json({"engine": answered_by, "columns": columns, "rows": rows})
    elif as_csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(
                [
                    json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
                    for v in (row[c] for c in columns)
                ]
            )
        click.echo(f"answered by {answered_by}", err=True)
    else:
        if columns:
            click.echo(table([[query_cell(row[c]) for c in columns] for row in rows], columns))
        click.echo(f"{len(rows)} row{'s' if len(rows) != 1 else ''}, answered by {answered_by}")


def print_saved_queries(as_json: bool, queries: list[SavedQuery] | None = None) -> None:
    """The saved Cypher queries, or the `queries` given (the SPARQL ones)."""
    from citegraph.graph.saved_queries import saved_queries

    if queries is None:
        queries = list(saved_queries().values())
    if as_json:
        emit_json(
            [
                {
                    "name": q.name,
                    "purpose": q.purpose,
                    "params": [
                        {
                            "name": p.name,
                            "required": p.required,
                            "default": None if p.required else p.default,
                            "description": p.description,
                        }
                        for p in q.params
                    ],
                }
                for q in queries
            ]
        )
        return
    rows: list[list[object]] = [
        [
            q.name,
            ", ".join(
                p.name if p.required else f"{p.name}={json.dumps(p.default)}" for p in q.params
            ),
            query_cell(q.purpose),
        ]
        for q in queries
    ]
    click.echo(table(rows, ["name", "params", "purpose"]))


def short(text: object, width: int = 60) -> str:
    value = "" if text is None else str(text)
    return value if len(value) <= width else value[: width - 1] + "…"


def print_stats(stats: Any) -> None:
    """The stats report as tables for people."""
    click.echo(table([[k, v] for k, v in stats.labels.items()], ["label", "nodes"]))
    click.echo("\n" + table([[k, v] for k, v in stats.types.items()], ["type", "relationships"]))
    click.echo("\nMost cited works (citing works; in-text mentions)")
    click.echo(
        table(
            [[w.citations, w.mentions, w.year, short(w.name)] for w in stats.most_cited],
            ["cited by", "mentions", "year", "work"],
        )
    )
    click.echo("\nPageRank (citation network)")
    click.echo(
        table(
            [[f"{w.score:.4f}", w.year, short(w.name)] for w in stats.pagerank],
            ["pagerank", "year", "work"],
        )
    )
    how = (
        f"estimated from {stats.betweenness_samples} sampled works, fixed seed"
        if stats.betweenness_samples
        else "exact"
    )
    click.echo(f"\nBetweenness (citation network, {how})")
    click.echo(
        table(
            [[f"{w.score:.4f}", w.year, short(w.name)] for w in stats.betweenness],
            ["betweenness", "year", "work"],
        )
    )
    click.echo(
        f"\nCo-authorship: {stats.coauthor_components} groups of people, "
        f"{stats.coauthor_singletons} without co-authors"
    )
    click.echo(
        table(
            [
                [c.size, c.works, short(", ".join(c.people), 70)]
                for c in stats.largest_coauthor_groups
            ],
            ["people", "works", "members"],
        )
    )
    for title, pairs in (
        ("Co-citation (cited together by N works)", stats.cocitation),
        ("Bibliographic coupling (N shared references)", stats.coupling),
    ):
        click.echo(f"\n{title}")
        click.echo(
            table(
                [[p.count, short(p.a_name, 45), short(p.b_name, 45)] for p in pairs],
                ["N", "work", "work"],
            )
        )
    years = sorted({*stats.citations_by_citing_year, *stats.citations_by_cited_year})
    click.echo("\nCitations per year")
    click.echo(
        table(
            [
                [
                    y,
                    stats.citations_by_citing_year.get(y, 0),
                    stats.citations_by_cited_year.get(y, 0),
                ]
                for y in years
            ],
            ["year", "by citing year", "by cited year"],
        )
    )
