"""Check boxes, radio buttons and selection lists whose state shows without colour.

Textual draws the same mark for on and off and tells them apart by colour only; with
NO_COLOR (or a colour-blind user) they look identical. These variants draw the mark only
when an item is on, so the state reads in plain text too.
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, RadioButton, SelectionList
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist


class TickBox(Checkbox):
    """A check box showing X when ticked and a blank when not."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.BUTTON_INNER = "X" if self.value else " "

    def watch_value(self) -> None:
        self.BUTTON_INNER = "X" if self.value else " "
        super().watch_value()


class TickRadio(RadioButton):
    """A radio button showing a dot only when pressed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.BUTTON_INNER = "●" if self.value else " "

    def watch_value(self) -> None:
        self.BUTTON_INNER = "●" if self.value else " "
        super().watch_value()


class TickList(SelectionList[str]):
    """A selection list drawing X only next to selected items.

    ``descriptions`` (value -> text) are shown in full for the highlighted item by the ``Field``
    around the list, so long descriptions are never cut off.
    """

    def __init__(self, *selections: Any, descriptions: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*selections, **kwargs)
        self.descriptions = descriptions or {}

    def highlighted_description(self) -> str | None:
        if self.highlighted is None or not self.descriptions:
            return None
        value = self.get_option_at_index(self.highlighted).value
        return self.descriptions.get(value)

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 3 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        if selection.value in self.selected:
            return strip
        segments[1] = Segment(" ", segments[1].style)
        return Strip(segments, strip.cell_length)
