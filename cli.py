"""The `citegraph` command: a thin click layer over the library.

Each command parses options, calls one library function and prints its result for
people (tables) or programs (`--json`). Library errors become one-line click errors here
and nowhere else; only the cli_ modules beside this file import click.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

from citegraph.cli_curation import (
    audit,
    concepts_command,
    decisions_command,
    merge_command,
    prisma_command,
    split_command,
)
from citegraph.cli_options import (
    Context,
    LazyChoice,
    json_option,
    loader_names,
    pass_context,
    say_waiting,
    subgraph_options,
    wait_option,
    wrote,
)
from citegraph.cli_output import (
    emit_json,
    print_audit,
    print_ingest,
    print_stats,
)
from citegraph.cli_pages import evidence_command, lineage_command, render_page
from citegraph.cli_query import query_command, sparql_command, sync_command
from citegraph.graph.store import default_store_path

if TYPE_CHECKING:  # the rest is imported by the commands that use it: --help stays quick
    from citegraph.graph.subgraph import SubgraphFilter


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    "store_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Store directory [env CITEGRAPH_STORE; ./citegraph-store].",
)
@click.version_option(package_name="citegraph")
@click.pass_context
def main(ctx: click.Context, store_path: Path | None) -> None:
    """citegraph: citation knowledge graphs for literature reviews.

    Example: citegraph ingest review.md refs.bib && citegraph audit
    """
    ctx.obj = Context(store_path or default_store_path())
    ctx.call_on_close(ctx.obj.close)


def _files_in(paths: tuple[Path, ...], store: Path) -> Iterator[Path]:
    """The files named, and every file under the folders named (a folder of exports).

    Hidden files and folders (`.git`, `.DS_Store`) and the store itself are passed over.
    """
    store = store.resolve()
    for path in paths:
        if not path.is_dir():
            yield path
            continue
        for found in sorted(path.rglob("*")):
            inside = found.relative_to(path).parts
            if found.is_file() and not any(part.startswith(".") for part in inside):
                if store not in found.resolve().parents:
                    yield found


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "format_",
    type=LazyChoice(loader_names),
    default=None,
    help="Force a format instead of sniffing the content.",
)
@wait_option
@json_option
@pass_context
def ingest(
    ctx: Context, paths: tuple[Path, ...], format_: str | None, wait: float, as_json: bool
) -> None:
    """Load files of any supported format into the store and validate the graph.

    PATHS are files or folders (every file under a folder is read).

    Example: citegraph ingest review.md scopus.csv refs.bib exports/
    """
    from citegraph.graph.ingest import ingest as run_ingest
    from citegraph.graph.store import StoreBusy

    missing = [p for p in paths if not p.exists()]
    if missing:
        raise click.ClickException(f"{missing[0]}:0: no such file")
    paths = tuple(_files_in(paths, ctx.store().path))
    if not paths:
        raise click.ClickException("no files to ingest in the folders given")
    # a bar for several files only: for one, it would be a stray line on stderr
    bar = click.progressbar(length=len(paths), label="ingesting", file=sys.stderr, show_pos=True)
    with bar if len(paths) > 1 else contextlib.nullcontext(bar):
        try:
            report = run_ingest(
                ctx.store(),
                paths,
                format_,
                (lambda _path: bar.update(1)) if len(paths) > 1 else None,
                wait=wait,
                waiting=say_waiting,
            )
        except StoreBusy as error:
            raise click.ClickException(str(error)) from None
    if as_json:
        validation = report.validation
        emit_json(
            {
                "files": [f.to_json() for f in report.files],
                "valid": validation.conforms if validation else None,
                "violations": [str(v) for v in validation.violations] if validation else [],
            }
        )
    else:
        print_ingest(report, ctx.store())
    if all(f.loaded == 0 for f in report.files) and any(f.rejected for f in report.files):
        first = next(i for f in report.files for i in f.issues if i.severity.value == "error")
        raise click.ClickException(str(first))


@main.command("remove")
@click.argument("paths", nargs=-1, required=True)
@wait_option
@pass_context
def remove_command(ctx: Context, paths: tuple[str, ...], wait: float) -> None:
    """Take ingested files out of the store: their records and every fact they gave.

    Example: citegraph remove old-search.ris
    """
    from citegraph.graph.ingest import remove
    from citegraph.graph.store import StoreBusy

    ctx.snapshot()  # a store must exist
    try:
        unknown = remove(ctx.store(), paths, wait=wait, waiting=say_waiting)
    except StoreBusy as error:
        raise click.ClickException(str(error)) from None
    if len(unknown) == len(paths):
        raise click.ClickException(f"{unknown[0]}: was not ingested into this store")
    for path in unknown:
        click.echo(f"{path}: was not ingested into this store", err=True)
    click.echo(f"removed {len(paths) - len(unknown)} file(s); the graph was rebuilt without them")


@main.command()
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Where to write exports and pages [STORE/demo].",
)
@pass_context
def demo(ctx: Context, out_dir: Path | None) -> None:
    """Run the whole pipeline on the bundled example into a fresh store.

    Example: citegraph --store /tmp/demo-store demo
    """
    from citegraph.graph.demo import NotAStore, run_demo

    try:
        result = run_demo(ctx.store_path, out_dir)
    except NotAStore as error:
        raise click.ClickException(str(error)) from None
    print_ingest(result.ingest, result.store)
    print_audit(result.audit)
    print_stats(result.stats)
    click.echo(f"\nstore: {ctx.store_path}   outputs: {result.out_dir}")
    for path in result.outputs:
        click.echo(f"  wrote {path}")


# --- export and stats ---------------------------------------------------------------------


def export_formats() -> list[str]:
    """The --format choices, from graph/export.py."""
    from citegraph.graph.export import FORMATS

    return list(FORMATS)


@main.command("export")
@click.option(
    "--format",
    "fmt",
    required=True,
    type=LazyChoice(export_formats),
    help="ttl/jsonld (RDF), json (APOC lines), graphml, gexf, csv (neo4j-admin), "
    "cypher, bibtex, ris, csl-json (Zotero, Pandoc, citeproc), vosviewer (map and network "
    "files).",
)
@click.option(
    "-o",
    "--out",
    "out_path",
    type=click.Path(path_type=Path),
    default=None,
    help="File to write (csv: a directory or a .zip) [stdout].",
)
@click.option(
    "--dedup",
    is_flag=True,
    help="ris/csv for screening (ASReview, Rayyan, Covidence): one record per work of the "
    "exports, its source records' files, lines and IDs in N1 / source_records.",
)
@subgraph_options
@pass_context
def export_command(
    ctx: Context,
    fmt: str,
    out_path: Path | None,
    dedup: bool,
    subgraph: SubgraphFilter,
) -> None:
    """Export the graph, or a subgraph, for other tools.

    Example: citegraph export --format graphml -o ra.graphml --focus "routine activity" --depth 2
    """
    from citegraph.graph.export import TEXT_FORMATS, export
    from citegraph.graph.subgraph import is_whole

    def write(out: Path | TextIO) -> str:
        """Write the export; say what it holds."""
        if dedup:
            from citegraph.graph.export_screening import export_screening

            done = export_screening(ctx.snapshot(), fmt, out)
            return (
                f"{done.works} works from {done.records} records ({done.duplicates} duplicates "
                f"removed) as {fmt} for screening"
            )
        result = export(ctx.snapshot(), fmt, out, subgraph)
        return (
            f"{result.nodes} nodes, {result.relationships} relationships, "
            f"{result.works} works as {fmt}"
        )

    if dedup and not is_whole(subgraph):
        raise click.ClickException("--dedup exports every work to screen: drop the filters")
    if out_path is None and fmt not in TEXT_FORMATS and not dedup:
        raise click.ClickException(f"{fmt} writes several files: give -o DIR or -o FILE.zip")
    try:
        said = write(out_path or sys.stdout)
    except (LookupError, ValueError) as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:
        raise click.ClickException(f"{out_path or 'stdout'}: {error.strerror or error}") from None
    click.echo(said, err=True)
    if out_path is not None:
        wrote(out_path)


@main.command("stats")
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Entries in each ranked list.",
)
@json_option
@pass_context
def stats_command(ctx: Context, top: int, as_json: bool) -> None:
    """Counts, most cited and central works, co-authorship, co-citation, coupling, years.

    Example: citegraph stats --top 20
    """
    from citegraph.graph.analysis import analyse
    from citegraph.graph.merge_report import record_counts

    snapshot = ctx.snapshot()
    stats = analyse(snapshot.graph(), top)
    records = record_counts(snapshot).to_json()
    if as_json:
        emit_json({**stats.to_json(), "records": records})
        return
    print_stats(stats)
    click.echo(
        f"\nRecords: {records['identified']} identified in {len(records['files'])} files, "
        f"{records['duplicates_removed']} duplicates removed, {records['unique']} left"
    )


# the other cli_ modules' commands
for _command in (
    audit,
    merge_command,
    split_command,
    decisions_command,
    prisma_command,
    concepts_command,
    render_page,
    lineage_command,
    evidence_command,
    sync_command,
    query_command,
    sparql_command,
):
    main.add_command(_command)


def run() -> None:
    """The console script: `main`, then out without the interpreter's teardown.

    Freeing pyarrow, networkx, numpy and a page's objects on the way out took 0.1 s of a
    1 s `render --focus` at 310k references. Skipping it loses nothing: every write is
    durable before its command returns (the store is built to survive kill -9 at any
    instant), and the two output streams are flushed here."""
    try:
        main()
        code: int | str | None = 0
    except SystemExit as done:
        code = done.code
    if isinstance(code, str):  # click's way of exiting with a message
        click.echo(code, err=True)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`| head`)
            stream.flush()
    os._exit(code or 0)


if __name__ == "__main__":
    run()
