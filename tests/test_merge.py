"""One work, one node: the review's APA list and database exports merged into one graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from citegraph.graph.audit import AuditReport, audit
from citegraph.graph.ingest import ingest
from citegraph.graph.property_graph import PropertyGraph, to_property_graph
from citegraph.graph.store import Store

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
FILES = [
    "zotero.bib",
    "endnote.ris",
    "scopus.csv",
    "wos-plain.txt",
    "openalex-page.json",
    "zotero-csl.json",
    "crossref-list.json",
]


@pytest.fixture(scope="module")
def merged(
    tmp_path_factory: pytest.TempPathFactory, seed_path: Path
) -> tuple[PropertyGraph, AuditReport]:
    store = Store(tmp_path_factory.mktemp("merge") / "store")
    report = ingest(store, [seed_path, *(EXPORTS / name for name in FILES)])
    assert report.validation and report.validation.conforms
    return to_property_graph(store.snapshot().rdf()), audit(store.snapshot())


def works_with_doi(pg: PropertyGraph, doi: str) -> list[dict[str, object]]:
    return [n.properties for n in pg.by_label("Work") if n.properties.get("doi") == doi]


def test_same_work_from_five_sources_is_one_node(merged: tuple[PropertyGraph, AuditReport]) -> None:
    pg, _ = merged
    [cohen] = works_with_doi(pg, "10.2307/2094589")
    files = {s.split(":")[0].rsplit("/", 1)[-1] for s in cohen["sources"]}  # type: ignore[union-attr]
    assert {"zotero.bib", "wos-plain.txt", "scopus.csv", "theories.ttl"} <= files
    # the readable title wins over the WoS capitals; the capitals are kept as a conflict
    assert cohen["title"] == "Social Change and Crime Rate Trends: A Routine Activity Approach"
    assert any(str(f).startswith("conflict:title=SOCIAL-CHANGE") for f in cohen["flags"])  # type: ignore[union-attr]
    # flags of abbreviated cited references do not stick to the full record
    assert "parsed_reference" not in cohen["flags"]  # type: ignore[operator]


def test_review_entry_merges_with_export_by_title(
    merged: tuple[PropertyGraph, AuditReport],
) -> None:
    pg, _ = merged
    hirschi = [
        n.properties
        for n in pg.by_label("Work")
        if n.properties.get("title") == "Causes of Delinquency"
    ]
    assert len(hirschi) == 1
    files = {s.split(":")[0].rsplit("/", 1)[-1] for s in hirschi[0]["sources"]}  # type: ignore[union-attr]
    assert {"citizen-security-review.md", "zotero-csl.json"} <= files


def test_audit_lists_merges_and_real_conflicts_only(
    merged: tuple[PropertyGraph, AuditReport],
) -> None:
    _, report = merged
    assert len(report.merges) >= 15
    conflicting = {str(c.detail["attribute"]) for c in report.conflicts}
    assert "title" in conflicting
    # `Impact of Public Policies` vs `Impact of public policies`: case is no conflict
    assert not any("Impact of" in c.message for c in report.conflicts)


def test_people_merge_across_sources_without_false_merges(
    merged: tuple[PropertyGraph, AuditReport],
) -> None:
    pg, _ = merged
    felson = [n.properties for n in pg.by_label("Person") if n.properties.get("family") == "Felson"]
    assert len(felson) == 1
    clarke = {
        (p.properties.get("given") or "")
        for p in pg.by_label("Person")
        if p.properties.get("family") == "Clarke"
    }
    assert "R. V." in clarke


def test_a_merge_of_many_records_names_five_and_keeps_all(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    for n in range(7):
        export = tmp_path / f"export{n}.bib"
        export.write_text(
            "@article{cohen, author = {Cohen, L. E. and Felson, M.}, year = {1979},\n"
            "  title = {Social change and crime rate trends}, doi = {10.2307/2094589}}\n"
        )
        ingest(store, [export])
    [merge] = [
        m for m in audit(store.snapshot()).merges if m.detail["key"] == "doi:10.2307/2094589"
    ]
    # the build's own decision, read from the store: seven files and the ontology's
    # founding work, as the node lists them
    assert merge.message.startswith("merged 8 records")
    assert merge.message.endswith("export4.bib:1 and 3 more")
    assert len(merge.detail["sources"]) == 8  # type: ignore[arg-type]
    [node] = [
        n
        for n in to_property_graph(store.snapshot().rdf()).by_label("Work")
        if n.properties.get("doi") == "10.2307/2094589"
    ]
    assert len(node.properties["sources"]) == len(merge.detail["sources"])  # type: ignore[arg-type]


BIB = """@article{vega2018,
  author = {Vega, Ana and Soto, Luis},
  title = {Street lighting and theft in Arequipa},
  journal = {Security Journal},
  year = {2018}, volume = {31}, number = {4}, pages = {880--899}
}
"""
RIS = """TY  - JOUR
AU  - Vega, Ana
AU  - Soto, Luis
TI  - Street lighting and theft in Arequipa
JO  - Security Journal
PY  - 2018
VL  - 31
IS  - 5
SP  - 880
EP  - 899
ER  -
"""


def test_the_node_and_the_audit_flag_the_same_conflict(tmp_path: Path) -> None:
    """One list of conflict fields: an issue that differs (`4 | 5`) was listed by the audit
    while the node carried no flag."""
    (tmp_path / "a.bib").write_text(BIB)
    (tmp_path / "b.ris").write_text(RIS)
    store = Store(tmp_path / "store")
    ingest(store, [tmp_path / "a.bib", tmp_path / "b.ris"])
    [work] = [
        n
        for n in to_property_graph(store.snapshot().rdf()).by_label("Work")
        if "Arequipa" in n.name
    ]
    assert "conflict:issue=4 | 5" in work.properties["flags"]
    listed = [
        (c.detail["attribute"], c.detail["values"]) for c in audit(store.snapshot()).conflicts
    ]
    assert listed == [("issue", ["4", "5"])]
