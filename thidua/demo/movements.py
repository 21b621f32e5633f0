"""The seed scenario (shared/seed/article-bhxh-phong-trao-thi-dua-2019.txt) as demo data.

What is loaded, and why it is modelled so:

- The three movements launched by the Prime Minister named in the article, recorded outside the
  organisation tree (authority "Thủ tướng Chính phủ", no launching unit). Their launching decisions
  are not confirmed by our sources (domain/bhxh.md §3), so no number or date is invented for them.
- BHXH Việt Nam's Công văn 856/BHXH-TĐKT of 21/03/2019 asks the provinces and affiliated units to push
  the three movements. A sector implements each national movement with its own plan and targets, so
  BHXH Việt Nam gets one movement per PM movement (`parent` = the PM movement), and the letter is
  attached to each as its guidance document. ("Nông thôn mới 2016–2020" is closed; the others go on.)
- The sector's regular movement of 2026 (BHXH Việt Nam, every BHXH tỉnh) scored with the illustrative
  table `data/criteria-example.yaml`: registrations in January, year-to-date results of quý I–III
  reviewed and final, and the quarterly rankings of each "Cụm thi đua số N" of 2026 published. The
  yearly ranking (which sets ClusterMember.rank) is left to the year-end review, as in reality.
- A provincial unit implements the "vì người nghèo" movement with a thematic movement of its own for
  the second half of 2025 (after the 2025 reorganisation): its BHXH cơ sở register targets and titles,
  report figures, are reviewed and ranked inside a khối thi đua organised by the province; the movement
  is under review and its leader recorded. Numbers of the provincial plan and all figures are invented.

Idempotent: a second call finds the movements by title and changes nothing.
"""

from __future__ import annotations

import random
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from thidua.movements import scoring, services
from thidua.movements.models import Milestone, Movement, MovementDocument, Period, participating_units
from thidua.org.models import Cluster, ClusterMember, Unit

PM_MOVEMENTS: list[dict[str, Any]] = [
    {
        "title": "Cả nước chung tay xây dựng nông thôn mới",
        "theme": "Huy động cả hệ thống chính trị và toàn xã hội chung tay xây dựng nông thôn mới (giai đoạn 2016–2020)",
        "start_year": 2016,
        "end_year": 2020,
        "sector_title": "Ngành BHXH chung tay xây dựng nông thôn mới",
        "sector_theme": "Phát triển người tham gia BHXH, BHYT ở khu vực nông thôn; hoàn thành tiêu chí bảo hiểm y tế "
        "trong Bộ tiêu chí quốc gia về xã nông thôn mới",
    },
    {
        "title": "Cả nước chung tay vì người nghèo - Không để ai bị bỏ lại phía sau",
        "theme": "Chung tay giảm nghèo bền vững, không để ai bị bỏ lại phía sau",
        "start_year": 2016,
        "end_year": None,
        "sector_title": "Ngành BHXH chung tay vì người nghèo - Không để ai bị bỏ lại phía sau",
        "sector_theme": "Vận động tặng sổ BHXH tự nguyện, thẻ BHYT cho người nghèo, người có hoàn cảnh khó khăn; "
        "bảo đảm người nghèo được hưởng đầy đủ chế độ BHYT",
    },
    {
        "title": "Doanh nghiệp Việt Nam hội nhập và phát triển",
        "theme": "Doanh nghiệp đổi mới, hội nhập, phát triển; thực hiện đầy đủ trách nhiệm với người lao động",
        "start_year": 2016,
        "end_year": None,
        "sector_title": "Ngành BHXH đồng hành cùng doanh nghiệp hội nhập và phát triển",
        "sector_theme": "Cải cách thủ tục hành chính, giao dịch điện tử về BHXH, BHYT cho doanh nghiệp; "
        "giảm chậm đóng, nợ đóng BHXH",
    },
]

LETTER_DATE = date(2019, 3, 21)
LETTER: dict[str, Any] = {
    "number_symbol": "856/BHXH-TĐKT",
    "issued_on": LETTER_DATE,
    "issuer": "Bảo hiểm xã hội Việt Nam",
    "summary": "V/v đẩy mạnh thực hiện các phong trào thi đua do Thủ tướng Chính phủ phát động",
}
POLITICAL_TASKS = (
    "Tăng cường lãnh đạo, chỉ đạo, tuyên truyền về thi đua, khen thưởng; thi đua với chỉ tiêu cụ thể gắn với "
    "nhiệm vụ chính trị của ngành và từng đơn vị: phát triển người tham gia BHXH, BHYT, giải quyết và chi trả "
    "chế độ kịp thời; phối hợp với Ban Thi đua - Khen thưởng địa phương."
)

PROVINCIAL_YEAR = 2025
PROVINCIAL_TABLE: dict[str, Any] = {
    "meta": {
        "id": "bhxh-tinh-vi-nguoi-ngheo-2025-vi-du",
        "title": "Bảng chấm điểm đợt thi đua vì người nghèo 6 tháng cuối năm 2025 (ví dụ minh họa)",
        "status": "illustrative",
        "period": {"year": PROVINCIAL_YEAR, "from": "2025-07-01", "to": "2025-12-31"},
        "points": {"base_max": 100, "bonus_max": 5},
    },
    "criteria": [
        {
            "code": "I",
            "name": "Kết quả vận động, trao tặng",
            "max_points": 70,
            "children": [
                {
                    "code": "I.1",
                    "name": "Số sổ BHXH tự nguyện trao tặng người có hoàn cảnh khó khăn so với chỉ tiêu",
                    "max_points": 40,
                    "method": "target_ratio",
                    "params": {"full_at": 100, "zero_at": 50},
                    "unit": "sổ",
                },
                {
                    "code": "I.2",
                    "name": "Số thẻ BHYT trao tặng người nghèo, cận nghèo so với chỉ tiêu",
                    "max_points": 30,
                    "method": "target_ratio",
                    "params": {"full_at": 100, "zero_at": 50},
                    "unit": "thẻ",
                },
            ],
        },
        {
            "code": "II",
            "name": "Tuyên truyền, tổ chức thực hiện",
            "max_points": 30,
            "children": [
                {
                    "code": "II.1",
                    "name": "Số buổi tuyên truyền, đối thoại tại thôn, tổ dân phố",
                    "max_points": 20,
                    "method": "count",
                    "params": {"weights": {"buoi": 2}},
                },
                {
                    "code": "II.2",
                    "name": "Có kế hoạch và báo cáo sơ kết đúng hạn",
                    "max_points": 10,
                    "method": "boolean",
                },
            ],
        },
    ],
    "bonus": [{"code": "B.1", "name": "Mô hình hay được BHXH tỉnh biểu dương", "per_event": 2.5, "cap": 5}],
    "ranking": {"tie_breakers": ["I.1 subtotal", "I.1 achievement ratio"]},
}


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 9, 0))


def _pm_movements(actor: Any, log: list[str]) -> list[Movement]:
    out = []
    for spec in PM_MOVEMENTS:
        movement = Movement.objects.filter(
            title=spec["title"], authority=Movement.Authority.THU_TUONG
        ).first()
        if movement is None:
            movement = services.create_movement(
                actor=actor,
                title=spec["title"],
                kind=Movement.Kind.THEMATIC,
                authority=Movement.Authority.THU_TUONG,
                authority_name="Thủ tướng Chính phủ",
                theme=spec["theme"],
                start_year=spec["start_year"],
                end_year=spec["end_year"],
            )
            services.launch_movement(actor=actor, movement=movement)
            services.start_movement(actor=actor, movement=movement)
            if spec["end_year"] is not None:
                services.open_movement_review(actor=actor, movement=movement)
                services.close_movement(
                    actor=actor, movement=movement, closed_on=date(spec["end_year"], 12, 31)
                )
            log.append(f"Phong trào do Thủ tướng phát động: {movement.title}")
        out.append(movement)
    return out


def _sector_movements(actor: Any, root: Unit, parents: list[Movement], log: list[str]) -> list[Movement]:
    out = []
    for spec, parent in zip(PM_MOVEMENTS, parents, strict=True):
        movement = Movement.objects.filter(title=spec["sector_title"], launching_unit=root).first()
        if movement is None:
            movement = services.create_movement(
                actor=actor,
                title=spec["sector_title"],
                kind=Movement.Kind.THEMATIC,
                authority=Movement.Authority.BO_NGANH_TINH,
                authority_name="Bảo hiểm xã hội Việt Nam",
                launching_unit=root,
                parent=parent,
                theme=spec["sector_theme"],
                political_tasks=POLITICAL_TASKS,
                start_year=2019,
                end_year=spec["end_year"],
                starts_on=LETTER_DATE,
            )
            services.add_movement_document(
                actor=actor, movement=movement, kind=MovementDocument.Kind.GUIDANCE, **LETTER
            )
            services.add_participants(
                actor=actor,
                movement=movement,
                units=[root],
                include_subtree=True,
                unit_kind=Unit.Kind.BHXH_TINH,
            )
            services.launch_movement(actor=actor, movement=movement, launched_on=LETTER_DATE)
            services.start_movement(actor=actor, movement=movement)
            if spec["end_year"] is not None:
                services.open_movement_review(actor=actor, movement=movement)
                services.close_movement(
                    actor=actor, movement=movement, closed_on=date(spec["end_year"], 12, 31)
                )
            log.append(f"Phong trào của BHXH Việt Nam (Công văn 856/BHXH-TĐKT): {movement.title}")
        out.append(movement)
    return out


def _pick_province(root: Unit) -> tuple[Unit, list[Unit]] | None:
    """A provincial BHXH (active, preferably BHXH-01) with at least two active BHXH cơ sở below it."""
    provinces = Unit.objects.filter(
        path__startswith=root.path, kind=Unit.Kind.BHXH_TINH, valid_to__isnull=True
    )
    for province in sorted(provinces, key=lambda u: (u.code != "BHXH-01", u.code)):
        offices = list(
            Unit.objects.filter(
                path__startswith=province.path, kind=Unit.Kind.BHXH_CO_SO, valid_to__isnull=True
            ).order_by("code")[:6]
        )
        if len(offices) >= 2:
            return province, offices
    return None


def _figures(index: int) -> dict[str, Any]:
    """Invented but plausible figures; index 0 leads."""
    return {
        "I.1": {"actual": 120 - 9 * index, "target": 110},
        "I.2": {"actual": 300 - 21 * index, "target": 280},
        "II.1": {"n": 10 - index},
        "II.2": {"value": index % 3 != 2},
        **({"B.1": {"n": 1}} if index == 0 else {}),
    }


def _provincial_movement(actor: Any, parent: Movement, root: Unit, log: list[str]) -> Movement | None:
    picked = _pick_province(root)
    if picked is None:
        log.append("Bỏ qua phong trào cấp tỉnh: không có BHXH tỉnh nào có từ hai BHXH cơ sở đang hoạt động.")
        return None
    province, offices = picked
    title = (
        f"{province.name} chung tay vì người nghèo: tặng sổ BHXH tự nguyện, thẻ BHYT 6 tháng cuối năm 2025"
    )
    existing = Movement.objects.filter(title=title, launching_unit=province).first()
    if existing is not None:
        return existing
    y = PROVINCIAL_YEAR
    movement = services.create_movement(
        actor=actor,
        title=title,
        kind=Movement.Kind.THEMATIC,
        authority=Movement.Authority.THU_TRUONG_DON_VI,
        authority_name=f"Giám đốc {province.name}",
        launching_unit=province,
        parent=parent,
        theme="Vận động tặng sổ BHXH tự nguyện, thẻ BHYT cho người nghèo, người có hoàn cảnh khó khăn",
        political_tasks="Phát triển người tham gia BHXH tự nguyện, BHYT; bảo đảm an sinh xã hội trên địa bàn",
        start_year=y,
        end_year=y,
        starts_on=date(y, 7, 1),
        ends_on=date(y, 12, 31),
    )
    services.add_movement_document(
        actor=actor,
        movement=movement,
        kind=MovementDocument.Kind.PLAN,
        number_symbol="1250/KH-BHXH",
        issued_on=date(y, 7, 1),
        issuer=province.name,
        summary="Kế hoạch phát động đợt thi đua chung tay vì người nghèo 6 tháng cuối năm 2025 (dữ liệu mẫu)",
    )
    for kind, due in [
        (Milestone.Kind.REGISTRATION, date(y, 7, 15)),
        (Milestone.Kind.SELF_ASSESSMENT, date(y, 12, 10)),
        (Milestone.Kind.CLUSTER_REVIEW, date(y, 12, 20)),
        (Milestone.Kind.FINAL_REVIEW, date(y, 12, 31)),
    ]:
        services.add_milestone(actor=actor, movement=movement, kind=kind, due_on=due)
    services.add_participants(
        actor=actor, movement=movement, units=[province], include_subtree=True, unit_kind=Unit.Kind.BHXH_CO_SO
    )
    services.launch_movement(actor=actor, movement=movement, launched_on=date(y, 7, 1))
    services.start_movement(actor=actor, movement=movement)
    services.save_scoring_table(actor=actor, movement=movement, year=y, data=PROVINCIAL_TABLE)

    # The province's khối thi đua of its BHXH cơ sở for the year (kept if it already exists).
    cluster, _ = Cluster.objects.get_or_create(
        organiser_unit=province,
        year=y,
        name="Khối thi đua BHXH cơ sở",
        defaults={"kind": Cluster.Kind.KHOI, "head_unit": offices[0]},
    )
    for office in offices:
        ClusterMember.objects.get_or_create(cluster=cluster, unit=office)

    for index, office in enumerate(offices):
        registration = services.save_registration(
            actor=actor,
            movement=movement,
            unit=office,
            year=y,
            targets={"I.1": 110, "I.2": 280},
            titles=[
                {
                    "award": "tap_the_lao_dong_xuat_sac" if index < 2 else "tap_the_lao_dong_tien_tien",
                    "subject": "unit",
                },
                {"award": "chien_si_thi_dua_co_so", "subject": "ca_nhan", "count": 2},
                {"award": "lao_dong_tien_tien", "subject": "ca_nhan", "count": 12 + index},
            ],
        )
        services.submit_registration(
            actor=actor, registration=registration, submitted_on=_aware(date(y, 7, 10 + index))
        )
        if index == len(offices) - 1:
            services.return_registration(
                actor=actor, registration=registration, reason="Bổ sung chỉ tiêu thẻ BHYT"
            )
            registration = services.save_registration(
                actor=actor,
                movement=movement,
                unit=office,
                year=y,
                targets={"I.1": 110, "I.2": 300},
                titles=registration.titles,
            )
            services.submit_registration(
                actor=actor, registration=registration, submitted_on=_aware(date(y, 7, 18))
            )
        services.approve_registration(actor=actor, registration=registration)

    for period in (Period.Q3, Period.Q4, Period.YEAR):
        share = {Period.Q3: 0.45, Period.Q4: 0.55, Period.YEAR: 1.0}[period]
        for index, office in enumerate(offices):
            figures = _figures(index)
            if (
                period != Period.YEAR
            ):  # a quarter's share of the year, against the quarter's share of the target
                for code in ("I.1", "I.2"):
                    figures[code] = {
                        "actual": round(
                            figures[code]["actual"] * (share + 0.04 * (index - 1) * (period == Period.Q3))
                        ),
                        "target": round(figures[code]["target"] * share),
                    }
            result = services.save_result(
                actor=actor, movement=movement, unit=office, year=y, period=period, figures=figures
            )
            # Reported a few days after the period; the third office sends its yearly report late.
            sent = {Period.Q3: date(y, 10, 6), Period.Q4: date(y, 12, 8), Period.YEAR: date(y, 12, 9)}[period]
            services.submit_result(
                actor=actor, result=result, submitted_at=_aware(sent.replace(day=sent.day + 3 * (index == 2)))
            )
            corrections = {"II.1": {"n": 9 - index}} if index == 1 and period == Period.YEAR else None
            services.review_result(
                actor=actor,
                result=result,
                note="Khối thẩm định: số liệu khớp báo cáo của Phòng Quản lý thu"
                if corrections is None
                else "II.1: 1 buổi thiếu biên bản",
                corrections=corrections,
            )
            if corrections:
                services.explain_result(
                    actor=actor,
                    result=result,
                    explanation="Buổi tuyên truyền ngày 12/11 chưa có biên bản; đơn vị nhất trí",
                )
            services.finalise_result(actor=actor, result=result)
        ranking = services.compute_ranking(
            actor=actor, movement=movement, cluster=cluster, year=y, period=period
        )
        services.publish_ranking(actor=actor, ranking=ranking)
    services.open_movement_review(actor=actor, movement=movement)
    leader = ranking.entries.order_by("rank").first()
    if leader is not None:
        services.record_movement_leads(actor=actor, movement=movement, year=y, leaders=[(leader.unit, 1)])
    log.append(
        f"Phong trào chuyên đề của {province.name}: {len(offices)} BHXH cơ sở đăng ký, báo cáo quý III, quý IV, cả năm; "
        f"xếp hạng {cluster.name} đã công bố"
    )
    return movement


SECTOR_YEAR = 2026
SECTOR_TITLE = "Thi đua thực hiện thắng lợi nhiệm vụ chính trị năm 2026 của ngành BHXH"
EXAMPLE_TABLE = Path(__file__).parent / "data" / "criteria-example.yaml"


def _demo_leaf_figure(
    leaf: scoring.Criterion, base: Any, level: float, share: float, rng: random.Random
) -> Any:
    """A plausible figure for one criterion: `level` ~ 1 is on plan, `share` the part of the year."""
    method, params = leaf.method, leaf.params
    if method in ("target_ratio", "proportional"):
        target = float(base["target"]) if isinstance(base, dict) and "target" in base else 100.0
        target *= share
        return {"actual": round(target * level * rng.uniform(0.985, 1.015), 1), "target": round(target, 1)}
    if method == "lower_is_better":
        full, zero = float(params["full_at"]), float(params["zero_at"])
        return {
            "value": round(max(0.0, full + (zero - full) * rng.uniform(0.0, 0.9) * (2 - 2 * level + 0.5)), 2)
        }
    if method == "grade":
        grades = list(params.get("grades", {}))
        if grades and scoring.parse_band(grades[0]) is not None:
            return {"grade": round(78 + 14 * level * rng.uniform(0.95, 1.05), 1)}
        index = int(rng.random() * 2 + (1.02 - level) * 20)
        return {"grade": grades[min(len(grades) - 1, max(0, index))]}
    if method == "boolean":
        return {"value": rng.random() < 0.9}
    if method == "checklist":
        return {"true_items": [item["id"] for item in params.get("items", []) if rng.random() < 0.7]}
    if method == "count":
        return {
            "n": {kind: int(rng.uniform(0.5, 1.0) * 30 * share + 1) for kind in params.get("weights", {})}
        }
    if method == "deduct_per_event":
        return {"n": int(rng.random() * 2.2)}
    return {"value": round(float(leaf.max_points) * rng.uniform(0.7, 1.0), 2)}


def _sector_regular_movement(actor: Any, root: Unit, log: list[str]) -> Movement | None:
    """BHXH Việt Nam's yearly movement of 2026, ranked inside the clusters of 2026."""
    if Movement.objects.filter(title=SECTOR_TITLE, launching_unit=root).exists():
        return None
    clusters = list(Cluster.objects.filter(organiser_unit=root, year=SECTOR_YEAR).order_by("name"))
    if not clusters:
        log.append(f"Bỏ qua phong trào năm {SECTOR_YEAR} của ngành: chưa có cụm thi đua năm {SECTOR_YEAR}.")
        return None
    y = SECTOR_YEAR
    movement = services.create_movement(
        actor=actor,
        title=SECTOR_TITLE,
        kind=Movement.Kind.REGULAR,
        authority=Movement.Authority.THU_TRUONG_DON_VI,
        launching_unit=root,
        political_tasks=POLITICAL_TASKS,
        start_year=y,
        starts_on=date(y, 1, 1),
        ends_on=date(y, 12, 31),
    )
    services.add_movement_document(
        actor=actor,
        movement=movement,
        kind=MovementDocument.Kind.PLAN,
        number_symbol="120/KH-BHXH",
        issued_on=date(y, 1, 8),
        issuer="Bảo hiểm xã hội Việt Nam",
        summary="Kế hoạch tổ chức phong trào thi đua năm 2026 (dữ liệu mẫu)",
    )
    data = yaml.safe_load(EXAMPLE_TABLE.read_text(encoding="utf-8"))
    calendar = data["meta"]["calendar"]
    for kind, key in [
        (Milestone.Kind.REGISTRATION, "register_and_sign_pact"),
        (Milestone.Kind.SELF_ASSESSMENT, "self_assessment_due"),
        (Milestone.Kind.CLUSTER_REVIEW, "cluster_review"),
    ]:
        services.add_milestone(
            actor=actor, movement=movement, kind=kind, due_on=date.fromisoformat(str(calendar[key]))
        )
    services.add_participants(
        actor=actor, movement=movement, units=[root], include_subtree=True, unit_kind=Unit.Kind.BHXH_TINH
    )
    services.launch_movement(actor=actor, movement=movement, launched_on=date(y, 1, 8))
    services.start_movement(actor=actor, movement=movement)
    record = services.save_scoring_table(actor=actor, movement=movement, year=y, data=data)
    table = services.load_table_record(record)
    base = data["worked_example"]["inputs"]
    participants = set(participating_units(movement).values_list("pk", flat=True))
    members = {
        m.unit_id: m.unit
        for m in ClusterMember.objects.filter(cluster__in=clusters, unit_id__in=participants).select_related(
            "unit"
        )
    }
    levels = {pk: random.Random(unit.code).uniform(0.975, 1.05) for pk, unit in members.items()}
    for number, unit in enumerate(sorted(members.values(), key=lambda u: u.code)):
        targets = {
            leaf.code: Decimal(str(base[leaf.code]["target"]))
            for leaf in table.leaves()
            if isinstance(base.get(leaf.code), dict) and "target" in base[leaf.code]
        }
        registration = services.save_registration(
            actor=actor,
            movement=movement,
            unit=unit,
            year=y,
            targets=targets,
            titles=[
                {
                    "award": "co_thi_dua_bo_tinh" if levels[unit.pk] > 1.02 else "tap_the_lao_dong_xuat_sac",
                    "subject": "unit",
                },
                {"award": "chien_si_thi_dua_co_so", "subject": "ca_nhan", "count": 5 + number % 4},
            ],
        )
        services.submit_registration(
            actor=actor, registration=registration, submitted_on=_aware(date(y, 1, 15 + number % 15))
        )
        services.approve_registration(actor=actor, registration=registration)
    for quarter, share in ((Period.Q1, 0.25), (Period.Q2, 0.5), (Period.Q3, 0.75)):
        for pk, unit in members.items():
            rng = random.Random(f"{unit.code}/{quarter}")
            level = levels[pk] * rng.uniform(0.99, 1.01)
            figures = {
                leaf.code: _demo_leaf_figure(leaf, base.get(leaf.code), level, share, rng)
                for leaf in table.leaves()
            }
            result = services.save_result(
                actor=actor, movement=movement, unit=unit, year=y, period=quarter, figures=figures
            )
            quarter_end = int(quarter[1:]) * 3
            sent = date(y, quarter_end + 1, 3 + pk % 5)
            services.submit_result(actor=actor, result=result, submitted_at=_aware(sent))
            services.review_result(
                actor=actor, result=result, note="Cụm thẩm định: thống nhất với số liệu đơn vị báo cáo"
            )
            services.finalise_result(actor=actor, result=result)
        for cluster in clusters:
            ranking = services.compute_ranking(
                actor=actor, movement=movement, cluster=cluster, year=y, period=quarter
            )
            services.publish_ranking(actor=actor, ranking=ranking)
    log.append(
        f"Phong trào thường xuyên năm {y} của ngành: {len(members)} BHXH tỉnh đăng ký, kết quả quý I–III, "
        f"xếp hạng theo quý của {len(clusters)} cụm thi đua"
    )
    return movement


def _publish(actor: Any, known: set[int], log: list[str]) -> None:
    """Show the movements this call launched on the public site, with their numbered documents."""
    created = Movement.objects.exclude(pk__in=known).exclude(status=Movement.Status.DRAFT)
    for movement in created.order_by("pk"):
        documents = [d.pk for d in movement.documents.all() if d.number_symbol]
        services.set_movement_publicity(
            actor=actor, movement=movement, public=True, public_documents=documents
        )
        log.append(f"Công khai trên trang thông tin: {movement.title}")


def load_seed_scenario(actor: Any = None) -> list[str]:
    """Create the seed scenario's movements on the demo organisation; return what was done (Vietnamese).

    Needs the root unit `BHXH-VN`; without it the PM movements are still recorded and the rest skipped.
    """
    log: list[str] = []
    with transaction.atomic():
        known = set(Movement.objects.values_list("pk", flat=True))
        pm = _pm_movements(actor, log)
        root = Unit.objects.filter(code="BHXH-VN").first()
        if root is None:
            log.append(
                "Bỏ qua phong trào của BHXH Việt Nam: chưa có đơn vị mã BHXH-VN (hãy chạy `thidua demo`)."
            )
            return log
        sector = _sector_movements(actor, root, pm, log)
        _provincial_movement(actor, sector[1], root, log)
        _sector_regular_movement(actor, root, log)
        _publish(actor, known, log)
    if not log:
        log.append("Kịch bản mẫu về phong trào thi đua đã có: không thay đổi gì.")
    return log
