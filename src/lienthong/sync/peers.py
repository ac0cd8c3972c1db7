"""How the connector reaches an app: in the same process, or over HTTP.

Both kinds offer the same four calls, so the engine is the same code either way.
Over HTTP an app that does not answer raises :class:`PeerUnavailable`, and the
connector keeps its changes queued until it is back.
"""

from __future__ import annotations

from typing import Any

import httpx

from lienthong.kernel.port import AppPort


class PeerUnavailable(Exception):
    def __init__(self, app: str, detail: str):
        super().__init__(f"{app}: {detail}")
        self.app = app
        self.detail = detail


class LocalPeer:
    mode = "in-process"

    def __init__(self, port: AppPort):
        self.name = port.name
        self.port = port
        self.url = None
        self.events = port.events  # the app's declared event models (the relay checks each event)

    def contract(self) -> dict:
        return self.port.names()

    def events_after(self, after: int, limit: int) -> dict:
        return self.port.events_after(after, limit)

    def count_after(self, after: int, tenant_id: str | None = None) -> int:
        return self.port.count_after(after, tenant_id)

    def apply(self, tenant_id: str, source_app: str, commands: list[dict]) -> list[dict]:
        return self.port.apply(tenant_id, source_app, commands)

    def query(self, tenant_id: str, name: str, **params: Any) -> Any:
        return self.port.query(tenant_id, name, params)


class HttpPeer:
    """An app running as its own server, reached at ``url`` with the connector token."""

    mode = "http"

    def __init__(self, name: str, url: str, token: str, timeout: float = 10.0, events: tuple = ()):
        self.name = name
        self.url = url.rstrip("/")
        self.events = events  # the app's declared event models, from its contract in this code
        self._client = httpx.Client(base_url=f"{self.url}/api/v1/{name}/_connector", headers={"Authorization": f"Bearer {token}"}, timeout=timeout)

    def _call(self, method: str, path: str, **kwargs) -> Any:
        try:
            response = self._client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise PeerUnavailable(self.name, str(exc) or exc.__class__.__name__) from None
        if response.status_code >= 500 or response.status_code in (401, 404):
            raise PeerUnavailable(self.name, f"HTTP {response.status_code}")
        response.raise_for_status()
        return response.json()

    def contract(self) -> dict:
        """The names the app declares (its port's ``/contract``)."""
        return self._call("GET", "/contract")

    def events_after(self, after: int, limit: int) -> dict:
        return self._call("GET", "/events", params={"after": after, "limit": limit})

    def count_after(self, after: int, tenant_id: str | None = None) -> int:
        params = {"after": after, **({"tenant_id": tenant_id} if tenant_id is not None else {})}
        return self._call("GET", "/events/count", params=params)["count"]

    def apply(self, tenant_id: str, source_app: str, commands: list[dict]) -> list[dict]:
        body = {"tenant_id": tenant_id, "source_app": source_app, "commands": commands}
        return self._call("POST", "/apply", json=body)["results"]

    def query(self, tenant_id: str, name: str, **params: Any) -> Any:
        return self._call("POST", "/query", json={"tenant_id": tenant_id, "name": name, "params": params})["result"]

    def close(self) -> None:
        self._client.close()
