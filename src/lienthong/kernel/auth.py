"""Tokens, roles and the principal a request acts as.

A token belongs to one user of one tenant. The web layer resolves it (through the
``system`` app) to a :class:`Principal` and hands that to the use cases, which
scope every query by ``principal.tenant_id``.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from lienthong.kernel.i18n import term
from lienthong.kernel.problems import Forbidden

ROLES = ("admin", "manager", "sales", "accountant")
# Who may list and read users, in system and in the apps' copies: administrators, and
# managers (they hand customers over between owners). Anybody may read themself.
USER_READERS = ("manager",)


@dataclass(frozen=True)
class Principal:
    tenant_id: str
    user_id: int | None
    user_code: str
    role: str

    @property
    def is_connector(self) -> bool:
        return self.role == "connector"


def new_token() -> str:
    return "lt_" + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def require_role(principal: Principal, *roles: str, reason: str = "forbidden_role") -> None:
    """Refuse (403) unless the principal has one of ``roles`` (admin always may);
    ``reason`` is the message key that says who may (see ``kernel.i18n``)."""
    if principal.role == "admin" or principal.role in roles:
        return
    raise Forbidden(reason, role=term(f"role.{principal.role}"))
