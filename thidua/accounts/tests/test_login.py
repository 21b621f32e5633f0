"""Login, logout, password change and login throttling, through HTTP."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from thidua.accounts.models import LoginFailure
from thidua.audit.models import AuditEntry

LOGIN = "/tai-khoan/dang-nhap/"
LOGOUT = "/tai-khoan/dang-xuat/"
PASSWORD_CHANGE = "/tai-khoan/doi-mat-khau/"
LOCKED = "Đăng nhập sai quá nhiều lần"
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."

# A page behind the login ("/" itself is the public home page for visitors since the public site).
SIGNED_IN_PAGE = "/nhat-ky/"


def login(client: Client, username: str, password: str, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_login_page_is_vietnamese(db):
    response = Client().get(LOGIN)
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()


def test_it_logs_in_redirects_home_and_audits(personas):
    client = Client()
    response = login(client, "canbo.hn", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get(SIGNED_IN_PAGE).status_code == 200
    entry = AuditEntry.objects.get(action="account.login")
    assert entry.actor == personas.officer
    assert entry.detail == {"ip": "127.0.0.1"}


def test_it_follows_next_but_never_to_another_site(personas):
    response = Client().post(LOGIN + "?next=/to-chuc/don-vi/", {"username": "canbo.hn", "password": PASSWORD})
    assert response["Location"] == "/to-chuc/don-vi/"
    response = Client().post(
        LOGIN + "?next=https://evil.example/", {"username": "canbo.hn", "password": PASSWORD}
    )
    assert response["Location"] == "/"


def test_a_wrong_password_is_refused_recorded_and_audited(personas):
    client = Client()
    response = login(client, "canbo.hn", "sai-mat-khau")
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert client.get(SIGNED_IN_PAGE).status_code == 302
    assert LoginFailure.objects.filter(username="canbo.hn").count() == 1
    entry = AuditEntry.objects.get(action="account.login_failed")
    assert entry.actor is None
    assert entry.detail == {"username": "canbo.hn", "ip": "127.0.0.1"}


def test_an_inactive_user_cannot_log_in(personas):
    personas.officer.is_active = False
    personas.officer.save()
    client = Client()
    response = login(client, "canbo.hn", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_is_audited(personas, client_for):
    client = client_for(personas.officer)
    assert client.get(LOGOUT).status_code == 405
    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert client.get(SIGNED_IN_PAGE).status_code == 302
    assert AuditEntry.objects.filter(action="account.logout", actor=personas.officer).count() == 1


def test_anonymous_pages_redirect_to_login(org):
    for url in [
        "/to-chuc/don-vi/",
        "/to-chuc/nhan-su/",
        "/nhat-ky/",
        PASSWORD_CHANGE,
        "/tai-khoan/khoa-api/",
    ]:
        response = Client().get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(LOGIN + "?next="), url


def test_it_changes_the_password_and_audits(personas, client_for):
    client = client_for(personas.officer)
    new = "mat-khau-moi-that-dai-2026"
    response = client.post(
        PASSWORD_CHANGE, {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    # Still logged in (session hash updated), and the new password works.
    assert client.get(SIGNED_IN_PAGE).status_code == 200
    personas.officer.refresh_from_db()
    assert personas.officer.check_password(new)
    assert AuditEntry.objects.filter(action="account.password_changed", actor=personas.officer).count() == 1
    assert login(Client(), "canbo.hn", new).status_code == 302


def test_a_wrong_old_password_changes_nothing(personas, client_for):
    client = client_for(personas.officer)
    new = "mat-khau-moi-that-dai-2026"
    response = client.post(
        PASSWORD_CHANGE, {"old_password": "sai", "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 200
    personas.officer.refresh_from_db()
    assert personas.officer.check_password(PASSWORD)
    assert not AuditEntry.objects.filter(action="account.password_changed").exists()


def test_a_weak_new_password_is_refused(personas, client_for):
    client = client_for(personas.officer)
    response = client.post(
        PASSWORD_CHANGE, {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}
    )
    assert response.status_code == 200
    personas.officer.refresh_from_db()
    assert personas.officer.check_password(PASSWORD)


# --- Throttling -----------------------------------------------------------------------------------


def fail(client: Client, username: str, times: int, **extra) -> None:
    for _ in range(times):
        assert login(client, username, "sai-mat-khau", **extra).status_code == 200


def test_after_max_failures_even_the_right_password_is_refused(personas, settings):
    settings.LOGIN_MAX_FAILURES = 3
    client = Client()
    fail(client, "canbo.hn", 3)
    response = login(client, "canbo.hn", PASSWORD)
    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_one_failure_less_than_the_limit_still_lets_the_right_password_in(personas, settings):
    settings.LOGIN_MAX_FAILURES = 3
    client = Client()
    fail(client, "canbo.hn", 2)
    assert login(client, "canbo.hn", PASSWORD).status_code == 302
    # A successful login clears the counter.
    assert not LoginFailure.objects.filter(username="canbo.hn").exists()


def test_the_lock_ends_after_the_window(personas, settings):
    settings.LOGIN_MAX_FAILURES = 3
    settings.LOGIN_LOCK_SECONDS = 900
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail(Client(), "canbo.hn", 3)
        assert LOCKED in login(Client(), "canbo.hn", PASSWORD).content.decode()
    with time_machine.travel(start + timedelta(seconds=899), tick=False):
        assert LOCKED in login(Client(), "canbo.hn", PASSWORD).content.decode()
    with time_machine.travel(start + timedelta(seconds=901), tick=False):
        assert login(Client(), "canbo.hn", PASSWORD).status_code == 302


def test_the_lock_is_per_username_case_insensitively(personas, settings):
    settings.LOGIN_MAX_FAILURES = 3
    fail(Client(), "CanBo.HN", 3)
    assert LOCKED in login(Client(), "canbo.hn", PASSWORD).content.decode()
    # Another user from the same address is not locked by three failures.
    assert login(Client(), "thutruong.hn", PASSWORD).status_code == 302


def test_a_lock_holds_for_one_address_and_the_right_password_works_from_another(personas, settings):
    """Nobody can lock an officer out by failing on purpose from elsewhere."""
    settings.LOGIN_MAX_FAILURES = 3
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    fail(attacker, "admin", 10)
    assert LOCKED in login(attacker, "admin", PASSWORD).content.decode()
    office = Client(REMOTE_ADDR="198.51.100.20")
    assert login(office, "admin", PASSWORD).status_code == 302
    # The attacker's address stays locked; the office's successful login did not clear it.
    assert LOCKED in login(Client(REMOTE_ADDR="203.0.113.9"), "admin", PASSWORD).content.decode()


def test_a_success_forgets_only_the_failures_at_that_address(personas, settings):
    settings.LOGIN_MAX_FAILURES = 3
    fail(Client(REMOTE_ADDR="203.0.113.9"), "canbo.hn", 2)
    fail(Client(REMOTE_ADDR="198.51.100.20"), "canbo.hn", 2)
    assert login(Client(REMOTE_ADDR="198.51.100.20"), "canbo.hn", PASSWORD).status_code == 302
    assert list(LoginFailure.objects.values_list("ip_address", flat=True).distinct()) == ["203.0.113.9"]


def test_many_failures_from_one_address_never_lock_every_account_there(personas, settings):
    """An office behind one gateway: someone sprays guesses, colleagues still sign in (admin too)."""
    settings.LOGIN_MAX_FAILURES = 2
    gateway = "203.0.113.9"
    client = Client(REMOTE_ADDR=gateway)
    for i in range(20):
        login(client, f"doan-mo-{i}", "sai")
    for user in ("canbo.hn", "admin", "thutruong.hn"):
        assert login(Client(REMOTE_ADDR=gateway), user, PASSWORD).status_code == 302, user


def test_on_a_noisy_address_one_failure_is_enough_to_lock_that_account_there(personas, settings):
    settings.LOGIN_MAX_FAILURES = 2
    gateway = "203.0.113.9"
    for i in range(8):
        login(Client(REMOTE_ADDR=gateway), f"doan-mo-{i}", "sai")
    fail(Client(REMOTE_ADDR=gateway), "canbo.hn", 1)
    assert LOCKED in login(Client(REMOTE_ADDR=gateway), "canbo.hn", PASSWORD).content.decode()
    assert login(Client(REMOTE_ADDR="198.51.100.20"), "canbo.hn", PASSWORD).status_code == 302


def test_the_lock_message_says_how_long_to_wait(personas, settings):
    settings.LOGIN_MAX_FAILURES = 1
    settings.LOGIN_LOCK_SECONDS = 600
    fail(Client(), "canbo.hn", 1)
    assert "thử lại sau 10 phút" in login(Client(), "canbo.hn", PASSWORD).content.decode()


@pytest.mark.parametrize("behind_proxy", [True, False])
def test_behind_a_proxy_the_address_is_the_last_forwarded_one(personas, settings, behind_proxy):
    settings.BEHIND_PROXY = behind_proxy
    client = Client(REMOTE_ADDR="10.0.0.1")
    login(client, "canbo.hn", "sai", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
    failure = LoginFailure.objects.get()
    assert failure.ip_address == ("198.51.100.7" if behind_proxy else "10.0.0.1")


def test_behind_a_proxy_a_garbage_forwarded_header_falls_back_to_the_proxy_address(personas, settings):
    settings.BEHIND_PROXY = True
    login(Client(REMOTE_ADDR="10.0.0.1"), "canbo.hn", "sai", HTTP_X_FORWARDED_FOR="unknown")
    assert LoginFailure.objects.get().ip_address == "10.0.0.1"


def test_the_admin_login_is_throttled_too(personas, settings):
    settings.LOGIN_MAX_FAILURES = 3
    client = Client()
    for _ in range(3):
        client.post("/quan-tri/login/", {"username": "admin", "password": "sai"})
    response = client.post("/quan-tri/login/?next=/quan-tri/", {"username": "admin", "password": PASSWORD})
    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert LoginFailure.objects.filter(username="admin").count() == 3


def test_the_admin_login_still_works(personas):
    client = Client()
    response = client.post("/quan-tri/login/?next=/quan-tri/", {"username": "admin", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/quan-tri/").status_code == 200
    # A non-staff user cannot get into the admin.
    other = Client()
    other.post("/quan-tri/login/", {"username": "canbo.hn", "password": PASSWORD})
    assert other.get("/quan-tri/").status_code == 302


def test_deactivating_a_user_ends_their_open_sessions(personas, client_for):
    client = client_for(personas.officer)
    assert client.get(SIGNED_IN_PAGE).status_code == 200
    personas.officer.is_active = False
    personas.officer.save()
    assert client.get(SIGNED_IN_PAGE).status_code == 302
    assert client.get("/api/v1/units/").status_code in {401, 403}


def test_changing_the_password_ends_the_users_other_sessions(personas, client_for):
    other_device = client_for(personas.officer)
    client = client_for(personas.officer)
    new = "mat-khau-moi-that-dai-2026"
    client.post(PASSWORD_CHANGE, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert client.get(SIGNED_IN_PAGE).status_code == 200
    assert other_device.get(SIGNED_IN_PAGE).status_code == 302
