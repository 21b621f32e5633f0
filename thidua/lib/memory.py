"""Memory helpers for batch work."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a batch builds many small acyclic objects.

    The collector would rescan the growing set of live objects again and again: about 40 % of the
    run time of scoring 3,500 units, 1,8 s of an import of 100,000 people. Afterwards the survivors
    go straight to the oldest generation (``freeze`` then ``unfreeze``) instead of being scanned by
    the next young collection, and the collector's previous state is restored. Nothing is leaked:
    the objects stay collectable, they are only not rescanned right away.
    """
    was_enabled = gc.isenabled()
    # A host that froze its own objects (gc.freeze before forking workers) keeps them frozen.
    may_freeze = gc.get_freeze_count() == 0
    gc.disable()
    try:
        yield
    finally:
        if may_freeze:
            gc.freeze()
            gc.unfreeze()
        if was_enabled:
            gc.enable()
