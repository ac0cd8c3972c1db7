"""``lienthong serve`` as a user starts it, in a real process: it binds its port before it
makes an installation or prints a token, and prints the token whole on its own line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest

from tests.conftest import PG_URL

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="serve opens the data folder's SQLite files")


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("LIENTHONG_ADMIN_TOKEN", "LIENTHONG_DATABASE_URL", "LIENTHONG_LANG")}
    return {**env, "PYTHONUNBUFFERED": "1", "COLUMNS": "40"}


def _serve(data, port: int, *more: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "lienthong.cli", "serve", "--port", str(port), "--data", str(data), "--connector", "thread", *more]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())


@pytest.fixture
def busy_port():
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        yield held.getsockname()[1]


def test_serve_on_a_busy_port_fails_at_once_creating_nothing_and_printing_no_token(tmp_path, busy_port):
    data = tmp_path / "data"
    process = _serve(data, busy_port, "--lang", "en")
    try:
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 1
    assert err.strip() == f"Cannot listen on 127.0.0.1:{busy_port}: the port is in use. Choose another port with --port."
    assert out == ""
    assert not data.exists()


def test_serve_on_a_busy_port_says_so_in_vietnamese_by_default(tmp_path, busy_port):
    process = _serve(tmp_path / "data", busy_port)
    try:
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert err.strip() == f"Không mở được cổng 127.0.0.1:{busy_port}: cổng đang được dùng. Hãy chọn cổng khác bằng --port."


def test_serve_prints_the_first_admin_token_whole_on_its_own_line(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = _serve(tmp_path / "data", port)
    try:
        lines = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(line.startswith("lienthong") for line in lines):
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
        label = lines.index("Mã truy cập của quản trị viên (chỉ hiện một lần):")
        token = lines[label + 1]
        for _ in range(100):  # the server answers once uvicorn has started
            try:
                me = httpx.get(f"http://127.0.0.1:{port}/api/v1/system/me", headers={"Authorization": f"Bearer {token}"}, timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert me.json()["code"] == "admin"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
