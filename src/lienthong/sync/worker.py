"""The connector as a process of its own, beside the server.

``lienthong serve`` starts it so that the connector does not share the Python
interpreter lock with the web requests: the server's apps wake it on every commit
(a multiprocessing event), and both take turns on the queue through a lock file
(:class:`~lienthong.sync.locking.ProcessLock`). It stops with its parent.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from pathlib import Path


def lock_path(data_dir: str | Path) -> Path:
    return Path(data_dir) / "connector.lock"


def _main(settings: dict, wake) -> None:
    from lienthong.bootstrap import Suite
    from lienthong.sync.locking import ProcessLock

    parent = os.getppid()
    suite = Suite.open(
        data_dir=settings["data_dir"],
        url=settings["url"],
        only=settings["only"],
        remote=settings["remote"],
        connector_token=settings["connector_token"],
        migrate=False,
        first_start=False,
        connector_options={"lock": ProcessLock(lock_path(settings["data_dir"])), "wake": wake, "watch_commits": False, "poll": 0.5},
    )
    signal.signal(signal.SIGTERM, lambda *_: suite.connector.stop())
    try:
        suite.connector.run_forever(alive=lambda: os.getppid() == parent)
    finally:
        suite.close()


def start(settings: dict, wake) -> multiprocessing.Process:
    """Start the worker; ``settings`` are Suite.open's (data_dir, url, only, remote, connector_token)."""
    process = multiprocessing.get_context("spawn").Process(target=_main, args=(settings, wake), name="lienthong-connector", daemon=True)
    process.start()
    return process


def new_wake():
    return multiprocessing.get_context("spawn").Event()
