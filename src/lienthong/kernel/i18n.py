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
    # input checks: ids, text, tax codes, phones, body sizes (issue 6, items 10-13 and 20)
    "invalid_id": (
        "Mã định danh (id) phải là số nguyên từ 1 đến 9223372036854775807.",
        "An id must be a whole number from 1 to 9223372036854775807.",
    ),
    "text.control_chars": (
        "Không được chứa ký tự điều khiển (như NUL).",
        "Must not contain control characters (such as NUL).",
    ),
    "text.code_chars": (
        "Sai định dạng mã: chỉ gồm chữ cái (kể cả chữ tiếng Việt), chữ số và ký hiệu ASCII; không có khoảng trắng, ký tự điều khiển hay ký tự ẩn (như khoảng trắng độ rộng 0, dấu viết từ phải sang trái).",
        "Wrong code format: letters (Vietnamese too), digits and ASCII symbols only; no spaces, control or hidden characters (such as zero-width spaces or right-to-left marks).",
    ),
    "text.tax_code": (
        "Mã số thuế phải gồm 10 chữ số, hoặc 10 chữ số, dấu '-' và 3 chữ số của chi nhánh (0101234567-001), hoặc 12 chữ số (số định danh cá nhân).",
        "A tax code is 10 digits, or 10 digits, '-' and 3 digits for a branch (0101234567-001), or 12 digits (a personal identification number).",
    ),
    "text.phone": (
        "Số điện thoại phải gồm 8 đến 15 chữ số, có thể bắt đầu bằng +84 và có dấu cách, dấu chấm hoặc gạch ngang (0912 345 678).",
        "A phone number has 8 to 15 digits, may start with +84 and may contain spaces, dots or dashes (0912 345 678).",
    ),
    "title.too_large": ("Nội dung yêu cầu quá lớn", "Request body too large"),
    "body_too_large": (
        "Nội dung yêu cầu vượt quá giới hạn {limit} byte.",
        "The request body is larger than the limit of {limit} bytes.",
    ),
    "body_unreadable": (
        "Không đọc được nội dung yêu cầu (không phải UTF-8 hoặc dữ liệu biểu mẫu hợp lệ).",
        "The request body cannot be read (not valid UTF-8 or form data).",
    ),
    "too_many_errors": (
        "Dữ liệu không hợp lệ ({count} lỗi; liệt kê {shown} lỗi đầu tiên).",
        "Invalid input ({count} errors; the first {shown} are listed).",
    ),
    "query.repeated": ("Tham số này chỉ được cho một lần.", "This parameter may be given only once."),
    "title.internal": ("Lỗi máy chủ", "Server error"),
    "internal_error": (
        "Máy chủ gặp lỗi không mong đợi.",
        "The server met an unexpected error.",
    ),
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
