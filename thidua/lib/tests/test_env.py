from pathlib import Path

import pytest

from thidua.lib.env import SettingError, env_bool, env_int, env_list, env_str, parse_database_url

BASE = Path("/srv/thidua")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for name in ["THIDUA_X", "THIDUA_X_FILE"]:
        monkeypatch.delenv(name, raising=False)


def test_env_str_reads_the_prefixed_variable(monkeypatch):
    monkeypatch.setenv("THIDUA_X", "giá trị")
    assert env_str("X", "mặc định") == "giá trị"


def test_env_str_falls_back_to_the_default():
    assert env_str("X", "mặc định") == "mặc định"


def test_env_str_empty_is_the_default(monkeypatch):
    monkeypatch.setenv("THIDUA_X", "")
    assert env_str("X", "mặc định") == "mặc định"


def test_env_str_file_variant_wins_and_is_stripped(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("  bí-mật-từ-tệp\n", encoding="utf-8")
    monkeypatch.setenv("THIDUA_X", "từ-biến")
    monkeypatch.setenv("THIDUA_X_FILE", str(secret))
    assert env_str("X") == "bí-mật-từ-tệp"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        ("Yes", True),
        (" ON ", True),
        ("0", False),
        ("false", False),
        ("off", False),
    ],
)
def test_env_bool_accepts_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("THIDUA_X", raw)
    assert env_bool("X", default=not expected) is expected


@pytest.mark.parametrize("default", [True, False])
def test_env_bool_empty_or_unset_is_the_default(monkeypatch, default):
    assert env_bool("X", default=default) is default
    monkeypatch.setenv("THIDUA_X", "")
    assert env_bool("X", default=default) is default


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("THIDUA_X", "có")
    with pytest.raises(SettingError, match="THIDUA_X: 'có' is not a boolean"):
        env_bool("X")


def test_env_int(monkeypatch):
    assert env_int("X", 7) == 7
    monkeypatch.setenv("THIDUA_X", "42")
    assert env_int("X", 7) == 42
    monkeypatch.setenv("THIDUA_X", "bốn")
    with pytest.raises(SettingError, match="THIDUA_X: 'bốn' is not an integer"):
        env_int("X", 7)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    assert env_list("X", ["a"]) == ["a"]
    monkeypatch.setenv("THIDUA_X", " thidua.example.vn, ,www.thidua.example.vn ,")
    assert env_list("X", []) == ["thidua.example.vn", "www.thidua.example.vn"]
    monkeypatch.setenv("THIDUA_X", "  ")
    assert env_list("X", ["a"]) == ["a"]


# --- parse_database_url -------------------------------------------------------------------------


def test_sqlite_relative_path_is_inside_the_base_dir():
    db = parse_database_url("sqlite:///db.sqlite3", base_dir=BASE)
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == "/srv/thidua/db.sqlite3"


def test_sqlite_relative_path_with_folders():
    assert parse_database_url("sqlite:///var/data.db", base_dir=BASE)["NAME"] == "/srv/thidua/var/data.db"


def test_sqlite_absolute_path_takes_four_slashes():
    assert parse_database_url("sqlite:////var/lib/thidua/db.sqlite3", base_dir=BASE)["NAME"] == (
        "/var/lib/thidua/db.sqlite3"
    )


def test_sqlite_in_memory():
    assert parse_database_url("sqlite:///:memory:", base_dir=BASE)["NAME"] == ":memory:"


def test_sqlite_is_tuned_for_a_web_process_and_a_command_writing_together():
    options = parse_database_url("sqlite:///db.sqlite3", base_dir=BASE)["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


@pytest.mark.parametrize("url", ["sqlite://db.sqlite3", "sqlite://", "sqlite:///"])
def test_sqlite_malformed_urls_are_refused(url):
    with pytest.raises(SettingError, match="THIDUA_DATABASE_URL"):
        parse_database_url(url, base_dir=BASE)


def test_postgres_with_user_password_host_port_and_options():
    db = parse_database_url(
        "postgres://thidua:m%C3%A2t%40kh%E1%BA%A9u@db.example.vn:5433/thidua?sslmode=require&connect_timeout=5",
        base_dir=BASE,
    )
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert db["NAME"] == "thidua"
    assert db["USER"] == "thidua"
    assert db["PASSWORD"] == "mât@khẩu"
    assert db["HOST"] == "db.example.vn"
    assert db["PORT"] == "5433"
    assert db["OPTIONS"] == {"sslmode": "require", "connect_timeout": "5"}


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "pgsql"])
def test_postgres_minimal_url(scheme):
    db = parse_database_url(f"{scheme}://127.0.0.1/thidua", base_dir=BASE)
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["OPTIONS"]) == (
        "thidua",
        "",
        "",
        "127.0.0.1",
        "",
        {},
    )


def test_postgres_without_database_name_is_refused():
    with pytest.raises(SettingError, match="no database name"):
        parse_database_url("postgres://postgres@127.0.0.1:5432/", base_dir=BASE)


def test_postgres_with_a_bad_port_is_refused_clearly():
    with pytest.raises(SettingError, match="port"):
        parse_database_url("postgres://postgres@127.0.0.1:cổng/thidua", base_dir=BASE)


@pytest.mark.parametrize("url", ["mysql://root@localhost/thidua", "db.sqlite3", "oracle://x/y"])
def test_unsupported_scheme_is_a_clear_error(url):
    with pytest.raises(SettingError, match=r"unsupported scheme .*use sqlite:/// or postgres://"):
        parse_database_url(url, base_dir=BASE)


def test_a_sqlite_file_opens_with_wal_a_busy_timeout_and_foreign_keys(tmp_path, django_db_blocker):
    from django.db.utils import ConnectionHandler

    handler = ConnectionHandler({"default": parse_database_url(f"sqlite:///{tmp_path}/t.db", base_dir=BASE)})
    connection = handler["default"]
    try:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 20000
    finally:
        connection.close()
