"""The store: a directory that is a small database, published a whole version at a time.

    <store>/CURRENT                  the published version's name, replaced atomically
    <store>/versions/vNNNNNN/        one complete version, never changed once published:
        manifest.json                  the ingested files it was built from
        oxigraph/                      the RDF graph (source of truth; SPARQL)
        graph.lbug                     the property graph (Cypher; graph/store/graphdb.py)
        validation.json                its SHACL report
        identity.jsonl                 the merges the build decided, read by the audit
        rejects.jsonl                  every rejected entry, with file, line and reason
    <store>/sources/                 records per ingested file (graph/store/sources.py)
    <store>/write.lock               held by the one writer (graph/store/lock.py)

Why versions: a writer builds the next version beside the published one and publishes it
by renaming one small file, so a reader, a crash or `kill -9` at any instant sees the
whole previous version or the whole new one. Readers never take the write lock; they
hold a shared lease on the version they read, so it is not removed under them.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from citegraph.graph.store.layout import VERSION_NAME, mapping_digest
from citegraph.graph.store.lock import DEFAULT_WAIT, StoreBusy
from citegraph.graph.store.sources import (
    RecordFiles,
    SourceEntry,
    signature,
    source_id,
)
from citegraph.graph.store.writer import Writer
from citegraph.loaders.records import LoadResult

if TYPE_CHECKING:  # identity imports rapidfuzz: `citegraph --help` must not
    from citegraph.graph.identity.reviewer import Decision

__all__ = [
    "DEFAULT_STORE",
    "DEFAULT_WAIT",
    "Snapshot",
    "Store",
    "StoreBusy",
    "Writer",
    "default_store_path",
    "signature",
    "source_id",
]

DEFAULT_STORE = "citegraph-store"


def default_store_path() -> Path:
    return Path(os.environ.get("CITEGRAPH_STORE") or DEFAULT_STORE)


@dataclass(frozen=True)
class StoredSource:
    result: LoadResult
    signature: str


class Snapshot:
    """One published version, opened for reading (close it, or use `with`)."""

    def __init__(self, store: Store, name: str, lease: IO[str]) -> None:
        self.store = store
        self.name = name
        self.path = store.versions_dir / name
        self._lease = lease
        data = json.loads((self.path / "manifest.json").read_text(encoding="utf-8"))
        self.sources_listed = {
            sid: SourceEntry.from_json(entry) for sid, entry in data["sources"].items()
        }
        self.mapping: str | None = data.get("mapping")  # the property-graph schema
        self._rdf: Any = None
        self._graph: Any = None

    @property
    def rejects_path(self) -> Path:
        return self.path / "rejects.jsonl"

    def rdf(self) -> Any:
        """The RDF graph, read-only (pyoxigraph.Store)."""
        if self._rdf is None:
            import pyoxigraph

            self._rdf = pyoxigraph.Store.read_only(str(self.path / "oxigraph"))
        return self._rdf

    def graph(self) -> Any:
        """The property-graph database, read-only (graph/store/graphdb.GraphDB)."""
        if self._graph is None:
            from citegraph.graph.store.graphdb import FILE_NAME, GraphDB

            self._graph = GraphDB(self.path / FILE_NAME)
        return self._graph

    def sources(self) -> list[StoredSource]:
        return [
            StoredSource(self.store.records.read(entry), entry.signature)
            for entry in sorted(self.sources_listed.values(), key=lambda e: e.path)
        ]

    def identity(self) -> list[dict[str, Any]]:
        """The build's merge decisions (graph/identity.py `decisions`)."""
        file = self.path / "identity.jsonl"
        with file.open(encoding="utf-8") as lines:
            return [json.loads(line) for line in lines]

    def decisions(self) -> list[Decision]:
        """The reviewer's merge and split decisions, undone ones included."""
        from citegraph.graph.store.rows import read_reviewer

        return read_reviewer(self.path)

    def validation(self) -> Any:
        from citegraph.graph.validate import ValidationReport

        file = self.path / "validation.json"
        return ValidationReport.from_json(json.loads(file.read_text(encoding="utf-8")))

    def close(self) -> None:
        if self._graph is not None:
            self._graph.close()
            self._graph = None
        self._rdf = None
        self._lease.close()

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Store:
    """A citegraph store directory (created on first write)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.records = RecordFiles(self.path / "sources")
        self._snapshot: Snapshot | None = None

    @property
    def sources_dir(self) -> Path:
        return self.path / "sources"

    @property
    def versions_dir(self) -> Path:
        return self.path / "versions"

    @property
    def current_file(self) -> Path:
        return self.path / "CURRENT"

    def exists(self) -> bool:
        return self.current_file.exists() or self._legacy()

    def current_name(self) -> str | None:
        """The published version; should `CURRENT` name nothing whole (a folder deleted
        by hand, a file mangled outside citegraph), the newest complete version serves."""
        try:
            name = self.current_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        if VERSION_NAME.fullmatch(name) and (self.versions_dir / name / "manifest.json").exists():
            return name
        complete = sorted(
            d.name
            for d in self.versions_dir.glob("v*")
            if VERSION_NAME.fullmatch(d.name) and (d / "manifest.json").exists()
        )
        return complete[-1] if complete else None

    def snapshot(self) -> Snapshot | None:
        """The published version, opened once per Store and kept until `close`; None
        before the first ingest. An old (0.2) store is rebuilt from its records first."""
        if self._snapshot is not None:
            return self._snapshot
        if self.current_name() is None and self._legacy():
            with self.writer() as writer:
                writer.publish()
        snapshot = self._open_published()
        if snapshot is not None and snapshot.mapping != mapping_digest():
            # built by a citegraph whose property graph had other columns: rebuilt from
            # its records, as an old store is
            snapshot.close()
            with self.writer() as writer:
                writer.publish()
            snapshot = self._open_published()
        self._snapshot = snapshot
        return snapshot

    def _open_published(self) -> Snapshot | None:
        for _ in range(5):  # a writer may retire the version between our two reads
            name = self.current_name()
            if name is None:
                return None
            lease_file = self.versions_dir / name / "lease"
            try:
                lease = lease_file.open("a", encoding="utf-8")
            except FileNotFoundError:
                continue
            fcntl.flock(lease, fcntl.LOCK_SH)
            if (self.versions_dir / name / "manifest.json").exists():
                return Snapshot(self, name, lease)
            lease.close()
        return None

    def close(self) -> None:
        if self._snapshot is not None:
            self._snapshot.close()
            self._snapshot = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def writer(
        self, wait: float = DEFAULT_WAIT, waiting: Callable[[str], None] | None = None
    ) -> Writer:
        return Writer(self, wait, waiting)

    # --- layout helpers for the writer ---------------------------------------------------

    def mapping_of(self, name: str) -> str | None:
        """The property-graph mapping a version's database was built with."""
        data = json.loads((self.versions_dir / name / "manifest.json").read_text("utf-8"))
        return data.get("mapping")

    def manifest_of(self, name: str | None) -> dict[str, SourceEntry]:
        if name is None:
            return {}
        data = json.loads((self.versions_dir / name / "manifest.json").read_text("utf-8"))
        return {sid: SourceEntry.from_json(e) for sid, e in data["sources"].items()}

    def _legacy(self) -> bool:
        """A 0.2 store: records as sources/<id>.json, the graph in <store>/oxigraph."""
        return self.sources_dir.is_dir() and any(
            len(f.stem) == 16 for f in self.sources_dir.glob("*.json")
        )
