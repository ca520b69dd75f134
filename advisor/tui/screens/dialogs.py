"""Modal dialogs: help, where to save an export, a question with a few answers, and which step to edit."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from ..messages import ExportRequest

STEP_KEYS = (
    ("Tab, Shift+Tab", "next or previous question"),
    ("Space", "tick a box or a list item"),
    ("Enter", "open a list (then type letters to jump)"),
    ("Ctrl+N or F8", "next step (checks the answers)"),
    ("Ctrl+B or F7", "back one step (keeps every answer)"),
    ("Ctrl+R or F9", "results now"),
    ("F1, or ?", "this help (? types a ? in a text field)"),
    ("Ctrl+P", "commands: go to a step, results, help, quit"),
    ("Ctrl+Q or F10", "quit (asks whether to save your answers)"),
)
RESULTS_KEYS = (
    ("Up, Down", "move through the ranking"),
    ("Enter or d", "every detail and source of the highlighted model"),
    ("r or F2", "Ranking"),
    ("w or F3", "What if: try other answers in a sandbox"),
    ("x or F4", "Not eligible, with a filter"),
    ("o or F5", "Obligations: what you must do"),
    ("s or F6", "Summary"),
    ("a or Ctrl+Y", "What if: apply to my answers"),
    ("u or Ctrl+O", "What if: reset to my answers"),
    ("Esc", "leave a text field (the filter, a what-if number)"),
    ("e or F8", "export the answers or the report"),
    ("b or F7", "edit the answers (choose the step)"),
    ("Ctrl+P", "commands"),
    ("Ctrl+Q or F10", "quit (asks whether to save your answers)"),
)
LETTER_NOTE = "Letter keys work outside text fields; the F keys work everywhere."
ABOUT = ("advisor scores open-weight AI models on licence, sovereignty, fit on your hardware, quality, cost "
         "and openness, and explains each score with its sources. It is not legal advice.")


def keys_text(keys: tuple[tuple[str, str], ...]) -> Text:
    width = max(len(k) for k, _ in keys) + 2
    text = Text()
    for key, what in keys:
        text.append(f"  {key:<{width}}", style="bold")
        text.append(f"{what}\n")
    return text


class HelpScreen(ModalScreen[None]):
    """Help for the screen in focus: what its questions mean, then the keys. Scrolls; Close stays in view."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="help.close"),
        Binding("f1,q,question_mark", "close", "Close", show=False, id="help.close2"),
    ]
    AUTO_FOCUS = "#help-scroll"

    def __init__(self, title: str, sections: list[tuple[str, str]], keys: tuple[tuple[str, str], ...],
                 autosave: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.sections = sections
        self.keys = keys
        self.autosave = autosave

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(f"Help · {self.title_text}", classes="dialog-title")
            with VerticalScroll(id="help-scroll"):
                for heading, body in self.sections:
                    yield Static(Text(heading, style="bold"), classes="help-heading")
                    if body:
                        yield Static(body, classes="help-body")
                yield Static(Text("Keys", style="bold"), classes="help-heading")
                yield Static(keys_text(self.keys), classes="help-keys")
                yield Static(LETTER_NOTE, classes="help-body")
                saved = (f" Your answers are also kept in {self.autosave}, and 'advisor wizard' offers to resume "
                         "them." if self.autosave else "")
                yield Static(ABOUT + saved, classes="help-body")
            with Horizontal(classes="dialog-buttons"):
                yield Static("↑↓ PgUp PgDn scroll", classes="dialog-hint")
                yield Button("Close (Esc)", id="close", variant="primary", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


class ChoiceScreen(ModalScreen[str | None]):
    """A question with a few answers as buttons; each answer has a key. Escape answers None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "answer('')", "Cancel", id="choice.cancel")]

    def __init__(self, title: str, message: str, choices: list[tuple[str, str, str]],
                 default: str | None = None) -> None:
        """choices: (label, value, key); the label shows the key."""
        super().__init__()
        self.title_text = title
        self.message = message
        self.choices = choices
        self.default = default or choices[0][1]

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-box"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static(self.message, id="choice-message")
            with Horizontal(classes="dialog-buttons"):
                for label, value, _key in self.choices:
                    yield Button(label, id=f"choice-{value}", compact=True,
                                 variant="primary" if value == self.default else "default")

    def on_mount(self) -> None:
        self.query_one(f"#choice-{self.default}", Button).focus()

    async def on_key(self, event: object) -> None:
        key = getattr(event, "key", "")
        for _label, value, k in self.choices:
            if k and key == k:
                getattr(event, "stop", lambda: None)()
                self.dismiss(value)
                return

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss((event.button.id or "").removeprefix("choice-"))

    def action_answer(self, value: str) -> None:
        self.dismiss(value or None)


KINDS = (
    ("Answers as a requirements file (YAML, for 'advisor recommend')", "requirements"),
    ("Report as Markdown", "markdown"),
    ("Report as HTML", "html"),
    ("Advice as JSON", "json"),
)
SUFFIX = {"requirements": ".yaml", "markdown": ".md", "html": ".html", "json": ".json"}


def resolve(text: str, base: Path) -> Path:
    """The file a typed name means: '~' is your home folder, a relative name is in ``base``."""
    path = Path(text.strip()).expanduser()
    return path if path.is_absolute() else base / path


class ExportScreen(ModalScreen[ExportRequest | None]):
    """Where and what to save. Shows the full target before saving and asks before replacing a file."""

    AUTO_FOCUS = "#path"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="export.cancel")]

    def __init__(self, stem: str = "advisor", base: Path | None = None, kind: str = "requirements",
                 kinds: tuple[tuple[str, str], ...] = KINDS) -> None:
        super().__init__()
        self.stem = stem
        self.base = base or Path.cwd()
        self.kind = kind
        self.kinds = kinds

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Static("Export", classes="dialog-title")
            yield Label("What to save")
            yield Select(self.kinds, value=self.kind, allow_blank=False, id="kind", compact=True)
            yield Label("File (a name, a path, or ~/… for your home folder)")
            yield Input(self.file_name(self.kind), id="path", compact=True)  # typing replaces the name
            yield Static("", id="export-target")
            yield Static("", id="export-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel (Esc)", id="cancel", compact=True)
                yield Button("Save", id="save", variant="primary", compact=True)

    def file_name(self, kind: str) -> str:
        return f"{self.stem}-{'requirements' if kind == 'requirements' else 'report'}{SUFFIX[kind]}"

    def on_mount(self) -> None:
        self._show_target()

    def on_select_changed(self, event: Select.Changed) -> None:
        kind = str(event.value)
        path = self.query_one("#path", Input)
        head, _, name = path.value.rpartition("/")
        base = name.rsplit(".", 1)[0].removesuffix("-requirements").removesuffix("-report") or self.stem
        new = base + ("-requirements" if kind == "requirements" else "-report") + SUFFIX[kind]
        path.value = f"{head}/{new}" if head else new

    def on_input_changed(self, event: Input.Changed) -> None:
        self._show_target()

    def _show_target(self) -> None:
        text = self.query_one("#path", Input).value
        target = self.query_one("#export-target", Static)
        if not text.strip():
            target.update(f"Saves into {self.base}")
            return
        path = resolve(text, self.base)
        note = " (exists: you will be asked before it is replaced)" if path.is_file() else ""
        target.update(f"Saves to {path}{note}")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self._save()
        else:
            self.dismiss(None)

    def _error(self, text: str) -> None:
        self.query_one("#export-error", Static).update(f"⚠ {text}" if text else "")

    def _save(self) -> None:
        text = self.query_one("#path", Input).value.strip()
        if not text:
            self._error("Give a file name.")
            return
        path = resolve(text, self.base)
        if path.is_dir():
            self._error(f"{path} is a folder: add a file name, e.g. {path / self.file_name(self.kind_value)}.")
            return
        if not path.parent.is_dir():
            self._error(f"The folder {path.parent} does not exist.")
            return
        request = ExportRequest(str(path), self.kind_value)  # type: ignore[arg-type]
        if path.exists():
            def answered(choice: str | None) -> None:
                if choice == "replace":
                    self.dismiss(request)
            self.app.push_screen(ChoiceScreen("Replace the file?", f"{path.name} already exists in {path.parent}.",
                                              [("Replace (r)", "replace", "r"), ("Cancel (Esc)", "cancel", "c")],
                                              default="cancel"), answered)
            return
        self.dismiss(request)

    @property
    def kind_value(self) -> str:
        return str(self.query_one("#kind", Select).value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class StepPicker(ModalScreen[int | None]):
    """Which step to edit, with the answers each holds."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="steps.cancel")]
    AUTO_FOCUS = "#steps"

    def __init__(self, lines: list[str], current: int = 0) -> None:
        super().__init__()
        self.lines = lines
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="steps-box"):
            yield Static("Edit your answers: which step?", classes="dialog-title")
            yield OptionList(*(Option(line, id=str(i)) for i, line in enumerate(self.lines)), id="steps")
            yield Static("Enter opens the step; Ctrl+R there comes straight back to the results. Esc cancels.",
                         classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#steps", OptionList).highlighted = self.current

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(int(event.option.id or 0))

    def on_key(self, event: object) -> None:
        key = getattr(event, "key", "")
        if key in "123456" and len(key) == 1:
            getattr(event, "stop", lambda: None)()
            self.dismiss(int(key) - 1)

    def action_cancel(self) -> None:
        self.dismiss(None)
