"""Request and response shapes of the process app."""

from __future__ import annotations

from lienthong.kernel.schemas import Output


class UserRead(Output):
    id: int
    code: str
    name: str
    email: str | None
    role: str
    active: bool
    employee_code: str | None
