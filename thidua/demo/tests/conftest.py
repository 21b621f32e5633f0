"""One small demo (300 people) loaded once for the module that asks for it, rolled back afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

DEMO_PEOPLE = 300
DEMO_SEED = 7


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """Load the demo; yields the command's output. Tests using it also need `db`."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("demo", people=DEMO_PEOPLE, seed=DEMO_SEED, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)
