"""The concept scheme's part of every graph: theories, strategies and regions with their
lineage, the countries records name, and the theories' founding works.

Split from graph/build.py because it depends on the scheme alone, never on the records
being built; concept IRIs are minted here and only here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from functools import cache

import pycountry

from citegraph.graph.identity import ONTOLOGY_LOADER
from citegraph.graph.ntriples import CG, DCTERMS, RDF, SKOS, GraphBuilder, N, text
from citegraph.loaders.records import Source, Work
from citegraph.loaders.reference_string import parse_reference
from citegraph.ontology.namespaces import PLACE, STRATEGY, THEORY
from citegraph.ontology.vocabulary import Concept, Founding, concepts, extensions


def concept_iri(kind: str, concept_id: str) -> str:
    if kind == "theory":
        return N(f"{THEORY}{concept_id}")
    if kind == "strategy":
        return N(f"{STRATEGY}{concept_id}")
    return N(f"{PLACE}{concept_id}")


def foundings() -> Iterator[tuple[Concept, str, Founding]]:
    """Each theory's founding works with the key their Work gets (`theory:ID`, then
    `theory:ID:2` ...): the scheme prints several for some theories."""
    for concept in concepts():
        if concept.kind != "theory":
            continue
        for number, founding in enumerate(concept.founding, 1):
            key = f"theory:{concept.id}" + (f":{number}" if number > 1 else "")
            yield concept, key, founding


def founding_works() -> list[Work]:
    """The theories' founding works, parsed from the references the scheme prints."""
    works = []
    for _, key, founding in foundings():
        parsed = parse_reference(founding.reference)
        source = Source(founding.file, founding.line, ONTOLOGY_LOADER)
        works.append(parsed.to_work(key, source, founding.reference))
    return works


def scheme_lines() -> list[str]:
    """Theories, strategies and regions, with their lineage: part of every graph."""
    builder = GraphBuilder()
    _add_schemes(builder)
    return builder.drain()


def _scheme_triples(concept: Concept) -> Iterator[tuple[object, str]]:
    yield SKOS.prefLabel, text(concept.label)
    for alt in concept.alt_labels:
        yield SKOS.altLabel, text(alt)
    if concept.definition:
        yield SKOS.definition, text(concept.definition)
    if concept.textbook:
        yield DCTERMS.source, text(concept.textbook)


def _add_schemes(builder: GraphBuilder) -> None:
    """Theories, strategies and regions are part of every graph, with their lineage."""
    classes = {"theory": CG.Theory, "strategy": CG.Strategy, "place": CG.Region}
    schemes = {"theory": THEORY, "strategy": STRATEGY}
    for concept in concepts():
        node = concept_iri(concept.kind, concept.id)
        builder.add(node, RDF.type, N(classes[concept.kind]))
        if concept.kind in schemes:
            builder.add(node, RDF.type, N(SKOS.Concept))
            builder.add(node, SKOS.inScheme, N(schemes[concept.kind]))
        for predicate, value in _scheme_triples(concept):
            builder.add(node, predicate, value)
        for parent in concept.derives_from:
            builder.add(node, CG.derivesFrom, concept_iri("theory", parent))
        for parent in concept.broader:
            builder.add(node, SKOS.broader, concept_iri(concept.kind, parent))


@cache
def _regions_of(in_force: tuple[tuple[str, str], ...]) -> dict[str, list[str]]:
    """The regions each country code is a member of, in the schemes `in_force` (one build
    asks once a component)."""
    regions_of: dict[str, list[str]] = defaultdict(list)
    for concept in concepts():
        for code in concept.member_codes:
            regions_of[code].append(concept.id)
    return dict(regions_of)


def add_countries(builder: GraphBuilder, codes: set[str]) -> None:
    regions_of = _regions_of(extensions())
    for code in sorted(c for c in codes if len(c) == 2 and c.isupper()):
        country = pycountry.countries.get(alpha_2=code)
        if country is None:
            continue
        node = concept_iri("place", code)
        builder.add(node, RDF.type, N(CG.Country))
        builder.add(node, SKOS.prefLabel, text(getattr(country, "common_name", country.name)))
        builder.add(node, CG.iso2, text(code))
        for region in regions_of.get(code, []):
            builder.add(node, CG.partOf, concept_iri("place", region))
