"""A labelled form field with one line of plain-language help, and a line for its problem.

The problem line shows what is wrong with this field in a sentence about it ("Employees must be
1 or more."), as you type for numbers and when the step is checked for everything else.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, SelectionList, Static

from ..numbers import Reading, read_number, shown


class NumberInput(Input):
    """A text box for a number in the user's convention (see ``numbers.py``).

    Letters are not swallowed: they stay visible and the field says what is wrong. ``?`` is never
    part of a number, so it opens the help here as it does outside text fields.
    """

    class Read(Message):
        """Posted when the text changes: how it reads now."""

        def __init__(self, number_input: NumberInput, reading: Reading) -> None:
            super().__init__()
            self.number_input = number_input
            self.reading = reading

        @property
        def control(self) -> NumberInput:
            return self.number_input

    def __init__(self, value: float | None = None, *, whole: bool = False, money: bool = False,
                 **kwargs: Any) -> None:
        text = "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
        self.whole = whole
        self.money = money
        super().__init__(text, **kwargs)

    def reading(self) -> Reading:
        return read_number(self.value, whole=self.whole, money=self.money)

    async def _on_key(self, event: events.Key) -> None:
        if event.character == "?":
            event.stop()
            event.prevent_default()
            await self.run_action("app.help")
            return
        await super()._on_key(event)

    def _watch_value(self, value: str) -> None:
        super()._watch_value(value)
        self.post_message(self.Read(self, self.reading()))


class Field(Vertical):
    """Label, input widget, help line and problem line, stacked."""

    DEFAULT_CSS = """
    Field { height: auto; margin: 0 0 1 0; }
    Field > .field-label { text-style: bold; }
    Field > .field-help { height: auto; color: $text-muted; }
    Field > .field-note { height: auto; color: $text-muted; display: none; }
    Field > .field-note.-shown { display: block; }
    Field > .field-problem { height: auto; color: $text-error; display: none; }
    Field.-invalid > .field-problem { display: block; }
    """

    def __init__(self, label: str, widget: Widget, help_text: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.label = label
        self.widget = widget
        self.help = help_text
        self.problem: str | None = None

    def compose(self) -> ComposeResult:
        if self.label:
            yield Label(self.label, classes="field-label")
        yield self.widget
        if self.help:
            yield Static(self.help, classes="field-help")
        yield Static("", classes="field-note")
        yield Static("", classes="field-problem")

    @property
    def name_for_messages(self) -> str:
        """The label as the subject of a sentence: 'Employees', 'How many of them'."""
        return self.label.split(" (")[0].rstrip("?:").strip() if self.label else "This answer"

    def set_problem(self, text: str | None) -> None:
        """Show ``text`` (a sentence about this field) under it, or clear it."""
        self.problem = text or None
        self.set_class(bool(text), "-invalid")
        self.widget.set_class(bool(text), "-invalid")
        if self.is_mounted:
            self.query_one(".field-problem", Static).update(f"⚠ {text}" if text else "")

    def set_note(self, text: str | None) -> None:
        if self.is_mounted:
            note = self.query_one(".field-note", Static)
            note.update(text or "")
            note.set_class(bool(text), "-shown")

    def on_mount(self) -> None:
        if self.problem:
            self.set_problem(self.problem)

    def on_selection_list_selection_highlighted(self, event: SelectionList.SelectionHighlighted) -> None:
        describe = getattr(event.selection_list, "highlighted_description", None)
        if event.selection_list is self.widget and describe is not None:
            self.set_note(describe())

    def on_descendant_focus(self) -> None:
        describe = getattr(self.widget, "highlighted_description", None)
        if describe is not None:
            self.set_note(describe())

    def on_number_input_read(self, event: NumberInput.Read) -> None:
        if event.number_input is not self.widget:
            return
        r = event.reading
        self.set_problem(f"{self.name_for_messages} {r.problem}." if r.problem else None)
        separated = r.value is not None and any(not ch.isdigit() for ch in event.number_input.value.strip())
        self.set_note(f"Reads as {shown(r.value, money=event.number_input.money)}." if separated and r.value is not None
                      else None)
