"""The ``advisor`` command's entry point: ``--version`` is answered before the CLI and its
imports load (about 10 ms instead of 50); everything else goes to :func:`advisor.cli.main`.

Python's cyclic garbage collector is paused while the CLI's modules load, and what they made is
then frozen (:func:`gc.freeze`): those objects live until the command ends, and scanning them over
and over cost a cold ``recommend`` about a tenth of its time. The CLI freezes the catalogue and
rules it loads the same way; everything made after that is collected as usual.

While the command runs, pydantic is told not to look for plugins (``PYDANTIC_DISABLE_PLUGINS``):
finding none meant reading every installed package's entry points when the first schema was
built, about a twentieth of a cold ``recommend``; and the loader itself, which imports
``importlib.metadata``, is replaced by a stand-in that answers as pydantic would (another 11 ms).
advisor's schemas are its own and need no plugin. A value the user set is kept. The only
processes a command starts are advisor's own (batch workers, the web wizard's sessions), so
nothing else inherits it; the variable and the stand-in are removed again when :func:`main`
returns, for callers that run it in their own process."""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import sys
import types
from collections.abc import Iterator

PLUGINS_VARIABLE = "PYDANTIC_DISABLE_PLUGINS"


def run() -> None:
    """The console command: :func:`main`, then the process ends without tearing down the objects
    it made (freeing a loaded catalogue object by object cost tens of milliseconds per command).
    Every file advisor writes is closed before :func:`main` returns; only the standard streams
    are left, and they are flushed here."""
    code = main()
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):  # the reader went away, or the stream was closed
        pass
    try:
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:
        from ._version import __version__

        print(f"advisor {__version__}")
        return 0
    try:
        with _pydantic_plugins_skipped():
            from .collector import paused

            with paused():
                if not _load_deferring_interrupts(help_only=bool({"-h", "--help"} & set(args))):
                    return 130
                gc.freeze()
            from .cli import main as cli_main

            return cli_main(argv)
    except KeyboardInterrupt:  # Ctrl+C before the CLI handles it: no traceback
        return 130


def _load_deferring_interrupts(*, help_only: bool) -> bool:
    """Import the CLI and the compiled libraries it needs with Ctrl+C noted, not raised: an
    interrupt inside a C extension's import breaks it with a traceback of its own (pydantic-core
    panics). False when the user interrupted meanwhile."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return True
    interrupted: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: interrupted.append(signum))
    try:
        from . import cli  # noqa: F401

        if not help_only:
            import pydantic_core  # noqa: F401
            import yaml  # noqa: F401
    finally:
        signal.signal(signal.SIGINT, previous)
    return not interrupted


@contextlib.contextmanager
def _pydantic_plugins_skipped() -> Iterator[None]:
    """``PYDANTIC_DISABLE_PLUGINS`` set while the block runs, unless the user set it already
    (then their value decides, as it would without advisor); and pydantic's plugin loader
    deferred (:func:`_deferred_plugin_loader`)."""
    ours = PLUGINS_VARIABLE not in os.environ
    if ours:
        os.environ[PLUGINS_VARIABLE] = "__all__"
    stand_in = _deferred_plugin_loader()
    try:
        yield
    finally:
        if stand_in is not None and sys.modules.get(PLUGIN_LOADER) is stand_in:
            del sys.modules[PLUGIN_LOADER]
        if ours:
            os.environ.pop(PLUGINS_VARIABLE, None)


PLUGIN_LOADER = "pydantic.plugin._loader"
DISABLING = ("__all__", "1", "true")
"""The values of ``PYDANTIC_DISABLE_PLUGINS`` with which pydantic loads no plugin at all."""


def _deferred_plugin_loader() -> types.ModuleType | None:
    """A stand-in for pydantic's plugin loader while plugins are disabled. pydantic imports its
    loader when it builds the first schema, and the loader imports ``importlib.metadata`` (with
    ``email``, ``zipfile``, ``socket``...) at its top, about 11 ms of a cold ``recommend``, to
    find plugins it then does not look for. The stand-in answers "no plugins" exactly when the
    real loader would without looking (the variable says so at the call); otherwise it removes
    itself and asks the real one. None (nothing done) when the real loader is already there."""
    if PLUGIN_LOADER in sys.modules:
        return None
    stand_in = types.ModuleType(PLUGIN_LOADER, "advisor's stand-in for pydantic's plugin loader while "
                                               "plugins are disabled (see advisor._entry)")

    def get_plugins() -> object:
        if os.environ.get(PLUGINS_VARIABLE) in DISABLING:
            return ()
        if sys.modules.get(PLUGIN_LOADER) is stand_in:
            del sys.modules[PLUGIN_LOADER]
        return importlib.import_module(PLUGIN_LOADER).get_plugins()

    stand_in.get_plugins = get_plugins  # type: ignore[attr-defined]
    sys.modules[PLUGIN_LOADER] = stand_in
    return stand_in
