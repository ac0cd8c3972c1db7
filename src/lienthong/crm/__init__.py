"""The CRM app (AMIS CRM): customers with owners, contacts, customer groups, its user copy.

Its face: :data:`NAME`, :class:`~lienthong.crm.tables.Base`,
:func:`~lienthong.crm.port.make_port` and :mod:`lienthong.crm.api`.
"""

NAME = "crm"
