"""Shared fixtures: the seed corpus, fresh stores, the CLI runner, the Neo4j connection
and a small hand-built review for the sync and query tests."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import neo4j
import pytest
from click.testing import CliRunner

from citegraph.graph.ingest import store_results
from citegraph.graph.neo4j_connect import Neo4jSettings, connect
from citegraph.graph.store import Store
from citegraph.loaders.records import (
    Agent,
    Citation,
    Finding,
    LoadResult,
    Mention,
    Source,
    Work,
)

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seed" / "citizen-security-review.md"


def _bench_module(name: str) -> ModuleType:
    """A bench/ script as a module (bench/ is no package): loaded here once, so test
    modules find it in `sys.modules` under its name."""
    spec = importlib.util.spec_from_file_location(name, REPO / "bench" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


# the writers of reviews as PDF, DOCX, ODT and HTML that the document tests read back
_bench_module("documents")


def seed_location() -> Path:
    """The seed corpus: $CITEGRAPH_SEED, else ../shared/seed beside the repository."""
    return Path(os.environ.get("CITEGRAPH_SEED") or SEED)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """Every test that reads the seed takes it from here. Without it they skip, with a
    one-line reason; in CI (env CI set) they fail, since CI always has the seed."""
    path = seed_location()
    if not path.is_file():
        reason = f"seed corpus not found at {path} (set CITEGRAPH_SEED to its path)"
        if in_ci():
            pytest.fail(f"{reason}; CI needs it", pytrace=False)
        pytest.skip(reason)
    return path


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "store")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


# --- Neo4j sync and query (issue 3) -----------------------------------------------------
# The Neo4j tests need the server from neo4j/neo4j.sh and NEO4J_URI, NEO4J_USERNAME and
# NEO4J_PASSWORD set: without them they fail rather than skip, since CI always starts it.


@pytest.fixture(scope="session")
def neo4j_settings() -> Neo4jSettings:
    needed = ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD")
    missing = [name for name in needed if not os.environ.get(name)]
    if missing:
        pytest.fail(
            f"{', '.join(missing)} not set: start the server with neo4j/neo4j.sh start "
            "and export NEO4J_URI, NEO4J_USERNAME and NEO4J_PASSWORD"
        )
    return Neo4jSettings(
        os.environ["NEO4J_URI"],
        os.environ["NEO4J_USERNAME"],
        os.environ["NEO4J_PASSWORD"],
        os.environ.get("NEO4J_DATABASE") or "neo4j",
    )


@pytest.fixture(scope="session")
def neo4j_session_driver(neo4j_settings: Neo4jSettings) -> Iterator[neo4j.Driver]:
    driver = connect(neo4j_settings)
    yield driver
    driver.close()


@pytest.fixture
def neo4j_driver(neo4j_session_driver: neo4j.Driver, neo4j_settings: Neo4jSettings) -> neo4j.Driver:
    """The driver, on an emptied database (constraints and indexes are kept); deleted in
    batches, since one transaction over a benchmark-sized database runs out of memory."""
    with neo4j_session_driver.session(database=neo4j_settings.database) as session:
        session.run(
            "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()
    return neo4j_session_driver


def _review(path: str, variant: str) -> LoadResult:
    """A small review: citations with contexts and flags, theories, places, strategies,
    findings. `trimmed` drops one cited work and retitles another; `other` is a second
    review sharing one work and the ontology with the first."""

    def src(line: int) -> Source:
        return Source(path, line, "review")

    def person(family: str, given: str) -> Agent:
        return Agent(f"{family}, {given}", family=family, given=given)

    quispe, mamani, ramos = person("Quispe", "A."), person("Mamani", "B."), person("Ramos", "C.")
    cohen = Work(
        "ref1",
        src(30),
        title="Social change and crime rate trends: a routine activity approach",
        year=1979,
        type="article",
        doi="10.2307/2094589",
        container="American Sociological Review",
        volume="44",
        issue="4",
        pages="588-608",
        keywords=("routine activities", "crime rates"),
        authors=(person("Cohen", "L. E."), person("Felson", "M.")),
        raw="Cohen, L. E., & Felson, M. (1979). Social change and crime rate trends.",
    )
    if variant == "other":
        doc = Work(
            "doc",
            src(1),
            title="Crime prevention in Scandinavia",
            year=2023,
            type="report",
            authors=(person("Larsen", "K."),),
            is_document=True,
        )
        nordic = Work(
            "ref2",
            src(31),
            title="Situational prevention in Oslo",
            year=2015,
            type="article",
            authors=(person("Larsen", "K."),),
            raw="Larsen 2015",
        )
        return LoadResult(
            path,
            "review",
            [
                doc,
                cohen,
                nordic,
                Citation("doc", "ref1", src(5), ("Cohen and Felson (1979) remain central.",), 1),
                Citation("doc", "ref2", src(6), ("Larsen (2015) studies Oslo.",), 1),
                Mention("ref2", "theory", "situational-crime-prevention", "situational", src(6)),
                Mention("ref2", "place", "NO", "Oslo", src(6)),
            ],
            entries=3,
            loaded=3,
        )
    trimmed = variant == "trimmed"
    works = [
        Work(
            "doc",
            src(1),
            title="Preventive strategies for citizen security: a review",
            year=2024,
            type="report",
            authors=(quispe, mamani),
            is_document=True,
        ),
        Work(
            "doc2",
            src(2),
            title="Citizen security in the Andes",
            year=2022,
            type="thesis",
            authors=(mamani,),
        ),
        cohen,
        Work(
            "ref2",
            src(31),
            title="Community participation and citizen security in Lima",
            year=2019,
            type="article",
            container="Revista de Seguridad",
            volume="3",
            authors=(quispe, ramos),
            raw="Quispe, A., & Ramos, C. (2019). Community ...",
        ),
        Work(
            "ref3",
            src(32),
            title="Neighbourhood councils in Arequipa, revisited"
            if trimmed
            else "Neighbourhood councils in Arequipa",
            year=2021,
            type="chapter",
            authors=(mamani,),
            raw="Mamani, B. (2021). Neighbourhood councils in Arequipa.",
        ),
        Work(
            "ref4",
            src(33),
            title="Designing out crime",
            year=1995,
            type="book",
            authors=(person("Ekblom", "P."),),
            raw="Ekblom, P. (1995). Designing out crime.",
        ),
    ]
    records: list[object] = [
        Citation(
            "doc",
            "ref1",
            src(10),
            (
                "Cohen and Felson (1979) explain crime rates.",
                "Routine activities matter (Cohen & Felson, 1979).",
            ),
            2,
        ),
        Citation("doc", "ref2", src(11), ("Quispe and Ramos (2019) studied Lima.",), 1),
        Citation(
            "doc", "ref3", src(12), ("Mamani (2020) describes councils.",), 1, ("year_mismatch",)
        ),
        Citation("doc2", "ref1", src(2), (), 1),
        Citation("doc2", "ref2", src(2), (), 1),
        Citation("ref2", "ref1", src(31), (), 1),
        Mention("ref1", "theory", "routine-activity", "routine activity", src(10)),
        Mention("ref2", "theory", "routine-activity", "routine activity", src(11)),
        Mention("ref2", "place", "PE", "Lima", src(11)),
        Mention("ref2", "strategy", "community-participation", "participation", src(11)),
        Mention("ref3", "place", "PE", "Arequipa", src(12)),
        Mention("ref3", "strategy", "community-participation", "councils", src(12)),
        Mention("ref3", "theory", "collective-efficacy", "collective efficacy", src(12)),
        Finding(
            "ref2",
            "Neighbourhood committees reduced reported burglary.",
            "Quispe and Ramos (2019) found that committees reduced burglary.",
            src(11),
            about=("community-participation",),
            places=("PE",),
            direction="positive",
        ),
    ]
    if not trimmed:
        works.append(
            Work(
                "ref5",
                src(34),
                title="Police presence and fear of crime in Bogota",
                year=2020,
                type="article",
                authors=(ramos, quispe),
                raw="Ramos, C., & Quispe, A. (2020). Police presence.",
            )
        )
        records += [
            Citation("doc", "ref5", src(13), ("Ramos and Quispe (2020) studied patrols.",), 1),
            Citation("ref5", "ref1", src(34), (), 1),
            Mention("ref5", "place", "CO", "Bogota", src(13)),
            Mention("ref5", "strategy", "police-presence", "patrols", src(13)),
            Finding(
                "ref5",
                "Foot patrols lowered fear of crime.",
                "Ramos and Quispe (2020) report that foot patrols lowered fear.",
                src(13),
                about=("police-presence",),
                places=("CO",),
            ),
        ]
    return LoadResult(
        path,
        "review",
        [*works, *records],
        entries=len(works),  # type: ignore[list-item]
        loaded=len(works),
    )


@pytest.fixture
def make_store(tmp_path: Path) -> Callable[..., Store]:
    """make_store(name, variant='full'|'trimmed'|'other'): a store holding that review."""

    def make(name: str, variant: str = "full") -> Store:
        building = Store(tmp_path / name)
        store_results(
            building,
            [
                (
                    _review("other.md" if variant == "other" else "review.md", variant),
                    f"sha-{variant}",
                )
            ],
        )
        return Store(building.path)  # not yet opened: the CLI can take the store's lock

    return make


@pytest.fixture
def review_store(make_store: Callable[..., Store]) -> Iterator[Store]:
    """The full review's store, closed after the test."""
    store = make_store("review")
    yield store
    store.close()
