"""Step 6: budget and what matters most."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Input, Label, Select

from ...schema.advice import DIMENSIONS
from ..widgets.field import Field
from .base import StepScreen

WEIGHTS = [(str(i), i) for i in range(6)]
LABELS = {"licence": "Licence terms", "sovereignty": "Sovereignty", "compute": "Fit on the hardware",
          "capability": "Quality", "cost": "Cost", "openness": "Openness"}


class BudgetStep(StepScreen):
    INDEX = 5
    HELP = ("Cloud offers above the monthly budget and hardware above the hardware budget are excluded (the "
            "results say what a bigger budget would change). Priorities weigh the six scores: 0 ignores one, "
            "5 makes it count most.")

    def form(self) -> ComposeResult:
        b = self.requirements.budget
        yield Field("Monthly budget for hosting (EUR)",
                    Input(f"{b.monthly_eur:g}" if b.monthly_eur is not None else "", placeholder="no limit",
                          id="monthly", type="number", compact=True), "Cloud prices are list prices excl. VAT, 730 hours a month.")
        yield Field("One-off budget for hardware (EUR)",
                    Input(f"{b.hardware_eur:g}" if b.hardware_eur is not None else "", placeholder="no limit",
                          id="hardware-budget", type="number", compact=True), "Used when advisor suggests hardware to buy.")
        yield Label("How much each aspect counts (0-5)", classes="field-label")
        with Grid(id="priorities"):
            for dim in DIMENSIONS:
                yield Label(LABELS[dim])
                yield Select(WEIGHTS, value=getattr(self.requirements.priorities, dim), allow_blank=False,
                             id=f"w-{dim}", compact=True)

    def collect(self) -> dict[str, Any]:
        changes: dict[str, Any] = {
            "budget.monthly_eur": self.float_or_none("#monthly"),
            "budget.hardware_eur": self.float_or_none("#hardware-budget"),
        }
        for dim in DIMENSIONS:
            changes[f"priorities.{dim}"] = self.select_value(f"#w-{dim}")
        return changes
