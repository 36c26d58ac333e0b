"""Text the RDF and the store cannot hold as it came: it is repaired, never fatal."""

from __future__ import annotations

import json
from pathlib import Path

from citegraph.graph.build import text
from citegraph.graph.ingest import ingest
from citegraph.graph.store import Store


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
        for s in store.rdf().query("SELECT ?t WHERE { ?w <http://purl.org/dc/terms/title> ?t }")
    }
    assert "Broken \ufffd emoji" in titles
    assert report.validation is not None and report.validation.conforms


def test_literal_escaping_matches_json_for_every_awkward_character() -> None:
    for value in ["plain", 'say "hi"', "back\\slash", "line\nbreak\ttab", "é ñ 中", "\x7f"]:
        assert text(value) == json.dumps(value, ensure_ascii=False)
    assert text("x\ud800y") == '"x\ufffdy"'
