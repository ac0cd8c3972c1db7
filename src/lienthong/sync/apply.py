"""Step 3, apply: send each decided change's commands to its target apps, one call
per (target app, tenant, source app), in order; a replayed key returns its stored outcome."""

from __future__ import annotations

from collections import defaultdict

from lienthong.kernel.i18n import both, term
from lienthong.sync.decisions import load
from lienthong.sync.peers import PeerUnavailable
from lienthong.sync.rules import Action
from lienthong.sync.tables import Change


class Apply:
    """The connector's apply step (mixed into :class:`~lienthong.sync.delivery.Connector`)."""

    def _apply(self, changes: list[Change]) -> dict:
        """Send every change's commands, one call per (target app, tenant), in order."""
        calls: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for change in changes:
            for d in load(change.decision, self._rules_by_id):
                if isinstance(d, Action):
                    calls[(d.target, change.tenant_id)].append({"name": d.command, "key": d.key, "args": d.args, "_source": change.source_app})
        results: dict[str, dict] = {}
        for (target, tenant), commands in calls.items():
            by_source: dict[str, list[dict]] = defaultdict(list)
            for cmd in commands:
                by_source[cmd.pop("_source")].append(cmd)
            for source, cmds in by_source.items():
                try:
                    if not self._contract_checked(target):
                        raise PeerUnavailable(target, self._unchecked[target])
                    outcomes = self.peers[target].apply(tenant, source, cmds)
                except PeerUnavailable as exc:
                    self._mark(target, False, exc.detail)
                    vi, en = both("peer.unreachable", app=term(f"app.{target}"), detail=exc.detail)
                    outcomes = [{"ok": False, "unreachable": True, "error_vi": vi, "error_en": en}] * len(cmds)
                for cmd, outcome in zip(cmds, outcomes):
                    results[cmd["key"]] = outcome
        return results
