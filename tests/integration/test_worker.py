"""The connector's worker process ends with its server: on SIGTERM, and by itself when
the server dies (even by ``kill -9``), whatever the worker was doing at that moment.

The worker is caught in the middle of a step: the test holds the connector's lock
file, so the worker waits for it, asleep in the kernel between its tries (filelock
tries ``flock`` again every few milliseconds; an idle worker waits in ``select``)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from lienthong.bootstrap import ALL, Suite, connector_worker
from lienthong.sync import worker
from lienthong.sync.locking import ProcessLock

pytestmark = pytest.mark.skipif(not Path("/proc/self/wchan").exists(), reason="needs Linux /proc to see where the worker waits")
ADMIN = "worker-test-administrator-token-0123"


def alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped has ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def waiting_for_lock(pid: int) -> bool:
    try:
        return "nanosleep" in Path(f"/proc/{pid}/wchan").read_text()
    except FileNotFoundError:
        return False


@pytest.fixture
def data(tmp_path):
    Suite.open(data_dir=tmp_path, admin_token=ADMIN).close()  # the databases, migrated
    return tmp_path


@pytest.fixture
def lock(data):
    """The connector's lock file, held by the test: a worker's step waits for it."""
    held = ProcessLock(worker.lock_path(data))
    held.acquire()
    yield held
    held.release()


def settings(data: Path) -> dict:
    return {"data_dir": str(data), "url": None, "only": ALL, "remote": {}, "connector_token": "t" * 32}


def test_a_worker_ends_on_sigterm_even_in_the_middle_of_a_step(data, lock):
    wake = worker.new_wake()
    process = worker.start(connector_worker, settings(data), wake)
    try:
        assert wait_until(lambda: waiting_for_lock(process.pid), 60)
        os.kill(process.pid, signal.SIGTERM)
        process.join(timeout=5)
        assert process.exitcode == 0
    finally:
        if process.is_alive():
            process.kill()
            process.join()


SERVER = textwrap.dedent(
    """
    import sys, time
    from lienthong.bootstrap import connector_worker
    from lienthong.sync import worker

    if __name__ == "__main__":
        wake = worker.new_wake()
        process = worker.start(connector_worker, {settings!r}, wake)
        print(process.pid, flush=True)
        time.sleep(600)
    """
)


def test_a_worker_whose_server_was_killed_ends_by_itself(data, lock, tmp_path):
    script = tmp_path / "server.py"
    script.write_text(SERVER.format(settings=settings(data)))
    server = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        pid = int(server.stdout.readline())
        assert wait_until(lambda: waiting_for_lock(pid), 60)
        server.kill()  # kill -9: no shutdown code runs in the server
        server.wait()
        assert wait_until(lambda: not alive(pid), 5)
    finally:
        server.kill()
        server.wait()
        server.stdout.close()
        try:
            os.killpg(server.pid, signal.SIGKILL)  # whatever is left of the server's group
        except ProcessLookupError:
            pass
