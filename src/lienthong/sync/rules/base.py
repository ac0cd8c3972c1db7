"""The rule language: what a rule declaration is made of, and what its decisions are.

A rule is data, read by one interpreter (:mod:`lienthong.sync.engine`) for live
changes and, in bulk, for the first sync:

- ``id``, what it says (``vi``/``en``) and the reasons the log gives (``applied``,
  ``skipped`` and named ones, ``{code}`` and the like filled in when read);
- ``on``: the event it answers (source app, kinds, verbs);
- ``target``: the app it acts in (None: the other app of the connection);
- ``when``: guards that must all hold for the rule to answer; ``skip_when``: guards
  under which it answers by skipping (with its skipped reason);
- ``action``: ``create``, ``update``, ``keep`` (update the linked record, else create
  it: a catalog kept alike both ways), ``keep_parts`` (a one-to-many record kept by its
  target's part commands: each part upserted, a part gone marked inactive), ``delete``,
  ``set_status``, ``link`` or ``skip``;
- ``fields``: the field map (copies, renames, value maps, converters, constants,
  records brought ``along`` first, values looked up in the target);
- ``into``: which kind of the target the record becomes;
- ``remarks``: other rules the decision also logs when their guard holds;
- ``cardinality``: ``one`` (one counterpart) or ``many`` (one per part: ``parts``
  gives the record's parts, ``part_key`` names the value that keys each);
- ``after``: the rules that win over it when both could answer the same event.

Guards come from a small vocabulary (:func:`linked`, :func:`not_linked`,
:func:`same_code`, :func:`same_code_unlinked`, :func:`code_taken`, :func:`changed`, :func:`status_in`,
:func:`edited`, :func:`deleted`, :func:`merged`, :func:`any_of`, :func:`all_of`, :func:`not_`); each has words for the
rulebook. A guard of ``skip_when`` may name the rule's reason it skips with (:func:`because`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from lienthong.kernel.i18n import Term, t

ACTIONS = ("create", "update", "keep", "keep_parts", "delete", "set_status", "link", "skip")
VERBS = ("Created", "Updated", "Deleted")
MERGED = "Merged"  # a record merged (Gộp) into another, then deleted: only catalogs that merge tell it
EVENT_VERBS = (*VERBS, MERGED)
# the nouns of the commands an app accepts for a kind: create_customer, update_contact, ...
NOUNS = {"customers": "customer", "contacts": "contact", "customer-groups": "customer_group", "employees": "employee", "users": "user",
         "products": "product", "product-groups": "product_group", "price-policies": "price_policy"}


@dataclass(frozen=True)
class On:
    """The event a rule answers: a change of one of ``kinds`` in ``app``, of one of ``verbs``."""

    app: str | tuple[str, ...]
    kinds: tuple[str, ...]
    verbs: tuple[str, ...]

    @property
    def apps(self) -> tuple[str, ...]:
        return self.app if isinstance(self.app, tuple) else (self.app,)

    def answers(self, source: str, kind: str, verb: str) -> bool:
        return source in self.apps and kind in self.kinds and verb in self.verbs


@dataclass(frozen=True)
class Guard:
    """A condition from the vocabulary: ``test(ctx, target)``; ``words`` for the rulebook."""

    words: str
    test: Callable[[Any, str], bool] = field(compare=False)
    finds: bool = False  # asks the target for a record of the same code (its find_<noun> query)
    reason: str | None = None  # in ``skip_when``: the rule's named reason the skip gives

    def __call__(self, ctx, target: str) -> bool:
        return self.test(ctx, target)


def linked() -> Guard:
    return Guard("linked", lambda ctx, target: ctx.link(target) is not None)


def not_linked() -> Guard:
    return Guard("not linked", lambda ctx, target: ctx.link(target) is None)


def merged_away() -> Guard:
    """Not linked, but its counterpart was merged into another record of the target (a customer merge)."""
    return Guard("its counterpart was merged away", lambda ctx, target: ctx.link(target) is None and ctx.merged_into(target) is not None)


def same_code() -> Guard:
    """The target has a record of the kind this one becomes with the same code."""
    return Guard("same code exists", lambda ctx, target: ctx.same_code(target) is not None, finds=True)


def same_code_unlinked() -> Guard:
    """... and that record is linked to no record of the source app."""
    return Guard("same code exists, unlinked", lambda ctx, target: ctx.same_code_unlinked(target) is not None, finds=True)


def code_taken() -> Guard:
    """The target has a record of the same code that is not this record's counterpart."""

    def test(ctx, target: str) -> bool:
        found = ctx.same_code(target)
        return found is not None and (ctx.link(target) or (None, None))[1] != found["id"]

    return Guard("another record has the same code", test, finds=True)


def changed(*names: str) -> Guard:
    return Guard(f"changed: {', '.join(names)}", lambda ctx, target: any(n in ctx.changed for n in names))


def status_in(*statuses: str) -> Guard:
    return Guard(f"status in {', '.join(statuses)}", lambda ctx, target: ctx.data.get("status") in statuses)


def edited() -> Guard:
    """The record was edited (an Updated event)."""
    return Guard("edited", lambda ctx, target: ctx.verb == "Updated")


def not_(guard: Guard) -> Guard:
    return Guard(f"not ({guard.words})", lambda ctx, target: not guard(ctx, target), finds=guard.finds)


def deleted() -> Guard:
    return Guard("deleted", lambda ctx, target: ctx.verb == "Deleted")


def merged() -> Guard:
    """The record was merged (Gộp) into another."""
    return Guard("merged", lambda ctx, target: ctx.verb == MERGED)


def into_kind(kind: str) -> Guard:
    """The record becomes a ``kind`` of the target."""
    return Guard(f"becomes {kind}", lambda ctx, target: ctx.into_kind == kind)


def any_of(*guards: Guard) -> Guard:
    return Guard(" or ".join(g.words for g in guards), lambda ctx, target: any(g(ctx, target) for g in guards), finds=any(g.finds for g in guards))


def all_of(*guards: Guard) -> Guard:
    return Guard(" and ".join(g.words for g in guards), lambda ctx, target: all(g(ctx, target) for g in guards), finds=any(g.finds for g in guards))


def because(guard: Guard, reason: str) -> Guard:
    """``guard`` in a rule's ``skip_when``, skipping with the rule's ``reason``."""
    return replace(guard, reason=reason)


@dataclass(frozen=True)
class Into:
    """Which kind of the target a record becomes: ``kind``, or ``when_true`` when the
    record's ``flag`` is set (an individual customer becomes a contact)."""

    kind: str
    flag: str | None = None
    when_true: str | None = None

    def of(self, data: dict) -> str:
        return self.when_true if self.flag and data.get(self.flag) else self.kind

    @property
    def kinds(self) -> tuple[str, ...]:
        return (self.kind,) + ((self.when_true,) if self.when_true else ())


@dataclass(frozen=True)
class Along:
    """A referenced record brought first (a customer's group): the source record's ``source`` (a
    nested record) becomes the target's ``field`` (an id of the target's own record of
    ``kind``): through its link, a record of the same code (linked, logged by ``rule``),
    or created with ``fields`` (its ``query`` finds by code). Only for records becoming
    one of ``into`` (None: any), and on updates only when one of ``changed`` changed."""

    field: str
    kind: str
    source: str
    fields: tuple[str, ...]
    query: str
    rule: Rule
    changed: tuple[str, ...] = ()
    into: tuple[str, ...] | None = None
    reason: str | None = None  # one of ``rule``'s named reasons, instead of its applied text


@dataclass(frozen=True)
class Nested:
    """A list of nested records (a policy's ``items``) each referring to a record of ``kind``
    by ``id_field``: the target gets each with that id mapped through the links to its own
    record's id, and the values ``keep``. A nested record whose referenced record has no
    counterpart in the target is left out, and the decision logs it under the deciding
    rule's named ``reason`` (with the referenced record's ``code_field``)."""

    field: str
    id_field: str
    kind: str
    code_field: str
    keep: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Lookup:
    """A target value asked of the target app (the owner from the salesperson):
    ``query`` with the record's ``key`` gives a row whose ``take`` is ``field``. Found
    and usable, ``found`` is logged; else the value is empty and ``missing`` is logged
    (``blank`` when the record has no key). Only when creating if ``on_create``."""

    field: str
    query: str
    key: str
    take: str
    found: Rule
    missing: Rule
    blank: Rule
    usable: Callable[[dict], bool] = field(default=lambda row: True, compare=False)
    on_create: bool = True


@dataclass(frozen=True)
class FieldMap:
    """How a source record's values become the target's."""

    copy: tuple[str, ...] = ()  # same name on both sides
    rename: dict[str, str] = field(default_factory=dict)  # source name -> target name
    value_map: dict[str, dict] = field(default_factory=dict)  # target name -> {source value: target value}
    convert: dict[str, Callable[[Any], Any]] = field(default_factory=dict)  # target name -> converter
    constants: dict[str, Any] = field(default_factory=dict)  # target name -> value, when creating
    on_delete: dict[str, Any] = field(default_factory=dict)  # target name -> value, for a Deleted event
    along: tuple[Along, ...] = ()
    lookups: tuple[Lookup, ...] = ()
    nested: tuple[Nested, ...] = ()

    @cached_property
    def sources(self) -> dict[str, str]:
        """{target name: source name} of the fields taken from the record (a mapped or
        converted field not renamed keeps its name); worked out once."""
        out = {f: f for f in (*self.copy, *self.value_map, *self.convert)}
        return out | {v: k for k, v in self.rename.items()}


def along(kind: str, *, field: str, source: str, fields: tuple[str, ...], query: str, rule: Rule, changed: tuple[str, ...] = (), into: tuple[str, ...] | None = None, reason: str | None = None) -> Along:
    return Along(field, kind, source, fields, query, rule, changed, into, reason)


@dataclass(frozen=True)
class Remark:
    """Another rule the decision logs when ``when`` holds; ``params``: {name: source field}."""

    rule: Rule
    outcome: str
    when: Guard
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    id: str
    vi: str  # the rule, as the rulebook states it
    en: str
    applied_vi: str = ""  # the log's reason when it applies ({code}, {target_code}, ... filled in)
    applied_en: str = ""
    skipped_vi: str = ""  # the log's reason when it skips
    skipped_en: str = ""
    on: On | None = None
    target: str | None = None  # None: the other app of the connection
    when: tuple[Guard, ...] = ()
    skip_when: tuple[Guard, ...] = ()
    # ``keep``: guards under which the record is linked to the target's unlinked record of
    # the same code, which is updated (a former counterpart is unlinked and keeps its data)
    link_when: tuple[Guard, ...] = ()
    action: str = "skip"
    fields: FieldMap | None = None
    into: Into | None = None
    only_changed: bool = False  # an update of an Updated event sends only the changed fields
    or_create: bool = False  # an update creates the copy when there is none (copies of system records)
    remarks: tuple[Remark, ...] = ()
    cardinality: str = "one"  # one | many (one counterpart per part)
    # when ``many``: the record's parts (each a dict of values for the field map) and
    # the name of the value that keys a part (a product group's code)
    parts: Callable[[dict], list[dict]] | None = field(default=None, compare=False)
    part_key: str | None = None
    part_args: tuple[str, ...] = ()  # ``keep_parts``: the values that name a part, sent beside ``values``
    after: tuple[Rule, ...] = ()  # rules tried first when both could answer an event
    needs_connection: bool = True
    # further reasons the log may give, by name: {name: (vi, en)}; a decision names one
    # when the rule's own applied/skipped text would not be true of it
    reasons: dict[str, tuple[str, str]] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"{self.id}: unknown action {self.action!r}")
        many = self.cardinality == "many"
        if self.cardinality not in ("one", "many") or many != (self.part_key is not None) or many != (self.parts is not None):
            raise ValueError(f"{self.id}: a rule of cardinality 'many' names its parts and their key, and only it")

    @property
    def family(self) -> str:
        return self.id.rsplit("-", 1)[0]

    # the event, as the CLI and the rulebook print it
    @property
    def source(self) -> str | tuple[str, ...] | None:
        return self.on.app if self.on else None

    @property
    def kinds(self) -> tuple[str, ...]:
        return self.on.kinds if self.on else ()

    @property
    def verbs(self) -> tuple[str, ...]:
        return self.on.verbs if self.on else ()

    def reason(self, outcome: str, named: str | None = None, **params: Any) -> tuple[str, str]:
        if named is not None:
            vi, en = self.reasons[named]
        else:
            vi, en = (self.skipped_vi, self.skipped_en) if outcome == "skipped" else (self.applied_vi, self.applied_en)
        return _fill(vi or self.vi, params, "vi"), _fill(en or self.en, params, "en")

    def answers(self, source: str, kind: str, verb: str) -> bool:
        return self.on is not None and self.on.answers(source, kind, verb)


@dataclass(frozen=True)
class Bulk:
    """A catalog the first sync carries in ``step``: every record of ``kind`` in
    ``source`` into ``target``, by the same field map and ``into`` as the live rules,
    logged under ``rule``. A record already linked is updated; one whose code the target
    has is linked to it and updated (the source wins), or only linked when ``update``
    is False (the pass back, after the other side's pass: ``reverse``, which leaves out
    what that pass matched); the rest are created. ``copies``: the target keeps a copy
    (its ``upsert_`` command), as for system's people. The pass runs when the connection
    has one of ``needs`` (empty: always)."""

    rule: Rule
    step: int
    source: str
    kind: str
    target: str
    fields: FieldMap
    into: Into
    needs: tuple[str, ...] = ()
    update: bool = True
    reverse: bool = False
    copies: bool = False


def _fill(template: str, params: dict, lang: str) -> str:
    """The template with its params; a :class:`~lienthong.kernel.i18n.Term` param (a record's
    kind, an outcome) is rendered in the template's language."""
    try:
        return template.format(**{k: ("—" if v is None or v == "" else t(v, lang) if isinstance(v, Term) else v) for k, v in params.items()})
    except (KeyError, IndexError):
        return template


@dataclass
class Note:
    """A decision that needs no command (a skip, or a remark beside an applied change)."""

    rule: Rule
    outcome: str  # applied | skipped
    target: str | None = None
    target_kind: str | None = None
    target_id: int | None = None
    target_code: str | None = None
    params: dict = field(default_factory=dict)
    link: bool = False  # record a link source <-> target_id (a match by code that a rule allows)
    link_source: tuple[str, str, int] | None = None  # (app, kind, id) when not the change's own record
    reason: str | None = None  # one of the rule's named reasons, instead of its applied/skipped text
    part: str = ""  # the part of the source record the link is for ("" the whole record)


@dataclass
class Action:
    """A command for a target app; on success the decision is logged as applied and,
    if ``link`` is set, the source record is linked to the record the command made."""

    rule: Rule
    target: str
    target_kind: str
    command: str
    key: str
    args: dict
    params: dict = field(default_factory=dict)
    link: bool = False
    link_source: tuple[str, str, int] | None = None
    notes: list[Note] = field(default_factory=list)  # remarks logged once the command succeeded
    reason: str | None = None  # one of the rule's named reasons, instead of its applied text
    part: str = ""  # the part of the source record the link is for ("" the whole record)
