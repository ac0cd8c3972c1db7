"""The accounting app (AMIS Kế toán): customers, customer groups, its employee copy.

Its face: :data:`NAME`, :class:`~lienthong.accounting.tables.Base`,
:func:`~lienthong.accounting.port.make_port` and :mod:`lienthong.accounting.api`.
"""

NAME = "accounting"
