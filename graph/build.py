"""Records to RDF: the only place that mints IRIs.

Works are clustered (graph/identity.py) so one work from many sources is one node that
keeps every source's provenance; relationships that are plain triples carry their
provenance on an `rdf:Statement` that reifies them, so nothing loses its file and line.
The output is N-Triples lines (graph/ntriples.py), ready for Oxigraph's bulk loader.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from citegraph.graph.build_concepts import add_countries, concept_iri, founding_works, scheme_lines
from citegraph.graph.flow_rdf import add_flow_count
from citegraph.graph.identity import (
    CONFLICT_FIELDS,
    ONTOLOGY_LOADER,
    WorkCluster,
    align_authors,
    best_title,
    cluster_works,
    components,
    conflicting_values,
    unify_people,
)
from citegraph.graph.identity.reviewer import NO_DECISIONS, Reviewer
from citegraph.graph.minting import digest
from citegraph.graph.normalize import doi as normal_doi
from citegraph.graph.ntriples import (
    CG,
    CITO,
    DCTERMS,
    FABIO,
    FOAF,
    PRISM,
    PRO,
    RDF,
    SKOS,
    CitationAcc,
    GraphBuilder,
    IRILookup,
    N,
    gyear,
    integer,
    text,
)
from citegraph.loaders.records import (
    Agent,
    Citation,
    Finding,
    FlowCount,
    Mention,
    Record,
    Source,
    Work,
)
from citegraph.ontology import vocabulary
from citegraph.ontology.namespaces import DATA

FABIO_CLASS = {
    "article": FABIO.JournalArticle,
    "book": FABIO.Book,
    "chapter": FABIO.BookChapter,
    "thesis": FABIO.Thesis,
    "report": FABIO.ReportDocument,
    "other": FABIO.Work,
}
VENUE_CLASS = {"article": FABIO.Journal, "chapter": FABIO.Book, "thesis": FABIO.Repository}


@dataclass
class Component:
    """Works that identity may join (graph/identity.py `components`), with the records
    that hang on them: the citations they make, the mentions and findings they report.

    The graph is the union of its components' triples, each a function of the component
    alone (and of the IRIs it cites), so a component can be rebuilt by itself.
    """

    works: list[Work]
    others: list[Record] = field(default_factory=list)


def plan(records: Iterable[Record], reviewer: Reviewer = NO_DECISIONS) -> list[Component]:
    """Records grouped into components; a record whose work is not among them is dropped,
    as the build drops it (its source gave no such work). Counts that belong to no work
    (a PRISMA template's) make a component of their own per file."""
    records = list(records)
    works = [r for r in records if isinstance(r, Work)]
    groups = components(works, reviewer)
    place: dict[tuple[str, str], int] = {}
    parts = []
    for number, indexes in enumerate(groups):
        parts.append(Component([works[i] for i in indexes]))
        for i in indexes:
            place[_work_key_scope(works[i])] = number
    loose: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        if isinstance(record, Citation):
            key = (record.source.path, record.citing)
        elif isinstance(record, Mention | Finding):
            key = (record.source.path, record.work)
        elif isinstance(record, FlowCount):
            if record.work is None:  # a template's counts name no review
                loose[record.source.path].append(record)
                continue
            key = (record.source.path, record.work)
        else:
            continue
        number = place.get(key, -1)
        if number >= 0:
            parts[number].others.append(record)
    parts += [Component([], found) for _, found in sorted(loose.items())]
    return parts


def cluster_iri(cluster_key: str) -> str:
    """The IRI a work's cluster key names (bare, not as N-Triples writes it)."""
    return f"{DATA}work/{digest(cluster_key)}"


def work_iris(clusters: Iterable[WorkCluster]) -> dict[tuple[str, str], str]:
    """(source path, work key) -> the IRI of the work its record was judged to be."""
    return {
        _work_key_scope(member): N(cluster_iri(cluster.key))
        for cluster in clusters
        for member in cluster.members
    }


class NameLookup(Protocol):
    def get(self, key: str, default: str, /) -> str: ...


@dataclass
class BuildResult:
    components: list[Component]
    clusters: list[list[WorkCluster]]  # each component's
    work_iri: dict[tuple[str, str], str]  # (source path, work key) -> IRI
    orcid_of_name: dict[str, str]  # name key -> the ORCID key it stands for

    @property
    def parts(self) -> Iterator[list[str]]:
        """The schemes' lines, then each component's, made as read."""
        yield scheme_lines()
        for part, found in zip(self.components, self.clusters, strict=True):
            yield component_lines(part, found, self.work_iri, self.orcid_of_name)

    def release(self) -> Iterator[list[str]]:
        """`parts`, each component given up once its lines are made (`components` and
        `clusters` are empty afterwards): a large graph's records then leave memory as its
        triples enter the store, instead of staying beside them."""
        yield scheme_lines()
        self.components.reverse()
        self.clusters.reverse()
        while self.components:
            part, found = self.components.pop(), self.clusters.pop()
            yield component_lines(part, found, self.work_iri, self.orcid_of_name)

    @property
    def triples(self) -> Iterator[str]:
        for part in self.parts:
            yield from part


def _work_key_scope(work: Work) -> tuple[str, str]:
    return (work.source.path, work.key)


def build(records: list[Record], reviewer: Reviewer = NO_DECISIONS) -> BuildResult:
    """All records (of every ingested file) to one RDF graph.

    Identity is decided first, a component at a time; the triples are then made lazily,
    a component at a time, as the store's bulk loader reads them.
    """
    parts = plan([*records, *founding_works()], reviewer)
    clusters = [cluster_works(part.works, reviewer) for part in parts]
    work_iri = work_iris(c for found in clusters for c in found)
    orcid_of_name = unify_people(a for part in parts for w in part.works for a in w.authors)
    return BuildResult(parts, clusters, work_iri, orcid_of_name)


def component_lines(
    component: Component,
    clusters: list[WorkCluster],
    work_iri: IRILookup,
    orcid_of_name: NameLookup,
) -> list[str]:
    """One component's triples, each once: its works (with their people, venues and
    source lines), the citations they make, their mentions, findings and flow counts,
    the countries these name, and the theories they found."""
    builder = GraphBuilder()
    for cluster in clusters:
        iri = _iri(work_iri, cluster.members[0])
        _add_work(builder, iri, cluster, orcid_of_name)
        for other in cluster.versions:  # found in this component, so its IRI is its key's
            builder.add(iri, CG.versionOf, N(cluster_iri(other)))
        for member in cluster.members:
            concept = _founded_theory(member)
            if concept is not None:
                builder.add(concept_iri("theory", concept), CG.proposedIn, _iri(work_iri, member))
    places: set[str] = set()
    for record in component.others:
        if isinstance(record, Citation):
            _add_citation_record(record, work_iri, builder)
        elif isinstance(record, Mention):
            if _add_mention(builder, record, work_iri) and record.kind == "place":
                places.add(record.concept)
        elif isinstance(record, Finding):
            places.update(record.places)
            _add_finding(builder, record, work_iri)
        elif isinstance(record, FlowCount):
            add_flow_count(builder, record, work_iri)
    lines = builder.drain()
    lines += _merge_citations(builder)
    add_countries(builder, places)
    lines += builder.drain()
    return list(dict.fromkeys(lines))


def _iri(work_iri: IRILookup, work: Work) -> str:
    found = work_iri.get(_work_key_scope(work))
    assert found is not None, "every clustered work has an IRI"
    return found


def _founded_theory(work: Work) -> str | None:
    """The theory whose founding work this scheme record is (keys as `foundings` in
    graph/build_concepts.py)."""
    if work.source.loader != ONTOLOGY_LOADER or not work.key.startswith("theory:"):
        return None
    concept = vocabulary.concept("theory", work.key.removeprefix("theory:").split(":")[0])
    return concept.id if concept is not None and concept.founding else None


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
    builder: GraphBuilder, iri: str, cluster: WorkCluster, orcid_of_name: NameLookup
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
        if builder.first_time((venue, container)):  # every spelling: the mapping picks one
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
    for raw in dict.fromkeys(m.raw for m in members if not m.raw_is_record):
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
        if builder.first_time((organization, agent.affiliation)):
            builder.add_text(organization, FOAF.name, agent.affiliation)
        builder.edge(node, CG.affiliation, organization, sources)
    builder.derived(node, sources)
    return node


def _add_citation_record(record: Citation, work_iri: IRILookup, builder: GraphBuilder) -> None:
    citing = work_iri.get((record.source.path, record.citing))
    cited = work_iri.get((record.source.path, record.cited))
    if not citing or not cited or citing == cited:
        return
    acc = builder.citations.setdefault((citing, cited), CitationAcc())
    acc.contexts.update(dict.fromkeys(record.contexts))
    acc.count = max(acc.count, record.count)
    acc.flags.update(record.flags)
    acc.sources.append(record.source)


def _merge_citations(builder: GraphBuilder) -> list[str]:
    """One cito:Citation per citing/cited pair, however many sources report it."""
    for (citing, cited), acc in sorted(builder.citations.items()):
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
    builder.citations.clear()
    return builder.drain()


MENTION_PREDICATE = {"theory": CG.usesTheory, "strategy": CG.addresses, "place": CG.studies}


def _add_mention(builder: GraphBuilder, mention: Mention, work_iri: IRILookup) -> bool:
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


def _add_finding(builder: GraphBuilder, finding: Finding, work_iri: IRILookup) -> None:
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
    if finding.source.page is not None:
        builder.add(node, CG.page, integer(finding.source.page))
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
