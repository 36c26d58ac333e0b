"""The property graph as CSV files for `neo4j-admin database import full`, with the
command that imports them, in a directory or a .zip."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from citegraph.graph.property_graph import (
    INTEGER_PROPERTIES,
    LIST_PROPERTIES,
    Node,
    PropertyGraph,
    Relationship,
)

ARRAY_DELIMITER = ";"
#: Used instead when some list element contains ";" (neo4j-admin cannot escape it).
FALLBACK_DELIMITER = "\x1f"


def _csv_type(key: str, values: list[Any]) -> str:
    if key in LIST_PROPERTIES or any(isinstance(v, list) for v in values):
        return ":string[]"
    if key in INTEGER_PROPERTIES or (values and all(isinstance(v, int) for v in values)):
        return ":int"
    return ""


def _columns(rows: list[dict[str, Any]], skip: tuple[str, ...]) -> list[tuple[str, str]]:
    """(property, header) for every property the rows have, typed for neo4j-admin."""
    values: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        for key, value in row.items():
            values[key].append(value)
    return [(k, k + _csv_type(k, v)) for k, v in sorted(values.items()) if k not in skip]


def _cell(value: Any, delimiter: str) -> str:
    if isinstance(value, list):
        return delimiter.join(str(v) for v in value)
    return "" if value is None else str(value)


def _delimiter(pg: PropertyGraph) -> str:
    items = [*(n.properties for n in pg.nodes.values()), *(r.properties for r in pg.relationships)]
    clash = any(
        ARRAY_DELIMITER in str(v)
        for props in items
        for value in props.values()
        if isinstance(value, list)
        for v in value
    )
    return FALLBACK_DELIMITER if clash else ARRAY_DELIMITER


def csv_files(pg: PropertyGraph) -> dict[str, str]:
    """File name -> CSV text: `nodes_<Label>.csv`, `relationships_<TYPE>.csv`, `import.sh`."""
    delimiter = _delimiter(pg)
    files: dict[str, str] = {}
    by_label: dict[str, list[Node]] = defaultdict(list)
    for node in pg.nodes.values():
        by_label[node.label].append(node)
    for label, nodes in sorted(by_label.items()):
        columns = _columns([n.properties for n in nodes], ("iri",))
        rows = [
            [n.iri, n.label, *(_cell(n.properties.get(k), delimiter) for k, _ in columns)]
            for n in nodes
        ]
        files[f"nodes_{label}.csv"] = _csv_text(
            ["iri:ID", ":LABEL", *(h for _, h in columns)], rows
        )
    by_type: dict[str, list[Relationship]] = defaultdict(list)
    for rel in pg.relationships:
        by_type[rel.type].append(rel)
    for rel_type, rels in sorted(by_type.items()):
        columns = _columns([r.properties for r in rels], ())
        rows = [
            [r.start, r.end, r.type, *(_cell(r.properties.get(k), delimiter) for k, _ in columns)]
            for r in rels
        ]
        files[f"relationships_{rel_type}.csv"] = _csv_text(
            [":START_ID", ":END_ID", ":TYPE", *(h for _, h in columns)], rows
        )
    files["import.sh"] = _import_command(files, delimiter)
    return files


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _import_command(files: dict[str, str], delimiter: str) -> str:
    shown = "U+001F" if delimiter == FALLBACK_DELIMITER else delimiter
    parts = [f"--nodes={name}" for name in files if name.startswith("nodes_")]
    parts += [f"--relationships={name}" for name in files if name.startswith("relationships_")]
    options = [f"--array-delimiter='{shown}'", "--multiline-fields=true"]
    lines = [
        "#!/bin/sh",
        "# Import into a new, empty database; run from this directory.",
        "neo4j-admin database import full \\",
        *(f"  {o} \\" for o in options + parts),
        '  "${1:-neo4j}"',
        "",
    ]
    return "\n".join(lines)


def write_csv(pg: PropertyGraph, out: Path) -> list[str]:
    """CSV files for `neo4j-admin database import full`, in a directory or a .zip."""
    return write_files(csv_files(pg), out)


def write_files(files: dict[str, str], out: Path) -> list[str]:
    """Named text files into the directory `out`, or into a zip when `out` ends in .zip."""
    if out.suffix.lower() == ".zip":
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in files.items():
                archive.writestr(name, text)
    else:
        out.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (out / name).write_text(text, encoding="utf-8", newline="")
    return sorted(files)
