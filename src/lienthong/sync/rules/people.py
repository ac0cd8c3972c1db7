"""Employees and users from the system app (SPEC section 2): every app keeps the copy it needs."""

from __future__ import annotations

from lienthong.sync.rules.base import VERBS, FieldMap, Into, On, Rule, deleted

EMPLOYEE_FIELDS = ("code", "name", "email", "phone", "title")
USER_FIELDS = ("code", "name", "email", "role", "active", "employee_code")

EMPLOYEE_MAP = FieldMap(copy=EMPLOYEE_FIELDS)
USER_MAP = FieldMap(copy=USER_FIELDS, on_delete={"active": False})  # a deleted user's copy is deactivated
# every app keeps its copy of system's people: no connection needed, created when missing
COPY = dict(action="update", or_create=True, needs_connection=False)


EMPLOYEES_ONE_WAY = Rule(
    "EMP-1",
    "Nhân viên đồng bộ một chiều từ Hệ thống sang Kế toán khi thêm và sửa; xóa trên Hệ thống không xóa trên Kế toán.",
    "Employees sync one way, system to accounting, on create and edit; deleting in system does not delete in accounting.",
    applied_vi="Nhân viên {code} đã được cập nhật sang Kế toán.",
    applied_en="Employee {code} was sent to accounting.",
    skipped_vi="Nhân viên {code} bị xóa trên Hệ thống; Kế toán giữ nguyên nhân viên này.",
    skipped_en="Employee {code} was deleted in system; accounting keeps it.",
    on=On("system", ("employees",), VERBS),
    target="accounting",
    skip_when=(deleted(),),
    fields=EMPLOYEE_MAP,
    into=Into("employees"),
    **COPY,
)
OWNER_FROM_SALESPERSON = Rule(
    "EMP-2",
    "Chủ sở hữu trên CRM là người dùng. Nhân viên bán hàng (một nhân viên) ứng với người dùng gắn với nhân viên đó trên Hệ thống; nhân viên chưa có người dùng thì Chủ sở hữu để trống.",
    "CRM owners are users. An accounting salesperson (an employee) maps to the CRM user tied to that employee in system; an employee with no user leaves the owner empty.",
    applied_vi="Người dùng {code} đã được cập nhật sang CRM.",
    applied_en="User {code} was sent to CRM.",
    skipped_vi="Chủ sở hữu để trống: nhân viên bán hàng {salesperson} chưa gắn với người dùng nào trên Hệ thống.",
    skipped_en="Owner left empty: salesperson {salesperson} is not tied to any user in system.",
    on=On("system", ("users",), VERBS),
    target="crm",
    fields=USER_MAP,
    into=Into("users"),
    **COPY,
)
USERS_TO_PROCESS = Rule(
    "SYS-1",
    "Người dùng đồng bộ từ Hệ thống sang ứng dụng Quy trình (người duyệt là người dùng); xóa người dùng thì bản sao bị ngừng hoạt động.",
    "Users sync from system to the process app (approvers are users); deleting a user deactivates its copy.",
    applied_vi="Người dùng {code} đã được cập nhật sang Quy trình.",
    applied_en="User {code} was sent to the process app.",
    on=On("system", ("users",), VERBS),
    target="process",
    fields=USER_MAP,
    into=Into("users"),
    **COPY,
)

RULES = [EMPLOYEES_ONE_WAY, OWNER_FROM_SALESPERSON, USERS_TO_PROCESS]
