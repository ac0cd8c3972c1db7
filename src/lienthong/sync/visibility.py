"""Which decisions of the log a user may read.

Administrators, managers and accountants read their whole tenant's log. A sales
user sees what CRM sharing lets them see (SPEC: a sales user sees the customers they
own): the entries whose CRM-side record (a customer or a contact) they own. CRM is asked, through its port (in process or
over HTTP), for the ids of the records the user owns; the connector never reads CRM's
tables itself.
"""

from __future__ import annotations

from sqlalchemy import and_, bindparam, false, or_

from lienthong.kernel.auth import Principal
from lienthong.kernel.i18n import term
from lienthong.kernel.problems import Unavailable
from lienthong.sync.peers import PeerUnavailable
from lienthong.sync.tables import LogEntry

SEE_ALL = ("admin", "manager", "accountant")
OWNED_QUERY = "owned_records"  # CRM's port query: {"customers": [ids], "contacts": [ids]}


def log_scope(connector, principal: Principal) -> tuple:
    """The extra conditions on the log for ``principal`` (none: the whole tenant)."""
    if principal.role in SEE_ALL:
        return ()
    crm = connector.peers.get("crm")
    if crm is None:
        return (false(),)
    try:
        owned = crm.query(principal.tenant_id, OWNED_QUERY, owner_code=principal.user_code)
    except PeerUnavailable as exc:
        raise Unavailable("peer.unreachable", app=term(f"app.{exc.app}"), detail=exc.detail) from None
    sides = []
    for kind, ids in owned.items():
        if not ids:
            continue
        for app, kind_col, id_col in ((LogEntry.source_app, LogEntry.source_kind, LogEntry.source_id), (LogEntry.target_app, LogEntry.target_kind, LogEntry.target_id)):
            # ids inline (literal_execute): a user may own more records than a statement takes parameters
            owned_ids = bindparam(f"owned_{kind}_{len(sides)}", ids, expanding=True, literal_execute=True)
            sides.append(and_(app == "crm", kind_col == kind, id_col.in_(owned_ids)))
    return (or_(*sides),) if sides else (false(),)
