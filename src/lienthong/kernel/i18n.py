"""Vietnamese/English messages.

Vietnamese is the default language; English is chosen with ``Accept-Language: en``.
A message is a key into :data:`MESSAGES`, rendered with ``str.format`` parameters.
"""

from __future__ import annotations

from contextvars import ContextVar

DEFAULT_LANG = "vi"
LANGS = ("vi", "en")
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
    "title.validation_detail": ("Dữ liệu không hợp lệ ({count} lỗi).", "Invalid input (errors: {count})."),
    "http_error": ("Lỗi HTTP {status}.", "HTTP error {status}."),
    "method_not_allowed": (
        "Đường dẫn này không nhận phương thức {method}.",
        "This path does not accept the method {method}.",
    ),
    "title.method_not_allowed": ("Phương thức không được hỗ trợ", "Method not allowed"),
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
    "in_use": ("Không thể xóa {what} {code} vì đang được sử dụng.", "The {what} {code} is in use and cannot be deleted."),
    # import
    "import.bad_file": (
        "Tệp không phải sổ Excel (.xlsx) hợp lệ.",
        "The file is not a valid Excel workbook (.xlsx).",
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
        "Hiện chỉ kết nối được Kế toán với CRM (kết nối CRM với Quy trình chưa có).",
        "For now only accounting can be connected with CRM (CRM with the process app is not built yet).",
    ),
    "sync.bad_kind": ("Loại dữ liệu không được hỗ trợ: {kind}.", "Unsupported data kind: {kind}."),
    "sync.step_order": (
        "Phải chạy xong bước {previous} trước khi chạy bước {step} ({rule}: đồng bộ nhân viên trước khi đồng bộ danh mục).",
        "Step {previous} must succeed before step {step} can run ({rule}: employees are synced before catalogs).",
    ),
    "sync.step_running": ("Bước {step} đang chạy.", "Step {step} is already running."),
    "sync.bad_step": ("Bước phải là 1, 2 hoặc 3.", "The step must be 1, 2 or 3."),
    "sync.step_crashed": (
        "Bước dừng lại vì một lỗi ngoài dự kiến; chi tiết nằm trong nhật ký của máy chủ. Có thể chạy lại bước này.",
        "The step stopped on an unexpected error; the server log has the details. The step may be run again.",
    ),
    "sync.drain_timeout": (
        "Sau {timeout} giây vẫn còn {pending} thay đổi chờ đồng bộ.",
        "{pending} changes are still pending after {timeout} seconds.",
    ),
    "sync.not_parked": ("Thay đổi {id} không ở trạng thái tạm giữ.", "Change {id} is not parked."),
    "peer.unreachable": (
        "Không kết nối được ứng dụng {app}: {detail}",
        "Application {app} cannot be reached: {detail}",
    ),
    # messages (issue 6 item 14): names of records, first-sync outcomes, HTTP errors, CLI
    "kind.customers": ("khách hàng", "customer"),
    "kind.customer-groups": ("nhóm khách hàng", "customer group"),
    "kind.contacts": ("liên hệ", "contact"),
    "kind.employees": ("nhân viên", "employee"),
    "kind.users": ("người dùng", "user"),
    "kind.products": ("hàng hóa", "product"),
    "kind.product-groups": ("nhóm hàng hóa", "product group"),
    "kind.price-policies": ("chính sách giá", "price policy"),
    "kind.quotes": ("báo giá", "quote"),
    "kind.orders": ("đơn hàng", "order"),
    "kind.invoice-requests": ("đề nghị xuất hóa đơn", "invoice request"),
    "kind.stock": ("tồn kho", "stock"),
    "kind.balances": ("công nợ khách hàng", "customer balance"),
    "kind.changes": ("thay đổi", "change"),
    "kind.connections": ("kết nối", "connection"),
    "kind.tokens": ("mã truy cập", "token"),
    "app.system": ("Hệ thống", "System"),
    "app.accounting": ("Kế toán", "Accounting"),
    "app.crm": ("CRM", "CRM"),
    "app.process": ("Quy trình", "Process"),
    "how.created": ("tạo mới", "created"),
    "how.linked": ("liên kết", "linked"),
    "how.updated": ("cập nhật", "updated"),
    "how.unchanged": ("không đổi", "unchanged"),
    "how.skipped": ("bỏ qua", "skipped"),
    "how.failed": ("lỗi", "failed"),
    "first_sync.code_taken": (
        "{app}: mã {code} đã liên kết với bản ghi khác.",
        "{app}: the code {code} is already linked to another record.",
    ),
    "column.code": ("Mã khách hàng", "Customer code"),
    "column.name": ("Tên khách hàng", "Customer name"),
    "column.tax_code": ("Mã số thuế", "Tax code"),
    "column.address": ("Địa chỉ", "Address"),
    "column.phone": ("Điện thoại", "Phone"),
    "column.email": ("Email", "Email"),
    "column.group_code": ("Nhóm khách hàng", "Customer group"),
    "column.salesperson_code": ("Nhân viên bán hàng", "Salesperson"),
    "column.is_individual": ("Khách hàng cá nhân", "Individual customer"),
    "choices.yes_no": ("Có, Không", "Yes, No"),
    "cli.admin_token": ("Mã truy cập của quản trị viên (chỉ hiện một lần):", "Administrator token (shown once):"),
    "cli.serving": ("lienthong phục vụ {apps} tại {url} (dữ liệu: {data})", "lienthong serving {apps} on {url} (data: {data})"),
    "cli.port_busy": (
        "Không mở được cổng {host}:{port}: {reason}. Hãy chọn cổng khác bằng --port.",
        "Cannot listen on {host}:{port}: {reason}. Choose another port with --port.",
    ),
    "cli.port_in_use": ("cổng đang được dùng", "the port is in use"),
    "cli.no_installation": (
        "Không có bản cài đặt nào ở {data}. Hãy chạy `lienthong serve --data {data}` trước.",
        "There is no installation in {data}. Run `lienthong serve --data {data}` first.",
    ),
    "cli.tenant_created": (
        "Đã tạo công ty {id} ({name}). Mã truy cập của quản trị viên (chỉ hiện một lần):",
        "Company {id} ({name}) created. Administrator token (shown once):",
    ),
    # -- typed contracts (issue 7: relayed events, commands, remote names) --
    "command.unknown_field": ("Lệnh có trường không khai báo: {detail}.", "The command has a field it does not declare: {detail}."),
    "command.not_a_record": ("Mỗi mục phải là một bản ghi.", "Each item must be a record."),
    "connector.event_unfit": ("Sự kiện {type} của {app} không đúng mẫu ứng dụng đã khai báo: {reason}", "Event {type} of {app} does not fit the model the app declares: {reason}"),
    "connector.internal_error": ("Lỗi nội bộ của bộ kết nối: {detail}", "Internal error of the connector: {detail}"),
    "tenant.name_empty": ("Tên công ty không được để trống.", "The company name must not be empty."),
    "tenant.name_taken": ("Đã có công ty tên {name}.", "A company named {name} already exists."),
    "cli.bad_peer": ("--peer cần dạng APP=URL, không phải {value}.", "--peer takes APP=URL, not {value}."),
    "cli.unknown_apps": ("Không có ứng dụng {apps}. Các ứng dụng: {choices}.", "There is no app {apps}. Apps: {choices}."),
    "cli.bad_lang": ("Ngôn ngữ phải là một trong: {choices}.", "The language must be one of: {choices}."),
    "cli.bad_family": ("Không có nhóm quy tắc {family}. Các nhóm: {choices}.", "There is no rule family {family}. Families: {choices}."),
    "cli.rules.title": ("Bộ quy tắc lienthong", "lienthong rulebook"),
    "cli.rules.rule": ("Mã quy tắc", "Rule"),
    "cli.rules.route": ("Từ → đến", "From → to"),
    "cli.rules.events": ("Sự kiện", "Events"),
    "cli.rules.text": ("Quy tắc", "Rule text"),
    "cli.step": ("Bước {step}", "Step {step}"),
    "cli.step.state.succeeded": ("Thành công", "Succeeded"),
    "cli.step.state.failed": ("Thất bại", "Failed"),
    "cli.step.state.preview": ("Xem trước (chưa ghi gì)", "Preview (nothing written)"),
    "cli.step.state.running": ("Đang chạy", "Running"),
    "cli.step.state.pending": ("Chưa chạy", "Not run"),
    "cli.status.pending": ("Đang chờ: {n}", "Pending: {n}"),
    "cli.status.parked": ("Tạm giữ: {n}", "Parked: {n}"),
    "cli.status.held": ("Chờ sau thay đổi tạm giữ: {n}", "Held behind a parked change: {n}"),
    "cli.reason": ("{kind} {code}: {outcome} — {reason}", "{kind} {code}: {outcome} — {reason}"),
    "cli.status.app": ("{app}: {state}", "{app}: {state}"),
    "cli.status.reachable": ("truy cập được", "reachable"),
    "cli.status.unreachable": ("không truy cập được ({error})", "unreachable ({error})"),
    "cli.status.no_connector": ("Máy chủ này không chạy bộ kết nối.", "This installation does not run the connector."),
    # Pydantic's error types (issue 6 item 14): kernel.problems.PYDANTIC maps a few to the general keys above
    "pydantic.no_such_attribute": ("Không có thuộc tính {attribute}.", "There is no attribute {attribute}."),
    "pydantic.json_type": ("Dữ liệu JSON phải là chuỗi hoặc dãy byte.", "JSON input must be a string or bytes."),
    "pydantic.needs_python_object": ("Giá trị này không đọc được từ JSON.", "This value cannot be read from JSON."),
    "pydantic.recursion_loop": ("Dữ liệu tự tham chiếu vòng tròn.", "The data refers to itself in a loop."),
    "pydantic.recursion_depth_exceeded": ("Dữ liệu lồng nhau quá sâu.", "The data is nested too deeply."),
    "pydantic.frozen_field": ("Trường này không được sửa.", "This field cannot be changed."),
    "pydantic.frozen_instance": ("Bản ghi này không được sửa.", "This record cannot be changed."),
    "pydantic.invalid_key": ("Tên khóa phải là chuỗi ký tự.", "Keys must be strings."),
    "pydantic.get_attribute_error": ("Không đọc được thuộc tính.", "An attribute could not be read."),
    "pydantic.model_type": ("Phải là một đối tượng JSON.", "Must be a JSON object."),
    "pydantic.model_attributes_type": ("Phải là một đối tượng JSON.", "Must be a JSON object."),
    "pydantic.dataclass_type": ("Phải là một đối tượng JSON.", "Must be a JSON object."),
    "pydantic.dataclass_exact_type": ("Phải là một đối tượng JSON.", "Must be a JSON object."),
    "pydantic.named_tuple_type": ("Phải là một danh sách giá trị.", "Must be a list of values."),
    "pydantic.default_factory_not_called": ("Không tính được giá trị mặc định vì dữ liệu khác có lỗi.", "The default value cannot be computed because other data is invalid."),
    "pydantic.none_required": ("Phải để trống (null).", "Must be null."),
    "pydantic.greater_than": ("Phải lớn hơn {gt}.", "Must be greater than {gt}."),
    "pydantic.greater_than_equal": ("Phải lớn hơn hoặc bằng {ge}.", "Must be greater than or equal to {ge}."),
    "pydantic.less_than": ("Phải nhỏ hơn {lt}.", "Must be less than {lt}."),
    "pydantic.less_than_equal": ("Phải nhỏ hơn hoặc bằng {le}.", "Must be less than or equal to {le}."),
    "pydantic.multiple_of": ("Phải là bội số của {multiple_of}.", "Must be a multiple of {multiple_of}."),
    "pydantic.finite_number": ("Phải là một số hữu hạn.", "Must be a finite number."),
    "pydantic.too_short": ("Cần ít nhất {min_length} phần tử.", "At least {min_length} items are needed."),
    "pydantic.too_long": ("Tối đa {max_length} phần tử.", "At most {max_length} items are allowed."),
    "pydantic.iterable_type": ("Phải là một danh sách.", "Must be a list."),
    "pydantic.iteration_error": ("Không đọc được danh sách.", "The list could not be read."),
    "pydantic.string_type": ("Phải là chuỗi ký tự.", "Must be a string."),
    "pydantic.string_unicode": ("Phải là chuỗi ký tự Unicode hợp lệ.", "Must be a valid Unicode string."),
    "pydantic.string_not_ascii": ("Chỉ được gồm ký tự ASCII.", "Only ASCII characters are allowed."),
    "pydantic.dict_type": ("Phải là một đối tượng JSON.", "Must be a JSON object."),
    "pydantic.frozen_dict_type": ("Phải là một đối tượng JSON.", "Must be a JSON object."),
    "pydantic.ordered_dict_type": ("Phải là một đối tượng JSON.", "Must be a JSON object."),
    "pydantic.counter_type": ("Phải là một đối tượng JSON.", "Must be a JSON object."),
    "pydantic.mapping_type": ("Phải là một đối tượng JSON.", "Must be a JSON object."),
    "pydantic.list_type": ("Phải là một danh sách.", "Must be a list."),
    "pydantic.deque_type": ("Phải là một danh sách.", "Must be a list."),
    "pydantic.tuple_type": ("Phải là một danh sách.", "Must be a list."),
    "pydantic.set_type": ("Phải là một danh sách không lặp.", "Must be a list without repeats."),
    "pydantic.frozen_set_type": ("Phải là một danh sách không lặp.", "Must be a list without repeats."),
    "pydantic.set_item_not_hashable": ("Phần tử của danh sách không lặp phải là giá trị đơn.", "Items of a list without repeats must be simple values."),
    "pydantic.bool_type": ("Phải là true hoặc false.", "Must be true or false."),
    "pydantic.bool_parsing": ("Phải là true hoặc false.", "Must be true or false."),
    "pydantic.int_type": ("Phải là số nguyên.", "Must be a whole number."),
    "pydantic.int_parsing": ("Phải là số nguyên.", "Must be a whole number."),
    "pydantic.int_parsing_size": ("Số nguyên quá lớn.", "The whole number is too large."),
    "pydantic.int_from_float": ("Phải là số nguyên, không có phần thập phân.", "Must be a whole number, without a fractional part."),
    "pydantic.float_type": ("Phải là một số.", "Must be a number."),
    "pydantic.float_parsing": ("Phải là một số.", "Must be a number."),
    "pydantic.bytes_type": ("Phải là dãy byte.", "Must be bytes."),
    "pydantic.bytes_too_short": ("Cần ít nhất {min_length} byte.", "At least {min_length} bytes are needed."),
    "pydantic.bytes_too_long": ("Tối đa {max_length} byte.", "At most {max_length} bytes are allowed."),
    "pydantic.bytes_invalid_encoding": ("Dãy byte không đúng mã hóa {encoding}.", "The bytes are not valid {encoding}."),
    "pydantic.value_error": ("Giá trị không hợp lệ.", "Invalid value."),
    "pydantic.assertion_error": ("Giá trị không hợp lệ.", "Invalid value."),
    "pydantic.missing_sentinel_error": ("Giá trị không hợp lệ.", "Invalid value."),
    "pydantic.ellipsis_error": ("Giá trị không hợp lệ.", "Invalid value."),
    "pydantic.date_type": ("Phải là ngày (YYYY-MM-DD).", "Must be a date (YYYY-MM-DD)."),
    "pydantic.date_parsing": ("Phải là ngày (YYYY-MM-DD).", "Must be a date (YYYY-MM-DD)."),
    "pydantic.date_from_datetime_parsing": ("Phải là ngày (YYYY-MM-DD).", "Must be a date (YYYY-MM-DD)."),
    "pydantic.date_from_datetime_inexact": ("Phải là ngày, không kèm giờ.", "Must be a date without a time."),
    "pydantic.date_past": ("Ngày phải ở quá khứ.", "The date must be in the past."),
    "pydantic.date_future": ("Ngày phải ở tương lai.", "The date must be in the future."),
    "pydantic.time_type": ("Phải là giờ (HH:MM:SS).", "Must be a time (HH:MM:SS)."),
    "pydantic.time_parsing": ("Phải là giờ (HH:MM:SS).", "Must be a time (HH:MM:SS)."),
    "pydantic.datetime_type": ("Phải là thời điểm ISO 8601.", "Must be an ISO 8601 date and time."),
    "pydantic.datetime_parsing": ("Phải là thời điểm ISO 8601.", "Must be an ISO 8601 date and time."),
    "pydantic.datetime_object_invalid": ("Thời điểm không hợp lệ.", "Invalid date and time."),
    "pydantic.datetime_from_date_parsing": ("Phải là thời điểm ISO 8601.", "Must be an ISO 8601 date and time."),
    "pydantic.datetime_past": ("Thời điểm phải ở quá khứ.", "The date and time must be in the past."),
    "pydantic.datetime_future": ("Thời điểm phải ở tương lai.", "The date and time must be in the future."),
    "pydantic.timezone_naive": ("Không được kèm múi giờ.", "Must not have a time zone."),
    "pydantic.timezone_aware": ("Phải kèm múi giờ.", "Must have a time zone."),
    "pydantic.timezone_offset": ("Múi giờ phải là {tz_expected} giây.", "The time zone must be {tz_expected} seconds."),
    "pydantic.time_delta_type": ("Phải là khoảng thời gian ISO 8601.", "Must be an ISO 8601 duration."),
    "pydantic.time_delta_parsing": ("Phải là khoảng thời gian ISO 8601.", "Must be an ISO 8601 duration."),
    "pydantic.is_instance_of": ("Sai kiểu dữ liệu.", "Wrong type."),
    "pydantic.is_subclass_of": ("Sai kiểu dữ liệu.", "Wrong type."),
    "pydantic.callable_type": ("Sai kiểu dữ liệu.", "Wrong type."),
    "pydantic.union_tag_invalid": ("Giá trị của {discriminator} phải là một trong: {expected_tags}.", "{discriminator} must be one of: {expected_tags}."),
    "pydantic.union_tag_not_found": ("Thiếu trường {discriminator}.", "The field {discriminator} is missing."),
    "pydantic.arguments_type": ("Sai kiểu dữ liệu.", "Wrong type."),
    "pydantic.missing_argument": ("Trường này là bắt buộc.", "This field is required."),
    "pydantic.unexpected_keyword_argument": ("Trường không được hỗ trợ.", "Unknown field."),
    "pydantic.missing_keyword_only_argument": ("Trường này là bắt buộc.", "This field is required."),
    "pydantic.unexpected_positional_argument": ("Trường không được hỗ trợ.", "Unknown field."),
    "pydantic.missing_positional_only_argument": ("Trường này là bắt buộc.", "This field is required."),
    "pydantic.multiple_argument_values": ("Trường này được cho hai lần.", "This field is given twice."),
    "pydantic.url_type": ("Phải là một địa chỉ URL.", "Must be a URL."),
    "pydantic.url_parsing": ("Địa chỉ URL không hợp lệ.", "Not a valid URL."),
    "pydantic.url_syntax_violation": ("Địa chỉ URL không hợp lệ.", "Not a valid URL."),
    "pydantic.url_too_long": ("Địa chỉ URL dài quá {max_length} ký tự.", "The URL is longer than {max_length} characters."),
    "pydantic.url_scheme": ("Địa chỉ URL phải bắt đầu bằng: {expected_schemes}.", "The URL must start with: {expected_schemes}."),
    "pydantic.uuid_type": ("Phải là một UUID.", "Must be a UUID."),
    "pydantic.uuid_parsing": ("Phải là một UUID.", "Must be a UUID."),
    "pydantic.uuid_version": ("Phải là UUID phiên bản {expected_version}.", "Must be a version {expected_version} UUID."),
    "pydantic.decimal_type": ("Phải là một số thập phân.", "Must be a decimal number."),
    "pydantic.decimal_parsing": ("Phải là một số thập phân.", "Must be a decimal number."),
    "pydantic.decimal_max_digits": ("Tối đa {max_digits} chữ số.", "At most {max_digits} digits are allowed."),
    "pydantic.decimal_max_places": ("Tối đa {decimal_places} chữ số sau dấu thập phân.", "At most {decimal_places} digits after the decimal point."),
    "pydantic.decimal_whole_digits": ("Tối đa {whole_digits} chữ số trước dấu thập phân.", "At most {whole_digits} digits before the decimal point."),
    "pydantic.fraction_type": ("Phải là một phân số.", "Must be a fraction."),
    "pydantic.fraction_parsing": ("Phải là một phân số.", "Must be a fraction."),
    "pydantic.complex_type": ("Phải là một số phức.", "Must be a complex number."),
    "pydantic.complex_str_parsing": ("Phải là một số phức.", "Must be a complex number."),
    # security: who may do what, tokens, the admin token, CSRF (issue 6, items 6-9)
    "role.admin": ("quản trị viên", "administrator"),
    "role.manager": ("quản lý", "manager"),
    "role.sales": ("nhân viên kinh doanh", "sales staff"),
    "role.accountant": ("kế toán", "accountant"),
    "role.connector": ("bộ kết nối", "connector"),
    "forbidden.users": (
        "Vai trò {role} không được xem người dùng khác: chỉ quản trị viên và quản lý được xem.",
        "The role {role} may not read other users: only administrators and managers may.",
    ),
    "forbidden.tokens": (
        "Vai trò {role} không được quản lý mã truy cập của người khác (tạo, xem, thu hồi): chỉ quản trị viên được làm.",
        "The role {role} may not manage another user's tokens (make, list, revoke): only administrators may.",
    ),
    "forbidden.drain": (
        "Vai trò {role} không được chờ xử lý hết hàng đợi: chỉ quản trị viên được làm.",
        "The role {role} may not drain the queue: only administrators may.",
    ),
    "forbidden.parked": (
        "Vai trò {role} không được xem hay chạy lại thay đổi tạm giữ: chỉ quản trị viên và kế toán được làm.",
        "The role {role} may not see or retry parked changes: only administrators and accountants may.",
    ),
    "forbidden.csrf": (
        "Yêu cầu bị từ chối: thiếu mã chống giả mạo (CSRF) hoặc mã không đúng. Hãy tải lại trang rồi thử lại.",
        "Request refused: the anti-forgery (CSRF) token is missing or wrong. Reload the page and try again.",
    ),
    "forbidden.origin": (
        "Yêu cầu bị từ chối: gửi từ trang khác ({origin}).",
        "Request refused: it was sent from another site ({origin}).",
    ),
    "token.not_found": ("Người dùng này không có mã truy cập {id}.", "This user has no token {id}."),
    "admin_token.too_short": (
        "LIENTHONG_ADMIN_TOKEN quá ngắn: cần ít nhất {min} ký tự (đang có {length}).",
        "LIENTHONG_ADMIN_TOKEN is too short: at least {min} characters are needed (it has {length}).",
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
    # settings from the environment (issue 7 item 6): kernel.settings
    "settings.invalid": (
        "Biến môi trường {name} có giá trị không hợp lệ: {value}",
        "The environment variable {name} has an invalid value: {value}",
    ),
    # guards across apps (issue 7 item 5): kernel.guards, sync.guards
    "app.sync": ("bộ kết nối Liên thông", "the connector"),
    "guard.refused": ("Ứng dụng {app} không đồng ý: {reason}", "The {app} app does not agree: {reason}"),
    "guard.unreachable": (
        "Chưa thực hiện: cần hỏi {app} trước nhưng không kết nối được. Hãy thử lại khi {app} hoạt động trở lại.",
        "Not done: {app} must be asked first but cannot be reached. Try again when {app} is back.",
    ),
    # products, product groups and price policies (issue 8, the apps' side)
    "money.format": (
        "Số tiền phải là một chuỗi số thập phân: tối đa 15 chữ số, có thể thêm dấu '.' và tối đa 4 chữ số thập phân (\"1250000\").",
        "An amount is a decimal string: up to 15 digits, optionally '.' and up to 4 decimals (\"1250000\").",
    ),
    "money.percent": (
        "Tỷ lệ phần trăm phải là một chuỗi số từ 0 đến 100, tối đa 4 chữ số thập phân (\"12.5\").",
        "A percentage is a decimal string from 0 to 100, with up to 4 decimals (\"12.5\").",
    ),
    "merge.same_record": (
        "Bản ghi {ident} không thể gộp: nó là bản ghi được giữ lại hoặc đã được nêu.",
        "The record {ident} cannot be merged: it is the record kept, or it is listed twice.",
    ),
    "price_policy.price_or_discount": (
        "Mỗi dòng hàng cần đúng một trong hai: đơn giá (price) hoặc tỷ lệ chiết khấu (discount_percent).",
        "Each item needs exactly one of a price (price) or a discount (discount_percent).",
    ),
    "price_policy.product_twice": ("Hàng hóa {code} đã có ở dòng trước.", "The product {code} is listed twice."),
    "price_policy.product_outside_groups": (
        "Hàng hóa {code} không thuộc nhóm hàng hóa nào mà chính sách giá áp dụng.",
        "The product {code} is not in any product group the price policy applies to.",
    ),
    "price_policy.dates": ("Ngày hết hiệu lực không được trước ngày bắt đầu hiệu lực.", "The last valid day cannot be before the first."),
    "price_policy.from_accounting": (
        "Chính sách giá {code} được lấy từ Kế toán (chính sách {source}) nên không sửa được trên CRM; hãy sửa chính sách gốc trên Kế toán.",
        "The price policy {code} comes from accounting (policy {source}), so it cannot be edited in CRM; edit the original policy in accounting.",
    ),
    "import.product.clash": (
        "Hàng hóa mã {code} vừa bị thay đổi bởi người khác trong lúc nhập khẩu ({reason}).",
        "The product {code} was changed by someone else during the import ({reason}).",
    ),
    "import.product.not_found_for_update": ("Không có hàng hóa mã {code} để cập nhật.", "No product with the code {code} to update."),
    "import.product.exists_for_insert": (
        "Hàng hóa mã {code} đã tồn tại (kiểu nhập khẩu Thêm mới).",
        "A product with the code {code} already exists (import mode insert).",
    ),
    "cli.bad_app": ("Ứng dụng phải là một trong: {choices}.", "The app must be one of: {choices}."),
    "column.product.code": ("Mã hàng hóa", "Product code"),
    "column.product.name": ("Tên hàng hóa", "Product name"),
    "column.product.group_code": ("Nhóm hàng hóa", "Product group"),
    "column.product.unit": ("Đơn vị tính", "Unit"),
    "column.product.unit_price": ("Đơn giá", "Unit price"),
    "column.product.vat_rate": ("Thuế suất GTGT", "VAT rate"),
    "column.product.kind": ("Tính chất", "Kind"),
    "column.product.active": ("Đang theo dõi", "Active"),
    # people (issue 9, API side): sign-in with a password, CRM sharing, owner tools, merge
    "title.too_many_requests": ("Quá nhiều lần thử", "Too many tries"),
    "sign_in.failed": ("Mã người dùng hoặc mật khẩu không đúng.", "Wrong user code or password."),
    "sign_in.slowed_down": (
        "Đã nhập sai mật khẩu nhiều lần liên tiếp: tài khoản tạm khóa đăng nhập, hãy thử lại sau {retry} giây.",
        "Too many wrong passwords in a row: signing in to this account is paused; try again after {retry} s.",
    ),
    "sign_in.ambiguous": (
        "Mã người dùng và mật khẩu này khớp với người dùng của nhiều công ty: hãy cho biết công ty (tenant_id).",
        "This user code and password match users of several companies: give the company (tenant_id).",
    ),
    "password.too_short": ("Mật khẩu cần ít nhất 8 ký tự.", "A password needs at least 8 characters."),
    "password_link.invalid": (
        "Liên kết đặt mật khẩu không đúng, đã dùng hoặc đã hết hạn: hãy xin quản trị viên một liên kết mới.",
        "The password link is wrong, used or expired: ask the administrator for a new one.",
    ),
    "column.owner_code": ("Chủ sở hữu", "Owner"),
    "import.not_yours": (
        "Khách hàng {code} thuộc người khác: bạn chỉ được sửa khách hàng của mình.",
        "Customer {code} belongs to someone else: you may change only your own customers.",
    ),
    "handover.assignee_inactive": ("Người dùng {code} đã ngừng hoạt động: không bàn giao được.", "User {code} is inactive: nothing can be handed over to them."),
    "merge.count": ("Chọn 2 đến 3 khách hàng để gộp (bản ghi giữ lại và 1–2 bản ghi gộp vào).", "Choose 2 to 3 customers to merge (the one kept and 1-2 merged into it)."),
    "merge.survivor_merged": ("Bản ghi giữ lại không được nằm trong danh sách gộp vào.", "The customer kept cannot also be merged away."),
    "merge.value_from": ("Giá trị phải lấy từ một trong các khách hàng đang gộp ({ids}).", "The value must come from one of the customers being merged ({ids})."),
    "forbidden.password_link": (
        "Vai trò {role} không được tạo liên kết đặt mật khẩu: chỉ quản trị viên được làm.",
        "The role {role} may not make password links: only administrators may.",
    ),
    # manual sync and pulling on demand (issue 9 items 3, 4, 6; issue 8 item 4): sync.manual, its API, CLI and screens
    "sync.manual.bad_kind": (
        "Loại dữ liệu {kind} không đồng bộ thủ công được; chọn một trong: {choices}.",
        "The kind {kind} cannot be synced by hand; choose one of: {choices}.",
    ),
    "sync.manual.bad_app": ("Không có ứng dụng {app} để đồng bộ; chọn một trong: {choices}.", "There is no app {app} to sync from; choose one of: {choices}."),
    "sync.manual.ids_and_all": (
        "Chọn bản ghi theo danh sách mã (ids) hoặc lấy tất cả (all), không cả hai.",
        "Choose records by their ids or take all of them (all), not both.",
    ),
    "sync.manual.nothing_chosen": ("Hãy chọn bản ghi (ids) hoặc lấy tất cả (all: true).", "Choose records (ids) or take all of them (all: true)."),
    "sync.manual.ids_empty": ("Danh sách bản ghi (ids) đang trống: hãy chọn ít nhất một bản ghi.", "The list of records (ids) is empty: choose at least one record."),
    "sync.manual.not_connected": (
        "{source} và {target} chưa được kết nối: hãy kết nối hai ứng dụng trước (Kết nối ứng dụng).",
        "{source} and {target} are not connected: connect the two apps first.",
    ),
    "sync.manual.kind_not_connected": (
        "Loại dữ liệu {kind} không nằm trong kết nối: hãy thêm nó vào dữ liệu cập nhật của kết nối.",
        "The kind {kind} is not connected: add it to the connection's kinds first.",
    ),
    "sync.manual.not_found": ("Không có {kind} với mã bản ghi (id): {ids}.", "There is no {kind} with the id: {ids}."),
    "sync.manual.crm_policies_stay": (
        "Chính sách giá không đồng bộ từ CRM sang Kế toán (quy tắc {rule}: thay đổi trên CRM không bao giờ đồng bộ sang Kế toán). "
        "Chính sách giá riêng của CRM chỉ dùng trên CRM, còn chính sách lấy từ Kế toán thuộc về Kế toán và chỉ sửa được ở đó. "
        "Hãy đồng bộ chính sách giá từ Kế toán (from: accounting).",
        "Price policies do not sync from CRM to accounting (rule {rule}: CRM-side changes never sync to accounting). "
        "CRM's own price policies stay in CRM, and those that came from accounting belong to accounting and are edited there only. "
        "Sync price policies from accounting (from: accounting).",
    ),
    "cli.manual.push": ("Đồng bộ {kind}", "Syncing {kind}"),
    "cli.manual.pull": ("Lấy về {kind}", "Pulling {kind}"),
    "cli.manual.preview": ("Xem trước (chưa ghi gì)", "Preview (nothing written)"),
    "cli.manual.done": ("Kết quả từng bản ghi", "Outcome per record"),
    "cli.manual.id": ("ID", "ID"),
    "cli.manual.code": ("Mã", "Code"),
    "cli.manual.outcome": ("Kết quả", "Outcome"),
    "cli.manual.reason": ("Lý do", "Reason"),
    "cli.manual.bad_ids": ("--ids cần các số cách nhau bằng dấu phẩy (1,2), không phải {value}.", "--ids takes numbers separated by commas (1,2), not {value}."),
    "forbidden.manual_push": (
        "Vai trò {role} không được đồng bộ thủ công: chỉ quản trị viên được làm.",
        "The role {role} may not run a manual sync: only administrators may.",
    ),
    "forbidden.manual_pull_crm": (
        "Vai trò {role} không được lấy khách hàng từ CRM về Kế toán: chỉ quản trị viên và kế toán được làm.",
        "The role {role} may not pull records from CRM into accounting: only administrators and accountants may.",
    ),
    "forbidden.manual_pull_accounting": (
        "Vai trò {role} không được chuẩn hóa dữ liệu (lấy từ Kế toán về CRM): chỉ quản trị viên và quản lý được làm.",
        "The role {role} may not normalise data (pull from accounting into CRM): only administrators and managers may.",
    ),
}


class Term(str):
    """A message key given as a parameter of another message (a record's name such as
    ``kind.customers``, an outcome such as ``how.linked``): it is rendered in the language
    of the message that contains it, so no Vietnamese word lands in an English text."""


def term(key: str) -> Term:
    return Term(key)


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
    lang = lang or current_language()
    vi, en = MESSAGES.get(key, (key, key))
    template = en if lang == "en" else vi
    params = {k: (t(v, lang) if isinstance(v, Term) else v) for k, v in params.items()}
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


def both(key: str, **params: object) -> tuple[str, str]:
    """The message in Vietnamese and in English."""
    return t(key, "vi", **params), t(key, "en", **params)
