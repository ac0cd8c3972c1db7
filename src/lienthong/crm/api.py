"""HTTP API of the CRM app: /api/v1/crm/..."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, UploadFile

from lienthong.crm import customers, price_policies, product_import, products
from lienthong.crm.schemas import (
    ContactCreate,
    ContactPage,
    ContactRead,
    ContactUpdate,
    CustomerCreate,
    CustomerGroupCreate,
    CustomerGroupPage,
    CustomerGroupRead,
    CustomerGroupUpdate,
    CustomerPage,
    CustomerRead,
    CustomerUpdate,
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
    UserPage,
    UserRead,
)
from lienthong.crm.users import USERS
from lienthong.kernel.auth import USER_READERS, require_role
from lienthong.kernel.crud import add_crud_routes, add_merge_route
from lienthong.kernel.importing import ImportResult
from lienthong.kernel.web import Cursor, Limit, PrincipalDep, Q, database_dependency, uow_dependency
from lienthong.kernel.routing import Route

Uow = uow_dependency("crm")
Db = database_dependency("crm")
router = APIRouter(prefix="/api/v1/crm", tags=["crm"], route_class=Route)

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
    filters=("group_code", "owner_code", "tax_code", "owner_empty"),
    label="customer",
)
add_crud_routes(
    router,
    "/contacts",
    uow_dep=Uow,
    id_name="contact_id",
    read=ContactRead,
    page=ContactPage,
    create_schema=ContactCreate,
    update_schema=ContactUpdate,
    create=customers.create_contact,
    update=customers.update_contact,
    delete=customers.delete_contact,
    get=customers.get_contact,
    list_=customers.list_contacts,
    filters=("owner_code",),
    label="contact",
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
    filters=("source_policy_code", "product_group_code"),
    label="price policy",
)


@router.get("/users", response_model=UserPage)
def list_users(uow: Uow, principal: PrincipalDep, code: str | None = None, q: Q = None, limit: Limit = 50, cursor: Cursor = None):
    """CRM's copy of the users (kept by the connector from system; administrator, manager)."""
    require_role(principal, *USER_READERS, reason="forbidden.users")
    rows, nxt = USERS.list(uow, principal.tenant_id, filters={"code": code}, q=q, limit=limit, cursor=cursor)
    return UserPage(items=[UserRead.model_validate(r) for r in rows], next_cursor=nxt)
