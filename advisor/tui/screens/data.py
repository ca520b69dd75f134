"""Step 3: data and regulation."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Checkbox, Select

from ..widgets.field import Field
from ..widgets.ticks import TickBox
from .base import StepScreen

CONFIDENTIALITY = (("Public", "public"), ("Internal", "internal"), ("Confidential", "confidential"),
                   ("Secret", "secret"))


class DataStep(StepScreen):
    INDEX = 2
    HELP = ("Personal data brings GDPR duties; special categories (health, biometrics, religion, ...) need an "
            "impact assessment. The AI Act's Annex III lists high-risk uses such as recruiting or credit scoring; "
            "they bring deployer duties (Art. 26) and sometimes a fundamental-rights impact assessment (Art. 27).")

    def form(self) -> ComposeResult:
        d = self.requirements.data
        yield Field("", TickBox("Prompts or documents contain personal data", d.personal_data, id="personal", compact=True),
                    "Names, e-mail addresses, customer or patient records: anything about a person (GDPR).")
        yield Field("", TickBox("Special-category data (health, biometric, religion, ethnicity, ...)",
                                 d.special_category, id="special", compact=True),
                    "GDPR Art. 9 data; needs a legal basis of its own and a data-protection impact assessment.")
        yield Field("Highest confidentiality of the data",
                    Select(CONFIDENTIALITY, value=d.confidentiality, allow_blank=False, id="confidentiality", compact=True),
                    "Secret data is best kept on hardware you control.")
        areas = [(t.label, key) for key, t in self.vocabulary.annex_iii_areas.items()]
        yield Field("AI Act high-risk area (Annex III)",
                    Select(areas, value=self.requirements.regulation.annex_iii_area, allow_blank=False, id="annex", compact=True),
                    "E.g. choosing job applicants is 'Employment'; most assistants and summarisers are 'None'.")

    def collect(self) -> dict[str, Any]:
        return {
            "data.personal_data": self.query_one("#personal", Checkbox).value,
            "data.special_category": self.query_one("#special", Checkbox).value,
            "data.confidentiality": self.select_value("#confidentiality"),
            "regulation.annex_iii_area": self.select_value("#annex"),
        }
