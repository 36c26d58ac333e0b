"""The demo: the bundled example through the whole pipeline, into a fresh store."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from citegraph.graph.analysis import Stats, analyse
from citegraph.graph.audit import AuditReport, audit
from citegraph.graph.evidence import evidence_map, heatmap_html
from citegraph.graph.export import FILE_SET_FORMATS, FORMATS, export
from citegraph.graph.ingest import IngestReport, ingest
from citegraph.graph.lineage import lineage, render_lineage
from citegraph.graph.property_graph import to_property_graph
from citegraph.graph.render import render
from citegraph.graph.store import Store

EXAMPLE_FILES = ("citizen-security-example.md", "citizen-security-extraction.csv")
EXTENSIONS = {"bibtex": "bib", "cypher": "cypher", "csl-json": "csl.json"}
LINEAGE_OF = "situational-crime-prevention"


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
    stats: Stats
    outputs: list[Path] = field(default_factory=list)


def fresh_store(path: Path) -> Store:
    """Empty the store directory, but only if it is one (or empty, or absent)."""
    store = Store(path)
    if path.exists() and any(path.iterdir()) and not store.exists():
        raise NotAStore(f"{path}: exists and is not a citegraph store; choose another --store")
    shutil.rmtree(path, ignore_errors=True)
    return Store(path)


def run_demo(store_path: Path, out_dir: Path | None = None) -> DemoResult:
    """Ingest the example, then write every export, the graph page, a theory lineage page
    and the evidence map, so a fresh clone shows what citegraph makes."""
    store = fresh_store(store_path)
    report = ingest(store, example_paths())
    out = out_dir or store_path / "demo"
    out.mkdir(parents=True, exist_ok=True)
    snapshot = store.snapshot()
    assert snapshot is not None  # just ingested
    pg = to_property_graph(snapshot.rdf())
    outputs = []
    for fmt in FORMATS:
        name = fmt if fmt in FILE_SET_FORMATS else f"citegraph.{EXTENSIONS.get(fmt, fmt)}"
        target = out / name
        export(snapshot, fmt, target)
        outputs.append(target)
    outputs.append(render(pg, out / "graph.html", title="citegraph demo: citizen security"))
    outputs.append(render_lineage(pg, lineage(pg, LINEAGE_OF), out / "lineage.html"))
    heatmap = out / "evidence.html"
    heatmap.write_text(
        heatmap_html(evidence_map(pg), "Evidence map: strategy by country"), encoding="utf-8"
    )
    outputs.append(heatmap)
    return DemoResult(store, out, report, audit(snapshot), analyse(pg), outputs)
