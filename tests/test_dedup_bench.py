"""The de-duplication benchmark's own parts: its scoring, worked by hand, and its
generator, which must be repeatable, load whole through the real loaders and hold
every trap. The figures themselves are bench/bench_dedup.py's, never a test's."""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import pytest

from citegraph.graph.normalize import fold
from citegraph.loaders.registry import load, loader_for

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

from dedup_generate import FILES, TRAPS, read_truth, write  # noqa: E402
from dedup_score import by_work, score  # noqa: E402

#: Five true works: A has three records, B two, C, D and E one each.
TRUTH = {
    "a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "c1": "C", "d1": "D", "e1": "E",
}  # fmt: skip
#: B and C are two editorials of one trap group; D and E share nothing.
TRAP_OF = {"B": ("t1", "editorial"), "C": ("t1", "editorial")}


def test_score_worked_by_hand() -> None:
    # A split in two; B merged with the editorial C; D merged with E.
    predicted = [["a1", "a2"], ["a3"], ["b1", "b2", "c1"], ["d1", "e1"]]
    s = score(TRUTH, predicted, TRAP_OF)
    # 8 records, 4 kept, 4 removed. At most three works keep a record (A, B or C, D or
    # E): C and E are lost, 2 false positives; the other 2 removed are duplicates.
    assert (s.tp, s.fp, s.tn, s.fn) == (2, 2, 3, 1)
    assert s.sensitivity == pytest.approx(2 / 3)  # 3 duplicates: a2/a3 and b2
    assert s.specificity == pytest.approx(3 / 5)
    # pairs: true a1a2 a1a3 a2a3 b1b2; predicted a1a2, b1b2 b1c1 b2c1, d1e1
    assert (s.pair_tp, s.pair_fp, s.pair_fn) == (2, 3, 2)
    assert s.precision == pytest.approx(2 / 5)
    assert s.recall == pytest.approx(1 / 2)
    assert s.f1 == pytest.approx(2 * 0.4 * 0.5 / 0.9)
    assert s.false_merges == {"editorial": 2, "other": 1}
    assert s.merged_works == {"editorial": 1, "other": 1}


def test_a_merge_costs_no_record_while_the_work_keeps_another() -> None:
    # x1 joins y1 but x2 stands alone: keeping y1 and x2 loses no work, although the
    # pair x1-y1 is a false merge. Only an augmenting path finds that choice, since
    # the first cluster holds x1 first.
    truth = {"x1": "X", "x2": "X", "y1": "Y"}
    s = score(truth, [["x1", "y1"], ["x2"]])
    assert (s.tp, s.fp, s.tn, s.fn) == (1, 0, 2, 0)
    assert (s.pair_tp, s.pair_fp, s.pair_fn) == (0, 1, 1)
    assert s.false_merges == {"other": 1}


def test_the_truth_itself_scores_perfectly() -> None:
    s = score(TRUTH, list(by_work(TRUTH).values()), TRAP_OF)
    assert (s.sensitivity, s.specificity, s.f1) == (1.0, 1.0, 1.0)
    assert (s.fp, s.fn, s.pair_fp) == (0, 0, 0)
    singletons = score(TRUTH, [[r] for r in TRUTH])
    assert (singletons.tp, singletons.fn, singletons.specificity) == (0, 3, 1.0)


def test_score_refuses_predictions_of_other_records() -> None:
    with pytest.raises(ValueError, match="7 records, the truth 8"):
        score(TRUTH, [["a1", "a2", "a3"], ["b1", "b2"], ["c1"], ["d1"]])


def test_generator_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    write(400, tmp_path / "a", seed=5)
    write(400, tmp_path / "b", seed=5)
    write(400, tmp_path / "c", seed=6)
    for name in [*FILES.values(), "truth.jsonl"]:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert (tmp_path / "a" / "truth.jsonl").read_bytes() != (
        tmp_path / "c" / "truth.jsonl"
    ).read_bytes()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dedup")
    write(600, out, seed=3)
    return out


def test_every_record_loads_and_is_traced_to_its_work(generated: Path) -> None:
    truth = read_truth(generated)
    assert len(truth) == 600
    where = {(t.file, t.line): t.cluster for t in truth}
    assert len(where) == 600  # one record a start line
    loaders = {"wos": "wos", "scopus": "scopus-csv", "medline": "medline"}
    traced = []
    for export, name in FILES.items():
        assert loader_for(generated / name).name == loaders.get(export, export)
        result = load(generated / name)
        in_file = sum(1 for t in truth if t.file == name)
        assert in_file > 0
        assert (result.entries, result.loaded, result.rejected) == (in_file, in_file, [])
        traced += [(Path(w.source.path).name, w.source.line) for w in result.works]
    assert sorted(traced) == sorted(where)


def test_every_trap_kind_appears_with_works_to_keep_apart(generated: Path) -> None:
    groups: dict[str, set[str]] = defaultdict(set)
    kinds: dict[str, set[str]] = defaultdict(set)
    for t in read_truth(generated):
        if t.trap and t.trap_kind:
            groups[t.trap].add(t.cluster)
            kinds[t.trap_kind].add(t.trap)
    assert sorted(kinds) == sorted(TRAPS)
    assert all(len(works) >= 2 for works in groups.values())


def test_copies_of_one_work_vary_as_the_exports_do(generated: Path) -> None:
    """The variations the benchmark is about are there after loading."""
    truth = {(t.file, t.line): t.cluster for t in read_truth(generated)}
    copies = defaultdict(list)
    for name in FILES.values():
        for work in load(generated / name).works:
            copies[truth[(name, work.source.line)]].append(work)
    shared = [ws for ws in copies.values() if len(ws) > 1]
    assert len(shared) > 100

    def some(seen: object) -> bool:
        return any(seen(ws) for ws in shared)  # type: ignore[operator]

    assert some(lambda ws: len({w.title.isupper() for w in ws if w.title}) == 2)
    assert some(lambda ws: len({bool(w.doi) for w in ws}) == 2)
    assert some(lambda ws: len({w.title for w in ws}) > 1 and len({fold(w.title) for w in ws}) == 1)
    assert some(lambda ws: len({w.authors[0].given for w in ws if w.authors}) > 1)
    assert some(lambda ws: len({w.authors[0].family for w in ws if w.authors}) > 1)
    assert some(
        lambda ws: len({w.pages for w in ws}) == 1 and any("e0" in (w.pages or "") for w in ws)
    )
    assert some(lambda ws: len({w.container for w in ws}) > 1)
