"""Scoring: invariants of the advice, the decisive licence and sovereignty outcomes, the
deployment, the obligations and the explanation."""

from __future__ import annotations

import pytest
from pydantic import BaseModel
from conftest import EXAMPLES, minimal

import advisor
from advisor.engine.advice import advise as engine_advise
from advisor.engine import evaluate
from advisor.engine.evaluate import Evaluator
from advisor.engine.facts import derive
from advisor.schema.advice import DIMENSIONS


def advise(**kw):
    return advisor.advise(minimal(**kw))


@pytest.fixture(scope="module")
def clinic():
    return advisor.advise(EXAMPLES / "requirements" / "clinic.yaml")


def test_every_model_appears_exactly_once(clinic, catalogue):
    ids = [r.model for r in clinic.ranking] + [e.model for e in clinic.excluded]
    assert sorted(ids) == sorted(catalogue.models)
    assert clinic.catalogue.models == len(catalogue.models)


def test_deterministic_and_ordered(clinic):
    again = advisor.advise(EXAMPLES / "requirements" / "clinic.yaml")
    assert again.to_json() == clinic.to_json()
    keys = [(-r.score, r.model) for r in clinic.ranking]
    assert keys == sorted(keys)
    assert [r.rank for r in clinic.ranking] == list(range(1, len(clinic.ranking) + 1))


def test_total_is_the_priority_weighted_mean(clinic):
    dims = advisor.load_rules().dimensions  # priority x the dimension's multiplier (rules/dimensions.yaml)
    weights = {d: level * getattr(dims, d).multiplier for d, level in clinic.requirements["priorities"].items()}
    assert dims.capability.multiplier == 2 and dims.openness.multiplier == 0.5
    for r in clinic.ranking:
        expected = sum(weights[d] * r.scores[d] for d in DIMENSIONS) / sum(weights.values())
        assert r.score == pytest.approx(expected, abs=0.06)
        assert all(0 <= r.scores[d] <= 100 for d in DIMENSIONS)


def test_reasons_are_complete(clinic):
    for r in clinic.ranking:
        assert r.reasons
        for reason in r.reasons:
            assert reason.rule and reason.dimension and reason.message and reason.sources
            assert "{" not in reason.message  # every placeholder rendered
    for ex in clinic.excluded:
        assert ex.reasons and all(x.sources for x in ex.reasons)


def test_on_premises_deployment_is_filled_and_fits(clinic):
    for r in clinic.ranking:
        d = r.deployment
        assert d is not None and d.hosting == "on_premises" and d.hardware == "1x nvidia-l40s"
        assert 0 < d.memory_gb <= 48 and d.tokens_per_s > 0 and d.context_tokens == 16000
        assert d.monthly_cost_eur == 0


def test_eu_company_loses_llama_multimodal_but_swiss_company_does_not():
    vision = "llama-3.2-11b-vision-instruct"
    de = advise(organisation__country="DE", use_case__tasks=["vision"])
    ch = advise(organisation__country="CH", use_case__tasks=["vision"])
    de_ex = {e.model: e for e in de.excluded}
    assert vision in de_ex
    assert any(x.rule == "licence-territory-excluded" and "European Union" in x.message for x in de_ex[vision].reasons)
    ch_ex = {e.model: e for e in ch.excluded}
    assert vision not in ch_ex or all(x.rule != "licence-territory-excluded" for x in ch_ex[vision].reasons)


def test_research_only_and_non_production_licences_are_excluded_for_business_use():
    a = advise()
    ex = {e.model: {x.rule for x in e.reasons} for e in a.excluded}
    for mid in ("qwen2.5-3b-instruct", "codestral-22b-v0.1", "ministral-8b-instruct-2410", "c4ai-command-r-08-2024",
                "pharia-1-llm-7b-control", "teuken-7b-instruct-research-v0.4"):
        assert "licence-non-commercial" in ex[mid], mid
    assert "licence-non-commercial" not in ex.get("qwen2.5-7b-instruct", set())


def test_remote_restriction_is_a_lever_the_summary_checks():
    """Accepted by default (it costs 20 licence points and warns); a user who does not accept it
    excludes the model."""
    gemma = "gemma-3-27b-it"
    base = advise(hosting__mode="eu_cloud")
    ranked = {r.model: r for r in base.ranking}
    assert gemma in ranked
    assert any(x.rule == "licence-remote-restriction" and x.points == -20 for x in ranked[gemma].reasons)
    strict = advise(hosting__mode="eu_cloud", licence__accept=[
        "attribution", "naming", "acceptable_use_policy", "user_cap", "revenue_cap", "output_restrictions"])
    assert gemma in {e.model for e in strict.excluded}


def test_eu_required_keeps_only_eu_publishers(catalogue):
    a = advise(sovereignty__publisher_region="eu_required")
    for r in a.ranking:
        assert catalogue.publishers[catalogue.models[r.model].publisher].in_eu
    assert "llama-3.1-8b-instruct" in {e.model for e in a.excluded}


def test_priorities_steer_the_ranking():
    a = advise(priorities={"licence": 0, "sovereignty": 0, "compute": 0, "capability": 5, "cost": 0, "openness": 0})
    caps = [r.scores["capability"] for r in a.ranking]
    assert caps == sorted(caps, reverse=True)


def test_obligations_follow_the_use_case():
    chatbot = advise(use_case__end_users="customers", organisation__country="DE")
    articles = {o.article for o in chatbot.obligations}
    assert {"AI Act Art. 4", "AI Act Art. 50(1)", "AI Act Art. 50(2)"} <= articles
    hr = advise(regulation__annex_iii_area="employment")
    assert "AI Act Art. 26" in {o.article for o in hr.obligations}
    assert "AI Act Art. 27" not in {o.article for o in hr.obligations}
    bank = advise(regulation__annex_iii_area="credit_scoring", data__personal_data=True)
    assert {"AI Act Art. 26", "AI Act Art. 27", "GDPR Art. 5, 6, 30"} <= {o.article for o in bank.obligations}
    internal = advise()
    assert "AI Act Art. 50(1)" not in {o.article for o in internal.obligations}


def test_llama_licence_duties_are_listed_for_customer_facing_use():
    a = advise(use_case__end_users="public",
               priorities={"licence": 0, "sovereignty": 0, "compute": 0, "capability": 5, "cost": 0, "openness": 0},
               sovereignty__excluded_countries=["CN", "FR", "CA", "AE"])
    llama = next(r for r in a.ranking if r.model.startswith("llama-3.3"))
    assert any("Built with Llama" in o.message for o in llama.obligations)


def test_explanation_speaks_plainly(clinic):
    s = clinic.summary
    top, second = clinic.ranking[0], clinic.ranking[1]
    assert s.startswith(f"Recommended: {top.name}")
    assert f"Runner-up: {second.name}" in s
    assert "Not eligible" in s and "does not fit the available memory" in s
    assert "What would change the answer" in s
    assert "KV cache" not in s  # jargon stays out of the summary
    assert "Not legal advice" in s


def test_counterfactual_claims_hold():
    req = minimal(hosting__mode="on_premises", hosting__hardware=[{"accelerator": "nvidia-rtx-4090", "count": 1}])
    a = advisor.advise(req)
    claims = [c for c in a.summary.split("What would change the answer: ")[1].split(";")
              if "hardware with more memory" in c]
    assert claims, a.summary
    # re-check one claim: with the suggested hardware the model becomes eligible
    text = claims[0]
    hw = text.split("(")[1].split(")")[0]  # e.g. "1x nvidia-h100-80gb"
    count, ident = hw.split("x ")
    name = text.split(", ")[1].split(" would")[0].strip()
    req["hosting"]["hardware"] = [{"accelerator": ident, "count": int(count)}]
    b = advisor.advise(req)
    assert name in {r.name for r in b.ranking}


def test_no_eligible_model_still_explains():
    a = advise(sovereignty__publisher_region="eu_required", licence__require_osi=True,
               sovereignty__min_openness="open_data", use_case__tasks=["vision"])
    assert a.ranking == []
    assert a.summary.startswith("No model in the catalogue meets all your requirements.")
    assert len(a.excluded) == a.catalogue.models


def test_cloud_mode_prices_the_cheapest_offer(catalogue):
    a = advise(hosting__mode="eu_cloud", budget__monthly_eur=3000)
    for r in a.ranking:
        d = r.deployment
        offer = catalogue.offers[d.hosting]
        if d.cost_basis == "per_token":  # priced for the month's tokens (tests/test_hosting.py)
            assert offer.kind == "managed_api" and r.model in offer.models
        else:  # hourly offers run all month; monthly servers add their setup fee spread over a year
            assert d.cost_basis == "rental_24_7"
            assert d.monthly_cost_eur == pytest.approx(offer.monthly_eur + offer.setup_fee_eur / 12, abs=0.01)
            assert offer.monthly_eur == pytest.approx(offer.eur_per_month or offer.eur_per_hour * 730, abs=0.01)
        assert d.monthly_cost_eur <= 3000
    over = {e.model: {x.rule for x in e.reasons} for e in a.excluded}
    assert any("cost-over-budget" in rules for rules in over.values())


def test_sovereign_cloud_never_uses_cloud_act_providers(catalogue):
    a = advise(hosting__mode="eu_sovereign_cloud")
    for r in a.ranking:
        assert not catalogue.offers[r.deployment.hosting].cloud_act


def test_purchase_suggestion_respects_hardware_budget():
    a = advise(hosting__mode="on_premises", budget__hardware_eur=5000)
    for r in a.ranking:
        assert r.deployment.purchase_eur is not None and r.deployment.purchase_eur <= 5000


def test_unknown_hardware_id_is_a_requirements_error():
    with pytest.raises(advisor.RequirementsError) as exc:
        advise(hosting__hardware=[{"accelerator": "nvidia-l40", "count": 1}])
    assert "did you mean 'nvidia-l40s'" in str(exc.value)
    assert exc.value.field == "hosting.hardware.0.accelerator"


def test_purchase_skips_discontinued_hardware_and_prefers_usable_speed(catalogue):
    a = advise(hosting__mode="on_premises", budget__hardware_eur=12000, use_case__concurrent_users=5)
    gone = {hid for hid, hw in catalogue.hardware.items() if hw.available_new is False}
    assert gone  # the catalogue marks some cards as no longer sold new
    for r in a.ranking:
        assert r.deployment.hardware.split("x ", 1)[1] not in gone
    fast = [r for r in a.ranking if r.deployment.tokens_per_s >= 8]
    assert len(fast) >= len(a.ranking) * 0.8


VARIANTS = [
    {"use_case": {"tasks": ["chat"], "languages": ["de"], "context_tokens": 32000}},
    {"use_case": {"tasks": ["chat"], "languages": ["de"], "concurrent_users": 40}},
    {"use_case": {"tasks": ["chat", "vision"], "languages": ["de", "pl"]}},
    {"use_case": {"tasks": ["code"], "languages": ["en"]}},
    {"organisation": {"country": "CH"}},
    {"organisation": {"sector": "health"}},  # derived facts read the sector (specialist medical models)
    {"organisation": {"country": "FR"}, "hosting": {"mode": "eu_sovereign_cloud"}},
    {"hosting": {"mode": "eu_cloud", "certifications": ["iso27001"]}},
    {"hosting": {"mode": "on_premises", "hardware": [{"accelerator": "nvidia-l40s", "count": 2}]}},
    {"hosting": {"mode": "on_premises", "hardware": [{"accelerator": "nvidia-l4", "count": 1}]}},
    {"hosting": {"mode": "on_premises"}, "budget": {"hardware_eur": 9000}},
    {"hosting": {"mode": "on_premises"}, "budget": {"hardware_eur": 60000}},
    {"budget": {"monthly_eur": 400}},
    {"budget": {"monthly_eur": 4000}},
    {"sovereignty": {"min_openness": "open_data"}},
    {"licence": {"accept": ["attribution", "acceptable_use_policy"]}},
]


def test_memoised_facts_never_leak_between_requirements(catalogue, rules, monkeypatch):
    """Deployment plans and derived facts are memoised per catalogue under the requirement
    fields they read: scoring a profile after many others gives exactly what a fresh
    catalogue gives."""
    monkeypatch.setattr(evaluate, "MEMO_LIMIT", 10_000)  # nothing is evicted: every repeat is a hit
    profiles = [minimal(**variant) for variant in VARIANTS]
    catalogue.memo.clear()
    for req in profiles:  # warm the memo with every variant
        advisor.advise(req, catalogue=catalogue, rules=rules)
    def scored(req):
        advice = advisor.advise(req, catalogue=catalogue, rules=rules)
        return advice.model_dump_json(include={"ranking", "excluded", "summary"})

    warm = [scored(req) for req in reversed(profiles)]
    fresh = []
    for req in reversed(profiles):
        catalogue.memo.clear()
        fresh.append(scored(req))
    assert warm == fresh
    assert len(set(fresh)) == len(profiles)  # every variant changes the outcome, so the check has teeth


class _Recorder:
    """A read-only view of a pydantic object that records every field path read through it."""

    def __init__(self, obj, path, seen):
        self._obj, self._path, self._seen = obj, path, seen

    def __getattr__(self, name):
        value = getattr(self._obj, name)
        path = f"{self._path}{name}"
        if isinstance(value, BaseModel):
            return _Recorder(value, path + ".", self._seen)
        self._seen.add(path)
        return value


def test_derived_facts_are_memoised_under_every_field_they_read(catalogue):
    """The derived-facts memo key is built from DERIVED_FIELDS: derive must read nothing else,
    or two profiles differing in that field would share facts."""
    seen: set[str] = set()
    index = catalogue.quality_index
    for variant in VARIANTS + [{"organisation": {"sector": "health"}, "use_case": {"tasks": ["vision", "speech"]}}]:
        req = advisor.Requirements.model_validate(minimal(**variant))
        for model in catalogue.models.values():
            derive(model, catalogue.licence_facts[model.id], catalogue.publishers[model.publisher],
                   _Recorder(req, "", seen), (2026, 12), index, catalogue.models.get(model.superseded_by or ""))
    assert seen <= set(evaluate.DERIVED_FIELDS), sorted(seen - set(evaluate.DERIVED_FIELDS))
    assert {"organisation.sector", "use_case.languages"} <= seen  # the recorder sees reads


def test_language_facts_are_shared_by_profiles_with_the_same_languages(catalogue, rules):
    """Kept per list of languages: two profiles differing elsewhere share them, and the derived
    facts are those derive() computes on its own."""
    catalogue.memo.clear()
    first = Evaluator(advisor.Requirements.model_validate(minimal(organisation={"country": "DE"})), catalogue, rules)
    other = Evaluator(advisor.Requirements.model_validate(minimal(organisation={"country": "FR"},
                                                                  use_case={"tasks": ["code"]})), catalogue, rules)
    model = next(m for m in catalogue.models.values() if not m.missing_facts and not m.not_rankable)
    for ev in (first, other):
        ctx = ev.context(model)
        alone = derive(model, catalogue.licence_facts[model.id], catalogue.publishers[model.publisher], ev.req,
                       ev.today, catalogue.quality_index, catalogue.models.get(model.superseded_by or ""))
        assert ctx.derived == alone
    assert first._languages is other._languages and model.id in first._languages
    catalogue.memo.clear()


def test_memo_stays_bounded(catalogue, rules, monkeypatch):
    monkeypatch.setattr(evaluate, "MEMO_LIMIT", 5)
    monkeypatch.setattr(evaluate, "LOAD_LIMIT", 3)
    catalogue.memo.clear()
    for users in range(1, 12):
        advisor.advise(minimal(use_case={"tasks": ["chat"], "concurrent_users": users}), catalogue=catalogue,
                       rules=rules)
    assert 0 < len(catalogue.memo["plans"]) <= 5
    assert 0 < len(catalogue.memo["derived"]) <= 5
    assert 0 < len(catalogue.memo["per-load"]) <= 3  # each user count is a new load
    assert 0 < len(catalogue.memo["languages"]) <= 64
    catalogue.memo.clear()


def test_memo_is_safe_across_threads(catalogue, rules, monkeypatch):
    """The wizard explains in a worker thread while the results screen re-ranks."""
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setattr(evaluate, "MEMO_LIMIT", 3)  # constant eviction
    profiles = [minimal(**variant) for variant in VARIANTS[:8]]

    def scored(req):
        advice = engine_advise(Evaluator(advisor.Requirements.model_validate(req), catalogue, rules), explain=False)
        return advice.model_dump_json(include={"ranking", "excluded"})

    expected = [scored(req) for req in profiles]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(scored, profiles * 3))
    assert got == expected * 3
    catalogue.memo.clear()


def test_rank_plans_only_models_a_plan_can_decide(catalogue, rules, monkeypatch):
    """``rank()`` reports an excluded model's first exclusion rule only, so a model excluded
    before any exclusion rule that reads the deployment is never planned; every ranked model is.
    (That the ranking is the full advice's is checked in test_fuzz.)"""
    from advisor.engine.deploy import Planner

    planned: list[str] = []
    plan = Planner.plan
    monkeypatch.setattr(Planner, "plan", lambda self, model: planned.append(model.id) or plan(self, model))
    req = advisor.Requirements.model_validate(minimal(  # a load no other test plans for
        use_case__context_tokens=23_456, use_case__concurrent_users=17, organisation__country="DE"))
    ev = Evaluator(req, catalogue, rules)
    ranking = ev.rank()
    first_reading = next(n for n, (_, rule) in enumerate(ev.exclusions) if rule.matches_deployment)
    early = {rule.id for _, rule in ev.exclusions[:first_reading]}
    skipped = {e.model for e in ranking.excluded if e.rule in early}
    assert skipped, "the profile should exclude some models before the plan matters"
    assert not skipped & set(planned)
    assert {r.model for r in ranking.ranked} <= set(planned)
    assert len(planned) == len(set(planned))
