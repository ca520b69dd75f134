"""A 0-5 weight on one line: no drop-down whose options could cover the rows below.

Left/right (or - and +) change it, a digit sets it; the words say what the number means.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

WORDS = ("ignored", "counts a little", "counts less", "counts normally", "counts more", "counts most")


class WeightPicker(Widget, can_focus=True):
    """How much one aspect counts, 0 (ignored) to 5 (most)."""

    DEFAULT_CSS = """
    WeightPicker { height: 1; width: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,minus,h", "change(-1)", "Less", show=False),
        Binding("right,plus,l,equals_sign", "change(1)", "More", show=False),
        *(Binding(str(i), f"set({i})", str(i), show=False) for i in range(6)),
    ]

    value: reactive[int] = reactive(3)

    @dataclass
    class Changed(Message):
        picker: WeightPicker
        value: int

        @property
        def control(self) -> WeightPicker:
            return self.picker

    def __init__(self, value: int = 3, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.set_reactive(WeightPicker.value, max(0, min(5, value)))

    def render(self) -> Text:
        v = self.value
        text = Text()
        text.append("◀ " if v > 0 else "  ", style="bold")
        text.append(str(v), style="bold")
        text.append(" ▶ " if v < 5 else "   ", style="bold")
        text.append("■" * v + "□" * (5 - v))
        if self.size.width == 0 or self.size.width >= 13 + len(WORDS[v]):
            text.append(f"  {WORDS[v]}")
        return text

    def action_change(self, step: int) -> None:
        self.value = max(0, min(5, self.value + step))

    def action_set(self, value: int) -> None:
        self.value = value

    def watch_value(self, value: int) -> None:
        self.post_message(self.Changed(self, value))

    def on_click(self, event: object) -> None:
        x = getattr(event, "x", 0)
        self.focus()
        if x <= 1:
            self.action_change(-1)
        elif x <= 4:
            self.action_change(1)
