"""Records to RDF: the only place that mints IRIs.

Works are clustered (graph/identity.py) so one work from many sources is one node that
keeps every source's provenance; relationships that are plain triples carry their
provenance on an `rdf:Statement` that reifies them, so nothing loses its file and line.
The output is N-Triples lines, ready for Oxigraph's bulk loader: building strings is
several times faster than building term objects, and the loader parses them at its floor.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

import pycountry

from citegraph.graph.identity import (
    CONFLICT_FIELDS,
    ONTOLOGY_LOADER,
    WorkCluster,
    align_authors,
    best_title,
    cluster_works,
    conflicting_values,
    digest,
    unify_people,
)
from citegraph.graph.normalize import doi as normal_doi
from citegraph.loaders.records import (
    Agent,
    Citation,
    Finding,
    Mention,
    Record,
    Source,
    Work,
)
from citegraph.loaders.reference_string import parse_reference
from citegraph.ontology import namespaces as ns
from citegraph.ontology import vocabulary
from citegraph.ontology.namespaces import DATA, PLACE, STRATEGY, THEORY
from citegraph.ontology.vocabulary import Concept, Founding, concepts


class _Terms:
    """A namespace whose terms are looked up once: rdflib's attribute lookup costs
    microseconds, and building a large graph asks for millions of terms."""

    def __init__(self, namespace: object) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        value = str(getattr(self._namespace, name))
        setattr(self, name, value)
        return value


CG, CITO, DCTERMS, FABIO, FOAF, PRISM, PRO, PROV, RDF, SKOS, XSD = (
    _Terms(n)
    for n in (
        ns.CG,
        ns.CITO,
        ns.DCTERMS,
        ns.FABIO,
        ns.FOAF,
        ns.PRISM,
        ns.PRO,
        ns.PROV,
        ns.RDF,
        ns.SKOS,
        ns.XSD,
    )
)

FABIO_CLASS = {
    "article": FABIO.JournalArticle,
    "book": FABIO.Book,
    "chapter": FABIO.BookChapter,
    "thesis": FABIO.Thesis,
    "report": FABIO.ReportDocument,
    "other": FABIO.Work,
}
VENUE_CLASS = {"article": FABIO.Journal, "chapter": FABIO.Book, "thesis": FABIO.Repository}


@cache
def N(iri: object) -> str:  # noqa: N802 - reads like a constructor
    """An IRI as an N-Triples term."""
    return f"<{iri}>"


_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f]')


def text(value: str) -> str:
    """A string literal as an N-Triples term (JSON string escapes are valid N-Triples).

    Most values need no escaping, and quoting them directly is many times faster.
    """
    if _NEEDS_ESCAPE.search(value):
        return json.dumps(value, ensure_ascii=False)
    return f'"{value}"'


def integer(value: int) -> str:
    return f'"{int(value)}"^^<{XSD.integer}>'


def gyear(value: str) -> str:
    return f'"{int(value):04d}"^^<{XSD.gYear}>'


@dataclass
class _CitationAcc:
    contexts: dict[str, None] = field(default_factory=dict)
    count: int = 0
    flags: set[str] = field(default_factory=set)
    sources: list[Source] = field(default_factory=list)


@dataclass
class GraphBuilder:
    """Collects N-Triples lines until they are drained into the store.

    Lines are not kept once drained, so a 200 MB export never has its whole graph in
    memory as text. Instead of remembering every line, the builder remembers which
    shared nodes (people, venues, organisations, source lines, statements) it has
    described: the few repeated lines left (one provenance link read twice) are
    harmless, as an RDF store holds a set of triples.
    """

    pending: list[str] = field(default_factory=list)
    citations: dict[tuple[str, str], _CitationAcc] = field(default_factory=dict)
    source_nodes: dict[Source, str] = field(default_factory=dict)
    described: set[object] = field(default_factory=set)

    def add(self, s: str, p: object, o: str) -> None:
        self.pending.append(f"{s} <{p}> {o} .")

    def first_time(self, node: object) -> bool:
        """True the first time a shared node (or a node and one of its variants) is met:
        describe it then, and only then."""
        if node in self.described:
            return False
        self.described.add(node)
        return True

    def drain(self) -> list[str]:
        lines, self.pending = self.pending, []
        return lines

    def add_text(self, s: str, p: object, value: str | None) -> None:
        if value:
            self.add(s, p, text(value))

    def source(self, source: Source) -> str:
        """The SourceLocation node for a file line (one node per line and loader)."""
        node = self.source_nodes.get(source)
        if node:
            return node
        node = N(f"{DATA}source/{digest(source.path, str(source.line), source.loader)}")
        self.source_nodes[source] = node
        self.add(node, RDF.type, N(CG.SourceLocation))
        self.add(node, CG.file, text(source.path))
        self.add(node, CG.line, integer(source.line))
        self.add(node, CG.loader, text(source.loader))
        return node

    def derived(self, node: str, sources: Iterable[Source]) -> None:
        for source in sources:
            self.add(node, PROV.wasDerivedFrom, self.source(source))

    def edge(self, s: str, p: object, o: str, sources: Iterable[Source]) -> None:
        """A plain relationship plus an rdf:Statement holding where it was read.

        A relationship without a statement was read wherever its subject was: the
        property-graph mapping gives it the subject's sources (a statement for each
        publishedIn would be an eighth of a large graph's triples).
        """
        self.add(s, p, o)
        sources = list(sources)
        if not sources:
            return
        statement = N(f"{DATA}statement/{digest(s, str(p), o)}")
        if self.first_time(statement):
            self.add(statement, RDF.type, N(RDF.Statement))
            self.add(statement, RDF.subject, s)
            self.add(statement, RDF.predicate, N(p))
            self.add(statement, RDF.object, o)
        self.derived(statement, sources)


def concept_iri(kind: str, concept_id: str) -> str:
    if kind == "theory":
        return N(f"{THEORY}{concept_id}")
    if kind == "strategy":
        return N(f"{STRATEGY}{concept_id}")
    return N(f"{PLACE}{concept_id}")


def _foundings() -> Iterator[tuple[Concept, str, Founding]]:
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
    for _, key, founding in _foundings():
        parsed = parse_reference(founding.reference)
        source = Source(founding.file, founding.line, ONTOLOGY_LOADER)
        works.append(parsed.to_work(key, source, founding.reference))
    return works


@dataclass
class BuildResult:
    triples: Iterator[str]  # N-Triples lines, made as they are read
    clusters: list[WorkCluster]
    work_iri: dict[tuple[str, str], str]  # (source path, work key) -> IRI


def _work_key_scope(work: Work) -> tuple[str, str]:
    return (work.source.path, work.key)


def build(records: list[Record]) -> BuildResult:
    """All records (of every ingested file) to one RDF graph.

    Identity is decided first (it needs every work); the triples are then made lazily,
    a batch of works at a time, as the store's bulk loader reads them.
    """
    works = [r for r in records if isinstance(r, Work)] + founding_works()
    clusters = cluster_works(works)
    work_iri = {
        _work_key_scope(member): N(f"{DATA}work/{digest(cluster.key)}")
        for cluster in clusters
        for member in cluster.members
    }
    orcid_of_name = unify_people(a for w in works for a in w.authors)
    return BuildResult(_triples(records, clusters, work_iri, orcid_of_name), clusters, work_iri)


BATCH = 2000  # works described between two hand-overs to the bulk loader


def _triples(
    records: list[Record],
    clusters: list[WorkCluster],
    work_iri: dict[tuple[str, str], str],
    orcid_of_name: dict[str, str],
) -> Iterator[str]:
    builder = GraphBuilder()
    for number, cluster in enumerate(clusters, 1):
        _add_work(builder, work_iri[_work_key_scope(cluster.members[0])], cluster, orcid_of_name)
        if number % BATCH == 0:
            yield from builder.drain()
    places: set[str] = set()
    _add_schemes(builder)
    for record in records:
        if isinstance(record, Citation):
            _add_citation_record(record, work_iri, builder)
        elif isinstance(record, Mention):
            if _add_mention(builder, record, work_iri) and record.kind == "place":
                places.add(record.concept)
        elif isinstance(record, Finding):
            places.update(record.places)
            _add_finding(builder, record, work_iri)
        if len(builder.pending) > 50 * BATCH:
            yield from builder.drain()
    yield from builder.drain()
    yield from _merge_citations(builder)
    for concept, key, founding in _foundings():
        proposed_in = work_iri.get((founding.file, key))
        if proposed_in:
            builder.add(concept_iri("theory", concept.id), CG.proposedIn, proposed_in)
    _add_countries(builder, places)
    yield from builder.drain()


def _first(members: tuple[Work, ...], attribute: str) -> str | None:
    for member in members:
        value = getattr(member, attribute)
        if value:
            return str(value)
    return None


def _usual_year(members: tuple[Work, ...]) -> str | None:
    """The year most full records give (print over online-first), ties to the first."""
    years = [m.year for m in members if m.year and not m.cited_only] or [
        m.year for m in members if m.year
    ]
    if not years:
        return None
    return str(max(dict.fromkeys(years), key=years.count))


def _add_work(
    builder: GraphBuilder, iri: str, cluster: WorkCluster, orcid_of_name: dict[str, str]
) -> None:
    members = cluster.members
    main = members[0]
    builder.add(iri, RDF.type, N(FABIO.Work))
    builder.add(iri, RDF.type, N(FABIO_CLASS[main.type]))
    builder.add(iri, CG.workType, text(main.type))
    builder.add_text(iri, CG.genre, _first(members, "genre"))
    builder.add_text(iri, DCTERMS.title, best_title(members))
    year = _usual_year(members)
    if year:
        builder.add(iri, FABIO.hasPublicationYear, gyear(year))
    found_doi = normal_doi(_first(members, "doi"))
    builder.add_text(iri, PRISM.doi, found_doi)
    builder.add_text(iri, FABIO.hasURL, _first(members, "url"))
    builder.add_text(iri, PRISM.volume, _first(members, "volume"))
    builder.add_text(iri, PRISM.issueIdentifier, _first(members, "issue"))
    builder.add_text(iri, PRISM.pageRange, _first(members, "pages"))
    builder.add_text(iri, DCTERMS.language, _first(members, "language"))
    builder.add_text(iri, DCTERMS.publisher, _first(members, "publisher"))
    builder.add_text(iri, PRISM.isbn, _first(members, "isbn"))
    builder.add_text(iri, DCTERMS.abstract, _first(members, "abstract"))
    container = _first(members, "container")
    if container:
        builder.add(iri, PRISM.publicationName, text(container))
        venue = N(f"{DATA}venue/{digest(container.casefold())}")
        venue_class = VENUE_CLASS.get(main.type, FABIO.Periodical)
        issn = _first(members, "issn")
        if builder.first_time(venue):
            builder.add(venue, RDF.type, N(FABIO.Venue))
            builder.add(venue, DCTERMS.title, text(container))
        if builder.first_time((venue, venue_class)):
            builder.add(venue, RDF.type, N(venue_class))
        if issn and builder.first_time((venue, issn)):
            builder.add_text(venue, PRISM.issn, issn)
        if all(m.container for m in members):
            builder.add(iri, CG.publishedIn, venue)  # read from every record of the work
        else:
            builder.edge(iri, CG.publishedIn, venue, [m.source for m in members if m.container])
    described = [m for m in members if not m.cited_only] or list(members)
    for key in dict.fromkeys(m.key for m in members):
        builder.add_text(iri, CG.citationKey, key)
    for raw in dict.fromkeys(m.raw for m in members):
        builder.add_text(iri, CG.rawReference, raw)
    for keyword in dict.fromkeys(k for m in members for k in m.keywords):
        builder.add_text(iri, PRISM.keyword, keyword)
    for flag in dict.fromkeys(f for m in described for f in m.flags):
        builder.add_text(iri, CG.flag, flag)
    for attribute in CONFLICT_FIELDS:
        values = conflicting_values(members, attribute)
        if values:
            builder.add_text(iri, CG.flag, f"conflict:{attribute}=" + " | ".join(values))
    builder.derived(iri, [m.source for m in members])
    _, authored_by = max(
        enumerate(members),
        key=lambda im: (len(im[1].authors), not im[1].cited_only, not _in_capitals(im[1]), -im[0]),
    )
    for position, slot in enumerate(align_authors(authored_by, members), 1):
        key = orcid_of_name.get(slot.key, slot.key)
        agent_iri = _add_agent(builder, slot.agent, key, [authored_by.source])
        for form, member in slot.forms[1:]:  # every source's name form, with its source
            _add_agent(builder, form, key, [member.source])
        role = N(f"{iri[1:-1]}/author/{position}")
        builder.add(role, RDF.type, N(PRO.RoleInTime))
        builder.add(role, PRO.withRole, N(PRO.author))
        builder.add(role, PRO.isHeldBy, agent_iri)
        builder.add(role, PRO.relatesToDocument, iri)
        builder.add(role, CG.authorPosition, integer(position))
        builder.add(iri, DCTERMS.creator, agent_iri)
        builder.derived(role, [authored_by.source])


def _orcid_of(key: str) -> str | None:
    return key.removeprefix("orcid:") if key.startswith("orcid:") else None


def _in_capitals(work: Work) -> bool:
    """Authors all in capitals (`WEISBURD, DAVID`, some Crossref records)."""
    return any(a.family and a.family.isupper() and len(a.family) > 1 for a in work.authors)


def _add_agent(builder: GraphBuilder, agent: Agent, key: str, sources: list[Source]) -> str:
    """The node of the person or organisation `key` names, with this form of the name."""
    kind = "organization" if agent.kind == "organization" else "person"
    node = N(f"{DATA}{kind}/{digest(key)}")
    if builder.first_time((node, agent)):  # each spelling of a name is kept
        if agent.kind == "organization":
            builder.add(node, RDF.type, N(FOAF.Organization))
        else:
            builder.add(node, RDF.type, N(FOAF.Person))
            builder.add_text(node, FOAF.familyName, agent.family)
            builder.add_text(node, FOAF.givenName, agent.given)
            builder.add_text(node, CG.orcid, agent.orcid or _orcid_of(key))
        builder.add_text(node, FOAF.name, agent.name)
    if agent.affiliation:
        organization = N(f"{DATA}organization/{digest('org:' + agent.affiliation.casefold())}")
        if builder.first_time(organization):
            builder.add(organization, RDF.type, N(FOAF.Organization))
            builder.add_text(organization, FOAF.name, agent.affiliation)
        builder.edge(node, CG.affiliation, organization, sources)
    builder.derived(node, sources)
    return node


def _add_citation_record(
    record: Citation, work_iri: dict[tuple[str, str], str], builder: GraphBuilder
) -> None:
    citing = work_iri.get((record.source.path, record.citing))
    cited = work_iri.get((record.source.path, record.cited))
    if not citing or not cited or citing == cited:
        return
    acc = builder.citations.setdefault((citing, cited), _CitationAcc())
    acc.contexts.update(dict.fromkeys(record.contexts))
    acc.count = max(acc.count, record.count)
    acc.flags.update(record.flags)
    acc.sources.append(record.source)


def _merge_citations(builder: GraphBuilder) -> Iterator[str]:
    """One cito:Citation per citing/cited pair, however many sources report it."""
    for number, ((citing, cited), acc) in enumerate(sorted(builder.citations.items()), 1):
        if number % (10 * BATCH) == 0:
            yield from builder.drain()
        node = N(f"{DATA}citation/{digest(citing, cited)}")
        builder.add(citing, CITO.cites, cited)
        builder.add(node, RDF.type, N(CITO.Citation))
        builder.add(node, CITO.hasCitingEntity, citing)
        builder.add(node, CITO.hasCitedEntity, cited)
        builder.add(node, CITO.hasCitationCharacterization, N(CITO.cites))
        builder.add(node, CG.occurrences, integer(max(acc.count, len(acc.contexts), 1)))
        for context in acc.contexts:
            builder.add(node, CG.context, text(context))
        for flag in sorted(acc.flags):
            builder.add(node, CG.flag, text(flag))
        builder.derived(node, acc.sources)
    yield from builder.drain()


MENTION_PREDICATE = {"theory": CG.usesTheory, "strategy": CG.addresses, "place": CG.studies}


def _add_mention(
    builder: GraphBuilder, mention: Mention, work_iri: dict[tuple[str, str], str]
) -> bool:
    """The work's link to the concept (False when the work is unknown); a candidate
    concept the schemes lack is described from the mention itself."""
    subject = work_iri.get((mention.source.path, mention.work))
    if not subject:
        return False
    target = concept_iri(mention.kind, mention.concept)
    builder.edge(subject, MENTION_PREDICATE[mention.kind], target, [mention.source])
    if mention.candidate and vocabulary.concept(mention.kind, mention.concept) is None:
        _add_candidate(builder, target, mention)
    return True


def _add_candidate(builder: GraphBuilder, node: str, mention: Mention) -> None:
    """A named concept found in the text but in no scheme: a Theory flagged `candidate`,
    labelled as discovery normalised it, derived from every line that named it. Once
    promoted into a scheme (`citegraph concepts --promote`) the same IRI is a plain one."""
    if builder.first_time(node):
        builder.add(node, RDF.type, N(CG.Theory))
        builder.add(node, RDF.type, N(SKOS.Concept))
        builder.add(node, CG.flag, text("candidate"))
    label = mention.label or mention.text
    builder.add(node, SKOS.prefLabel, text(label))
    if mention.text.casefold() != label.casefold():
        builder.add(node, SKOS.altLabel, text(mention.text))
    builder.derived(node, [mention.source])


def _add_finding(
    builder: GraphBuilder, finding: Finding, work_iri: dict[tuple[str, str], str]
) -> None:
    work = work_iri.get((finding.source.path, finding.work))
    if not work:
        return
    # one Finding per claim read from one sentence, however many works report it
    where = finding.source
    node = N(
        f"{DATA}finding/{digest(where.path, str(where.line), finding.sentence, finding.claim)}"
    )
    builder.add(node, RDF.type, N(CG.Finding))
    builder.add(node, CG.claim, text(finding.claim))
    builder.add(node, CG.sentence, text(finding.sentence))
    builder.add(node, CG.line, integer(finding.source.line))
    builder.add_text(node, CG.direction, finding.direction)
    builder.add_text(node, DCTERMS.description, finding.notes)
    builder.derived(node, [finding.source])
    builder.edge(work, CG.reports, node, [finding.source])
    for concept_id in finding.about:
        kind = "theory" if vocabulary.concept("theory", concept_id) else "strategy"
        builder.edge(node, CG.about, concept_iri(kind, concept_id), [finding.source])
    for concept_id in finding.candidates:
        builder.edge(node, CG.about, concept_iri("theory", concept_id), [finding.source])
    for place in finding.places:
        builder.edge(node, CG.inPlace, concept_iri("place", place), [finding.source])


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


def _add_countries(builder: GraphBuilder, codes: set[str]) -> None:
    regions_of: dict[str, list[str]] = defaultdict(list)
    for concept in concepts():
        for code in concept.member_codes:
            regions_of[code].append(concept.id)
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
