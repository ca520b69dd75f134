"""The compiled rule programs against the reference evaluation.

An evaluator decides each rule's comparisons that read only catalogue facts once per model
(``conditions.fold``) and evaluates only what is left; the reference (``compiled=False``)
evaluates every condition whole. Both must agree on everything they produce: every total,
dimension score, exclusion and its first rule, message, source and lever, byte for byte in
``recommend --format json`` and in batch output.
"""

from __future__ import annotations

import json
import typing

import pytest
import yaml
from conftest import EXAMPLES, ROOT, minimal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import advisor
from advisor.batch import score_lines
from advisor.engine import evaluate
from advisor.engine.advice import advise
from advisor.engine.evaluate import Evaluator
from advisor.engine.ruletests import run_rule_tests
from advisor.schema import requirements as schema
from advisor.schema.catalogue import Task


def choices(literal: object) -> st.SearchStrategy:
    return st.sampled_from(typing.get_args(literal))


def some(literal: object, max_size: int = 3, min_size: int = 0) -> st.SearchStrategy:
    return st.lists(choices(literal), min_size=min_size, max_size=max_size, unique=True)


COUNTRIES = ["DE", "FR", "AT", "IT", "NL", "CH", "PL", "ES", "SE", "US", "CN", "GB"]
LANGUAGES = ["de", "fr", "it", "es", "nl", "pl", "en", "sv", "cs", "fi", "ga", "ja"]
HARDWARE = ["nvidia-l40s", "nvidia-rtx-4090", "nvidia-h100-80gb", "nvidia-l4", "nvidia-a100-80gb"]


@st.composite
def requirements(draw: st.DrawFn) -> dict:
    """Valid requirements over every section the rules and the planner read."""
    mode = draw(choices(schema.HostingMode))
    hardware: list[dict] = []
    if mode in ("on_premises", "any") and draw(st.booleans()):
        hardware = [draw(st.fixed_dictionaries({"accelerator": st.sampled_from(HARDWARE),
                                                "count": st.sampled_from([1, 2, 4])}))]
        if draw(st.integers(0, 4)) == 0:
            hardware.append({"name": "old workstation", "kind": draw(st.sampled_from(["gpu", "cpu", "unified"])),
                             "memory_gb": draw(st.sampled_from([16.0, 48.0, 128.0])),
                             "bandwidth_gbps": draw(st.sampled_from([60.0, 400.0, 900.0]))})
    money = st.none() | st.sampled_from([0.0, 200.0, 1500.0, 5000.0, 40000.0])
    return {
        "organisation": {"country": draw(st.sampled_from(COUNTRIES) | st.none()),
                         "sector": draw(choices(schema.Sector)),
                         "employees": draw(st.none() | st.sampled_from([5, 60, 400, 5000]))},
        "use_case": {"tasks": draw(some(Task, 3, 1)), "languages": draw(st.lists(st.sampled_from(LANGUAGES),
                                                                                   min_size=1, max_size=3, unique=True)),
                     "context_tokens": draw(st.sampled_from([2048, 8000, 16000, 32000, 131072, 400000])),
                     "concurrent_users": draw(st.sampled_from([1, 5, 40, 300])),
                     "simultaneous_requests": draw(st.none() | st.sampled_from([1, 8])),
                     "monthly_tokens": draw(st.none() | st.sampled_from([2_000_000, 900_000_000])),
                     "end_users": draw(choices(schema.EndUsers)),
                     "publishes_to_public": draw(st.booleans())},
        "data": {"personal_data": draw(st.booleans()), "special_category": draw(st.booleans()),
                 "confidentiality": draw(choices(schema.Confidentiality))},
        "regulation": {"annex_iii_area": draw(choices(schema.AnnexIIIArea)),
                       "role": draw(st.sampled_from(["deployer", "provider", "both"])),
                       "medical_purpose": draw(st.booleans())},
        "licence": {"commercial_use": draw(st.booleans()), "will_fine_tune": draw(st.booleans()),
                    "will_redistribute": draw(st.booleans()), "accept": draw(some(schema.Condition, 7)),
                    "require_osi": draw(st.booleans())},
        "sovereignty": {"publisher_region": draw(choices(schema.PublisherRegion)),
                        "excluded_countries": draw(st.lists(st.sampled_from(["US", "CN", "FR"]), max_size=2,
                                                            unique=True)),
                        "min_openness": draw(choices(schema.OpennessLevel))},
        "hosting": {"mode": mode, "hardware": hardware, "certifications": draw(some(schema.Certification, 2))},
        "budget": {"monthly_eur": draw(money), "hardware_eur": draw(money)},
        "priorities": {d: draw(st.integers(1 if d == "capability" else 0, 5))  # one must be above 0
                       for d in ("licence", "sovereignty", "compute", "capability", "cost", "openness")},
    }


def outcome(trace: evaluate.Trace) -> tuple:
    dump = lambda items: [i.model_dump() for i in items]  # noqa: E731
    return (trace.model.id, trace.total, trace.scores, dump(trace.exclusions), dump(trace.reasons),
            dump(trace.warnings), dump(trace.obligations), [lv.model_dump() for lv in trace.levers], trace.unliftable)


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(requirements())
def test_compiled_traces_equal_the_reference(catalogue, rules, doc):
    req = advisor.Requirements.model_validate(doc)
    compiled, reference = Evaluator(req, catalogue, rules), Evaluator(req, catalogue, rules, compiled=False)
    for model in catalogue.models.values():
        for detail in (True, False):
            assert outcome(compiled.trace(model, detail=detail)) == outcome(reference.trace(model, detail=detail))
    assert compiled.rank() == reference.rank()


def _reference(monkeypatch, fn):
    with monkeypatch.context() as m:
        m.setattr(evaluate, "COMPILED", False)
        return fn()


@pytest.mark.parametrize("path", [*sorted((EXAMPLES / "requirements").glob("*.yaml")),
                                  *sorted((ROOT / "tests/expert/profiles").glob("*.yaml"))],
                         ids=lambda p: p.stem)
def test_advice_json_is_byte_identical(catalogue, rules, monkeypatch, path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data = data.get("requirements", data)
    req = advisor.Requirements.model_validate(data)
    compiled = advise(Evaluator(req, catalogue, rules)).to_json()
    assert compiled == _reference(monkeypatch, lambda: advise(Evaluator(req, catalogue, rules)).to_json())
    assert compiled == advise(Evaluator(req, catalogue, rules, compiled=False)).to_json()  # what-if checks too


def test_batch_output_is_byte_identical(catalogue, rules, monkeypatch):
    rows = [json.dumps({"id": f"r{i}", **doc}) for i, doc in enumerate(
        [minimal(**v) for v in (
            {}, {"organisation": {"country": "CH"}}, {"hosting": {"mode": "eu_sovereign_cloud"}},
            {"hosting": {"mode": "on_premises", "hardware": [{"accelerator": "nvidia-l4"}]}},
            {"use_case": {"tasks": ["code"], "languages": ["pl"], "context_tokens": 64000}},
            {"licence": {"commercial_use": False, "accept": []}}, {"budget": {"monthly_eur": 100}})])]
    compiled = list(score_lines(rows, catalogue=catalogue, rules=rules))
    assert compiled == _reference(monkeypatch, lambda: list(score_lines(rows, catalogue=catalogue, rules=rules)))


def test_every_rule_case_agrees(catalogue, rules):
    """``run_case`` decides each case both ways and reports any disagreement as a failure."""
    failed = [r for r in run_rule_tests(rules, catalogue) if not r.passed and not r.todo]
    assert not failed, failed[:3]


def test_patched_models_are_never_served_a_memoised_program(catalogue, rules):
    """A patched copy of a catalogued model (same id) is folded afresh, never from the memo."""
    req = advisor.Requirements.model_validate(minimal())
    ev = Evaluator(req, catalogue, rules)
    model = catalogue.models["mistral-small-3.2-24b-instruct-2506"]
    before = ev.trace(model, detail=False)
    patched = model.model_copy(update={"deprecated": True})  # catalogue-deprecated reads only the model
    after = ev.trace(patched, detail=False)
    assert not before.exclusions and [r.rule for r in after.exclusions] == ["catalogue-deprecated"]
    assert not ev.trace(model, detail=False).exclusions  # and the patched program never reaches the memo


LEAVES = [  # catalogue-only comparisons and ones that read the requirements, the plan or the derived facts
    {"field": "model.deprecated", "op": "eq", "value": True},
    {"field": "model.gated", "op": "eq", "value": True},
    {"field": "model.modalities", "op": "contains", "value": "image"},
    {"field": "model.params_total_b", "op": "gt", "value": 20},
    {"field": "licence.osi_approved", "op": "eq", "value": True},
    {"field": "publisher.country", "op": "in", "value": ["FR", "DE"]},
    {"field": "req.use_case.concurrent_users", "op": "gt", "value": 10},
    {"field": "req.licence.commercial_use", "op": "eq", "value": True},
    {"field": "model.context_length", "op": "ge", "ref": "req.use_case.context_tokens"},
    {"field": "deployment.status", "op": "eq", "value": "fits"},
    {"field": "derived.missing_languages", "op": "not_empty"},
]
conditions = st.recursive(
    st.sampled_from(LEAVES),
    lambda inner: st.lists(inner, min_size=1, max_size=4).map(lambda xs: {"all": xs})
    | st.lists(inner, min_size=1, max_size=4).map(lambda xs: {"any": xs}) | inner.map(lambda x: {"not": x}),
    max_leaves=8)


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(conditions, st.lists(st.integers(0, 10_000), min_size=6, max_size=6))
def test_fold_decides_every_condition_as_the_whole_condition_does(catalogue, rules, raw, picks):
    """Any tree of all/any/not over static and dynamic comparisons: the folded step, evaluated,
    gives what the compiled whole condition gives, for models and requirements of every kind."""
    from pydantic import TypeAdapter

    from advisor.engine.conditions import compile_condition, fold
    from advisor.schema.rules import Condition

    cond = TypeAdapter(Condition).validate_python(raw)
    whole = compile_condition(cond)
    models = list(catalogue.models.values())
    profiles = [minimal(), minimal(use_case={"tasks": ["chat"], "concurrent_users": 50, "context_tokens": 200000,
                                             "languages": ["ga"]}, licence={"commercial_use": False})]
    for pick in picks:
        ev = Evaluator(advisor.Requirements.model_validate(profiles[pick % 2]), catalogue, rules)
        ctx = ev.context(models[pick % len(models)])
        step = fold(cond, ctx, {})
        assert (step if isinstance(step, bool) else step(ctx)) == whole(ctx)
