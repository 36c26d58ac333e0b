"""`citegraph render`, `lineage` and `evidence`: the graph as pages and maps."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from citegraph.cli_options import (
    Context,
    html_out_option,
    json_option,
    pass_context,
    subgraph_options,
    wrote,
)
from citegraph.cli_output import emit_json

#: Nodes a page shows around a focus unless told otherwise: a 5k-node page takes a
#: browser 2-4 s to settle (bench/bench_render.py), 20k nodes make it unusable.
MAX_PAGE_NODES = 2000

if TYPE_CHECKING:  # the rest is imported by the commands that use it: --help stays quick
    from citegraph.graph.subgraph import SubgraphFilter


@click.command("render")
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
@click.option(
    "--max-nodes",
    type=click.IntRange(min=0),
    default=MAX_PAGE_NODES,
    show_default=True,
    help="Nodes a page holds: the walk around --focus stops there, and a larger selection "
    "without a focus is refused (0: no limit).",
)
@pass_context
def render_page(
    ctx: Context,
    out_path: Path,
    subgraph: SubgraphFilter,
    size_by: str,
    title: str | None,
    max_nodes: int,
) -> None:
    """Write the graph (or a subgraph) as one interactive, offline HTML page.

    Around --focus, the last hop keeps the nodes most linked to the nearer ones when the
    walk would pass --max-nodes, and says how many it left out; without a focus, a
    selection larger than --max-nodes is refused with what to narrow.

    Example: citegraph render -o graph.html --focus "routine activity" --depth 2
    """
    from dataclasses import replace

    from citegraph.graph.render import render
    from citegraph.graph.views.pages import chosen

    try:
        page = chosen(ctx.snapshot().graph(), replace(subgraph, max_nodes=max_nodes or None))
    except (LookupError, ValueError) as error:
        raise click.ClickException(str(error)) from None
    if not page.graph.nodes:
        raise click.ClickException("the filters leave no nodes; loosen --label/--years")
    if page.left_out:
        click.echo(
            f"warning: the walk around {subgraph.focus!r} stopped at {max_nodes} nodes; "
            f"its last hop left out {page.left_out} more (raise --max-nodes, or lower --depth)",
            err=True,
        )
    render(
        page.graph,
        out_path,
        title=title or f"citegraph: {ctx.store_path}",
        size_by="pagerank" if size_by == "pagerank" else "citations",
        authors=page.bylines,
    )
    click.echo(f"{len(page.graph.nodes)} nodes, {len(page.graph.relationships)} relationships")
    wrote(out_path)


@click.command("lineage")
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


@click.command("evidence")
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
