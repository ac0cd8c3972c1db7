"""One connector at a time, across threads and processes.

The server's connector worker (a process of its own, so it does not share the
interpreter lock with the web requests) and the web process itself (drain, first
sync) both work on the queue; a lock file next to the data makes them take turns.
The lock is :mod:`filelock`'s (``flock`` on Linux), re-entrant within a thread; each
thread holds it through a descriptor of its own, so threads of one process take turns
too. A waiter tries again every :data:`POLL` seconds.
"""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock

from lienthong.kernel.private import FILE_MODE, private_dir, private_file

POLL = 0.005  # seconds between tries while another holder has the lock: short, so turns pass at once


class ProcessLock:
    """A re-entrant lock held by one thread of one process at a time."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        private_dir(self.path.parent)
        private_file(self.path)  # owner-only, also a lock file left by an older version
        self._lock = FileLock(self.path, mode=FILE_MODE)

    def acquire(self) -> None:
        self._lock.acquire(poll_interval=POLL)

    def release(self) -> None:
        self._lock.release()

    def __enter__(self) -> "ProcessLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
