"""Modal dialogs: help, and where to save an export."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from ..messages import ExportRequest

GENERAL_HELP = """Keys
  Tab / Shift+Tab   move between fields        Space    tick a box or a list item
  Enter             open a list, press a button  Ctrl+N  next step   Ctrl+B  back
  Ctrl+R            results now                 F1 or ?  this help   Ctrl+Q  quit
On the results: arrows move through the ranking; e export, b edit answers; tabs: r ranking,
  w what-if, x not eligible, o obligations, s summary.

advisor scores open-weight AI models on licence, sovereignty, fit on your hardware, quality, cost and
openness, and explains each score with its sources. It is not legal advice."""


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="help.close"),
        Binding("f1", "close", "Close", show=False, id="help.close2"),
    ]

    def __init__(self, topic: str = "") -> None:
        super().__init__()
        self.topic = topic

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static("Help", classes="dialog-title")
            if self.topic:
                yield Static(self.topic, id="help-topic")
            yield Static(GENERAL_HELP, id="help-general")
            yield Button("Close (Esc)", id="close", variant="primary", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


KINDS = (
    ("Answers as a requirements file (YAML, for 'advisor recommend')", "requirements"),
    ("Report as Markdown", "markdown"),
    ("Report as HTML", "html"),
    ("Advice as JSON", "json"),
)
SUFFIX = {"requirements": ".yaml", "markdown": ".md", "html": ".html", "json": ".json"}


class ExportScreen(ModalScreen[ExportRequest | None]):
    AUTO_FOCUS = "#path"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="export.cancel")]

    def __init__(self, stem: str = "advisor") -> None:
        super().__init__()
        self.stem = stem

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Static("Export", classes="dialog-title")
            yield Label("What to save")
            yield Select(KINDS, value="requirements", allow_blank=False, id="kind", compact=True)
            yield Label("File")
            yield Input(f"{self.stem}-requirements.yaml", id="path", compact=True)
            yield Static("", id="export-error")
            with Horizontal(id="export-buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Save", id="save", variant="primary", compact=True)

    def on_select_changed(self, event: Select.Changed) -> None:
        kind = str(event.value)
        path = self.query_one("#path", Input)
        base = path.value.rsplit(".", 1)[0].removesuffix("-requirements").removesuffix("-report")
        path.value = base + ("-requirements" if kind == "requirements" else "-report") + SUFFIX[kind]

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self._save()
        else:
            self.dismiss(None)

    def _save(self) -> None:
        path = self.query_one("#path", Input).value.strip()
        if not path:
            self.query_one("#export-error", Static).update("⚠ Give a file name.")
            return
        kind = self.query_one("#kind", Select).value
        self.dismiss(ExportRequest(path, kind))  # type: ignore[arg-type]

    def action_cancel(self) -> None:
        self.dismiss(None)
