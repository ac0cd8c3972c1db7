"""Start-up: the administrator's token and the data folder's permissions (issue 6, item 8)."""

from __future__ import annotations

import os
import stat

import pytest
from typer.testing import CliRunner

from lienthong.bootstrap import Suite
from lienthong.cli import app
from lienthong.kernel.problems import ValidationProblem
from lienthong.kernel.unit_of_work import UnitOfWork
from lienthong.sync.locking import ProcessLock
from lienthong.sync.worker import lock_path
from lienthong.system.schemas import EmployeeCreate
from lienthong.system.employees import create_employee

LONG = "a-long-enough-admin-token-0123"


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_short_admin_token_is_refused_before_anything_is_made(tmp_path):
    with pytest.raises(ValidationProblem) as caught:
        Suite.open(data_dir=tmp_path / "data", admin_token="x" * 23)
    assert caught.value.detail("en") == "LIENTHONG_ADMIN_TOKEN is too short: at least 24 characters are needed (it has 23)."
    assert not (tmp_path / "data" / "system.sqlite3").exists()


def test_serve_with_a_short_admin_token_exits_with_the_reason(tmp_path):
    # an address nobody can bind: were the token accepted, serve would fail there instead of serving
    result = CliRunner().invoke(app, ["serve", "--host", "192.0.2.1", "--data", str(tmp_path / "data"), "--connector", "thread"], env={"LIENTHONG_ADMIN_TOKEN": "abc", "COLUMNS": "300"})
    assert result.exit_code == 2
    assert "LIENTHONG_ADMIN_TOKEN quá ngắn: cần ít nhất 24 ký tự (đang có 3)." in result.output
    assert not (tmp_path / "data" / "system.sqlite3").exists()


def test_the_admin_token_is_to_be_shown_only_when_it_was_generated(tmp_path, monkeypatch):
    monkeypatch.delenv("LIENTHONG_ADMIN_TOKEN", raising=False)
    chosen = Suite.open(data_dir=tmp_path / "chosen", admin_token=LONG)
    try:
        assert chosen.admin_token is None
        assert chosen.authenticate(LONG).role == "admin"
    finally:
        chosen.close()
    generated = Suite.open(data_dir=tmp_path / "generated")
    try:
        assert generated.authenticate(generated.admin_token).role == "admin"
    finally:
        generated.close()


@pytest.mark.skipif(bool(os.environ.get("LIENTHONG_TEST_DATABASE_URL")), reason="SQLite files only")
def test_the_data_folder_is_0700_and_every_file_in_it_0600(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    (data / "connector.lock").touch(mode=0o644)  # left by an older version
    old = os.umask(0o022)
    try:
        suite = Suite.open(data_dir=data, admin_token=LONG)
        try:
            admin = suite.authenticate(LONG)
            with UnitOfWork(suite.databases["system"]) as uow:
                create_employee(uow=uow, principal=admin, data=EmployeeCreate(code="NV01", name="Hồ Trang"))
            with ProcessLock(lock_path(data)):
                files = sorted(p.name for p in data.iterdir())
                modes = {name: oct(_mode(data / name)) for name in files}
        finally:
            suite.close()
    finally:
        os.umask(old)
    assert oct(_mode(data)) == "0o700"
    assert {"system.sqlite3", "system.sqlite3-wal", "system.sqlite3-shm", "connector.lock", "connector.token"} <= set(files)
    assert modes == dict.fromkeys(files, "0o600")
