"""Settings from the environment (kernel.settings, on pydantic-settings since issue 7):
the variables the README documents, their defaults, and a value of the wrong type
refused with a reason naming the variable."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from lienthong.bootstrap import Suite
from lienthong.cli import app
from lienthong.kernel.db import busy_timeout
from lienthong.kernel.settings import BadSetting, settings
from lienthong.web.limits import BodyLimits

VARIABLES = ("ADMIN_TOKEN", "CONNECTOR_TOKEN", "BUSY_TIMEOUT", "MAX_JSON_BYTES", "MAX_UPLOAD_BYTES", "LOG_LEVEL")
LONG = "settings-test-admin-token-0123456789"


@pytest.fixture
def clean_env(monkeypatch):
    for name in VARIABLES:
        monkeypatch.delenv(f"LIENTHONG_{name}", raising=False)
    return monkeypatch


def test_the_defaults_when_nothing_is_set(clean_env):
    found = settings()
    assert (found.admin_token, found.connector_token) == (None, None)
    assert busy_timeout() == 30.0
    assert BodyLimits.from_env() == BodyLimits(json=1024 * 1024, upload=32 * 1024 * 1024)
    assert found.log_level == "warning"


def test_each_documented_variable_is_read_when_asked(clean_env):
    clean_env.setenv("LIENTHONG_BUSY_TIMEOUT", "1.5")
    clean_env.setenv("LIENTHONG_LOG_LEVEL", "info")
    clean_env.setenv("LIENTHONG_CONNECTOR_TOKEN", "connector-secret")
    assert busy_timeout() == 1.5
    assert settings().log_level == "info"
    assert settings().connector_token == "connector-secret"


def test_the_tokens_reach_the_suite(clean_env, tmp_path):
    clean_env.setenv("LIENTHONG_ADMIN_TOKEN", LONG)
    clean_env.setenv("LIENTHONG_CONNECTOR_TOKEN", "connector-secret")
    suite = Suite.open(data_dir=tmp_path / "data")
    try:
        assert suite.authenticate(LONG).role == "admin"
        assert suite.connector_token == "connector-secret"
    finally:
        suite.close()


def test_a_value_of_the_wrong_type_is_refused_naming_the_variable(clean_env):
    clean_env.setenv("LIENTHONG_BUSY_TIMEOUT", "nửa phút")
    with pytest.raises(BadSetting) as caught:
        settings()
    assert caught.value.detail("vi") == "Biến môi trường LIENTHONG_BUSY_TIMEOUT có giá trị không hợp lệ: nửa phút"
    assert caught.value.detail("en") == "The environment variable LIENTHONG_BUSY_TIMEOUT has an invalid value: nửa phút"


def test_serve_with_a_bad_setting_exits_with_the_reason_before_anything_is_made(clean_env, tmp_path):
    result = CliRunner().invoke(
        app,
        ["serve", "--host", "192.0.2.1", "--data", str(tmp_path / "data"), "--connector", "thread", "--lang", "en"],
        env={"LIENTHONG_MAX_JSON_BYTES": "1 MiB", "COLUMNS": "300"},
    )
    assert result.exit_code == 2
    assert "The environment variable LIENTHONG_MAX_JSON_BYTES has an invalid value: 1 MiB" in result.output
    assert not (tmp_path / "data" / "system.sqlite3").exists()
