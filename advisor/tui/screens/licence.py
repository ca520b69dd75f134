"""Step 4: licence needs, accepted conditions, and sovereignty."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Select, SelectionList

from ...schema.iso import COUNTRY_NAMES
from ..widgets.field import Field
from ..widgets.ticks import TickBox, TickList
from .base import StepScreen
from .choices import country_code

REGIONS = (("Any publisher", "any"), ("Prefer publishers in the EU/EEA", "eu_preferred"),
           ("Only publishers in the EU/EEA", "eu_required"))


class LicenceStep(StepScreen):
    INDEX = 3
    HELP = ("What you need to be allowed to do with the model, and whose models you accept. Every licence "
            "condition you untick excludes the models whose licence imposes it. Not sure? Keep the defaults: "
            "all conditions are accepted, and the risky ones (such as the licensor's right to restrict your use "
            "remotely) still cost points and are flagged on the results.")
    EXPLAIN: ClassVar[dict[str, str]] = {
        "accept": ("Move with the arrows: the full description of the highlighted condition is shown under the "
                   "list. Attribution and the acceptable-use policy are common and usually harmless; a remote "
                   "restriction (Gemma, DeepSeek-V3) makes you depend on the licensor's judgement."),
        "osi": "The Open Source Initiative approves licences such as Apache-2.0 and MIT that have no use restrictions.",
        "openness": ("Openness follows the OSAI index: open weights only; documented (a technical report on the "
                     "training data and method); open data (training data and code published too)."),
        "excluded-countries": "Country names work too: 'Russia, China' is read as RU, CN.",
    }
    WIDGETS: ClassVar[dict[str, str]] = {"licence.commercial_use": "#commercial", "licence.will_fine_tune": "#finetune",
               "licence.will_redistribute": "#redistribute", "licence.accept": "#accept",
               "licence.require_osi": "#osi", "sovereignty.publisher_region": "#region",
               "sovereignty.excluded_countries": "#excluded-countries", "sovereignty.min_openness": "#openness"}

    def form(self) -> ComposeResult:
        lic = self.requirements.licence
        sov = self.requirements.sovereignty
        yield Field("", TickBox("We use it in our business (also internal business use)", lic.commercial_use,
                                id="commercial", compact=True),
                    "Research-only and non-production licences then do not fit.")
        yield Field("", TickBox("We will train (fine-tune) it, or train other models on its outputs",
                                lic.will_fine_tune, id="finetune", compact=True),
                    "Some licences forbid training other models with the outputs.")
        yield Field("", TickBox("We will pass the model (or a trained version) to others", lic.will_redistribute,
                                id="redistribute", compact=True),
                    "Passing it on brings notice and naming duties under some licences.")
        conditions = [(t.label, key, key in lic.accept) for key, t in self.vocabulary.licence_conditions.items()]
        descriptions = {key: f"{t.label}: {t.description}" for key, t in self.vocabulary.licence_conditions.items()}
        yield Field("Licence conditions we accept (Space ticks)",
                    TickList(*conditions, id="accept", compact=True, descriptions=descriptions),
                    "Untick what you cannot live with; not sure? keep them all.")
        yield Field("", TickBox("Only OSI-approved open-source licences (Apache-2.0, MIT, ...)", lic.require_osi,
                                id="osi", compact=True),
                    "Excludes every model with a custom licence.")
        yield Field("Publisher's home",
                    Select(REGIONS, value=sov.publisher_region, allow_blank=False, id="region", compact=True),
                    "Where the company or institute behind the model has its headquarters.")
        yield Field("Exclude publishers from these countries",
                    Input(", ".join(sov.excluded_countries), placeholder="e.g. CN, US", id="excluded-countries",
                          compact=True, select_on_focus=False),
                    "Two-letter codes or names, separated by commas; empty excludes none.")
        levels = [(t.label, key) for key, t in self.vocabulary.openness_levels.items()]
        yield Field("Minimum openness",
                    Select(levels, value=sov.min_openness, allow_blank=False, id="openness", compact=True),
                    "Open weights suffice for most; 'documented' asks for a technical report on data and training.")

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "excluded-countries":
            return
        field = next(a for a in event.input.ancestors if isinstance(a, Field))
        read = [country_code(w) for w in event.value.replace(";", ",").split(",") if w.strip()]
        problems = [p for _, p in read if p]
        field.set_problem(("Excluded countries: " + " ".join(problems)) if problems else None)
        codes = [c for c, _ in read if c]
        field.set_note(f"Reads as {countries_text(codes)}." if codes and not problems else None)

    def collect(self) -> dict[str, Any]:
        codes: list[str] = []
        problems: list[str] = []
        for word in self.query_one("#excluded-countries", Input).value.replace(";", ",").split(","):
            if not word.strip():
                continue
            code, problem = country_code(word)
            if code:
                codes.append(code)
            else:
                problems.append(problem or "")
        if problems:
            self.problem("sovereignty.excluded_countries", "Excluded countries: " + " ".join(problems))
        return {
            "licence.commercial_use": self.query_one("#commercial", Checkbox).value,
            "licence.will_fine_tune": self.query_one("#finetune", Checkbox).value,
            "licence.will_redistribute": self.query_one("#redistribute", Checkbox).value,
            "licence.accept": list(self.query_one("#accept", SelectionList).selected),
            "licence.require_osi": self.query_one("#osi", Checkbox).value,
            "sovereignty.publisher_region": self.select_value("#region"),
            "sovereignty.excluded_countries": ... if problems else codes,
            "sovereignty.min_openness": self.select_value("#openness"),
        }


def countries_text(codes: list[str]) -> str:
    return ", ".join(f"{c} ({COUNTRY_NAMES[c]})" if c in COUNTRY_NAMES else c for c in codes)
