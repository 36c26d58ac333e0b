"""De-duplication against known clusters: sensitivity, specificity, pairwise F1, time.

    python bench/bench_dedup.py --sizes 10000 100000 [--repeat 3] [--json dedup.json]

For each size a duplicate set is generated (bench/dedup_generate.py: five exports of
one set of true works, traps among them), every file is read by the loader the registry
picks for it (loaders/registry.py), and identity is decided by graph/identity.py
`cluster_works`, as ingest does. Each loaded record is traced to its true work by its
file and line. The scores are bench/dedup_score.py's: record-level sensitivity and
specificity as ASySD counts them, pairwise precision, recall and F1, and the false-merge
pairs by trap kind. Load and identity times are wall seconds, best of --repeat runs
with the spread (max - min) beside them.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dedup_generate import FILES, TRAPS, Truth, write  # noqa: E402
from dedup_score import Score, score  # noqa: E402

from citegraph.graph.identity import WorkCluster, cluster_works  # noqa: E402
from citegraph.loaders.records import LoadResult, Work  # noqa: E402
from citegraph.loaders.registry import load  # noqa: E402

T = TypeVar("T")
RecordId = tuple[str, int]  # (file name, start line)


def timed(run: Callable[[], T], repeat: int) -> tuple[T, float, float]:
    """The result of the last run, the best wall time and the spread of `repeat` runs."""
    times = []
    result: T | None = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    assert result is not None
    return result, min(times), max(times) - min(times)


def load_all(directory: Path) -> list[LoadResult]:
    return [load(directory / name) for name in FILES.values()]


def record_id(work: Work) -> RecordId:
    return Path(work.source.path).name, work.source.line


def check_loaded(results: list[LoadResult], truth: list[Truth]) -> list[Work]:
    """The loaded works, after checking that records in = loaded, file by file."""
    expected: dict[str, int] = {}
    for t in truth:
        expected[t.file] = expected.get(t.file, 0) + 1
    for result in results:
        name = Path(result.path).name
        if result.loaded != expected.get(name, 0) or result.rejected:
            reasons = "; ".join(str(i) for i in result.rejected[:3])
            raise SystemExit(f"{name}: {result.loaded} of {expected.get(name, 0)} loaded {reasons}")
    return [w for result in results for w in result.works]


def evaluate(truth: list[Truth], clusters: list[WorkCluster]) -> Score:
    work_of = {(t.file, t.line): t.cluster for t in truth}
    trap_of = {t.cluster: (t.trap, t.trap_kind) for t in truth if t.trap and t.trap_kind}
    predicted = [[record_id(m) for m in c.members] for c in clusters]
    return score(work_of, predicted, trap_of)


def missed_by_variation(
    truth: list[Truth], clusters: list[WorkCluster]
) -> dict[str, tuple[int, int]]:
    """For each variation (`Truth.variations`; `none` for copies alike), the true pairs
    with it on either side that were missed, and all the true pairs with it."""
    cluster_of = {record_id(m): n for n, c in enumerate(clusters) for m in c.members}
    copies: dict[str, list[Truth]] = defaultdict(list)
    for t in truth:
        copies[t.cluster].append(t)
    missed: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for records in copies.values():
        for i, a in enumerate(records):
            for b in records[i + 1 :]:
                labels = set(a.variations) | set(b.variations) or {"none"}
                pairs.update(labels)
                if cluster_of[(a.file, a.line)] != cluster_of[(b.file, b.line)]:
                    missed.update(labels)
    return {label: (missed[label], pairs[label]) for label in sorted(pairs)}


def run(size: int, directory: Path, seed: int, repeat: int) -> dict[str, object]:
    truth = write(size, directory, seed)
    results, load_s, load_spread = timed(lambda: load_all(directory), repeat)
    works = check_loaded(results, truth)
    clusters, identity_s, identity_spread = timed(lambda: cluster_works(works), repeat)
    figures = evaluate(truth, clusters)
    traps = {kind: sum(1 for t in truth if t.trap_kind == kind) for kind in TRAPS}
    return {
        "size": size,
        "seed": seed,
        "trap_records": traps,
        "load_s": load_s,
        "load_spread_s": load_spread,
        "identity_s": identity_s,
        "identity_spread_s": identity_spread,
        **figures.to_json(),
        "missed_by_variation": missed_by_variation(truth, clusters),
    }


def report(row: dict[str, object]) -> str:
    merges, works, missed = row["false_merges"], row["merged_works"], row["missed_by_variation"]
    assert isinstance(merges, dict) and isinstance(works, dict) and isinstance(missed, dict)
    kinds = [*TRAPS, "other"]
    by_kind = ", ".join(f"{k} {merges.get(k, 0)} ({works.get(k, 0)})" for k in kinds)
    return (
        f"{row['size']:>8} records, {row['true_works']} true works, {row['predicted_works']} "
        f"predicted\n"
        f"  record level: sensitivity {row['sensitivity']:.4f}  specificity "
        f"{row['specificity']:.4f}  (TP {row['tp']} FN {row['fn']} FP {row['fp']} TN {row['tn']})\n"
        f"  pairwise:     precision {row['precision']:.4f}  recall {row['recall']:.4f}  "
        f"F1 {row['f1']:.4f}  (false-merge pairs {row['pair_fp']}, missed {row['pair_fn']})\n"
        f"  false-merge pairs by kind (works merged): {by_kind}\n"
        f"  missed pairs by variation (missed/pairs): "
        + ", ".join(f"{k} {m}/{n}" for k, (m, n) in missed.items())
        + "\n"
        f"  time: load {row['load_s']:.2f} s (spread {row['load_spread_s']:.2f}), identity "
        f"{row['identity_s']:.2f} s (spread {row['identity_spread_s']:.2f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000], help="records in all")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--repeat", type=int, default=1, help="timed runs (best is kept)")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--keep", type=Path, help="write the exports here instead of a temp dir")
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="dedup-") as tmp:
            directory = args.keep / str(size) if args.keep else Path(tmp)
            row = run(size, directory, args.seed, args.repeat)
        print(report(row), flush=True)
        rows.append(row)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
