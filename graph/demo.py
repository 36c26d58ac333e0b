"""The demo: the bundled example through the whole pipeline, into a fresh store."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from citegraph.graph.audit import AuditReport, audit
from citegraph.graph.ingest import IngestReport, ingest
from citegraph.graph.store import Store

EXAMPLE_FILES = ("citizen-security-example.md", "citizen-security-extraction.csv")


class NotAStore(ValueError):
    """The demo refuses to wipe a directory that is not a citegraph store."""


def example_paths() -> list[Path]:
    root = files("citegraph.examples")
    return [Path(str(root / name)) for name in EXAMPLE_FILES]


@dataclass
class DemoResult:
    store: Store
    out_dir: Path
    ingest: IngestReport
    audit: AuditReport
    outputs: list[Path] = field(default_factory=list)


def fresh_store(path: Path) -> Store:
    """Empty the store directory, but only if it is one (or empty, or absent)."""
    store = Store(path)
    if path.exists() and any(path.iterdir()) and not store.exists():
        raise NotAStore(f"{path}: exists and is not a citegraph store; choose another --store")
    shutil.rmtree(path, ignore_errors=True)
    return Store(path)


def run_demo(store_path: Path, out_dir: Path | None = None) -> DemoResult:
    store = fresh_store(store_path)
    report = ingest(store, example_paths())
    out = out_dir or store_path / "demo"
    out.mkdir(parents=True, exist_ok=True)
    return DemoResult(store, out, report, audit(store))
