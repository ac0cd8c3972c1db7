"""An app's contract with the connector: the events it tells (typed, past tense) and
the commands and queries it answers, each command bound to one of its own use cases.

An event is a Pydantic model named for what happened (``CustomerCreated``) with the
record's data as fields; a document's lines are a list of nested models, and money is
:data:`Money` (a ``Decimal``, carried as a string in JSON so no cent is lost). The
connector checks, when it starts, that every command, query and event its rulebook
names is in the contract of the app it names (:func:`check_names`): a typo fails at
start-up, not at the first change.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, PlainSerializer, ValidationError

from lienthong.kernel.auth import Principal
from lienthong.kernel.problems import ValidationProblem, pydantic_error

Money = Annotated[Decimal, PlainSerializer(lambda value: str(value), return_type=str, when_used="json")]
PAST_TENSE = re.compile(r"^[A-Z][A-Za-z]*[a-z](ed|Sent|Paid|Held)$")


class Event(BaseModel):
    """What happened to one record of ``kind``; the fields are its data then."""

    model_config = ConfigDict(extra="ignore")
    kind: ClassVar[str]

    id: int
    code: str | None = None

    @classmethod
    def type_name(cls) -> str:
        return cls.__name__


CONNECTOR = "connector"  # the role the connector acts with in every app (kernel.auth.Principal)


def connector_principal(tenant_id: str) -> Principal:
    """Who a command from the connector runs as: a principal of the tenant with the
    connector's own role, so the app's use case checks the connector's permissions
    (and its sharing rules) as it checks a person's."""
    return Principal(tenant_id=tenant_id, user_id=None, user_code=CONNECTOR, role=CONNECTOR)


@dataclass(frozen=True)
class Command:
    """A command the connector may send, bound to one named use case of the app's own
    service module, with its typed input: the arguments are validated by ``input``
    (the app's own field checks) before ``use_case(uow, principal, data, origin=...)``
    runs as the connector's principal. A refusal (bad input, the app's business check,
    a permission) is a :class:`~lienthong.kernel.problems.Problem` with the app's reason."""

    name: str
    use_case: Callable[..., dict]
    input: type[BaseModel]

    def run(self, uow, *, tenant_id: str, origin: str, args: dict) -> dict:
        try:
            data = self.input.model_validate(args)
        except ValidationError as exc:
            raise input_problem(exc) from None
        return self.use_case(uow, connector_principal(tenant_id), data, origin=origin)


def input_problem(exc: ValidationError) -> ValidationProblem:
    """A command's input refused by its model: a 422 naming each field and its reason."""
    raw = exc.errors()
    errors = [pydantic_error(".".join(str(part) for part in err["loc"] if part != "values"), err) for err in raw]
    return ValidationProblem("title.validation_detail", errors=errors, count=len(errors))


class ContractError(RuntimeError):
    """The rulebook names a command, query or event an app does not declare."""


@dataclass(frozen=True)
class Contract:
    app: str
    events: tuple[type[Event], ...] = ()
    commands: tuple[Command, ...] = ()
    queries: dict[str, Callable[..., Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        names = [c.name for c in self.commands]
        if len(names) != len(set(names)):
            raise ContractError(f"{self.app}: a command is declared twice")
        for event in self.events:
            if not PAST_TENSE.match(event.__name__):
                raise ContractError(f"{self.app}: event {event.__name__} is not named in the past tense")

    @property
    def handlers(self) -> dict[str, Command]:
        return {c.name: c for c in self.commands}

    def event_types(self) -> dict[str, type[Event]]:
        return {e.type_name(): e for e in self.events}


def check_names(app: str, *, declared_commands: set[str], declared_queries: set[str], declared_events: set[tuple[str, str]] | None, commands: set[str], queries: set[str], events: set[tuple[str, str]]) -> None:
    """Raise :class:`ContractError` naming everything the rulebook asks of ``app`` that
    ``app`` does not declare. ``events`` are ``(kind, verb)`` pairs; ``declared_events``
    None: the app's events are not known here (it lives in another server)."""
    missing = [f"command {n}" for n in sorted(commands - declared_commands)]
    missing += [f"query {n}" for n in sorted(queries - declared_queries)]
    if declared_events is not None:
        missing += [f"event {kind} {verb}" for kind, verb in sorted(events - declared_events)]
    if missing:
        raise ContractError(f"{app} does not declare what the rulebook names: {', '.join(missing)}")
