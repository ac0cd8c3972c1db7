"""Settings from the environment (``LIENTHONG_*``, listed in the README), read with
pydantic-settings.

:func:`settings` reads the environment when it is called, never at import time, so a
command or a test that sets a variable is seen. A value that is not of its type is
refused with a :class:`~lienthong.kernel.problems.Problem` naming the variable.
(``LIENTHONG_DATABASE_URL``, ``LIENTHONG_LANG`` and ``LIENTHONG_TOKEN`` are options of
the command line, read by Typer.)
"""

from __future__ import annotations

from pydantic import ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from lienthong.kernel.problems import Problem

PREFIX = "LIENTHONG_"
MIB = 1024 * 1024


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=PREFIX, extra="ignore")

    admin_token: str | None = None  # the first administrator's token (else one is generated)
    connector_token: str | None = None  # shared by separate servers (else kept in the data folder)
    busy_timeout: float = 30.0  # seconds a write waits for the database's write lock
    max_json_bytes: int = 1 * MIB
    max_upload_bytes: int = 32 * MIB
    log_level: str = "warning"  # uvicorn's


class BadSetting(Problem):
    type_slug = "bad-setting"


def settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        name = f"{PREFIX}{exc.errors()[0]['loc'][0]}".upper()
        raise BadSetting("settings.invalid", name=name, value=exc.errors()[0]["input"]) from None
