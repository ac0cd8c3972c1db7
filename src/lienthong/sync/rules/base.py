"""The shape of a rule declaration, and what a rule's decision is made of.

A rule is data: its ID, what it says (Vietnamese and English), which events it
answers (source app, kinds, event verbs), a condition, and what it does. The engine
picks, per target app, the first declared rule whose condition holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lienthong.kernel.i18n import Term, t


@dataclass(frozen=True)
class Rule:
    id: str
    vi: str  # the rule, as the rulebook states it
    en: str
    applied_vi: str = ""  # the log's reason when it applies ({code}, {target_code}, ... filled in)
    applied_en: str = ""
    skipped_vi: str = ""  # the log's reason when it skips
    skipped_en: str = ""
    source: str | tuple[str, ...] | None = None
    target: str | None = None  # None: the other app of the connection
    kinds: tuple[str, ...] = ()
    verbs: tuple[str, ...] = ()  # Created / Updated / Deleted
    when: Callable[[Any], bool] | None = None
    then: Callable[[Any], list] | None = None  # None: the rule skips
    needs_connection: bool = True
    # further reasons the log may give, by name: {name: (vi, en)}; a decision names one
    # when the rule's own applied/skipped text would not be true of it
    reasons: dict[str, tuple[str, str]] = field(default_factory=dict, compare=False)

    @property
    def family(self) -> str:
        return self.id.rsplit("-", 1)[0]

    def reason(self, outcome: str, named: str | None = None, **params: Any) -> tuple[str, str]:
        if named is not None:
            vi, en = self.reasons[named]
        else:
            vi, en = (self.skipped_vi, self.skipped_en) if outcome == "skipped" else (self.applied_vi, self.applied_en)
        return _fill(vi or self.vi, params, "vi"), _fill(en or self.en, params, "en")

    def answers(self, source: str, kind: str, verb: str) -> bool:
        sources = self.source if isinstance(self.source, tuple) else (self.source,)
        return source in sources and kind in self.kinds and verb in self.verbs


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
