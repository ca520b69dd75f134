"""Writing an output file without damaging what is there.

- A regular file, or a path that does not exist yet, is written to a temporary file in the same
  directory and renamed over it only when the output is complete: an interrupted or failed run
  leaves the old file untouched and no debris (the mode of an existing file is kept).
- Anything else that exists (a device such as /dev/null, a FIFO, a symbolic link) is written
  straight through, as shell redirection would: it is never replaced by a regular file. So is a
  writable file owned by someone else (a rename would take it from them, or fail at the end in a
  sticky directory such as /tmp).
- Problems (missing directory, a directory as target, a read-only file, no permission) raise one
  AdvisorError before the caller does any work.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from .errors import AdvisorError, Problem


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fail(path: Path, exc: OSError) -> AdvisorError:
    return AdvisorError([Problem(f"cannot write it: {exc.strerror or exc}", file=str(path))])


@contextlib.contextmanager
def output_file(path: str | Path) -> Iterator[TextIO]:
    """A UTF-8 text stream that ends up in ``path`` (see the module description)."""
    p = Path(path)
    try:
        st: os.stat_result | None = os.lstat(p)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _fail(p, exc) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise AdvisorError([Problem("is a directory; name a file to write", file=str(p))])
    if st is not None and stat.S_ISREG(st.st_mode) and not os.access(p, os.W_OK):
        raise AdvisorError([Problem("cannot write it: the file is read-only for you", file=str(p))])
    foreign = st is not None and st.st_uid != os.geteuid() and os.geteuid() != 0
    if st is not None and (not stat.S_ISREG(st.st_mode) or foreign):  # a file of someone else's stays theirs
        try:
            fh = open(p, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise _fail(p, exc) from None
        with fh:
            yield fh
        return
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise AdvisorError([Problem(f"the directory {str(parent)!r} does not exist", file=str(p))])
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{p.name}.", suffix=".partial")
    except OSError as exc:
        raise _fail(p, exc) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            os.fchmod(fd, stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask())
            if st is not None and os.geteuid() == 0:
                with contextlib.suppress(OSError):
                    os.fchown(fd, st.st_uid, st.st_gid)
            yield fh
        os.replace(tmp, p)
    except OSError as exc:
        raise _fail(p, exc) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
