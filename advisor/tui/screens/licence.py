"""Step 4: licence needs, accepted conditions, and sovereignty."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Select, SelectionList

from ..widgets.field import Field
from ..widgets.ticks import TickBox, TickList
from .base import StepScreen

REGIONS = (("Any publisher", "any"), ("Prefer publishers in the EU/EEA", "eu_preferred"),
           ("Only publishers in the EU/EEA", "eu_required"))


class LicenceStep(StepScreen):
    INDEX = 3
    HELP = ("Every condition you leave unticked excludes the models whose licence imposes it. The licensor's "
            "right to restrict use remotely (Gemma, DeepSeek-V3) is unticked by default: it makes you depend on "
            "the licensor's judgement.")

    def form(self) -> ComposeResult:
        lic = self.requirements.licence
        sov = self.requirements.sovereignty
        yield Field("", TickBox("We use it in our business (also internal business use)", lic.commercial_use,
                                 id="commercial", compact=True), "Research-only and non-production licences then do not fit.")
        yield Field("", TickBox("We will train (fine-tune) it, or train other models on its outputs",
                                 lic.will_fine_tune, id="finetune", compact=True))
        yield Field("", TickBox("We will pass the model (or a trained version) to others", lic.will_redistribute,
                                 id="redistribute", compact=True))
        conditions = [(f"{t.label} — {t.description}", key, key in lic.accept)
                      for key, t in self.vocabulary.licence_conditions.items()]
        yield Field("Licence conditions we accept", TickList(*conditions, id="accept", compact=True),
                    "Untick what you cannot live with.")
        yield Field("", TickBox("Only OSI-approved open-source licences (Apache-2.0, MIT, ...)", lic.require_osi,
                                 id="osi", compact=True))
        yield Field("Publisher's home", Select(REGIONS, value=sov.publisher_region, allow_blank=False, id="region", compact=True),
                    "Where the company or institute behind the model has its headquarters.")
        yield Field("Exclude publishers from these countries",
                    Input(", ".join(sov.excluded_countries), placeholder="e.g. CN, US", id="excluded", compact=True),
                    "Two-letter country codes, separated by commas.")
        levels = [(t.label, key) for key, t in self.vocabulary.openness_levels.items()]
        yield Field("Minimum openness", Select(levels, value=sov.min_openness, allow_blank=False, id="openness", compact=True),
                    "Open weights suffice for most; 'documented' asks for a technical report on data and training.")

    def collect(self) -> dict[str, Any]:
        excluded = [c.strip().upper() for c in self.query_one("#excluded", Input).value.split(",") if c.strip()]
        return {
            "licence.commercial_use": self.query_one("#commercial", Checkbox).value,
            "licence.will_fine_tune": self.query_one("#finetune", Checkbox).value,
            "licence.will_redistribute": self.query_one("#redistribute", Checkbox).value,
            "licence.accept": list(self.query_one("#accept", SelectionList).selected),
            "licence.require_osi": self.query_one("#osi", Checkbox).value,
            "sovereignty.publisher_region": self.select_value("#region"),
            "sovereignty.excluded_countries": excluded,
            "sovereignty.min_openness": self.select_value("#openness"),
        }
