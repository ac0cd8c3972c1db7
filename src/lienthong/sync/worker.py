"""The connector as a process of its own, beside the server.

``lienthong serve`` starts it so that the connector does not share the Python
interpreter lock with the web requests: the server's apps wake it on every commit,
and both take turns on the queue through a lock file
(:class:`~lienthong.sync.locking.ProcessLock`).

It ends with its server, however the server ends:

- waking goes through a pipe (one byte per commit), so a server that dies in the
  middle of waking leaves no lock behind; when the server is gone, even by
  ``kill -9``, the pipe's end of file wakes the worker and it stops;
- on Linux the kernel also sends it SIGTERM when the server dies
  (``PR_SET_PDEATHSIG``), which ends it even in the middle of a step;
- SIGTERM ends it at once: a step in progress is rolled back (the queue replays it),
  the databases are closed.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import select
import signal
import sys
from pathlib import Path

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def lock_path(data_dir: str | Path) -> Path:
    return Path(data_dir) / "connector.lock"


class Wake:
    """The server's side of the pipe: :meth:`set` wakes the worker. It never blocks and
    takes no lock, so it is safe from any thread and from a server about to die."""

    def __init__(self):
        self.reader, self._writer = multiprocessing.get_context("spawn").Pipe(duplex=False)
        os.set_blocking(self._writer.fileno(), False)

    def set(self) -> None:
        try:
            os.write(self._writer.fileno(), b"\0")
        except BlockingIOError:
            pass  # the pipe is full of wake-ups the worker has not read yet: it will wake
        except OSError:
            pass  # the worker is gone (or the pipe closed at shutdown): nobody to wake


class Waiter:
    """The worker's side: waits for a wake-up (or a timeout). ``server_gone`` is set
    once the server's end of the pipe is closed."""

    def __init__(self, reader):
        self._reader = reader  # kept: closing it would close the descriptor
        self._own_read, self._own_write = os.pipe()  # for set(), from the worker itself
        os.set_blocking(self._own_write, False)
        self.server_gone = False

    def set(self) -> None:
        try:
            os.write(self._own_write, b"\0")
        except BlockingIOError:
            pass

    def wait(self, timeout: float | None = None) -> bool:
        ready, _, _ = select.select([self._reader.fileno(), self._own_read], [], [], timeout)
        for fd in ready:
            if not os.read(fd, 65536) and fd == self._reader.fileno():
                self.server_gone = True
        return bool(ready)

    def clear(self) -> None:
        """Nothing to do: :meth:`wait` consumes the wake-ups it saw."""


def start(main, settings: dict, wake: Wake) -> multiprocessing.Process:
    """Start the worker process running ``main(settings, reader)`` (the composition
    root's :func:`lienthong.bootstrap.connector_worker`). Call it from the thread that
    lives as long as the server: on Linux the worker ends when that thread ends."""
    settings = {**settings, "parent": os.getpid()}
    process = multiprocessing.get_context("spawn").Process(target=main, args=(settings, wake.reader), name="lienthong-connector", daemon=True)
    process.start()
    return process


def new_wake() -> Wake:
    return Wake()


def end_with_server(parent: int) -> None:
    """In the worker: SIGTERM ends it at once, and (on Linux) the server's death sends
    SIGTERM. Exits now if the server is already gone."""
    signal.signal(signal.SIGTERM, _terminate)
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the server died before the line above
        raise SystemExit(0)


def _terminate(signum, frame) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM ends it without cleanup
    raise SystemExit(0)
