"""The `citegraph` command: a thin click layer over the library.

Each command parses options, calls one library function and prints its result for
people (tables) or programs (`--json`). Library errors become one-line click errors here
and nowhere else; nothing below this file imports click.
"""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from citegraph.cli_output import (
    emit_json,
    print_audit,
    print_ingest,
    print_query_result,
    print_saved_queries,
    print_stats,
    short,
    table,
)
from citegraph.graph.store import Snapshot, Store, default_store_path

if TYPE_CHECKING:  # the rest is imported by the commands that use it: --help stays quick
    from citegraph.graph.subgraph import SubgraphFilter


class LazyChoice(click.Choice):
    """Choices read from a registry when first needed, not when the command is defined:
    the registries import every loader and writer."""

    def __init__(self, source: Callable[[], list[str]]) -> None:
        self._source = source
        self._found: tuple[str, ...] | None = None
        super().__init__([])

    @property
    def choices(self) -> tuple[str, ...]:
        if self._found is None:
            self._found = tuple(self._source())
        return self._found

    @choices.setter
    def choices(self, _value: object) -> None:
        pass


def loader_names() -> list[str]:
    from citegraph.loaders.registry import available

    return available()


@dataclass
class Context:
    """One store per command, closed when click closes the context."""

    store_path: Path
    _store: Store | None = None

    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.store_path)
        return self._store

    def snapshot(self) -> Snapshot:
        """The store's published version, or a one-line error before the first ingest."""
        snapshot = self.store().snapshot() if self.store().exists() else None
        if snapshot is None:
            raise click.ClickException(
                f"{self.store_path}: no store here yet; run `citegraph ingest FILE` first"
            )
        return snapshot

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def _store_after_command(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        before = ctx.find_object(Context)
        ctx.obj = replace(before, store_path=value) if before else Context(value)


def pass_context(func: Callable[..., Any]) -> Callable[..., Any]:
    """Pass the command its Context, and take `--store` after the command as well as before
    it (`citegraph ingest --store DIR file`); given both ways, the command's own one wins."""
    store_option = click.option(
        "--store",
        type=click.Path(path_type=Path),
        default=None,
        expose_value=False,
        callback=_store_after_command,
        help="Store directory (wins over a --store before the command).",
    )
    return store_option(click.make_pass_decorator(Context)(func))


def json_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for programs.")(func)


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


def wait_option(func: Callable[..., Any]) -> Callable[..., Any]:
    from citegraph.graph.store.lock import DEFAULT_WAIT

    return click.option(
        "--wait",
        type=click.FloatRange(min=0),
        default=DEFAULT_WAIT,
        show_default=True,
        metavar="SECONDS",
        help="How long to wait for another process writing to the store (0: do not wait).",
    )(func)


def say_waiting(message: str) -> None:
    click.echo(message, err=True)


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


@main.command("merge")
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


@main.command("split")
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


@main.command("decisions")
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


@main.command("prisma")
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


@main.command("concepts")
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


# --- pages: render, lineage, evidence map ---------------------------------------------


def wrote(path: Path) -> None:
    click.echo(f"wrote {path}", err=True)


def html_out_option(help: str, required: bool = False) -> Callable[[Any], Any]:
    """`-o/--out FILE.html`, as render, lineage and evidence take it."""
    return click.option(
        "-o",
        "--out",
        "out_path",
        required=required,
        default=None,
        type=click.Path(dir_okay=False, path_type=Path),
        help=help,
    )


def subgraph_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--focus/--depth/--label/--years/--theory/--country, handed to the command as one
    `subgraph` filter (graph/subgraph.py), so render and export read them alike."""

    @functools.wraps(func)
    def with_filter(
        *args: Any,
        focus: str | None,
        depth: int,
        labels: tuple[str, ...],
        years: str | None,
        theory: str | None,
        country: str | None,
        **kwargs: Any,
    ) -> Any:
        from citegraph.graph.subgraph import SubgraphFilter, parse_years

        try:
            span = parse_years(years) if years else None
        except ValueError as error:
            raise click.ClickException(str(error)) from None
        wanted = SubgraphFilter(focus, depth, labels, span, theory, country)
        return func(*args, subgraph=wanted, **kwargs)

    options = [
        click.option("--focus", default=None, help="Centre on this node: IRI, DOI, name or title."),
        click.option(
            "--depth",
            type=click.IntRange(min=0),
            default=1,
            show_default=True,
            help="Hops around --focus.",
        ),
        click.option(
            "--label",
            "labels",
            multiple=True,
            help="Keep only nodes with this label (repeatable), e.g. --label Work.",
        ),
        click.option("--years", default=None, help="Works published in FROM-TO, e.g. 2015-2024."),
        click.option(
            "--theory", default=None, help="A theory, its descendants and the works using them."
        ),
        click.option("--country", default=None, help="A country or region and the works on it."),
    ]
    decorated: Callable[..., Any] = with_filter
    for option in reversed(options):
        decorated = option(decorated)
    return decorated


@main.command("render")
@html_out_option("The HTML file to write.", required=True)
@subgraph_options
@click.option(
    "--size-by",
    type=click.Choice(["citations", "pagerank"]),
    default="citations",
    show_default=True,
    help="What node size shows.",
)
@click.option("--title", default=None, help="Page title [citegraph: STORE].")
@pass_context
def render_page(
    ctx: Context,
    out_path: Path,
    subgraph: SubgraphFilter,
    size_by: str,
    title: str | None,
) -> None:
    """Write the graph (or a subgraph) as one interactive, offline HTML page.

    Example: citegraph render -o graph.html --focus "routine activity" --depth 2
    """
    from citegraph.graph.render import render
    from citegraph.graph.views.pages import chosen as read_chosen
    from citegraph.graph.work_text import authors_by_work

    try:
        chosen, bylines = read_chosen(ctx.snapshot().graph(), subgraph)
    except (LookupError, ValueError) as error:
        raise click.ClickException(str(error)) from None
    if not chosen.nodes:
        raise click.ClickException("the filters leave no nodes; loosen --label/--years")
    render(
        chosen,
        out_path,
        title=title or f"citegraph: {ctx.store_path}",
        size_by="pagerank" if size_by == "pagerank" else "citations",
        authors=authors_by_work(bylines),
    )
    click.echo(f"{len(chosen.nodes)} nodes, {len(chosen.relationships)} relationships")
    wrote(out_path)


@main.command("lineage")
@click.argument("theory")
@html_out_option("Also write the lineage as a top-down HTML page.")
@json_option
@pass_context
def lineage_command(ctx: Context, theory: str, out_path: Path | None, as_json: bool) -> None:
    """A theory's ancestors, descendants, founding works and the works using them.

    Example: citegraph lineage "routine activity" -o lineage.html
    """
    from citegraph.graph.lineage import lineage, render_lineage
    from citegraph.graph.views.pages import lineage_graph

    try:
        pg = lineage_graph(ctx.snapshot().graph(), theory)
        found = lineage(pg, theory)
    except LookupError as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        emit_json(found.to_json())
    else:
        click.echo(found.tree())
    if out_path is not None:
        wrote(render_lineage(pg, found, out_path))


@main.command("evidence")
@click.option(
    "--by",
    type=click.Choice(["country", "theory"]),
    default="country",
    show_default=True,
    help="Cross strategies with places or with theories.",
)
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write every cell as CSV.",
)
@html_out_option("Also write an HTML heat map.")
@json_option
@pass_context
def evidence_command(
    ctx: Context, by: str, csv_path: Path | None, out_path: Path | None, as_json: bool
) -> None:
    """Evidence map: findings per prevention strategy and country (or theory), with works.

    Example: citegraph evidence --by country --csv evidence.csv -o heatmap.html
    """
    from citegraph.graph.evidence import evidence_map, heatmap_html
    from citegraph.graph.views.pages import evidence_graph

    pg = evidence_graph(ctx.snapshot().graph())
    found = evidence_map(pg, "theory" if by == "theory" else "country")
    if as_json:
        emit_json(found.to_json())
    else:
        click.echo(found.table())
    if csv_path is not None:
        with csv_path.open("w", newline="", encoding="utf-8") as out:
            found.write_csv(out)
        wrote(csv_path)
    if out_path is not None:
        out_path.write_text(heatmap_html(found, f"Evidence map by {by}"), encoding="utf-8")
        wrote(out_path)


# --- Neo4j: sync and query -------------------------------------------------------------


def neo4j_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--uri/--user/--database, each falling back to its NEO4J_* environment variable."""
    func = click.option(
        "--database", default=None, help="Neo4j database [env NEO4J_DATABASE; server default]."
    )(func)
    func = click.option("--user", default=None, help="Neo4j user [env NEO4J_USERNAME; neo4j].")(
        func
    )
    return click.option(
        "--uri", default=None, help="bolt://, neo4j:// or neo4j+s:// URI [env NEO4J_URI]."
    )(func)


def neo4j_connection(uri: str | None, user: str | None, database: str | None) -> Any:
    """(driver, settings); the password from NEO4J_PASSWORD or a hidden prompt, never echoed."""
    from citegraph.graph.neo4j_connect import Neo4jError, connect, resolve_settings

    try:
        settings = resolve_settings(uri, user, database)
        if settings.password is None:
            settings = settings.with_password(
                click.prompt(f"Neo4j password for {settings.user}", hide_input=True, err=True)
            )
        return connect(settings), settings
    except Neo4jError as error:
        raise click.ClickException(str(error)) from None


class ProgressBar:
    """Progress bars on stderr, one per phase, each sized by the first report of its phase."""

    def __init__(self) -> None:
        self.phase = ""
        self.bar: Any = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        if phase != self.phase:
            self.close()
            self.phase = phase
            self.bar = click.progressbar(length=total, label=phase, file=sys.stderr, show_pos=True)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@main.command("sync")
@neo4j_options
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option(
    "--prune",
    is_flag=True,
    help="Delete what this store wrote before and no longer has (others' data stays).",
)
@json_option
@pass_context
def sync_command(
    ctx: Context,
    uri: str | None,
    user: str | None,
    database: str | None,
    dry_run: bool,
    prune: bool,
    as_json: bool,
) -> None:
    """Push the store's graph to Neo4j, writing only what changed since the last sync.

    Example: NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_PASSWORD=... citegraph sync --prune
    """
    from citegraph.graph.neo4j_connect import Neo4jError
    from citegraph.graph.neo4j_sync import store_id, sync
    from citegraph.graph.views.reads import whole

    pg = whole(ctx.snapshot().graph())
    driver, settings = neo4j_connection(uri, user, database)
    sid = store_id(ctx.store().path)
    try:
        with driver, ProgressBar() as bar:
            summary = sync(
                pg, driver, settings.database, sid, dry_run=dry_run, prune=prune, progress=bar
            )
    except Neo4jError as error:
        raise click.ClickException(str(error)) from None
    where = f"{settings.target} database {settings.database or '(default)'}"
    if as_json:
        emit_json(
            {
                "uri": settings.target,
                "database": settings.database,
                "store_id": sid,
                "dry_run": dry_run,
                "prune": prune,
                **summary.to_json(),
            }
        )
        return
    click.echo(
        table(
            [
                ["nodes", summary.nodes_created, summary.nodes_updated, summary.nodes_deleted],
                ["relationships", summary.rels_created, summary.rels_updated, summary.rels_deleted],
            ],
            ["", "created", "updated", "deleted"],
        )
    )
    verb = "dry run, nothing written to" if dry_run else "synced to"
    click.echo(f"{verb} {where} as store {sid}")


def question_options(param_help: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """What `query` and `sparql` share: a saved question or one's own, parameters, and
    output for people, CSV or JSON."""

    def apply(func: Callable[..., Any]) -> Callable[..., Any]:
        for option in (
            json_option,
            click.option("--csv", "as_csv", is_flag=True, help="Print CSV."),
            click.option(
                "--param",
                "params",
                multiple=True,
                metavar="NAME=VALUE",
                help=f"{param_help} Repeatable.",
            ),
            click.option(
                "--list", "list_saved", is_flag=True, help="List the saved queries and exit."
            ),
            click.option(
                "--saved", "saved_name", metavar="NAME", help="Run a saved query (see --list)."
            ),
        ):
            func = option(func)
        return func

    return apply


@main.command("query")
@click.argument("cypher", required=False)
@question_options('A query parameter; VALUE is JSON (5, true, ["a"]) or else a string.')
@click.option("--write", is_flag=True, help="Allow a query that writes (Neo4j only).")
@click.option(
    "--engine",
    type=click.Choice(["auto", "neo4j", "embedded"]),
    default="auto",
    show_default=True,
    help="auto: Neo4j when a URI is configured, else embedded.",
)
@neo4j_options
@pass_context
def query_command(
    ctx: Context,
    cypher: str | None,
    saved_name: str | None,
    list_saved: bool,
    params: tuple[str, ...],
    write: bool,
    engine: str,
    as_csv: bool,
    as_json: bool,
    uri: str | None,
    user: str | None,
    database: str | None,
) -> None:
    """Run Cypher on Neo4j when configured, else on the store's database; read-only by default.

    Example: citegraph query --saved most-cited-on-theory --param theory="Routine activity theory"
    """
    from citegraph.graph.neo4j_connect import Neo4jError, configured_uri
    from citegraph.graph.query import QueryError, parse_param, run_embedded, run_neo4j
    from citegraph.graph.saved_queries import SavedQueryError, saved_query

    if list_saved:
        print_saved_queries(as_json)
        return
    if (cypher is None) == (saved_name is None):
        raise click.UsageError("give either a CYPHER query or --saved NAME (see --list)")
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    if engine == "auto":
        engine = "neo4j" if configured_uri(uri) else "embedded"
    if write and engine == "embedded":
        raise click.ClickException("--write needs Neo4j: the embedded database is read-only")
    try:
        given = dict(parse_param(p) for p in params)
        if saved_name is not None:
            saved = saved_query(saved_name)
            text, values = saved.text, saved.bind(given)
        else:
            text, values = str(cypher), given
        if engine == "embedded":
            result = run_embedded(ctx.snapshot().graph(), text, values)
            answered_by = "the store's embedded database"
        else:
            driver, settings = neo4j_connection(uri, user, database)
            with driver:
                result = run_neo4j(
                    driver,
                    settings.database,
                    text,
                    values,
                    write=write,
                    target=f"Neo4j at {settings.target}",
                )
            answered_by = f"Neo4j at {settings.target}"
    except (QueryError, SavedQueryError, Neo4jError) as error:
        raise click.ClickException(str(error)) from None
    print_query_result(result.columns, result.rows, answered_by, as_json, as_csv)


@main.command("sparql")
@click.argument("sparql", required=False)
@question_options("Bind ?NAME: <iri>, a JSON number or boolean, or else a string.")
@pass_context
def sparql_command(
    ctx: Context,
    sparql: str | None,
    saved_name: str | None,
    list_saved: bool,
    params: tuple[str, ...],
    as_csv: bool,
    as_json: bool,
) -> None:
    """Run SPARQL on the store's RDF graph (read-only); the export's prefixes are declared.

    Example: citegraph sparql --saved works-on-theory --param theory=routine
    """
    from citegraph.graph.query import QueryError, parse_param
    from citegraph.graph.saved_queries import SavedQueryError
    from citegraph.graph.sparql import SparqlError, run_saved, run_sparql, saved_sparql

    if list_saved:
        print_saved_queries(as_json, list(saved_sparql().values()))
        return
    if (sparql is None) == (saved_name is None):
        raise click.UsageError("give either a SPARQL query or --saved NAME (see --list)")
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    try:
        given = dict(parse_param(p) for p in params)
        rdf = ctx.snapshot().rdf()
        if saved_name is not None:
            result = run_saved(rdf, saved_name, given)
        else:
            result = run_sparql(rdf, str(sparql), given)
    except (QueryError, SavedQueryError, SparqlError) as error:
        raise click.ClickException(str(error)) from None
    answered_by = "the store's RDF graph (Oxigraph)"
    print_query_result(result.columns, result.rows, answered_by, as_json, as_csv)


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


if __name__ == "__main__":
    main()
