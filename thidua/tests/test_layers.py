"""The app layering of docs/architecture.md, enforced: an app imports only apps of lower layers.

Every module of an app counts, tests and migrations aside (tests may set up data of any app). The
rules engine stays pure: no Django, no app but `lib`. A new app must be given its place here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1]

# Lowest first. An app may import any app of a lower layer, none of its own layer or above.
LAYERS: list[set[str]] = [
    {"lib"},
    {"rules"},
    {"core"},
    {"audit"},
    {"accounts"},
    {"org"},
    {"notices"},
    {"documents"},
    {"history"},
    {"movements"},
    {"eligibility"},
    {"awards"},
    {"web", "api", "demo", "setup"},
    {"reports"},  # statistics for officers; reads every app below
    {"portal"},  # the public site; uses the award levels and charts of reports
]
LAYER_OF = {app: i for i, layer in enumerate(LAYERS) for app in layer}
PURE = {"lib", "rules"}  # no Django import at all


def _apps() -> list[str]:
    return sorted(
        p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists() and p.name != "tests"
    )


def _imports(app: str) -> list[tuple[str, str]]:
    """(module path, imported name) of every import in the app's code, tests and migrations aside."""
    found: list[tuple[str, str]] = []
    for path in (PACKAGE / app).rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if "tests" in rel.parts or "migrations" in rel.parts or path.name in ("conftest.py",):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.extend((str(rel), alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.append((str(rel), node.module))
    return found


def test_every_app_has_a_layer():
    assert sorted(set(_apps()) - set(LAYER_OF)) == []


@pytest.mark.parametrize("app", sorted(LAYER_OF))
def test_an_app_imports_only_lower_layers(app):
    wrong = []
    for module, name in _imports(app):
        parts = name.split(".")
        if app in PURE and parts[0] == "django":
            wrong.append(f"{module} imports {name} (the layer must not use Django)")
        if parts[0] != PACKAGE.name or len(parts) < 2 or parts[1] == app:
            continue
        target = parts[1]
        if target in LAYER_OF and LAYER_OF[target] >= LAYER_OF[app]:
            wrong.append(f"{module} imports {name}")
    assert wrong == []


def test_the_check_sees_a_wrong_import(tmp_path, monkeypatch):
    """The checker itself: an upward import in a scratch package is reported."""
    package = tmp_path / PACKAGE.name
    for app, code in (("core", "from thidua.awards.models import Decision\n"), ("awards", "")):
        (package / app).mkdir(parents=True)
        (package / app / "__init__.py").write_text("")
        (package / app / "views.py").write_text(code)
    monkeypatch.setattr(__import__(__name__, fromlist=["PACKAGE"]), "PACKAGE", package)
    assert _imports("core") == [("core/views.py", "thidua.awards.models")]
    with pytest.raises(AssertionError):
        test_an_app_imports_only_lower_layers("core")
