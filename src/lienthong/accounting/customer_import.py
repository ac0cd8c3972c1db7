"""Nhập khẩu khách hàng: importing accounting customers from an Excel file.

How an import checks and writes (two phases, chunks, what a clash means) is the
kernel's (:mod:`lienthong.kernel.importing`); this module says what a customer row is.
A tax code or phone typed as a number that lost its leading zero is a bad row.
"""

from __future__ import annotations

from typing import BinaryIO

from lienthong.accounting.customers import CUSTOMERS, WRITERS
from lienthong.accounting.schemas import CustomerCreate, CustomerUpdate
from lienthong.accounting.tables import CustomerGroup, Employee
from lienthong.kernel.auth import Principal
from lienthong.kernel.db import Database
from lienthong.kernel.excel import phone_lost_zero, tax_code_lost_zero
from lienthong.kernel.importing import ImportResult, ImportSpec, Progress, import_rows

# field -> accepted header texts; the first is what the export writes.
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("Mã khách hàng", "code"),
    "name": ("Tên khách hàng", "name"),
    "tax_code": ("Mã số thuế", "tax_code"),
    "address": ("Địa chỉ", "address"),
    "phone": ("Điện thoại", "phone"),
    "email": ("Email", "email"),
    "group_code": ("Nhóm khách hàng", "Mã nhóm khách hàng", "group_code"),
    "salesperson_code": ("Nhân viên bán hàng", "Mã nhân viên bán hàng", "salesperson_code"),
    "is_individual": ("Khách hàng cá nhân", "Là cá nhân", "is_individual"),
}

SPEC = ImportSpec(
    catalog=CUSTOMERS,
    writers=WRITERS,
    columns=COLUMNS,
    create_schema=CustomerCreate,
    update_schema=CustomerUpdate,
    refs={
        "group_code": ("group_id", CustomerGroup, "kind.customer-groups"),
        "salesperson_code": ("salesperson_id", Employee, "kind.employees"),
    },
    lost_zero={"tax_code": tax_code_lost_zero, "phone": phone_lost_zero},
    yes_no=("is_individual",),
)


def import_customers(
    *, db: Database, principal: Principal, data: bytes | BinaryIO, mode: str = "upsert", progress: Progress | None = None
) -> ImportResult:
    """Import a workbook (bytes or a binary file) of customers into the principal's tenant."""
    return import_rows(SPEC, db=db, principal=principal, data=data, mode=mode, progress=progress)
