"""Pausing Python's cyclic garbage collector around work that makes many objects and little
garbage: loading modules or the start-up cache, scoring a batch (see ``advisor._entry``,
:mod:`advisor.plaindata` and :mod:`advisor.batch`)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No automatic collection within; the collector's state is restored on the way out."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
