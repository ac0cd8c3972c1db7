"""The connector as a process of its own, beside the server.

``lienthong serve`` starts it so that the connector does not share the Python
interpreter lock with the web requests: the server's apps wake it on every commit
(a multiprocessing event), and both take turns on the queue through a lock file
(:class:`~lienthong.sync.locking.ProcessLock`). It stops with its parent.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path


def lock_path(data_dir: str | Path) -> Path:
    return Path(data_dir) / "connector.lock"


def start(main, settings: dict, wake) -> multiprocessing.Process:
    """Start the worker process running ``main(settings, wake)`` (the composition root's
    :func:`lienthong.bootstrap.connector_worker`)."""
    process = multiprocessing.get_context("spawn").Process(target=main, args=(settings, wake), name="lienthong-connector", daemon=True)
    process.start()
    return process


def new_wake():
    return multiprocessing.get_context("spawn").Event()
