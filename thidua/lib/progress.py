"""A small text progress bar for commands: drawn in place on a terminal, silent otherwise."""

from __future__ import annotations

import time
from typing import TextIO


class ProgressBar:
    """`update(done, total)` redraws at most every `interval` seconds; `close()` ends the line.

    When `stream` is not a terminal (a pipe, a log file, CI) nothing is written at all.
    """

    def __init__(self, stream: TextIO, label: str, *, width: int = 30, interval: float = 0.1) -> None:
        self.stream = stream
        self.label = label
        self.width = width
        self.interval = interval
        self.enabled = bool(getattr(stream, "isatty", lambda: False)())
        self._last = float("-inf")
        self._drawn = False

    def update(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        now = time.monotonic()
        if done < total and now - self._last < self.interval:
            return
        self._last = now
        filled = self.width * done // total
        bar = "█" * filled + "·" * (self.width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done}/{total} ({100 * done // total}%)")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False
