"""Cypher for researchers: on Neo4j when configured, else on the store's own database.

Neo4j runs queries read-only unless asked to write: the query is EXPLAINed first and
refused unless the planner calls it read-only, and then runs in a READ transaction, so
a single instance refuses writes too. The embedded engine is the store's property-graph
database (graph/store/graphdb.py), opened read-only: real Cypher, with the few spelling
differences rewritten by graph/cypher_dialect.py. Both return rows of plain values: a
node or relationship as its properties, a path as its nodes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from citegraph.graph.cypher_dialect import (
    DialectError,
    inline_hop_bounds,
    return_columns,
    to_embedded,
)

if TYPE_CHECKING:
    import neo4j

    from citegraph.graph.store.graphdb import GraphDB

NEO4J = "neo4j"
EMBEDDED = "embedded"


class QueryError(Exception):
    """A query that cannot or may not run, in one line."""


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[dict[str, Any]]
    engine: str


def parse_param(text: str) -> tuple[str, Any]:
    """`name=value` with a JSON-typed value (5, true, ["a"], "5"); anything else is a string."""
    name, sep, raw = text.partition("=")
    if not sep or not re.fullmatch(r"[A-Za-z_]\w*", name.strip()):
        raise QueryError(f"--param {text!r}: expected NAME=VALUE")
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    return name.strip(), value


# --- Neo4j -----------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """Driver values as plain data: entities become their properties, minus ours."""
    from neo4j.graph import Node, Path, Relationship

    from citegraph.graph.neo4j_sync import INTERNAL_PREFIX

    if isinstance(value, Node | Relationship):
        return {k: v for k, v in value.items() if not k.startswith(INTERNAL_PREFIX)}
    if isinstance(value, Path):
        return [_plain(node) for node in value.nodes]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def _collect(
    tx: neo4j.ManagedTransaction | neo4j.Session, cypher: str, params: dict[str, Any]
) -> tuple[list[str], list[dict[str, Any]]]:
    result = tx.run(cypher, params)
    columns = list(result.keys())
    rows = [
        {c: _plain(v) for c, v in zip(columns, record.values(), strict=True)} for record in result
    ]
    return columns, rows


def run_neo4j(
    driver: neo4j.Driver,
    database: str | None,
    cypher: str,
    params: Mapping[str, Any] | None = None,
    *,
    write: bool = False,
    target: str = "Neo4j",
) -> QueryResult:
    """Run on Neo4j; refuse anything but a read-only query unless `write`."""
    from neo4j import READ_ACCESS, WRITE_ACCESS

    from citegraph.graph.neo4j_connect import neo4j_errors

    values = dict(params or {})
    try:
        text = inline_hop_bounds(cypher, values)
    except DialectError as error:
        raise QueryError(str(error)) from None
    with neo4j_errors(target):
        if write:
            with driver.session(database=database, default_access_mode=WRITE_ACCESS) as session:
                columns, rows = _collect(session, text, values)
        else:
            with driver.session(database=database, default_access_mode=READ_ACCESS) as session:
                kind = session.run("EXPLAIN " + text, values).consume().query_type
                if kind != "r":
                    raise QueryError(
                        f"refusing a query that may write (Neo4j query type "
                        f"{kind!r}); pass --write to run it"
                    )
                columns, rows = session.execute_read(_collect, text, values)
    return QueryResult(columns, rows, NEO4J)


# --- the embedded database -------------------------------------------------------------

_PARAMETER = re.compile(r"\$([A-Za-z_]\w*)")


def run_embedded(db: GraphDB, cypher: str, params: Mapping[str, Any] | None = None) -> QueryResult:
    """Run on the store's property-graph database (read-only, so nothing can write)."""
    from citegraph.graph.store.graphdb import GraphDBError, plain

    values = dict(params or {})
    try:
        text = to_embedded(cypher, values)
        wanted = return_columns(cypher)
    except DialectError as error:
        raise QueryError(str(error)) from None
    names = _PARAMETER.findall(_code_only(text))
    missing = [n for n in names if n not in values]
    if missing:
        raise QueryError(f"missing parameter ${missing[0]} (pass --param {missing[0]}=VALUE)")
    used = {n: values[n] for n in names}  # the engine refuses parameters it is not asked for
    try:
        columns, found = db.execute(text, used)
        rows = [[plain(v) for v in row] for row in found]
    except GraphDBError as error:
        message = str(error)
        if "read-only" in message:
            message = "the embedded database is read-only (citegraph ingest writes it)"
        raise QueryError(f"embedded engine: {message}") from None
    if len(wanted) == len(columns):
        columns = wanted
    return QueryResult(columns, [dict(zip(columns, r, strict=True)) for r in rows], EMBEDDED)


def _code_only(cypher: str) -> str:
    from citegraph.graph.cypher_dialect import scan

    return "".join(s.text for s in scan(cypher) if s.kind == "code")
