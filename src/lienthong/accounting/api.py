"""HTTP API of the accounting app: /api/v1/accounting/..."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, UploadFile

from lienthong.accounting import customer_import, customers
from lienthong.accounting.employees import EMPLOYEES
from lienthong.accounting.schemas import (
    CustomerCreate,
    CustomerGroupCreate,
    CustomerGroupPage,
    CustomerGroupRead,
    CustomerGroupUpdate,
    CustomerPage,
    CustomerRead,
    CustomerUpdate,
    EmployeePage,
    EmployeeRead,
)
from lienthong.kernel.crud import add_crud_routes
from lienthong.kernel.routing import Route
from lienthong.kernel.schemas import ImportResult
from lienthong.kernel.web import Cursor, Limit, PrincipalDep, Q, database_dependency, uow_dependency

Uow = uow_dependency("accounting")
Db = database_dependency("accounting")
router = APIRouter(prefix="/api/v1/accounting", tags=["accounting"], route_class=Route)


@router.post("/customers/import", response_model=ImportResult)
def import_customers(
    db: Db,
    principal: PrincipalDep,
    file: Annotated[UploadFile, File(description="The .xlsx workbook")],
    mode: Annotated[str | None, Query(description="insert | update | upsert (default upsert)")] = None,
    mode_form: Annotated[str | None, Form(alias="mode")] = None,
):
    """Import customers from an Excel workbook; every row is checked first and a bad file changes nothing.

    The rows are then written in short transactions (see ``customer_import``), so other
    users' writes go on during a big import."""
    return customer_import.import_customers(db=db, principal=principal, data=file.file, mode=mode or mode_form or "upsert")


add_crud_routes(
    router,
    "/customers",
    uow_dep=Uow,
    id_name="customer_id",
    read=CustomerRead,
    page=CustomerPage,
    create_schema=CustomerCreate,
    update_schema=CustomerUpdate,
    create=customers.create_customer,
    update=customers.update_customer,
    delete=customers.delete_customer,
    get=customers.get_customer,
    list_=customers.list_customers,
    filters=("group_code", "salesperson_code", "tax_code"),
    label="customer",
)
add_crud_routes(
    router,
    "/customer-groups",
    uow_dep=Uow,
    id_name="group_id",
    read=CustomerGroupRead,
    page=CustomerGroupPage,
    create_schema=CustomerGroupCreate,
    update_schema=CustomerGroupUpdate,
    create=customers.create_group,
    update=customers.update_group,
    delete=customers.delete_group,
    get=customers.get_group,
    list_=customers.list_groups,
    label="customer group",
)


@router.get("/employees", response_model=EmployeePage)
def list_employees(uow: Uow, principal: PrincipalDep, code: str | None = None, q: Q = None, limit: Limit = 50, cursor: Cursor = None):
    """Accounting's copy of the employees (kept by the connector from system)."""
    rows, nxt = EMPLOYEES.list(uow, principal.tenant_id, filters={"code": code}, q=q, limit=limit, cursor=cursor)
    return EmployeePage(items=[EmployeeRead.model_validate(r) for r in rows], next_cursor=nxt)
