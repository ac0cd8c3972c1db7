"""The SPEC rules CRM keeps by itself (not the connector's: those are in the rulebook,
:mod:`lienthong.sync.rules`), each declared once with where it is kept."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AppRule:
    id: str
    vi: str
    en: str
    where: str  # the module that keeps it


RULES = [
    AppRule(
        "CUS-S1",
        "Chia sẻ trên CRM: nhân viên kinh doanh xem và sửa khách hàng, liên hệ mình sở hữu; quản lý và quản trị viên xem tất cả; bản ghi không có chủ sở hữu chỉ quản lý và quản trị viên xem được.",
        "CRM sharing: sales staff see and change the customers and contacts they own; managers and administrators see all; records with no owner are visible to managers and administrators only.",
        "lienthong.crm.sharing",
    ),
    AppRule(
        "CUS-H1",
        "Bàn giao công việc: chủ sở hữu của các khách hàng được chọn (và liên hệ của họ, nếu chọn) trở thành người thực hiện; nhật ký ghi ai bàn giao gì cho ai.",
        "Handover: the owner of the chosen customers (and their contacts, if ticked) becomes the assignee; the log says who handed what to whom.",
        "lienthong.crm.owners",
    ),
    AppRule(
        "CUS-H2",
        "Danh sách khách hàng có bộ lọc \"chủ sở hữu trống\".",
        "The customer list has the filter \"owner is empty\".",
        "lienthong.crm.customers",
    ),
    AppRule(
        "CUS-X1",
        "Xuất khẩu khách hàng được chọn hoặc được lọc ra Excel theo bố cục của sản phẩm gốc: hai dòng tiêu đề rồi dòng tên cột (Mã khách hàng, Tên khách hàng, …, Chủ sở hữu).",
        "Export the ticked or filtered customers to Excel in the source product's layout: two title rows, then the header row (Mã khách hàng, Tên khách hàng, …, Chủ sở hữu).",
        "lienthong.crm.customer_excel",
    ),
    AppRule(
        "CUS-X2",
        "Nhập khẩu khách hàng theo kiểu Thêm mới, Cập nhật hoặc Cả hai; chủ sở hữu lấy từ cột Chủ sở hữu của tệp (mã người dùng) hoặc là một người dùng cố định; thay đổi chủ sở hữu kiểu này chỉ có trên CRM.",
        "Import customers in insert, update or upsert mode; the owner from the file's Chủ sở hữu column (user codes) or one fixed user; owner changes made this way stay in CRM.",
        "lienthong.crm.customer_excel",
    ),
    AppRule(
        "CUS-X3",
        "Nhập khẩu tự tìm dòng tên cột (không cần xóa hai dòng tiêu đề), kiểm tra mọi dòng trước và báo từng dòng lỗi với số dòng, cột và lý do; tệp bị từ chối không ghi gì.",
        "Import finds the header row by itself (the two title rows need not be deleted), checks every row first and reports each bad row with its number, column and reason; a rejected file writes nothing.",
        "lienthong.crm.customer_excel",
    ),
    AppRule(
        "PRC-3",
        "Chính sách giá đến từ Kế toán không sửa được trên CRM, kể cả sửa nhanh (bị từ chối với thông báo rõ ràng; giao diện không cho sửa).",
        "A price policy that came from accounting cannot be edited or quick-edited in CRM (refused with a clear message; the UI offers no edit).",
        "lienthong.crm.price_policies",
    ),
]
