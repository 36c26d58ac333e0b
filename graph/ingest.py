"""Ingest: files to records (loaders), records into the store, the graph rebuilt and validated.

A file that cannot be read at all (binary, unknown format) is reported as one rejected
entry for that file; the other files still load.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from citegraph.graph.store import Store
from citegraph.graph.validate import ValidationReport, validate
from citegraph.loaders.records import Issue, LoadResult, Severity, Source
from citegraph.loaders.registry import UnknownFormat, get, loader_for
from citegraph.loaders.text import NotText


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


def ingest(
    store: Store,
    paths: Iterable[Path],
    format: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> IngestReport:
    report = IngestReport()
    for path in paths:
        if progress:
            progress(str(path))
        signature = store.signature(_sha256(path), format) if path.is_file() else ""
        result = store.stored_summary(str(path), signature) if signature else None
        changed = False
        if result is None:
            result = load_file(path, format)
            changed = store.save(result, signature)  # even empty: it replaces what was read
        report.files.append(
            FileReport(
                str(path),
                result.format,
                result.entries,
                result.loaded,
                len(result.rejected),
                result.issues,
                changed,
            )
        )
    if any(f.changed for f in report.files) or not store.built():
        store.rebuild()  # the graph is a function of the stored records: rebuild on change
    report.validation = store.kept_validation()
    if report.validation is None:
        report.validation = validate(store.rdf())
        store.keep_validation(report.validation)
    return report
