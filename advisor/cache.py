"""A start-up cache of the parsed and validated catalogue and rules, stored as plain data.

Parsing ~300 YAML files takes most of a cold start, so the validated data is written as JSON to
the user's cache directory (:mod:`advisor.plaindata`: objects tagged with their schema class,
never unpickled, never executed) and rebuilt from it without a second validation. The key is a
SHA-256 over advisor's version and source code and the *contents* of every data file read, so any edit (even one that keeps size and modification time) misses the
cache. A cache file is trusted only if it belongs to the current user and nobody else can write
it; a corrupt, foreign or stale file is ignored and rebuilt.

Location: $ADVISOR_CACHE_DIR, else $XDG_CACHE_HOME/advisor, else ~/.cache/advisor.
Set ADVISOR_NO_CACHE=1 to disable it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Generic, TypeVar

from .errors import AdvisorError, Problem

T = TypeVar("T")

KEEP = 8
"""Cache files kept per kind (several catalogue overlays or installs do not evict each other)."""
_NAME = re.compile(r"^((?:catalogue|rules)(?:-key)?)-[0-9a-f]{32}\.json$")
_KEY = re.compile(rb'"[0-9a-f]{32}"')
"""A remembered cache key (see :func:`fingerprint`): a JSON string of 32 hex digits."""
_CODE: str | None = None
RECENT_S = 2
"""Seconds after a data file's last change during which its cache key is not remembered."""


def cache_dir() -> Path | None:
    if os.environ.get("ADVISOR_NO_CACHE"):
        return None
    if os.environ.get("ADVISOR_CACHE_DIR"):
        return Path(os.environ["ADVISOR_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "advisor"


def data_files(d: Path) -> Iterator[Path]:
    """The data files of a catalogue or rules directory (``*.yaml`` anywhere below it, symbolic
    links to directories not followed), in the order of ``sorted(d.rglob("*.yaml"))``. Hidden
    files and directories (editor lock and backup files such as ``.#entry.yaml``) are not data."""
    for parts in _found(str(d), ".yaml"):
        yield d.joinpath(*parts)


def _found(d: str, suffix: str) -> list[tuple[str, ...]]:
    """The path parts below ``d`` of every file named ``*suffix``, sorted (see :func:`data_files`)."""
    found: list[tuple[str, ...]] = []

    def walk(path: str, parts: tuple[str, ...]) -> None:
        try:
            with os.scandir(path) as entries:
                listed = list(entries)
        except OSError:
            return
        for entry in listed:
            if entry.name.startswith("."):
                continue
            here = (*parts, entry.name)
            if entry.name.endswith(suffix):
                found.append(here)
            try:
                directory = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if directory:
                walk(entry.path, here)

    walk(d, ())
    return sorted(found)


def _code_hash() -> str:
    """A hash of advisor's own source: derived data changes when the code that builds it does."""
    global _CODE
    if _CODE is None:
        from ._version import __version__

        h = hashlib.sha256(__version__.encode())
        root = os.path.dirname(os.path.realpath(__file__))
        for parts in _found(root, ".py"):  # os.scandir, not Path.rglob: a third of the time
            with contextlib.suppress(OSError), open(os.path.join(root, *parts), "rb") as fh:
                h.update("/".join(parts).encode() + b"\0" + fh.read())
        _CODE = h.hexdigest()
    return _CODE


def fingerprint(kind: str, dirs: Iterable[Path], sig: tuple[object, ...] | None = None) -> str:
    """The cache key: advisor's code and the content of every data file in ``dirs``.

    Reading every file costs more than the rest of a warm start-up's loading, so the key is
    remembered beside the cache under the files' :func:`signature` (path, size, inode, mtime and
    ctime: any write changes the ctime). It is not remembered while a file changed in the last
    RECENT_S seconds: a second write within the file system's timestamp resolution could then
    keep the signature. ``sig`` is the signature of ``dirs`` when the caller has it."""
    dirs = tuple(dirs)
    sig = signature(dirs) if sig is None else sig
    noted = hashlib.sha256(repr((kind, _code_hash(), [str(d) for d in dirs], sig)).encode()).hexdigest()[:32]
    known = load(f"{kind}-key", noted)
    if known is not None and _KEY.fullmatch(known):
        return known[1:-1].decode("ascii")
    key = content_fingerprint(kind, dirs)
    newest = max((item[4] for item in sig if len(item) == 5), default=0)
    if time.time_ns() - newest > RECENT_S * 1e9:
        store(f"{kind}-key", noted, f'"{key}"'.encode("ascii"))
    return key


def content_fingerprint(kind: str, dirs: Iterable[Path]) -> str:
    """SHA-256 over advisor's code and the content of every data file in ``dirs``."""
    from .documents import read_bytes  # the same bounded read of regular files only as the loader's

    h = hashlib.sha256(f"{kind}\0{_code_hash()}".encode())
    for d in dirs:
        h.update(f"\0dir\0{d}".encode())
        for path in data_files(d):
            h.update(f"\0{path.relative_to(d)}\0".encode())
            try:
                h.update(hashlib.sha256(read_bytes(path)).digest())
            except AdvisorError as exc:  # a FIFO, device, loop, unreadable or too big: the loader reports it
                h.update(f"unreadable {exc}".encode())
    return h.hexdigest()[:32]


class Loaded(Generic[T]):
    """Data loaded in this process per set of directories (at most ``keep``), used again while
    :func:`signature` shows no file changed."""

    def __init__(self, keep: int = 8) -> None:
        self.keep = keep
        self._held: dict[tuple[Path, ...], tuple[tuple[object, ...], T]] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple[Path, ...], load: Callable[[tuple[Path, ...], tuple[object, ...]], T]) -> T:
        """What ``load(key, signature)`` returned, while the signature is unchanged."""
        sig = signature(key)
        with self._lock:
            held = self._held.get(key)
            if held is not None and held[0] == sig:
                return held[1]
        value = load(key, sig)
        with self._lock:
            self._held[key] = (sig, value)
            while len(self._held) > self.keep:
                self._held.pop(next(iter(self._held)))
        return value


def readable_dir(d: str | Path, error: type[AdvisorError], what: str) -> Path:
    """``d`` as a Path, or one clear error: missing, not a directory, or not readable."""
    p = Path(d)
    if not p.is_dir():
        raise error([Problem(f"no such {what} directory" if not p.exists() else "is not a directory", file=str(d))])
    if not os.access(p, os.R_OK | os.X_OK):
        raise error([Problem("cannot read the directory (permission denied)", file=str(d))])
    return p


def signature(dirs: Iterable[Path]) -> tuple[object, ...]:
    """A cheap in-process check that no data file changed (path, size, inode, mtime and ctime;
    the ctime changes on every write, even when the mtime is restored)."""
    items: list[object] = []
    for d in dirs:
        base = str(d)
        for parts in _found(base, ".yaml"):  # path strings: Path objects cost most of the time
            path = os.path.join(base, *parts)
            try:
                st = os.stat(path)
                items.append((path, st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns))
            except OSError:
                items.append((path, None))
    return tuple(items)


def _trusted(fd: int) -> bool:
    st = os.fstat(fd)
    return (stat.S_ISREG(st.st_mode) and st.st_uid == os.geteuid()
            and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def load(kind: str, key: str) -> bytes | None:
    """The cached JSON for ``key``, or None (missing, unreadable, or not trusted)."""
    root = cache_dir()
    if root is None:
        return None
    path = root / f"{kind}-{key}.json"
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        if not _trusted(fd):
            return None
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read()
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used files survive the tidying
        return data
    except OSError:
        return None
    finally:
        os.close(fd)


def store(kind: str, key: str, data: bytes) -> None:
    """Write the cache file (private to the user) and drop this kind's oldest files of ours."""
    root = cache_dir()
    if root is None:
        return
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=root, prefix=f".{kind}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, root / f"{kind}-{key}.json")
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        _tidy(root, kind)
    except OSError:
        pass  # a read-only home or full disk only costs speed


def _tidy(root: Path, kind: str) -> None:
    """Remove our own old cache files of this kind beyond KEEP, and temporary files a killed run
    left more than an hour ago. Files that are not ours, or not named like ours, are never touched."""
    mine: list[tuple[float, Path]] = []
    now = time.time()
    uid = os.geteuid()
    for path in root.iterdir():
        try:
            st = path.lstat()
        except OSError:
            continue
        if st.st_uid != uid or not stat.S_ISREG(st.st_mode):
            continue
        if (name := _NAME.match(path.name)) and name.group(1) == kind:
            mine.append((st.st_mtime, path))
        elif path.name.startswith(f".{kind}-") and path.name.endswith(".tmp") and now - st.st_mtime > 3600:
            with contextlib.suppress(OSError):
                path.unlink()
    for _, path in sorted(mine, reverse=True)[KEEP:]:
        with contextlib.suppress(OSError):
            path.unlink()
