"""The property graph as an embedded Cypher database (LadybugDB) inside a store version.

Why LadybugDB: it is an embedded, on-disk graph database that speaks Cypher (WITH,
UNWIND, OPTIONAL MATCH, EXISTS {}, variable-length paths, `:A|B`, parameters), loads a
million relationships from Parquet in seconds, and answers from disk, so a read command
costs what its question costs instead of a projection of the whole store. It is the
maintained fork of Kùzu (same API). Its extension downloads are never used.

The schema is fixed by the contract (graph/property_graph.py): one node table per label
with the mapping's properties, one relationship table per type with the endpoint pairs
the contract names (plus any the data holds). It is filled in one go from the one mapping
(`map_nodes`, `map_relationships`), so the engines cannot disagree.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import ladybug
import pyarrow as pa

from citegraph.graph.name_lookup import lookup_text
from citegraph.graph.property_graph import (
    ENDPOINTS,
    INTEGER_PROPERTIES,
    LABEL_NAMES,
    LIST_PROPERTIES,
    PROPERTIES,
    RELATIONSHIP_PROPERTIES,
    RELATIONSHIP_TYPES,
    Node,
    map_nodes,
    map_relationships,
)
from citegraph.graph.triple_table import TripleTable

FILE_NAME = "graph.lbug"


class GraphDBError(Exception):
    """A Cypher query the embedded database refused, in one line."""


def _kind(prop: str) -> str:
    if prop in LIST_PROPERTIES:
        return "STRING[]"
    if prop in INTEGER_PROPERTIES:
        return "INT64"
    return "STRING"


def node_columns(label: str) -> list[str]:
    """The contract's columns of a label's table: what every read and sync sees."""
    names = ["iri", "name", *(p for _, p, _ in PROPERTIES[label]), "sources"]
    return list(dict.fromkeys(names))


#: The one column a node table holds beyond the contract: the node's names folded
#: (graph/name_lookup.py `lookup_text`), for looking up what a researcher typed. Its name
#: starts with `_`, so query results leave it out as they leave out `_ID` and `_LABEL`.
LOOKUP_COLUMN = "_folded"


def table_columns(label: str) -> list[str]:
    return [*node_columns(label), LOOKUP_COLUMN]


def table_row(node: Node) -> dict[str, Any]:
    """A node as its table's row, the lookup text with it."""
    row = {c: node.properties.get(c) for c in node_columns(node.label)}
    row[LOOKUP_COLUMN] = lookup_text(node)
    return row


def _arrow_type(prop: str) -> pa.DataType:
    if prop in LIST_PROPERTIES:
        return pa.list_(pa.string())
    if prop in INTEGER_PROPERTIES:
        return pa.int64()
    return pa.string()


def _schema(pairs: Mapping[str, set[tuple[str, str]]]) -> Iterator[str]:
    """DDL from the mapping's constants only: no data ever enters this text."""
    yield from _node_schema()
    yield from _relationship_schema(pairs)


def _node_schema() -> Iterator[str]:
    for label in LABEL_NAMES:
        columns = ", ".join(
            f"`{c}` {_kind(c)}{' PRIMARY KEY' if c == 'iri' else ''}" for c in table_columns(label)
        )
        yield f"CREATE NODE TABLE `{label}`({columns})"


def _relationship_schema(pairs: Mapping[str, set[tuple[str, str]]]) -> Iterator[str]:
    for rel_type in RELATIONSHIP_TYPES:
        ends = ", ".join(f"FROM {a} TO {b}" for a, b in sorted(pairs[rel_type]))
        props = "".join(f", {p} {_kind(p)}" for p in RELATIONSHIP_PROPERTIES[rel_type])
        yield f"CREATE REL TABLE `{rel_type}`({ends}{props})"


@cache
def schema_digest() -> str:
    """A digest of the contract tables this citegraph creates: a version built with other
    columns is rebuilt from its records when opened, instead of failing its queries."""
    return hashlib.sha256("\n".join(_schema(_contract_pairs())).encode()).hexdigest()[:16]


def _contract_pairs() -> dict[str, set[tuple[str, str]]]:
    pairs: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for rel_type, ends in ENDPOINTS.items():
        pairs[rel_type].update(ends)
    return pairs


Columns = dict[str, list[Any]]
#: A Parquet file, the table it fills and the COPY options that table needs.
Copies = list[tuple[Path, str, str]]


def create(path: Path, table: TripleTable) -> None:
    """Write a new database at `path` holding the property graph of `table` (the file
    must not exist yet).

    The mapping's nodes and relationships pass straight into one column list per table,
    and each table goes to Parquet before the next is made, so the graph is never whole
    as Python objects: at a million references, holding it as a
    `PropertyGraph` took more memory than the triples it came from. Rows are in IRI
    order, as `from_table` gives them, so every engine sees the same order. The database
    is filled from the files once they are all written, its page cache sized to the
    largest."""
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".parquet-") as tmp:
        copies: Copies = []
        labels, node_tables = _node_columns(table)
        for label in list(node_tables):
            file = Path(tmp) / f"{label}.parquet"
            _write_parquet(file, node_tables.pop(label), ("iri",))
            copies.append((file, label, ""))
        pairs = _contract_pairs()  # and any other pair the data holds
        rel_tables = _relationship_columns(table, labels, pairs)
        del labels
        for rel_type, start, end in list(rel_tables):
            file = Path(tmp) / f"{rel_type}-{start}-{end}.parquet"
            _write_parquet(file, rel_tables.pop((rel_type, start, end)), ("from", "to"))
            options = f"(from='{start}', to='{end}')" if len(pairs[rel_type]) > 1 else ""
            copies.append((file, rel_type, options))
        _fill(path, copies, pairs)


def _fill(path: Path, copies: Copies, pairs: dict[str, set[tuple[str, str]]]) -> None:
    """Create the tables and COPY each Parquet file into its own, nodes first, again
    with twice the page cache each time COPY finds the cache too small for a table."""
    pool = max(BUILD_BUFFER_POOL, max((_decoded_bytes(f) for f, _, _ in copies), default=0))
    while True:
        try:
            return _fill_once(path, copies, pairs, pool)
        except RuntimeError as error:
            if "buffer pool is full" not in str(error) or pool >= _MACHINE_POOL:
                raise
        for leftover in path.parent.glob(path.name + "*"):
            leftover.unlink()
        pool = min(pool * 2, _MACHINE_POOL)


def _fill_once(
    path: Path, copies: Copies, pairs: dict[str, set[tuple[str, str]]], pool: int
) -> None:
    # one thread: COPY keeps the rows in file order, chunk after chunk (in parallel it
    # interleaves them), and holds one thread's buffers, 100 MB less at 62k references
    db = ladybug.Database(str(path), buffer_pool_size=pool, max_num_threads=1)
    try:
        conn = ladybug.Connection(db)
        for statement in _schema(pairs):
            conn.execute(statement)
        for file, target, options in copies:
            _copy(conn, file, target, options)
        conn.close()
    finally:
        db.close()


def _node_columns(table: TripleTable) -> tuple[dict[str, str], dict[str, Columns]]:
    """Each node's label by IRI, and each label's columns."""
    labels: dict[str, str] = {}
    tables: dict[str, Columns] = {}
    for node in map_nodes(table):
        labels[node.iri] = node.label
        columns = tables.get(node.label)
        if columns is None:
            columns = tables[node.label] = {c: [] for c in table_columns(node.label)}
        for column, value in table_row(node).items():
            columns[column].append(value)
    return labels, tables


def _relationship_columns(
    table: TripleTable, labels: dict[str, str], pairs: dict[str, set[tuple[str, str]]]
) -> dict[tuple[str, str, str], Columns]:
    """Each (type, start label, end label) table's columns; `pairs` learns the pairs."""
    tables: dict[tuple[str, str, str], Columns] = {}
    for rel in map_relationships(table, labels):
        key = (rel.type, labels[rel.start], labels[rel.end])
        columns = tables.get(key)
        if columns is None:
            pairs[rel.type].add(key[1:])
            names = ("from", "to", *RELATIONSHIP_PROPERTIES[rel.type])
            columns = tables[key] = {c: [] for c in names}
        columns["from"].append(rel.start)
        columns["to"].append(rel.end)
        for column in RELATIONSHIP_PROPERTIES[rel.type]:
            columns[column].append(rel.properties.get(column))
    return tables


#: LadybugDB's page cache while the build fills it, at first. Left to itself it may take
#: 80% of the machine and held about 400 MB at 62k references; capped at 256 MB, COPY is
#: as fast and the property-graph phase peaks 150 MB lower there. COPY holds a table's
#: new pages in the cache until it commits, and what it needs does not follow the
#: table's size (a 200k-row table of 15 text columns fails at 256 MB where a 300k-row
#: one loads), so a build that finds the cache full starts again with twice as much, up
#: to LadybugDB's own default of 80% of the machine.
BUILD_BUFFER_POOL = 256 << 20
_MACHINE_POOL = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") * 8 // 10


def _decoded_bytes(file: Path) -> int:
    import pyarrow.parquet as pq  # the build's alone: a read command spares its import

    meta = pq.ParquetFile(file).metadata
    return sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))


#: Rows converted to Arrow and written at a time: a whole million-work table as Arrow
#: beside its Python columns cost more than the rest of the phase.
CHUNK = 50_000


def _write_parquet(file: Path, columns: Columns, keys: tuple[str, ...]) -> None:
    """The columns as one Parquet file in key order, converted a chunk of rows at a time.
    The sort is stable, so ties keep the mapping's order."""
    import pyarrow.parquet as pq

    key_columns = [columns[k] for k in keys]
    size = len(key_columns[0])
    if len(keys) == 1:
        order = sorted(range(size), key=key_columns[0].__getitem__)
    else:
        order = sorted(range(size), key=lambda i: tuple(c[i] for c in key_columns))
    schema = pa.schema([(c, _arrow_type(c)) for c in columns])
    with pq.ParquetWriter(file, schema) as writer:
        for start in range(0, size, CHUNK):
            rows = order[start : start + CHUNK]
            writer.write_table(
                pa.table(
                    {
                        c: pa.array([values[i] for i in rows], schema.field(c).type)
                        for c, values in columns.items()
                    },
                    schema=schema,
                )
            )


def _copy(conn: Any, file: Path, target: str, options: str = "") -> None:
    # the table name is a contract constant; the path is ours, quoted for Cypher
    conn.execute(f"COPY `{target}` FROM {_quoted(str(file))} {options}")


def _quoted(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def plain(value: Any) -> Any:
    """Database values as plain data, shaped like the Neo4j runner's: a node or
    relationship is its properties (unset ones left out), a path its nodes."""
    if isinstance(value, dict):
        if "_NODES" in value or "_RELS" in value:
            nodes = value.get("_NODES") or []
            return [plain(n) for n in nodes] if nodes else [plain(r) for r in value["_RELS"]]
        if "_LABEL" in value:
            return {
                k: plain(v) for k, v in value.items() if not k.startswith("_") and v is not None
            }
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


class GraphDB:
    """A read-only connection to one version's property-graph database."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = ladybug.Database(str(path), read_only=True)
        self._conn = ladybug.Connection(self._db)

    def execute(
        self, cypher: str, params: Mapping[str, Any] | None = None
    ) -> tuple[list[str], Iterator[list[Any]]]:
        """Column names and raw rows (use `plain` on values meant for people)."""
        try:
            result = self._conn.execute(cypher, dict(params or {}))
        except RuntimeError as error:
            raise GraphDBError(_one_line(error)) from None
        assert not isinstance(result, list)  # one statement, one result

        def rows() -> Iterator[list[Any]]:
            while result.has_next():
                yield list(result.get_next())

        return result.get_column_names(), rows()

    def rows(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Each row as a dict by column name: for views that ask with aliases."""
        columns, found = self.execute(cypher, params)
        return [dict(zip(columns, row, strict=True)) for row in found]

    def arrow(self, cypher: str, params: Mapping[str, Any] | None = None) -> pa.Table:
        """A large answer as one Arrow table: a million rows in a fraction of a second."""
        try:
            result = self._conn.execute(cypher, dict(params or {}))
            assert not isinstance(result, list)
            return result.get_as_arrow(chunk_size=1_000_000)
        except RuntimeError as error:
            raise GraphDBError(_one_line(error)) from None

    def close(self) -> None:
        self._conn.close()
        self._db.close()


def _one_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [""])[0][:300]
