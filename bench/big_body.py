"""A hostile body against the in-process server (issue 6, item 11).

    .venv/bin/python bench/big_body.py [--keys N] [--json-limit BYTES]

Posts a customer with N unknown keys (default 400,000: about 5 MB, under a raised JSON
limit) while another thread polls ``/healthz``, and prints: the answer's status, time and
size; how long ``/healthz`` took during it against an idle baseline measured
in the same run; and the time of a body over the default limit (refused before parsing).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from fastapi.testclient import TestClient  # noqa: E402

from lienthong.bootstrap import Suite  # noqa: E402
from lienthong.web.app import create_app  # noqa: E402
from lienthong.web.limits import BodyLimits  # noqa: E402

AUTH = {"Authorization": "Bearer bench-admin-token-0123456789", "Content-Type": "application/json"}


def healthz_times(client: TestClient, while_alive: threading.Thread | None, seconds: float = 1.0) -> list[float]:
    """How long each ``/healthz`` took, polled while ``while_alive`` runs (or for ``seconds``)."""
    times, end = [], time.monotonic() + seconds
    while while_alive.is_alive() if while_alive else time.monotonic() < end:
        start = time.monotonic()
        client.get("/healthz")
        times.append(time.monotonic() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keys", type=int, default=400_000)
    parser.add_argument("--json-limit", type=int, default=8 * 1024 * 1024)
    args = parser.parse_args()
    body = json.dumps({"code": "KH1", "name": "A", **{f"k{i}": 1 for i in range(args.keys)}}).encode()
    with tempfile.TemporaryDirectory() as data:
        suite = Suite.open(data_dir=data, admin_token=AUTH["Authorization"][7:])
        try:
            with TestClient(create_app(suite, BodyLimits(json=args.json_limit))) as client:
                idle = healthz_times(client, None)
                answer: dict = {}

                def post() -> None:
                    start = time.monotonic()
                    r = client.post("/api/v1/accounting/customers", content=body, headers=AUTH)
                    answer.update(status=r.status_code, seconds=time.monotonic() - start, size=len(r.content))

                worker = threading.Thread(target=post)
                worker.start()
                busy = healthz_times(client, worker)
                worker.join()
            with TestClient(create_app(suite, BodyLimits())) as client:
                start = time.monotonic()
                refused = client.post("/api/v1/accounting/customers", content=body, headers=AUTH)
                refused_seconds = time.monotonic() - start
        finally:
            suite.close()
    print(f"body: {len(body):,} bytes, {args.keys:,} unknown keys")
    print(f"answer: {answer['status']} in {answer['seconds']:.2f} s, {answer['size']:,} bytes")
    for label, times in (("idle baseline", idle), ("while it ran", busy)):
        print(f"/healthz {label}: {len(times)} answers, median {statistics.median(times) * 1000:.1f} ms, slowest {max(times) * 1000:.0f} ms")
    print(f"slowest /healthz while it ran / slowest idle: {max(busy) / max(idle):.1f}x")
    print(f"over the default 1 MiB limit: {refused.status_code} in {refused_seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
