"""The `citegraph` command: a thin click layer over the library.

Each command parses options, calls one library function and prints its result for
people (tables) or programs (`--json`). Library errors become one-line click errors here
and nowhere else; nothing below this file imports click.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from citegraph.graph.store import Store, default_store_path
from citegraph.loaders.registry import available


@dataclass
class Context:
    store_path: Path

    def store(self) -> Store:
        return Store(self.store_path)

    def existing_store(self) -> Store:
        store = self.store()
        if not store.exists():
            raise click.ClickException(
                f"{self.store_path}: no store here yet; run `citegraph ingest FILE` first"
            )
        return store


pass_context = click.make_pass_decorator(Context)


def json_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for programs.")(func)


def emit_json(data: object) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def table(rows: list[list[object]], headers: list[str]) -> str:
    """A plain aligned text table (no dependency for something this small)."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
             for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", "store_path", type=click.Path(path_type=Path),
              default=None, help="Store directory [env CITEGRAPH_STORE; ./citegraph-store].")
@click.version_option(package_name="citegraph")
@click.pass_context
def main(ctx: click.Context, store_path: Path | None) -> None:
    """citegraph: citation knowledge graphs for literature reviews.

    Example: citegraph ingest review.md refs.bib && citegraph audit
    """
    ctx.obj = Context(store_path or default_store_path())


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "format_", type=click.Choice(available()), default=None,
              help="Force a format instead of sniffing the content.")
@json_option
@pass_context
def ingest(ctx: Context, paths: tuple[Path, ...], format_: str | None, as_json: bool) -> None:
    """Load files of any supported format into the store and validate the graph.

    Example: citegraph ingest review.md scopus.csv refs.bib
    """
    from citegraph.graph.ingest import ingest as run_ingest

    missing = [p for p in paths if not p.is_file()]
    if missing:
        raise click.ClickException(f"{missing[0]}:0: no such file")
    with click.progressbar(length=len(paths), label="ingesting", file=sys.stderr,
                           show_pos=True) as bar:
        def progress(_path: str) -> None:
            bar.update(1)

        report = run_ingest(ctx.store(), paths, format_, progress if len(paths) > 1 else None)
    validation = report.validation
    if as_json:
        emit_json({
            "files": [f.to_json() for f in report.files],
            "valid": validation.conforms if validation else None,
            "violations": [str(v) for v in validation.violations] if validation else [],
        })
    else:
        rows = [[f.path, f.format, f.records, f.loaded, f.rejected,
                 sum(1 for i in f.issues if i.severity.value == "warning")] for f in report.files]
        click.echo(table(rows, ["file", "format", "records", "loaded", "rejected", "warnings"]))
        for f in report.files:
            for issue in f.issues:
                if issue.severity.value != "info":
                    click.echo(str(issue), err=True)
        if validation is not None:
            for violation in validation.violations:
                click.echo(f"SHACL {violation}", err=True)
            click.echo(f"SHACL: {'valid' if validation.conforms else 'INVALID'} "
                       f"({validation.checks} checks, {len(validation.violations)} violations)")
        click.echo(f"rejects kept in {ctx.store().rejects_path}")
    if all(f.loaded == 0 for f in report.files) and any(f.rejected for f in report.files):
        first = next(i for f in report.files for i in f.issues if i.severity.value == "error")
        raise click.ClickException(str(first))


if __name__ == "__main__":
    main()
