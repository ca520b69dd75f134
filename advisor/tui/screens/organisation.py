"""Step 1: who is asking."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.widgets import Input, Select

from ..widgets.field import Field, NumberInput
from .base import StepScreen
from .choices import COUNTRY_CHOICES

NIS2 = (("I don't know (advisor estimates it from sector and size)", "unknown"),
        ("Essential entity", "essential"), ("Important entity", "important"), ("Not covered by NIS2", "none"))


class OrganisationStep(StepScreen):
    INDEX = 0
    HELP = ("Who is asking. Your country decides territorial licence clauses: Meta's Llama 3.2, 3.3 and 4 use "
            "policies withhold multimodal models from companies based in the EU, for example. The sector and "
            "size shape the regulatory notes.")
    EXPLAIN: ClassVar[dict[str, str]] = {
        "employees": "Numbers may be typed as 120, 1.200, 1,200 or 1 200.",
        "nis2": ("NIS2 is the EU cybersecurity directive (national laws since October 2024). Essential and "
                 "important entities must manage cyber risks and report incidents, and that covers an AI system "
                 "too. If you don't know, advisor says whether your sector and size make it likely."),
    }
    WIDGETS: ClassVar[dict[str, str]] = {"organisation.name": "#name", "organisation.country": "#country", "organisation.sector": "#sector",
               "organisation.employees": "#employees", "organisation.nis2": "#nis2"}

    def form(self) -> ComposeResult:
        org = self.requirements.organisation
        yield Field("Organisation name",
                    Input(org.name or "", placeholder="e.g. Klinik Nord GmbH", id="name", compact=True,
                          select_on_focus=False),
                    "Shown in reports only.")
        yield Field("Country of your main place of business",
                    Select([("Not stated", ""), *COUNTRY_CHOICES], value=org.country or "", allow_blank=False,
                           id="country", compact=True),
                    "Some licences withhold rights from organisations in certain countries.")
        sectors = [(term.label, key) for key, term in self.vocabulary.sectors.items()]
        yield Field("Sector", Select(sectors, value=org.sector, allow_blank=False, id="sector", compact=True),
                    "Public bodies and some sectors have extra AI Act and NIS2 duties.")
        yield Field("Employees", NumberInput(org.employees, whole=True, placeholder="e.g. 120", id="employees",
                                             compact=True),
                    "Optional. With the sector it decides whether NIS2 is likely to apply.")
        yield Field("NIS2 status (EU cybersecurity law)",
                    Select(NIS2, value=org.nis2, allow_blank=False, id="nis2", compact=True),
                    "Leave 'I don't know' unless you have checked it.")

    def collect(self) -> dict[str, Any]:
        name = self.query_one("#name", Input).value.strip()
        return {
            "organisation.name": name or None,
            "organisation.country": self.select_value("#country"),
            "organisation.sector": self.select_value("#sector"),
            "organisation.employees": self.number("#employees", "organisation.employees"),
            "organisation.nis2": self.select_value("#nis2"),
        }
