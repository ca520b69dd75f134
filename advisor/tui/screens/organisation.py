"""Step 1: who is asking."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input, Select

from ..widgets.field import Field
from .base import StepScreen
from .choices import COUNTRY_CHOICES


class OrganisationStep(StepScreen):
    INDEX = 0
    HELP = ("Your country decides territorial licence clauses: Meta's Llama 3.2, 3.3 and 4 use policies "
            "withhold multimodal models from companies based in the EU, for example. The sector and size shape "
            "the regulatory notes.")

    def form(self) -> ComposeResult:
        org = self.requirements.organisation
        yield Field("Organisation name", Input(org.name or "", placeholder="e.g. Klinik Nord GmbH", id="name", compact=True),
                    "Shown in reports only.")
        yield Field("Country of your main place of business",
                    Select([("Not stated", ""), *COUNTRY_CHOICES], value=org.country or "", allow_blank=False,
                           id="country", compact=True),
                    "Some licences withhold rights from organisations in certain countries.")
        sectors = [(term.label, key) for key, term in self.vocabulary.sectors.items()]
        yield Field("Sector", Select(sectors, value=org.sector, allow_blank=False, id="sector", compact=True),
                    "Public bodies and some sectors have extra AI Act duties.")
        yield Field("Employees", Input(str(org.employees or ""), placeholder="e.g. 120", id="employees",
                                       type="integer", compact=True), "Optional.")

    def collect(self) -> dict[str, Any]:
        name = self.query_one("#name", Input).value.strip()
        return {
            "organisation.name": name or None,
            "organisation.country": self.select_value("#country"),
            "organisation.sector": self.select_value("#sector"),
            "organisation.employees": self.int_or_none("#employees"),
        }
