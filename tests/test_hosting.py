"""Where a model runs and what it costs: certification filter, per-token APIs, setup fees,
purchases per month, stale prices, and certified requests no offer meets."""

from __future__ import annotations

import pytest
from conftest import minimal

import advisor
from advisor.engine.deploy import ANSWER_TOKENS, Load, Traffic, eligible_offers
from advisor.schema.requirements import Requirements


def advise(**kw):
    return advisor.advise(minimal(**kw))


def ranked(advice, model):
    return next(r for r in advice.ranking if r.model == model)


def req(**kw) -> Requirements:
    return Requirements.model_validate(minimal(**kw))


def test_certification_filter_keeps_only_offers_holding_every_certification(catalogue):
    offers = list(catalogue.offers.values())
    snc = eligible_offers(req(hosting__mode="eu_sovereign_cloud", hosting__certifications=["secnumcloud"]), offers)
    assert snc and all("secnumcloud" in o.certifications and not o.cloud_act for o in snc)
    both = eligible_offers(req(hosting__mode="eu_cloud", hosting__certifications=["hds", "secnumcloud"]), offers)
    assert all({"hds", "secnumcloud"} <= set(o.certifications) for o in both)
    sovereign = eligible_offers(req(hosting__mode="eu_sovereign_cloud"), offers)
    assert sovereign and not any(o.cloud_act for o in sovereign)
    assert any(o.cloud_act for o in eligible_offers(req(hosting__mode="eu_cloud"), offers))


def test_a_certification_no_offer_holds_is_planned_on_hardware_you_run_and_never_dropped():
    a = advise(hosting__mode="eu_sovereign_cloud", hosting__certifications=["bsi-grundschutz"],
               use_case__concurrent_users=20)
    assert a.ranking, "a ranked answer, not 'no model'"
    first = a.ranking[0]
    assert first.deployment.cost_basis == "purchase" and first.deployment.purchase_eur
    assert any(w.rule == "hosting-certification-unmet" and "BSI IT-Grundschutz" in w.message for w in first.warnings)
    assert "drop the certification" not in a.summary


def test_per_token_api_is_chosen_when_cheaper_and_priced_for_the_tokens(catalogue):
    model = "mistral-small-3.2-24b-instruct-2506"
    a = advise(hosting__mode="eu_sovereign_cloud", use_case__monthly_tokens=50_000_000)
    d = ranked(a, model).deployment
    assert d.cost_basis == "per_token" and d.monthly_tokens == 50_000_000
    offer = catalogue.offers[d.hosting]
    assert offer.kind == "managed_api" and model in offer.models
    price = offer.eur_per_million_tokens
    load = Load.of(req(hosting__mode="eu_sovereign_cloud"))
    out = 50_000_000 * ANSWER_TOKENS / (load.typical + ANSWER_TOKENS)
    expected = (50_000_000 - out) / 1e6 * price.input + out / 1e6 * price.output
    assert d.monthly_cost_eur == pytest.approx(expected, abs=0.02)
    assert d.eur_per_million_tokens == {"input": price.input, "output": price.output}
    assert "cheaper than the cheapest GPU instance" in d.cost_choice
    assert any(x.rule == "cost-api" for x in ranked(a, model).reasons)


def test_heavy_traffic_moves_back_to_a_rented_gpu():
    model = "mistral-small-3.2-24b-instruct-2506"
    light = ranked(advise(hosting__mode="eu_sovereign_cloud", use_case__monthly_tokens=10_000_000), model)
    heavy = ranked(advise(hosting__mode="eu_sovereign_cloud", use_case__monthly_tokens=10**12), model)
    assert light.deployment.cost_basis == "per_token"
    assert heavy.deployment.cost_basis == "rental_24_7"
    assert "per-token API" in heavy.deployment.cost_choice


def test_traffic_estimate_is_stated_when_not_given():
    r = req(use_case__concurrent_users=10, use_case__context_tokens=8192)
    t = Traffic.of(r, Load.of(r))
    requests = 10 * 20 * 21
    assert t.estimated and t.output_tokens == requests * ANSWER_TOKENS
    assert "estimated from 20 requests per user" in t.describe()
    given = Traffic.of(req(use_case__monthly_tokens=1_000_000), Load.of(r))
    assert not given.estimated and given.total == 1_000_000


def test_setup_fee_is_spread_over_a_year(catalogue):
    from advisor.engine.deploy import monthly_cost

    offer = catalogue.offers["hetzner-gex45"]
    assert offer.setup_fee_eur > 0
    assert monthly_cost(offer) == pytest.approx(offer.eur_per_month + offer.setup_fee_eur / 12, abs=0.01)


def test_purchase_has_a_monthly_equivalent_with_amortisation_and_power(catalogue):
    from advisor.engine.deploy import AVERAGE_LOAD

    def first(months):
        a = advise(hosting__mode="on_premises", budget__amortisation_months=months, budget__electricity_eur_per_kwh=0.3,
                   use_case__concurrent_users=40)
        return a.ranking[0].deployment

    d = first(24)
    assert d.cost_basis == "purchase" and d.purchase_eur
    device, count = d.hardware.split("x ")[1], int(d.hardware.split("x ")[0])
    watts = (catalogue.hardware[device].power_w or 0) * count
    power = watts / 1000 * 730 * AVERAGE_LOAD * 0.3
    assert d.monthly_equivalent_eur == pytest.approx(d.purchase_eur / 24 + power, abs=0.02)
    assert first(48).monthly_equivalent_eur < d.monthly_equivalent_eur or first(48).purchase_eur != d.purchase_eur


def test_stale_prices_are_flagged(catalogue):
    a = advise(hosting__mode="eu_cloud", use_case__monthly_tokens=5_000_000)
    stale = [r.deployment for r in a.ranking if r.deployment and r.deployment.price_stale]
    fresh = [r.deployment for r in a.ranking if r.deployment and r.deployment.price_date and not r.deployment.price_stale]
    assert fresh
    for d in stale:
        assert d.price_date < "2026-06-01"
