"""Vietnamese/English messages.

Vietnamese is the default language; English is chosen with ``Accept-Language: en``.
A message is a key into :data:`MESSAGES`, rendered with ``str.format`` parameters.
"""

from __future__ import annotations

from contextvars import ContextVar

DEFAULT_LANG = "vi"
_current: ContextVar[str] = ContextVar("lang", default=DEFAULT_LANG)

MESSAGES: dict[str, tuple[str, str]] = {
    # generic validation
    "required": ("Trường này là bắt buộc.", "This field is required."),
    "too_long": ("Dài quá {max} ký tự.", "Longer than {max} characters."),
    "too_short": ("Không được để trống.", "Must not be empty."),
    "invalid": ("Giá trị không hợp lệ: {detail}", "Invalid value: {detail}"),
    "invalid_choice": ("Giá trị phải là một trong: {choices}.", "Must be one of: {choices}."),
    "invalid_email": ("Email không hợp lệ.", "Not a valid email address."),
    "invalid_type": ("Sai kiểu dữ liệu: {detail}", "Wrong type: {detail}"),
    "unknown_field": ("Trường không được hỗ trợ.", "Unknown field."),
    "malformed_body": ("Nội dung yêu cầu không phải JSON hợp lệ.", "The request body is not valid JSON."),
    "invalid_cursor": ("Con trỏ phân trang không hợp lệ.", "Invalid pagination cursor."),
    "invalid_format": ("Sai định dạng (không được chứa khoảng trắng hoặc ký tự không hợp lệ).", "Wrong format (no spaces or invalid characters)."),
    "title.validation_detail": ("Dữ liệu không hợp lệ ({count} lỗi).", "Invalid input ({count} errors)."),
    "http_error": ("Lỗi HTTP {status}.", "HTTP error {status}."),
    "self_demotion": ("Không thể tự hạ quyền hoặc ngừng hoạt động chính mình.", "You cannot demote or deactivate yourself."),
    "self_delete": ("Không thể tự xóa chính mình.", "You cannot delete yourself."),
    "user_inactive": ("Người dùng {code} đã ngừng hoạt động.", "User {code} is inactive."),
    # problem titles
    "title.validation": ("Dữ liệu không hợp lệ", "Invalid input"),
    "title.unauthorized": ("Chưa xác thực", "Not authenticated"),
    "title.forbidden": ("Không có quyền", "Not allowed"),
    "title.not_found": ("Không tìm thấy", "Not found"),
    "title.conflict": ("Xung đột dữ liệu", "Conflict"),
    "title.unavailable": ("Ứng dụng chưa sẵn sàng", "Application unavailable"),
    "unauthorized": (
        "Thiếu mã truy cập hoặc mã truy cập không hợp lệ.",
        "Missing or invalid access token.",
    ),
    "forbidden_role": (
        "Vai trò {role} không được phép thực hiện thao tác này.",
        "The role {role} may not do this.",
    ),
    "not_found": ("Không tìm thấy {what} {ident}.", "No {what} {ident}."),
    "not_found_route": ("Không có đường dẫn này.", "No such path."),
    "duplicate_code": ("Mã {code} đã tồn tại.", "The code {code} already exists."),
    "unknown_code": ("Không có {what} với mã {code}.", "There is no {what} with the code {code}."),
    "in_use": ("{what} {code} đang được sử dụng, không thể xóa.", "{what} {code} is in use and cannot be deleted."),
    # import
    "import.bad_file": (
        "Tệp không phải sổ Excel (.xlsx) hợp lệ: {detail}",
        "The file is not a valid Excel workbook (.xlsx): {detail}",
    ),
    "import.no_header": (
        "Không tìm thấy dòng tiêu đề (cần cột {columns}).",
        "No header row found (columns {columns} are needed).",
    ),
    "import.row": ("Dòng {row}: {message}", "Row {row}: {message}"),
    "invalid_digits": (
        "Chỉ được gồm chữ số và dấu gạch ngang: {detail}",
        "Only digits and hyphens are allowed: {detail}",
    ),
    "invalid_spaces": ("Không được chứa khoảng trắng: {detail}", "Must not contain spaces: {detail}"),
    "import.not_found_for_update": (
        "Không có khách hàng mã {code} để cập nhật.",
        "No customer with the code {code} to update.",
    ),
    "import.exists_for_insert": (
        "Khách hàng mã {code} đã tồn tại (kiểu nhập khẩu Thêm mới).",
        "A customer with the code {code} already exists (import mode insert).",
    ),
    "import.duplicate_in_file": (
        "Mã {code} lặp lại trong tệp (dòng {first}).",
        "The code {code} appears twice in the file (row {first}).",
    ),
    "import.rejected": (
        "Tệp có {count} dòng lỗi; không dòng nào được nhập.",
        "The file has {count} bad rows; nothing was imported.",
    ),
    # sync
    "sync.not_connected": (
        "Kế toán và CRM chưa được kết nối.",
        "Accounting and CRM are not connected.",
    ),
    "sync.already_connected": (
        "Hai ứng dụng này đã được kết nối (kết nối {id}).",
        "These two applications are already connected (connection {id}).",
    ),
    "sync.bad_apps": (
        "Chỉ kết nối được accounting với crm, hoặc crm với process.",
        "Only accounting with crm, or crm with process, can be connected.",
    ),
    "sync.bad_kind": ("Loại dữ liệu không được hỗ trợ: {kind}.", "Unsupported data kind: {kind}."),
    "sync.step_order": (
        "Phải chạy xong bước {previous} trước khi chạy bước {step} ({rule}: đồng bộ nhân viên trước khi đồng bộ danh mục).",
        "Step {previous} must succeed before step {step} can run ({rule}: employees are synced before catalogs).",
    ),
    "sync.step_running": ("Bước {step} đang chạy.", "Step {step} is already running."),
    "sync.bad_step": ("Bước phải là 1, 2 hoặc 3.", "The step must be 1, 2 or 3."),
    "sync.drain_timeout": (
        "Sau {timeout} giây vẫn còn {pending} thay đổi chờ đồng bộ.",
        "{pending} changes are still pending after {timeout} seconds.",
    ),
    "sync.not_parked": ("Thay đổi {id} không ở trạng thái tạm giữ.", "Change {id} is not parked."),
    "peer.unreachable": (
        "Không kết nối được ứng dụng {app}: {detail}",
        "Application {app} cannot be reached: {detail}",
    ),
    # big imports and a busy database (issue 6, items 5 and 20)
    "title.busy": ("Cơ sở dữ liệu đang bận", "Database busy"),
    "db.busy": (
        "Cơ sở dữ liệu đang bận với một thao tác khác; vui lòng thử lại sau {retry} giây.",
        "The database is busy with another operation; please try again after {retry} s.",
    ),
    "import.lost_zero": (
        "Ô này là số: Excel đã bỏ số 0 ở đầu ({value}); hãy định dạng cột là Văn bản (Text) rồi nhập lại.",
        "The cell is a number: Excel dropped the leading zero ({value}); format the column as text and enter it again.",
    ),
    "import.clash": (
        "Khách hàng mã {code} vừa bị thay đổi bởi người khác trong lúc nhập khẩu ({reason}).",
        "The customer {code} was changed by someone else during the import ({reason}).",
    ),
    "import.clash.created": ("vừa được tạo", "it was just created"),
    "import.clash.deleted": ("vừa bị xóa", "it was just deleted"),
    "import.clash.reference": ("{ref} vừa bị xóa", "{ref} was just deleted"),
    "import.clash.changed": ("dữ liệu liên quan vừa thay đổi", "related data was just changed"),
    "import.partial": (
        "Nhập khẩu dừng ở dòng {row}: {done} dòng trước đó đã được nhập (tạo mới {created}, cập nhật {updated}), "
        "dòng {row} trở đi chưa được nhập. Sửa lỗi rồi nhập lại tệp ở kiểu Cả hai để hoàn tất.",
        "The import stopped at row {row}: the {done} rows before it were imported ({created} created, {updated} updated), "
        "row {row} and later were not. Fix the clash and import the file again in upsert mode to finish.",
    ),
    "import.progress.check": ("Kiểm tra", "Checking"),
    "import.progress.write": ("Ghi", "Writing"),
    "import.summary": (
        "Đã nhập: tạo mới {created}, cập nhật {updated}, không đổi {unchanged}.",
        "Imported: {created} created, {updated} updated, {unchanged} unchanged.",
    ),
    "import.ignored_columns": ("Các cột bị bỏ qua: {columns}", "Columns ignored: {columns}"),
    "import.no_installation": ("Không có cài đặt lienthong nào trong {data}.", "There is no lienthong installation in {data}."),
}


def set_language(lang: str) -> None:
    _current.set(lang)


def current_language() -> str:
    return _current.get()


def pick_language(accept_language: str | None) -> str:
    """Return ``en`` when the header prefers English, else Vietnamese."""
    if not accept_language:
        return DEFAULT_LANG
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("en"):
            return "en"
        if tag.startswith("vi"):
            return "vi"
    return DEFAULT_LANG


def t(key: str, lang: str | None = None, **params: object) -> str:
    vi, en = MESSAGES.get(key, (key, key))
    template = en if (lang or current_language()) == "en" else vi
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


def both(key: str, **params: object) -> tuple[str, str]:
    """The message in Vietnamese and in English."""
    return t(key, "vi", **params), t(key, "en", **params)
