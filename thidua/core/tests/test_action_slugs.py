"""Action addresses: the Vietnamese slug in the URL, the action's own name in views and `{% url %}`."""

from __future__ import annotations

import re

import pytest
from django.urls import NoReverseMatch, resolve, reverse

from thidua.core.http import action_slugs


def test_a_converter_maps_slugs_to_actions_and_back():
    converter = action_slugs({"appraise": "tham-dinh", "return": "tra-lai"})()
    assert converter.to_python("tham-dinh") == "appraise"
    assert converter.to_url("return") == "tra-lai"
    with pytest.raises(ValueError):
        converter.to_url("decide")
    assert re.fullmatch(converter.regex, "tham-dinh") and not re.fullmatch(converter.regex, "appraise")


def test_two_actions_may_not_share_a_slug():
    with pytest.raises(ValueError):
        action_slugs({"submit": "gui", "send": "gui"})


@pytest.mark.parametrize(
    ("name", "action", "address"),
    [
        ("awards:dossier_action", "submit", "/khen-thuong/ho-so/7/trinh/"),
        ("awards:dossier_action", "return", "/khen-thuong/ho-so/7/tra-lai/"),
        ("awards:dossier_action", "appraise", "/khen-thuong/ho-so/7/tham-dinh/"),
        ("awards:dossier_action", "decide", "/khen-thuong/ho-so/7/ban-hanh/"),
        ("movements:action", "launch", "/phong-trao/7/thao-tac/phat-dong/"),
        ("movements:action", "close", "/phong-trao/7/thao-tac/ket-thuc/"),
        ("movements:registration_action", "approve", "/phong-trao/dang-ky/7/duyet/"),
        ("movements:registration_action", "return", "/phong-trao/dang-ky/7/tra-lai/"),
        ("movements:result_action", "review", "/phong-trao/ket-qua/7/tham-dinh/"),
        ("movements:result_action", "finalise", "/phong-trao/ket-qua/7/chot-diem/"),
        ("movements:result_action", "evidence_public", "/phong-trao/ket-qua/7/cong-khai-minh-chung/"),
    ],
)
def test_the_site_names_its_actions_in_vietnamese(name, action, address):
    assert reverse(name, args=[7, action]) == address
    match = resolve(address)
    assert (match.view_name, match.kwargs) == (name, {"pk": 7, "action": action})


def test_an_unknown_action_has_no_address():
    with pytest.raises(NoReverseMatch):
        reverse("awards:dossier_action", args=[7, "appraise_all"])
