"""One writer at a time: an advisory lock on `<store>/write.lock`.

`flock` is released by the kernel when its holder dies, so a killed ingest never leaves a
stale lock behind, and a second writer needs no clean-up to go on. The holder writes its
pid into the file so that the one waiting can say whom it waits for.
"""

from __future__ import annotations

import errno
import fcntl
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

DEFAULT_WAIT = 60.0  # seconds: long enough for a small ingest ahead of us to finish


class StoreBusy(Exception):
    """Another process is writing to the store and did not finish in time."""


class WriteLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] | None = None

    def acquire(
        self, wait: float = DEFAULT_WAIT, waiting: Callable[[str], None] | None = None
    ) -> None:
        """Take the lock, polling up to `wait` seconds; `waiting` hears once why we wait."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        deadline = time.monotonic() + max(wait, 0.0)
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES):
                    handle.close()
                    raise
            holder = self.holder()
            if time.monotonic() >= deadline:
                handle.close()
                raise StoreBusy(
                    f"{self.path.parent}: another citegraph process{holder} is writing to "
                    f"this store; waited {wait:g} s (try again, or pass --wait SECONDS)"
                )
            if waiting and not told:
                waiting(
                    f"{self.path.parent}: waiting for another citegraph process{holder} "
                    f"to finish writing (up to {wait:g} s)"
                )
                told = True
            time.sleep(0.1)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._handle = handle

    def holder(self) -> str:
        try:
            pid = self.path.read_text(encoding="utf-8").strip()
        except OSError:
            return ""
        return f" (pid {pid})" if pid.isdigit() else ""

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing drops the flock
            self._handle = None
