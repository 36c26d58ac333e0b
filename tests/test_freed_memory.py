"""Memory a phase freed goes back to the operating system before the next phase."""

from __future__ import annotations

from pathlib import Path

from citegraph.graph.freed_memory import return_freed_memory


def resident_mb() -> float:
    status = Path("/proc/self/status").read_text()
    line = next(ln for ln in status.splitlines() if ln.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def test_freed_heap_pages_leave_the_resident_set() -> None:
    """Objects too big for Python's own allocator live in the C heap, which keeps their
    pages once freed while anything above them is alive: 180 MB stay resident until
    the heap is trimmed."""
    held = [bytes(600) + str(i).encode() for i in range(300_000)]
    pinned = [bytes(700) for _ in range(10)]  # above them in the heap, still alive
    before = resident_mb()
    del held
    freed = resident_mb()
    assert before - freed < 60  # freed, yet still resident
    assert return_freed_memory()
    assert freed - resident_mb() > 120
    assert len(pinned) == 10
