"""Licence audit of models already in use: ``advisor audit INVENTORY``.

An inventory lists the models an organisation runs (catalogue id or Hugging Face repository),
what for, and whether the use is commercial or the weights are passed on. Each row is checked
with the same licence rules that rank models (territory exclusions, non-commercial terms,
revenue and user caps, attribution and naming duties, use-policy flow-down), plus any policy
overlay given with ``--rules``: a rule that would exclude the model is an **error**, a licence
warning or a licence condition that costs points is a **warning**, a duty the licence imposes
is a **note**. Models the catalogue does not hold are reported as **unknown**, never as clean.
Every finding quotes the clause where the catalogue holds its text and names a compliant
alternative for the same task.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from .catalogue import Catalogue
from .documents import LineMap, load_document, read_text, validation_problems
from .engine.advice import advise
from .engine.evaluate import Evaluator
from .engine.loader import RuleSet
from .errors import Problem, RequirementsError
from .schema.catalogue import ModelEntry
from .schema.common import Country, Strict
from .schema.requirements import Requirements

Severity = Literal["error", "warning", "note", "unknown"]
SARIF_LEVEL = {"error": "error", "warning": "warning", "note": "note", "unknown": "warning"}
LICENCE_DIMENSIONS = {"licence"}
WARNING_POINTS = -5
"""A licence condition that costs at least this many points is a warning; a smaller one a note."""
DERIVED_CLAUSES = {"territory_excluded": "territory_exclusions", "territory_unclear": "territory_exclusions"}
TRUE, FALSE = {"true", "yes", "1", "y"}, {"false", "no", "0", "n", ""}


class InventoryModel(Strict):
    model: str = Field(min_length=1, max_length=200)
    """A catalogue id or a Hugging Face repository (owner/name)."""
    use: str = Field("", max_length=500)
    """What it is used for, in your words."""
    commercial_use: bool = True
    """Used in a business, including internal business use."""
    redistributed: bool = False
    """The weights (or a fine-tuned model) are passed on to others."""
    end_users: Literal["internal", "customers", "public"] = "internal"
    """Who sees its output: internal staff, customers, the public."""


class InventoryOrganisation(Strict):
    country: Country | None = None
    """Principal place of business (ISO 3166 alpha-2): decides territorial clauses."""


class Inventory(Strict):
    organisation: InventoryOrganisation = Field(default_factory=InventoryOrganisation)
    models: list[InventoryModel] = Field(min_length=1, max_length=10_000)


@dataclass
class Finding:
    row: int
    """1-based position in the inventory."""
    line: int | None
    model: str
    """As written in the inventory."""
    catalogue_id: str | None
    use: str
    severity: Severity
    rule: str
    message: str
    quote: str | None = None
    source: str | None = None
    fix: str | None = None
    sources: list[str] = field(default_factory=list)


@dataclass
class AuditReport:
    inventory: str
    country: str | None
    checked: int
    findings: list[Finding]

    @property
    def failing(self) -> bool:
        """Errors, warnings or unknown models: exit 3."""
        return any(f.severity != "note" for f in self.findings)

    def to_json(self) -> dict[str, Any]:
        counts = {s: sum(f.severity == s for f in self.findings) for s in ("error", "warning", "note", "unknown")}
        return {"inventory": self.inventory, "country": self.country, "models_checked": self.checked,
                "counts": counts, "findings": [asdict(f) for f in self.findings]}


# ---------------------------------------------------------------------------- reading


def read_inventory(path: str | Path, country: str | None = None) -> tuple[Inventory, LineMap]:
    """A YAML/JSON inventory, or a CSV with columns model,use,commercial_use,redistributed
    (optional end_users) and the country given separately. Errors name file, line and field."""
    name = str(path)
    if name.lower().endswith(".csv"):
        data, lines = _csv_inventory(read_text(path, error=RequirementsError), name)
    else:
        data, lines = load_document(path, error=RequirementsError)
    if not isinstance(data, dict):
        raise RequirementsError([Problem("expected a mapping with 'models:'", file=name, line=1)])
    if country is not None:
        data = {**data, "organisation": {**(data.get("organisation") or {}), "country": country}}
    try:
        return Inventory.model_validate(data), lines
    except ValidationError as exc:
        raise RequirementsError(validation_problems(exc, name, lines, (), Inventory)) from None


def _csv_inventory(text: str, name: str) -> tuple[dict[str, Any], LineMap]:
    reader = csv.DictReader(io.StringIO(text))
    missing = {"model"} - set(reader.fieldnames or [])
    if missing:
        raise RequirementsError([Problem("missing column 'model' (columns: model,use,commercial_use,redistributed)",
                                         file=name, line=1)])
    models, lines = [], LineMap()
    for i, row in enumerate(reader):
        line = reader.line_num
        item: dict[str, Any] = {"model": (row.get("model") or "").strip(), "use": (row.get("use") or "").strip()}
        for column in ("commercial_use", "redistributed"):
            raw = (row.get(column) or "").strip().lower()
            if raw not in TRUE | FALSE:
                raise RequirementsError([Problem(f"{column}: expected true or false, got {row.get(column)!r}",
                                                 file=name, line=line)])
            item[column] = raw in TRUE if raw else column == "commercial_use"
        if (row.get("end_users") or "").strip():
            item["end_users"] = row["end_users"].strip()
        models.append(item)
        lines.lines[("models", i)] = line
    return {"models": models}, lines


# ---------------------------------------------------------------------------- checking


def resolve(catalogue: Catalogue, name: str) -> ModelEntry | None:
    """A catalogue model by id or Hugging Face repository (case-insensitive)."""
    key = name.strip().lower()
    if key in catalogue.models:
        return catalogue.models[key]
    return next((m for m in catalogue.models.values() if m.hf_repo.lower() == key), None)


def audit(inventory: Inventory, catalogue: Catalogue, rules: RuleSet, *, name: str = "inventory",
          lines: LineMap | None = None) -> AuditReport:
    lines = lines or LineMap()
    country = inventory.organisation.country
    findings: list[Finding] = []
    by_id = {r.rule.id: r.rule for r in rules.rules}
    alternatives: dict[tuple[Any, ...], str | None] = {}
    for i, item in enumerate(inventory.models):
        line = lines.line_of(("models", i))
        model = resolve(catalogue, item.model)
        base = dict(row=i + 1, line=line, model=item.model, use=item.use)
        if model is None:
            findings.append(Finding(**base, catalogue_id=None, severity="unknown", rule="audit-unknown-model",
                                    message=f"{item.model} is not in advisor's catalogue: its licence was not checked. "
                                            "Read its licence (or add it with 'advisor catalogue import') before "
                                            "treating it as clean."))
            continue
        req = _requirements(item, model, country)
        ev = Evaluator(req, catalogue, rules)
        # only licence rules and the organisation's own policy decide here: a model that would not fit
        # some hardware, or whose record lacks a sizing fact, is still audited for its licence
        ev.exclusions = [(i, r) for i, r in ev.exclusions if r.rule.dimension in LICENCE_DIMENSIONS or _is_policy(r.rule)]
        row_findings = _from_trace(ev.trace(model), catalogue, model, by_id)
        if any(f[0] in ("error", "warning") for f in row_findings):
            key = (country, tuple(req.use_case.tasks), item.commercial_use, item.redistributed, item.end_users)
            if key not in alternatives:
                alternatives[key] = _alternative(req, catalogue, rules, model)
            fix = alternatives[key]
        else:
            fix = None
        for severity, rule, message, quote, source, sources in row_findings:
            findings.append(Finding(**base, catalogue_id=model.id, severity=severity, rule=rule, message=message,
                                    quote=quote, source=source, sources=sources,
                                    fix=fix if severity in ("error", "warning") else None))
    order = {"error": 0, "unknown": 1, "warning": 2, "note": 3}
    findings.sort(key=lambda f: (order[f.severity], f.row, f.rule))
    return AuditReport(name, country, len(inventory.models), findings)


def _requirements(item: InventoryModel, model: ModelEntry, country: str | None) -> Requirements:
    tasks = ["vision"] if "image" in model.modalities and "vision" in model.tasks else [model.tasks[0]]
    return Requirements.model_validate({
        "organisation": {"country": country},
        "use_case": {"tasks": tasks, "end_users": item.end_users},
        "licence": {"commercial_use": item.commercial_use, "will_redistribute": item.redistributed},
    })


def _from_trace(trace: Any, catalogue: Catalogue, model: ModelEntry, by_id: dict[str, Any]) -> list[tuple[Any, ...]]:
    """(severity, rule, message, quote, source, sources) for the licence findings of one trace."""
    out = []
    for x in trace.exclusions:
        if x.dimension in LICENCE_DIMENSIONS or _is_policy(by_id.get(x.rule)):
            out.append(("error", x.rule, x.message, *_quote(catalogue, model, by_id.get(x.rule)), list(x.sources)))
    for x in trace.reasons:
        if x.dimension in LICENCE_DIMENSIONS and x.points < 0:
            out.append(("warning" if x.points <= WARNING_POINTS else "note", x.rule, x.message, *_quote(catalogue, model, by_id.get(x.rule)), list(x.sources)))
    for w in trace.warnings:
        rule = by_id.get(w.rule)
        if rule is not None and (rule.dimension in LICENCE_DIMENSIONS or _is_policy(rule)):
            out.append(("warning", w.rule, w.message, *_quote(catalogue, model, rule), list(w.sources)))
    for o in trace.obligations:
        out.append(("note", o.id, o.message, *_quote(catalogue, model, by_id.get(o.id)), list(o.sources)))
    return out


def _is_policy(rule: Any) -> bool:
    """A rule from an organisation's overlay (not advisor's own)."""
    return rule is not None and rule.owner != "advisor"


def _quote(catalogue: Catalogue, model: ModelEntry, rule: Any) -> tuple[str | None, str | None]:
    """The licence's own words for the clause a rule tests, where the catalogue holds them."""
    if rule is None:
        return None, None
    clauses = _clauses(rule.match.model_dump(by_alias=True) if rule.match is not None else {})
    for lid in [model.licence, *model.inherited_licences]:
        for q in catalogue.licences[lid].quotes:
            if q.clause in clauses:
                return q.text, q.source
    return None, None


def _clauses(condition: Any) -> set[str]:
    if isinstance(condition, dict):
        found = set()
        value = condition.get("field")
        if isinstance(value, str) and value.startswith("licence.clauses."):
            found.add(value.split(".")[2])
        elif isinstance(value, str) and value.startswith("derived.") and value[8:] in DERIVED_CLAUSES:
            found.add(DERIVED_CLAUSES[value[8:]])
        for v in condition.values():
            found |= _clauses(v)
        return found
    if isinstance(condition, list):
        return set().union(*(_clauses(v) for v in condition)) if condition else set()
    return set()


def _alternative(req: Requirements, catalogue: Catalogue, rules: RuleSet, model: ModelEntry) -> str | None:
    """The best-ranked model for the same task whose licence raises no error or warning."""
    advice = advise(Evaluator(req, catalogue, rules), explain=False)
    for r in advice.ranking:
        if r.model == model.id:
            continue
        if all(x.points >= 0 for x in r.reasons if x.dimension in LICENCE_DIMENSIONS):
            lic = catalogue.licence_facts[r.model]
            return f"{r.name} ({r.model}, {lic.name}) for the same task ({', '.join(req.use_case.tasks)})"
    return None


# ---------------------------------------------------------------------------- output


UNKNOWN_DESCRIPTION = "The model is not in advisor's catalogue, so its licence was not checked."


def to_sarif(report: AuditReport, version: str, rules: RuleSet) -> dict[str, Any]:
    """SARIF 2.1.0: one result per finding, located at the inventory line of its model."""
    rule_ids = sorted({f.rule for f in report.findings})
    descriptions = {r.rule.id: r.rule.description for r in rules.rules} | {"audit-unknown-model": UNKNOWN_DESCRIPTION}
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "advisor", "version": version,
                "rules": [{"id": r, "shortDescription": {"text": r.replace("-", " ")},
                           "fullDescription": {"text": descriptions[r]}} for r in rule_ids],
            }},
            "results": [{
                "ruleId": f.rule,
                "ruleIndex": rule_ids.index(f.rule),
                "level": SARIF_LEVEL[f.severity],
                "message": {"text": _sarif_text(f)},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": report.inventory},
                    **({"region": {"startLine": f.line}} if f.line else {}),
                }}],
                "properties": {"model": f.model, "catalogueId": f.catalogue_id, "use": f.use,
                               "severity": f.severity, "quote": f.quote, "fix": f.fix, "sources": f.sources},
            } for f in report.findings],
        }],
    }


def _sarif_text(f: Finding) -> str:
    text = f"{f.model}: {f.message}"
    if f.fix:
        text += f" Compliant alternative: {f.fix}."
    return text


def to_markdown(report: AuditReport) -> str:
    from .render.markdown import md

    counts = report.to_json()["counts"]
    out = [f"# Licence audit of {md(report.inventory)}", "",
           f"{report.checked} models checked for an organisation in {report.country or 'an unstated country'}: "
           f"{counts['error']} errors, {counts['warning']} warnings, {counts['unknown']} unknown, {counts['note']} notes.",
           ""]
    for f in report.findings:
        out.append(f"- **{f.severity}** `{md(f.rule)}` — {md(f.model)}"
                   + (f" ({md(f.use)})" if f.use else "") + f": {md(f.message)}")
        if f.quote:
            out.append(f"  > {md(f.quote)}")
        if f.fix:
            out.append(f"  Fix: use {md(f.fix)}.")
    if not report.findings:
        out.append("No findings.")
    out += ["", "Not legal advice: check licence terms with counsel.", ""]
    return "\n".join(out)
