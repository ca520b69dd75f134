"""``advisor web``: the same Textual wizard in a web browser, served by textual-serve (for a
Digital Innovation Hub whose members should not need a terminal). Each browser tab runs its own
wizard process. It binds to 127.0.0.1 unless told otherwise, and says so: anyone who can reach
the address can use the wizard and read the answers typed into it.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Sequence


def wizard_command(catalogue_dirs: Sequence[str] = (), rules_dirs: Sequence[str] = ()) -> str:
    """The shell command textual-serve starts per browser session."""
    parts = [sys.executable, "-m", "advisor"]
    for d in catalogue_dirs:
        parts += ["--catalogue", d]
    for d in rules_dirs:
        parts += ["--rules", d]
    return shlex.join([*parts, "wizard"])


def serve(host: str = "127.0.0.1", port: int = 8000, *, catalogue_dirs: Sequence[str] = (),
          rules_dirs: Sequence[str] = ()) -> int:
    from textual_serve.server import Server

    where = "this machine only" if host in ("127.0.0.1", "localhost", "::1") else "every machine that can reach it"
    print(f"advisor web: serving the wizard at http://{host}:{port} ({where}); press Ctrl+C to stop", file=sys.stderr)
    Server(wizard_command(catalogue_dirs, rules_dirs), host=host, port=port, title="advisor").serve()
    return 0
