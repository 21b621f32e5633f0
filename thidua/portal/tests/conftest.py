"""A public site to visit: issued, revoked and history-only awards, articles in every state, a
public movement with a public and an internal document. People carry private details that must never
show on a public page."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.base import ContentFile

PRIVATE = {
    "citizen ids": ["001085012345", "001190012346", "079088000777"],
    "birth dates": ["02/04/1985", "1985-04-02", "09/07/1990", "1990-07-09", "20/01/1988"],
    "contacts": ["an.nv@vss.gov.vn", "0912345678", "binh.tt@vss.gov.vn"],
}


@pytest.fixture
def site(org: SimpleNamespace, personas: SimpleNamespace, media: Any) -> SimpleNamespace:
    from thidua.awards import services as award_services
    from thidua.history.models import AwardRecord
    from thidua.movements import services as movement_services
    from thidua.movements.models import Movement, MovementDocument
    from thidua.org.models import Person
    from thidua.portal import services
    from thidua.portal.models import Article
    from thidua.reports.tests.workflow import record_issued

    Person.objects.filter(pk=org.an.pk).update(email="an.nv@vss.gov.vn", phone="0912345678")
    Person.objects.filter(pk=org.binh.pk).update(email="binh.tt@vss.gov.vn")

    def award(subject: Any, award_id: str, year: int = 2025, kind: str = "title") -> AwardRecord:
        who = {"person": subject} if isinstance(subject, Person) else {"unit": subject}
        return AwardRecord.objects.create(
            **who,
            kind=kind,
            award_id=award_id,
            year=year,
            decided_on=date(year + 1, 1, 15),
            decision_number="12/QĐ-BHXH",
        )

    an_cstd = award(org.an, "chien_si_thi_dua_co_so")
    cuong_cstd = award(org.cuong, "chien_si_thi_dua_co_so")
    record_issued(org.a, org.root, [an_cstd, cuong_cstd], number="12/QĐ-BHXH")
    binh_bk = award(org.binh, "bang_khen_bo_tinh", kind="form")
    record_issued(org.a, org.root, [binh_bk], number="13/QĐ-BHXH")
    a_co = award(org.a, "co_thi_dua_bo_tinh")
    record_issued(org.root, org.b, [a_co], number="14/QĐ-BHXH")  # appraiser must differ from the unit
    an_ldtt = award(org.an, "lao_dong_tien_tien")
    record_issued(org.a_dept, org.a, [an_ldtt], number="15/QĐ-BHXH")  # a yearly title: not on the board
    history_only = award(org.cuong, "bang_khen_bo_tinh", year=2023, kind="form")  # no decision here
    award_services.revoke_award(
        actor=personas.admin,
        award=cuong_cstd,
        clause="a",
        revoked_on=date(2026, 6, 1),
        decision_number="20/QĐ-BHXH",
    )

    officer = personas.officer  # officer of province A
    news = services.create_article(
        actor=officer,
        kind=Article.Kind.NEWS,
        title="Hội nghị phát động phong trào thi đua năm 2026",
        summary="BHXH thành phố Hà Nội phát động phong trào thi đua.",
        body="Các phòng ký giao ước thi đua.\n\nPhong trào hướng tới phục vụ người dân.",
        unit=org.a,
    )
    news = services.publish_article(actor=officer, article=news, version=news.version)
    story = services.create_article(
        actor=officer,
        kind=Article.Kind.STORY,
        title="Gương sáng trong ngành: Nguyễn Văn An",
        summary="Chiến sĩ thi đua cơ sở năm 2025.",
        body="<p>Anh <strong>Nguyễn Văn An</strong> có sáng kiến số hóa hồ sơ thu.</p>",
        unit=org.a_dept,
    )
    story = services.publish_article(actor=officer, article=story, version=story.version)
    draft = services.create_article(
        actor=officer,
        kind=Article.Kind.NEWS,
        title="Bản nháp mật chưa đăng",
        summary="Nháp",
        body="Chưa xong",
        unit=org.a,
    )
    withdrawn = services.create_article(
        actor=officer,
        kind=Article.Kind.NEWS,
        title="Bài đã gỡ vì sai sót",
        summary="Gỡ",
        body="Sai",
        unit=org.a,
    )
    withdrawn = services.publish_article(actor=officer, article=withdrawn, version=withdrawn.version)
    withdrawn = services.withdraw_article(
        actor=officer, article=withdrawn, version=withdrawn.version, reason="Sai sót"
    )

    movement = movement_services.create_movement(
        actor=None,
        title="Phong trào chung tay vì người nghèo của Hà Nội",
        kind=Movement.Kind.THEMATIC,
        authority=Movement.Authority.BO_NGANH_TINH,
        launching_unit=org.a,
        theme="Tặng sổ BHXH tự nguyện, thẻ BHYT cho người nghèo",
        start_year=2025,
        end_year=2025,
    )
    public_doc = movement_services.add_movement_document(
        actor=None,
        movement=movement,
        kind=MovementDocument.Kind.PLAN,
        number_symbol="1250/KH-BHXH",
        issued_on=date(2025, 7, 1),
        summary="Kế hoạch phát động đợt thi đua",
        file=ContentFile(b"%PDF-1.4 ke hoach", name="ke-hoach.pdf"),
    )
    internal_doc = movement_services.add_movement_document(
        actor=None,
        movement=movement,
        kind=MovementDocument.Kind.GUIDANCE,
        number_symbol="77/BHXH-VP",
        issued_on=date(2025, 8, 1),
        summary="Hướng dẫn nội bộ chấm điểm",
        file=ContentFile(b"noi bo", name="noi-bo.pdf"),
    )
    movement_services.add_participants(actor=None, movement=movement, units=[org.a_dept])
    movement_services.launch_movement(actor=None, movement=movement, launched_on=date(2025, 7, 1))
    movement_services.set_movement_publicity(
        actor=None, movement=movement, public=True, public_documents=[public_doc.pk]
    )
    hidden_movement = movement_services.create_movement(
        actor=None,
        title="Phong trào chưa công khai",
        kind=Movement.Kind.REGULAR,
        authority=Movement.Authority.BO_NGANH_TINH,
        launching_unit=org.a,
        start_year=2025,
    )
    return SimpleNamespace(
        **vars(org),
        officer=officer,
        awards=SimpleNamespace(
            an_cstd=an_cstd,
            cuong_cstd=cuong_cstd,
            binh_bk=binh_bk,
            a_co=a_co,
            an_ldtt=an_ldtt,
            history_only=history_only,
        ),
        news=news,
        story=story,
        draft=draft,
        withdrawn=withdrawn,
        movement=movement,
        public_doc=public_doc,
        internal_doc=internal_doc,
        hidden_movement=hidden_movement,
    )
