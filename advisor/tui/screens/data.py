"""Step 3: data and regulation."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.widgets import Checkbox, RadioSet, Select

from ..widgets.field import Field
from ..widgets.ticks import TickBox, TickRadio
from .base import StepScreen

CONFIDENTIALITY = (("Public", "public"), ("Internal", "internal"), ("Confidential", "confidential"),
                   ("Secret", "secret"))
ROLES = (("No: we use it in our own work", "deployer"),
         ("Yes: we offer it to others under our name", "provider"),
         ("Both: we offer it to others and use it ourselves", "both"))


class DataStep(StepScreen):
    INDEX = 2
    HELP = ("What data the model sees and which laws that brings. Personal data brings GDPR duties; special "
            "categories (health, biometrics, religion, ...) need an impact assessment. The AI Act's Annex III "
            "lists high-risk uses such as recruiting or credit scoring.")
    EXPLAIN: ClassVar[dict[str, str]] = {
        "annex": ("High-risk uses bring deployer duties (Art. 26: human oversight, logs, informing workers) and for "
                  "some a fundamental-rights impact assessment (Art. 27)."),
        "role": ("Under the AI Act you are a provider when you place an AI system on the market or put it into "
                 "service under your own name or trademark, for example when you sell a tool built on the model. "
                 "A provider of a high-risk system has far more duties (quality management, conformity "
                 "assessment, registration) than a deployer, who only uses it."),
        "medical": ("Software intended for diagnosis, prevention, monitoring, prediction, prognosis or treatment "
                    "of disease is a medical device (MDR/IVDR), usually class IIa or higher with a notified body, "
                    "and then high-risk under the AI Act. Drafting letters or summarising records is not."),
    }
    WIDGETS: ClassVar[dict[str, str]] = {"data.personal_data": "#personal", "data.special_category": "#special",
               "data.confidentiality": "#confidentiality", "regulation.annex_iii_area": "#annex",
               "regulation.role": "#role", "regulation.medical_purpose": "#medical"}

    def form(self) -> ComposeResult:
        d = self.requirements.data
        reg = self.requirements.regulation
        yield Field("", TickBox("Prompts or documents contain personal data", d.personal_data, id="personal",
                                compact=True),
                    "Names, e-mail addresses, customer or patient records: anything about a person (GDPR).")
        yield Field("", TickBox("Special-category data (health, biometric, religion, ethnicity, ...)",
                                d.special_category, id="special", compact=True),
                    "GDPR Art. 9 data; needs a legal basis of its own and a data-protection impact assessment.")
        yield Field("Highest confidentiality of the data",
                    Select(CONFIDENTIALITY, value=d.confidentiality, allow_blank=False, id="confidentiality",
                           compact=True),
                    "Secret data is best kept on hardware you control.")
        areas = [(t.label, key) for key, t in self.vocabulary.annex_iii_areas.items()]
        yield Field("AI Act high-risk area (Annex III)",
                    Select(areas, value=reg.annex_iii_area, allow_blank=False, id="annex", compact=True),
                    "E.g. choosing job applicants is 'Employment'; most assistants and summarisers are 'None'.")
        yield Field("Do you sell or offer this AI system to others under your own name?",
                    RadioSet(*(TickRadio(label, value=reg.role == value, id=f"role-{value}") for label, value in ROLES),
                             id="role", compact=True),
                    "Offering it under your name makes you its provider under the AI Act, with more duties.")
        yield Field("", TickBox("Used for diagnosis, prevention, monitoring, prediction, prognosis or treatment",
                                reg.medical_purpose, id="medical", compact=True),
                    "Of a disease or injury: then it is medical-device software (MDR) and high-risk.")

    def collect(self) -> dict[str, Any]:
        pressed = self.query_one("#role", RadioSet).pressed_button
        role = (pressed.id or "role-deployer").removeprefix("role-") if pressed else "deployer"
        return {
            "data.personal_data": self.query_one("#personal", Checkbox).value,
            "data.special_category": self.query_one("#special", Checkbox).value,
            "data.confidentiality": self.select_value("#confidentiality"),
            "regulation.annex_iii_area": self.select_value("#annex"),
            "regulation.role": role,
            "regulation.medical_purpose": self.query_one("#medical", Checkbox).value,
        }
