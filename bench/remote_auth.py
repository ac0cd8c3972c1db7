"""What it costs a server without the system app to ask who a token is on every request.

    .venv/bin/python bench/remote_auth.py [--requests N]

Starts three ``lienthong serve`` processes on free ports: ``system`` alone, ``crm``
alone (asking the first for every token, no cache), and ``system,crm`` together (the
baseline: the token is resolved in process). Then times N sequential
``GET /api/v1/crm/customers?limit=1`` on each CRM server over one kept-alive
connection, after a warm-up, and prints median and p95 latencies and their ratio.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ADMIN = "bench-admin-token-0123456789abcdef"
ENV = {**os.environ, "LIENTHONG_ADMIN_TOKEN": ADMIN, "LIENTHONG_CONNECTOR_TOKEN": "bench-connector-token-0123456789"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(data: Path, port: int, *args: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "lienthong.cli", "serve", "--port", str(port), "--data", str(data), "--connector", "thread", *args]
    return subprocess.Popen(cmd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_ready(url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"{url} exited with {proc.returncode}"
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{url} did not start")


def timings(url: str, n: int) -> list[float]:
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {ADMIN}"}) as c:
        for _ in range(50):
            c.get("/api/v1/crm/customers", params={"limit": 1}).raise_for_status()
        out = []
        for _ in range(n):
            start = time.perf_counter()
            c.get("/api/v1/crm/customers", params={"limit": 1}).raise_for_status()
            out.append((time.perf_counter() - start) * 1000)
        return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    n = parser.parse_args().requests
    procs: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            p_sys, p_crm, p_both = free_port(), free_port(), free_port()
            procs.append(serve(Path(tmp) / "system", p_sys, "--only", "system"))
            procs.append(serve(Path(tmp) / "crm", p_crm, "--only", "crm", "--peer", f"system=http://127.0.0.1:{p_sys}"))
            procs.append(serve(Path(tmp) / "both", p_both, "--only", "system,crm"))
            urls = {"remote": f"http://127.0.0.1:{p_crm}", "local": f"http://127.0.0.1:{p_both}"}
            wait_ready(f"http://127.0.0.1:{p_sys}", procs[0])
            for url, proc in zip(urls.values(), procs[1:]):
                wait_ready(url, proc)
            local = timings(urls["local"], n)
            remote = timings(urls["remote"], n)
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                proc.wait(timeout=20)
    med_l, med_r = statistics.median(local), statistics.median(remote)
    p95_l, p95_r = statistics.quantiles(local, n=20)[-1], statistics.quantiles(remote, n=20)[-1]
    print(f"GET /api/v1/crm/customers?limit=1, {n} sequential requests each")
    print(f"  token resolved in process (baseline): median {med_l:.2f} ms, p95 {p95_l:.2f} ms")
    print(f"  token asked of the system server:     median {med_r:.2f} ms, p95 {p95_r:.2f} ms")
    print(f"  ratio remote/local: median {med_r / med_l:.2f}x, p95 {p95_r / p95_l:.2f}x (+{med_r - med_l:.2f} ms per request)")


if __name__ == "__main__":
    main()
