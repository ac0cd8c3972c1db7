"""The connector's lock file (sync.locking, on filelock since issue 7): one holder at a
time across threads and processes, re-entrant within a thread, owner-only."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

from lienthong.sync.locking import ProcessLock


def test_a_thread_may_take_the_lock_again_while_it_holds_it(tmp_path):
    lock = ProcessLock(tmp_path / "connector.lock")
    with lock:
        with lock:
            pass
        other = _try_in_thread(lock)
    assert other == "waited"


def _try_in_thread(lock: ProcessLock) -> str:
    """Whether another thread has to wait for ``lock`` (held here)."""
    got = threading.Event()
    thread = threading.Thread(target=lambda: (lock.acquire(), got.set(), lock.release()), daemon=True)
    thread.start()
    return "got it" if got.wait(0.3) else "waited"


def test_another_thread_gets_the_lock_as_soon_as_it_is_released(tmp_path):
    lock = ProcessLock(tmp_path / "connector.lock")
    lock.acquire()
    got = threading.Event()
    thread = threading.Thread(target=lambda: (lock.acquire(), got.set(), lock.release()))
    thread.start()
    assert not got.wait(0.3)
    lock.release()
    assert got.wait(2)
    thread.join()


def test_another_process_waits_for_the_lock_until_it_is_released(tmp_path):
    path = tmp_path / "connector.lock"
    lock = ProcessLock(path)
    code = f"import time; from lienthong.sync.locking import ProcessLock\nwith ProcessLock({str(path)!r}):\n    print(time.time(), flush=True)"
    with lock:
        child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
        time.sleep(1.0)
        released = time.time()
    try:
        got = float(child.stdout.readline())
    finally:
        child.wait(timeout=10)
        child.stdout.close()
    assert got >= released


def test_the_lock_file_is_for_its_owner_only_even_when_an_older_one_was_not(tmp_path):
    path = tmp_path / "connector.lock"
    path.touch(mode=0o644)
    path.chmod(0o644)
    with ProcessLock(path):
        assert oct(os.stat(path).st_mode & 0o777) == "0o600"
