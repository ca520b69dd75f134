"""Rules and rule test cases: data, never code.

A rule file ``rules/<dimension>/<id>.yaml`` holds one rule; its example cases sit beside it
in ``<id>.test.yaml``. Conditions are structured (``all`` / ``any`` / ``not`` over
``{field, op, value | ref}``); field paths start with one of the roots

- ``req``         the requirements (schema v1)
- ``model``       the catalogue entry
- ``licence``     the licence facts (the entry's licence merged with inherited ones)
- ``publisher``   the publisher
- ``deployment``  the compute plan advisor found (memory, speed, cost, hosting)
- ``derived``     facts advisor derives (language and task coverage, quality, openness)

and are resolved against the schemas when the rule is loaded.
"""

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, model_validator

from .advice import RuleDimension
from .common import Identifier, Strict, Url

Operator = Literal[
    "eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "contains", "not_contains",
    "contains_any", "contains_all", "exists", "missing", "empty", "not_empty",
]
OPERATORS: tuple[str, ...] = Operator.__args__  # type: ignore[attr-defined]


class Compare(Strict):
    """A comparison of one fact with a constant (``value``) or with another fact (``ref``)."""

    field: str = Field(pattern=r"^[a-z_]+(\.[a-z0-9_]+)+$")
    """Dotted path, e.g. 'licence.clauses.user_cap' or 'req.use_case.context_tokens'."""
    op: Operator
    """eq ne lt le gt ge (compare), in not_in (field value in a list), contains not_contains
    contains_any contains_all (field is a list), exists missing (null test), empty not_empty."""
    value: Any = None
    """The constant to compare with."""
    ref: str | None = Field(None, pattern=r"^[a-z_]+(\.[a-z0-9_]+)+$")
    """A second path to compare with, instead of a constant."""

    @model_validator(mode="after")
    def _operand(self) -> "Compare":
        unary = self.op in ("exists", "missing", "empty", "not_empty")
        if unary and (self.value is not None or self.ref is not None):
            raise ValueError(f"op {self.op!r} takes no value or ref")
        if not unary and (self.value is None) == (self.ref is None):
            raise ValueError(f"op {self.op!r} needs exactly one of value or ref")
        return self


class AllOf(Strict):
    all: "list[Condition]" = Field(min_length=1)
    """True when every condition is true."""


class AnyOf(Strict):
    any: "list[Condition]" = Field(min_length=1)
    """True when at least one condition is true."""


class NotOf(Strict):
    not_: "Condition" = Field(alias="not")
    """True when the condition is false."""


def _condition_kind(value: Any) -> str:
    if isinstance(value, dict):
        for key in ("all", "any", "not"):
            if key in value:
                return key
        return "compare"
    return {AllOf: "all", AnyOf: "any", NotOf: "not"}.get(type(value), "compare")


Condition = Annotated[
    Annotated[Compare, Tag("compare")] | Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")] | Annotated[NotOf, Tag("not")],
    Discriminator(_condition_kind),
]


Actor = Literal["organisation", "deployer", "provider", "hosting_provider", "publisher"]


class ObligationEffect(Strict):
    article: str
    """The provision, e.g. 'AI Act Art. 50(1)', 'GDPR Art. 35', 'Llama 3.1 licence §1.b.i'."""
    actor: Actor = "organisation"
    """Who must act: your organisation (e.g. as GDPR controller), you as deployer, you as provider,
    your hosting provider, or the model's publisher."""
    applies_from: dt.date | None = None
    """The date the provision applies from (as the law now stands)."""
    originally_from: dt.date | None = None
    """The date the original text set, when a later act moved it (e.g. the Digital Omnibus on AI)."""
    date_note: str | None = None
    """What moved the date and its legislative status, with the amending act."""
    exposure: bool = False
    """A liability exposure (e.g. product liability) rather than a duty to act."""


class Effect(Strict):
    """What the rule does when it matches: exactly one of exclude, points, points_from, warn,
    obligation."""

    exclude: bool = False
    """Hard constraint: the model is excluded."""
    points: float | None = Field(None, ge=-100, le=100)
    """Fixed points added to the rule's dimension (negative to subtract)."""
    points_from: str | None = Field(None, pattern=r"^[a-z_]+(\.[a-z0-9_]+)+$")
    """A numeric fact whose value (times ``scale``) is added to the dimension."""
    scale: float = 1.0
    """Multiplier for points_from."""
    warn: bool = False
    """Attach a warning to the model (no points)."""
    obligation: ObligationEffect | None = None
    """A duty the organisation takes on."""

    @model_validator(mode="after")
    def _exactly_one(self) -> "Effect":
        chosen = [self.exclude, self.points is not None, self.points_from is not None, self.warn,
                  self.obligation is not None]
        if sum(chosen) != 1:
            raise ValueError("effect needs exactly one of: exclude, points, points_from, warn, obligation")
        return self

    @property
    def kind(self) -> str:
        if self.exclude:
            return "exclude"
        if self.warn:
            return "warn"
        if self.obligation is not None:
            return "obligation"
        return "points"


class Lever(Strict):
    """The change to the requirements that would lift an exclusion, so the explanation can say
    what would change the answer (and check it by re-scoring)."""

    kind: Literal[
        "accept_condition", "commercial_use", "hardware", "monthly_budget", "hardware_budget",
        "publisher_region", "excluded_countries", "min_openness", "require_osi", "context",
        "hosting_mode", "certifications",
    ]
    """What to change in the requirements."""
    value: str | None = None
    """For accept_condition: the condition to accept."""


Cite = Literal["model", "licence", "publisher", "publisher_cop", "deployment", "quality", "openness"]


class Rule(Strict):
    """One rule."""

    id: Identifier
    """Unique id, equal to the file name."""
    dimension: RuleDimension
    """licence, sovereignty, compute, capability, cost, openness, or obligations."""
    description: str = Field(min_length=10)
    """What the rule checks and why, for people maintaining rules."""
    when: Condition | None = None
    """Condition on the requirements only (``req.*``); the rule is skipped when false."""
    match: Condition | None = None
    """Condition on the model's facts; the effect applies when true."""
    effect: Effect
    """What happens when the rule matches."""
    message: str = Field(min_length=5)
    """Template shown to the user; {placeholders} name fact paths, e.g. {model.name}."""
    short: str | None = None
    """Exclusion rules: a short cause used when the summary groups excluded models
    (e.g. 'non-commercial licence')."""
    references: list[Url] = Field(min_length=1)
    """Where the rule's reasoning comes from (licence text, AI Act article, report)."""
    cite: list[Cite] = Field(default_factory=list)
    """Fact sources to attach to the reason: the model's, licence's, publisher's or hosting
    offer's sources, the quality evidence, or the openness index."""
    lever: Lever | None = None
    """Exclusion rules: the requirement change that would lift the exclusion."""
    owner: str = "advisor"
    """Who maintains the rule (an organisation's overlay names itself)."""


class DimensionSpec(Strict):
    base: float = Field(ge=0, le=100)
    """Score every model starts from before the dimension's rules add or subtract points."""
    multiplier: float = Field(1.0, gt=0, le=10)
    """How much the dimension counts per priority level: its weight in the total is the priority
    (0-5) times this multiplier."""
    label: str
    description: str


class Dimensions(Strict):
    """rules/dimensions.yaml: base score, label and help per dimension."""

    licence: DimensionSpec
    sovereignty: DimensionSpec
    compute: DimensionSpec
    capability: DimensionSpec
    cost: DimensionSpec
    openness: DimensionSpec


class CaseExpect(Strict):
    matches: bool
    """True: the rule must fire (its when and match hold); False: it must not."""
    message_contains: str | None = None
    """A fragment the rendered message must contain (when it matches)."""
    points: float | None = None
    """The points the rule must give (when it matches)."""


class RuleCase(Strict):
    """One example: requirements + a catalogue entry (with optional patches) -> expectation."""

    name: str
    """What the case shows."""
    requirements: dict[str, Any] = Field(default_factory=dict)
    """Requirements (use_case.tasks defaults to [chat] when omitted)."""
    model: str
    """Catalogue id of the model to test against."""
    model_patch: dict[str, Any] = Field(default_factory=dict)
    """Changes to the model entry, e.g. {modalities: [text, image]}."""
    licence_patch: dict[str, Any] = Field(default_factory=dict)
    """Changes to the licence facts (nested: {clauses: {user_cap: null}})."""
    publisher_patch: dict[str, Any] = Field(default_factory=dict)
    """Changes to the publisher facts."""
    deployment_patch: dict[str, Any] = Field(default_factory=dict)
    """Changes to the deployment facts, e.g. {status: over_budget}."""
    derived_patch: dict[str, Any] = Field(default_factory=dict)
    """Changes to the derived facts."""
    expect: CaseExpect
    """What must happen."""
    todo: bool = False
    """A known gap: the case is reported but does not fail."""


class RuleTests(Strict):
    """<id>.test.yaml."""

    cases: list[RuleCase] = Field(min_length=2)
    """Examples: at least one that matches and one that does not."""
