"""The JSON-lines files of a version (identity decisions, rejects, the reviewer's
decisions), written in one order whichever build made them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from citegraph.graph.identity.reviewer import Decision, number_of

#: The reviewer's merge and split decisions a version was built with, undone ones too.
REVIEWER = "reviewer.jsonl"


def read_rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def write_rows(path: Path, rows: Iterable[dict[str, Any]], key: Callable[[Any], str]) -> None:
    """JSON lines in `key` order, so a version built whole and one built from what changed
    write the same file."""
    with path.open("w", encoding="utf-8") as out:
        for row in sorted(rows, key=key):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_reviewer(folder: Path) -> list[Decision]:
    file = folder / REVIEWER
    return [Decision.from_json(r) for r in read_rows(file)] if file.is_file() else []


def write_reviewer(folder: Path, made: Iterable[Decision]) -> None:
    write_rows(
        folder / REVIEWER,
        (d.to_json() for d in made),
        key=lambda row: f"{number_of(row['id']):09d}",
    )
