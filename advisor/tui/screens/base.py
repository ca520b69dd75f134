"""The common frame of every wizard step: title, scrollable form, problems, Back/Next.

A step receives the current (immutable) Requirements, shows its part of them, and ends with
``dismiss(StepAnswer(...))``. Answers are checked field by field against the schema: Next stays on
the step while a field has a problem (each problem is a sentence under its field); Back and
leaving take over the valid answers and keep what was typed in the others, marked, for when the
user comes back. Nothing is dropped silently.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Footer, Input, RadioButton, RadioSet, Select, SelectionList, Static

from ...schema.requirements import Requirements
from ..messages import StepAnswer
from ..numbers import shown
from ..widgets.field import Field, NumberInput
from ..widgets.weight import WeightPicker

STEP_TITLES = (
    "Organisation", "Use case", "Data and regulation", "Licence and sovereignty", "Hosting and hardware",
    "Budget and priorities",
)
FIELD_WIDGETS = "Input, Select, SelectionList, Checkbox, RadioSet, WeightPicker"


class StepScreen(Screen[StepAnswer]):
    """Base class of the six question steps."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "next", "Next", id="step.next", key_display="^n/F8",
                tooltip="Check the answers and go to the next step"),
        Binding("f8", "next", "Next", id="step.next2", show=False, priority=True),
        Binding("ctrl+b", "back", "Back", id="step.back", key_display="^b/F7",
                tooltip="Go back one step (every answer is kept)"),
        Binding("f7", "back", "Back", id="step.back2", show=False, priority=True),
        Binding("ctrl+r", "results", "Results", id="step.results", key_display="^r/F9",
                tooltip="Check the answers and show the results now"),
        Binding("f9", "results", "Results", id="step.results2", show=False, priority=True),
    ]
    INDEX: ClassVar[int] = 0
    HELP: ClassVar[str] = ""
    """What the step is about, for the help screen (the fields add their own help)."""
    EXPLAIN: ClassVar[dict[str, str]] = {}
    """Widget id -> a longer explanation of the question for the help screen."""
    WIDGETS: ClassVar[dict[str, str]] = {}
    """Dotted requirement path -> id of the widget that answers it (problems are shown there)."""

    def __init__(self, requirements: Requirements, vocabulary: Any, *, draft: dict[str, Any] | None = None,
                 problems: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__()
        self.requirements = requirements
        self.vocabulary = vocabulary
        self.extra = extra
        self.draft = draft
        self.pending = dict(problems or {})
        self._problems: dict[str, str] = {}

    # -- subclasses
    def form(self) -> ComposeResult:
        raise NotImplementedError

    def collect(self) -> dict[str, Any]:
        """Dotted requirement paths -> values read from the widgets. Use ``number()`` for numbers
        and ``problem()`` for answers that cannot be read; leave those out of the result."""
        raise NotImplementedError

    # -- frame
    def compose(self) -> ComposeResult:
        total = len(STEP_TITLES)
        dots = " ".join("●" if i == self.INDEX else "○" for i in range(total))
        yield Static(f"Step {self.INDEX + 1} of {total} · {STEP_TITLES[self.INDEX]}   {dots}", id="step-title")
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
        if self.draft:
            self.restore(self.draft)
        first = form.query(FIELD_WIDGETS).first()
        first.focus()
        if self.pending:
            self.call_after_refresh(self._show_pending)

    def _show_pending(self) -> None:
        self.show_problems(self.pending)
        invalid = self.query(".-invalid").first(Widget) if self.query(".-invalid") else None
        target = invalid if invalid is not None and invalid.focusable else None
        if target is None and invalid is not None:
            target = next((w for w in invalid.query(FIELD_WIDGETS) if w.focusable), None)
        if target is not None:
            target.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        action = {"back": self.action_back, "next": self.action_next, "results": self.action_results}
        if event.button.id in action:
            event.stop()
            action[event.button.id]()

    # -- reading answers
    def number(self, widget_id: str, path: str) -> Any:
        """The number typed into a NumberInput; None when empty; records a problem and returns
        ``...`` (leave the path out) when it cannot be read."""
        widget = self.query_one(widget_id, NumberInput)
        r = widget.reading()
        if r.problem:
            self.problem(path, f"{self.subject(widget_id)} {r.problem}.")
            return ...
        return r.value

    def problem(self, path: str, sentence: str) -> None:
        self._problems[path] = sentence

    def subject(self, widget_id: str) -> str:
        """How a field is named in a sentence: its label, or the text of its check box."""
        widget = self.query_one(widget_id)
        field = next((a for a in widget.ancestors if isinstance(a, Field)), None)
        if field is not None and field.label:
            return field.name_for_messages
        if isinstance(widget, Checkbox):
            return str(widget.label).split(" (")[0]
        if isinstance(widget, WeightPicker):
            return "Priorities"
        return "This answer"

    def select_value(self, widget_id: str) -> Any:
        value = self.query_one(widget_id, Select).value
        return None if value == "" or value is Select.NULL else value

    def gather(self) -> tuple[dict[str, Any], dict[str, str]]:
        """(valid changes, problems): every answer checked on its own against the schema."""
        self._problems = {}
        changes = {k: v for k, v in self.collect().items() if v is not ...}
        problems = dict(self._problems)
        for _ in range(50):
            try:
                self.requirements.replace(**changes)
                break
            except ValidationError as exc:
                removed = False
                for err in exc.errors(include_url=False):
                    loc = ".".join(str(p) for p in err["loc"] if p not in ("ref", "inline"))
                    keys = [k for k in changes if loc == k or loc.startswith(k + ".") or k.startswith(loc + ".")]
                    widget_id = self.widget_for(loc) or next((self.widget_for(k) for k in keys), None)
                    sentence = plain(err, self.subject(widget_id) if widget_id else "This answer")
                    where = loc if self.widget_for(loc) else (keys[0] if keys else loc)
                    problems.setdefault(where, sentence)
                    for key in keys:
                        changes.pop(key, None)
                        removed = True
                if not removed:
                    problems["step"] = "These answers do not fit together: " + "; ".join(
                        plain(e, "this answer") for e in exc.errors(include_url=False))
                    changes = {}
                    break
        return changes, problems

    def widget_for(self, path: str) -> str | None:
        best = max((p for p in self.WIDGETS if path == p or path.startswith(p + ".")), key=len, default=None)
        return self.WIDGETS.get(best) if best else None

    def show_problems(self, problems: dict[str, str]) -> None:
        marked: set[int] = set()
        for path, sentence in problems.items():
            widget_id = self.widget_for(path)
            if widget_id is None:
                continue
            field = next((a for a in self.query_one(widget_id).ancestors_with_self if isinstance(a, Field)), None)
            if field is not None:
                field.set_problem(sentence)
                marked.add(id(field))
        for field in self.query(Field):
            if id(field) not in marked and not isinstance(field.widget, NumberInput) or id(field) not in marked and isinstance(field.widget, NumberInput) and field.widget.reading().ok:
                field.set_problem(None)
        errors = self.query_one("#errors", Static)
        sentences = list(dict.fromkeys(problems.values()))
        if sentences:
            head = "1 answer needs a look:" if len(sentences) == 1 else f"{len(sentences)} answers need a look:"
            errors.update("⚠ " + head + "\n" + "\n".join(f"  • {s}" for s in sentences))
        errors.display = bool(sentences)

    def check(self) -> dict[str, Any] | None:
        """The changes if every answer is valid, else None (the problems are shown)."""
        changes, problems = self.gather()
        self.show_problems(problems)
        if problems:
            first = next(iter(problems))
            widget_id = self.widget_for(first)
            if widget_id:
                self.query_one(widget_id).focus()
            return None
        return changes

    def leave(self, go: str = "back", target: int | None = None) -> StepAnswer:
        """What to hand back when leaving without Next: the valid answers, the rest kept as typed."""
        changes, problems = self.gather()
        return StepAnswer(changes, go, target, self.snapshot() if problems else None, problems)  # type: ignore[arg-type]

    # -- actions
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
        self.dismiss(self.leave("back"))

    def go_to(self, index: int) -> None:
        self.dismiss(self.leave("step", index))

    # -- drafts: what the widgets show, to come back to exactly that
    def snapshot(self) -> dict[str, Any]:
        state: dict[str, Any] = {}
        for w in self.query(FIELD_WIDGETS):
            if not w.id:
                continue
            if isinstance(w, (Input, Select)):
                state[w.id] = w.value
            elif isinstance(w, SelectionList):
                state[w.id] = list(w.selected)
            elif isinstance(w, RadioSet):
                state[w.id] = w.pressed_index
            elif isinstance(w, (Checkbox, WeightPicker)):
                state[w.id] = w.value
        return state

    def restore(self, state: dict[str, Any]) -> None:
        for wid, value in state.items():
            matches = self.query(f"#{wid}")
            if not matches:
                continue
            w = matches.first()
            if isinstance(w, (Input, Checkbox, WeightPicker, Select)):
                w.value = value
            elif isinstance(w, SelectionList):
                w.deselect_all()
                for v in value:
                    w.select(v)
            elif isinstance(w, RadioSet) and value is not None and value >= 0:
                buttons = list(w.query(RadioButton))
                if value < len(buttons):
                    buttons[value].value = True

    # -- help
    def help_sections(self) -> list[tuple[str, str]]:
        """(heading, text) for the help screen: the step, then every question on it."""
        sections = [(f"Step {self.INDEX + 1}: {STEP_TITLES[self.INDEX]}", self.HELP)] if self.HELP else []
        focused = self.focused
        for field in self.query(Field):
            label = field.label or (str(field.widget.label) if isinstance(field.widget, Checkbox) else "")
            text = " ".join(t for t in (field.help, self.EXPLAIN.get(field.widget.id or "", "")) if t)
            if not label:
                continue
            here = focused is not None and (focused is field.widget or field in focused.ancestors)
            sections.append((("▶ " if here else "") + label, text))
        return sections


def _number(value: Any) -> str:
    return shown(value) if isinstance(value, int | float) else str(value)


def plain(err: Any, subject: str) -> str:
    """A pydantic error as a sentence about the field: 'Employees must be 1 or more.'"""
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    msg = str(err.get("msg", "")).removeprefix("Value error, ")
    if kind == "greater_than_equal":
        return f"{subject} must be {_number(ctx['ge'])} or more."
    if kind == "greater_than":
        return f"{subject} must be more than {_number(ctx['gt'])}."
    if kind == "less_than_equal":
        return f"{subject} must be {_number(ctx['le'])} or less."
    if kind == "less_than":
        return f"{subject} must be less than {_number(ctx['lt'])}."
    if kind in ("too_short", "missing") and ctx.get("min_length", 1) <= 1:
        return f"{subject}: choose at least one." if kind == "too_short" else f"{subject} is needed."
    if kind == "too_short":
        return f"{subject}: choose at least {ctx['min_length']}."
    if kind == "too_long":
        return f"{subject}: choose at most {ctx['max_length']}."
    if kind == "string_too_long":
        return f"{subject} can be at most {ctx['max_length']} characters long."
    if kind == "string_too_short":
        return f"{subject} is needed."
    if kind in ("int_parsing", "float_parsing", "int_type", "float_type", "int_from_float", "finite_number"):
        return f"{subject} must be a number."
    if kind in ("literal_error", "enum"):
        return f"{subject}: choose one of the options."
    text = msg[:1].upper() + msg[1:] if msg else "is not valid"
    return f"{subject}: {text.rstrip('.')}."
