"""The Cypher export: a script of parameter-free MERGE statements for cypher-shell.

A script file cannot carry parameters, so this is the one place data becomes Cypher
text: every value goes through `cypher_value` (escaped literals) and every label and
type through the contract's checks, and MERGE on the IRI makes the script safe to rerun.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from citegraph.graph.property_graph import PropertyGraph, checked_label, checked_type

if TYPE_CHECKING:
    from citegraph.graph.export import Selection


CYPHER_BATCH = 500
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CYPHER_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


def _unicode_escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def cypher_string(text: str) -> str:
    """`text` as a single-quoted Cypher string literal, safe to paste into any statement.

    Backslash and quote are escaped, and so is every control, format or line/paragraph
    separator character (as \\uXXXX), so a literal can never end early nor span lines.
    Everything else, accents and scripts included, is kept as it is.
    """
    out = []
    for ch in text:
        if ch in _CYPHER_ESCAPES:
            out.append(_CYPHER_ESCAPES[ch])
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            out.append(_unicode_escape(ch))
        else:
            out.append(ch)
    return "'" + "".join(out) + "'"


def cypher_key(key: str) -> str:
    """A property key as written in a map; only plain identifiers are accepted."""
    if not _IDENTIFIER.match(key):
        raise ValueError(f"property key {key!r} is not a plain identifier")
    return key


def cypher_value(value: Any) -> str:
    """A Cypher literal for a property value (string, number, boolean, list, map)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return cypher_string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(cypher_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{cypher_key(k)}: {cypher_value(v)}" for k, v in value.items()) + "}"
        )
    raise TypeError(f"no Cypher literal for {type(value).__name__}")


def constraint_name(label: str) -> str:
    """`citegraph_work_iri`: the name graph/neo4j_sync.py gives the same constraint."""
    return f"citegraph_{checked_label(label).lower()}_iri"


def _batches(rows: list[str]) -> Iterator[str]:
    for start in range(0, len(rows), CYPHER_BATCH):
        yield "UNWIND [\n  " + ",\n  ".join(rows[start : start + CYPHER_BATCH]) + "\n] AS row\n"


def cypher_statements(pg: PropertyGraph) -> Iterator[str]:
    """Statements (without the closing `;`) that MERGE the graph into Neo4j, idempotently.

    Every value is an escaped literal (no parameters needed), labels and types come from
    the contract's constants only.
    """
    labels = sorted({n.label for n in pg.nodes.values()})
    for label in labels:
        yield (
            f"CREATE CONSTRAINT {constraint_name(label)} IF NOT EXISTS "
            f"FOR (n:{checked_label(label)}) REQUIRE n.iri IS UNIQUE"
        )
    by_label: dict[str, list[str]] = defaultdict(list)
    for node in pg.nodes.values():
        by_label[node.label].append(cypher_value(node.properties))
    for label in labels:
        for batch in _batches(by_label[label]):
            yield batch + f"MERGE (n:{checked_label(label)} {{iri: row.iri}})\nSET n += row"
    groups: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for rel in pg.relationships:
        key = (rel.type, pg.nodes[rel.start].label, pg.nodes[rel.end].label)
        groups[key].append(
            cypher_value({"start": rel.start, "end": rel.end, "properties": rel.properties})
        )
    for (rel_type, start, end), rows in sorted(groups.items()):
        for batch in _batches(rows):
            yield (
                batch + f"MATCH (a:{checked_label(start)} {{iri: row.start}})\n"
                f"MATCH (b:{checked_label(end)} {{iri: row.end}})\n"
                f"MERGE (a)-[r:{checked_type(rel_type)}]->(b)\nSET r += row.properties"
            )


def write_cypher(selection: Selection) -> Iterator[str]:
    pg = selection.kept
    yield (
        f"// citegraph export: {len(pg.nodes)} nodes, {len(pg.relationships)} "
        "relationships.\n// Run with cypher-shell -f FILE; MERGE makes it safe to rerun.\n\n"
    )
    for statement in cypher_statements(pg):
        yield statement + ";\n\n"
