"""CSL-JSON export, read back by citeproc-py (a CSL processor) and by our own loader."""

from __future__ import annotations

import io
import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from click.testing import CliRunner

from citegraph.cli import main
from citegraph.graph.export import export
from citegraph.graph.ingest import ingest
from citegraph.graph.property_graph import PropertyGraph, to_property_graph
from citegraph.graph.store import Store
from citegraph.graph.subgraph import SubgraphFilter
from citegraph.loaders import csl_json

REPO = Path(__file__).resolve().parents[1]
ZOTERO = REPO / "tests" / "fixtures" / "exports" / "zotero-csl.json"
#: The one style citeproc-py bundles (no network needed).
STYLE = "harvard-cite-them-right"
QUOTED = 'O\'Brien "quoted" \\ back\\slash — Ünïcödé 日本'

#: Items a researcher's Zotero could hold: an organisation as author, a book with ISBN
#: and publisher, a title that tries to break JSON, keywords and an abstract.
ITEMS: list[dict[str, Any]] = [
    {
        "id": "who2014",
        "type": "report",
        "title": "Global status report on violence prevention",
        "author": [{"literal": "World Health Organization"}],
        "publisher": "WHO",
        "issued": {"date-parts": [[2014]]},
        "URL": "https://www.who.int/publications/i/item/9789241564793",
        "ISBN": "9789241564793",
        "language": "en",
    },
    {
        "id": "obrien2018",
        "type": "article-journal",
        "title": QUOTED,
        "author": [
            {"family": "O'Brien", "given": "Ana"},
            {"family": "Li", "given": "Bo"},
            {"family": "Pérez", "given": "Carmen"},
        ],
        "container-title": "Crime Science",
        "volume": "7",
        "issue": "1",
        "page": "1-20",
        "DOI": "10.1186/s40163-018-0001-x",
        "keyword": "fear of crime, participation",
        "abstract": "We study fear.",
        "issued": {"date-parts": [[2018, 3]]},
    },
]


def read_back(text: str, tmp_path: Path) -> list[Any]:
    """Our CSL-JSON through citegraph's own csl-json loader: the works it finds."""
    path = tmp_path / "exported.json"
    path.write_text(text, encoding="utf-8")
    result = csl_json.load(path)
    assert not result.rejected, result.issues
    return result.records


def triples_of(works: list[Any]) -> set[tuple[str, int | None, str | None]]:
    """(title, year, first author's family or organisation name) of each work."""
    return {
        (w.title, w.year, (w.authors[0].family or w.authors[0].name) if w.authors else None)
        for w in works
    }


def graph_triples(pg: PropertyGraph) -> set[tuple[str, int | None, str | None]]:
    first: dict[str, str] = {}
    for rel in pg.relationships:
        if rel.type == "AUTHORED" and rel.properties.get("position") == 1:
            agent = pg.nodes[rel.start]
            first[rel.end] = agent.properties.get("family") or agent.name
    return {
        (n.properties["title"], n.properties.get("year"), first.get(n.iri))
        for n in pg.by_label("Work")
    }


def csl_text(store: Store, f: SubgraphFilter | None = None) -> str:
    out = io.StringIO()
    export(store, "csl-json", out, f)
    return out.getvalue()


@pytest.fixture
def zotero_store(store: Store, tmp_path: Path) -> Iterator[Store]:
    """A store of real-looking Zotero CSL-JSON plus the items above, through ingest."""
    extra = tmp_path / "items.json"
    extra.write_text(json.dumps(ITEMS, ensure_ascii=False), encoding="utf-8")
    ingest(store, [ZOTERO, extra])
    yield store
    store.close()


def items_by_title(text: str) -> dict[str, dict[str, Any]]:
    return {item["title"]: item for item in json.loads(text)}


def test_one_item_per_work_with_bibtex_keys_as_ids(review_store: Store) -> None:
    text = csl_text(review_store)
    items = json.loads(text)
    pg = to_property_graph(review_store.snapshot().rdf())
    assert len(items) == len(pg.by_label("Work"))
    # the Zotero items and ours; the rest are the scheme's founding works
    ours = [
        w
        for w in pg.by_label("Work")
        if any(not s.startswith("ontology/") for s in w.properties["sources"])
    ]
    assert len(ours) == 7
    assert {i["title"] for i in items} == {w.properties["title"] for w in pg.by_label("Work")}
    ids = [i["id"] for i in items]
    assert len(set(ids)) == len(ids)
    out = io.StringIO()
    export(review_store, "bibtex", out)
    bibtex_keys = {e.key for e in bibtexparser.parse_string(out.getvalue()).entries}
    assert set(ids) == bibtex_keys  # pandoc cites a work by one key in either file


def test_types_authors_dates_and_variables(review_store: Store) -> None:
    items = items_by_title(csl_text(review_store))
    cohen = items["Social change and crime rate trends: a routine activity approach"]
    # keywords are an RDF set: their order is the store's, not the source's
    assert set(cohen.pop("keyword").split(", ")) == {"routine activities", "crime rates"}
    assert cohen == {
        "id": "cohen1979social",
        "citation-key": "cohen1979social",
        "type": "article-journal",
        "author": [{"family": "Cohen", "given": "L. E."}, {"family": "Felson", "given": "M."}],
        "issued": {"date-parts": [[1979]]},
        "title": "Social change and crime rate trends: a routine activity approach",
        "container-title": "American Sociological Review",
        "volume": "44",
        "issue": "4",
        "page": "588-608",
        "DOI": "10.2307/2094589",
    }
    types = {title: item["type"] for title, item in items.items()}
    assert types["Citizen security in the Andes"] == "thesis"
    assert types["Neighbourhood councils in Arequipa"] == "chapter"
    assert types["Designing out crime"] == "book"
    assert types["Preventive strategies for citizen security: a review"] == "report"
    # AUTHORED position order, not alphabetical: Ramos before Quispe
    bogota = items["Police presence and fear of crime in Bogota"]
    assert [a["family"] for a in bogota["author"]] == ["Ramos", "Quispe"]


def test_a_subgraph_of_works_keeps_their_authors(review_store: Store) -> None:
    items = json.loads(csl_text(review_store, SubgraphFilter(focus="10.2307/2094589", depth=0)))
    assert [i["title"] for i in items] == [
        "Social change and crime rate trends: a routine activity approach"
    ]
    assert [a["family"] for a in items[0]["author"]] == ["Cohen", "Felson"]


def test_organisations_are_literal_names_and_fields_survive(zotero_store: Store) -> None:
    items = items_by_title(csl_text(zotero_store))
    who = items["Global status report on violence prevention"]
    assert who["author"] == [{"literal": "World Health Organization"}]
    assert who["type"] == "report"
    assert (who["publisher"], who["ISBN"], who["language"]) == ("WHO", "9789241564793", "en")
    obrien = items[QUOTED]
    assert obrien["abstract"] == "We study fear."
    assert set(obrien["keyword"].split(", ")) == {"fear of crime", "participation"}
    assert obrien["issued"] == {"date-parts": [[2018]]}
    sampson = items["Neighborhoods and Violent Crime: A Multilevel Study of Collective Efficacy"]
    assert sampson["ISSN"] == "0036-8075"


def bibliography(items: list[dict[str, Any]]) -> list[str]:
    """citeproc-py's bibliography of every item, with the warnings it gave."""
    style = CitationStylesStyle(STYLE, validate=False)
    bib = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bib.register(Citation([CitationItem(item["id"])]))
    return [str(entry) for entry in bib.bibliography()]


@pytest.mark.parametrize("which", ["review_store", "zotero_store"])
def test_citeproc_renders_every_item(which: str, request: pytest.FixtureRequest) -> None:
    items = json.loads(csl_text(request.getfixturevalue(which)))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        entries = bibliography(items)
    # citeproc-py predates CSL 1.0.2's citation-key; any other unknown variable is ours
    unsupported = [str(w.message) for w in caught if "citation_key" not in str(w.message)]
    assert not unsupported, unsupported
    assert len(entries) == len(items)
    rendered = "\n".join(entries)
    for item in items:
        first = item["author"][0]
        assert first.get("family", first.get("literal")) in rendered, item
        if "issued" in item:
            assert str(item["issued"]["date-parts"][0][0]) in rendered
    assert any("World Health Organization (2014)" in e for e in entries) or which == "review_store"


def test_our_loader_reads_back_titles_years_and_first_authors(
    review_store: Store, tmp_path: Path
) -> None:
    works = read_back(csl_text(review_store), tmp_path)
    pg = to_property_graph(review_store.snapshot().rdf())
    assert triples_of(works) == graph_triples(pg)
    back = {w.title: w.type for w in works}
    assert back["Citizen security in the Andes"] == "thesis"
    assert back["Neighbourhood councils in Arequipa"] == "chapter"


def test_a_zotero_library_round_trips(zotero_store: Store, tmp_path: Path) -> None:
    """Zotero's CSL-JSON in, ours out, our loader again: the same references."""
    original = [r for r in csl_json.load(ZOTERO).records if hasattr(r, "title")]
    exported = read_back(csl_text(zotero_store), tmp_path)
    assert triples_of(original) <= triples_of(exported)
    by_title = {w.title: w for w in exported}
    obrien = by_title[QUOTED]
    assert [a.family for a in obrien.authors] == ["O'Brien", "Li", "Pérez"]
    assert (obrien.doi, obrien.pages, obrien.container) == (
        "10.1186/s40163-018-0001-x",
        "1-20",
        "Crime Science",
    )
    who = by_title["Global status report on violence prevention"]
    assert who.authors[0].kind == "organization"


def test_export_command_writes_csl_json(review_store: Store) -> None:
    works = len(to_property_graph(review_store.snapshot().rdf()).by_label("Work"))
    review_store.close()
    result = CliRunner().invoke(
        main,
        ["--store", str(review_store.path), "export", "--format", "csl-json", "--label", "Work"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    assert len(items) == works and all(i["type"] for i in items)
    assert f"{works} works as csl-json" in result.stderr
