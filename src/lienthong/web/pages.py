"""The UI's shell (sign-in and sign-out: :mod:`lienthong.web.session`), the page templates of every app, the shared strings.

Sign in with a password (:mod:`lienthong.web.session`: the session cookie ``lt_session``);
every POST is checked against cross-site forgery (:mod:`lienthong.web.csrf`). The language is
Vietnamese unless the ``lang`` cookie or ``?lang=en`` says English. Each app's screens live
with the app (``<app>/pages.py``, ``<app>/templates/<app>/``); the shell (``base.html``),
the shared macros (``_ui.html``) and the static files live here.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

from lienthong.kernel.auth import ROLES, Principal
from lienthong.kernel.i18n import MESSAGES
from lienthong.kernel.money import VAT_RATES
from lienthong.kernel.pages import UiDep, vn_money
from lienthong.kernel.problems import Problem
from lienthong.web import csrf

HERE = Path(__file__).parent
STATIC = HERE / "static"
TOKEN_COOKIE = csrf.SESSION_COOKIE
VIETNAM = timezone(timedelta(hours=7), "ICT")  # Vietnam keeps UTC+7 all year, no summer time

# The shell's strings and the words every app's screens share (keys start with "ui.").
UI_MESSAGES: dict[str, tuple[str, str]] = {
    "ui.product": ("Liên thông", "Lienthong"),
    "ui.nav.sign_out": ("Đăng xuất", "Sign out"),
    "ui.nav.signed_in": ("{user} ({role})", "{user} ({role})"),
    "ui.nav.menu": ("Trình đơn", "Menu"),
    "ui.role.admin": ("Quản trị viên", "Administrator"),
    "ui.role.manager": ("Quản lý", "Manager"),
    "ui.role.sales": ("Nhân viên kinh doanh", "Sales staff"),
    "ui.role.accountant": ("Kế toán viên", "Accountant"),
    "ui.app.system": ("Hệ thống", "System"),
    "ui.app.accounting": ("Kế toán", "Accounting"),
    "ui.app.crm": ("CRM", "CRM"),
    "ui.app.process": ("Quy trình", "Process"),
    "ui.kind.customers": ("Khách hàng", "Customers"),
    "ui.kind.customer-groups": ("Nhóm khách hàng", "Customer groups"),
    "ui.kind.products": ("Hàng hóa, dịch vụ", "Products"),
    "ui.kind.product-groups": ("Nhóm hàng hóa", "Product groups"),
    "ui.kind.price-policies": ("Chính sách giá", "Price policies"),
    "ui.kind.quotes": ("Báo giá", "Quotes"),
    "ui.kind.orders": ("Đơn hàng", "Orders"),
    "ui.kind.invoice-requests": ("Đề nghị xuất hóa đơn", "Invoice requests"),
    "ui.kind.stock": ("Tồn kho", "Stock"),
    "ui.kind.balances": ("Công nợ khách hàng", "Customer balances"),
    "ui.kind.employees": ("Nhân viên", "Employees"),
    "ui.kind.users": ("Người dùng", "Users"),
    "ui.kind.contacts": ("Liên hệ", "Contacts"),
    # the shared list, record and form macros (_ui.html)
    "ui.list.search": ("Tìm", "Search"),
    "ui.list.total": ("Tổng cộng: {n}", "Total: {n}"),
    "ui.list.empty": ("Không có bản ghi nào.", "Nothing here."),
    "ui.list.previous": ("← Trang trước", "← Previous"),
    "ui.list.next": ("Trang sau →", "Next →"),
    "ui.list.page": ("Trang {n}", "Page {n}"),
    "ui.list.pages": ("Các trang", "Pages"),
    "ui.list.tick_all": ("Chọn tất cả trên trang", "Tick every row on the page"),
    "ui.list.tick": ("Chọn {code}", "Tick {code}"),
    "ui.list.ticked": ("Đã chọn {n}", "{n} ticked"),
    "ui.list.actions": ("Thao tác", "Actions"),
    "ui.action.open": ("Xem", "Open"),
    "ui.action.edit": ("Sửa", "Edit"),
    "ui.action.delete": ("Xóa", "Delete"),
    "ui.action.delete_ticked": ("Xóa các dòng đã chọn", "Delete the ticked rows"),
    "ui.action.confirm_delete": ("Xóa bản ghi này?", "Delete this record?"),
    "ui.action.confirm_delete_ticked": ("Xóa các dòng đã chọn?", "Delete the ticked rows?"),
    "ui.action.add": ("Thêm mới", "Add"),
    "ui.action.save": ("Lưu", "Save"),
    "ui.action.cancel": ("Hủy", "Cancel"),
    "ui.action.back": ("← Quay lại danh sách", "← Back to the list"),
    "ui.action.import": ("Nhập khẩu từ Excel", "Import from Excel"),
    "ui.form.not_saved": ("Chưa lưu được. Hãy sửa {n} lỗi dưới đây.", "Not saved. Please fix the {n} problems below."),
    "ui.form.saved": ("Đã lưu {code}.", "{code} was saved."),
    "ui.form.deleted": ("Đã xóa {n} bản ghi.", "{n} records were deleted."),
    "ui.form.none_ticked": ("Chưa chọn dòng nào.", "No row is ticked."),
    "ui.picker.hint": ("Gõ tên để tìm", "Type a name to search"),
    "ui.picker.none": ("Không tìm thấy ai.", "Nobody found."),
    "ui.picker.clear": ("(không ai)", "(nobody)"),
    "ui.record.sync": ("Đồng bộ", "Sync"),
    "ui.record.counterpart": ("Bản ghi tương ứng trên {app}", "Counterpart in {app}"),
    "ui.record.no_counterpart": ("Chưa liên kết với {app}.", "Not linked with {app}."),
    "ui.record.decisions": ("Quyết định đồng bộ gần nhất", "Latest sync decisions"),
    "ui.record.no_decisions": ("Chưa có quyết định nào về bản ghi này.", "No decision about this record yet."),
    "ui.record.created_at": ("Ngày tạo", "Created on"),
    "ui.record.updated_at": ("Ngày sửa", "Changed on"),
    # the Excel import of every list (kernel.excel_screens)
    "ui.import.file": ("Tệp Excel (.xlsx)", "Excel file (.xlsx)"),
    "ui.import.no_file": ("Hãy chọn một tệp Excel.", "Please choose an Excel file."),
    "ui.import.mode": ("Kiểu nhập khẩu", "Import mode"),
    "ui.import.mode.insert": ("Thêm mới", "Insert new"),
    "ui.import.mode.update": ("Cập nhật", "Update"),
    "ui.import.mode.upsert": ("Cả hai", "Both"),
    "ui.import.start": ("Nhập khẩu", "Import"),
    "ui.import.phase.check": ("Đang kiểm tra các dòng", "Checking the rows"),
    "ui.import.phase.write": ("Đang ghi", "Writing"),
    "ui.import.done": ("Đã nhập khẩu xong.", "The import is done."),
    "ui.import.failed": ("Không nhập khẩu được, tệp không làm thay đổi gì.", "Nothing was imported; the file changed nothing."),
    "ui.import.created": ("Tạo mới", "Created"),
    "ui.import.updated": ("Cập nhật", "Updated"),
    "ui.import.unchanged": ("Không đổi", "Unchanged"),
    "ui.import.row": ("Dòng", "Row"),
    "ui.import.column": ("Cột", "Column"),
    "ui.import.reason": ("Lý do", "Reason"),
    "ui.import.ignored": ("Cột không dùng đến: {columns}", "Columns not used: {columns}"),
    "ui.import.gone": ("Không còn thấy lần nhập khẩu này.", "This import is no longer known."),
    "ui.import.field.file": ("Tệp Excel", "Excel file"),
    "ui.import.field.mode": ("Kiểu nhập khẩu", "Import mode"),
    "ui.import.field.owner_from": ("Chủ sở hữu", "Owner"),
    "ui.import.field.owner_code": ("Chủ sở hữu", "Owner"),
    "ui.action.export": ("Xuất khẩu", "Export"),
    "ui.action.export_list": ("Xuất khẩu danh sách này", "Export this list"),
    "ui.action.merge": ("Gộp", "Merge"),
    "ui.yes": ("Có", "Yes"),
    "ui.no": ("Không", "No"),
}
MESSAGES.update(UI_MESSAGES)

router = APIRouter(include_in_schema=False)


def vn_date(value, with_time: bool = False) -> str:
    """A moment (a UTC datetime or its ISO text) as Vietnam's calendar shows it: dd/mm/yyyy."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if isinstance(value, datetime):
        local = (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).astimezone(VIETNAM)
        return local.strftime("%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def make_templates(app_dirs: list[Path]) -> Jinja2Templates:
    """The shell's templates and every hosted app's (``<app>/templates/<app>/...``)."""
    env = Environment(loader=ChoiceLoader([FileSystemLoader(HERE / "templates"), *(FileSystemLoader(d) for d in app_dirs)]), autoescape=select_autoescape(default=True))
    env.filters["vndate"] = vn_date
    env.filters["vnmoney"] = vn_money
    env.filters["vndatetime"] = lambda v: vn_date(v, with_time=True)
    env.globals["VAT_RATES"] = VAT_RATES
    env.globals["roles_of"] = lambda ui: [(role, ui._(f"ui.role.{role}")) for role in ROLES]  # roles in words
    return Jinja2Templates(env=env)


# -- the session cookie's principal and CSRF token (sign-in: lienthong.web.session) ------------------------------------------------------


def page_principal(request: Request) -> Principal | None:
    """The principal of the session cookie, or None."""
    token = request.cookies.get(TOKEN_COOKIE)
    if not token:
        return None
    try:
        return request.app.state.authenticate(token)
    except Problem:
        return None


def page_csrf(request: Request) -> str:
    session = request.cookies.get(TOKEN_COOKIE)
    return csrf.csrf_token(session) if session else ""


