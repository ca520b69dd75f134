"""The common frame of every wizard step: title, scrollable form, inline errors, Back/Next.

A step receives the current (immutable) Requirements, shows its part of them, and ends with
``dismiss(StepAnswer(changes, go))``. Changes are validated against the schema before the step
closes; problems are shown inline under the form and the step stays open.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Select, Static

from ...schema.requirements import Requirements
from ..messages import StepAnswer

STEP_TITLES = (
    "Organisation", "Use case", "Data and regulation", "Licence and sovereignty", "Hosting and hardware",
    "Budget and priorities",
)


class StepScreen(Screen[StepAnswer]):
    """Base class of the six question steps."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "next", "Next", id="step.next", tooltip="Check the answers and go to the next step"),
        Binding("ctrl+b", "back", "Back", id="step.back", tooltip="Go back one step (answers are kept)"),
        Binding("ctrl+r", "results", "Results", id="step.results",
                tooltip="Check the answers and show the results now"),
    ]
    INDEX: ClassVar[int] = 0
    HELP: ClassVar[str] = ""

    def __init__(self, requirements: Requirements, vocabulary: Any, **extra: Any) -> None:
        super().__init__()
        self.requirements = requirements
        self.vocabulary = vocabulary
        self.extra = extra

    # -- subclasses
    def form(self) -> ComposeResult:
        raise NotImplementedError

    def collect(self) -> dict[str, Any]:
        """Dotted requirement paths -> values read from the widgets."""
        raise NotImplementedError

    # -- frame
    def compose(self) -> ComposeResult:
        total = len(STEP_TITLES)
        yield Static(f"Step {self.INDEX + 1} of {total} · {STEP_TITLES[self.INDEX]}", id="step-title")
        with VerticalScroll(id="form"):
            yield from self.form()
        yield Static("", id="errors")
        with Horizontal(id="nav"):
            yield Button("◀ Back", id="back", disabled=self.INDEX == 0, compact=True)
            yield Button("Results", id="results", compact=True)
            yield Button("Next ▶", id="next", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#errors", Static).display = False
        form = self.query_one("#form", VerticalScroll)
        form.can_focus = False  # Tab goes from field to field; focusing a field scrolls it into view
        first = form.query("Input, Select, SelectionList, Checkbox, RadioSet").first()
        first.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        action = {"back": self.action_back, "next": self.action_next, "results": self.action_results}
        if event.button.id in action:
            event.stop()
            action[event.button.id]()

    def check(self) -> dict[str, Any] | None:
        """Collected changes if they are valid, else None (and the problems are shown)."""
        errors = self.query_one("#errors", Static)
        try:
            changes = self.collect()
            self.requirements.replace(**changes)
        except ValueError as exc:  # pydantic's ValidationError is a ValueError
            errors.update("⚠ " + "\n⚠ ".join(_problems(exc)))
            errors.display = True
            return None
        errors.display = False
        return changes

    def action_next(self) -> None:
        changes = self.check()
        if changes is not None:
            self.dismiss(StepAnswer(changes, "next"))

    def action_results(self) -> None:
        changes = self.check()
        if changes is not None:
            self.dismiss(StepAnswer(changes, "results"))

    def action_back(self) -> None:
        if self.INDEX == 0:
            return
        try:
            changes = self.collect()
            self.requirements.replace(**changes)
        except ValueError:
            changes = {}  # going back never loses earlier answers; this step's invalid ones are dropped
        self.dismiss(StepAnswer(changes, "back"))

    # -- helpers for subclasses
    def int_or_none(self, widget_id: str) -> int | None:
        return self._number(widget_id, int, "a whole number")  # type: ignore[return-value]

    def float_or_none(self, widget_id: str) -> float | None:
        return self._number(widget_id, float, "a number")

    def _number(self, widget_id: str, kind: type, what: str) -> float | int | None:
        """The number typed into an Input (thousands separators allowed), None when empty."""
        text = self.query_one(widget_id, Input).value.strip().replace("_", "").replace(",", "")
        if not text:
            return None
        try:
            return kind(text)  # type: ignore[no-any-return]
        except ValueError:
            raise ValueError(f"{text!r} is not {what}") from None

    def select_value(self, widget_id: str) -> Any:
        value = self.query_one(widget_id, Select).value
        return None if value == "" or value is Select.NULL else value


def _problems(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        out = []
        for err in exc.errors(include_url=False):
            loc = ".".join(str(p) for p in err["loc"] if p not in ("ref", "inline"))
            msg = str(err["msg"]).removeprefix("Value error, ")
            out.append(f"{loc}: {msg}" if loc else msg)
        return out
    return [str(exc)]
