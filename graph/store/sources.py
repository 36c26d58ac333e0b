"""Records on disk: one immutable pair of files per version of an ingested file.

    sources/<id>-<sig>.json    the records and issues a loader gave (id from the file's
                               path, sig from what the records depend on)
    sources/<id>-<sig>.stamp   its counts and issues, written last: a record file without
                               its stamp is a half-written one and is never read

Files are never rewritten in place, so a published version's manifest always names
records that exist, whatever happens to a later ingest.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from citegraph import __version__
from citegraph.graph.records_io import (
    issue_from_json,
    issue_to_json,
    record_from_json,
    record_to_json,
)
from citegraph.loaders.records import LoadResult


def source_id(path: str) -> str:
    return hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:16]


def signature(sha256: str, format: str | None) -> str:
    """What a file's records depend on: its bytes, this citegraph, the format asked for."""
    return f"{sha256} {__version__} {format or 'auto'}"


def record_file(path: str, signature: str) -> str:
    return f"{source_id(path)}-{hashlib.sha256(signature.encode()).hexdigest()[:12]}"


@dataclass(frozen=True)
class SourceEntry:
    """One ingested file as a version's manifest lists it."""

    path: str
    format: str
    signature: str
    file: str  # record file stem in sources/

    def to_json(self) -> dict[str, str]:
        return {
            "path": self.path,
            "format": self.format,
            "signature": self.signature,
            "file": self.file,
        }

    @classmethod
    def from_json(cls, data: dict[str, str]) -> SourceEntry:
        return cls(data["path"], data["format"], data["signature"], data["file"])


def write_durably(target: Path, text: str) -> None:
    """Replace `target` with `text` so that it is either the old or the new content."""
    tmp = target.with_name(target.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    tmp.replace(target)


class RecordFiles:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def summary(self, path: str, signature: str) -> LoadResult | None:
        """What an earlier ingest of these very bytes gave (counts and issues; records stay
        on disk), or None: an unchanged file need not be parsed again."""
        stem = record_file(path, signature)
        stamp = self.folder / f"{stem}.stamp"
        if not (stamp.exists() and (self.folder / f"{stem}.json").exists()):
            return None
        data = json.loads(stamp.read_text(encoding="utf-8"))
        if data.get("signature") != signature:
            return None
        issues = [issue_from_json(i) for i in data["issues"]]
        return LoadResult(path, data["format"], [], issues, data["entries"], data["loaded"])

    def save(self, result: LoadResult, signature: str) -> SourceEntry:
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = record_file(result.path, signature)
        entry = SourceEntry(result.path, result.format, signature, stem)
        if self.summary(result.path, signature):
            return entry
        target = self.folder / f"{stem}.json"
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
            out.flush()
            os.fsync(out.fileno())
        tmp.replace(target)
        summary = {
            "signature": signature,
            "format": result.format,
            "entries": result.entries,
            "loaded": result.loaded,
            "issues": [issue_to_json(i) for i in result.issues],
        }
        write_durably(self.folder / f"{stem}.stamp", json.dumps(summary, ensure_ascii=False))
        return entry

    def read(self, entry: SourceEntry) -> LoadResult:
        data = json.loads((self.folder / f"{entry.file}.json").read_text(encoding="utf-8"))
        return LoadResult(
            path=data["path"],
            format=data["format"],
            records=[record_from_json(r) for r in data["records"]],
            issues=[issue_from_json(i) for i in data["issues"]],
            entries=data["entries"],
            loaded=data["loaded"],
        )

    def remove_except(self, keep: set[str]) -> None:
        """Delete record files no kept manifest names (and half-written leftovers)."""
        if not self.folder.is_dir():
            return
        for file in self.folder.iterdir():
            stem = file.name.split(".", 1)[0]
            if stem not in keep:
                file.unlink(missing_ok=True)
