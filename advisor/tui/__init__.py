"""The terminal wizard. The only package of advisor that imports textual.

``make_app`` is the one place the app is built; the CLI and the tests share it.
"""

from __future__ import annotations

from pathlib import Path

from ..catalogue import Catalogue
from ..engine.loader import RuleSet
from ..schema.requirements import Requirements
from .app import AdvisorApp, default_autosave_path

__all__ = ["AdvisorApp", "default_autosave_path", "make_app", "run_wizard"]


def make_app(catalogue: Catalogue, rules: RuleSet, initial: Requirements | None = None, *,
             start_at_results: bool = False, export_dir: str | Path | None = None,
             show_timing: bool = True, autosave: str | Path | None = None) -> AdvisorApp:
    """Build the wizard with injected data (a frozen fixture catalogue in tests; snapshot tests
    turn off the re-ranking time, which differs run to run). ``autosave``: the file that keeps the
    answers between runs (none by default, so tests and embedders write nothing)."""
    return AdvisorApp(catalogue, rules, initial, start_at_results=start_at_results, export_dir=export_dir,
                      show_timing=show_timing, autosave=autosave)


def run_wizard(catalogue: Catalogue, rules: RuleSet, initial: Requirements | None = None) -> int:
    """Run the wizard in the terminal, keeping the answers in the autosave file; exit code 0."""
    make_app(catalogue, rules, initial, autosave=default_autosave_path()).run()
    return 0
