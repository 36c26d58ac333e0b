"""Ingesting what the store already holds: no parsing, no rebuild, no new validation."""

from __future__ import annotations

import json
from pathlib import Path

from citegraph.graph.ingest import ingest
from citegraph.graph.store import Store
from citegraph.loaders.bibtex import load as load_bibtex
from citegraph.loaders.records import LoadResult
from citegraph.loaders.registry import _LOADERS, register

BIB = """@book{k, title={Fine}, author={Smith, J.}, year={2000}}
@book{n, title={No year here}, author={Ruiz, A.}}
"""


def test_an_unchanged_file_is_not_parsed_again_and_reports_the_same(tmp_path: Path) -> None:
    calls: list[Path] = []

    @register("counted-bibtex", suffixes=(".counted",), priority=1)
    def counted(path: Path) -> LoadResult:
        calls.append(path)
        return load_bibtex(path)

    try:
        export = tmp_path / "refs.counted"
        export.write_text(BIB)
        store = Store(tmp_path / "store")
        first = ingest(store, [export], "counted-bibtex")
        again = ingest(store, [export], "counted-bibtex")
        assert len(calls) == 1
        assert [str(i) for i in again.files[0].issues] == [str(i) for i in first.files[0].issues]
        assert "no year" in " ".join(str(i) for i in again.files[0].issues)
        assert (again.files[0].records, again.files[0].loaded) == (2, 2)
        assert not again.files[0].changed
        export.write_text(BIB.replace("Fine", "Finer"))
        changed = ingest(store, [export], "counted-bibtex")
        assert len(calls) == 2 and changed.files[0].changed
    finally:
        _LOADERS.pop("counted-bibtex")


def test_forcing_another_format_reads_the_file_again(tmp_path: Path) -> None:
    export = tmp_path / "refs.txt"
    export.write_text(BIB)
    store = Store(tmp_path / "store")
    auto = ingest(store, [export])
    forced = ingest(store, [export], "ris")
    assert auto.files[0].format == "bibtex" and auto.files[0].loaded == 2
    assert forced.files[0].format == "ris" and forced.files[0].changed
    assert forced.files[0].records == 0  # a BibTeX file read as RIS holds no RIS records,
    assert [s.result.format for s in store.snapshot().sources()] == [
        "ris"
    ]  # and replaces the BibTeX


def test_an_unchanged_ingest_keeps_the_published_version(tmp_path: Path) -> None:
    export = tmp_path / "refs.bib"
    export.write_text(BIB)
    store = Store(tmp_path / "store")
    first = ingest(store, [export])
    version = store.current_name()
    kept = json.loads((store.versions_dir / str(version) / "validation.json").read_text())
    assert first.validation is not None and first.validation.conforms
    assert kept == first.validation.to_json() and kept["checks"] > 30
    again = ingest(store, [export])
    assert again.validation == first.validation
    assert store.current_name() == version  # nothing was built again
