"""The connection itself and the guarantees that hold for every rule (SPEC sections 1 and 12)."""

from __future__ import annotations

from lienthong.sync.rules.base import Rule

CONNECT = Rule(
    "CON-1",
    "Quản trị viên kết nối Kế toán với CRM từ thiết lập của Kế toán; khi chưa kết nối, Kế toán khuyến nghị kết nối.",
    "An administrator connects accounting with CRM from accounting's settings; while nothing is connected, accounting recommends connecting.",
    applied_vi="Chưa kết nối Kế toán với CRM. Hãy kết nối để khách hàng, hàng hóa và chứng từ được đồng bộ tự động.",
    applied_en="Accounting is not connected with CRM yet. Connect them so customers, products and documents sync automatically.",
)
CONNECTED_KINDS = Rule(
    "CON-2",
    "Khi kết nối, chọn loại dữ liệu được đồng bộ; chỉ loại đã chọn mới đồng bộ.",
    "Connecting chooses which data kinds sync; only connected kinds sync.",
    skipped_vi="Không đồng bộ {code}: loại dữ liệu {kind} chưa được kết nối giữa {source} và {target}.",
    skipped_en="{code} was not synced: the data kind {kind} is not connected between {source} and {target}.",
)
THREE_STEPS = Rule(
    "CON-3",
    "Lần đồng bộ đầu tiên gồm ba bước theo đúng thứ tự: nhân viên; danh mục; chứng từ. Chạy lại một bước không tạo bản ghi trùng.",
    "The first synchronisation runs in three steps, in order: employees; catalogs; documents. Re-running a step creates no duplicates.",
    applied_vi="Khi kết nối, {kind} {code}: {how}.",
    applied_en="At connection, {kind} {code}: {how}.",
    skipped_vi="Khi kết nối, {kind} {code}: {how}.",
    skipped_en="At connection, {kind} {code}: {how}.",
)
STEP_ORDER = Rule(
    "CON-4",
    "Phải đồng bộ cơ cấu tổ chức và nhân viên (bước 1) trước; chưa xong bước 1 thì không chạy bước 2.",
    "Org structure and employees (step 1) must be synced first; step 2 does not start until step 1 has succeeded.",
)
DIRECTIONS = Rule(
    "CON-5",
    "Nhân viên một chiều (Hệ thống sang Kế toán); danh mục hai chiều; chứng từ tạo một chiều CRM sang Kế toán, trạng thái đi ngược lại.",
    "Employees one way (system to accounting); catalogs both ways; documents are created one way, CRM to accounting, and their statuses flow back.",
)
ORDER_MAPPING = Rule(
    "CON-6",
    "Một thiết lập quyết định đơn hàng CRM thành Đơn đặt hàng hay Hợp đồng trên Kế toán.",
    "A setting decides whether CRM orders become accounting sales orders or contracts.",
)
REACHABILITY = Rule(
    "CON-7",
    "Đồng bộ tự động cần ứng dụng kia truy cập được; trong lúc không truy cập được, thay đổi chờ theo thứ tự và được gửi khi ứng dụng hoạt động lại, không mất, không áp dụng hai lần.",
    "Automatic sync needs the other app reachable; while it is not, changes wait in order and are delivered when it is back; nothing lost, nothing applied twice.",
)
SAME_TRANSACTION = Rule(
    "ENG-1",
    "Mọi thay đổi một ứng dụng ghi đều sinh sự kiện trong cùng giao dịch.",
    "Every change an app commits produces its event in the same transaction.",
)
EXACTLY_ONCE = Rule(
    "ENG-2",
    "Gửi ít nhất một lần, áp dụng không lặp: mỗi thay đổi có hiệu lực đúng một lần, kể cả khi sự cố hoặc gửi lại.",
    "Delivery is at least once and applying is idempotent, so each change takes effect exactly once, even after a crash or a repeated delivery.",
)
RECORD_ORDER = Rule(
    "ENG-3",
    "Các thay đổi của một bản ghi được áp dụng theo thứ tự; một bản ghi lỗi không chặn bản ghi khác.",
    "Changes to one record apply in the order they were made; a failing record never blocks other records.",
    skipped_vi="Thay đổi này chờ sau một thay đổi trước đó của cùng bản ghi đang bị tạm giữ.",
    skipped_en="This change waits behind an earlier change of the same record that is parked.",
    # a record and its counterpart are one record: an edit made on one side never
    # overwrites a field the other side's own edit changed after it
    reasons={"later_edit": (
        "Không ghi đè {field} của {code} trên {target}: bên đó đã sửa trường này sau thay đổi này, nên giữ bản sửa sau và đồng bộ nó ngược lại.",
        "{field} of {code} was not overwritten in {target}: it was edited there after this change, so the later edit stands and syncs back.",
    )},
)
PARKING = Rule(
    "ENG-4",
    "Thay đổi lỗi nhiều lần được tạm giữ kèm lỗi, quản trị viên xem được và thử lại sau khi sửa nguyên nhân.",
    "A change that fails repeatedly is parked with its error, visible to an administrator, and can be retried after the cause is fixed.",
    skipped_vi="Tạm giữ sau {attempts} lần thử: {error}",
    skipped_en="Parked after {attempts} attempts: {error}",
    reasons={"unfit": ("Tạm giữ ngay khi đọc, không giao cho quy tắc nào: {error}", "Parked as soon as it was read, given to no rule: {error}")},
)
DECISION_LOG = Rule(
    "ENG-5",
    "Mọi quyết định (áp dụng, bỏ qua, tạm giữ) được lưu trong nhật ký đồng bộ tra cứu được, kèm quy tắc và lý do bằng tiếng Việt và tiếng Anh.",
    "Every decision (applied, skipped, parked) is kept in a searchable sync log with its rule and a reason in Vietnamese and English.",
)
LINKS = Rule(
    "ENG-6",
    "Liên kết giữa bản ghi của hai ứng dụng do bộ kết nối giữ; chỉ so khớp theo mã ở nơi quy tắc cho phép.",
    "Links between records of two apps are kept by the connector; codes are matched only where a rule says so.",
    reasons={
        "gone": (
            "Bản ghi tương ứng của {code} không còn nữa (đã bị xóa); liên kết đã được gỡ và thay đổi được xét lại.",
            "The counterpart of {code} no longer exists (it was deleted); the link was removed and the change is decided again.",
        ),
        "moved": (
            "{code} đã được gộp vào {survivor}; liên kết với bản ghi tương ứng trên {target} được chuyển sang {survivor}.",
            "{code} was merged into {survivor}; its link to its counterpart in {target} now points at {survivor}.",
        ),
        "kept": (
            "{code} đã được gộp vào {survivor}, vốn đã có bản ghi tương ứng trên {target}; bản ghi trên {target} trước đây tương ứng với {code} vẫn trỏ tới {survivor} để chứng từ sau này vẫn tìm được khách hàng, nhưng sửa đổi của nó không còn được đồng bộ.",
            "{code} was merged into {survivor}, which already has a counterpart in {target}; the record in {target} that was {code}'s counterpart still points at {survivor}, so later documents still find the customer, but its edits are no longer synced.",
        ),
        "dropped": (
            "{code} đã được gộp vào {survivor}, vốn đã có bản ghi tương ứng trên {target}; liên kết của {code} được gỡ, bản ghi bên kia giữ nguyên dữ liệu.",
            "{code} was merged into {survivor}, which already has a counterpart in {target}; the link of {code} was removed and that record keeps its data.",
        ),
    },
)
BAD_INPUT = Rule(
    "ENG-7",
    "Dữ liệu sai nhận lỗi rõ ràng nêu trường và lý do, và không thay đổi gì.",
    "Bad input gets a clear error naming the field and the reason, and changes nothing.",
)

RULES = [
    CONNECT,
    CONNECTED_KINDS,
    THREE_STEPS,
    STEP_ORDER,
    DIRECTIONS,
    ORDER_MAPPING,
    REACHABILITY,
    SAME_TRANSACTION,
    EXACTLY_ONCE,
    RECORD_ORDER,
    PARKING,
    DECISION_LOG,
    LINKS,
    BAD_INPUT,
]
