"""The licence traps SMEs fall into, pinned on the real catalogue entries."""

from __future__ import annotations

from conftest import minimal

import advisor
from advisor.engine.evaluate import Evaluator
from advisor.schema.requirements import Requirements


def advise(**kw):
    return advisor.advise(minimal(**kw))


def reasons(advice, model):
    for e in advice.excluded:
        if e.model == model:
            return {x.rule: x for x in e.reasons}
    return None


def fired(model_id, catalogue, **kw):
    """Every rule that matches ``model_id`` for these requirements, including those the
    'incomplete record' exclusion would hide in the advice."""
    ev = Evaluator(Requirements.model_validate(minimal(**kw)), catalogue, advisor.load_rules())
    ctx = ev.context(catalogue.models[model_id])
    return {r.rule.id for _, r in ev.exclusions + ev.others if r.match is None or r.match(ctx)}


def test_hunyuan_does_not_license_eu_companies_but_does_license_swiss_ones():
    de = reasons(advise(organisation__country="DE"), "hunyuan-a13b-instruct")
    assert de is not None and "licence-territory-excluded" in de
    assert "DOES NOT APPLY IN THE EUROPEAN UNION" in de["licence-territory-excluded"].message  # the licence's words
    ch = advise(organisation__country="CH")
    assert "hunyuan-a13b-instruct" in {r.model for r in ch.ranking}
    assert "licence-territory-excluded" not in (reasons(ch, "hunyuan-a13b-instruct") or {})


def test_cohere_and_exaone_are_excluded_for_commercial_use(catalogue):
    a = advise(organisation__country="DE")
    for model in ("aya-expanse-32b", "aya-expanse-8b", "exaone-4.0-32b"):
        assert "licence-non-commercial" in reasons(a, model), model
    assert "licence-non-commercial" in fired("c4ai-command-a-03-2025", catalogue, organisation__country="DE")
    assert catalogue.licence_facts["c4ai-command-a-03-2025"].clauses.commercial_use == "no"


def test_kimi_display_duty_applies_only_above_its_thresholds(catalogue):
    clauses = catalogue.licence_facts["kimi-k2-instruct-0905"].clauses
    assert clauses.attribution == "display" and clauses.attribution_text == "Kimi K2"
    assert clauses.attribution_threshold.monthly_active_users == 100_000_000
    assert clauses.attribution_threshold.revenue.amount == 20_000_000
    a = advise(use_case__end_users="customers")
    kimi = next(r for r in a.ranking if r.model == "kimi-k2-instruct-0905")
    warning = next(w for w in kimi.warnings if w.rule == "licence-display-attribution-threshold")
    assert "100,000,000 monthly active users" in warning.message
    assert not any(x.rule == "licence-display-attribution" for x in kimi.reasons)  # no unconditional duty
    llama = next(r for r in a.ranking if r.model == "llama-3.1-8b-instruct")
    assert any(x.rule == "licence-display-attribution" for x in llama.reasons)  # Llama's applies always


def test_devstral_small_2_is_permissive_while_devstral_2_has_a_revenue_cap(catalogue):
    small = catalogue.licence_facts["devstral-small-2-24b-instruct-2512"].clauses
    big = catalogue.licence_facts["devstral-2-123b-instruct-2512"].clauses
    assert small.commercial_use == "yes" and small.revenue_cap is None
    assert big.revenue_cap.amount == 20_000_000 and big.revenue_cap.currency == "USD"
    assert big.revenue_cap.period == "month"
    assert "licence-revenue-cap" in fired("devstral-2-123b-instruct-2512", catalogue)
    assert "licence-revenue-cap" not in fired("devstral-small-2-24b-instruct-2512", catalogue)


def test_llama_vision_withholds_its_rights_from_eu_companies():
    de = reasons(advise(organisation__country="DE", use_case__tasks=["vision"]), "llama-3.2-11b-vision-instruct")
    assert "licence-territory-excluded" in de
