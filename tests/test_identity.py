"""Title-less cited references: one node per cited work, and never two works on one IRI."""

from __future__ import annotations

from pathlib import Path

from citegraph.graph.identity import cluster_works
from citegraph.graph.ingest import ingest
from citegraph.graph.property_graph import to_property_graph
from citegraph.graph.store import Store
from citegraph.loaders.records import Agent, Source, Work

COLUMNS = "PT AU AF TI SO PY DI CR UT".split()


def wos_tab(rows: list[dict[str, str]]) -> str:
    lines = ["\t".join(COLUMNS)]
    lines += ["\t".join(row.get(c, "") for c in COLUMNS) for row in rows]
    return "\ufeff" + "\n".join(lines) + "\n"


def test_cited_references_by_one_author_in_one_year_stay_apart_and_valid(
    tmp_path: Path,
) -> None:
    export = tmp_path / "wos.txt"
    export.write_text(
        wos_tab(
            [
                {
                    "PT": "J", "AU": "Perez, A", "TI": "Guardians on buses", "SO": "CRIME SCI",
                    "PY": "2020", "DI": "10.1000/a", "UT": "WOS:1",
                    "CR": "Clarke R, 1997, SITUATIONAL CRIME PR, P1; "
                    "Clarke J, 1997, CRIME JUSTICE, V22, P53",
                },
                {
                    "PT": "J", "AU": "Ruiz, B", "TI": "Lights and theft", "SO": "CRIME SCI",
                    "PY": "2021", "DI": "10.1000/b", "UT": "WOS:2",
                    "CR": "Clarke R, 1997, SITUATIONAL CRIME PR, P1",
                },
            ]
        )
    )  # fmt: skip
    store = Store(tmp_path / "store")
    report = ingest(store, [export])
    assert report.validation is not None
    assert report.validation.conforms, [str(v) for v in report.validation.violations]
    pg = to_property_graph(store.snapshot().rdf())
    cited = [
        n
        for n in pg.by_label("Work")
        if not n.properties.get("doi") and "wos.txt" in str(n.properties["sources"])
    ]
    assert len(cited) == 2  # SITUATIONAL CRIME PR cited twice is one work; CRIME JUSTICE another
    cites = [r for r in pg.relationships if r.type == "CITES"]
    assert len(cites) == 3
    in_degree: dict[str, int] = {}
    for r in cites:
        in_degree[r.end] = in_degree.get(r.end, 0) + 1
    assert sorted(in_degree.values()) == [1, 2]


def bare_reference(key: str, given: str, line: int) -> Work:
    return Work(
        key,
        Source("wos.txt", line, "wos"),
        year=1997,
        authors=(Agent(f"Clarke {given}", family="Clarke", given=given),),
        cited_only=True,
    )


def test_works_judged_different_never_share_a_key_whatever_the_order() -> None:
    """`Clarke R, 1997` and `Clarke J, 1997` with nothing else: two works, two IRIs."""
    one, two = bare_reference("r1", "R", 1), bare_reference("r2", "J", 9)
    forward = cluster_works([one, two])
    backward = cluster_works([two, one])
    assert len(forward) == 2
    assert len({c.key for c in forward}) == 2
    assert [(c.key, c.members) for c in forward] == [(c.key, c.members) for c in backward]
