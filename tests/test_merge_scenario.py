"""A hard merge: fifteen criminology classics from Scopus, WoS, BibTeX, RIS, OpenAlex,
Crossref and a review's APA list, with the traps real exports set."""

from __future__ import annotations

from pathlib import Path

import pytest

from citegraph.graph.audit import AuditReport, audit
from citegraph.graph.identity import align_authors, same_person
from citegraph.graph.ingest import ingest
from citegraph.graph.property_graph import Node, PropertyGraph, to_property_graph
from citegraph.graph.store import Store
from citegraph.loaders.records import Agent, Source, Work

FIXTURES = Path(__file__).parent / "fixtures"
FILES = [FIXTURES / "merge" / "review.md", *sorted((FIXTURES / "exports" / "merge").iterdir())]


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> tuple[PropertyGraph, AuditReport]:
    store = Store(tmp_path_factory.mktemp("scenario") / "store")
    report = ingest(store, FILES)
    assert report.validation and report.validation.conforms
    return to_property_graph(store.snapshot().rdf()), audit(store.snapshot())


def works(pg: PropertyGraph, words: str) -> list[Node]:
    """Works whose title holds `words`, or (`=words`) is exactly `words`, in any case;
    a founding work that only the ontology prints is none of the scenario's."""
    titles = {
        n.iri: str(n.properties.get("title", "")).lower()
        for n in pg.by_label("Work")
        if not all(s.startswith("ontology/") for s in n.properties["sources"])
    }
    if words.startswith("="):
        return [pg.nodes[iri] for iri, title in titles.items() if title == words[1:]]
    return [pg.nodes[iri] for iri, title in titles.items() if words in title]


def files(node: Node) -> set[str]:
    return {s.split(":")[0].rsplit("/", 1)[-1] for s in node.properties["sources"]}


def people(pg: PropertyGraph, family: str) -> list[Node]:
    return [n for n in pg.by_label("Person") if n.properties.get("family") == family]


def authors_of(pg: PropertyGraph, work: Node) -> list[str]:
    found = sorted(
        (r.properties["position"], r.start)
        for r in pg.relationships
        if r.type == "AUTHORED" and r.end == work.iri
    )
    return [iri for _, iri in found]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("=situational crime prevention", {"endnote.ris", "openalex-page.json", "scopus.csv",
                                          "wos.txt", "review.md"}),
        ("broken windows", {"endnote.ris", "scopus.csv", "wos.txt", "zotero.bib", "review.md"}),
        ("nodes, paths", {"openalex-page.json", "review.md", "scopus.csv", "wos.txt",
                          "zotero.bib"}),
        ("hot spots policing on crime", {"openalex-page.json", "review.md", "scopus.csv", "wos.txt"}),
        ("public area cctv", {"crossref.json", "endnote.ris", "review.md", "scopus.csv",
                              "wos.txt"}),
        ("move around the corner", {"crossref.json", "review.md", "scopus.csv", "wos.txt"}),
        ("reasoning criminal", {"endnote.ris", "review.md", "scopus.csv", "wos.txt",
                                "zotero.bib"}),
        ("prevención situacional", {"endnote.ris", "review.md", "scopus.csv", "zotero.bib"}),
        ("collective efficacy", {"crossref.json", "openalex-page.json", "review.md",
                                 "scopus.csv", "wos.txt"}),
    ],
)  # fmt: skip
def test_each_work_is_one_node_with_every_source(
    merged: tuple[PropertyGraph, AuditReport], words: str, expected: set[str]
) -> None:
    pg, _ = merged
    [node] = works(pg, words)
    assert expected <= files(node)


def test_dropped_subtitle_merges_and_the_whole_title_is_kept(
    merged: tuple[PropertyGraph, AuditReport],
) -> None:
    pg, _ = merged
    [windows] = works(pg, "broken windows")
    assert (
        windows.properties["title"].lower() == "broken windows: the police and neighborhood safety"
    )
    [criminal] = works(pg, "reasoning criminal")
    assert criminal.properties["title"].endswith("Rational Choice Perspectives on Offending")
    # neither a dropped subtitle nor missing accents is a conflict
    assert not any(str(f).startswith("conflict:") for f in criminal.properties["flags"])
    [lima] = works(pg, "prevención situacional")
    assert "cámaras" in lima.properties["title"]
    assert not any(str(f).startswith("conflict:") for f in lima.properties["flags"])


def test_book_and_its_chapter_of_the_same_title_stay_two_works(
    merged: tuple[PropertyGraph, AuditReport],
) -> None:
    pg, _ = merged
    found = {n.properties["type"]: n for n in works(pg, "environmental criminology and crime")}
    assert set(found) == {"book", "chapter"}
    assert "review.md" in files(found["book"])  # the APA `(Eds.)` entry is the book
    assert {"endnote.ris", "zotero.bib"} <= files(found["chapter"])


def test_online_first_year_is_a_real_conflict_and_print_year_wins(
    merged: tuple[PropertyGraph, AuditReport],
) -> None:
    pg, report = merged
    [braga] = works(pg, "hot spots policing on crime")
    assert braga.properties["year"] == 2014
    assert "conflict:year=2012 | 2014" in braga.properties["flags"]
    years = [c for c in report.conflicts if c.detail["attribute"] == "year"]
    assert [c.detail["values"] for c in years] == [["2012", "2014"]]
    assert not [c for c in report.conflicts if c.detail["attribute"] == "title"]


def test_doi_case_and_resolver_prefix_do_not_split(
    merged: tuple[PropertyGraph, AuditReport],
) -> None:
    pg, _ = merged
    [nodes] = works(pg, "nodes, paths")
    assert nodes.properties["doi"] == "10.1016/s0272-4944(05)80212-9"
    [cctv] = works(pg, "public area cctv")
    assert cctv.properties["doi"] == "10.1080/07418820802506206"


def test_two_brantinghams_coauthoring_stay_two_people(
    merged: tuple[PropertyGraph, AuditReport],
) -> None:
    pg, _ = merged
    brantinghams = people(pg, "Brantingham")
    assert len(brantinghams) == 2
    [nodes] = works(pg, "nodes, paths")
    first, second = authors_of(pg, nodes)
    given = {n.iri: n.properties["given"] for n in brantinghams}
    assert (given[first], given[second]) == ("P. L.", "P. J.")


def test_clarke_rv_merges_across_name_forms_but_not_with_clarke_ra(
    merged: tuple[PropertyGraph, AuditReport],
) -> None:
    pg, _ = merged
    clarkes = people(pg, "Clarke")
    assert len(clarkes) == 2
    rv = next(n for n in clarkes if n.properties.get("orcid"))
    assert rv.properties["orcid"] == "0000-0001-9912-3486"  # from OpenAlex only
    [scp] = works(pg, "=situational crime prevention")
    [criminal] = works(pg, "reasoning criminal")
    assert authors_of(pg, scp) == [rv.iri]
    assert rv.iri in authors_of(pg, criminal)
    [lighting] = works(pg, "street lighting")
    assert authors_of(pg, lighting) != [rv.iri]
    # the WoS `Clarke RA, 1995, SECUR J, V6, P117` reference joins R. A.'s article
    assert "wos.txt" in files(lighting)


def test_double_surname_and_missing_accents_are_one_person(
    merged: tuple[PropertyGraph, AuditReport],
) -> None:
    pg, _ = merged
    [lima] = works(pg, "prevención situacional")
    first, second = authors_of(pg, lima)
    assert pg.nodes[first].properties["family"] == "Sánchez Rivera"
    assert pg.nodes[second].properties["family"] == "Pérez García"
    assert not people(pg, "Perez") and not people(pg, "Pérez") and not people(pg, "Sanchez")


def test_capitalised_crossref_names_do_not_win_the_display(
    merged: tuple[PropertyGraph, AuditReport],
) -> None:
    pg, _ = merged
    [weisburd] = people(pg, "Weisburd")
    assert not people(pg, "WEISBURD")
    [corner] = works(pg, "move around the corner")
    assert authors_of(pg, corner)[0] == weisburd.iri


def test_audit_lists_each_merge_once(merged: tuple[PropertyGraph, AuditReport]) -> None:
    _, report = merged
    # 14 among the exports, and a WoS cited reference with the scheme's founding work of
    # hot spots policing (Sherman & Weisburd 1995, by DOI)
    assert len(report.merges) == 15
    assert sum("Situational Crime Prevention" in m.message for m in report.merges) == 1


def test_wos_initials_name_the_same_person() -> None:
    assert same_person(Agent("Clarke, RV", family="Clarke", given="RV"),
                       Agent("Ronald V. Clarke", family="Clarke", given="Ronald V."))  # fmt: skip
    assert not same_person(Agent("Clarke, RA", family="Clarke", given="RA"),
                           Agent("Clarke, R. V.", family="Clarke", given="R. V."))  # fmt: skip


def test_an_ambiguous_initial_only_aligns_by_position() -> None:
    def agent(given: str) -> Agent:
        return Agent(f"Brantingham, {given}", family="Brantingham", given=given)

    full = Work("a", Source("a.bib", 1, "t"), authors=(agent("P. L."), agent("P. J.")))
    short = Work("b", Source("b.ris", 1, "t"), authors=(agent("P."), agent("P.")))
    slots = align_authors(full, (full, short))
    assert [len(s.forms) for s in slots] == [2, 2]
    assert slots[0].key != slots[1].key
