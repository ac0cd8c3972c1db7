"""One connector at a time, across threads and processes.

The server's connector worker (a process of its own, so it does not share the
interpreter lock with the web requests) and the web process itself (drain, first
sync) both work on the queue; a lock file next to the data makes them take turns.
"""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path

from lienthong.kernel.private import FILE_MODE, private_dir


class ProcessLock:
    """A re-entrant lock held by one thread of one process at a time."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        private_dir(self.path.parent)
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    def acquire(self) -> None:
        self._thread_lock.acquire()
        if self._depth == 0:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
            os.fchmod(self._fd, FILE_MODE)  # also a lock file left by an older version
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        self._depth += 1

    def release(self) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
        self._thread_lock.release()

    def __enter__(self) -> "ProcessLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
