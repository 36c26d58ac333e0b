"""A review's PRISMA 2020 flow counts to RDF: one `cg:FlowStage` node per count.

Kept apart from graph/build.py and written per record: a node depends only on its
`FlowCount` and the review's work IRI, so an incremental build can add or drop one
file's counts alone. A count read from a template names no review and stands alone;
`citegraph prisma` finds it by its `cg:flowSource`.
"""

from __future__ import annotations

from citegraph.graph.minting import digest
from citegraph.graph.ntriples import CG, RDF, GraphBuilder, IRILookup, N, integer, text
from citegraph.loaders.records import FlowCount
from citegraph.ontology.namespaces import DATA


def flow_source(record: FlowCount) -> str:
    """`review` for a count a review prints, `template` for a PRISMA2020 CSV's."""
    return "template" if record.place == "template" else "review"


def add_flow_count(builder: GraphBuilder, record: FlowCount, work_iri: IRILookup) -> None:
    where = record.source
    node = N(
        f"{DATA}flow/"
        + digest(
            where.path,
            str(where.line),
            record.stage,
            record.arm,
            record.detail or "",
            str(record.count),
            record.printed,
        )
    )
    builder.add(node, RDF.type, N(CG.FlowStage))
    builder.add(node, CG.stage, text(record.stage))
    builder.add(node, CG.recordCount, integer(record.count))
    builder.add(node, CG.flowSource, text(flow_source(record)))
    builder.add(node, CG.flowArm, text(record.arm))
    builder.add(node, CG.line, integer(where.line))
    builder.add(node, CG.printedIn, text(record.place))
    builder.add_text(node, CG.stageDetail, record.detail)
    builder.add_text(node, CG.printedAs, record.printed[:300])
    builder.derived(node, [where])
    review = work_iri.get((where.path, record.work)) if record.work is not None else None
    if review:
        builder.edge(review, CG.reportsStage, node, [where])
