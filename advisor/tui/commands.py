"""The command palette (Ctrl+P) offers the wizard's own commands for the screen it was opened on."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from .app import AdvisorApp

Command = tuple[str, str, Callable[[], Any]]


def commands(app: AdvisorApp, screen: Any) -> list[Command]:
    """(title, help, callback) for the screen the palette was opened on."""
    from .screens.base import STEP_TITLES, StepScreen
    from .screens.results import ResultsScreen

    out: list[Command] = []
    if isinstance(screen, ResultsScreen):
        out += [
            ("Export…", "Save the answers (YAML) or the report (Markdown, HTML, JSON)", screen.action_export),
            ("What if", "Try other answers in a sandbox; your answers stay as they are",
             lambda: screen.action_show_tab("tab-whatif")),
            ("Obligations", "What you must do, by who must act and from when",
             lambda: screen.action_show_tab("tab-obligations")),
            ("Summary", "The recommendation in plain words", lambda: screen.action_show_tab("tab-summary")),
            ("Ranking", "The eligible models, best first", lambda: screen.action_show_tab("tab-ranking")),
            ("Not eligible", "The excluded models and why", lambda: screen.action_show_tab("tab-excluded")),
            ("Details of the highlighted model", "Every reason and source", screen.action_details),
            ("Apply what-if to my answers", "Make the what-if answers your answers", screen.action_apply),
            ("Reset what-if to my answers", "Put the what-if answers back to yours", screen.action_reset),
            ("Edit answers…", "Choose a step to change", screen.action_edit),
        ]
    if isinstance(screen, StepScreen):
        out += [
            ("Next step", "Check the answers and go on", screen.action_next),
            ("Back", "Go back one step; every answer is kept", screen.action_back),
            ("Results now", "Check the answers and show the results", screen.action_results),
        ]
        out += [(f"Go to step {i + 1}: {title}", "Every answer on this step is kept",
                 (lambda i=i: screen.go_to(i))) for i, title in enumerate(STEP_TITLES) if i != screen.INDEX]
        out.append(("Save answers…", "Save the answers as a requirements file", lambda: app.export()))
    out += [
        ("Help", "What this screen means, and the keys", app.action_help),
        ("Quit", "Leave advisor (asks whether to save your answers)", lambda: app.run_worker(app.action_quit())),
    ]
    return out


class WizardCommands(Provider):
    """The wizard's commands for the current screen."""

    def _commands(self) -> list[Command]:
        return commands(self.app, self.screen)  # type: ignore[arg-type]

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = max(matcher.match(title), matcher.match(help_text) * 0.5)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
