"""Employees and users from the system app (SPEC section 2): every app keeps the copy it needs."""

from __future__ import annotations

from lienthong.sync.rules.base import Action, Rule

EMPLOYEE_FIELDS = ("code", "name", "email", "phone", "title")
USER_FIELDS = ("code", "name", "email", "role", "active", "employee_code")


def _upsert(ctx, target: str, kind: str, command: str, fields: tuple[str, ...], **overrides) -> list:
    link = ctx.link(target)
    args = {f: ctx.data.get(f) for f in fields} | overrides
    if link:
        args["target_id"] = link[1]
    return [Action(ctx.rule, target, kind, command, ctx.key(f"{target}:{command}"), args, link=link is None)]


EMPLOYEES_ONE_WAY = Rule(
    "EMP-1",
    "Nhân viên đồng bộ một chiều từ Hệ thống sang Kế toán khi thêm và sửa; xóa trên Hệ thống không xóa trên Kế toán.",
    "Employees sync one way, system to accounting, on create and edit; deleting in system does not delete in accounting.",
    applied_vi="Nhân viên {code} đã được cập nhật sang Kế toán.",
    applied_en="Employee {code} was sent to accounting.",
    skipped_vi="Nhân viên {code} bị xóa trên Hệ thống; Kế toán giữ nguyên nhân viên này.",
    skipped_en="Employee {code} was deleted in system; accounting keeps it.",
    source="system",
    target="accounting",
    kinds=("employees",),
    verbs=("Created", "Updated", "Deleted"),
    when=lambda ctx: ctx.verb != "Deleted",
    then=lambda ctx: _upsert(ctx, "accounting", "employees", "upsert_employee", EMPLOYEE_FIELDS),
    needs_connection=False,
)
OWNER_FROM_SALESPERSON = Rule(
    "EMP-2",
    "Chủ sở hữu trên CRM là người dùng. Nhân viên bán hàng (một nhân viên) ứng với người dùng gắn với nhân viên đó trên Hệ thống; nhân viên chưa có người dùng thì Chủ sở hữu để trống.",
    "CRM owners are users. An accounting salesperson (an employee) maps to the CRM user tied to that employee in system; an employee with no user leaves the owner empty.",
    applied_vi="Người dùng {code} đã được cập nhật sang CRM.",
    applied_en="User {code} was sent to CRM.",
    skipped_vi="Chủ sở hữu để trống: nhân viên bán hàng {salesperson} chưa gắn với người dùng nào trên Hệ thống.",
    skipped_en="Owner left empty: salesperson {salesperson} is not tied to any user in system.",
    source="system",
    target="crm",
    kinds=("users",),
    verbs=("Created", "Updated", "Deleted"),
    then=lambda ctx: _upsert(ctx, "crm", "users", "upsert_user", USER_FIELDS, **({"active": False} if ctx.verb == "Deleted" else {})),
    needs_connection=False,
)
USERS_TO_PROCESS = Rule(
    "SYS-1",
    "Người dùng đồng bộ từ Hệ thống sang ứng dụng Quy trình (người duyệt là người dùng); xóa người dùng thì bản sao bị ngừng hoạt động.",
    "Users sync from system to the process app (approvers are users); deleting a user deactivates its copy.",
    applied_vi="Người dùng {code} đã được cập nhật sang Quy trình.",
    applied_en="User {code} was sent to the process app.",
    source="system",
    target="process",
    kinds=("users",),
    verbs=("Created", "Updated", "Deleted"),
    then=lambda ctx: _upsert(ctx, "process", "users", "upsert_user", USER_FIELDS, **({"active": False} if ctx.verb == "Deleted" else {})),
    needs_connection=False,
)

RULES = [EMPLOYEES_ONE_WAY, OWNER_FROM_SALESPERSON, USERS_TO_PROCESS]
