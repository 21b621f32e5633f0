from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from thidua.movements.scoring import ScoringTable, load_table

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def example_data() -> dict[str, Any]:
    with (DATA / "criteria-example.yaml").open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


@pytest.fixture(scope="session")
def example_table(example_data: dict[str, Any]) -> ScoringTable:
    return load_table(example_data)
