"""Any order and batching of ingests gives the graph one ingest of everything gives, and
removing a file takes out exactly its facts (issue 9). The files are the merge scenario:
the same classics in seven formats and an APA review, so identity has work to do."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citegraph.graph.ingest import ingest, remove
from citegraph.graph.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
FILES = [FIXTURES / "merge" / "review.md", *sorted((FIXTURES / "exports" / "merge").iterdir())]


def graph(store: Store) -> tuple[frozenset[str], list[dict[str, object]]]:
    """The published triples and the property graph's works, read back from the store."""
    snapshot = store.snapshot()
    assert snapshot is not None
    triples = frozenset(str(q) for q in snapshot.rdf().quads_for_pattern(None, None, None))
    works = snapshot.graph().rows("MATCH (w:Work) RETURN w.iri AS iri, w.sources AS sources")
    return triples, sorted(works, key=lambda w: str(w["iri"]))


def ingested(
    path: Path, batches: list[list[Path]]
) -> tuple[frozenset[str], list[dict[str, object]]]:
    store = Store(path)
    for batch in batches:
        ingest(store, batch)
    found = graph(store)
    store.close()
    return found


def test_there_is_something_to_merge(tmp_path: Path) -> None:
    triples, works = ingested(tmp_path / "all", [FILES])
    assert len(FILES) >= 7 and len(triples) > 1000
    assert any(len(w["sources"]) >= 6 for w in works)  # type: ignore[arg-type]


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_order_and_batching_gives_the_same_graph(tmp_path: Path, data: st.DataObject) -> None:
    expected = ingested(tmp_path / "once", [FILES])
    order = data.draw(st.permutations(FILES))
    cuts = sorted(data.draw(st.sets(st.integers(1, len(FILES) - 1), max_size=4)))
    batches = [list(order[a:b]) for a, b in itertools.pairwise([0, *cuts, len(FILES)])]
    target = tmp_path / f"batched-{len(list(tmp_path.iterdir()))}"
    assert ingested(target, batches) == expected, [[p.name for p in b] for b in batches]


def test_removing_a_file_takes_out_its_facts(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    ingest(store, FILES)
    for gone in (FILES[0], FILES[3]):
        assert remove(store, [str(gone)]) == []
    assert graph(store) == ingested(
        tmp_path / "without", [[f for f in FILES if f not in (FILES[0], FILES[3])]]
    )
    assert remove(store, [str(FILES[0])]) == [str(FILES[0])]  # no longer there
    ingest(store, [FILES[0], FILES[3]])  # and back
    assert graph(store) == ingested(tmp_path / "all", [FILES])
