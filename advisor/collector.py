"""Pausing Python's cyclic garbage collector around work that makes many objects and little
garbage: loading modules or the start-up cache, scoring a profile or a batch (see
``advisor._entry``, :mod:`advisor.plaindata`, :mod:`advisor.engine.advice` and
:mod:`advisor.batch`).

Scoring one profile makes hundreds of thousands of objects and no cyclic garbage (reference
counting frees all of it; ``tests/test_collector.py`` checks), while the collector, left
running, scanned the young ones over and over: about a quarter of a warm ``rank()``.

The pause nests and is shared by threads: the collector is disabled when the first pause
begins and restored to the state it had then when the last one ends."""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_depth = 0
_restore = False


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No automatic collection within; the collector's state is restored on the way out."""
    global _depth, _restore
    with _lock:
        if _depth == 0:
            _restore = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _restore:
                gc.enable()
