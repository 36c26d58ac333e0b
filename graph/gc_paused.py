"""Python's cyclic garbage collector, paused while a large graph is built in memory."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for a build, restored afterwards whatever happens.

    A build makes millions of small dicts, lists and tuples that stay alive until it is
    written and are never in a cycle, so every collection scans all of them for nothing.
    Measured: it doubled a 20k-node page build and half the identity pass, and at 62k
    references it took 4 s of a 7 s property-graph mapping. Nested pauses are fine: only
    the outermost restores the collector.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
