"""Who a token is, for a server that hosts no system app: it asks the system app's
server (``GET /api/v1/system/me``) on every request.

Nothing is cached, so a deleted user, a deactivated user or a revoked token is refused
on the very next request on every server. A kept-alive connection keeps the question
cheap (see ``bench/remote_auth.py``).
"""

from __future__ import annotations

import httpx

from lienthong.kernel.auth import Principal
from lienthong.kernel.i18n import term
from lienthong.kernel.problems import Unauthorized, Unavailable


class RemoteIdentity:
    def __init__(self, system_url: str, timeout: float = 5.0):
        self._client = httpx.Client(base_url=system_url.rstrip("/"), timeout=timeout)

    def __call__(self, token: str) -> Principal:
        try:
            response = self._client.get("/api/v1/system/me", headers={"Authorization": f"Bearer {token}"})
        except httpx.HTTPError as exc:
            raise Unavailable("peer.unreachable", app=term("app.system"), detail=str(exc) or exc.__class__.__name__) from None
        if response.status_code == 401:
            raise Unauthorized("unauthorized")
        if response.status_code != 200:
            raise Unavailable("peer.unreachable", app=term("app.system"), detail=f"HTTP {response.status_code}")
        me = response.json()
        return Principal(tenant_id=me["tenant_id"], user_id=me["id"], user_code=me["code"], role=me["role"])

    def close(self) -> None:
        self._client.close()
