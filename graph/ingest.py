"""Ingest: files to records (loaders), records into the store, a new graph version published.

A file that cannot be read at all (binary, unknown format) is reported as one rejected
entry for that file; the other files still load.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from citegraph.graph.gc_paused import collector_paused
from citegraph.graph.store import DEFAULT_WAIT, Store, Writer, signature
from citegraph.graph.store.extensions import extension_files
from citegraph.graph.validate import ValidationReport
from citegraph.loaders.records import Issue, LoadResult, Severity, Source
from citegraph.loaders.registry import UnknownFormat, get, loader_for
from citegraph.loaders.text import NotText
from citegraph.ontology.vocabulary import extended, extensions


@dataclass
class FileReport:
    path: str
    format: str | None
    records: int
    loaded: int
    rejected: int
    issues: list[Issue]
    changed: bool

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "format": self.format,
            "records": self.records,
            "loaded": self.loaded,
            "rejected": self.rejected,
            "warnings": [str(i) for i in self.issues if i.severity is not Severity.INFO],
        }


@dataclass
class IngestReport:
    files: list[FileReport] = field(default_factory=list)
    validation: ValidationReport | None = None


def load_file(path: Path, format: str | None) -> LoadResult:
    """Run one loader; unreadable files become a LoadResult with one rejected entry."""
    name = format or "unknown"
    try:
        spec = get(format) if format else loader_for(path)
        name = spec.name
        return spec.load(path)
    except (UnknownFormat, NotText, OSError, UnicodeError) as error:
        reason = str(error).split(": ", 1)[-1] if str(error).startswith(str(path)) else str(error)
    except RecursionError:
        reason = "too deeply nested to read"
    except Exception as error:  # noqa: BLE001 - a loader bug must not cost the other files
        reason = f"{name} loader failed ({type(error).__name__}: {error}); please report this file"
    issue = Issue(Source(str(path), 1, name), Severity.ERROR, reason)
    return LoadResult(str(path), name, [], [issue], entries=1, loaded=0)


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _scheme_signed(sig: str) -> str:
    """A file's signature, plus the store's scheme extensions when it has some: records
    depend on the labels in force, so a file read before a concept was promoted is read
    again (and links the concept's new labels) the next time it is ingested."""
    in_force = extensions()
    if not in_force:
        return sig
    digest = hashlib.sha256(" ".join(sha for _, sha in in_force).encode()).hexdigest()
    return f"{sig} schemes:{digest[:16]}"


def _read(writer: Writer, path: Path, format: str | None) -> FileReport:
    """One file's records saved (parsed again only when its bytes or citegraph changed)."""
    sig = _scheme_signed(signature(_sha256(path), format)) if path.is_file() else ""
    result = writer.summary(str(path), sig) if sig else None
    if result is None:
        result = load_file(path, format)
        changed = writer.save(result, sig)  # even empty: it replaces what was read
    else:
        changed = writer.keep(result, sig)
    return FileReport(
        str(path),
        result.format,
        result.entries,
        result.loaded,
        len(result.rejected),
        result.issues,
        changed,
    )


def ingest(
    store: Store,
    paths: Iterable[Path],
    format: str | None = None,
    progress: Callable[[str], None] | None = None,
    wait: float = DEFAULT_WAIT,
    waiting: Callable[[str], None] | None = None,
    phases: Callable[[str], None] | None = None,
) -> IngestReport:
    """Load the files and publish the graph of everything stored, as one version;
    `progress` hears of each file, `phases` of each phase of the build.

    A file read before with the same bytes is not parsed again. Until the new version
    is published, readers (and a crash) see the previous one whole."""
    report = IngestReport()
    with (
        store.writer(wait, waiting) as writer,
        extended(extension_files(store.path)),
        collector_paused(),
    ):
        for path in paths:
            if progress:
                progress(str(path))
            # the report only: the writer holds the records until the build takes them
            report.files.append(_read(writer, path, format))
        if phases:
            phases("build")
        writer.publish(phases)
    snapshot = store.snapshot()
    report.validation = snapshot.validation() if snapshot else None
    return report


def remove(
    store: Store,
    paths: Iterable[str],
    wait: float = DEFAULT_WAIT,
    waiting: Callable[[str], None] | None = None,
) -> list[str]:
    """Take files' facts out of the graph; returns the paths that were not in the store."""
    unknown = []
    with store.writer(wait, waiting) as writer:
        for path in paths:
            if not writer.remove(path):
                unknown.append(path)
        writer.publish()
    return unknown


def store_results(store: Store, results: Iterable[tuple[LoadResult, str]]) -> None:
    """Records made in code (a notebook, a test) stored and published as ingest stores a
    file's; each comes with the signature that tells its versions apart."""
    with store.writer() as writer:
        for result, sig in results:
            writer.save(result, sig)
        writer.publish()
