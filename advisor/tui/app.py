"""AdvisorApp: owns the user's answers (one immutable Requirements), walks the six steps, shows
the results.

Screens get the requirements handed down and return typed answers (StepAnswer, ExportRequest);
the app applies them and decides what comes next. Scoring is the same ``Evaluator`` the CLI and
the Python API use. Answers are never lost: every change is kept in an autosave file (when the app
has one) that the next start offers to resume, and quitting with answers that were not saved to a
file asks first.
"""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from pathlib import Path
from typing import Any, ClassVar

import yaml
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from ..catalogue import Catalogue
from ..engine.loader import RuleSet
from ..errors import AdvisorError
from ..render.html import render_html
from ..render.markdown import render_markdown
from ..schema.requirements import Requirements
from .commands import WizardCommands
from .messages import ExportRequest, StepAnswer
from .screens.base import STEP_TITLES, StepScreen
from .screens.budget import BudgetStep
from .screens.data import DataStep
from .screens.dialogs import KINDS, RESULTS_KEYS, STEP_KEYS, ChoiceScreen, ExportScreen, HelpScreen, StepPicker
from .screens.hosting import HostingStep
from .screens.licence import LicenceStep
from .screens.organisation import OrganisationStep
from .screens.results import ResultsScreen
from .screens.use_case import UseCaseStep
from .summaries import step_lines

STEPS = (OrganisationStep, UseCaseStep, DataStep, LicenceStep, HostingStep, BudgetStep)
DEFAULT_REQUIREMENTS = {"use_case": {"tasks": ["chat"]}}


def default_autosave_path() -> Path:
    """Where the wizard keeps the answers between runs: $XDG_STATE_HOME/advisor/wizard-answers.yaml."""
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "advisor" / "wizard-answers.yaml"


def file_stem(name: str | None) -> str:
    """A file name from the organisation name: ASCII letters and digits, dashes ('Lumière' -> 'lumiere')."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    stem = "".join(ch if ch.isalnum() else "-" for ch in text)
    while "--" in stem:
        stem = stem.replace("--", "-")
    return stem.strip("-") or "advisor"


class AdvisorApp(App[Requirements | None]):
    """The wizard. Returns the answers when it exits after saving or discarding them, else None."""

    CSS_PATH = "app.tcss"
    TITLE = "advisor"
    SUB_TITLE = "an open-weight model you can use, host and afford"
    COMMANDS = App.COMMANDS | {WizardCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True, key_display="^q/F10",
                tooltip="Leave advisor (asks whether to save your answers)"),
        Binding("f10", "quit", "Quit", id="app.quit2", priority=True, show=False),
        Binding("f1", "help", "Help", id="app.help", key_display="F1/?", tooltip="What this screen means, and the keys"),
        Binding("question_mark", "help", "Help", id="app.help_key", show=False),
        # Focus moves in the app's own queue, before the next key is handed on: keys typed fast
        # (a macro, key repeat) land in the field they were meant for.
        Binding("tab", "focus_next", "Next field", id="app.focus_next", show=False, priority=True),
        Binding("shift+tab", "focus_previous", "Previous field", id="app.focus_previous", show=False, priority=True),
    ]

    def __init__(self, catalogue: Catalogue, rules: RuleSet, initial: Requirements | None = None, *,
                 start_at_results: bool = False, export_dir: str | Path | None = None,
                 show_timing: bool = True, autosave: str | Path | None = None) -> None:
        super().__init__()
        self.show_timing = show_timing
        self.catalogue = catalogue
        self.rules = rules
        self.requirements = initial or Requirements.model_validate(DEFAULT_REQUIREMENTS)
        self.saved: Requirements | None = initial
        """The answers as last saved to (or read from) a requirements file."""
        self.changed = False
        """Whether any answer was given or changed since the start or the last save."""
        self.start_at_results = start_at_results
        self.export_dir = Path(export_dir).expanduser() if export_dir else Path.cwd()
        self.autosave_path = Path(autosave).expanduser() if autosave else None
        self.offer_resume = initial is None
        self.last_export_kind = "requirements"
        self.step = 0
        self.drafts: dict[int, StepAnswer] = {}
        """Steps left with answers that are not valid yet: what they showed, and the problems."""

    # -- start
    def on_mount(self) -> None:
        resumable = self._read_autosave() if self.offer_resume else None
        if resumable is not None:
            req, step, when = resumable
            who = req.organisation.name or "your organisation"
            self.push_screen(ChoiceScreen(
                "Resume your answers?",
                f"advisor kept the answers for {who} from {when} (step {step + 1} of {len(STEPS)}, "
                f"{STEP_TITLES[step]}) in {self.autosave_path}.",
                [("Resume (r)", "resume", "r"), ("Start afresh (n)", "fresh", "n")]),
                lambda choice: self._resumed(choice, req, step))
            return
        self._start()

    def _start(self, step: int = 0) -> None:
        if self.start_at_results:
            self.show_results()
        else:
            self.show_step(step)

    def _resumed(self, choice: str | None, req: Requirements, step: int) -> None:
        if choice == "resume":
            self.requirements = req
            self.changed = True
            self._start(step)
            return
        if choice == "fresh" and self.autosave_path is not None:
            self.autosave_path.unlink(missing_ok=True)
        self._start()

    def _read_autosave(self) -> tuple[Requirements, int, str] | None:
        path = self.autosave_path
        if path is None or not path.is_file():
            return None
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            step = int(data.pop("wizard_step", 0)) if isinstance(data, dict) else 0
            req = Requirements.model_validate(data)
        except (OSError, ValueError, TypeError, yaml.YAMLError):
            self.notify(f"Could not read the answers kept in {path}; starting afresh.", severity="warning")
            return None
        when = dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%d %b %Y, %H:%M")
        return req, max(0, min(len(STEPS) - 1, step)), when

    def autosave(self) -> None:
        """Keep the answers (and the step) in the autosave file; never fails the wizard."""
        path = self.autosave_path
        if path is None:
            return
        text = ("# advisor wizard: your answers so far, kept automatically. 'advisor wizard' offers to resume\n"
                "# them; 'advisor recommend' reads this file too once you remove the wizard_step line.\n"
                + yaml.safe_dump({"wizard_step": self.step, **self.requirements.model_dump(mode="json")},
                                 sort_keys=False, allow_unicode=True))
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            tmp = path.with_name(f".{path.name}.partial")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, path)
        except OSError:
            pass

    # -- the flow
    def step_screen(self, index: int) -> StepScreen:
        draft = self.drafts.get(index)
        return STEPS[index](self.requirements, self.catalogue.vocabulary, hardware=self.catalogue.hardware,
                            draft=draft.draft if draft else None, problems=draft.problems if draft else None)

    def show_step(self, index: int) -> None:
        self.step = index
        if self.changed:
            self.autosave()  # with the step shown, so a resume comes back here
        self.push_screen(self.step_screen(index), callback=self._after_step)

    def take(self, answer: StepAnswer, step: int) -> None:
        """Apply a step's valid answers; keep its draft when some are not valid yet."""
        if answer.changes:
            new = self.requirements.replace(**answer.changes)
            if new != self.requirements:
                self.requirements = new
                self.changed = True
        if answer.draft is not None:
            self.drafts[step] = answer
        else:
            self.drafts.pop(step, None)
        self.autosave()

    def _after_step(self, answer: StepAnswer | None) -> None:
        if answer is None:
            return
        self.take(answer, self.step)
        if answer.go == "back":
            self.show_step(max(0, self.step - 1))
        elif answer.go == "step" and answer.target is not None:
            self.show_step(answer.target)
        elif answer.go == "results" or self.step == len(STEPS) - 1:
            self.show_results()
        else:
            self.show_step(self.step + 1)

    def show_results(self) -> None:
        self.push_screen(ResultsScreen())

    def edit_answers(self, index: int | None = None) -> None:
        """Choose a step to edit (from the results), or go straight to ``index``."""
        if index is None:
            self.push_screen(StepPicker(step_lines(self.requirements, self.catalogue), self.step),
                             callback=lambda i: self.edit_answers(i) if i is not None else None)
            return
        if isinstance(self.screen, ResultsScreen):
            self.pop_screen()
        if isinstance(self.screen, StepScreen):
            self.screen.go_to(index)
            return
        self.show_step(index)

    @property
    def unsaved(self) -> bool:
        return self.changed and self.requirements != self.saved

    # -- actions
    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen | ChoiceScreen | ExportScreen | StepPicker):
            return
        screen = self.screen
        sections = screen.help_sections() if hasattr(screen, "help_sections") else []
        title = getattr(screen, "help_title", None) or (
            f"Step {screen.INDEX + 1} of {len(STEPS)}" if isinstance(screen, StepScreen) else "advisor")
        keys = STEP_KEYS if isinstance(screen, StepScreen) else RESULTS_KEYS
        self.push_screen(HelpScreen(title, sections, keys,
                                    str(self.autosave_path) if self.autosave_path else None))

    async def action_quit(self) -> None:
        if isinstance(self.screen, ChoiceScreen) and getattr(self.screen, "is_quit", False):
            return
        step = next((s for s in reversed(self.screen_stack) if isinstance(s, StepScreen)), None)
        if step is not None:
            self.take(step.leave("back"), step.INDEX)
        if not self.unsaved:
            self.exit()
            return
        dialog = ChoiceScreen(
            "Save your answers?",
            "Your answers are not saved in a file yet. Save them as a requirements file (advisor wizard --from "
            "FILE and advisor recommend FILE read it), discard them, or go back to the wizard.",
            [("Save… (s)", "save", "s"), ("Discard (d)", "discard", "d"), ("Cancel (Esc)", "cancel", "c")])
        dialog.is_quit = True  # type: ignore[attr-defined]
        self.push_screen(dialog, self._quit_answer)

    def _quit_answer(self, choice: str | None) -> None:
        if choice == "discard":
            if self.autosave_path is not None:
                self.autosave_path.unlink(missing_ok=True)
            self.exit()
        elif choice == "save":
            self.export(kinds=KINDS[:1], then_quit=True)

    def export(self, kinds: tuple[tuple[str, str], ...] = KINDS, then_quit: bool = False) -> None:
        kind = self.last_export_kind if any(k == self.last_export_kind for _, k in kinds) else kinds[0][1]
        screen = ExportScreen(file_stem(self.requirements.organisation.name), self.export_dir, kind, kinds)
        self.push_screen(screen, callback=lambda request: self._export(request, then_quit))

    def _export(self, request: ExportRequest | None, then_quit: bool = False) -> None:
        if request is None:
            return
        path = Path(request.path)
        try:
            write_export(path, request.kind, self.requirements, self.catalogue, self.rules)
        except AdvisorError as exc:
            self.notify(f"Could not save {path}: {exc.problems[0].message if exc.problems else exc}",
                        severity="error")
            return
        except OSError as exc:
            self.notify(f"Could not save {path}: {exc.strerror or exc}", severity="error")
            return
        self.last_export_kind = request.kind
        if request.kind == "requirements":
            self.saved = self.requirements
        self.notify(f"Saved {path}", title="Export")
        if then_quit:
            self.exit()

    def get_system_commands(self, screen: Screen[Any]) -> Any:
        """Textual's own commands that fit the wizard: theme and screenshot. Help and quit are the
        wizard's (its help lists the keys; quitting asks about unsaved answers)."""
        yield SystemCommand("Theme", "Change the colours", self.action_change_theme)
        yield SystemCommand("Screenshot", "Save an SVG picture of the screen",
                            lambda: self.set_timer(0.1, self.deliver_screenshot))


def export_text(kind: str, requirements: Requirements, catalogue: Catalogue, rules: RuleSet) -> str:
    """The text of an export: the answers as requirements YAML, or the report."""
    if kind == "requirements":
        header = ("# advisor requirements (schema_version 1), saved by the wizard.\n"
                  "# Re-run with: advisor recommend <this file>   or   advisor wizard --from <this file>\n")
        return header + yaml.safe_dump(requirements.model_dump(mode="json"), sort_keys=False, allow_unicode=True)
    from ..engine.advice import advise
    from ..engine.evaluate import Evaluator

    advice = advise(Evaluator(requirements, catalogue, rules))
    if kind == "markdown":
        return render_markdown(advice)
    if kind == "html":
        return render_html(advice)
    return advice.to_json()


def write_export(path: Path, kind: str, requirements: Requirements, catalogue: Catalogue, rules: RuleSet) -> None:
    """Write atomically with the usual permissions (new files follow the umask, an existing file keeps
    its mode): a failed write never leaves half a file."""
    from ..outfile import output_file

    text = export_text(kind, requirements, catalogue, rules)
    with output_file(path) as fh:
        fh.write(text if text.endswith("\n") else text + "\n")
