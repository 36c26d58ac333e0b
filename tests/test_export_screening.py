"""`citegraph export --dedup`: one record per work for screening tools, read back as
ASReview reads them (rispy for RIS, a CSV reader for CSV)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import rispy
from click.testing import CliRunner

from citegraph.cli import main
from citegraph.graph.method_audit import store_exports_flow
from citegraph.graph.store import Store

ZOTERO = """TY  - JOUR
TI  - Guardians on buses: a field experiment
AU  - Pérez, Ana
PY  - 2020
T2  - Crime Science
VL  - 9
SP  - 1
EP  - 12
DO  - 10.1000/guard
ER  -

TY  - JOUR
TI  - Street lights and theft
AU  - Ruiz, Bruno
PY  - 2021
T2  - Security Journal
DO  - 10.1000/light
ER  -
"""
WOS = """FN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Perez, A
AF Perez, Ana
TI GUARDIANS ON BUSES: A FIELD EXPERIMENT
SO CRIME SCIENCE
CR Clarke RV, 1997, SITUATIONAL CRIME PR, P1
PY 2020
VL 9
BP 1
EP 12
DI 10.1000/guard
UT WOS:000123
ER

EF
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("screening")
    (folder / "zotero.ris").write_text(ZOTERO, encoding="utf-8")
    (folder / "wos.txt").write_text(WOS, encoding="utf-8")
    path = str(folder / "store")
    files = [str(folder / "zotero.ris"), str(folder / "wos.txt")]
    result = CliRunner().invoke(main, ["--store", path, "ingest", *files], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return path


def export(store: str, *args: str) -> tuple[str, str]:
    runner = CliRunner()
    result = runner.invoke(
        main, ["--store", store, "export", "--dedup", *args], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result.stdout, result.stderr


def test_ris_has_one_record_per_work_with_the_duplicates_ids(store: str) -> None:
    out, err = export(store, "--format", "ris")
    entries = rispy.loads(out)
    # three export records, one cited reference: two works, the reference is none
    assert sorted(e["title"] for e in entries) == [
        "Guardians on buses: a field experiment",
        "Street lights and theft",
    ]
    assert len({e["id"] for e in entries}) == 2
    guardians = next(e for e in entries if e["title"].startswith("Guardians"))
    (note,) = guardians["notes"]
    assert note.startswith("citegraph: 2 records merged: ")
    records = note.split(": ", 2)[2].split("; ")
    assert sorted(Path(r.split(":")[0]).name + r[r.index(":") :] for r in records) == [
        "wos.txt:3 [WOS:000123]",
        "zotero.ris:1",  # Zotero's RIS gives no ID: file and line only
    ]
    (street,) = [e for e in entries if e is not guardians]
    assert street["notes"][0].startswith("citegraph: 1 record: ")
    assert street["notes"][0].endswith("zotero.ris:12")
    assert "2 works from 3 records (1 duplicates removed) as ris for screening" in err


def test_csv_has_one_row_per_work_and_the_same_works(store: str, tmp_path: Path) -> None:
    target = tmp_path / "screen.csv"
    export(store, "--format", "csv", "-o", str(target))
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == 2
    by_title = {r["title"]: r for r in rows}
    guardians = by_title["Guardians on buses: a field experiment"]
    assert (guardians["duplicates"], guardians["doi"], guardians["year"]) == (
        "1",
        "10.1000/guard",
        "2020",
    )
    assert "[WOS:000123]" in guardians["source_records"]
    assert "zotero.ris:1" in guardians["source_records"]
    assert by_title["Street lights and theft"]["duplicates"] == "0"
    ris, _ = export(store, "--format", "ris")
    assert {r["key"] for r in rows} == {e["id"] for e in rispy.loads(ris)}


def test_the_works_are_what_prisma_counts_as_screened(store: str) -> None:
    out, _ = export(store, "--format", "ris")
    with Store(store).snapshot() as snapshot:
        flow = store_exports_flow(snapshot)
    assert flow is not None
    screened = flow.first("screened")
    assert screened is not None
    assert screened.count == len(rispy.loads(out)) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--format", "graphml"], "--dedup writes ris or csv", id="format"),
        pytest.param(
            ["--format", "ris", "--focus", "10.1000/guard"], "drop the filters", id="filter"
        ),
    ],
)
def test_dedup_refuses_what_screening_cannot_take(
    store: str, args: list[str], message: str
) -> None:
    result = CliRunner().invoke(
        main, ["--store", store, "export", "--dedup", *args], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output
