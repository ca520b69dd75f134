"""Step 2: what the model will do, in which languages, for whom, at what load."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.widgets import Checkbox, RadioSet, SelectionList

from ..widgets.field import Field, NumberInput
from ..widgets.ticks import TickBox, TickList, TickRadio
from .base import StepScreen
from .choices import language_choices

END_USERS = (("Our own staff", "internal"), ("Our customers", "customers"), ("The general public", "public"))


class UseCaseStep(StepScreen):
    INDEX = 1
    HELP = ("What the model will do. Tasks and languages decide which models are suitable; the length of a "
            "request and the number of users decide how much memory is needed.")
    EXPLAIN: ClassVar[dict[str, str]] = {
        "context": ("A token is a piece of a word: about 0.75 English words, so a page of text is roughly 500-700 "
                    "tokens and a long contract can be 30,000. Count the documents you paste in plus the answer."),
        "users": ("Not everyone sends a request at the same moment: advisor plans for half of them at once for "
                  "conversations. Every simultaneous request needs its own working memory (the KV cache)."),
        "end_users": ("People must be told when they talk to an AI system (AI Act Art. 50(1)); customers and the "
                      "public bring that duty, your own staff usually know."),
        "publishes": ("AI Act Art. 50(4): text published to inform the public on matters of public interest must "
                      "be labelled as AI-generated, unless a person reviews it and takes editorial "
                      "responsibility."),
    }
    WIDGETS: ClassVar[dict[str, str]] = {"use_case.tasks": "#tasks", "use_case.languages": "#languages", "use_case.context_tokens": "#context",
               "use_case.concurrent_users": "#users", "use_case.end_users": "#end_users",
               "use_case.publishes_to_public": "#publishes"}

    def form(self) -> ComposeResult:
        uc = self.requirements.use_case
        tasks = [(t.label, key, key in uc.tasks) for key, t in self.vocabulary.tasks.items()]
        descriptions = {key: f"{t.label}: {t.description}" for key, t in self.vocabulary.tasks.items()}
        yield Field("What should the model do? (Space ticks)",
                    TickList(*tasks, id="tasks", compact=True, descriptions=descriptions), "Tick at least one.")
        yield Field("Languages of your texts (Space ticks)",
                    TickList(*language_choices(uc.languages), id="languages", compact=True),
                    "The 24 official EU languages come first.")
        yield Field("Longest request in tokens (input + answer)",
                    NumberInput(uc.context_tokens, whole=True, id="context", compact=True),
                    "A page is about 600 tokens (a token is about 3/4 of a word); 16,000 tokens is about 25 pages.")
        yield Field("People who use it", NumberInput(uc.concurrent_users, whole=True, id="users", compact=True),
                    "E.g. the staff of a department, 1 or more; advisor plans for half of them at the same moment.")
        yield Field("Who talks to it or reads its answers?",
                    RadioSet(*(TickRadio(label, value=uc.end_users == value, id=f"end-{value}")
                               for label, value in END_USERS), id="end_users", compact=True),
                    "Customers or the public must be told they are dealing with an AI (AI Act Art. 50).")
        yield Field("", TickBox("We publish AI-written text to inform the public (news, notices)",
                                uc.publishes_to_public, id="publishes", compact=True),
                    "Then it must be labelled as AI-generated unless a person reviews it (AI Act Art. 50(4)).")

    def collect(self) -> dict[str, Any]:
        pressed = self.query_one("#end_users", RadioSet).pressed_button
        end_users = (pressed.id or "end-internal").removeprefix("end-") if pressed else "internal"
        tasks = list(self.query_one("#tasks", SelectionList).selected)
        if not tasks:
            self.problem("use_case.tasks", "Tick at least one task the model should do.")
        languages = list(self.query_one("#languages", SelectionList).selected)
        if not languages:
            self.problem("use_case.languages", "Tick at least one language.")
        users = self.number("#users", "use_case.concurrent_users")
        context = self.number("#context", "use_case.context_tokens")
        if users is None:
            self.problem("use_case.concurrent_users", "People who use it: type how many, 1 or more.")
        if context is None:
            self.problem("use_case.context_tokens", "Longest request: type a number of tokens, e.g. 8,000.")
        return {
            "use_case.tasks": tasks or ...,
            "use_case.languages": languages or ...,
            "use_case.context_tokens": context if context is not None else ...,
            "use_case.concurrent_users": users if users is not None else ...,
            "use_case.end_users": end_users,
            "use_case.publishes_to_public": self.query_one("#publishes", Checkbox).value,
        }
