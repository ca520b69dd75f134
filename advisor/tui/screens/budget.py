"""Step 6: budget and what matters most."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Collapsible, Label

from ...schema.advice import DIMENSIONS
from ..widgets.field import Field, NumberInput
from ..widgets.weight import WeightPicker
from .base import StepScreen

LABELS = {"licence": "Licence terms", "sovereignty": "Sovereignty", "compute": "Fit on the hardware",
          "capability": "Quality", "cost": "Cost", "openness": "Openness"}


class BudgetStep(StepScreen):
    INDEX = 5
    HELP = ("Money and what matters most. Cloud offers above the monthly budget and hardware above the hardware "
            "budget are excluded (the results say what a bigger budget would change). Amounts may be typed as "
            "1500, 1.500, 1,500 or 1 500 euros; the field says how it read them.")
    EXPLAIN: ClassVar[dict[str, str]] = {
        "priorities": ("Each model gets a score of 0-100 for six aspects; the total is their mean weighted by "
                       "these numbers. 0 ignores an aspect, 3 is normal, 5 counts most. Left/right or a digit "
                       "changes a weight."),
        "monthly-tokens": ("Tokens a month, prompts and answers together, if you know them (your provider's bill "
                           "shows them). Without it advisor estimates 20 requests per user and working day."),
        "amortisation": "Bought hardware is compared per month with rentals: its price over these months plus power.",
        "electricity": "Your electricity price per kWh excluding VAT, for hardware you run yourself.",
    }
    WIDGETS: ClassVar[dict[str, str]] = {"budget.monthly_eur": "#monthly", "budget.hardware_eur": "#hardware-budget",
               "priorities": "#w-licence", **{f"priorities.{d}": f"#w-{d}" for d in DIMENSIONS},
               "use_case.monthly_tokens": "#monthly-tokens", "budget.amortisation_months": "#amortisation",
               "budget.electricity_eur_per_kwh": "#electricity"}

    def form(self) -> ComposeResult:
        b = self.requirements.budget
        yield Field("Monthly budget for hosting (EUR)",
                    NumberInput(b.monthly_eur, money=True, placeholder="no limit", id="monthly", compact=True),
                    "For cloud offers: list prices excl. VAT, 730 hours a month. Empty: no limit.")
        yield Field("One-off budget for hardware (EUR)",
                    NumberInput(b.hardware_eur, money=True, placeholder="no limit", id="hardware-budget",
                                compact=True),
                    "Used when advisor suggests hardware to buy. Empty: no limit.")
        cells = []
        for dim in DIMENSIONS:
            cells += [Label(LABELS[dim]), WeightPicker(getattr(self.requirements.priorities, dim), id=f"w-{dim}")]
        yield Field("How much each aspect counts (0 ignores it, 5 counts most)", Grid(*cells, id="priorities"),
                    "Left/right or a digit changes a weight; 3 is normal. The score is the weighted mean.")
        with Collapsible(title="Advanced: tokens a month, write-off period, electricity", id="advanced",
                         collapsed=True):
            yield Field("Tokens a month (optional)",
                        NumberInput(self.requirements.use_case.monthly_tokens, whole=True, id="monthly-tokens",
                                    placeholder="estimated from the users", compact=True),
                        "Prices per-token APIs; empty: estimated from the number of users.")
            yield Field("Months to write off bought hardware",
                        NumberInput(b.amortisation_months, whole=True, id="amortisation", compact=True),
                        "1 to 120; 36 is usual.")
            yield Field("Electricity price (EUR per kWh)",
                        NumberInput(b.electricity_eur_per_kwh, id="electricity", compact=True),
                        "Excl. VAT, for hardware you run yourself.")

    def collect(self) -> dict[str, Any]:
        changes: dict[str, Any] = {
            "budget.monthly_eur": self.number("#monthly", "budget.monthly_eur"),
            "budget.hardware_eur": self.number("#hardware-budget", "budget.hardware_eur"),
            "use_case.monthly_tokens": self.number("#monthly-tokens", "use_case.monthly_tokens"),
        }
        for path, wid, what in (("budget.amortisation_months", "#amortisation", "a number of months, e.g. 36"),
                                ("budget.electricity_eur_per_kwh", "#electricity", "a price, e.g. 0.25")):
            value = self.number(wid, path)
            if value is None:
                self.problem(path, f"{self.subject(wid)}: type {what}.")
                value = ...
            changes[path] = value
        for dim in DIMENSIONS:
            changes[f"priorities.{dim}"] = self.query_one(f"#w-{dim}", WeightPicker).value
        return changes

    def show_problems(self, problems: dict[str, str]) -> None:
        super().show_problems(problems)
        advanced = {"use_case.monthly_tokens", "budget.amortisation_months", "budget.electricity_eur_per_kwh"}
        if advanced & set(problems):
            self.query_one("#advanced", Collapsible).collapsed = False
