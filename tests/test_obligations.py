"""Obligations follow the use case: who must act, which law, and from when."""

from __future__ import annotations

from conftest import minimal

import advisor
from advisor.render.markdown import render_markdown as to_markdown


def obligations(**kw):
    a = advisor.advise(minimal(**kw))
    return a, {o.id: o for o in a.obligations}


def test_hr_screening_provider_gets_the_provider_duties_with_their_dates():
    _, ob = obligations(organisation__country="DE", data__personal_data=True,
                        regulation__annex_iii_area="employment", regulation__role="provider")
    assert {"ai-act-art16-provider", "ai-act-art43-conformity", "ai-act-art72-post-market",
            "gdpr-art22-automated-decisions", "gdpr-art35-dpia", "pld-product-liability"} <= set(ob)
    assert "ai-act-art26-high-risk" not in ob  # the deployer's duties are its customers'
    art16 = ob["ai-act-art16-provider"]
    assert art16.actor == "provider" and art16.applies_from == "2027-12-02" and art16.originally_from == "2026-08-02"
    assert "2026/1744" in art16.date_note and art16.in_force is False
    assert ob["gdpr-art22-automated-decisions"].in_force is True


def test_a_deployer_building_an_annex_iii_use_is_told_it_may_become_the_provider():
    _, ob = obligations(regulation__annex_iii_area="employment")
    assert "ai-act-art25-becomes-provider" in ob and "ai-act-art26-high-risk" in ob
    assert ob["ai-act-art26-high-risk"].actor == "deployer"


def test_bank_gets_dora_fria_and_gdpr():
    _, ob = obligations(organisation__country="FR", organisation__sector="finance", data__personal_data=True,
                        regulation__annex_iii_area="credit_scoring")
    assert {"dora-ict-third-party", "ai-act-art27-fria", "gdpr-art22-automated-decisions", "gdpr-art35-dpia"} <= set(ob)
    assert ob["dora-ict-third-party"].applies_from == "2025-01-17"


def test_clinic_with_and_without_medical_purpose():
    _, admin = obligations(organisation__sector="health", data__personal_data=True, data__special_category=True)
    assert "mdr-no-medical-purpose" in admin and "mdr-medical-software" not in admin
    assert {"gdpr-special-category", "gdpr-art35-dpia"} <= set(admin)
    _, medical = obligations(organisation__sector="health", regulation__medical_purpose=True)
    assert {"mdr-medical-software", "ai-act-annex-i-medical"} <= set(medical)
    assert medical["ai-act-annex-i-medical"].applies_from == "2028-08-02"


def test_public_body_publishing_text_gets_art_50_4():
    _, ob = obligations(organisation__sector="public", use_case__publishes_to_public=True)
    assert "ai-act-art50-4-public-text" in ob and ob["ai-act-art50-4-public-text"].actor == "deployer"
    _, quiet = obligations(organisation__sector="public")
    assert "ai-act-art50-4-public-text" not in quiet


def test_swiss_company_gets_the_fadp_and_a_conditional_gdpr():
    _, ob = obligations(organisation__country="CH", data__personal_data=True)
    assert {"fadp-switzerland", "gdpr-outside-eu", "ai-act-scope-outside-eu"} <= set(ob)
    assert "gdpr-personal-data" not in ob and "ai-act-art4-literacy" not in ob
    assert "Art. 3(2)" in ob["gdpr-outside-eu"].message


def test_nis2_stated_or_inferred_as_likely():
    _, stated = obligations(organisation__sector="energy", organisation__nis2="essential")
    assert "nis2-in-scope" in stated and "nis2-likely" not in stated
    _, inferred = obligations(organisation__sector="energy", organisation__employees=3000)
    assert "nis2-likely" in inferred and "likely, not certain" in inferred["nis2-likely"].message
    _, small = obligations(organisation__sector="energy", organisation__employees=20)
    assert "nis2-likely" not in small and "nis2-in-scope" not in small


def test_product_liability_for_providers_from_9_december_2026():
    _, ob = obligations(regulation__role="provider")
    pld = ob["pld-product-liability"]
    assert pld.exposure and pld.applies_from == "2026-12-09" and pld.in_force is False  # review date 2026-12-01


def test_obligations_do_not_depend_on_the_winning_model_except_licence_duties():
    a = advisor.advise(minimal(use_case__end_users="customers", organisation__country="DE"))
    general = [o for o in a.obligations if o.model is None]
    b = advisor.advise(minimal(use_case__end_users="customers", organisation__country="DE",
                               priorities={"capability": 0, "licence": 5}))
    assert [o.id for o in b.obligations if o.model is None] == [o.id for o in general]


def test_reports_group_obligations_by_who_must_act_and_date():
    a = advisor.advise(minimal(organisation__country="DE", data__personal_data=True, hosting__mode="eu_cloud",
                               regulation__annex_iii_area="employment", regulation__role="both"))
    text = to_markdown(a)
    part = text[text.index("## Your obligations"):]
    assert part.index("### You as deployer") < part.index("### You as provider") < part.index("### Your organisation")
    assert "### Your hosting provider" in part
    provider = part[part.index("### You as provider"):part.index("### Your organisation")]
    assert provider.index("applies since 2 Aug 2026") < provider.index("applies from 2 Dec 2027")
