"""What a version keeps so the next one can be built from what changed (graph/store/delta.py).

    index.sqlite   each component's records (graph/build.py `Component`), the keys
                   identity could join them by, the IRIs their works were given, the
                   works their citations point at, and the author names they hold
    lines.npy      a 64-bit hash of every distinct triple, sorted
    counts.npy     how many components make each one

The graph is the union of its components' triples, and components share some (a person,
a venue, a source line, a country): a triple leaves the graph only when no component
makes it any more, which the counts say without reading the rest of the graph.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xxhash

from citegraph.graph.build import Component
from citegraph.graph.identity import closure_keys, name_key
from citegraph.graph.identity.reviewer import NO_DECISIONS, Reviewer
from citegraph.graph.records_io import record_from_json, record_to_json
from citegraph.loaders.records import Citation, Record, Work

FILE_NAME = "index.sqlite"
_SCHEMA = """
CREATE TABLE part(id INTEGER PRIMARY KEY, records TEXT NOT NULL);
CREATE TABLE closure(key TEXT NOT NULL, part INTEGER NOT NULL);
CREATE TABLE iri(path TEXT NOT NULL, key TEXT NOT NULL, iri TEXT NOT NULL, part INTEGER NOT NULL,
                 PRIMARY KEY (path, key));
CREATE TABLE cites(path TEXT NOT NULL, key TEXT NOT NULL, part INTEGER NOT NULL);
CREATE TABLE name(name TEXT NOT NULL, part INTEGER NOT NULL);
CREATE TABLE orcid(name TEXT NOT NULL, orcid TEXT NOT NULL, part INTEGER NOT NULL);
CREATE TABLE source(path TEXT NOT NULL, part INTEGER NOT NULL);
"""
_INDEXES = """
CREATE INDEX closure_key ON closure(key);
CREATE INDEX closure_part ON closure(part);
CREATE INDEX iri_part ON iri(part);
CREATE INDEX cites_key ON cites(path, key);
CREATE INDEX cites_part ON cites(part);
CREATE INDEX name_name ON name(name);
CREATE INDEX name_part ON name(part);
CREATE INDEX orcid_name ON orcid(name);
CREATE INDEX orcid_part ON orcid(part);
CREATE INDEX source_path ON source(path);
CREATE INDEX source_part ON source(part);
"""


def line_hashes(lines: Iterable[str]) -> np.ndarray:
    return np.fromiter((xxhash.xxh3_64_intdigest(line) for line in lines), dtype=np.uint64)


@dataclass
class Counts:
    """Distinct triple hashes, sorted, and how many components make each."""

    lines: np.ndarray
    counts: np.ndarray

    @classmethod
    def of(cls, hashes: Iterable[np.ndarray]) -> Counts:
        arrays = list(hashes)
        joined = np.sort(np.concatenate(arrays)) if arrays else np.zeros(0, dtype=np.uint64)
        if not len(joined):
            return cls(joined, np.zeros(0, dtype=np.uint32))
        # sorting and counting runs: numpy's hash-based unique is ten times slower here
        starts = np.flatnonzero(np.concatenate(([True], joined[1:] != joined[:-1])))
        counts = np.diff(np.append(starts, len(joined)))
        return cls(joined[starts], counts.astype(np.uint32))

    @classmethod
    def read(cls, folder: Path) -> Counts:
        return cls(np.load(folder / "lines.npy"), np.load(folder / "counts.npy"))

    def write(self, folder: Path) -> None:
        np.save(folder / "lines.npy", self.lines)
        np.save(folder / "counts.npy", self.counts)

    def changed(self, gone: np.ndarray, made: np.ndarray) -> tuple[Counts, set[int], set[int]]:
        """These counts after components making `gone` are replaced by ones making `made`
        (both with one hash per distinct line of each component): the new counts, the
        hashes that leave the graph and the ones that enter it. Costs a pass over the
        counts, not a sort of them."""
        counts = self.counts.astype(np.int64)
        minus = Counts.of([gone])
        where = np.searchsorted(self.lines, minus.lines)
        if (where >= len(self.lines)).any() or (self.lines[where] != minus.lines).any():
            raise ValueError("the index's triple counts disagree with its components")
        counts[where] -= minus.counts
        plus = Counts.of([made])
        where = np.searchsorted(self.lines, plus.lines)
        known = (
            (where < len(self.lines))
            & (self.lines[np.minimum(where, len(self.lines) - 1)] == plus.lines)
            if len(self.lines)
            else np.zeros(len(plus.lines), dtype=bool)
        )
        counts[where[known]] += plus.counts[known]
        if (counts < 0).any():
            raise ValueError("the index's triple counts disagree with its components")
        left = set(self.lines[counts == 0].tolist())
        fresh = plus.lines[~known]  # sorted, as `plus.lines` is
        keep = counts > 0
        lines, totals = self.lines[keep], counts[keep]
        at = np.searchsorted(lines, fresh)
        merged = Counts(
            np.insert(lines, at, fresh),
            np.insert(totals, at, plus.counts[~known]).astype(np.uint32),
        )
        return merged, left, set(fresh.tolist())


class Index:
    """The index of one version, open for reading or for building the next version."""

    def __init__(self, path: Path, create: bool = False) -> None:
        self.path = path
        self._db = sqlite3.connect(str(path), isolation_level=None)
        self._db.execute("PRAGMA journal_mode=OFF" if create else "PRAGMA journal_mode=DELETE")
        self._db.execute("PRAGMA synchronous=OFF")
        if create:
            self._db.executescript(_SCHEMA)
        self._db.execute("BEGIN")

    def close(self, indexes: bool = False) -> None:
        if indexes:
            self._db.executescript(_INDEXES)
        else:
            self._db.execute("COMMIT")
        self._db.close()

    def next_id(self) -> int:
        return int(self._db.execute("SELECT coalesce(max(id), 0) + 1 FROM part").fetchone()[0])

    def add(
        self,
        number: int,
        part: Component,
        iris: Mapping[tuple[str, str], str],
        reviewer: Reviewer = NO_DECISIONS,
    ) -> None:
        """A component's records and what it is found by (`iris`: at least its works')."""
        records = [*part.works, *part.others]
        db = self._db
        db.execute(
            "INSERT INTO part VALUES (?, ?)",
            (number, json.dumps([record_to_json(r) for r in records], ensure_ascii=False)),
        )
        keys = {k for w in part.works for k in closure_keys(w, reviewer)}
        db.executemany("INSERT INTO closure VALUES (?, ?)", ((k, number) for k in keys))
        db.executemany(
            "INSERT INTO iri VALUES (?, ?, ?, ?)",
            ((w.source.path, w.key, iris[(w.source.path, w.key)], number) for w in part.works),
        )
        cited = {(r.source.path, r.cited) for r in part.others if isinstance(r, Citation)}
        db.executemany("INSERT INTO cites VALUES (?, ?, ?)", ((p, k, number) for p, k in cited))
        names = {name_key(a) for w in part.works for a in w.authors if a.kind == "person"}
        db.executemany("INSERT INTO name VALUES (?, ?)", ((n, number) for n in names))
        orcids = {
            (name_key(a), a.orcid)
            for w in part.works
            for a in w.authors
            if a.orcid and a.kind == "person"
        }
        db.executemany("INSERT INTO orcid VALUES (?, ?, ?)", ((n, o, number) for n, o in orcids))
        paths = {r.source.path for r in records}
        db.executemany("INSERT INTO source VALUES (?, ?)", ((p, number) for p in paths))

    def remove(self, numbers: Iterable[int]) -> None:
        rows = [(n,) for n in numbers]
        self._db.executemany("DELETE FROM part WHERE id = ?", rows)
        for table in ("closure", "iri", "cites", "name", "orcid", "source"):
            self._db.executemany(f"DELETE FROM {table} WHERE part = ?", rows)  # noqa: S608

    def parts_with_keys(self, keys: Iterable[str]) -> set[int]:
        return self._many("SELECT part FROM closure WHERE key = ?", ((k,) for k in keys))

    def parts_of_sources(self, paths: Iterable[str]) -> set[int]:
        return self._many("SELECT part FROM source WHERE path = ?", ((p,) for p in paths))

    def parts_citing(self, works: Iterable[tuple[str, str]]) -> set[int]:
        return self._many("SELECT part FROM cites WHERE path = ? AND key = ?", works)

    def parts_with_names(self, names: Iterable[str]) -> set[int]:
        return self._many("SELECT part FROM name WHERE name = ?", ((n,) for n in names))

    def orcids(self, names: Iterable[str], besides: set[int]) -> dict[str, set[str]]:
        """The ORCIDs each name was given, by components other than `besides`."""
        found: dict[str, set[str]] = {}
        for name in names:
            for orcid, part in self._db.execute(
                "SELECT orcid, part FROM orcid WHERE name = ?", (name,)
            ):
                if part not in besides:
                    found.setdefault(name, set()).add(orcid)
        return found

    def records(self, number: int) -> list[Record]:
        (text,) = self._db.execute("SELECT records FROM part WHERE id = ?", (number,)).fetchone()
        return [record_from_json(r) for r in json.loads(text)]

    def iris(self, numbers: Iterable[int]) -> dict[tuple[str, str], str]:
        found = {}
        for number in numbers:
            for path, key, iri in self._db.execute(
                "SELECT path, key, iri FROM iri WHERE part = ?", (number,)
            ):
                found[(path, key)] = iri
        return found

    def parts_of_records(self, refs: Iterable[tuple[str, str]]) -> set[int]:
        return self._many("SELECT part FROM iri WHERE path = ? AND key = ?", refs)

    def records_of_iri(self, iri: str) -> list[tuple[str, str]]:
        """The records (file, key) that make the work `iri` (bare or as N-Triples writes it)."""
        term = iri if iri.startswith("<") else f"<{iri}>"
        rows = self._db.execute("SELECT path, key FROM iri WHERE iri = ?", (term,))
        return sorted((str(p), str(k)) for p, k in rows)

    def records_of_iri_ending(self, local: str) -> list[tuple[str, str]]:
        """The records of the work whose IRI ends in `/local` (`work/3f2a...`)."""
        if not local or "/" in local:
            return []
        rows = self._db.execute(
            "SELECT DISTINCT iri FROM iri WHERE iri LIKE ? ESCAPE '\\'",
            ("%/" + local.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + ">",),
        ).fetchall()
        return self.records_of_iri(rows[0][0]) if len(rows) == 1 else []

    def iri_outside(self, key: tuple[str, str], parts: set[int]) -> str | None:
        """The IRI of a work, unless its component is one of `parts`."""
        row = self._db.execute(
            "SELECT iri, part FROM iri WHERE path = ? AND key = ?", key
        ).fetchone()
        return row[0] if row and row[1] not in parts else None

    def _many(self, query: str, params: Iterable[tuple[str, ...]]) -> set[int]:
        found: set[int] = set()
        for args in params:
            found.update(row[0] for row in self._db.execute(query, args))
        return found


def write_index(
    folder: Path,
    parts: Iterable[Component],
    iris: Mapping[tuple[str, str], str],
    reviewer: Reviewer = NO_DECISIONS,
) -> None:
    """A first version's index, its components numbered from 1."""
    index = Index(folder / FILE_NAME, create=True)
    for number, part in enumerate(parts, 1):
        index.add(number, part, iris, reviewer)
    index.close(indexes=True)


def orcid_names(works: Iterable[Work]) -> set[str]:
    """The name keys some author of these works carries an ORCID under."""
    return {name_key(a) for w in works for a in w.authors if a.orcid and a.kind == "person"}
