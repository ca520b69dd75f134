"""The facts rules can see about one model, beyond the catalogue entry itself.

Three fact objects are built per model and requirements:

- :class:`LicenceFacts`: the entry's licence merged with any inherited licence (the most
  restrictive value of each clause wins);
- :class:`DeploymentFacts`: the compute plan (see :mod:`advisor.engine.deploy`);
- :class:`DerivedFacts`: coverage of the requested languages and tasks, the capability
  estimate, openness, and the territorial reach of licence clauses.

Each is a pydantic model, so the rule loader can resolve every path a rule names.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from ..schema.catalogue import (
    OPENNESS_LEVELS,
    SPECIALISM_TASKS,
    AttributionThreshold,
    Clauses,
    Licence,
    ModelEntry,
    OpennessLevel,
    Publisher,
    Trinary,
)
from ..schema.common import Source, Strict, construct, updated
from ..schema.iso import EEA_MEMBERS, EU_MEMBERS, language_name
from ..schema.requirements import Requirements
from .quality import Evidence, QualityIndex, size_label

EUROEVAL_URL = "https://euroeval.com/leaderboards/"
OSAI_URL = "https://osai-index.eu/"

_TRINARY_ORDER: dict[Trinary, int] = {"yes": 0, "restricted": 1, "no": 2}
_ATTRIBUTION_ORDER = {"none": 0, "notice": 1, "display": 2}
SPECIALISM_WORDS = {"speech": "understanding speech (audio input)", "code": "programming and coding agents",
                    "translation": "translation", "medical": "medical work"}


class LicenceFacts(Strict):
    """The licence terms that bind a model: its own licence plus inherited ones."""

    id: str
    """Id of the model's own licence."""
    ids: list[str]
    """All licences that bind (own first, then inherited)."""
    name: str
    """Names, joined with ' + '."""
    spdx: str
    """SPDX expression, e.g. 'MIT AND LicenseRef-Llama-3.3-Community'."""
    hf_tag: str
    osi_approved: bool
    """Every binding licence is OSI-approved."""
    url: str
    summary: str
    clauses: Clauses
    sources: list[str]
    """URLs of the licence texts and the pages they were read from."""


def merge_licences(licences: list[Licence]) -> LicenceFacts:
    """Combine licences that all bind the same model; the most restrictive clause wins, and a
    clause any licence leaves unconfirmed (null) stays null unless another one confirms it binds."""
    own = licences[0]
    clauses = [lic.clauses for lic in licences]

    def any_true(name: str) -> bool | None:
        values = [getattr(c, name) for c in clauses]
        if any(v is True for v in values):
            return True
        if any(v is None for v in values):
            return None
        return False

    def min_of(name: str) -> int | None:
        values = [getattr(c, name) for c in clauses if getattr(c, name) is not None]
        return min(values) if values else None

    attributions = [c.attribution for c in clauses]
    if any(a is None for a in attributions) and "display" not in attributions:
        attribution = None
    else:
        attribution = max((a for a in attributions if a is not None), key=_ATTRIBUTION_ORDER.__getitem__)
    displays = [c for c in clauses if c.attribution == "display"]
    # a display duty is conditional only when every licence that imposes one sets a size threshold
    threshold = displays[0].attribution_threshold if displays and all(c.attribution_threshold for c in displays) else None
    revenue_caps = [c.revenue_cap for c in clauses if c.revenue_cap is not None]
    merged = construct(  # merged from validated licences: nothing left to check
        Clauses,
        commercial_use=max((c.commercial_use for c in clauses), key=_TRINARY_ORDER.__getitem__),
        user_cap=min_of("user_cap"),
        revenue_cap=revenue_caps[0] if revenue_caps else None,
        attribution=attribution,
        attribution_text=next((c.attribution_text for c in clauses if c.attribution_text), None),
        attribution_threshold=threshold,
        naming=next((c.naming for c in clauses if c.naming), None),
        acceptable_use_policy=any_true("acceptable_use_policy"),
        aup_flow_down=any_true("aup_flow_down"),
        output_restrictions=any_true("output_restrictions"),
        territory_exclusions=[t for c in clauses for t in c.territory_exclusions],
        unilateral_change=any_true("unilateral_change"),
        remote_restriction=any_true("remote_restriction"),
        governing_law=next((c.governing_law for c in clauses if c.governing_law), None),
        patent_grant=own.clauses.patent_grant,
    )
    sources = []
    for lic in licences:
        for url in [lic.url, *(s.url for s in lic.sources)]:
            if url not in sources:
                sources.append(url)
    return construct(
        LicenceFacts,
        id=own.id,
        ids=[lic.id for lic in licences],
        name=" + ".join(lic.name for lic in licences),
        spdx=" AND ".join(lic.spdx for lic in licences),
        hf_tag=own.hf_tag,
        osi_approved=all(lic.osi_approved for lic in licences),
        url=own.url,
        summary=" ".join(lic.summary for lic in licences),
        clauses=merged,
        sources=sources,
    )


class DeploymentFacts(Strict):
    """How (and whether) the model can run for these requirements."""

    status: Literal["fits", "too_big", "over_budget", "no_offer", "incomplete"]
    """fits; too_big (no hardware or offer has enough memory); over_budget (it fits, but only
    above the budget); no_offer (no hosting offer meets the mode and certifications);
    incomplete (the catalogue record lacks a fact needed to size the model: it is not planned)."""
    target: Literal["owned", "purchase", "cloud", "api"] | None = None
    """Your hardware, hardware to buy, a rented cloud instance, or a per-token API."""
    engine: str | None = None
    """Serving engine: vllm, llama.cpp (or mlx, sglang, managed_api)."""
    quantization: str | None = None
    """The weight format (same as weights_format; kept for compatibility)."""
    weights_format: str | None = None
    """e.g. BF16, FP8, AWQ-INT4, MXFP4, GGUF Q4_K_M."""
    weights_repo: str | None = None
    """The repository the plan downloads."""
    weights_by: str | None = None
    """'official' or the allowlisted quantizer that published the repository."""
    weights_how: str | None = None
    """official, quantizer, online (vLLM quantizes on load) or convert (llama.cpp converts)."""
    weights_gb: float | None = None
    kv_cache_dtype: str | None = None
    kv_cache_gb: float | None = None
    """KV cache at the planned concurrency and typical request length (GB)."""
    low_quantization: bool = False
    """Quantized below 4 bits per weight on average (noticeable quality loss)."""
    memory_gb: float | None = None
    """Memory the plan needs: weights, activations and the planned KV cache (GB)."""
    worst_case_gb: float | None = None
    """Memory if every simultaneous request held the full context at once (GB)."""
    available_gb: float | None = None
    """Memory the engine may use on the chosen (or largest) hardware (GB)."""
    utilisation_pct: float | None = None
    headroom_gb: float | None = None
    capacity_points: float = 0
    """0-100: share of the simultaneous requests that could hold the full context at once."""
    tokens_per_s: float | None = None
    """Per-request generation speed (tokens/s) with every simultaneous request active."""
    aggregate_tokens_per_s: float | None = None
    speed_bound: str | None = None
    """memory or compute: what limits a decode step."""
    speed_bonus: float = 0
    """0-100: how far the speed exceeds the need (100 at twice the need)."""
    quantization_points: float = 0
    """Capability points the weight format costs (0 for BF16/FP8/Q8_0 down to -12 below 4 bits)."""
    meets_speed: bool = True
    """The plan meets the speed need (tokens/s per request and time to first token)."""
    slow_points: float = 0
    """0-100 for a plan that misses the need: the share of the need it meets."""
    needed_tokens_per_s: float | None = None
    needed_ttft_s: float | None = None
    answer_seconds: float | None = None
    """Seconds to write a 400-token answer (about a page) at the per-user speed."""
    time_to_first_token_s: float | None = None
    """Seconds to process a typical request before the first token appears."""
    context_tokens: int
    typical_context_tokens: int | None = None
    simultaneous_requests: int | None = None
    """Requests the plan serves at the same moment."""
    sessions_at_full_context: int | None = None
    """Requests that can hold the full context at the same moment."""
    max_context_tokens: int | None = None
    """Largest context per request when every simultaneous request holds it."""
    tensor_parallel: int = 1
    hardware: str | None = None
    """e.g. '2x nvidia-l40s'."""
    hardware_name: str | None = None
    hosting: str | None = None
    """'on_premises' or a hosting offer id."""
    provider: str | None = None
    provider_country: str | None = None
    region_country: str | None = None
    cloud_act: bool | None = None
    """The hosting provider is subject to the US CLOUD Act (cloud only)."""
    certifications: list[str] = []
    certifications_unmet: list[str] = []
    """Certifications you require that no hosting offer in the catalogue holds for your hosting
    mode: the plan is then hardware you would buy and run yourself instead."""
    certifications_unmet_names: str = ""
    monthly_cost_eur: float = 0
    cost_basis: Literal["own", "purchase", "rental_24_7", "per_token"] | None = None
    """own hardware (no fee), a purchase, a rental running 730 hours a month, or per-token prices."""
    cost_choice: str = ""
    """Why this way of paying was chosen over the alternatives (rental or per-token API)."""
    monthly_tokens: int | None = None
    monthly_tokens_estimated: bool = False
    monthly_tokens_text: str = ""
    eur_per_million_input: float | None = None
    eur_per_million_output: float | None = None
    setup_fee_eur: float = 0
    """One-off fee of the offer; monthly costs include it spread over 12 months."""
    minimum_term_months: int = 0
    price_date: dt.date | None = None
    price_stale: bool = False
    """The price is more than six months older than the catalogue's review date."""
    monthly_equivalent_eur: float | None = None
    """Bought hardware per month: the purchase spread over the amortisation period plus power."""
    monthly_equivalent_text: str = ""
    purchase_eur: float | None = None
    purchase_covers: str | None = None
    """What the purchase price covers: the cards and the machine around them, or a whole machine."""
    budget_eur: float | None = None
    """The budget this deployment is compared with (monthly, or hardware for purchases)."""
    over_budget_eur: float | None = None
    """How far the cheapest option that fits exceeds the budget."""
    cost_points: float = 0
    """0-100: cost against the budget (or, without a budget, on a log scale)."""
    needed_gb: float | None = None
    """Memory needed at the most compressed format advisor would use (GB)."""
    shortfall_gb: float | None = None
    """needed_gb minus the largest memory available (GB)."""
    miss_reason: str = ""
    """Why it does not fit, in words (how many GB short, or the missing 4-bit build)."""
    suggestion: str | None = None
    """Hardware in your class and budget that would run the model, when it does not fit."""
    command: str | None = None
    """The command line that runs the plan."""
    assumptions: list[str] = []
    """What the plan rests on, in plain words."""
    sources: list[str] = []
    """Hardware or hosting-offer sources."""
    text: Callable[[], dict[str, Any]] | None = Field(default=None, exclude=True, repr=False)
    """Builds ``command``, ``assumptions`` and ``sources`` when :meth:`described` is asked for
    them; None once they are set. Most plans of a profile are never output (rules do not read
    that text, the rule loader refuses paths to it), so the planner defers it."""

    def described(self) -> "DeploymentFacts":
        """These facts with their command, assumptions and sources (see ``text``)."""
        if self.text is None:
            return self
        return updated(self, text=None, **self.text())

    @property
    def cited(self) -> list[str]:
        """The sources :meth:`described` gives, without copying the facts (rules citing the
        deployment ask for them once per reason)."""
        return self.sources if self.text is None else self.text()["sources"]


class DerivedFacts(Strict):
    """Facts advisor derives from the requirements and the entry."""

    org_in_eu: bool | None
    """The organisation is based in an EU member state (null = country not given)."""
    org_country: str | None
    territory_excluded: bool
    """A licence clause withholds rights from organisations in the organisation's country for
    this model (e.g. the Llama 3.2+/4 clause for multimodal models and EU-based companies)."""
    territory_unclear: bool
    """Such a clause applies to this model, but the organisation's country is not given."""
    territory_quote: str | None = None
    territory_source: str | None = None
    missing_facts: list[str]
    """Decision facts the catalogue record lacks, or why it is marked not rankable (empty = complete)."""
    missing_facts_text: str
    non_primary_facts: list[str]
    """Decision facts whose best evidence is not the publisher's own file, with the grade."""
    non_primary_text: str
    missing_languages: list[str]
    """Requested languages the publisher neither lists nor claims, and that were not measured."""
    missing_language_names: str
    unconfirmed_languages: list[str]
    """Requested languages the publisher does not list but covers by a broad multilingual claim
    (and that were not measured)."""
    unconfirmed_language_names: str
    missing_tasks: list[str]
    """Requested tasks the publisher does not document (vision and speech are checked via modalities)."""
    needs_image_input: bool
    needs_audio_input: bool
    specialism_unused: bool
    """A specialist model (``built_for``) asked for work other than the one it was built for."""
    specialism_words: str
    attribution_threshold_text: str
    """The size above which a display duty applies, in words ('' when it always applies)."""
    capability_points: float
    """0-100 capability estimate (mean over the requested languages)."""
    capability_basis: str
    """How capability was judged, per language and specialised task."""
    quality_evidence: bool
    """At least one requested language or task has measured evidence (EuroEval, benchmarks)."""
    estimated_language_names: str
    """Requested languages whose quality is only estimated from model size."""
    size_label: str
    """e.g. '8B' or '671B (37B active)'."""
    openness_level: OpennessLevel
    openness_meets_minimum: bool
    """The model reaches the openness level the requirements ask for."""
    openness_score: float
    openness_basis: str
    governing_law_in_eu: bool | None
    """The licence's governing law is that of an EU/EEA state (null = the licence names none)."""
    unknown_clauses: list[str]
    """Licence clauses the catalogue could not confirm (null)."""
    publisher_in_eu: bool
    publisher_country: str
    release_age_months: int
    superseded_by: str | None = None
    """Catalogue id of the newer version of this model, when the catalogue has one."""
    successor_name: str | None = None
    newer_from_publisher: bool = False
    """The publisher has released a newer model of the same line (family root) since this one."""


def openness(model: ModelEntry) -> tuple[float, str]:
    """Openness score 0-100 and where it comes from."""
    o = model.openness
    if o.osai is not None:
        scope = "this model" if o.osai.applies_to == "variant" else f"the family ({o.osai.end_model})"
        return o.osai.score, f"European Open Source AI Index rating of {scope}: {o.osai.score:g}/100"
    points = 25.0 if o.weights == "open" else 15.0
    parts = ["weights " + o.weights]
    if o.technical_report:
        points += 25
        parts.append("technical report")
    for label, value in (("training data", o.training_data), ("training code", o.training_code)):
        points += {"open": 25.0, "partial": 12.5}.get(value or "", 0.0)
        parts.append(f"{label} {value or 'not documented'}")
    return points, "advisor's own rating (" + ", ".join(parts) + ")"


def threshold_text(threshold: AttributionThreshold | None) -> str:
    if threshold is None:
        return ""
    parts = []
    if threshold.monthly_active_users:
        parts.append(f"{threshold.monthly_active_users:,} monthly active users")
    if threshold.revenue:
        r = threshold.revenue
        parts.append(f"{r.currency} {r.amount:,.0f} revenue a {r.period}")
    return " or ".join(parts)


def months_between(release: str, today: tuple[int, int]) -> int:
    year, month = (int(x) for x in release.split("-"))
    return max(0, (today[0] - year) * 12 + today[1] - month)


def derive(model: ModelEntry, licence: LicenceFacts, publisher: Publisher, req: Requirements,
           today: tuple[int, int], index: QualityIndex, successor: ModelEntry | None = None,
           static: dict[str, Any] | None = None, languages: "LanguageFacts | None" = None) -> DerivedFacts:
    """The facts rules read about ``model`` for ``req``. ``static`` is what
    :func:`derived_static` gives for the same model, licence, publisher and date, ``languages``
    what :func:`language_facts` gives for the requested languages (the evaluator keeps both)."""
    country = req.organisation.country
    org_in_eu = None if country is None else country in EU_MEMBERS

    excluded = unclear = False
    quote = source = None
    for ex in licence.clauses.territory_exclusions:
        if ex.scope == "multimodal" and not model.multimodal:
            continue
        territories = set(ex.territories)
        if "EU" in territories:
            territories |= EU_MEMBERS
        if country is None:
            unclear = True
        elif country in territories:
            excluded = True
        else:
            continue
        quote, source = ex.quote, ex.source

    langs = language_facts(model, req.use_case.languages, index) if languages is None else languages
    per_language, missing, unconfirmed = langs.evidence, langs.missing, langs.unconfirmed
    implied = {"chat"} if model.variant != "base" else set()  # any instruction-tuned model holds a conversation
    tasks = [t for t in req.use_case.tasks if t not in ("vision", "speech") and t not in model.tasks
             and t not in implied]
    specialism_used = model.built_for is None or bool(set(req.use_case.tasks) & set(SPECIALISM_TASKS[model.built_for])) \
        or (model.built_for == "medical" and req.organisation.sector == "health")
    language_score = langs.score
    task_evidence = [ev for t in req.use_case.tasks
                     if (ev := index.task(model, t, req.use_case.context_tokens, language_score)) is not None]
    capability = fsum_left([language_score, *(ev.points for ev in task_evidence)]) / (1 + len(task_evidence))
    measured = langs.measured or any(ev.grade == "benchmark" for ev in task_evidence)
    basis = "; ".join([ev.basis for ev in per_language] + [ev.basis for ev in task_evidence])
    if static is None:
        static = derived_static(model, licence, publisher, today, index, successor)
    return construct(DerivedFacts,
        **static,
        org_in_eu=org_in_eu,
        org_country=country,
        territory_excluded=excluded,
        territory_unclear=unclear and not excluded,
        territory_quote=quote,
        territory_source=source,
        missing_languages=list(missing),
        missing_language_names=langs.missing_names,
        unconfirmed_languages=list(unconfirmed),
        unconfirmed_language_names=langs.unconfirmed_names,
        missing_tasks=tasks,
        needs_image_input="vision" in req.use_case.tasks,
        needs_audio_input="speech" in req.use_case.tasks,
        specialism_unused=not specialism_used,
        capability_points=round(capability, 1),
        capability_basis=basis,
        quality_evidence=measured,
        estimated_language_names=langs.estimated_names,
        openness_meets_minimum=OPENNESS_LEVELS.index(model.openness.level)
        >= OPENNESS_LEVELS.index(req.sovereignty.min_openness),
    )


@dataclass(frozen=True, slots=True)
class LanguageFacts:
    """What a model offers for the requested languages, whatever else is asked."""

    evidence: tuple[Evidence, ...]
    """Per requested language, in order."""
    missing: tuple[str, ...]
    unconfirmed: tuple[str, ...]
    score: float
    """The mean of the languages' points."""
    measured: bool
    """Some language's points rest on a measurement (its own, its base model's or a sibling's)."""
    missing_names: str
    unconfirmed_names: str
    estimated_names: str


def language_facts(model: ModelEntry, wanted: Sequence[str], index: QualityIndex) -> LanguageFacts:
    per_language = tuple(index.language(model, lang) for lang in wanted)
    missing = tuple(lang for lang, ev in zip(wanted, per_language, strict=True) if ev.grade == "unsupported")
    unconfirmed = tuple(lang for lang, ev in zip(wanted, per_language, strict=True)
                        if ev.grade == "estimate" and lang not in model.languages)
    estimated = [language_name(lang) for lang, ev in zip(wanted, per_language, strict=True)
                 if ev.grade == "estimate"]
    return LanguageFacts(
        per_language, missing, unconfirmed,
        fsum_left([ev.points for ev in per_language]) / len(per_language),
        any(ev.grade in ("measured", "base", "family") for ev in per_language),
        ", ".join(language_name(lang) for lang in missing), ", ".join(language_name(lang) for lang in unconfirmed),
        ", ".join(estimated))


def derived_static(model: ModelEntry, licence: LicenceFacts, publisher: Publisher, today: tuple[int, int],
                   index: QualityIndex, successor: ModelEntry | None = None) -> dict[str, Any]:
    """The derived facts that do not depend on the requirements."""
    score, open_basis = openness(model)
    unknown = [name for name in Clauses.model_fields if name in _DECISIVE_CLAUSES
               and getattr(licence.clauses, name) is None]
    missing_facts = ([f"not rankable: {model.not_rankable}"] if model.not_rankable else []) + list(model.missing_facts)
    non_primary = [f"{FACT_WORDS.get(fact, fact)} ({GRADE_WORDS[grade]}{_basis(source)})"
                   for fact, grade, source in model.evidence]
    return {
        "missing_facts": missing_facts,
        "missing_facts_text": model.not_rankable or "missing " + ", ".join(missing_facts),
        "non_primary_facts": non_primary,
        "non_primary_text": "; ".join(non_primary),
        "specialism_words": SPECIALISM_WORDS.get(model.built_for or "", ""),
        "size_label": size_label(model),
        "openness_level": model.openness.level,
        "governing_law_in_eu": None if not licence.clauses.governing_law
        else licence.clauses.governing_law[:2] in EEA_MEMBERS,
        "openness_score": score,
        "openness_basis": open_basis,
        "attribution_threshold_text": threshold_text(licence.clauses.attribution_threshold),
        "unknown_clauses": unknown,
        "publisher_in_eu": publisher.in_eu,
        "publisher_country": publisher.country or "international",
        "release_age_months": months_between(model.release, today),
        "superseded_by": successor.id if successor else None,
        "successor_name": successor.name if successor else None,
        "newer_from_publisher": model.id in index.newer,
    }


def fsum_left(values: list[float]) -> float:
    """A left-to-right sum: the same result on every Python version (3.12's sum() compensates)."""
    total = 0.0
    for v in values:
        total += v
    return total


FACT_WORDS = {"params": "parameter count", "architecture": "architecture", "context": "context length",
              "weights_dtype": "weight precision", "languages": "languages", "tasks": "tasks",
              "modalities": "input types", "release": "release month"}
GRADE_WORDS = {"copy": "from a verbatim copy of the publisher's file", "derived": "derived",
               "estimate": "estimated"}


def _basis(source: Source) -> str:
    if source.grade == "derived" and source.derived_from:
        return f" from {source.derived_from}"
    if source.grade == "estimate" and source.method:
        return f": {source.method}"
    return ""


_DECISIVE_CLAUSES = {
    "attribution", "acceptable_use_policy", "output_restrictions", "unilateral_change",
    "remote_restriction",
}
