"""`citegraph audit`, `merge`, `split`, `decisions`, `prisma` and `concepts`: what the
reviewer checks in the graph, and the decisions they keep in the store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from citegraph.cli_options import (
    Context,
    json_option,
    pass_context,
    say_waiting,
    wait_option,
    wrote,
)
from citegraph.cli_output import (
    emit_json,
    print_audit,
    short,
    table,
)
from citegraph.graph.store import Snapshot


@click.command()
@click.option(
    "--merges",
    is_flag=True,
    help="Explain every merge instead: records, rules, scores, matched fields, weakest first.",
)
@json_option
@pass_context
def audit(ctx: Context, merges: bool, as_json: bool) -> None:
    """Citation and method audit: unmatched citations, uncited entries, mismatches,
    duplicates, merges, and the review's counts against its tables, text and cited works.

    Example: citegraph audit --json > audit.json; citegraph audit --merges
    """
    if merges:
        print_merges(ctx.snapshot(), as_json)
        return
    from citegraph.graph.audit import audit as run_audit

    report = run_audit(ctx.snapshot())
    if as_json:
        emit_json(report.to_json())
        return
    print_audit(report)


def print_merges(snapshot: Snapshot, as_json: bool) -> None:
    from citegraph.graph.merge_report import merged_works

    works = merged_works(snapshot)
    if as_json:
        emit_json([w.to_json() for w in works])
        return
    click.echo(f"Works merged from two or more records: {len(works)}")
    for work in works:
        rules = ", ".join(sorted({j.rule for j in work.joins})) or "key"
        click.echo(f"\n{work.iri}  {work.title[:70]!r}")
        click.echo(f"  {len(work.records)} records ({rules}); weakest score {work.score:g}")
        joined = {j.record: j for j in work.joins}
        for record in work.records:
            place = f"{record['path']}:{record['line']}"
            join = joined.get(place)
            why = (
                f" <- {join.to} by {join.rule}, score {join.score:g}, "
                f"matched {', '.join(join.matched) or 'nothing printed'}"
                if join
                else ""
            )
            click.echo(f"  {place} [{record['record']}]{why}")
        for name, values in work.conflicts.items():
            click.echo(f"  {name} differs: {' | '.join(values)[:150]}")
        for other in work.versions:
            click.echo(f"  another version: {other}")
        if work.decisions:
            click.echo(f"  reviewer decisions: {', '.join(work.decisions)}")


def _curate(action: Callable[[], Any]) -> Any:
    """Run a decision, with the store's and the reference's errors as one line."""
    from citegraph.graph.curation import UnknownRecord
    from citegraph.graph.store import StoreBusy

    try:
        return action()
    except (UnknownRecord, StoreBusy) as error:
        raise click.ClickException(str(error)) from None


@click.command("merge")
@click.argument("refs", nargs=-1, required=True)
@click.option("--note", default="", help="Why: kept with the decision.")
@wait_option
@pass_context
def merge_command(ctx: Context, refs: tuple[str, ...], note: str, wait: float) -> None:
    """Make works (IRI, IRI's last part, or DOI) or records (FILE:LINE) one work.

    Kept in the store and honoured by every later ingest; `citegraph decisions --undo ID`
    takes it back. Example: citegraph merge a.ris:12 b.bib:40 --note "same editorial"
    """
    from citegraph.graph.curation import merge

    made = _curate(lambda: merge(ctx.store(), refs, note, wait, say_waiting))
    click.echo(f"{made.id}: merged {len(made.records)} records into one work")


@click.command("split")
@click.argument("work")
@click.option(
    "--apart",
    "apart",
    multiple=True,
    help="A record (FILE:LINE) to take out of the work (repeatable); default: every record.",
)
@click.option("--note", default="", help="Why: kept with the decision.")
@wait_option
@pass_context
def split_command(ctx: Context, work: str, apart: tuple[str, ...], note: str, wait: float) -> None:
    """Part a merged work: the --apart records from the rest, or every record.

    Example: citegraph split https://w3id.org/citegraph/id/work/3f2a... --apart b.bib:40
    """
    from citegraph.graph.curation import split

    made = _curate(lambda: split(ctx.store(), work, apart, note, wait, say_waiting))
    sizes = " | ".join(str(len(g)) for g in made.groups)
    click.echo(f"{made.id}: split {len(made.records)} records into groups of {sizes}")


@click.command("decisions")
@click.option("--undo", "undo_id", default=None, metavar="ID", help="Take back decision ID.")
@click.option(
    "--import",
    "pairs",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A CSV of record_a,record_b,decision (same|different), one decision a row.",
)
@wait_option
@json_option
@pass_context
def decisions_command(
    ctx: Context, undo_id: str | None, pairs: Path | None, wait: float, as_json: bool
) -> None:
    """The reviewer's merge and split decisions: list them, undo one, or import pairs.

    Example: citegraph decisions --import rayyan-pairs.csv; citegraph decisions --undo d3
    """
    from citegraph.graph.curation import import_pairs, undo
    from citegraph.graph.merge_report import decision_lines

    if undo_id:
        made = _curate(lambda: undo(ctx.store(), undo_id, wait, say_waiting))
        click.echo(f"{made.id}: undone; the graph was rebuilt without it")
        return
    if pairs:
        report = _curate(lambda: import_pairs(ctx.store(), pairs, wait, say_waiting))
        for line in report.rejected:
            click.echo(line, err=True)
        click.echo(
            f"{pairs}: {report.rows} pairs, {len(report.made)} decisions made, "
            f"{len(report.rejected)} rejected"
        )
        if report.rejected and not report.made:
            raise SystemExit(1)
        return
    found = ctx.snapshot().decisions()
    if as_json:
        emit_json([d.to_json() for d in found])
        return
    for line in decision_lines(found) or ["no decisions yet"]:
        click.echo(line)


@click.command("prisma")
@click.option(
    "-o",
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also draw the PRISMA 2020 diagram: FILE.svg (standalone) or FILE.html.",
)
@click.option(
    "--counts",
    type=click.Choice(["review", "tables", "text", "template", "exports"]),
    default="review",
    show_default=True,
    help="Whose counts fill the diagram's boxes (review: its tables, else its text).",
)
@click.option(
    "--review", default=None, help="The review to draw, by path or file name [the first]."
)
@json_option
@pass_context
def prisma_command(
    ctx: Context, out_path: Path | None, counts: str, review: str | None, as_json: bool
) -> None:
    """The PRISMA 2020 flow from the review, a template and the exports, side by side,
    with the method audit.

    Example: citegraph prisma -o flow.svg
    """
    from citegraph.graph.views.prisma import prisma, write_diagram

    try:
        report = prisma(ctx.snapshot(), review)
    except LookupError as error:
        raise click.ClickException(str(error)) from None
    if not report.reviews:
        raise click.ClickException(
            f"{ctx.store_path}: no review, PRISMA template or export ingested: no flow to show"
        )
    if as_json:
        emit_json(report.to_json())
    else:
        click.echo(report.text())
    if out_path is not None:
        try:
            write_diagram(report.reviews[0], counts, out_path)
        except (LookupError, ValueError) as error:
            raise click.ClickException(str(error)) from None
        except OSError as error:
            raise click.ClickException(f"{out_path}: {error.strerror or error}") from None
        wrote(out_path)


@click.command("concepts")
@click.argument("ids", nargs=-1)
@click.option("--promote", is_flag=True, help="Write the candidates IDS into the scheme.")
@click.option("--all", "promote_all", is_flag=True, help="With --promote: every candidate.")
@wait_option
@json_option
@pass_context
def concepts_command(
    ctx: Context, ids: tuple[str, ...], promote: bool, promote_all: bool, wait: float,
    as_json: bool,
) -> None:  # fmt: skip
    """Candidate concepts: named theories and approaches found in the texts but in no
    scheme, with how many works use them; --promote adds them to the store's scheme.

    Example: citegraph concepts --promote legal-cynicism-framework
    """
    from citegraph.graph.concepts import candidates
    from citegraph.graph.concepts import promote as promote_candidates

    if (ids or promote_all) and not promote:
        raise click.UsageError("IDS and --all need --promote")
    if promote and not (ids or promote_all):
        raise click.UsageError("--promote needs candidate IDS or --all")
    if not promote:
        found = candidates(ctx.snapshot().graph())
        if as_json:
            emit_json([c.to_json() for c in found])
            return
        rows = [
            [c.id, short(c.name, 40), ", ".join(c.aliases), c.works, c.findings, len(c.sources)]
            for c in found
        ]
        click.echo(table(rows, ["id", "name", "also", "works", "findings", "mentions"]))
        click.echo(
            f"{len(found)} candidate concept(s); promote with citegraph concepts --promote ID"
        )
        return
    from citegraph.graph.store import StoreBusy

    ctx.snapshot()  # a one-line error before the first ingest
    try:
        result = promote_candidates(ctx.store(), None if promote_all else list(ids), wait)
    except StoreBusy as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        emit_json(
            {"path": str(result.path), "promoted": result.promoted, "unknown": result.unknown}
        )
    else:
        for unknown in result.unknown[: len(result.unknown) if result.promoted else 0]:
            click.echo(f"{unknown}: no such candidate in this store", err=True)
        click.echo(
            f"promoted {len(result.promoted)} concept(s) to {result.path}; "
            "they are scheme concepts from the next ingest on"
        )
    if result.unknown and not result.promoted:
        raise click.ClickException(f"{result.unknown[0]}: no such candidate in this store")
