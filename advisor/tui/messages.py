"""App-wide messages and the typed results screens return."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class StepAnswer:
    """What a wizard step returns with dismiss(): the valid changes and where to go next.

    Going back (or leaving) never waits for every answer to be valid: ``changes`` then holds the
    valid ones, and ``draft`` keeps what was typed on the step, so the step comes back exactly as
    it was left, with its problems marked.
    """

    changes: dict[str, Any] = field(default_factory=dict)
    """Dotted requirement paths -> new values, already checked against the schema."""
    go: Literal["next", "back", "results", "step"] = "next"
    target: int | None = None
    """The step to show when ``go == "step"``."""
    draft: dict[str, Any] | None = None
    """Widget id -> what it showed, when some answers on the step are not valid yet."""
    problems: dict[str, str] = field(default_factory=dict)
    """Dotted requirement path -> a sentence saying what is wrong (answers not taken over)."""


@dataclass(frozen=True)
class ExportRequest:
    """What the export dialog returns: where (already resolved) and in which format to save."""

    path: str
    kind: Literal["requirements", "markdown", "html", "json"]
