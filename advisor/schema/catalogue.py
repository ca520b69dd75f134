"""Catalogue entities: models, licences (with their clause vector), publishers, hardware,
hosting offers and the controlled vocabulary.

Every entity carries ``sources`` (URL + retrieved date) and ``reviewed``. A value that could
not be confirmed from a primary source is left empty (``null``) and named in ``unknown``.
"""

import datetime as dt
import functools
from typing import Literal

from pydantic import Field, model_validator

from .common import GRADES, Country, Identifier, Language, Source, Strict, Url, YearMonth

Task = Literal[
    "chat", "document_qa", "summarisation", "translation", "code", "extraction",
    "classification", "agents", "vision", "speech",
]
TASKS: tuple[str, ...] = Task.__args__  # type: ignore[attr-defined]
Modality = Literal["text", "image", "audio", "video"]
Specialism = Literal["speech", "code", "translation", "medical"]
SPECIALISM_TASKS: dict[str, tuple[str, ...]] = {
    "speech": ("speech",), "code": ("code", "agents"), "translation": ("translation",), "medical": (),
}
"""The requested tasks that put a specialist model to the use it was built for (``medical``
needs the health sector instead)."""
MODALITIES: tuple[str, ...] = Modality.__args__  # type: ignore[attr-defined]
Rating = Literal["open", "partial", "closed"]
Trinary = Literal["yes", "restricted", "no"]
OpennessLevel = Literal["weights", "documented", "open_data"]
OPENNESS_LEVELS: tuple[str, ...] = OpennessLevel.__args__  # type: ignore[attr-defined]

OSAI_DIMENSIONS: tuple[str, ...] = (
    "datasources_basemodel", "datasources_endmodel", "weights_basemodel", "weights_endmodel",
    "trainingcode", "code", "hardware_architecture", "preprint", "paper", "modelcard",
    "datasheet", "licenses",
)


# --------------------------------------------------------------------------- models


class Architecture(Strict):
    """What the KV-cache and speed estimates need, read from the official config.json or
    technical report. Leave a value null when the source does not give it."""

    num_hidden_layers: int | None = Field(None, ge=1)
    """Transformer layers (config.json num_hidden_layers / n_layers)."""
    num_attention_heads: int | None = Field(None, ge=1)
    """Query heads (config.json num_attention_heads)."""
    num_key_value_heads: int | None = Field(None, ge=1)
    """KV heads (config.json num_key_value_heads; equal to num_attention_heads for MHA)."""
    head_dim: int | None = Field(None, ge=1)
    """Per-head dimension (config.json head_dim, else hidden_size / num_attention_heads)."""
    hidden_size: int | None = Field(None, ge=1)
    """Model width (config.json hidden_size / d_model)."""
    attention: Literal["mha", "gqa", "mqa", "mla", "hybrid"] | None = None
    """Attention layout: multi-head, grouped-query, multi-query, multi-head latent (DeepSeek),
    or hybrid (only some layers keep a growing KV cache, e.g. Mamba/linear-attention mixes)."""
    sliding_window: int | None = Field(None, ge=1)
    """Window size in tokens for layers that use sliding-window or chunked local attention."""
    sliding_window_layers: int | None = Field(None, ge=0)
    """How many of the layers use the window (the others attend to the full context).
    Null with a sliding_window set means every layer uses it."""
    full_attention_layers: int | None = Field(None, ge=1)
    """Hybrid models only: the number of layers that keep a full KV cache."""
    kv_lora_rank: int | None = Field(None, ge=1)
    """MLA only: the compressed latent size cached per token and layer."""
    qk_rope_head_dim: int | None = Field(None, ge=1)
    """MLA only: the decoupled RoPE key dimension cached per token and layer."""
    num_experts: int | None = Field(None, ge=1)
    """MoE only: routed experts per MoE layer."""
    experts_per_token: int | None = Field(None, ge=1)
    """MoE only: experts activated per token."""
    shared_experts: int | None = Field(None, ge=0)
    """MoE only: experts every token uses besides the routed ones (0 = none)."""
    local_attention: Literal["sliding", "chunked"] | None = None
    """How the windowed layers attend: a sliding window over the last tokens, or fixed chunks
    (Llama 4). Either way they cache at most ``sliding_window`` tokens."""
    full_attention_num_key_value_heads: int | None = Field(None, ge=1)
    """KV heads of the full-attention layers, when they differ from the windowed layers'."""
    full_attention_head_dim: int | None = Field(None, ge=1)
    """Head dimension of the full-attention layers, when it differs from the windowed layers'."""
    kv_shared_layers: int | None = Field(None, ge=0)
    """Layers that reuse the KV cache of earlier layers and store none of their own (Gemma 3n)."""
    index_head_dim: int | None = Field(None, ge=1)
    """Sparse-attention indexer key size cached per token and layer (DeepSeek V3.2 DSA)."""
    full_attention_k_eq_v: bool = False
    """The full-attention layers store keys and values as one tensor (Gemma 4), halving their KV cache."""


class OsaiRating(Strict):
    """Ratings from the European Open Source AI Index (osai-index.eu, CC-BY 4.0; cite
    Liesenfeld & Dingemanse 2024). The index rates a family by one end model."""

    entry: str
    """OSAI file / system name, e.g. 'EuroLLM'."""
    end_model: str
    """The end model the index rated, e.g. 'EuroLLM-22B-Instruct-2512'."""
    applies_to: Literal["variant", "family"]
    """'variant' when the index rated exactly this model, 'family' when it rated a sibling."""
    classes: dict[str, Rating]
    """One rating per OSAI dimension (all twelve)."""

    @model_validator(mode="after")
    def _all_dimensions(self) -> "OsaiRating":
        missing = [d for d in OSAI_DIMENSIONS if d not in self.classes]
        extra = [d for d in self.classes if d not in OSAI_DIMENSIONS]
        if missing or extra:
            raise ValueError(
                f"OSAI classes must name exactly the 12 dimensions; missing {missing}, unknown {extra}"
            )
        return self

    @property
    def score(self) -> float:
        """The index's own formula: open = 1, partial = 0.5, closed = 0, mean x 100."""
        weight = {"open": 1.0, "partial": 0.5, "closed": 0.0}
        return round(100 * sum(weight[c] for c in self.classes.values()) / len(self.classes), 1)


class Openness(Strict):
    """How open the model is beyond its licence: what is published, and where it is rated."""

    weights: Literal["open", "gated"]
    """'open' = downloadable without approval; 'gated' = the Hub asks for an agreement or approval."""
    technical_report: bool | None = None
    """A technical report or paper describes architecture, data and training (null = not checked)."""
    training_data: Rating | None = None
    """Training data: 'open' = datasets published, 'partial' = described or partly published,
    'closed' = not disclosed (null = not checked)."""
    training_code: Rating | None = None
    """Training code published (null = not checked)."""
    osai: OsaiRating | None = None
    """European Open Source AI Index ratings, where the index covers the family."""

    @property
    def level(self) -> "OpennessLevel":
        """The highest openness level this model reaches (requirements ``min_openness``)."""
        if self.training_data == "open" and self.training_code == "open":
            return "open_data"
        if self.technical_report and self.training_data in ("open", "partial"):
            return "documented"
        return "weights"


class EuroEvalRank(Strict):
    """A EuroEval rank score (1.0 = best; lower is better) on one language leaderboard."""

    rank: float = Field(ge=1.0)
    """Rank score on the leaderboard: 1.0 is best, lower is better."""
    leaderboard: str
    """Leaderboard file name without '_all_simplified.csv', e.g. 'german'."""
    evaluated_repo: str
    """The Hub repository EuroEval evaluated (may be the base or instruct sibling), as the
    leaderboard names the row (with its variant suffix, e.g. '#no-thinking' or '(val)')."""
    mode: str | None = None
    """The variant the row measured: 'no-thinking', 'thinking', 'low', 'medium', 'high' (reasoning
    effort), 'val' (validation splits only) or 'zero-shot'; null = the default run."""


BenchmarkGrade = Literal["independent", "publisher", "family", "base"]
"""independent = measured on this model by a third party; publisher = the publisher's own
claim for this model; family = measured on another size of the same family; base = measured on
the base model this one was tuned from. Weaker grades weigh less."""


class Benchmark(Strict):
    """A published benchmark result, with where it was read and how strong the evidence is."""

    name: str
    """Benchmark id from vocabulary.yaml ``benchmarks`` (e.g. livecodebench-v6, mmmu, ruler-128k)."""
    score: float
    """Reported score on the benchmark's own scale (see the vocabulary)."""
    grade: BenchmarkGrade = "publisher"
    """Evidence grade of the score (see BenchmarkGrade)."""
    measured_on: str | None = None
    """Hub repository that was measured, when it is not this model (grades family and base)."""
    date: YearMonth | None = None
    """Month the result was published."""
    source: Url
    note: str | None = None
    """Setting (shots, split, thinking mode) or other context."""


class Quality(Strict):
    """Evidence about output quality. Empty when none was found (the capability score then
    uses a size-based prior and says so)."""

    euroeval: dict[Language, EuroEvalRank] = Field(default_factory=dict)
    """EuroEval rank score per language (euroeval.com/leaderboards, MIT)."""
    euroeval_source: Source | None = None
    """The leaderboard snapshot the ranks were read from."""
    benchmarks: list[Benchmark] = Field(default_factory=list)
    """Other published benchmark results."""


FACT_KEYS: tuple[str, ...] = (
    "params", "architecture", "context", "weights_dtype", "languages", "tasks", "modalities", "release",
    "licence", "gated", "openness", "artefacts", "quality", "succession",
)
"""Names a source may give in ``facts``: which group of an entry's facts it supports."""
DECISION_FACTS: tuple[str, ...] = (
    "params", "architecture", "context", "weights_dtype", "languages", "tasks", "modalities", "release",
    "licence",
)
"""Fact groups every rankable model needs, each supported by a graded source."""
ArtefactFormat = Literal["BF16", "FP8", "AWQ-INT4", "GPTQ-INT4", "MXFP4", "NVFP4", "INT4", "GGUF", "MLX-4bit",
                         "MLX-8bit"]


class Artefact(Strict):
    """A downloadable set of weights for this model: the official repository, or a quantized
    repository by an allowlisted quantizer (catalogue/quantizers.yaml)."""

    format: ArtefactFormat
    """Weight format of the repository (GGUF repositories hold several quantization types)."""
    repo: str = Field(pattern=r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
    """Hugging Face repository (owner/name)."""
    by: Identifier
    """'official' (the publisher) or a quantizer id from catalogue/quantizers.yaml."""
    gguf_types: list[str] = Field(default_factory=list)
    """GGUF only: quantization types the repository offers, when read (e.g. Q4_K_M, Q8_0)."""
    source: Source
    """Where the repository was seen."""


class ModelEntry(Strict):
    """One open-weight model variant. File: catalogue/models/<publisher>/<id>.yaml."""

    id: Identifier
    """Catalogue id, equal to the file name without .yaml."""
    name: str = Field(min_length=1, max_length=200)
    """Display name, e.g. 'Llama 3.1 8B Instruct'."""
    hf_repo: str = Field(pattern=r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
    """The official Hugging Face repository of this variant (owner/name)."""
    publisher: Identifier
    """Publisher id from catalogue/publishers.yaml."""
    licence: Identifier
    """Licence id from catalogue/licences/ (the licence of this repository)."""
    inherited_licences: list[Identifier] = Field(default_factory=list)
    """Further licences whose terms also bind (e.g. the base model's licence of a distilled model)."""
    hf_licence: str
    """The Hub's license: tag as shown on the repository (e.g. 'llama3.1', 'apache-2.0', 'other')."""
    family: str
    """Family name, e.g. 'Llama 3.1', 'Qwen2.5'."""
    variant: Literal["base", "instruct", "reasoning"]
    """Base (pre-trained), instruct (chat/instruction-tuned) or reasoning (thinking) model."""
    release: YearMonth
    """Month the weights were published."""
    params_total_b: float | None = Field(None, gt=0)
    """Total parameters in billions (all experts for MoE; includes a vision encoder if shipped)."""
    params_active_b: float | None = Field(None, gt=0)
    """MoE only: parameters active per token, in billions (null for dense models)."""
    architecture: Architecture
    """Architecture facts for memory and speed estimates."""
    weights_dtype: Literal["bf16", "fp16", "fp32", "fp8", "mxfp4", "int4"] | None = None
    """Precision the official weights of this repository are published in (config.json
    torch_dtype / quantization_config). Sizing never picks a higher precision than this."""
    context_length: int | None = Field(None, ge=1)
    """Maximum context in tokens the publisher supports (with its recommended RoPE scaling)."""
    native_context_length: int | None = Field(None, ge=1)
    """Context without extra RoPE scaling, when the publisher gives one that differs."""
    modalities: list[Modality] = Field(min_length=1)
    """Input modalities (text, image, audio, video)."""
    tasks: list[Task] = Field(min_length=1)
    """Tasks the publisher built or documents the model for."""
    built_for: Specialism | None = None
    """A specialist model: what the publisher built it for when that is not general assistance
    (a speech-understanding model that also answers text, a coding agent, a translation model,
    a medical model). Read with ``tasks`` from the card; None for general assistants."""
    languages: list[Language] = Field(default_factory=list)
    """Languages the publisher states as supported (ISO 639-1)."""
    language_claim: str | None = None
    """When the publisher claims broad multilingual support without listing the languages: the
    claim in its own words (e.g. 'over 140 languages'). Languages it does not list are then
    'claimed but unconfirmed', never 'unsupported'."""
    gated: bool = False
    """The Hub repository asks users to accept terms before download."""
    eu_gated: bool = False
    """The Hub repository refuses access from the EU (extra_gated_eu_disallowed)."""
    base_model: str | None = None
    """Hub repository of the model this one was derived from (fine-tune or distillation)."""
    openness: Openness
    """What is published beyond the weights, and the OSAI rating."""
    quality: Quality = Field(default_factory=Quality)
    """Quality evidence per language, or none."""
    artefacts: list[Artefact] = Field(default_factory=list)
    """Repositories to download the weights from, official first (the deployment plan names one)."""
    superseded_by: Identifier | None = None
    """Catalogue id of the newer version of this model (same publisher and purpose)."""
    deprecated: bool = False
    """Withdrawn by the publisher; kept for reference, never recommended."""
    not_rankable: str | None = None
    """Set when a decision fact truly cannot be completed: why (the model is then excluded and
    the reason shown)."""
    notes: str | None = None
    """Free-text remarks: conflicts between sources, caveats."""
    unknown: list[str] = Field(default_factory=list)
    """Fields that could not be confirmed from a primary source and are left empty."""
    sources: list[Source] = Field(min_length=1)
    """Every page and file the entry was read from."""
    reviewed: dt.date
    """Day the entry was last checked."""

    @model_validator(mode="after")
    def _consistent(self) -> "ModelEntry":
        if self.params_active_b is not None and self.params_total_b is not None:
            if self.params_active_b > self.params_total_b:
                raise ValueError("params_active_b is larger than params_total_b")
        if (
            self.native_context_length is not None
            and self.context_length is not None
            and self.native_context_length > self.context_length
        ):
            raise ValueError("native_context_length is larger than context_length")
        return self

    @model_validator(mode="after")
    def _evidence(self) -> "ModelEntry":
        for i, source in enumerate(self.sources):
            unknown = [f for f in source.facts if f not in FACT_KEYS]
            if unknown:
                raise ValueError(f"sources.{i}.facts: unknown fact group(s) {unknown}; use {', '.join(FACT_KEYS)}")
            if "licence" in source.facts and source.grade not in ("primary", "copy"):
                raise ValueError(f"sources.{i}: which licence a model carries must rest on the publisher's own card "
                                 "or LICENSE file, or a verbatim copy of it, not grade " + repr(source.grade))
        return self

    @property
    def is_moe(self) -> bool:
        return self.params_active_b is not None

    def fact_grades(self) -> dict[str, str]:
        """The best evidence grade behind each fact group that some source supports."""
        best: dict[str, str] = {}
        for source in self.sources:
            if source.grade is None:
                continue
            for fact in source.facts:
                if fact not in best or GRADES.index(source.grade) < GRADES.index(best[fact]):
                    best[fact] = source.grade
        return best

    @functools.cached_property
    def evidence(self) -> list[tuple[str, str, Source]]:
        """(fact group, grade, best source) for each decision fact whose evidence is not primary."""
        best: dict[str, Source] = {}
        for source in self.sources:
            if source.grade is None:
                continue
            for fact in source.facts:
                held = best.get(fact)
                if held is None or GRADES.index(source.grade) < GRADES.index(held.grade or "estimate"):
                    best[fact] = source
        return [(fact, best[fact].grade or "estimate", best[fact]) for fact in DECISION_FACTS
                if fact in best and best[fact].grade != "primary"]

    @functools.cached_property
    def missing_facts(self) -> list[str]:
        """Decision facts this entry lacks (empty when complete): the model cannot be ranked."""
        a = self.architecture
        missing: list[str] = []
        if self.params_total_b is None:
            missing.append("params_total_b")
        moe = self.params_active_b is not None or a.num_experts is not None
        if moe:
            missing += [name for name, value in (("params_active_b", self.params_active_b),
                                                 ("architecture.num_experts", a.num_experts),
                                                 ("architecture.experts_per_token", a.experts_per_token))
                        if value is None]
        if a.num_hidden_layers is None:
            missing.append("architecture.num_hidden_layers")
        if a.attention is None:
            missing.append("architecture.attention")
        if a.attention == "mla":
            missing += [f"architecture.{n}" for n in ("kv_lora_rank", "qk_rope_head_dim") if getattr(a, n) is None]
        else:
            if a.num_key_value_heads is None:
                missing.append("architecture.num_key_value_heads")
            if a.head_dim is None and not (a.hidden_size and a.num_attention_heads):
                missing.append("architecture.head_dim")
        if a.attention == "hybrid" and a.full_attention_layers is None:
            missing.append("architecture.full_attention_layers")
        if a.sliding_window is not None and a.sliding_window_layers is None:
            missing.append("architecture.sliding_window_layers")
        if self.context_length is None:
            missing.append("context_length")
        if self.weights_dtype is None:
            missing.append("weights_dtype")
        if not self.languages and not self.language_claim:
            missing.append("languages")
        grades = self.fact_grades()
        missing += [f"evidence for {fact}" for fact in DECISION_FACTS if fact not in grades]
        return missing

    @property
    def multimodal(self) -> bool:
        return any(m != "text" for m in self.modalities)


# --------------------------------------------------------------------------- licences


class RevenueCap(Strict):
    """A revenue threshold above which the licence no longer grants rights (or imposes duties)."""

    amount: float = Field(gt=0)
    """Threshold amount."""
    currency: Literal["USD", "EUR"]
    """Currency of the amount."""
    period: Literal["month", "year"]
    """Period the revenue is counted over."""


class AttributionThreshold(Strict):
    """Above which size an attribution duty applies (either limit triggers it)."""

    monthly_active_users: int | None = Field(None, ge=1)
    """Monthly active users of the product above which the duty applies."""
    revenue: RevenueCap | None = None
    """Revenue above which the duty applies."""


class TerritoryExclusion(Strict):
    """Territories where the grant does not apply, to licensees domiciled there."""

    territories: list[str] = Field(min_length=1)
    """ISO 3166 alpha-2 codes, or 'EU' for every EU member state."""
    scope: Literal["all", "multimodal"]
    """'all' = the whole licence; 'multimodal' = only models that accept non-text input."""
    quote: str
    """The exact clause."""
    source: Url


class Clauses(Strict):
    """The clause vector: what the licence permits and demands, in decision-relevant terms.
    ``null`` means the text was not confirmed for this clause."""

    commercial_use: Trinary
    """'yes' = unconditional; 'restricted' = allowed under conditions (caps, use policy,
    territory); 'no' = research, personal, evaluation or non-production use only."""
    user_cap: int | None = None
    """Monthly active users above which a separate licence is needed."""
    revenue_cap: RevenueCap | None = None
    """Revenue threshold above which the licence no longer applies (null = none)."""
    attribution: Literal["none", "notice", "display"] | None
    """'notice' = keep licence/copyright notices when distributing; 'display' = prominently
    show a phrase such as 'Built with Llama' in products that use the model."""
    attribution_text: str | None = None
    """The phrase to display, when attribution is 'display'."""
    attribution_threshold: AttributionThreshold | None = None
    """When the display duty applies only above a size threshold (e.g. Kimi K2: more than 100M
    monthly active users or US$20M monthly revenue): the threshold. Null = it always applies."""
    naming: str | None = None
    """Required name prefix for distributed models trained on the model or its outputs."""
    acceptable_use_policy: bool | None
    """A use policy (prohibited uses) is part of the licence."""
    aup_flow_down: bool | None = None
    """The use restrictions must be imposed on your own users/recipients as enforceable terms."""
    output_restrictions: bool | None
    """Outputs may not be used to train/improve other models, or such models inherit the terms."""
    territory_exclusions: list[TerritoryExclusion] = Field(default_factory=list)
    """Territories whose organisations receive no rights (for all models or for multimodal ones)."""
    unilateral_change: bool | None
    """The licensor can change the terms or use policy by updating a document or URL."""
    remote_restriction: bool | None
    """The licensor reserves the right to restrict use 'remotely or otherwise'."""
    governing_law: str | None = None
    """Governing law, e.g. 'US-CA', 'FR', 'CN'; null when the licence names none."""
    patent_grant: bool | None = None
    """The licence grants patent rights explicitly."""


class Quote(Strict):
    """An exact clause quotation that decides an outcome, for explanations."""

    clause: str
    """Which clause (e.g. territory_exclusions, remote_restriction)."""
    text: str
    """The exact text."""
    source: Url


class Licence(Strict):
    """One licence. File: catalogue/licences/<id>.yaml."""

    id: Identifier
    name: str
    """Full name of the licence."""
    spdx: str = Field(pattern=r"^(LicenseRef-[A-Za-z0-9.-]+|[A-Za-z0-9.+-]+)$")
    """SPDX id, or LicenseRef-<name> for licences not on the SPDX list."""
    hf_tag: str
    """The Hub license: tag ('other' with hf_license_name for custom licences)."""
    hf_license_name: str | None = None
    """The Hub license_name when hf_tag is other."""
    url: Url
    """Canonical licence text."""
    osi_approved: bool
    """Approved by the Open Source Initiative."""
    summary: str
    """Two or three plain-language sentences for a non-lawyer."""
    clauses: Clauses
    """The clause vector: what the licence permits and demands."""
    quotes: list[Quote] = Field(default_factory=list)
    """Exact quotations of decisive clauses."""
    unknown: list[str] = Field(default_factory=list)
    """Clauses that could not be confirmed from the licence text."""
    sources: list[Source] = Field(min_length=1)
    """Licence texts and pages read."""
    reviewed: dt.date
    """Day the entry was last checked."""


# --------------------------------------------------------------------------- publishers

Bloc = Literal["eu", "eea", "ch", "uk", "us", "cn", "ca", "ae", "other", "international"]


class Publisher(Strict):
    """Who publishes models, and which law reaches them."""

    id: Identifier
    name: str
    """Short display name."""
    legal_name: str | None = None
    """Full name: legal entity, or the members of a consortium."""
    country: Country | None
    """Country of the headquarters (null for international consortia)."""
    bloc: Bloc
    """Jurisdiction bloc: eu (EU member state), eea (Iceland, Liechtenstein, Norway), ch, uk,
    us, cn, ca, ae, other, international (multi-country consortium of EU institutions)."""
    type: Literal["company", "research", "academic", "public", "nonprofit", "consortium"]
    """Kind of organisation."""
    gpai_cop: Literal["full", "safety_only", "declined", "none", "unknown"]
    """Status under the EU GPAI Code of Practice (July 2025)."""
    gpai_cop_sources: list[Source] = Field(default_factory=list)
    """Where the Code of Practice status was read (``sources`` support the rest: country, type)."""
    notes: str | None = None
    """Free-text remarks and caveats."""
    sources: list[Source] = Field(min_length=1)
    """Pages read."""
    reviewed: dt.date
    """Day the entry was last checked."""

    @property
    def in_eu(self) -> bool:
        """EU/EEA headquarters (what sovereignty.publisher_region means by 'EU')."""
        return self.bloc in ("eu", "eea") or (self.bloc == "international" and self.country is None)


class PublisherFile(Strict):
    """catalogue/publishers.yaml."""

    publishers: list[Publisher]
    """Publishers, one per id."""


# --------------------------------------------------------------------------- hardware

HardwareKind = Literal["gpu", "cpu", "unified"]
HardwareClass = Literal["laptop", "desktop", "workstation", "server", "datacentre"]
"""Where the hardware belongs: what-if suggestions stay within the user's class (and the next one up)."""


class Hardware(Strict):
    """An accelerator or machine class advisor can size models for."""

    id: Identifier
    name: str
    """Display name."""
    vendor: str
    """Manufacturer, e.g. NVIDIA, AMD, Apple."""
    kind: HardwareKind
    """gpu = discrete accelerator memory; cpu = system RAM only; unified = shared CPU/GPU memory."""
    memory_gb: float = Field(gt=0)
    """Memory in GB (10^9 bytes), as the vendor states it."""
    usable_fraction: float = Field(1.0, gt=0, le=1)
    """Share of memory_gb a model may use (unified memory reserves some for the OS)."""
    bandwidth_gbps: float = Field(gt=0)
    """Memory bandwidth in GB/s."""
    tflops_bf16: float | None = Field(None, gt=0)
    """Dense BF16/FP16 tensor throughput in TFLOP/s (no sparsity), for the prefill (time to first
    token) estimate. CPUs: the socket's dense BF16 (AMX/AVX-512) figure where the vendor gives one."""
    tflops_fp8: float | None = Field(None, gt=0)
    """Dense FP8 tensor throughput in TFLOP/s (no sparsity); null where the device has no FP8 units."""
    power_w: float | None = Field(None, gt=0)
    """Typical board power or TDP in watts (for the cost of running own hardware)."""
    hardware_class: HardwareClass | None = None
    """laptop, desktop (incl. consumer GPUs and small AI boxes), workstation, server or datacentre."""
    interconnect: Literal["pcie", "nvlink", "infinity_fabric", "none"] | None = None
    """Link between several of these devices in one machine (decides tensor-parallel efficiency)."""
    sold_as: Literal["card", "machine", "platform"] = "card"
    """card = a GPU card for a workstation or server; machine = a complete computer (Mac, AI box,
    CPU server); platform = only sold inside multi-GPU baseboards (e.g. 8-GPU HGX/OAM), never as one card."""
    price_eur: float | None = Field(None, gt=0)
    """Indicative purchase price in EUR (null when no source was found)."""
    price_note: str | None = None
    """Basis of the price (list price, date, VAT) or why it is missing."""
    price_date: dt.date | None = None
    """When the price was read or published."""
    available_new: bool | None = None
    """False when the vendor no longer sells it new (then never suggested for purchase)."""
    sources: list[Source] = Field(min_length=1)
    """Datasheets and price pages read."""
    reviewed: dt.date
    """Day the entry was last checked."""


class Machine(Strict):
    """The computer around GPU cards (workstation or server chassis, CPU, RAM, power supply), so
    a purchase prices a working machine, not only the cards."""

    id: Identifier
    name: str
    """Display name, e.g. 'tower workstation for 2 GPUs'."""
    hardware_class: HardwareClass
    """workstation or server."""
    max_gpus: int = Field(ge=1, le=16)
    """GPU cards the machine takes."""
    price_eur: float = Field(gt=0)
    """Indicative price in EUR without the GPU cards."""
    price_note: str
    """Basis of the price (configuration, VAT, date)."""
    price_date: dt.date
    """When the price was read or published."""
    power_w: float | None = Field(None, gt=0)
    """Typical power draw of the machine without GPUs, in watts."""
    sources: list[Source] = Field(min_length=1)
    """Product and price pages read."""
    reviewed: dt.date
    """Day the entry was last checked."""


class HardwareFile(Strict):
    """catalogue/hardware.yaml."""

    hardware: list[Hardware]
    """Accelerators and machines, one per id."""
    machines: list[Machine] = Field(default_factory=list)
    """Workstations and servers that host GPU cards (priced without the cards)."""


class TokenPrice(Strict):
    """A per-token price, EUR per million tokens, excluding VAT."""

    input: float = Field(ge=0)
    """EUR per million input (prompt) tokens."""
    output: float = Field(ge=0)
    """EUR per million output (generated) tokens."""


class CertificationScope(Strict):
    """What a certification of the provider covers, as the provider or certifying body states it."""

    id: str
    """Certification id from the vocabulary (e.g. secnumcloud, c5, hds)."""
    scope: str
    """The services, regions or data centres it covers."""
    date: dt.date | None = None
    """Date of issue, attestation or qualification, when stated."""
    valid_until: dt.date | None = None
    """Expiry, when stated."""
    source: Url
    """The provider's or certifying body's page."""


STALE_DAYS = 183
"""Six months: reviews, prices and the newest release older than this before the catalogue's
review date are flagged as possibly out of date."""

OfferKind = Literal["gpu_instance", "bare_metal", "managed_api"]


class HostingOffer(Strict):
    """Something an SME can rent to run a model: a GPU instance (hourly), a dedicated GPU server
    (monthly, often with a setup fee) or a managed per-token API serving catalogue models."""

    id: Identifier
    provider: str
    """Provider name."""
    provider_country: Country
    """Headquarters country of the provider (its ultimate parent for subsidiaries)."""
    cloud_act: bool
    """The provider or its parent is subject to the US CLOUD Act."""
    kind: OfferKind = "gpu_instance"
    """gpu_instance (billed by the hour), bare_metal (a dedicated server, usually monthly) or
    managed_api (the provider runs the model; billed per token)."""
    region: str
    """Data-centre region, e.g. 'fr-par-2'."""
    region_country: Country
    certifications: list[str] = Field(default_factory=list)
    """Certification ids from the vocabulary (e.g. iso27001, c5, secnumcloud, hds) that cover this offer."""
    certification_scopes: list[CertificationScope] = Field(default_factory=list)
    """For each certification: what it covers and when, from the provider's or certifying body's page."""
    accelerator: Identifier | None = None
    """Hardware id from hardware.yaml (GPU offers)."""
    count: int | None = Field(None, ge=1)
    """Accelerators in the instance (GPU offers)."""
    eur_per_hour: float | None = Field(None, gt=0)
    """On-demand price in EUR per hour for the whole instance, excluding VAT."""
    eur_per_month: float | None = Field(None, gt=0)
    """Monthly price in EUR excluding VAT, for offers billed by the month (bare metal)."""
    setup_fee_eur: float = Field(0, ge=0)
    """One-off setup fee in EUR excluding VAT (advisor spreads it over AMORTISE_MONTHS)."""
    minimum_term_months: int = Field(0, ge=0)
    """Minimum contract term in months (0 = none)."""
    eur_per_million_tokens: TokenPrice | None = None
    """Managed APIs: price per million input and output tokens."""
    models: list[Identifier] = Field(default_factory=list)
    """Managed APIs: catalogue model ids the provider serves."""
    data_use: str | None = None
    """Managed APIs: what the provider's terms say about prompts and outputs (retention, training)."""
    price_note: str | None = None
    """Basis of the price (currency, conversion, date)."""
    price_date: dt.date | None = None
    """When the price was read or published (prices older than 6 months are shown as indicative)."""
    indicative: bool = True
    """Prices change; always true: advisor shows them as indicative."""
    sources: list[Source] = Field(min_length=1)
    """Pricing, product and certification pages read."""
    reviewed: dt.date
    """Day the entry was last checked."""

    @model_validator(mode="after")
    def _priced(self) -> "HostingOffer":
        if self.kind == "managed_api":
            if self.eur_per_million_tokens is None or not self.models:
                raise ValueError("a managed_api offer needs eur_per_million_tokens and the models it serves")
        else:
            if self.accelerator is None or self.count is None:
                raise ValueError(f"a {self.kind} offer needs accelerator and count")
            if self.eur_per_hour is None and self.eur_per_month is None:
                raise ValueError(f"a {self.kind} offer needs eur_per_hour or eur_per_month")
        return self

    @property
    def monthly_eur(self) -> float:
        """Price for a month of continuous use (730 hours = 365 x 24 / 12), without setup fees."""
        if self.eur_per_month is not None:
            return round(self.eur_per_month, 2)
        return round((self.eur_per_hour or 0.0) * 730, 2)


class HostingFile(Strict):
    """catalogue/hosting.yaml."""

    offers: list[HostingOffer]
    """Rentable offers, one per id."""


class Quantizer(Strict):
    """A publisher of quantized weights advisor trusts to name in deployment plans."""

    id: Identifier
    name: str
    """Display name."""
    hf_owner: str
    """Hugging Face organisation or user that publishes the repositories."""
    formats: list[ArtefactFormat] = Field(min_length=1)
    """Formats it publishes."""
    why: str
    """Why it is on the list (who runs it, what engines test against it)."""
    sources: list[Source] = Field(min_length=1)
    """Pages read."""
    reviewed: dt.date
    """Day the entry was last checked."""


class QuantizerFile(Strict):
    """catalogue/quantizers.yaml: the allowlist of quantizers."""

    quantizers: list[Quantizer]
    """Quantizers, one per id."""


# --------------------------------------------------------------------------- vocabulary


class Term(Strict):
    label: str
    """Short label shown in the wizard and reports."""
    description: str
    """One plain-language sentence of help."""


BenchmarkTask = Literal[
    "general", "code", "agentic_code", "vision", "document", "long_context", "reasoning", "tool_use",
    "instruction_following", "translation", "speech",
]


class BenchmarkTerm(Term):
    """A benchmark whose scores can be compared across models."""

    task: BenchmarkTask
    """What it measures."""
    scale: float = 100
    """Best possible score (100 for percentages)."""
    url: Url
    """Where the benchmark is defined."""


class Vocabulary(Strict):
    """catalogue/vocabulary.yaml: every tag an entry or rule may use, with label and help."""

    tasks: dict[str, Term]
    """What a model can be used for."""
    modalities: dict[str, Term]
    """Input types."""
    licence_conditions: dict[str, Term]
    """Licence conditions an organisation can accept."""
    certifications: dict[str, Term]
    """Cloud certifications."""
    sectors: dict[str, Term]
    """Sectors of activity."""
    annex_iii_areas: dict[str, Term]
    """AI Act Annex III high-risk areas."""
    openness_levels: dict[str, Term]
    """Openness levels for requirements."""
    hosting_modes: dict[str, Term]
    """Where a model may run."""
    benchmarks: dict[str, BenchmarkTerm] = Field(default_factory=dict)
    """Benchmarks a catalogue entry may cite in quality.benchmarks."""
