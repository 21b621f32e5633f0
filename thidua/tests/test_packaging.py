"""`pip install .` gets what the app needs: every direct runtime pin of requirements.txt is a
dependency of pyproject.toml, with a range that admits the pinned version."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def _direct_pins() -> dict[str, str]:
    """name → version of requirements.txt lines whose reason is not "X dependency" (a transitive pin)."""
    pins: dict[str, str] = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-\[\]]+)==(\S+)\s*(?:#\s*(.*))?$", line.strip())
        reason = (match.group(3) or "").split("(")[0].strip() if match else ""
        if match and not reason.endswith("dependency"):
            pins[str(canonicalize_name(match.group(1).split("[")[0]))] = match.group(2)
    return pins


def test_pyproject_declares_every_direct_runtime_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared: dict[str, Requirement] = {
        str(canonicalize_name(r.name)): r for r in map(Requirement, project["dependencies"])
    }
    # psycopg[binary] brings psycopg-binary at psycopg's version
    declared |= {f"{name}-binary": r for name, r in declared.items() if "binary" in r.extras}
    pins = _direct_pins()
    assert "django" in pins and "django-tasks" in pins  # the reader works
    missing = sorted(set(pins) - set(declared))
    assert missing == []
    outside = {name: version for name, version in pins.items() if version not in declared[name].specifier}
    assert outside == {}
