"""What the process app tells the others: its copies of system's users."""

from __future__ import annotations

from typing import ClassVar

from lienthong.kernel.contracts import Event

USER = "User"


class UserCreated(Event):
    kind: ClassVar[str] = "users"
    name: str | None = None
    email: str | None = None
    role: str | None = None
    active: bool = True
    employee_code: str | None = None


class UserUpdated(UserCreated):
    pass


EVENTS = (UserCreated, UserUpdated)
