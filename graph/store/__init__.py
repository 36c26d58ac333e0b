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
import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

from citegraph.graph.gc_paused import collector_paused
from citegraph.graph.store.lock import DEFAULT_WAIT, StoreBusy, WriteLock
from citegraph.graph.store.sources import (
    RecordFiles,
    SourceEntry,
    record_file,
    signature,
    source_id,
    write_durably,
)
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
MANIFEST_FORMAT = 1
_VERSION = re.compile(r"v(\d{6})")


def mapping_digest() -> str:
    """Which property-graph schema this citegraph builds (graph/store/graphdb.py)."""
    from citegraph.graph.store.graphdb import schema_digest

    return schema_digest()


def build_digest(extensions: tuple[Path, ...] = ()) -> str:
    """What a version's triples depend on besides its records: this citegraph, its
    ontology files and the store's own extensions. A version built otherwise is the base
    of a full build only."""
    from citegraph import __version__
    from citegraph.ontology.vocabulary import ontology_path

    digest = hashlib.sha256(__version__.encode())
    for file in [*sorted(Path(ontology_path("theories.ttl")).parent.glob("*.ttl")), *extensions]:
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


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
        if _VERSION.fullmatch(name) and (self.versions_dir / name / "manifest.json").exists():
            return name
        complete = sorted(
            d.name
            for d in self.versions_dir.glob("v*")
            if _VERSION.fullmatch(d.name) and (d / "manifest.json").exists()
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


class Writer:
    """The one writer's session: files saved or removed, then one version published.

    Holding the lock for the whole session makes "read the published manifest, change
    it, publish" one step, so two ingests can never publish over each other's files.
    """

    def __init__(self, store: Store, wait: float, waiting: Callable[[str], None] | None) -> None:
        self.store = store
        self._lock = WriteLock(store.path / "write.lock")
        self._wait = wait
        self._waiting = waiting
        self.base_name: str | None = None
        self.base: dict[str, SourceEntry] = {}
        self.manifest: dict[str, SourceEntry] = {}
        self._loaded: dict[str, LoadResult] = {}  # records saved in this session, until built
        self._saved: set[str] = set()  # the record files saved in this session
        self.base_decisions: list[Decision] = []
        self.decisions: list[Decision] = []  # the reviewer's, as the next version has them

    def __enter__(self) -> Writer:
        self._lock.acquire(self._wait, self._waiting)
        try:
            self.base_name = self.store.current_name()
            self.base = self.store.manifest_of(self.base_name)
            self.manifest = dict(self.base)
            if self.base_name is not None:
                from citegraph.graph.store.rows import read_reviewer

                self.base_decisions = read_reviewer(self.store.versions_dir / self.base_name)
            self.decisions = list(self.base_decisions)
            if self.base_name is None and self.store._legacy():
                self._adopt_legacy()
        except BaseException:
            self._lock.release()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._lock.release()

    def summary(self, path: str, sig: str) -> LoadResult | None:
        return self.store.records.summary(path, sig)

    def keep(self, result: LoadResult, sig: str) -> bool:
        """This file's records as they were read before; True if that changes the graph."""
        entry = SourceEntry(result.path, result.format, sig, record_file(result.path, sig))
        return self._set(entry)

    def save(self, result: LoadResult, sig: str) -> bool:
        """New records for a file (they replace what it gave before); True if changed."""
        entry = self.store.records.save(result, sig)
        self._loaded[entry.file] = result
        self._saved.add(entry.file)
        return self._set(entry)

    def remove(self, path: str) -> bool:
        return self.manifest.pop(source_id(path), None) is not None

    def _set(self, entry: SourceEntry) -> bool:
        sid = source_id(entry.path)
        changed = self.manifest.get(sid) != entry
        self.manifest[sid] = entry
        return changed

    @property
    def changed(self) -> bool:
        return (
            self.base_name is None
            or self.manifest != self.base
            or self.decisions != self.base_decisions
            or self.store.mapping_of(self.base_name) != mapping_digest()
        )

    def decide(self, decision: Decision) -> None:
        """Record a reviewer's decision (or its undoing, under the same id); the next
        publish builds under it."""
        self.decisions = [d for d in self.decisions if d.id != decision.id] + [decision]
        self.decisions.sort(key=lambda d: d.number)

    def take_sources(self) -> list[LoadResult]:
        """Every file's records, handed over to a full build: the writer lets go of those
        it holds, so the build can free them as it goes (a later build reads them back)."""
        found = []
        for entry in sorted(self.manifest.values(), key=lambda e: e.path):
            found.append(self._records(entry))
        self._loaded.clear()
        return found

    def _records(self, entry: SourceEntry) -> LoadResult:
        """A file's records: as saved in this session, else read back from the store."""
        return self._loaded.get(entry.file) or self.store.records.read(entry)

    def publish(self, progress: Callable[[str], None] | None = None) -> str:
        """Build the next version from the manifest and make it the published one.

        Unchanged: nothing is built. Whatever stops this midway leaves only an
        unpublished folder that the next writer removes."""
        if not self.changed and self.base_name is not None:
            return self.base_name
        from citegraph.graph.store.extensions import extension_files
        from citegraph.ontology.vocabulary import extended

        versions = self.store.versions_dir
        versions.mkdir(parents=True, exist_ok=True)
        numbers = [int(m.group(1)) for d in versions.iterdir() if (m := _VERSION.fullmatch(d.name))]
        name = f"v{max(numbers, default=0) + 1:06d}"
        target = versions / name
        with extended(extension_files(self.store.path)), collector_paused():
            built = self._build(target, progress)  # with the store's own concepts
        from citegraph.graph.store.rows import write_reviewer

        write_reviewer(target, self.decisions)
        write_durably(
            target / "manifest.json",
            json.dumps(
                {
                    "format": MANIFEST_FORMAT,
                    "mapping": mapping_digest(),
                    "build": build_digest(tuple(extension_files(self.store.path))),
                    "built": built,
                    "sources": {sid: e.to_json() for sid, e in sorted(self.manifest.items())},
                },
                ensure_ascii=False,
            ),
        )
        _sync_dir(target)
        write_durably(self.store.current_file, name + "\n")
        _sync_dir(self.store.path)
        self.store.close()  # its next snapshot is the version just published
        previous, self.base_name, self.base = self.base_name, name, dict(self.manifest)
        self.base_decisions = list(self.decisions)
        self._retire(keep={name, previous} - {None})
        return name

    def _build(self, target: Path, progress: Callable[[str], None] | None) -> str:
        """The version from the files that changed when the base allows it, else from
        every file; says which it was."""
        from citegraph.graph.identity.reviewer import Reviewer
        from citegraph.graph.store.delta import TooLarge, build_delta
        from citegraph.graph.store.version import build_version

        base = self.store.versions_dir / self.base_name if self.base_name else None
        if base is not None and self._incremental(base):
            removed = {e.path for sid, e in self.base.items() if self.manifest.get(sid) != e}
            added = [
                self._records(e)
                for sid, e in sorted(self.manifest.items())
                if self.base.get(sid) != e
            ]
            try:
                build_delta(target, base, removed, added, Reviewer(tuple(self.decisions)), progress)
                return "delta"
            except TooLarge:
                shutil.rmtree(target, ignore_errors=True)
            except Exception as error:  # noqa: BLE001 - a full build still gives the graph
                if progress:
                    progress(f"incremental build failed ({error}); building everything")
                shutil.rmtree(target, ignore_errors=True)
        build_version(target, self.take_sources(), Reviewer(tuple(self.decisions)), progress)
        return "full"

    def _incremental(self, base: Path) -> bool:
        """Whether the base version was built by this citegraph from this ontology, with
        the index an incremental build starts from."""
        from citegraph.graph.store.index import FILE_NAME

        try:
            manifest = json.loads((base / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        from citegraph.graph.store.extensions import extension_files

        return (
            manifest.get("build") == build_digest(tuple(extension_files(self.store.path)))
            and manifest.get("mapping") == mapping_digest()
            and (base / FILE_NAME).is_file()
            and (base / "lines.npy").is_file()
        )

    def _retire(self, keep: set[str | None]) -> None:
        """Remove unpublished and old versions nobody reads, and records none names."""
        versions = self.store.versions_dir
        kept_records: set[str] = set()
        for folder in sorted(versions.iterdir()):
            if folder.name in keep:
                if (folder / "manifest.json").exists():
                    kept_records |= {e.file for e in self.store.manifest_of(folder.name).values()}
                continue
            if _VERSION.fullmatch(folder.name):
                _remove_unread(folder)
            elif folder.name.startswith(".retired-"):  # a removal that was cut short
                shutil.rmtree(folder, ignore_errors=True)
        self.store.records.remove_except(kept_records | self._saved)

    def _adopt_legacy(self) -> None:
        """Give a 0.2 store's records their versioned names; the next publish builds
        its graph anew, and the old graph files go."""
        folder = self.store.sources_dir
        for file in sorted(folder.glob("*.json")):
            if len(file.stem) != 16:
                continue
            data = json.loads(file.read_text(encoding="utf-8"))
            stem = record_file(data["path"], data["signature"])
            # new stamp, then the records, then the old stamp: stopped anywhere, either the
            # old pair or the new one is whole
            stamp = file.with_suffix(".stamp")
            if stamp.exists():
                write_durably(folder / f"{stem}.stamp", stamp.read_text(encoding="utf-8"))
            file.replace(folder / f"{stem}.json")
            stamp.unlink(missing_ok=True)
            entry = SourceEntry(data["path"], data["format"], data["signature"], stem)
            self.manifest[source_id(entry.path)] = entry
        for old in ("oxigraph", "validation.json", "rejects.jsonl"):
            target = self.store.path / old
            if target.is_dir():
                shutil.rmtree(target, ignore_errors=True)
            else:
                target.unlink(missing_ok=True)
        for sha in folder.glob("*.sha"):
            sha.unlink()


def _remove_unread(folder: Path) -> None:
    """Remove a version unless a reader holds its lease (readers take it shared). It is
    renamed away while the lease is held exclusively, so a reader arriving meanwhile
    finds it gone and reads CURRENT again."""
    lease = folder / "lease"
    with lease.open("a", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return
        trash = folder.with_name(f".retired-{folder.name}")
        folder.replace(trash)
    shutil.rmtree(trash, ignore_errors=True)


def _sync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
