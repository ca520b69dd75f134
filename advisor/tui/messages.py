"""App-wide messages and the typed results screens return."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class StepAnswer:
    """What a wizard step returns with dismiss(): validated changes and where to go next."""

    changes: dict[str, Any] = field(default_factory=dict)
    """Dotted requirement paths -> new values, already checked against the schema."""
    go: Literal["next", "back", "results"] = "next"


@dataclass(frozen=True)
class ExportRequest:
    """What the export dialog returns: where and in which format to save."""

    path: str
    kind: Literal["requirements", "markdown", "html", "json"]
