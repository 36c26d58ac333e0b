"""SPARQL on the store's RDF graph, the source of truth, for researchers who know it.

The RDF graph answers in the standard vocabularies (FaBiO, CiTO, PRO, FOAF, DCTERMS,
PRISM, SKOS) plus citegraph's own terms, so a query written here also runs on any other
triple store that holds an export. The store is opened read-only; an update is refused
before it reaches Oxigraph, so the researcher reads why rather than a parser's complaint.
Parameters are bound as RDF terms through Oxigraph's substitutions (SEP-0007), never
pasted into the query text. Saved questions are `.rq` files in citegraph.queries.sparql,
with the same `@param` header as the Cypher ones (graph/saved_queries.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pyoxigraph

from citegraph.graph.export import PREFIXES
from citegraph.graph.query import QueryResult
from citegraph.graph.saved_queries import SPARQL, SavedQuery
from citegraph.ontology.namespaces import XSD

ENGINE = "oxigraph"

#: The update operations of SPARQL 1.1 Update, as the first keyword after the prologue.
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
_PROLOGUE = re.compile(
    r"(?:\s+|\#[^\n]*|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)*", re.IGNORECASE
)
_KEYWORD = re.compile(r"[A-Za-z]+")
_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)

_INTEGERS = frozenset(
    str(XSD[name])
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
)
_FLOATS = frozenset(str(XSD[name]) for name in ("decimal", "double", "float"))
_BOOLEAN = str(XSD.boolean)
_GYEAR = str(XSD.gYear)


class SparqlError(Exception):
    """A SPARQL query that cannot or may not run, in one line."""


def is_update(text: str) -> bool:
    """Whether `text` is a SPARQL Update request (its first keyword after the prologue)."""
    rest = text[_PROLOGUE.match(text).end() :]  # type: ignore[union-attr]  # always matches
    keyword = _KEYWORD.match(rest)
    return keyword is not None and keyword.group().upper() in UPDATE_KEYWORDS


def to_term(value: Any) -> pyoxigraph.NamedNode | pyoxigraph.Literal:
    """A parameter value as one RDF term: `<iri>` is an IRI; JSON numbers and booleans
    are typed literals; anything else is a plain string literal."""
    if isinstance(value, str) and value.startswith("<") and value.endswith(">"):
        try:
            return pyoxigraph.NamedNode(value[1:-1])
        except ValueError as error:
            raise SparqlError(f"{value}: not an IRI ({error})") from None
    if isinstance(value, bool | int | float | str):
        return pyoxigraph.Literal(value)
    raise SparqlError(f"{value!r}: a SPARQL parameter is one term, not a list or an object")


def plain(term: Any) -> Any:
    """An RDF term as a plain value: IRIs and strings as text, numbers and booleans as
    Python values, a gYear as its year, an unbound variable as None."""
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return term.value
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, pyoxigraph.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGERS or (datatype == _GYEAR and term.value.isdigit()):
                return int(term.value)
            if datatype in _FLOATS:
                return float(term.value)
        except ValueError:
            return term.value  # an ill-typed literal is still worth showing
        if datatype == _BOOLEAN:
            return term.value in ("true", "1")
        return term.value
    return str(term)  # an RDF-star triple


def syntax_message(text: str, error: SyntaxError) -> str:
    """Oxigraph's parser error as one line: where, why, and the text found there."""
    message = str(error)
    found = _POSITION.match(message)
    if found is None:
        return "SPARQL syntax error: " + _short(message)
    line, column, reason = int(found[1]), int(found[2]), found[3]
    if "Prefix not found" in reason:
        reason = "unknown prefix (declare it with PREFIX)"
    lines = text.splitlines() or [""]
    near = lines[min(line, len(lines)) - 1][max(column - 1, 0) :].strip()
    where = f'; near "{_short(near, 30)}"' if near else ""
    return f"SPARQL syntax error at line {line}, column {column}: {_short(reason)}{where}"


def _short(text: str, width: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def run_sparql(
    rdf: pyoxigraph.Store,
    text: str,
    params: Mapping[str, Any] | None = None,
    prefixes: Mapping[str, str] | None = None,
) -> QueryResult:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) on `rdf`.

    `params` bind variables to terms (see `to_term`); a bound variable must be in the
    SELECT list, which is how Oxigraph's substitutions work. `prefixes` (the export's,
    unless given) are declared for the query in advance, so an ad-hoc query can say
    `cito:cites` without a PREFIX line; the query's own PREFIX lines win.
    """
    bindings: dict[pyoxigraph.Variable, Any] = {
        pyoxigraph.Variable(name): to_term(value) for name, value in (params or {}).items()
    }
    try:
        answer = rdf.query(
            text,
            prefixes=dict(PREFIXES if prefixes is None else prefixes),
            substitutions=bindings or None,
        )
        return _result(answer)  # solutions are read lazily: their errors are caught here too
    except SyntaxError as error:
        if is_update(text):
            raise SparqlError(
                "refusing a SPARQL update: the store is read-only here "
                "(citegraph ingest and remove change it)"
            ) from None
        raise SparqlError(syntax_message(text, error)) from None
    except RuntimeError as error:
        if "projection" in str(error):
            raise SparqlError(
                f"cannot bind --param: {_short(str(error))}; a bound variable must be in "
                "the SELECT list"
            ) from None
        raise SparqlError(f"SPARQL: {_short(str(error))}") from None
    except OSError as error:
        raise SparqlError(f"SPARQL: reading the store failed: {_short(str(error))}") from None


def _result(answer: Any) -> QueryResult:
    if isinstance(answer, pyoxigraph.QuerySolutions):
        columns = [v.value for v in answer.variables]
        rows = [{c: plain(solution[c]) for c in columns} for solution in answer]
        return QueryResult(columns, rows, ENGINE)
    if isinstance(answer, pyoxigraph.QueryBoolean):
        return QueryResult(["ask"], [{"ask": bool(answer)}], ENGINE)
    columns = ["subject", "predicate", "object"]
    rows = [
        {"subject": plain(t.subject), "predicate": plain(t.predicate), "object": plain(t.object)}
        for t in answer
    ]
    return QueryResult(columns, rows, ENGINE)


def saved_sparql() -> dict[str, SavedQuery]:
    """The saved SPARQL questions, by name."""
    return SPARQL.queries()


def saved_sparql_query(name: str) -> SavedQuery:
    return SPARQL.query(name)


def run_saved(rdf: pyoxigraph.Store, name: str, given: Mapping[str, Any]) -> QueryResult:
    """A saved question with its defaults and the values given (unknown names refused)."""
    saved = saved_sparql_query(name)
    try:
        return run_sparql(rdf, saved.text, saved.bind(given))
    except SparqlError as error:
        raise SparqlError(f"saved query {name!r}: {error}") from None
