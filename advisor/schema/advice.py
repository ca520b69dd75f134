"""Advice: the result of scoring a catalogue against requirements (``recommend --format json``).

Every catalogue model appears exactly once, in ``ranking`` or in ``excluded``. The output is
deterministic: same input, same bytes.
"""

from typing import Any, Literal

from .common import Strict

Dimension = Literal["licence", "sovereignty", "compute", "capability", "cost", "openness"]
DIMENSIONS: tuple[str, ...] = Dimension.__args__  # type: ignore[attr-defined]
RuleDimension = Literal[
    "licence", "sovereignty", "compute", "capability", "cost", "openness", "obligations"
]


class Reason(Strict):
    """One rule that fired for a model: why it scored or was excluded."""

    rule: str
    """Id of the rule."""
    dimension: RuleDimension
    """Dimension the rule belongs to."""
    points: float = 0
    """Points the rule added to (or took from) its dimension; 0 for exclusions."""
    message: str
    """The rule's message, rendered with this model's facts."""
    sources: list[str] = []
    """Where the facts and the rule come from (URLs)."""


class ModelWarning(Strict):
    """Something to check before relying on the model."""

    rule: str
    """Id of the rule that raised the warning."""
    message: str
    """What to check, rendered with the model's facts."""
    sources: list[str] = []
    """Where the facts and the rule come from (URLs)."""


class Obligation(Strict):
    """A duty the organisation takes on (AI Act, GDPR, licence)."""

    id: str
    """Rule id."""
    article: str
    """The provision, e.g. 'AI Act Art. 50(1)'."""
    message: str
    """What to do, in plain language."""
    model: str | None = None
    """Set when the duty comes from one model's licence."""
    sources: list[str] = []
    """The legal text or licence the duty comes from (URLs)."""
    actor: Literal["organisation", "deployer", "provider", "hosting_provider", "publisher"] = "organisation"
    """Who must act: your organisation, you as deployer, you as provider, your hosting provider, the
    model's publisher."""
    applies_from: str | None = None
    """Date the provision applies from (YYYY-MM-DD), as the law stands at the catalogue review."""
    originally_from: str | None = None
    """The original date, when an amending act moved it."""
    date_note: str | None = None
    """What moved the date, and its legislative status."""
    in_force: bool | None = None
    """Whether it already applies at the catalogue's review date (never the clock)."""
    exposure: bool = False
    """A liability exposure rather than a duty to act."""


class Deployment(Strict):
    """How the model would run: the deployment advisor plans for it, with the command that runs it."""

    quantization: str
    """Weight format (the same value as weights_format, kept for compatibility)."""
    memory_gb: float
    """Memory the plan needs in GB (10^9 bytes): weights + activations + KV cache at the planned load."""
    hardware: str
    """e.g. '1x nvidia-l40s'."""
    hosting: str
    """'on_premises' or the id of the hosting offer."""
    monthly_cost_eur: float
    """Monthly hosting cost in EUR (0 for hardware you own; 730 hours per month for rentals)."""
    tokens_per_s: float
    """Estimated generation speed per request in tokens/s with every simultaneous request active."""
    context_tokens: int
    """Maximum context per request the deployment serves (--max-model-len)."""
    purchase_eur: float | None = None
    """Indicative purchase price when advisor suggests hardware to buy."""
    provider: str | None = None
    """Hosting provider name, for rentals."""
    aggregate_tokens_per_s: float | None = None
    """Total generation speed across all simultaneous requests."""
    max_context_tokens: int | None = None
    """Largest context per request when every simultaneous request holds it."""
    engine: str | None = None
    """Serving engine: vllm, sglang, llama.cpp, mlx or managed_api."""
    weights_format: str | None = None
    """e.g. BF16, FP8, AWQ-INT4, MXFP4, GGUF Q4_K_M."""
    weights_repo: str | None = None
    """The Hugging Face repository the plan downloads (official, or an allowlisted quantizer's)."""
    weights_gb: float | None = None
    """Memory of the weights (GB)."""
    kv_cache_dtype: str | None = None
    """Precision of the KV cache: fp16, fp8 or q8_0."""
    kv_cache_gb: float | None = None
    """KV cache at the planned number of simultaneous requests and typical length (GB)."""
    sessions_at_full_context: int | None = None
    """How many requests can hold the full context at the same moment."""
    time_to_first_token_s: float | None = None
    """Seconds before the first token of a typical request."""
    simultaneous_requests: int | None = None
    """Requests the plan serves at the same moment."""
    command: str | None = None
    """One command line that runs the plan (flags as the engine documents them)."""
    assumptions: list[str] = []
    """What the plan rests on: concurrency, memory limits, formats, speed."""
    cost_basis: Literal["own", "purchase", "rental_24_7", "per_token"] | None = None
    """How it is paid: hardware you own, a purchase, a rental running 730 hours a month, or per token."""
    cost_choice: str | None = None
    """Why this way of paying was chosen over renting, per-token APIs or buying."""
    monthly_tokens: int | None = None
    """Tokens a month the per-token price is computed for (given, or estimated: see assumptions)."""
    eur_per_million_tokens: dict[str, float] | None = None
    """Per-token price, EUR per million tokens: {input, output}."""
    setup_fee_eur: float | None = None
    """One-off fee of the offer (monthly_cost_eur spreads it over 12 months)."""
    monthly_equivalent_eur: float | None = None
    """A purchase per month: price over the amortisation period plus power."""
    price_date: str | None = None
    """Date of the price the plan uses (YYYY-MM-DD)."""
    price_stale: bool = False
    """The price is more than six months older than the catalogue review: check it."""

    def short(self) -> str:
        """How it runs in a few words: 'FP8 30.3 GB' or 'per-token API'."""
        if self.cost_basis == "per_token":
            return "per-token API"
        return f"{self.quantization} {self.memory_gb:g} GB"


class Evidence(Strict):
    """A decision fact behind the recommendation that is not read from the publisher's own file."""

    fact: str
    """Fact group: params, architecture, context, weights_dtype, languages, tasks, modalities, release."""
    grade: Literal["copy", "derived", "estimate"]
    """copy = a verbatim copy of the publisher's file; derived = from the base model or the family;
    estimate = computed by a stated method."""
    source: str
    """The page or file the fact was read from."""
    basis: str | None = None
    """What the copy reproduces, what the fact is derived from, or how it was estimated."""


class RankedModel(Strict):
    """One recommended model."""

    rank: int
    """Position, 1 = recommended."""
    model: str
    """Catalogue id."""
    name: str
    """Display name."""
    hf_repo: str
    """Official Hugging Face repository."""
    score: float
    """Priority-weighted mean of the dimension scores, 0-100."""
    scores: dict[str, float]
    """Score per dimension, 0-100."""
    deployment: Deployment | None
    """The best deployment found (null if the model could not be sized)."""
    reasons: list[Reason]
    """Rules that scored the model, with points, message and sources."""
    warnings: list[ModelWarning]
    """Things to check before relying on the model."""
    obligations: list[Obligation] = []
    """Licence duties that come with this model."""
    evidence: list[Evidence] = []
    """Decision facts about this model that are not read from the publisher's own files (empty
    when every one is primary)."""


class ExcludedModel(Strict):
    """A model that cannot be recommended, with every rule that excluded it."""

    model: str
    """Catalogue id."""
    name: str
    """Display name."""
    reasons: list[Reason]
    """Every exclusion rule that matched, with its message and sources."""


class CatalogueInfo(Strict):
    models: int
    """Number of models considered."""
    reviewed: str
    """Most recent review date in the catalogue."""
    newest_release: str | None = None
    """Latest release month (YYYY-MM) of any model in the catalogue."""
    freshness_warning: str | None = None
    """Set when the newest release is more than six months older than the review date."""


class Advice(Strict):
    """The answer to one set of requirements."""

    schema_version: Literal[1] = 1
    """Always 1."""
    advisor_version: str
    """Version of advisor that produced the advice."""
    catalogue: CatalogueInfo
    """Size and review date of the catalogue used."""
    requirements: dict[str, Any]
    """The requirements, normalised, with defaults filled in."""
    ranking: list[RankedModel]
    """Eligible models, best first (ties broken by model id)."""
    excluded: list[ExcludedModel]
    """Models that cannot be recommended, each with every rule that excluded it."""
    obligations: list[Obligation]
    """Duties the organisation takes on: AI Act, GDPR, and the licence duties of the first-ranked model."""
    summary: str
    """Plain-language recommendation."""
    disclaimer: str = (
        "Not legal advice. advisor explains licence terms and regulatory duties from the sources it "
        "cites; check them with counsel before relying on them. Prices and speeds are indicative "
        "estimates; sizes are in GB (10^9 bytes)."
    )
    """What the advice is not."""

    def to_json(self, *, indent: int | None = 2) -> str:
        """The advice as JSON (the contract of ``advisor recommend --format json``)."""
        return self.model_dump_json(indent=indent)


class RankedScore(Strict):
    """One eligible model in a ranking: its total and dimension scores."""

    model: str
    total: float
    scores: dict[str, float]


class ExcludedScore(Strict):
    """One model that is not eligible, with the first rule that excludes it."""

    model: str
    rule: str


class Ranking(Strict):
    """The ranking only (``advisor.rank``): model ids in order with totals and dimension scores,
    and the excluded ids with their first exclusion rule. The same order and numbers as
    ``advise()``, without the explanation."""

    ranked: list[RankedScore]
    excluded: list[ExcludedScore]

    @property
    def models(self) -> list[str]:
        return [r.model for r in self.ranked]
