"""AdvisorApp: owns one immutable Requirements, walks the six steps, shows the results.

Screens get the requirements handed down and return typed answers (StepAnswer,
ExportRequest); the app applies them and decides what comes next. Scoring is the same
``Evaluator`` the CLI and the Python API use.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import ClassVar

import yaml
from textual.app import App
from textual.binding import Binding, BindingType

from ..catalogue import Catalogue
from ..engine.loader import RuleSet
from ..render.html import render_html
from ..render.markdown import render_markdown
from ..schema.requirements import Requirements
from .messages import ExportRequest, StepAnswer
from .screens.budget import BudgetStep
from .screens.data import DataStep
from .screens.dialogs import ExportScreen, HelpScreen
from .screens.hosting import HostingStep
from .screens.licence import LicenceStep
from .screens.organisation import OrganisationStep
from .screens.results import ResultsScreen
from .screens.use_case import UseCaseStep

STEPS = (OrganisationStep, UseCaseStep, DataStep, LicenceStep, HostingStep, BudgetStep)
DEFAULT_REQUIREMENTS = {"use_case": {"tasks": ["chat"]}}


class AdvisorApp(App[Requirements | None]):
    """The wizard. Returns the final requirements when it exits."""

    CSS_PATH = "app.tcss"
    TITLE = "advisor"
    SUB_TITLE = "an open-weight model you can use, host and afford"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True, tooltip="Leave advisor"),
        Binding("f1", "help", "Help", id="app.help", tooltip="Keys and what this step means"),
        Binding("question_mark", "help", "Help", id="app.help_key", show=False),
    ]

    def __init__(self, catalogue: Catalogue, rules: RuleSet, initial: Requirements | None = None, *,
                 start_at_results: bool = False, export_dir: str | Path | None = None,
                 show_timing: bool = True) -> None:
        super().__init__()
        self.show_timing = show_timing
        self.catalogue = catalogue
        self.rules = rules
        self.requirements = initial or Requirements.model_validate(DEFAULT_REQUIREMENTS)
        self.start_at_results = start_at_results
        self.export_dir = Path(export_dir) if export_dir else Path.cwd()
        self.step = 0

    def on_mount(self) -> None:
        if self.start_at_results:
            self.show_results()
        else:
            self.show_step(0)

    # -- the flow
    def show_step(self, index: int) -> None:
        self.step = index
        screen = STEPS[index](self.requirements, self.catalogue.vocabulary, hardware=self.catalogue.hardware)
        self.push_screen(screen, callback=self._after_step)

    def _after_step(self, answer: StepAnswer | None) -> None:
        if answer is None:
            return
        if answer.changes:
            self.requirements = self.requirements.replace(**answer.changes)
        if answer.go == "back":
            self.show_step(max(0, self.step - 1))
        elif answer.go == "results" or self.step == len(STEPS) - 1:
            self.show_results()
        else:
            self.show_step(self.step + 1)

    def show_results(self) -> None:
        self.push_screen(ResultsScreen())

    def edit_answers(self) -> None:
        if isinstance(self.screen, ResultsScreen):
            self.pop_screen()
        self.show_step(0)

    # -- actions
    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        topic = getattr(self.screen, "HELP", "")
        self.push_screen(HelpScreen(topic))

    def export(self) -> None:
        stem = (self.requirements.organisation.name or "advisor").lower()
        stem = "".join(ch if ch.isalnum() else "-" for ch in stem).strip("-") or "advisor"
        self.push_screen(ExportScreen(stem), callback=self._export)

    def _export(self, request: ExportRequest | None) -> None:
        if request is None:
            return
        path = Path(request.path)
        if not path.is_absolute():
            path = self.export_dir / path
        try:
            write_export(path, request.kind, self.requirements, self.catalogue, self.rules)
        except OSError as exc:
            self.notify(f"Could not save {path}: {exc.strerror or exc}", severity="error")
            return
        self.notify(f"Saved {path}", title="Export")


def export_text(kind: str, requirements: Requirements, catalogue: Catalogue, rules: RuleSet) -> str:
    """The text of an export: the answers as requirements YAML, or the report."""
    if kind == "requirements":
        header = ("# advisor requirements (schema_version 1), saved by the wizard.\n"
                  "# Re-run with: advisor recommend <this file>\n")
        return header + yaml.safe_dump(requirements.model_dump(mode="json"), sort_keys=False, allow_unicode=True)
    from ..engine.evaluate import Evaluator

    advice = Evaluator(requirements, catalogue, rules).advise()
    if kind == "markdown":
        return render_markdown(advice)
    if kind == "html":
        return render_html(advice)
    return advice.to_json()


def write_export(path: Path, kind: str, requirements: Requirements, catalogue: Catalogue, rules: RuleSet) -> None:
    """Write atomically (temporary file + rename): a failed write never leaves half a file."""
    text = export_text(kind, requirements, catalogue, rules)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text if text.endswith("\n") else text + "\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
