"""What the `citegraph` commands share: the store context, and the options and helpers
several commands take alike (waiting for the store's lock, subgraph filters, Neo4j
settings, output files), so each reads them one way."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import click

from citegraph.graph.store import Snapshot, Store


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
