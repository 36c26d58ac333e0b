"""`citegraph sync`, `query` and `sparql`: the graph pushed to Neo4j, and questions asked
in Cypher (on Neo4j or the embedded database) or SPARQL (on the RDF graph)."""

from __future__ import annotations

import click

from citegraph.cli_options import (
    Context,
    ProgressBar,
    json_option,
    neo4j_connection,
    neo4j_options,
    pass_context,
    question_options,
)
from citegraph.cli_output import (
    emit_json,
    print_query_result,
    print_saved_queries,
    table,
)


@click.command("sync")
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


@click.command("query")
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


@click.command("sparql")
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
