"""Requirements, schema version 1: what an organisation needs from a model.

The wizard, the CLI, batch rows and the Python API all produce this one object. Every field
except ``use_case.tasks`` has a default, chosen for a typical European SME.
"""

from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from .catalogue import HardwareKind, OpennessLevel, Task
from .common import Country, Language, Strict

Sector = Literal[
    "health", "finance", "insurance", "legal", "public", "education", "manufacturing",
    "retail", "energy", "transport", "it", "media", "research", "other",
]
EndUsers = Literal["internal", "customers", "public"]
Confidentiality = Literal["public", "internal", "confidential", "secret"]
AnnexIIIArea = Literal[
    "none", "biometrics", "critical_infrastructure", "education", "employment",
    "essential_services", "credit_scoring", "insurance_pricing", "law_enforcement",
    "migration", "justice_democracy",
]
Condition = Literal[
    "attribution", "naming", "acceptable_use_policy", "user_cap", "revenue_cap",
    "output_restrictions", "remote_restriction",
]
CONDITIONS: tuple[str, ...] = Condition.__args__  # type: ignore[attr-defined]
PublisherRegion = Literal["eu_required", "eu_preferred", "any"]
HostingMode = Literal["on_premises", "eu_sovereign_cloud", "eu_cloud", "any"]
Certification = Literal[
    "iso27001", "iso27017", "iso27018", "c5", "secnumcloud", "hds", "soc2", "bsi-grundschutz", "ens",
]

T = TypeVar("T")


def _unique(values: list[T]) -> list[T]:
    """The list without repeats, in first-seen order (repeats never multiply work or output)."""
    return list(dict.fromkeys(values))


def Unique(item: Any, max_length: int) -> Any:
    """A list of ``item`` with at most ``max_length`` entries, repeats dropped."""
    return Annotated[list[item], Field(max_length=max_length), AfterValidator(_unique)]


DEFAULT_ACCEPT: tuple[Condition, ...] = (
    "attribution", "naming", "acceptable_use_policy", "user_cap", "revenue_cap", "output_restrictions",
    "remote_restriction",
)


class Organisation(Strict):
    """Who is asking."""

    name: str | None = Field(None, max_length=200)
    """Organisation name (shown in reports only)."""
    country: Country | None = None
    """Country of the organisation's principal place of business (ISO 3166 alpha-2). Decides
    territorial licence clauses, e.g. the Llama 3.2+/4 exclusion of EU-based companies from
    multimodal models. Null = not stated (such clauses are then flagged, not decided)."""
    sector: Sector = "other"
    """Sector of activity."""
    employees: int | None = Field(None, ge=1, le=10_000_000)
    """Number of employees."""
    nis2: Literal["essential", "important", "none", "unknown"] = "unknown"
    """Your NIS2 status, if you know it. Unknown: advisor infers it from sector and size and says
    'likely' or 'unlikely', never as fact."""


class UseCase(Strict):
    """What the model will do, for whom and at what load."""

    tasks: Unique(Task, 20) = Field(min_length=1)
    """What the model must do: chat, document_qa, summarisation, translation, code,
    extraction, classification, agents, vision."""
    languages: Unique(Language, 50) = Field(default_factory=lambda: ["en"], min_length=1)
    """Languages of the inputs and outputs (ISO 639-1)."""
    context_tokens: int = Field(8192, ge=256, le=10_000_000)
    """Longest input plus answer one request needs, in tokens (about 0.75 words per token;
    a page of text is roughly 500-700 tokens)."""
    concurrent_users: int = Field(1, ge=1, le=100_000)
    """People (or processes) who use the model, e.g. the staff of a department. Not all of them
    send a request at the same moment: see simultaneous_requests."""
    simultaneous_requests: int | None = Field(None, ge=1, le=100_000)
    """Peak number of requests being answered at the same moment, if you know it. Default: half the
    users for interactive use, every user for batch extraction or classification."""
    monthly_tokens: int | None = Field(None, ge=1, le=10**13)
    """Tokens a month (prompts and answers together), if you know them; prices per-token APIs.
    Default: an estimate from the users (20 requests per user and working day, 21 working days,
    each the typical request size plus a 400-token answer), shown with the plan."""
    end_users: EndUsers = "internal"
    """Who talks to the model: internal staff, customers, or the public."""
    publishes_to_public: bool = False
    """AI-generated or manipulated text is published to inform the public on matters of public
    interest (AI Act Art. 50(4))."""


class Data(Strict):
    """What data the model will see."""

    personal_data: bool = False
    """Prompts or documents contain personal data (GDPR)."""
    special_category: bool = False
    """Special-category data (GDPR Art. 9): health, biometric, religion, ethnicity, ..."""
    confidentiality: Confidentiality = "internal"
    """Highest confidentiality class of the data processed."""


class Regulation(Strict):
    """Regulatory context."""

    annex_iii_area: AnnexIIIArea = "none"
    """AI Act Annex III high-risk area of the use case, or none."""
    role: Literal["deployer", "provider", "both"] = "deployer"
    """deployer: you use an AI system under your authority; provider: you place it on the market or
    put it into service under your own name or trademark (e.g. you sell an HR screening tool);
    both: you build it yourself and use it."""
    medical_purpose: bool = False
    """The software is intended for diagnosis, prevention, monitoring, prediction, prognosis or
    treatment of disease (medical device software under the MDR/IVDR)."""


class LicenceNeeds(Strict):
    """What the organisation needs to be allowed to do, and which licence conditions it accepts."""

    commercial_use: bool = True
    """Used in a business (including internal business use)."""
    will_fine_tune: bool = False
    """Will train the model further (or train other models on its outputs)."""
    will_redistribute: bool = False
    """Will pass the weights (or a fine-tuned model) to others."""
    accept: Unique(Condition, 20) = Field(default_factory=lambda: list(DEFAULT_ACCEPT))
    """Licence conditions the organisation accepts. Not accepting one excludes the models whose
    licence imposes it (where it applies to your use). Default: all of them; the licensor's right
    to restrict use remotely still costs points and is flagged, so leave it out to exclude such
    models."""
    require_osi: bool = False
    """Only OSI-approved licences (Apache-2.0, MIT, ...)."""


class Sovereignty(Strict):
    """Which jurisdictions are acceptable."""

    publisher_region: PublisherRegion = "any"
    """eu_required: only publishers headquartered in the EU/EEA; eu_preferred: score them higher."""
    excluded_countries: Unique(Country, 250) = Field(default_factory=list)
    """Publishers headquartered in these countries are excluded (ISO 3166 alpha-2)."""
    min_openness: OpennessLevel = "weights"
    """weights: downloadable weights suffice; documented: also a technical report describing
    data and training; open_data: training data and code published too."""


class HardwareRef(Strict):
    """Hardware from catalogue/hardware.yaml."""

    accelerator: str = Field(min_length=1)
    """Hardware id, e.g. nvidia-l40s (see `advisor catalogue list` / hardware.yaml)."""
    count: int = Field(1, ge=1, le=64)
    """How many of them."""


class InlineHardware(Strict):
    """Hardware described by hand."""

    name: str = Field(min_length=1, max_length=100)
    """A name for it, e.g. office server."""
    kind: HardwareKind
    """gpu, cpu (system RAM only) or unified (Apple-style shared memory)."""
    memory_gb: float = Field(ge=0.1, le=100_000)
    """Memory per device in GB (10^9 bytes), at least 0.1."""
    bandwidth_gbps: float = Field(ge=1, le=100_000)
    """Memory bandwidth per device in GB/s, at least 1."""
    count: int = Field(1, ge=1, le=64)
    """How many of them."""


def _hardware_kind(value: object) -> str:
    if isinstance(value, dict):
        return "ref" if "accelerator" in value else "inline"
    return "ref" if isinstance(value, HardwareRef) else "inline"


HardwareSpec = Annotated[
    Annotated[HardwareRef, Tag("ref")] | Annotated[InlineHardware, Tag("inline")],
    Discriminator(_hardware_kind),
]


class Hosting(Strict):
    """Where the model will run."""

    mode: HostingMode = "any"
    """on_premises: your own hardware; eu_sovereign_cloud: EU-headquartered provider without
    US CLOUD Act exposure; eu_cloud: any provider's EU region; any: whatever fits best."""
    hardware: list[HardwareSpec] = Field(default_factory=list, max_length=16)
    """Hardware you have (on premises). Empty with on_premises: advisor suggests what to buy."""
    certifications: Unique(Certification, 20) = Field(default_factory=list)
    """Certifications a cloud provider must hold (e.g. c5, secnumcloud, iso27001)."""


class Budget(Strict):
    """Money available."""

    monthly_eur: float | None = Field(None, ge=0, le=100_000_000)
    """Monthly budget for hosting in EUR (null = no limit given)."""
    hardware_eur: float | None = Field(None, ge=0, le=100_000_000)
    """One-off budget for buying hardware in EUR (null = no limit given)."""
    amortisation_months: int = Field(36, ge=1, le=120)
    """Months over which bought hardware is written off when its cost is compared per month with
    rentals and per-token APIs."""
    electricity_eur_per_kwh: float = Field(0.25, ge=0, le=5)
    """Electricity price for hardware you run yourself (EUR per kWh, excl. VAT); set your own."""


Weight = Annotated[int, Field(ge=0, le=5)]


class Priorities(Strict):
    """How much each dimension counts in the total (0 = ignore, 5 = most important)."""

    licence: Weight = 3
    """Licence: may you use it as planned, and under which conditions."""
    sovereignty: Weight = 3
    """Sovereignty: who publishes it, which law reaches it, where it runs."""
    compute: Weight = 3
    """Compute fit: memory headroom and speed on your hardware or the rented instance."""
    capability: Weight = 3
    """Capability: fit for your tasks and languages, with quality evidence where it exists."""
    cost: Weight = 3
    """Cost: monthly hosting or hardware cost against your budget."""
    openness: Weight = 1
    """Openness: published training data, code and documentation (OSAI index)."""

    @model_validator(mode="after")
    def _not_all_zero(self) -> "Priorities":
        if not any(getattr(self, name) for name in type(self).model_fields):
            raise ValueError("at least one priority must be above 0")
        return self


class Requirements(Strict):
    """Requirements, schema version 1."""

    model_config = ConfigDict(extra="forbid", frozen=True,
                              allow_inf_nan=False, defer_build=True,
                              title="advisor requirements (schema_version 1)")

    schema_version: Literal[1] = 1
    """Always 1."""
    organisation: Organisation = Field(default_factory=Organisation)
    """Who is asking."""
    use_case: UseCase
    """What the model will do."""
    data: Data = Field(default_factory=Data)
    """What data it will see."""
    regulation: Regulation = Field(default_factory=Regulation)
    """Regulatory context."""
    licence: LicenceNeeds = Field(default_factory=LicenceNeeds)
    """Licence needs and accepted conditions."""
    sovereignty: Sovereignty = Field(default_factory=Sovereignty)
    """Acceptable jurisdictions and openness."""
    hosting: Hosting = Field(default_factory=Hosting)
    """Where it will run."""
    budget: Budget = Field(default_factory=Budget)
    """Money available."""
    priorities: Priorities = Field(default_factory=Priorities)
    """Weight of each dimension in the total."""

    def replace(self, **changes: object) -> "Requirements":
        """A copy with dotted-path changes, validated: ``req.replace(**{"budget.monthly_eur": 900})``."""
        data = self.model_dump(mode="json")
        for path, value in changes.items():
            node = data
            *parents, last = path.split(".")
            for key in parents:
                node = node[key]
            node[last] = value.model_dump(mode="json") if isinstance(value, BaseModel) else value
        return Requirements.model_validate(data)
