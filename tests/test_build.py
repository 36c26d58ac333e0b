"""Building the graph: identity, merging and order independence."""

from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citegraph.graph.build import build
from citegraph.graph.identity import cluster_works, person_key
from citegraph.graph.property_graph import to_property_graph
from citegraph.loaders.records import Agent, Citation, Mention, Source, Work
from citegraph.loaders.reference_string import parse_reference
from citegraph.loaders.review import load

SRC = Source("refs.bib", 1, "bibtex")


def work(
    key: str,
    title: str,
    year: int,
    family: str,
    doi: str | None = None,
    path: str = "refs.bib",
    **extra: object,
) -> Work:
    return Work(
        key,
        Source(path, 1, "t"),
        title=title,
        year=year,
        doi=doi,
        authors=(Agent(f"{family}, A.", family=family, given="A."),),
        **extra,
    )  # type: ignore[arg-type]


def test_doi_and_fuzzy_title_merge_across_sources() -> None:
    works = [
        work(
            "a",
            "Social change and crime rate trends: a routine activity approach",
            1979,
            "Cohen",
            "10.2307/2094589",
            "scopus.csv",
        ),
        work("b", "SOCIAL CHANGE AND CRIME RATE TRENDS", 1979, "Cohen", None, "wos.txt"),
        work(
            "c", "Social change and crime rate trends", 1979, "Cohen", "10.2307/2094589", "refs.bib"
        ),
        work("d", "Social change and crime rate trends", 2010, "Cohen", None, "review.md"),
    ]
    clusters = cluster_works(works)
    sizes = sorted(len(c.members) for c in clusters)
    assert sizes == [1, 3]
    merged = next(c for c in clusters if len(c.members) == 3)
    assert merged.key == "doi:10.2307/2094589"


def test_people_are_kept_apart_without_evidence() -> None:
    assert person_key(Agent("Clarke, R. V.", family="Clarke", given="R. V.")) == person_key(
        Agent("Ronald V. Clarke", family="Clarke", given="Ronald V.")
    )
    assert person_key(Agent("Clarke, R.", family="Clarke", given="R.")) != person_key(
        Agent("Clarke, R. V.", family="Clarke", given="R. V.")
    )
    assert person_key(Agent("Školník, M.", family="Školník", given="M.")) == person_key(
        Agent("Skolnik, M.", family="Skolnik", given="M.")
    )


RECORDS = [
    work("w1", "Routine activity and crime", 1979, "Cohen"),
    work("w2", "The reasoning criminal", 1986, "Cornish"),
    work("w3", "Crime pattern theory", 1993, "Brantingham", "10.1/abc"),
    work("w4", "Crime Pattern Theory", 1993, "Brantingham"),
    Citation("w2", "w1", Source("refs.bib", 1, "t"), ("w2 cites w1",)),
    Mention("w1", "theory", "routine-activity", "routine activity", Source("refs.bib", 1, "t")),
    Mention("w2", "place", "PE", "Peru", Source("refs.bib", 1, "t")),
]


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False))
def test_building_is_independent_of_record_order(rnd: random.Random) -> None:
    shuffled = list(RECORDS)
    rnd.shuffle(shuffled)
    assert set(build(shuffled).triples) == set(build(RECORDS).triples)


def test_published_in_keeps_the_sources_that_named_the_venue() -> None:
    """Without a statement of its own the edge takes the work's sources; with one, its own."""

    def graph(works: list[Work]) -> dict[str, list[str]]:
        store = pyoxigraph.Store()
        lines = "\n".join(build(list(works)).triples)
        store.load(lines.encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)
        pg = to_property_graph(store)
        return {
            str(pg.nodes[r.start].properties["title"]): r.properties["sources"]
            for r in pg.relationships
            if r.type == "PUBLISHED_IN"
        }

    both = [
        work("a", "Hot spots policing in Lima", 2019, "Rios", path="a.bib", container="Crime Sci"),
        work("b", "Hot spots policing in Lima", 2019, "Rios", path="b.ris", container="Crime Sci"),
    ]
    one = [
        work("c", "Street lighting and theft", 2018, "Vega", path="a.bib", container="Sec J"),
        work("d", "Street lighting and theft", 2018, "Vega", path="b.ris"),
    ]
    sources = graph(both + one)
    assert sources["Hot spots policing in Lima"] == ["a.bib:1 (t)", "b.ris:1 (t)"]
    assert sources["Street lighting and theft"] == ["a.bib:1 (t)"]


def test_a_thesis_carries_its_degree_and_archive_into_the_graph() -> None:
    entry = (
        "Huamán, L. (2021). Neighbourhood patrols and trust in the police [Master's thesis, "
        "Universidad Nacional de Trujillo]. Repositorio Institucional UNT."
    )
    thesis = parse_reference(entry).to_work("ref1", Source("list.md", 3, "review"), entry)
    store = pyoxigraph.Store()
    store.load("\n".join(build([thesis]).triples).encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)
    pg = to_property_graph(store)
    [work] = [n for n in pg.by_label("Work") if n.properties.get("keys") == ["ref1"]]
    props = work.properties
    assert (props["type"], props["genre"]) == ("thesis", "Master's thesis")
    assert (props["publisher"], props["container"]) == (
        "Universidad Nacional de Trujillo",
        "Repositorio Institucional UNT",
    )
    [venue] = [
        pg.nodes[r.end]
        for r in pg.relationships
        if r.type == "PUBLISHED_IN" and r.start == work.iri
    ]
    assert venue.name == "Repositorio Institucional UNT"


@pytest.mark.parametrize(
    "entry",
    [
        pytest.param(
            "Cornish, D. B., & Clarke, R. V. (1986). *The reasoning criminal: Rational choice "
            "perspectives on offending*. Piscataway: Transaction Publishers.",
            id="authors",
        ),
        pytest.param(
            "Cornish, D. B., & Clarke, R. V. (Eds.). (1986). *The reasoning criminal: Rational "
            "choice perspectives on offending*. Piscataway: Transaction Publishers.",
            id="editors-flagged",
        ),
    ],
)
def test_the_users_list_wins_over_the_ontologys_founding_work(tmp_path: Path, entry: str) -> None:
    """The ontology prints this founding work with Springer-Verlag; a list that names
    another publisher keeps its own, and the ontology stays a source with its value."""
    path = tmp_path / "references.md"
    path.write_text(f"{entry}\nFelson, M. (2002). *Crime and everyday life*. Sage.\n")
    store = pyoxigraph.Store()
    lines = "\n".join(build(load(path).records).triples)
    store.load(lines.encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)
    pg = to_property_graph(store)
    [book] = [n for n in pg.by_label("Work") if "theory:rational-choice" in n.properties["keys"]]
    assert book.properties["publisher"] == "Transaction Publishers"
    assert {s.split(":")[0] for s in book.properties["sources"]} == {
        str(path),
        "ontology/theories.ttl",
    }
    assert "conflict:publisher=Springer-Verlag | Transaction Publishers" in book.properties["flags"]


def test_a_build_releasing_its_components_makes_the_same_lines() -> None:
    """The store's build lets each component go once its lines are made (so a large
    graph's records leave memory as its triples enter the store): the lines are those
    of the build that keeps them, in the same order."""
    kept = list(build(RECORDS).parts)
    released = build(RECORDS)
    assert list(released.release()) == kept and len(kept) > 2
    assert released.components == [] and released.clusters == []
