"""A labelled form field with one line of plain-language help."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Label, Static


class Field(Vertical):
    """Label, input widget and help line, stacked."""

    DEFAULT_CSS = """
    Field { height: auto; margin: 0 0 1 0; }
    Field > .field-help { height: auto; }
    Field > .field-label { text-style: bold; }
    Field > .field-help { color: $text-muted; }
    """

    def __init__(self, label: str, widget: Widget, help_text: str = "", **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._label = label
        self._widget = widget
        self._help = help_text

    def compose(self) -> ComposeResult:
        if self._label:
            yield Label(self._label, classes="field-label")
        yield self._widget
        if self._help:
            yield Static(self._help, classes="field-help")
