"""Any order and batching of ingests gives the graph one ingest of everything gives, and
removing a file takes out exactly its facts (issue 9). The files are the merge scenario:
the same classics in seven formats and an APA review, so identity has work to do."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citegraph.cli import main
from citegraph.graph.ingest import ingest, remove
from citegraph.graph.store import Store, delta
from citegraph.graph.store.graphdb import LOOKUP_COLUMN

FIXTURES = Path(__file__).parent / "fixtures"
FILES = [FIXTURES / "merge" / "review.md", *sorted((FIXTURES / "exports" / "merge").iterdir())]


Graph = tuple[frozenset[str], list[dict[str, object]], list[dict[str, object]], object, object]


@pytest.fixture(autouse=True)
def always_incremental(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every version after the first is built from what changed, however much that is
    (outside tests a large change is built whole, which is faster)."""
    monkeypatch.setattr(delta, "LARGEST", float("inf"))
    yield


def graph(store: Store) -> Graph:
    """Everything a version holds, read back: its triples, every node and relationship of
    the property graph with all their properties and lookup texts, its SHACL report and its merges."""
    snapshot = store.snapshot()
    assert snapshot is not None
    triples = frozenset(str(q) for q in snapshot.rdf().quads_for_pattern(None, None, None))
    db = snapshot.graph()
    nodes = db.rows("MATCH (n) RETURN label(n) AS label, n AS node ORDER BY n.iri")
    rels = db.rows(
        "MATCH (a)-[r]->(b) RETURN a.iri AS start, label(r) AS type, b.iri AS stop, r AS rel "
        "ORDER BY start, type, stop"
    )
    for row in rels:
        row["rel"] = {k: v for k, v in row["rel"].items() if not k.startswith("_")}
    for row in nodes:  # the lookup column too: a delta must keep it as a build makes it
        row["node"] = {
            k: v for k, v in row["node"].items() if k == LOOKUP_COLUMN or not k.startswith("_")
        }
    return triples, nodes, rels, snapshot.validation().to_json(), snapshot.identity()


def built(store: Store) -> str:
    name = store.current_name()
    assert name is not None
    return str(json.loads((store.versions_dir / name / "manifest.json").read_text())["built"])


def ingested(path: Path, batches: list[list[Path]]) -> Graph:
    store = Store(path)
    for number, batch in enumerate(batches):
        ingest(store, batch)
        assert built(store) == ("full" if number == 0 else "delta")
    found = graph(store)
    store.close()
    return found


def test_there_is_something_to_merge(tmp_path: Path) -> None:
    triples, nodes, *_ = ingested(tmp_path / "all", [FILES])
    assert len(FILES) >= 7 and len(triples) > 1000
    works = [n["node"] for n in nodes if n["label"] == "Work"]
    assert any(len(w["sources"]) >= 6 for w in works)  # type: ignore[index]


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
        assert built(store) == "delta"
    assert graph(store) == ingested(
        tmp_path / "without", [[f for f in FILES if f not in (FILES[0], FILES[3])]]
    )
    assert remove(store, [str(FILES[0])]) == [str(FILES[0])]  # no longer there
    ingest(store, [FILES[0], FILES[3]])  # and back
    assert graph(store) == ingested(tmp_path / "all", [FILES])


EDITORS = "TY  - JOUR\nAU  - Straub, Detmar\nTI  - Editor's Comments\nJO  - MIS Quarterly\nPY  - 2013\nVL  - 37\n"
CURATED_A = f"{EDITORS}IS  - 1\nSP  - iii\nER  - \n\n{EDITORS}IS  - 4\nSP  - v\nER  - \n"
CURATED_C = f"{EDITORS}IS  - 1\nSP  - iii-iv\nER  - \n"


def test_a_decision_built_incrementally_equals_a_full_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reviewer's merge, then a file that joins the merged work: the delta path and a
    full build give the same graph and the same decisions."""
    files = {}
    for name, text in (("a.ris", CURATED_A), ("c.ris", CURATED_C)):
        files[name] = tmp_path / name
        files[name].write_text(text, encoding="utf-8")
    one, four = f"{files['a.ris']}:1", f"{files['a.ris']}:11"
    found = {}
    for name, largest in (("delta", float("inf")), ("full", -1.0)):
        monkeypatch.setattr(delta, "LARGEST", largest)
        store = tmp_path / name
        for args in (
            ["ingest", str(files["a.ris"])],
            ["merge", one, four],
            ["ingest", str(files["c.ris"])],
        ):
            result = CliRunner().invoke(
                main, ["--store", str(store), *args], catch_exceptions=False
            )
            assert result.exit_code == 0, result.output
        assert built(Store(store)) == name
        found[name] = graph(Store(store))
    assert found["delta"] == found["full"]
