"""Step 2: what the model will do, in which languages, for whom, at what load."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input, RadioSet, SelectionList

from ..widgets.field import Field
from ..widgets.ticks import TickList, TickRadio
from .base import StepScreen
from .choices import language_choices

END_USERS = (("Our own staff", "internal"), ("Our customers", "customers"), ("The general public", "public"))


class UseCaseStep(StepScreen):
    INDEX = 1
    HELP = ("Tasks and languages decide which models are suitable; context and users decide how much memory "
            "is needed. A page of text is roughly 500-700 tokens; a long contract can be 30,000.")

    def form(self) -> ComposeResult:
        uc = self.requirements.use_case
        tasks = [(f"{t.label} — {t.description}", key, key in uc.tasks) for key, t in self.vocabulary.tasks.items()]
        yield Field("What should the model do? (space to tick)", TickList(*tasks, id="tasks", compact=True),
                    "Tick at least one.")
        yield Field("Languages of your texts", TickList(*language_choices(uc.languages), id="languages", compact=True),
                    "The 24 official EU languages come first.")
        yield Field("Longest request in tokens (input + answer)",
                    Input(str(uc.context_tokens), id="context", type="integer", compact=True),
                    "A page is about 600 tokens; 16,000 tokens is about 25 pages.")
        yield Field("People using it at the same moment", Input(str(uc.concurrent_users), id="users", type="integer", compact=True),
                    "Every simultaneous conversation needs its own memory.")
        with RadioSet(id="end_users"):
            for label, value in END_USERS:
                yield TickRadio(label, value=uc.end_users == value, id=f"end-{value}")

    def collect(self) -> dict[str, Any]:
        pressed = self.query_one("#end_users", RadioSet).pressed_button
        end_users = (pressed.id or "end-internal").removeprefix("end-") if pressed else "internal"
        tasks = list(self.query_one("#tasks", SelectionList).selected)
        if not tasks:
            raise ValueError("Tick at least one task the model should do.")
        languages = list(self.query_one("#languages", SelectionList).selected)
        if not languages:
            raise ValueError("Tick at least one language.")
        return {
            "use_case.tasks": tasks,
            "use_case.languages": languages,
            "use_case.context_tokens": self.int_or_none("#context") or 0,
            "use_case.concurrent_users": self.int_or_none("#users") or 0,
            "use_case.end_users": end_users,
        }
