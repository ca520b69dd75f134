"""The ``advisor`` command's entry point: ``--version`` is answered before the CLI and its
imports load (about 10 ms instead of 50); everything else goes to :func:`advisor.cli.main`."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:
        from ._version import __version__

        print(f"advisor {__version__}")
        return 0
    from .cli import main as cli_main

    return cli_main(argv)
