"""Writing audit entries. Call `log` inside the service's transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from thidua.audit.models import AuditEntry

# Human-readable Vietnamese labels for action codes, shown in the audit log page.
ACTION_LABELS: dict[str, str] = {
    "unit.created": "Tạo đơn vị",
    "unit.updated": "Sửa đơn vị",
    "unit.merged": "Sáp nhập đơn vị",
    "unit.split": "Chia tách đơn vị",
    "unit.renamed": "Đổi tên đơn vị",
    "unit.moved": "Chuyển đơn vị trực thuộc",
    "unit.dissolved": "Giải thể đơn vị",
    "cluster.created": "Tạo cụm/khối thi đua",
    "cluster.updated": "Sửa cụm/khối thi đua",
    "person.created": "Thêm nhân sự",
    "person.updated": "Sửa nhân sự",
    "person.transferred": "Điều chuyển nhân sự",
    "import.committed": "Nhập dữ liệu từ tệp",
    "demo.loaded": "Nạp dữ liệu mẫu",
    "account.login": "Đăng nhập",
    "account.login_failed": "Đăng nhập thất bại",
    "account.logout": "Đăng xuất",
    "account.password_changed": "Đổi mật khẩu",
    "account.token_created": "Tạo khóa API",
    "account.token_regenerated": "Tạo lại khóa API",
    "person.service_ended": "Ghi nhận thôi công tác",
    "person.position_added": "Thêm quá trình công tác",
    "person.personal_data_viewed": "Xem thông tin cá nhân đầy đủ",
    "account.created": "Tạo tài khoản cho nhân sự",
    "account.linked": "Gắn tài khoản với hồ sơ nhân sự",
    "account.unlinked": "Gỡ tài khoản khỏi hồ sơ nhân sự",
    "account.activated": "Mở khóa tài khoản",
    "account.deactivated": "Khóa tài khoản",
    "account.password_reset": "Đặt lại mật khẩu (dùng một lần)",
    "cluster.members_added": "Thêm đơn vị vào cụm/khối thi đua",
    "cluster.member_removed": "Bỏ đơn vị khỏi cụm/khối thi đua",
    "cluster.copied": "Sao chép cụm/khối thi đua sang năm mới",
    "membership.granted": "Cấp quyền",
    "membership.revoked": "Thu hồi quyền",
    "eligibility.evaluated": "Xét điều kiện khen thưởng",
    "rules.options_changed": "Thay đổi tùy chọn quy tắc",
    "movement.created": "Tạo phong trào thi đua",
    "movement.updated": "Sửa phong trào thi đua",
    "movement.document_added": "Thêm văn bản phong trào",
    "movement.milestone_added": "Thêm mốc thời gian phong trào",
    "movement.participants_added": "Thêm đơn vị tham gia phong trào",
    "movement.launched": "Phát động phong trào thi đua",
    "movement.started": "Triển khai phong trào thi đua",
    "movement.review_opened": "Sơ kết, tổng kết phong trào",
    "movement.reopened": "Mở lại phong trào",
    "movement.closed": "Kết thúc phong trào",
    "movement.leads_recorded": "Ghi nhận đơn vị dẫn đầu phong trào",
    "scoring_table.saved": "Lưu bảng chấm điểm",
    "scoring_table.copied": "Sao chép bảng chấm điểm sang năm khác",
    "registration.saved": "Lưu đăng ký thi đua",
    "registration.submitted": "Gửi đăng ký thi đua",
    "registration.returned": "Trả lại đăng ký thi đua",
    "registration.approved": "Duyệt đăng ký thi đua",
    "result.saved": "Nhập số liệu kết quả thi đua",
    "result.imported": "Nhập kết quả thi đua từ tệp Excel",
    "result.self_scored": "Đơn vị tự chấm điểm",
    "result.reviewed": "Thẩm định kết quả thi đua",
    "result.corrected": "Sửa số liệu, nhập điểm hội đồng (có lý do)",
    "result.explained": "Giải trình kết quả thi đua",
    "result.finalised": "Chốt điểm chính thức",
    "result.evidence_added": "Thêm minh chứng",
    "ranking.computed": "Tính xếp hạng cụm, khối",
    "ranking.published": "Công bố xếp hạng cụm, khối",
    "ranking.recorded": "Ghi nhận xếp hạng cụm, khối (chấm ngoài hệ thống)",
    "rating.saved": "Lưu xếp loại hoàn thành nhiệm vụ",
    "ratings.year_closed": "Khóa sổ xếp loại của năm",
    "notices.deadlines": "Thông báo hạn đăng ký thi đua",
    "rating.imported": "Nhập xếp loại từ tệp Excel",
    "settings.updated": "Sửa thiết lập khen thưởng",
    "council.created": "Thành lập Hội đồng thi đua – khen thưởng",
    "meeting.held": "Họp Hội đồng thi đua – khen thưởng",
    "ballot.opened": "Mở bỏ phiếu kín",
    "ballot.voted": "Ghi nhận đã bỏ phiếu",
    "ballot.closed": "Kiểm phiếu",
    "ballot.cancelled": "Hủy cuộc bỏ phiếu (không kiểm phiếu)",
    "candidate.proposed": "Xét đề nghị tự động",
    "candidate.confirmed": "Xác nhận đề nghị khen thưởng",
    "candidate.removed": "Loại khỏi danh sách đề nghị",
    "candidate.added": "Bổ sung đề nghị ngoài kết quả xét tự động",
    "dossier.created": "Lập hồ sơ đề nghị khen thưởng",
    "dossier.submitted": "Trình hồ sơ đề nghị khen thưởng",
    "dossier.returned": "Trả lại hồ sơ để bổ sung",
    "dossier.appraised": "Thẩm định hồ sơ",
    "decision.issued": "Ban hành quyết định khen thưởng",
    "award.revoked": "Hủy bỏ quyết định, thu hồi khen thưởng",
    "reminders.sent": "Gửi thư nhắc hạn thẩm định hồ sơ",
    "meeting.attendance_corrected": "Sửa danh sách có mặt phiên họp",
}


def log(
    action: str,
    *,
    actor: Any,
    obj: models.Model | None = None,
    unit_path: str = "",
    detail: dict[str, Any] | None = None,
    object_repr: str = "",
) -> AuditEntry:
    """Record one audit entry. `actor` is a user or None (system); `unit_path` scopes who may read it."""
    user = actor if getattr(actor, "pk", None) else None
    return AuditEntry.objects.create(
        actor=user,
        actor_name=(user.get_username() if user is not None else "hệ thống"),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:255],
        unit_path=unit_path,
        detail=detail or {},
    )


def action_label(code: str) -> str:
    return ACTION_LABELS.get(code, code)
