"""The secret ballot: secrecy by construction, thresholds on ALL members at the exact boundary,
quorum, who may vote and when results show."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import models

from thidua.accounts.models import User
from thidua.audit.models import AuditEntry
from thidua.awards import services
from thidua.awards.models import BallotVote, BallotVoter, CouncilMember
from thidua.awards.tests.helpers import confirmed_candidate, meeting_with, vote
from thidua.core.errors import DomainError
from thidua.org.models import Person

VOTER_MODELS = (CouncilMember, User, Person)


def test_it_keeps_no_table_with_both_a_voter_and_a_choice() -> None:
    for model in apps.get_models():
        names = {f.name for f in model._meta.get_fields()}
        has_choice = "choice" in names or any(
            getattr(f, "choices", None) and set(dict(f.choices or [])) >= {"agree", "disagree"}
            for f in model._meta.get_fields()
            if isinstance(f, models.Field)
        )
        has_voter = any(
            isinstance(f, models.ForeignKey) and f.related_model in VOTER_MODELS
            for f in model._meta.get_fields()
        )
        assert not (has_choice and has_voter), model
    vote_fields = BallotVote._meta.get_fields()
    assert not any(isinstance(f, (models.DateTimeField, models.DateField)) for f in vote_fields)
    assert not any(isinstance(f, models.AutoField) for f in vote_fields)  # no sequential key
    assert "choice" not in {f.name for f in BallotVoter._meta.get_fields()}


@pytest.mark.django_db
def test_it_records_that_members_voted_never_how(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any, client_for: Any
) -> None:
    cand = confirmed_candidate(org, personas.officer)
    ballot = services.open_ballot(
        actor=personas.officer, meeting=meeting_with(council, personas.officer), candidates=[cand]
    )
    vote(ballot, council, agree=6, disagree=4)
    keys_before = set(BallotVote.objects.values_list("id", flat=True))
    services.close_ballot(actor=personas.officer, ballot=ballot)
    assert BallotVoter.objects.filter(ballot=ballot).count() == 10
    assert set(BallotVote.objects.values_list("id", flat=True)).isdisjoint(keys_before)  # re-keyed
    assert BallotVote.objects.filter(choice="agree").count() == 6
    for entry in AuditEntry.objects.filter(action="ballot.voted"):
        assert set(entry.detail) == {"member", "in_writing"}
    for entry in AuditEntry.objects.all():
        text = json.dumps(entry.detail, ensure_ascii=False)
        assert '"agree"' not in text.replace('"agree":', "") and '"disagree"' not in text.replace(
            '"disagree":', ""
        )
    page = client_for(council.users[0]).get(f"/khen-thuong/bo-phieu/{ballot.pk}/").content.decode()
    assert "6/10" in page  # the tally, once closed


@pytest.mark.parametrize(
    ("agree", "total", "pct", "passed"),
    [
        (8, 10, 80, True),  # exactly 80 %
        (7, 10, 80, False),
        (9, 10, 90, True),  # exactly 90 %
        (8, 10, 90, False),
        (17, 20, 90, False),  # 85 %
        (18, 20, 90, True),
        (12, 15, 80, True),  # 80 % of fifteen
        (11, 15, 80, False),  # 73.3 %
        (6, 10, None, True),  # no legal threshold: more than half of all members
        (5, 10, None, False),
        (0, 0, 80, False),
    ],
)
def test_it_passes_at_the_exact_boundary(agree: int, total: int, pct: int | None, passed: bool) -> None:
    assert services.passes(agree, total, pct) is passed


@pytest.mark.django_db
@pytest.mark.parametrize(("agree", "passed"), [(8, True), (7, False)])
def test_it_counts_against_all_members_not_those_present(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    council: SimpleNamespace,
    history: Any,
    agree: int,
    passed: bool,
) -> None:
    """Eight present of ten: all eight agreeing is 8/10 = 80 % (passes); seven is 70 % (fails)."""
    cand = confirmed_candidate(org, personas.officer)
    meeting = meeting_with(council, personas.officer, present=8)
    ballot = services.open_ballot(actor=personas.officer, meeting=meeting, candidates=[cand])
    vote(ballot, council, agree=agree, disagree=8 - agree)
    services.close_ballot(actor=personas.officer, ballot=ballot)
    item = ballot.items.get()
    cand.refresh_from_db()
    assert (item.agree, item.passed, cand.vote_passed) == (agree, passed, passed)


@pytest.mark.django_db
def test_it_refuses_a_ballot_without_quorum(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any
) -> None:
    cand = confirmed_candidate(org, personas.officer)
    meeting = meeting_with(council, personas.officer, present=6)
    with pytest.raises(DomainError, match="6/10"):
        services.open_ballot(actor=personas.officer, meeting=meeting, candidates=[cand])


@pytest.mark.django_db
def test_it_lets_each_member_vote_once_and_only_for_themselves(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any, client_for: Any
) -> None:
    cand = confirmed_candidate(org, personas.officer)
    meeting = meeting_with(council, personas.officer, present=9)
    ballot = services.open_ballot(actor=personas.officer, meeting=meeting, candidates=[cand])
    item = ballot.items.get()
    m0, m2, absent = council.members[0], council.members[2], council.members[9]
    with pytest.raises(DomainError, match="tự bỏ phiếu"):
        services.cast_votes(actor=council.users[0], ballot=ballot, member=m2, choices={item.pk: "agree"})
    services.cast_votes(actor=council.users[0], ballot=ballot, member=m0, choices={item.pk: "agree"})
    with pytest.raises(DomainError, match="đã bỏ phiếu"):
        services.cast_votes(actor=council.users[0], ballot=ballot, member=m0, choices={item.pk: "disagree"})
    with pytest.raises(DomainError, match="Thư ký"):  # an ordinary member cannot enter written votes
        services.cast_votes(
            actor=council.users[2], ballot=ballot, member=absent, choices={item.pk: "agree"}, in_writing=True
        )
    with pytest.raises(DomainError, match="văn bản"):  # the absent member votes in writing
        services.cast_votes(actor=council.users[9], ballot=ballot, member=absent, choices={item.pk: "agree"})
    page = client_for(council.users[3]).get(f"/khen-thuong/bo-phieu/{ballot.pk}/").content.decode()
    assert "Kết quả chỉ hiển thị sau khi kiểm phiếu" in page
    services.close_ballot(actor=personas.officer, ballot=ballot)
    with pytest.raises(DomainError, match="đã kết thúc"):
        services.cast_votes(
            actor=council.users[3], ballot=ballot, member=council.members[3], choices={item.pk: "agree"}
        )


@pytest.mark.django_db
def test_it_hides_the_ballot_from_another_province(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any, client_for: Any
) -> None:
    cand = confirmed_candidate(org, personas.officer)
    ballot = services.open_ballot(
        actor=personas.officer, meeting=meeting_with(council, personas.officer), candidates=[cand]
    )
    assert client_for(personas.outsider_officer).get(f"/khen-thuong/bo-phieu/{ballot.pk}/").status_code == 404
    r = client_for(personas.council).post(f"/khen-thuong/bo-phieu/{ballot.pk}/kiem-phieu/")
    assert r.status_code == 403


@pytest.mark.django_db
def test_it_creates_a_council_with_roles_through_the_page(
    org: SimpleNamespace, personas: SimpleNamespace, client_for: Any
) -> None:
    url = f"/khen-thuong/hoi-dong/tao/{org.a.pk}/"
    data = {
        "name": "Hội đồng TĐKT",
        "term_from": "2025-01-01",
        "chair": org.binh.pk,
        "secretary": org.binh.pk,
    }
    assert client_for(personas.officer).post(url, data).status_code == 200  # one seat per person
    data["secretary"] = org.an.pk
    r = client_for(personas.officer).post(url, data)
    assert r.status_code == 302
    members = {m.person_id: (m.role, m.user_id) for m in CouncilMember.objects.all()}
    assert members == {org.binh.pk: ("chu_tich", None), org.an.pk: ("thu_ky", personas.staff.pk)}
    assert AuditEntry.objects.filter(action="council.created").exists()
    assert client_for(personas.head).get(url).status_code == 403


@pytest.mark.django_db
def test_it_takes_thresholds_from_the_organisation_rule_options(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any
) -> None:
    """NĐ 98 thresholds apply by default; an organisation that turned them off gets a majority vote."""
    from thidua.eligibility.models import RuleOptions

    cand = confirmed_candidate(org, personas.officer)
    RuleOptions.objects.create(unit=org.root, options={"assume_nd98_vote_thresholds": False})
    ballot = services.open_ballot(
        actor=personas.officer, meeting=meeting_with(council, personas.officer), candidates=[cand]
    )
    vote(ballot, council, agree=6, disagree=4)
    services.close_ballot(actor=personas.officer, ballot=ballot)
    item = ballot.items.get()
    assert (item.threshold_pct, item.passed) == (None, True)


@pytest.mark.django_db
def test_a_councils_members_are_chosen_among_its_own_agency_not_the_provinces_below(org, client_for):
    from conftest import _user
    from thidua.org.models import Role, Unit

    Unit.objects.filter(pk=org.a.pk).update(is_legal_entity=True)
    officer = _user("canbo.vn.council", unit=org.root, role=Role.OFFICER)
    form = client_for(officer).get(f"/khen-thuong/hoi-dong/tao/{org.root.pk}/").context["form"]
    names = {label for _, label in form.fields["chair"].choices}
    assert org.an.full_name not in names  # Hà Nội is a legal entity with its own council
