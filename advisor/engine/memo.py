"""Memoising per model object: a result kept under a key that names the model, and used only
while the model is the very object it was computed for (a patched copy in a rule test, with the
same id, is computed afresh). Holding the model also keeps its ``id()`` from being reused."""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any, TypeVar

T = TypeVar("T")


def per_model(store: MutableMapping[Any, tuple[Any, Any]], key: Any, model: object,
              compute: Callable[[], T]) -> T:
    """``compute()`` once per ``key`` and ``model`` object."""
    hit = store.get(key)
    if hit is None or hit[0] is not model:
        hit = store[key] = (model, compute())
    return hit[1]
