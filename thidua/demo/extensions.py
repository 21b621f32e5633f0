"""What apps above the demo add to it, without the demo importing them (docs/architecture.md).

An app registers a step from its `AppConfig.ready()` with `@after_load`; `thidua demo` runs the
steps, in the order of INSTALLED_APPS, once the organisation, the people and the movements are
loaded. A step returns lines (Vietnamese) for the command's report and must be idempotent.
"""

from __future__ import annotations

from collections.abc import Callable

Step = Callable[[], list[str]]
_STEPS: list[Step] = []


def after_load(step: Step) -> Step:
    if step not in _STEPS:
        _STEPS.append(step)
    return step


def run_after_load() -> list[str]:
    lines: list[str] = []
    for step in _STEPS:
        lines.extend(step())
    return lines
