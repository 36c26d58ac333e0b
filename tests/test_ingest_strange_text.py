"""Text the RDF and the store cannot hold as it came: it is repaired, never fatal."""

from __future__ import annotations

import json
from pathlib import Path

from citegraph.graph.ingest import ingest
from citegraph.graph.ntriples import text
from citegraph.graph.store import Store
from citegraph.loaders.records import LoadResult
from citegraph.loaders.registry import _LOADERS, register


def test_lone_surrogate_escape_in_json_export_loads_as_replacement_character(
    tmp_path: Path,
) -> None:
    export = tmp_path / "zotero.json"
    export.write_text(
        '[{"id": "a", "type": "article-journal", "title": "Broken \\ud83d emoji",'
        ' "author": [{"family": "Smith", "given": "J."}],'
        ' "issued": {"date-parts": [[2019]]}},'
        ' {"id": "b", "type": "book", "title": "Fine",'
        ' "issued": {"date-parts": [[2020]]}}]'
    )
    store = Store(tmp_path / "store")
    report = ingest(store, [export])
    [file] = report.files
    assert (file.records, file.loaded, file.rejected) == (2, 2, 0)
    titles = {
        s["t"].value
        for s in store.snapshot()
        .rdf()
        .query("SELECT ?t WHERE { ?w <http://purl.org/dc/terms/title> ?t }")
    }
    assert "Broken \ufffd emoji" in titles
    assert report.validation is not None and report.validation.conforms


def test_literal_escaping_matches_json_for_every_awkward_character() -> None:
    for value in ["plain", 'say "hi"', "back\\slash", "line\nbreak\ttab", "é ñ 中", "\x7f"]:
        assert text(value) == json.dumps(value, ensure_ascii=False)


def test_json_nested_beyond_reason_rejects_from_there_and_keeps_what_came_before(
    tmp_path: Path,
) -> None:
    export = tmp_path / "zotero.json"
    good = '{"id": "a", "type": "book", "title": "Fine", "issued": {"date-parts": [[2020]]}}'
    deep = '{"id": "b", "type": "book", "title": ' + "[" * 100_000 + "]" * 100_000 + "}"
    export.write_text(f"[{good},\n{deep}]")
    store = Store(tmp_path / "store")
    [file] = ingest(store, [export]).files
    assert (file.records, file.loaded, file.rejected) == (2, 1, 1)
    [reject] = [json.loads(line) for line in store.snapshot().rejects_path.read_text().splitlines()]
    assert reject["source"]["line"] == 2
    assert "nested too deeply" in reject["reason"]


def test_a_loader_that_breaks_costs_its_file_only(tmp_path: Path) -> None:
    """A bug in one loader is one rejected entry naming the file, not a traceback."""

    @register("broken-for-test", suffixes=(".broken",), priority=1)
    def broken(path: Path) -> LoadResult:
        raise ZeroDivisionError("division by zero")

    try:
        (tmp_path / "a.broken").write_text("anything")
        (tmp_path / "b.bib").write_text("@book{k, title={Fine}, author={Smith, J.}, year={2000}}\n")
        report = ingest(Store(tmp_path / "store"), [tmp_path / "a.broken", tmp_path / "b.bib"])
    finally:
        _LOADERS.pop("broken-for-test")
    first, second = report.files
    assert (first.format, first.records, first.loaded, first.rejected) == (
        "broken-for-test",
        1,
        0,
        1,
    )
    assert "loader failed (ZeroDivisionError: division by zero)" in str(first.issues[0])
    assert (second.loaded, second.rejected) == (1, 0)
