"""A start-up cache of the parsed and validated catalogue and rules.

Parsing ~200 YAML files and validating them takes most of a cold start, so the validated
objects are pickled to the user's cache directory, keyed by advisor's version and the path,
size and modification time of every file read. Any change to a file, or a new advisor
version, misses the cache and re-reads everything; a broken or unreadable cache is ignored.

Location: $ADVISOR_CACHE_DIR, else $XDG_CACHE_HOME/advisor, else ~/.cache/advisor.
Set ADVISOR_NO_CACHE=1 to disable it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def cache_dir() -> Path | None:
    if os.environ.get("ADVISOR_NO_CACHE"):
        return None
    if os.environ.get("ADVISOR_CACHE_DIR"):
        return Path(os.environ["ADVISOR_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "advisor"


def fingerprint(kind: str, dirs: Iterable[Path]) -> str:
    from . import __version__

    h = hashlib.sha256(f"{kind}\0{__version__}".encode())
    for d in dirs:
        h.update(f"\0dir\0{d}".encode())
        for path in sorted(d.rglob("*.yaml")):
            st = path.stat()
            h.update(f"\0{path.relative_to(d)}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    return h.hexdigest()[:32]


def load(kind: str, key: str) -> Any | None:
    root = cache_dir()
    if root is None:
        return None
    path = root / f"{kind}-{key}.pickle"
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except Exception:  # missing, truncated, or from an incompatible build: rebuild
        return None


def store(kind: str, key: str, value: Any) -> None:
    root = cache_dir()
    if root is None:
        return
    try:
        root.mkdir(parents=True, exist_ok=True)
        for old in root.glob(f"{kind}-*.pickle"):
            old.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=root, prefix=f".{kind}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, root / f"{kind}-{key}.pickle")
    except OSError:
        pass  # a read-only home or full disk only costs speed
