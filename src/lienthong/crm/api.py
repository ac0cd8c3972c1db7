"""HTTP API of the CRM app: /api/v1/crm/..."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Query, Response, UploadFile

from lienthong.crm import customer_excel, customers, merge, owners, price_policies, product_import, products
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
    CustomerMergeRequest,
    CustomerMergeResult,
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
    ExportRequest,
    HandoverRequest,
    HandoverResult,
    OwnerChangePage,
    OwnerChangeRead,
    UserPage,
    UserRead,
)
from lienthong.crm.users import USERS
from lienthong.kernel.auth import USER_READERS, require_role
from lienthong.kernel.crud import add_crud_routes, add_merge_route
from lienthong.kernel.routing import Route
from lienthong.kernel.schemas import ImportResult
from lienthong.kernel.web import Cursor, Id, Limit, PrincipalDep, Q, database_dependency, uow_dependency

Uow = uow_dependency("crm")
Db = database_dependency("crm")
router = APIRouter(prefix="/api/v1/crm", tags=["crm"], route_class=Route)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.post("/customers/handover", response_model=HandoverResult)
def handover(body: HandoverRequest, uow: Uow, principal: PrincipalDep):
    """Hand the ticked customers over to the assignee ("Bàn giao công việc"): each
    chosen record's owner becomes the assignee, for the kinds ticked (`customers`, their
    `contacts`). The owner log says who handed what to whom (`GET /owner-changes`)."""
    changed = owners.handover(uow=uow, principal=principal, customer_ids=body.customer_ids, assignee_code=body.assignee_code, kinds=body.kinds)
    return HandoverResult(customers=[CustomerRead.model_validate(r) for r in changed["customers"]], contacts=[ContactRead.model_validate(r) for r in changed["contacts"]])


@router.post("/customers/export", response_class=Response, responses={200: {"description": "The workbook", "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}})
def export_customers(uow: Uow, principal: PrincipalDep, body: ExportRequest | None = None):
    """The ticked (`ids`) or filtered customers as an Excel workbook in the source layout:
    two title rows, then the header row `Mã khách hàng`, `Tên khách hàng`, …,
    `Chủ sở hữu` (user codes). A sales user exports only their own customers."""
    body = body or ExportRequest()
    chosen = body.filter
    data = customer_excel.export_customers(
        uow=uow, principal=principal, ids=body.ids, owner_empty_only=bool(chosen and chosen.owner_empty), q=chosen.q if chosen else None
    )
    return Response(data, media_type=XLSX, headers={"Content-Disposition": 'attachment; filename="khach-hang.xlsx"'})


@router.post("/customers/import", response_model=ImportResult)
def import_customers(
    db: Db,
    principal: PrincipalDep,
    file: Annotated[UploadFile, File(description="The .xlsx workbook (title rows above the header row may stay)")],
    mode: Annotated[str | None, Query(description="insert (Thêm mới) | update (Cập nhật) | upsert (Cả hai); default upsert")] = None,
    owner_from: Annotated[str | None, Query(description="file (the `Chủ sở hữu` column) | user (`owner_code` for every row); default file")] = None,
    owner_code: Annotated[str | None, Query(description="The owner of every row, with owner_from=user")] = None,
    mode_form: Annotated[str | None, Form(alias="mode")] = None,
    owner_from_form: Annotated[str | None, Form(alias="owner_from")] = None,
    owner_code_form: Annotated[str | None, Form(alias="owner_code")] = None,
):
    """Import customers from a workbook; options as query parameters or
    form fields. Every row is checked first: a file with a bad row changes nothing and the
    422 names each bad row, its column and the reason. A sales user may not change
    someone else's customer."""
    return customer_excel.import_customers(
        db=db,
        principal=principal,
        data=file.file,
        mode=mode or mode_form or "upsert",
        owner_from=owner_from or owner_from_form or "file",
        owner_code=owner_code or owner_code_form,
    )


@router.post("/customers/merge", response_model=CustomerMergeResult)
def merge_customers(body: CustomerMergeRequest, uow: Uow, principal: PrincipalDep):
    """Merge 2-3 customers ("Gộp"): the survivor takes, field by field, the chosen
    values; the others' contacts move to it and they are deleted."""
    values = body.values.model_dump(exclude_none=True) if body.values else {}
    survivor, moved = merge.merge_customers(uow=uow, principal=principal, survivor_id=body.survivor_id, merged_ids=body.merged_ids, values=values)
    return CustomerMergeResult(customer=CustomerRead.model_validate(survivor), merged_ids=body.merged_ids, moved_contacts=[ContactRead.model_validate(c) for c in moved])


@router.get("/owner-changes", response_model=OwnerChangePage)
def list_owner_changes(uow: Uow, principal: PrincipalDep, kind: Literal["customers", "contacts"] | None = None, record_id: Annotated[Id | None, Query()] = None, limit: Limit = 50, cursor: Cursor = None):
    """Who handed which customer or contact to whom, oldest first (a sales user: the
    changes they made or that concern them)."""
    rows, nxt = owners.list_owner_changes(uow=uow, principal=principal, kind=kind, record_id=record_id, limit=limit, cursor=cursor)
    return OwnerChangePage(items=[OwnerChangeRead.model_validate(r) for r in rows], next_cursor=nxt)

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
    filters=("group_code", "owner_code", "tax_code", ("owner_empty", bool | None)),
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
    filters=("owner_code", "customer_code"),
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
