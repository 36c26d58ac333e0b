"""The data-extraction sheet: CSV and YAML rows linked to the works they code."""

from __future__ import annotations

from pathlib import Path

from citegraph.graph.ingest import ingest
from citegraph.graph.property_graph import to_property_graph
from citegraph.graph.store import Store
from citegraph.loaders.records import Finding, Mention, Severity
from citegraph.loaders.registry import load, loader_for

REVIEW = """## Review

## Body

Cohen and Felson (1979) and Torres (2022) are discussed (Crawford & Evans, 2017).

## References

- Cohen, L. E., & Felson, M. (1979). Social change and crime rate trends: A routine activity approach. *American Sociological Review*, 44(4), 588-608. https://doi.org/10.2307/2094589
- Crawford, A., & Evans, K. (2017). *Crime prevention and community safety*. Oxford University Press.
- Torres, C. (2022). *Preventive strategies against citizen insecurity* [Degree thesis, César Vallejo University].
"""

YAML = """studies:
  - work: 10.2307/2094589
    theory: routine activity theory
    strategy: [situational measures]
    country: United States
    finding: Routine changes raise the risk of victimisation.
    direction: positive
  - work: Torres (2022)
    strategy: police presence; patrols
    country: Peru
    finding: More patrols, fewer robberies.
    direction: positive
  - work: Crawford & Evans (2017)
    strategy: community participation
    country: Atlantis
    direction: sideways
  - theory: rational choice
"""


def test_yaml_sheet_rows_link_to_the_works_they_code(tmp_path: Path) -> None:
    review, sheet = tmp_path / "review.md", tmp_path / "coding.yaml"
    review.write_text(REVIEW)
    sheet.write_text(YAML)
    assert loader_for(sheet).name == "extraction"
    result = load(sheet)
    assert (result.entries, result.loaded, len(result.rejected)) == (4, 3, 1)
    assert result.rejected[0].source.line == 17 and "no work given" in result.rejected[0].reason
    warnings = [i.reason for i in result.issues if i.severity is Severity.WARNING]
    assert "unknown country 'Atlantis': add it to the ontology scheme" in warnings
    assert "unknown effect direction 'sideways'" in warnings
    assert {(m.kind, m.concept) for m in result.records if isinstance(m, Mention)} >= {
        ("theory", "routine-activity"),
        ("strategy", "police-presence"),
        ("place", "PE"),
    }
    findings = [f for f in result.records if isinstance(f, Finding)]
    assert [f.direction for f in findings] == ["positive", "positive"]

    store = Store(tmp_path / "store")
    ingest(store, [review, sheet])
    pg = to_property_graph(store.snapshot().rdf())
    works = {n.properties.get("title"): n.iri for n in pg.by_label("Work")}
    reports = {
        (r.start, pg.nodes[r.end].properties["claim"])
        for r in pg.relationships
        if r.type == "REPORTS"
    }
    torres = works["Preventive strategies against citizen insecurity"]
    assert (torres, "More patrols, fewer robberies.") in reports
    cohen = next(iri for title, iri in works.items() if title and title.startswith("Social change"))
    assert any(
        r.start == cohen and r.type == "STUDIES" and pg.nodes[r.end].properties["iso2"] == "US"
        for r in pg.relationships
    )
    # a sheet row is no extra work: every coded study is the review's entry
    assert not [n for n in pg.by_label("Work") if not n.properties.get("title")]
