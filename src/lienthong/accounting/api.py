"""HTTP API of the accounting app: /api/v1/accounting/..."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, UploadFile

from lienthong.accounting import customer_import, customers, price_policies, product_import, products
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
    MergeRequest,
    PricePolicyCreate,
    PricePolicyPage,
    PricePolicyRead,
    PricePolicyUpdate,
    ProductCreate,
    ProductGroupCreate,
    ProductGroupPage,
    ProductGroupRead,
    ProductGroupUpdate,
    ProductPage,
    ProductRead,
    ProductUpdate,
)
from lienthong.kernel.crud import add_crud_routes, add_merge_route
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

    The rows are then written in short transactions (see ``kernel.importing``), so other
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


@router.post("/products/import", response_model=ImportResult)
def import_products(
    db: Db,
    principal: PrincipalDep,
    file: Annotated[UploadFile, File(description="The .xlsx workbook")],
    mode: Annotated[str | None, Query(description="insert | update | upsert (default upsert)")] = None,
    mode_form: Annotated[str | None, Form(alias="mode")] = None,
):
    """Import products from an Excel workbook; every row is checked first and a bad file changes nothing."""
    return product_import.import_products(db=db, principal=principal, data=file.file, mode=mode or mode_form or "upsert")


add_crud_routes(
    router,
    "/products",
    uow_dep=Uow,
    id_name="product_id",
    read=ProductRead,
    page=ProductPage,
    create_schema=ProductCreate,
    update_schema=ProductUpdate,
    create=products.create_product,
    update=products.update_product,
    delete=products.delete_product,
    get=products.get_product,
    list_=products.list_products,
    filters=("group_code", "kind", "vat_rate"),
    label="product",
)
add_merge_route(router, "/products", uow_dep=Uow, id_name="product_id", read=ProductRead, body=MergeRequest, merge=products.merge_products, label="product")
add_crud_routes(
    router,
    "/product-groups",
    uow_dep=Uow,
    id_name="group_id",
    read=ProductGroupRead,
    page=ProductGroupPage,
    create_schema=ProductGroupCreate,
    update_schema=ProductGroupUpdate,
    create=products.create_group,
    update=products.update_group,
    delete=products.delete_group,
    get=products.get_group,
    list_=products.list_groups,
    label="product group",
)
add_merge_route(router, "/product-groups", uow_dep=Uow, id_name="group_id", read=ProductGroupRead, body=MergeRequest, merge=products.merge_groups, label="product group")
add_crud_routes(
    router,
    "/price-policies",
    uow_dep=Uow,
    id_name="policy_id",
    read=PricePolicyRead,
    page=PricePolicyPage,
    create_schema=PricePolicyCreate,
    update_schema=PricePolicyUpdate,
    create=price_policies.create_policy,
    update=price_policies.update_policy,
    delete=price_policies.delete_policy,
    get=price_policies.get_policy,
    list_=price_policies.list_policies,
    filters=("product_group_code",),
    label="price policy",
)


@router.get("/employees", response_model=EmployeePage)
def list_employees(uow: Uow, principal: PrincipalDep, code: str | None = None, q: Q = None, limit: Limit = 50, cursor: Cursor = None):
    """Accounting's copy of the employees (kept by the connector from system)."""
    rows, nxt = EMPLOYEES.list(uow, principal.tenant_id, filters={"code": code}, q=q, limit=limit, cursor=cursor)
    return EmployeePage(items=[EmployeeRead.model_validate(r) for r in rows], next_cursor=nxt)
