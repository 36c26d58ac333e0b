"""The pairs of items found together in most groups: co-citation (works cited by the same
work) and bibliographic coupling (works citing the same work), exactly, without ever
holding every pair: at 300k works a classic's citers alone make millions."""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from typing import Any

import numpy as np


def top_pairs(groups: Iterable[set[Any]], top: int) -> list[tuple[Any, Any, int]]:
    """The `top` pairs of items found together in most groups (`top_numbered_pairs`),
    for items of any sortable kind: ties go to the item first in sort order."""
    members = [g for g in groups if len(g) > 1]
    items = sorted({i for g in members for i in g})
    number = {item: n for n, item in enumerate(items)}
    group = _numbers(n for n, g in enumerate(members) for _ in g)
    item = _numbers(number[i] for g in members for i in g)
    return [(items[a], items[b], c) for a, b, c in top_numbered_pairs(group, item, top)]


def top_numbered_pairs(group: np.ndarray, item: np.ndarray, top: int) -> list[tuple[int, int, int]]:
    """The `top` pairs of items found together in most groups, exactly, ties broken by
    the items' frequency then number; the groups are given as (group, item) rows.

    Items are visited from most to least frequent; a visit counts the partners still
    unvisited in the item's groups, keeping the best pairs in a bounded heap. A pair
    occurs together at most as often as its rarer item occurs, so once an item occurs no
    more often than the worst pair kept, no later pair can enter. Memory is one item's
    partners, never every pair; each visit is a gather over arrays.
    """
    if top <= 0 or not len(item):
        return []
    width = int(item.max()) + 1
    # each item once a group, sorted by group: one key a row sorts far faster than rows
    keys = np.unique(group.astype(np.int64) * width + item)
    group, item = keys // width, keys % width
    sizes = np.bincount(group)
    pairs = sizes[group] > 1  # a group of one makes no pair
    group, item = group[pairs], item[pairs]
    if not len(group):
        return []
    count = int(item.max()) + 1
    frequency = np.bincount(item, minlength=count)
    present = np.flatnonzero(frequency)
    order = present[np.lexsort((present, -frequency[present]))]
    rank = np.full(count, len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    members_start = np.searchsorted(group, np.arange(int(group.max()) + 2))  # rows sort by group
    by_item = np.argsort(item, kind="stable")
    groups_start = np.searchsorted(item[by_item], np.arange(count + 1))
    heap: list[tuple[int, int, int]] = []  # (count, -rank a, -rank b): worst on top
    for position, visited in enumerate(order.tolist()):
        if len(heap) == top and frequency[visited] <= heap[0][0]:
            break
        its_groups = group[by_item[groups_start[visited] : groups_start[visited + 1]]]
        partners = _gather(item, members_start[its_groups], members_start[its_groups + 1])
        partners = partners[rank[partners] > position]
        if not len(partners):
            continue
        others, together = np.unique(partners, return_counts=True)
        floor = heap[0][0] if len(heap) == top else 1
        keep = together >= floor
        for other, n in zip(others[keep].tolist(), together[keep].tolist(), strict=True):
            key = (n, -position, -int(rank[other]))
            if len(heap) < top:
                heapq.heappush(heap, key)
            elif key > heap[0]:
                heapq.heapreplace(heap, key)
    found = sorted(heap, reverse=True)
    return [(int(order[-a]), int(order[-b]), n) for n, a, b in found]


def _gather(values: np.ndarray, starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """values[starts[0]:stops[0]] + values[starts[1]:stops[1]] + ..., without a loop."""
    lengths = stops - starts
    total = int(lengths.sum())
    if not total:
        return values[:0]
    shifts = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    return values[np.arange(total) + shifts]


def _numbers(values: Iterable[int]) -> np.ndarray:
    return np.fromiter(values, dtype=np.int64)
