"""The store's one writer: a session that saves or removes files' records under the write
lock, then builds the next version beside the published one and publishes it."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from citegraph.graph.gc_paused import collector_paused
from citegraph.graph.store.layout import (
    MANIFEST_FORMAT,
    VERSION_NAME,
    build_digest,
    mapping_digest,
    remove_unread,
    sync_dir,
)
from citegraph.graph.store.lock import WriteLock
from citegraph.graph.store.sources import (
    SourceEntry,
    record_file,
    source_id,
    write_durably,
)
from citegraph.loaders.records import LoadResult

if TYPE_CHECKING:  # identity imports rapidfuzz: `citegraph --help` must not
    from citegraph.graph.identity.reviewer import Decision
    from citegraph.graph.store import Store


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
        numbers = [
            int(m.group(1)) for d in versions.iterdir() if (m := VERSION_NAME.fullmatch(d.name))
        ]
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
        sync_dir(target)
        write_durably(self.store.current_file, name + "\n")
        sync_dir(self.store.path)
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
            if VERSION_NAME.fullmatch(folder.name):
                remove_unread(folder)
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
