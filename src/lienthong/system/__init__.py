"""The system app (AMIS Hệ thống): tenants, employees, users and their tokens.

Its face: :data:`NAME`, :class:`~lienthong.system.tables.Base` (its database),
:func:`~lienthong.system.port.make_port` (for the connector) and the router in
:mod:`lienthong.system.api`.
"""

NAME = "system"
