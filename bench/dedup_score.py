"""How well predicted clusters of records match the true ones.

Record level, as ASySD and DedupEndNote count it: a true cluster's records after its
first are its duplicates; a deduplicator keeps one record of each predicted cluster and
removes the rest. A removed record is a true positive when its true work still has a
record kept, a false positive when it takes the last of its work with it (a unique
record wrongly removed). The records kept are chosen as favourably as possible: the
works that survive are a maximum matching between predicted and true clusters, so a
merge of two works costs one false positive, whichever record the tool would keep.

Pairwise: every two records in one cluster are a pair; precision, recall and F1 of the
predicted pairs against the true ones, and the false-merge pairs (predicted together,
truly apart) by what joined their works: a trap kind when both works belong to one
trap group, else `other`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Score:
    records: int
    true_works: int
    predicted_works: int
    tp: int  # duplicate records removed
    fp: int  # unique records removed
    tn: int  # unique records kept
    fn: int  # duplicate records kept
    pair_tp: int
    pair_fp: int
    pair_fn: int
    false_merges: dict[str, int] = field(default_factory=dict)  # record pairs by kind
    merged_works: dict[str, int] = field(default_factory=dict)  # true-work pairs by kind

    @property
    def sensitivity(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def specificity(self) -> float:
        return _ratio(self.tn, self.tn + self.fp)

    @property
    def precision(self) -> float:
        return _ratio(self.pair_tp, self.pair_tp + self.pair_fp)

    @property
    def recall(self) -> float:
        return _ratio(self.pair_tp, self.pair_tp + self.pair_fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 1.0

    def to_json(self) -> dict[str, object]:
        figures = {
            name: getattr(self, name)
            for name in ("sensitivity", "specificity", "precision", "recall", "f1")
        }
        return {**self.__dict__, **figures}


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def score(
    truth: Mapping[Hashable, str],
    predicted: Sequence[Sequence[Hashable]],
    trap_of: Mapping[str, tuple[str, str]] | None = None,
) -> Score:
    """Score `predicted` clusters of record ids against `truth` (record id -> true work).

    `trap_of` gives a true work's (trap group, trap kind); every record of `truth` must
    be in exactly one predicted cluster.
    """
    trap_of = trap_of or {}
    seen = [r for cluster in predicted for r in cluster]
    if len(seen) != len(truth) or set(seen) != set(truth):
        raise ValueError(f"predicted clusters hold {len(seen)} records, the truth {len(truth)}")
    true_sizes = Counter(truth.values())
    overlaps: list[Counter[str]] = [Counter(truth[r] for r in cluster) for cluster in predicted]
    duplicates = len(truth) - len(true_sizes)
    kept = _maximum_matching(overlaps)
    removed = len(truth) - len(predicted)
    fp = len(true_sizes) - kept
    tp = removed - fp
    pair_tp = sum(_pairs(n) for overlap in overlaps for n in overlap.values())
    predicted_pairs = sum(_pairs(len(cluster)) for cluster in predicted)
    true_pairs = sum(_pairs(n) for n in true_sizes.values())
    false_merges: Counter[str] = Counter()
    merged_works: Counter[str] = Counter()
    for overlap in overlaps:
        works = sorted(overlap)
        for i, a in enumerate(works):
            for b in works[i + 1 :]:
                kind = _kind(trap_of.get(a), trap_of.get(b))
                false_merges[kind] += overlap[a] * overlap[b]
                merged_works[kind] += 1
    return Score(
        records=len(truth),
        true_works=len(true_sizes),
        predicted_works=len(predicted),
        tp=tp,
        fp=fp,
        tn=len(true_sizes) - fp,
        fn=duplicates - tp,
        pair_tp=pair_tp,
        pair_fp=predicted_pairs - pair_tp,
        pair_fn=true_pairs - pair_tp,
        false_merges=dict(sorted(false_merges.items())),
        merged_works=dict(sorted(merged_works.items())),
    )


def _kind(a: tuple[str, str] | None, b: tuple[str, str] | None) -> str:
    """A trap kind when both works are of one trap group, else `other`."""
    return a[1] if a and b and a[0] == b[0] else "other"


def _maximum_matching(overlaps: list[Counter[str]]) -> int:
    """How many true works can each keep a record: a maximum matching of predicted
    clusters to the true works they hold (augmenting paths; the graph is a forest of
    small components, so this is linear in practice)."""
    owner: dict[str, int] = {}  # true work -> the predicted cluster keeping its record
    options = [list(overlap) for overlap in overlaps]
    matched = 0
    for start in range(len(options)):
        if _augment(start, options, owner, set()):
            matched += 1
    return matched


def _augment(start: int, options: list[list[str]], owner: dict[str, int], seen: set[str]) -> bool:
    """Give cluster `start` a work of its own, moving others along an augmenting path
    (iteratively, so a long chain of merges cannot exhaust the stack)."""
    stack: list[tuple[int, int]] = [(start, 0)]
    path: list[str] = []
    while stack:
        cluster, index = stack[-1]
        if index == len(options[cluster]):
            stack.pop()
            if path:
                path.pop()
            continue
        stack[-1] = (cluster, index + 1)
        work = options[cluster][index]
        if work in seen:
            continue
        seen.add(work)
        path.append(work)
        if work not in owner:
            for (c, _), w in zip(stack, path, strict=True):
                owner[w] = c
            return True
        stack.append((owner[work], 0))
    return False


def by_work(truth: Mapping[Hashable, str]) -> dict[str, list[Hashable]]:
    """The true clusters themselves (work -> record ids), for a perfect prediction."""
    groups: dict[str, list[Hashable]] = defaultdict(list)
    for record, work in truth.items():
        groups[work].append(record)
    return dict(groups)
