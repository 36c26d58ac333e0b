"""The index's triple counts (graph/store/index.py): replacing some components' triples
by others' says exactly which triples leave the graph and which enter it."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from citegraph.graph.store.index import Counts

component = st.sets(st.integers(0, 60), min_size=1, max_size=10).map(
    lambda s: np.array(sorted(s), dtype=np.uint64)
)


@settings(deadline=None)  # a shared machine can stall any example past 200 ms
@given(
    st.lists(component, min_size=1, max_size=20),
    st.data(),
    st.lists(component, max_size=4),
)
def test_replacing_components_matches_counting_again(
    components: list[np.ndarray], data: st.DataObject, made: list[np.ndarray]
) -> None:
    gone = data.draw(st.sets(st.integers(0, len(components) - 1)))
    base = Counts.of(components)
    expected = Counts.of([c for i, c in enumerate(components) if i not in gone] + made)
    empty = np.zeros(0, dtype=np.uint64)
    got, left, entered = base.changed(
        np.concatenate([components[i] for i in gone]) if gone else empty,
        np.concatenate(made) if made else empty,
    )
    assert got.lines.tolist() == expected.lines.tolist()
    assert got.counts.tolist() == expected.counts.tolist()
    assert left == set(base.lines.tolist()) - set(expected.lines.tolist())
    assert entered == set(expected.lines.tolist()) - set(base.lines.tolist())
