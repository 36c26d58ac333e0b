"""Cypher for researchers: on Neo4j when configured, else on the embedded graph.

Neo4j runs queries read-only unless asked to write: the query is EXPLAINed first and
refused unless the planner calls it read-only, and then runs in a READ transaction, so
a single instance refuses writes too. The embedded engine is grand-cypher over the
networkx projection of the same property graph. grand-cypher reads a subset of Cypher
and differs from Neo4j in a few places, so a thin layer around it makes the common
subset agree (see `_prepare`): parameters are inlined as literals, 'single-quoted'
strings, lower-case aggregates and `x IS NOT NULL` are rewritten, every RETURN item gets
an alias so columns keep their order, and DISTINCT, SKIP and LIMIT are applied here,
after aggregation (grand-cypher stops matching at LIMIT before it aggregates).

Saved queries are `.cypher` files in citegraph.queries with a header of `//` lines: the
purpose, then `// @param NAME [= JSON default] description` lines.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import neo4j
import networkx as nx
from grandcypher import GrandCypher
from lark.exceptions import LarkError
from neo4j import READ_ACCESS, WRITE_ACCESS
from neo4j.graph import Node as Neo4jNode
from neo4j.graph import Path as Neo4jPath
from neo4j.graph import Relationship as Neo4jRelationship

from citegraph.graph.neo4j_connect import neo4j_errors
from citegraph.graph.neo4j_sync import INTERNAL_PREFIX
from citegraph.graph.networkx import to_networkx
from citegraph.graph.property_graph import PropertyGraph

NEO4J = "neo4j"
EMBEDDED = "embedded"
REQUIRED = object()


class QueryError(Exception):
    """A query that cannot or may not run, in one line."""


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[dict[str, Any]]
    engine: str


# --- parameters -----------------------------------------------------------------------


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


def _literal(name: str, value: Any) -> str:
    """A Cypher literal that both engines read back as `value`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_literal(name, v) for v in value) + "]"
    raise QueryError(f"parameter ${name}: the embedded engine cannot take a {type(value).__name__}")


def _value_of(name: str, params: Mapping[str, Any]) -> Any:
    if name not in params:
        raise QueryError(f"missing parameter ${name} (pass --param {name}=VALUE)")
    return params[name]


# --- a small Cypher scanner: code, strings, comments --------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<comment>//[^\n]*|/\*.*?\*/)
  | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<name>`[^`]*`)
  | (?P<code>[^"'`/]+|/)
""",
    re.VERBOSE | re.DOTALL,
)


@dataclass
class _Segment:
    kind: str  # code | string | name | comment | literal (an inlined parameter)
    text: str


def _scan(cypher: str) -> list[_Segment]:
    segments, position = [], 0
    while position < len(cypher):
        match = _TOKEN.match(cypher, position)
        if match is None:
            raise QueryError(f"unterminated string or name at character {position + 1}")
        kind = match.lastgroup or "code"
        segments.append(_Segment(kind, match.group()))
        position = match.end()
    return segments


def _join(segments: list[_Segment]) -> str:
    return "".join(s.text for s in segments)


#: `-[name:TYPES*` then the bounds: only a relationship pattern, never a product like `2 * $x`
_HOP = re.compile(
    r"(-\s*\[\s*(?:[A-Za-z_]\w*)?\s*(?::[^\]*]*)?\*)"
    r"(\s*(?:\$\w+|\d+)?\s*(?:\.\.\s*(?:\$\w+|\d+)?)?)"
)


def inline_hop_bounds(cypher: str, params: Mapping[str, Any]) -> str:
    """Cypher takes no parameter in `*1..$depth`: write those (checked) integers in."""

    def bound(match: re.Match[str]) -> str:
        name = match.group(1)
        value = _value_of(name, params)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise QueryError(f"parameter ${name} is a path length: it must be an integer >= 0")
        return str(value)

    segments = _scan(cypher)
    for segment in segments:
        if segment.kind == "code":
            segment.text = _HOP.sub(
                lambda m: m.group(1) + re.sub(r"\$(\w+)", bound, m.group(2)), segment.text
            )
    return _join(segments)


# --- Neo4j -----------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """Driver values as plain data: entities become their properties, minus ours."""
    if isinstance(value, Neo4jNode | Neo4jRelationship):
        return {k: v for k, v in value.items() if not k.startswith(INTERNAL_PREFIX)}
    if isinstance(value, Neo4jPath):
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
    values = dict(params or {})
    text = inline_hop_bounds(cypher, values)
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


# --- the embedded graph (grand-cypher) -------------------------------------------------


def embedded_graph(pg: PropertyGraph) -> nx.MultiDiGraph:
    """The networkx projection, with labels and types where grand-cypher looks for them."""
    graph = to_networkx(pg)
    for _, data in graph.nodes(data=True):
        data["__labels__"] = {data["label"]}
    for _, _, data in graph.edges(data=True):
        data["__labels__"] = {data["type"]}
    return graph


_AGGREGATE = re.compile(r"\b(count|sum|avg|min|max|collect)(\s*\()", re.IGNORECASE)
_NOT_NULL = re.compile(r"(\b\w+\.\w+)\s+IS\s+NOT\s+NULL\b", re.IGNORECASE)
_DISTINCT = re.compile(r"\bRETURN(\s+)DISTINCT\b", re.IGNORECASE)
_PAGE = re.compile(r"(?:\s+SKIP\s+(\d+))?(?:\s+LIMIT\s+(\d+))?\s*;?\s*$", re.IGNORECASE)
_CLAUSE_END = re.compile(r"\b(ORDER\s+BY|SKIP|LIMIT)\b", re.IGNORECASE)
_ALIAS = re.compile(r"\s+AS\s+(\w+)\s*$", re.IGNORECASE)


@dataclass
class _Prepared:
    text: str
    columns: list[str]  # as the user named them, in RETURN order
    aliases: list[str]  # what grand-cypher calls them
    distinct: bool
    skip: int
    limit: int | None


def _double_quoted(single: str) -> str:
    inner = single[1:-1].replace("\\'", "'")
    return '"' + re.sub(r'(?<!\\)"', '\\"', inner) + '"'


def _rewrite(segments: list[_Segment], params: Mapping[str, Any]) -> tuple[list[_Segment], bool]:
    """Literals for strings and parameters, grand-cypher's spelling for the rest."""
    out: list[_Segment] = []
    distinct = False
    for segment in segments:
        if segment.kind == "comment":
            continue
        if segment.kind == "string":
            text = segment.text
            out.append(_Segment("string", _double_quoted(text) if text[0] == "'" else text))
            continue
        if segment.kind != "code":
            out.append(segment)
            continue
        code = _AGGREGATE.sub(lambda m: m.group(1).upper() + m.group(2), segment.text)
        code = _NOT_NULL.sub(r"NOT \1 IS NULL", code)
        code, found = _DISTINCT.subn(r"RETURN\1", code)
        distinct = distinct or bool(found)
        for i, piece in enumerate(re.split(r"\$(\w+)", code)):
            if i % 2:
                value = _value_of(piece, params)
                kind = "literal" if isinstance(value, str | list) else "code"
                out.append(_Segment(kind, _literal(piece, value)))
            elif piece:
                out.append(_Segment("code", piece))
    return out, distinct


def _mask(segments: list[_Segment]) -> str:
    """The query with literals blanked out (same length), for finding clauses and commas."""
    return "".join(s.text if s.kind == "code" else "_" * len(s.text) for s in segments)


def _return_items(mask: str) -> tuple[int, int, list[tuple[int, int]]]:
    """The top-level RETURN clause: its span and the spans of its items."""
    depth, start = 0, -1
    for match in re.finditer(r"[()\[\]{}]|\bRETURN\b", mask, re.IGNORECASE):
        token = match.group()
        if token in "([{":
            depth += 1
        elif token in ")]}":
            depth -= 1
        elif depth == 0:
            start = match.end()
    if start < 0:
        raise QueryError("the embedded engine needs a RETURN clause")
    end_match = _CLAUSE_END.search(mask, start)
    end = end_match.start() if end_match else len(mask.rstrip().rstrip(";"))
    items, depth, item_start = [], 0, start
    for position in range(start, end):
        char = mask[position]
        depth += char in "([{"
        depth -= char in ")]}"
        if char == "," and depth == 0:
            items.append((item_start, position))
            item_start = position + 1
    items.append((item_start, end))
    return start, end, items


def _prepare(cypher: str, params: Mapping[str, Any]) -> _Prepared:
    segments, distinct = _rewrite(_scan(cypher), params)
    text, mask = _join(segments), _mask(segments)
    page = _PAGE.search(mask)
    skip = int(page.group(1)) if page and page.group(1) else 0
    limit = int(page.group(2)) if page and page.group(2) else None
    if page and page.group():
        text, mask = text[: page.start()], mask[: page.start()]
    start, end, items = _return_items(mask)
    columns, aliases, pieces = [], [], []
    for number, (a, b) in enumerate(items):
        item = text[a:b].strip()
        alias = _ALIAS.search(item)
        columns.append(alias.group(1) if alias else item)
        aliases.append(alias.group(1) if alias else f"__c{number}")
        pieces.append(item if alias else f"{item} AS {aliases[-1]}")
    text = text[:start] + " " + ", ".join(pieces) + " " + text[end:]
    return _Prepared(text, columns, aliases, distinct, skip, limit)


def _embedded_value(value: Any) -> Any:
    """Node and edge dicts as their contract properties, like the Neo4j engine's."""
    if isinstance(value, dict):
        hidden = {"__labels__", "label", "type"} if "__labels__" in value else set()
        return {k: _embedded_value(v) for k, v in value.items() if k not in hidden}
    if isinstance(value, list):
        return [_embedded_value(v) for v in value]
    return value


def _distinct(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    kept = []
    for row in rows:
        key = json.dumps(row, sort_keys=True, default=str)
        if key not in seen:
            seen.add(key)
            kept.append(row)
    return kept


def run_embedded(
    graph: nx.MultiDiGraph, cypher: str, params: Mapping[str, Any] | None = None
) -> QueryResult:
    """Run on the embedded graph (from `embedded_graph`) with grand-cypher."""
    prepared = _prepare(cypher, dict(params or {}))
    try:
        found = GrandCypher(graph).run(prepared.text)
    except (
        LarkError,
        KeyError,
        NotImplementedError,
        TypeError,
        ValueError,
        AssertionError,
    ) as error:
        first = (str(error).strip().splitlines() or [""])[0][:160]
        raise QueryError(
            f"the embedded engine (grand-cypher) cannot run this query: "
            f"{type(error).__name__}: {first}; sync to Neo4j for full Cypher"
        ) from None
    count = len(next(iter(found.values()), []))
    rows = [
        {
            column: _embedded_value(found.get(alias, [None] * count)[i])
            for column, alias in zip(prepared.columns, prepared.aliases, strict=True)
        }
        for i in range(count)
    ]
    if prepared.distinct:
        rows = _distinct(rows)
    end = None if prepared.limit is None else prepared.skip + prepared.limit
    return QueryResult(prepared.columns, rows[prepared.skip : end], EMBEDDED)


# --- saved queries -------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    name: str
    default: Any
    description: str

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


@dataclass(frozen=True)
class SavedQuery:
    name: str
    purpose: str
    params: tuple[Param, ...]
    text: str

    def bind(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """Defaults plus what was given; unknown or missing names are errors, not surprises."""
        known = {p.name for p in self.params}
        unknown = sorted(set(given) - known)
        if unknown:
            raise QueryError(
                f"query {self.name!r} has no parameter ${unknown[0]} "
                f"(it takes: {', '.join(sorted(known)) or 'none'})"
            )
        values = {p.name: p.default for p in self.params if not p.required}
        values.update(given)
        missing = [p for p in self.params if p.name not in values]
        if missing:
            raise QueryError(
                f"query {self.name!r} needs --param {missing[0].name}=VALUE "
                f"({missing[0].description})"
            )
        return values


_PARAM = re.compile(r"@param\s+(\w+)\s*(.*)$")


def _param(line: str) -> Param:
    """`@param NAME = JSON description` (optional) or `@param NAME description` (required)."""
    match = _PARAM.match(line)
    if match is None:
        raise ValueError(f"bad @param line: {line!r}")
    name, rest = match.groups()
    if not rest.startswith("="):
        return Param(name, REQUIRED, rest)
    rest = rest[1:].lstrip()
    default, end = json.JSONDecoder().raw_decode(rest)
    return Param(name, default, rest[end:].strip())


def _header(text: str) -> Iterator[str]:
    for line in text.splitlines():
        if not line.startswith("//"):
            return
        yield line[2:].strip()


def parse_saved(name: str, text: str) -> SavedQuery:
    purpose: list[str] = []
    params: list[Param] = []
    for line in _header(text):
        if line.startswith("@param"):
            params.append(_param(line))
        elif line:
            purpose.append(line)
    return SavedQuery(name, " ".join(purpose), tuple(params), text)


def saved_queries() -> dict[str, SavedQuery]:
    folder = resources.files("citegraph.queries")
    found = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".cypher"):
            name = entry.name.removesuffix(".cypher")
            found[name] = parse_saved(name, entry.read_text(encoding="utf-8"))
    return dict(sorted(found.items()))


def saved_query(name: str) -> SavedQuery:
    queries = saved_queries()
    if name not in queries:
        raise QueryError(
            f"no saved query {name!r}; `citegraph query --list` shows {len(queries)} of them"
        )
    return queries[name]
