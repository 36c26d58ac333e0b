"""The store: a directory holding what was loaded and the RDF graph built from it.

    <store>/sources/<id>.json   records and issues of one ingested file (id from its path)
    <store>/sources/<id>.stamp  what the records depend on (bytes, version, format), and counts
    <store>/rejects.jsonl       every rejected entry, with file, line, reason and text
    <store>/oxigraph/           the RDF graph (Oxigraph), rebuilt from all sources
    <store>/validation.json     the SHACL report of the graph as last built

The graph is a pure function of the loaded records, so ingesting a file twice changes
nothing, and cross-source de-duplication sees every source at once.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph

from citegraph import __version__
from citegraph.graph.build import BuildResult, build
from citegraph.graph.records_io import (
    issue_from_json,
    issue_to_json,
    record_from_json,
    record_to_json,
)
from citegraph.graph.validate import ValidationReport
from citegraph.loaders.records import LoadResult

DEFAULT_STORE = "citegraph-store"


def default_store_path() -> Path:
    return Path(os.environ.get("CITEGRAPH_STORE") or DEFAULT_STORE)


@dataclass(frozen=True)
class StoredSource:
    result: LoadResult
    signature: str


class Store:
    """A citegraph store directory (created on first write)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._rdf: pyoxigraph.Store | None = None
        self._read: dict[str, StoredSource] = {}  # sources saved or read by this object

    @property
    def sources_dir(self) -> Path:
        return self.path / "sources"

    @property
    def rejects_path(self) -> Path:
        return self.path / "rejects.jsonl"

    def exists(self) -> bool:
        return self.sources_dir.is_dir()

    def built(self) -> bool:
        """Whether the RDF graph has been built (a store can hold records but no graph yet)."""
        return (self.path / "oxigraph").is_dir()

    def rdf(self) -> pyoxigraph.Store:
        if self._rdf is None:
            self.path.mkdir(parents=True, exist_ok=True)
            self._rdf = pyoxigraph.Store(str(self.path / "oxigraph"))
        return self._rdf

    @staticmethod
    def source_id(path: str) -> str:
        return hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:16]

    @staticmethod
    def signature(sha256: str, format: str | None) -> str:
        """What a file's records depend on: its bytes, this citegraph, the format asked for."""
        return f"{sha256} {__version__} {format or 'auto'}"

    def _stamp(self, source_id: str) -> Path:
        return self.sources_dir / f"{source_id}.stamp"

    def stored_summary(self, path: str, signature: str) -> LoadResult | None:
        """What an earlier ingest of these very bytes gave (counts and issues; the records
        stay on disk), or None: an unchanged file need not be parsed again."""
        source_id = self.source_id(path)
        stamp = self._stamp(source_id)
        if not (stamp.exists() and (self.sources_dir / f"{source_id}.json").exists()):
            return None
        data = json.loads(stamp.read_text(encoding="utf-8"))
        if data.get("signature") != signature:
            return None
        issues = [issue_from_json(i) for i in data["issues"]]
        return LoadResult(path, data["format"], [], issues, data["entries"], data["loaded"])

    def save(self, result: LoadResult, signature: str) -> bool:
        """Keep one file's records; False when the same content was already stored."""
        self.sources_dir.mkdir(parents=True, exist_ok=True)
        source_id = self.source_id(result.path)
        target = self.sources_dir / f"{source_id}.json"
        if self.stored_summary(result.path, signature):
            return False  # same bytes read by the same citegraph: nothing can change
        header = {
            "path": result.path,
            "format": result.format,
            "signature": signature,
            "entries": result.entries,
            "loaded": result.loaded,
        }
        tmp = target.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as out:
            # one JSON document, written a record at a time: a 200 MB export must not
            # need its whole serialisation in memory at once
            out.write(json.dumps(header, ensure_ascii=False)[:-1])
            for name, items in (
                ("records", map(record_to_json, result.records)),
                ("issues", map(issue_to_json, result.issues)),
            ):
                out.write(f', "{name}": [')
                for position, item in enumerate(items):
                    out.write(("," if position else "") + json.dumps(item, ensure_ascii=False))
                out.write("]")
            out.write("}")
        tmp.replace(target)
        summary = {
            "signature": signature,
            "format": result.format,
            "entries": result.entries,
            "loaded": result.loaded,
            "issues": [issue_to_json(i) for i in result.issues],
        }
        self._stamp(source_id).write_text(json.dumps(summary, ensure_ascii=False))
        (self.sources_dir / f"{source_id}.sha").unlink(missing_ok=True)  # 0.1.0's stamp
        self._read[source_id] = StoredSource(result, signature)
        return True

    def sources(self) -> list[StoredSource]:
        if not self.exists():
            return []
        stored = []
        for file in sorted(self.sources_dir.glob("*.json")):
            if file.stem in self._read:  # just saved: no need to read it back
                stored.append(self._read[file.stem])
                continue
            data = json.loads(file.read_text())
            result = LoadResult(
                path=data["path"],
                format=data["format"],
                records=[record_from_json(r) for r in data["records"]],
                issues=[issue_from_json(i) for i in data["issues"]],
                entries=data["entries"],
                loaded=data["loaded"],
            )
            self._read[file.stem] = StoredSource(result, data["signature"])
            stored.append(self._read[file.stem])
        return sorted(stored, key=lambda s: s.result.path)

    @property
    def validation_path(self) -> Path:
        return self.path / "validation.json"

    def kept_validation(self) -> ValidationReport | None:
        """The report of the last validation, if the graph was not rebuilt since."""
        if not self.validation_path.exists():
            return None
        return ValidationReport.from_json(json.loads(self.validation_path.read_text()))

    def keep_validation(self, report: ValidationReport) -> None:
        self.validation_path.write_text(json.dumps(report.to_json(), ensure_ascii=False))

    def rebuild(self) -> BuildResult:
        """Rebuild the RDF graph from every stored source, and the rejects file with it."""
        self.validation_path.unlink(missing_ok=True)  # a new graph is validated anew
        sources = self.sources()
        built = build([r for s in sources for r in s.result.records])
        store = self.rdf()
        store.clear()
        lines = io.BufferedReader(_LinesReader(built.triples), buffer_size=1 << 20)
        store.bulk_load(lines, format=pyoxigraph.RdfFormat.N_TRIPLES)
        store.flush()
        with self.rejects_path.open("w") as out:
            for source in sources:
                for issue in source.result.rejected:
                    out.write(json.dumps(issue_to_json(issue), ensure_ascii=False) + "\n")
        return built


class _LinesReader(io.RawIOBase):
    """N-Triples lines read as one byte stream, made and encoded a slice at a time.

    The bulk loader pulls the lines as the builder makes them: the graph as text is
    never whole in memory.
    """

    SLICE = 20_000

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = iter(lines)
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            chunk = list(itertools.islice(self._lines, self.SLICE))
            if not chunk:
                return 0
            self._pending = memoryview(("\n".join(chunk) + "\n").encode())
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size
