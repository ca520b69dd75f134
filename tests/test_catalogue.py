"""The catalogue: every file valid and sourced, cross-references resolved, the vocabulary
closed, and facts double-checked against primary sources pinned so they cannot drift."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml
from conftest import DATA, ROOT, run_cli

import advisor
from advisor.schema.catalogue import Licence, ModelEntry
from advisor.validate import check_catalogue

MODEL_FILES = sorted((ROOT / "catalogue" / "models").glob("*/*.yaml"))
LICENCE_FILES = sorted((ROOT / "catalogue" / "licences").glob("*.yaml"))


def test_size_of_the_catalogue(catalogue):
    assert len(catalogue.models) >= 70
    assert len(catalogue.licences) >= 20
    assert len({m.publisher for m in catalogue.models.values()}) >= 20
    assert len(catalogue.models) == len(MODEL_FILES)
    eu = [m for m in catalogue.models.values() if catalogue.publishers[m.publisher].in_eu]
    assert len(eu) >= 20


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.stem)
def test_model_file(path, catalogue):
    entry = ModelEntry.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert entry.id == path.stem
    assert entry.publisher == path.parent.name
    assert entry.reviewed <= dt.date.today()
    assert entry.sources and all(s.retrieved <= entry.reviewed for s in entry.sources)  # read before the review
    assert entry.licence in catalogue.licences
    assert all(lid in catalogue.licences for lid in entry.inherited_licences)
    assert entry.publisher in catalogue.publishers
    for tag in entry.tasks:
        assert tag in catalogue.vocabulary.tasks
    for modality in entry.modalities:
        assert modality in catalogue.vocabulary.modalities


@pytest.mark.parametrize("path", LICENCE_FILES, ids=lambda p: p.stem)
def test_licence_file(path):
    lic = Licence.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert lic.id == path.stem
    assert lic.sources and lic.summary
    assert lic.spdx.startswith("LicenseRef-") or lic.osi_approved or lic.spdx in {
        "CC-BY-4.0", "CC-BY-NC-4.0", "CC-BY-NC-SA-4.0", "OpenMDW-1.0"}  # on the SPDX list, not OSI-approved
    for ex in lic.clauses.territory_exclusions:
        assert ex.quote and ex.source


def test_no_two_entries_share_a_repository(catalogue):
    repos = [m.hf_repo.lower() for m in catalogue.models.values()]
    assert len(repos) == len(set(repos))


def test_every_publisher_and_hardware_item_is_sourced(catalogue):
    for p in catalogue.publishers.values():
        assert p.sources
    for h in catalogue.hardware.values():
        assert h.sources and h.bandwidth_gbps > 0
    for o in catalogue.offers.values():
        assert o.sources and o.indicative
        if o.kind == "managed_api":  # priced per token, for models the catalogue holds
            assert o.eur_per_million_tokens and set(o.models) <= set(catalogue.models)
        else:
            assert o.accelerator in catalogue.hardware


def test_validate_command_and_checks(catalogue):
    check_catalogue(catalogue)
    result = run_cli("catalogue", "validate")
    assert result.returncode == 0, result.stderr
    assert f"{len(catalogue.models)} models" in result.stdout


def test_list_contract_keys(catalogue):
    import json

    result = run_cli("catalogue", "list", "--format", "json")
    rows = json.loads(result.stdout)
    keys = {"id", "name", "hf_repo", "publisher", "publisher_country", "licence", "hf_licence", "commercial_use",
            "params_total_b", "params_active_b", "context_length", "num_hidden_layers", "num_key_value_heads",
            "head_dim", "modalities", "languages", "release"}
    assert len(rows) == len(catalogue.models)
    for row in rows:
        assert keys <= set(row)
        assert row["commercial_use"] in ("yes", "restricted", "no")
        assert (row["params_active_b"] is None) or row["params_active_b"] < row["params_total_b"]


EXPECTED = yaml.safe_load((DATA / "bad" / "catalogue" / "expected.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED), ids=str)
def test_bad_catalogue_overlay(name):
    spec = EXPECTED[name]
    overlay = DATA / "bad" / "catalogue" / name
    result = run_cli("catalogue", "validate", str(overlay))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    expected_prefix = f"error: {overlay / spec['file']}:{spec['line']}: "
    lines = [line for line in result.stderr.splitlines() if spec["contains"] in line]
    assert lines, result.stderr
    assert lines[0].startswith(expected_prefix), lines[0]


# --------------------------------------------------------------------------- pinned facts
# Each fact was double-checked against the primary source named beside it (licence texts in
# the publishers' repositories, official model cards, config files); see the entry's sources.

def lic(catalogue, model_id):
    return catalogue.licence_facts[model_id]


PINNED_LICENCES = [
    # model id, licence id, commercial use -- QwenLM README: all Qwen2.5 except 3B and 72B are Apache-2.0
    ("qwen2.5-3b-instruct", "qwen-research", "no"),
    ("qwen2.5-7b-instruct", "apache-2.0", "yes"),
    ("qwen2.5-72b-instruct", "qwen", "restricted"),
    # mistralai/platform-docs-public model map
    ("codestral-22b-v0.1", "mnpl-0.1", "no"),
    ("ministral-8b-instruct-2410", "mrl-0.1", "no"),
    ("mistral-large-instruct-2411", "mrl-0.1", "no"),
    ("mistral-7b-instruct-v0.3", "apache-2.0", "yes"),
    ("mistral-small-3.1-24b-instruct-2503", "apache-2.0", "yes"),
    ("devstral-2-123b-instruct-2512", "mistral-modified-mit", "restricted"),
    # deepseek-ai/DeepSeek-V3 README (model under the DeepSeek License) and DeepSeek-R1 README (MIT)
    ("deepseek-v3", "deepseek", "restricted"),
    ("deepseek-r1", "mit", "yes"),
    # meta-llama/llama-models licences
    ("llama-3.1-8b-instruct", "llama-3.1", "restricted"),
    ("llama-3.2-11b-vision-instruct", "llama-3.2", "restricted"),
    ("llama-3.3-70b-instruct", "llama-3.3", "restricted"),
    ("llama-4-scout-17b-16e-instruct", "llama-4", "restricted"),
    # cards and OSAI
    ("gemma-3-27b-it", "gemma", "restricted"),
    ("c4ai-command-r-08-2024", "cc-by-nc-4.0", "no"),
    ("pharia-1-llm-7b-control", "open-aleph-1.0", "no"),
    ("teuken-7b-instruct-commercial-v0.4", "apache-2.0", "yes"),
    ("teuken-7b-instruct-research-v0.4", "teuken-research", "no"),
    ("eurollm-9b-instruct", "apache-2.0", "yes"),
    ("olmo-2-1124-7b-instruct", "apache-2.0", "yes"),
    ("phi-4", "mit", "yes"),
    ("gpt-oss-120b", "apache-2.0", "yes"),
    ("tildeopen-30b", "cc-by-4.0", "yes"),
    ("llama-poro-2-70b-instruct", "llama-3.3", "restricted"),
    ("falcon3-7b-instruct", "tii-falcon-2.0", "restricted"),
]


@pytest.mark.parametrize("model_id,licence_id,commercial", PINNED_LICENCES, ids=[p[0] for p in PINNED_LICENCES])
def test_pinned_licence(catalogue, model_id, licence_id, commercial):
    assert catalogue.models[model_id].licence == licence_id
    assert lic(catalogue, model_id).clauses.commercial_use == commercial


def test_pinned_clauses(catalogue):
    L = catalogue.licences
    # Llama 3.2/3.3/4 use policies withhold multimodal rights from EU-based companies; 3.1 does not
    for lid in ("llama-3.2", "llama-3.3", "llama-4"):
        (ex,) = L[lid].clauses.territory_exclusions
        assert ex.territories == ["EU"] and ex.scope == "multimodal"
        assert "European Union" in ex.quote
    assert L["llama-3.1"].clauses.territory_exclusions == []
    assert L["llama-3.1"].clauses.user_cap == 700_000_000
    assert L["llama-3.1"].clauses.naming == "Llama" and L["llama-3"].clauses.naming == "Llama 3"
    assert L["llama-3"].clauses.output_restrictions is True and L["llama-3.1"].clauses.output_restrictions is False
    # remote restriction: Gemma ToU §3.2, DeepSeek License §7
    assert L["gemma"].clauses.remote_restriction and L["deepseek"].clauses.remote_restriction
    assert L["deepseek"].clauses.governing_law == "CN" and L["gemma"].clauses.governing_law == "US-CA"
    assert L["qwen"].clauses.user_cap == 100_000_000
    cap = L["mistral-modified-mit"].clauses.revenue_cap
    assert (cap.amount, cap.currency, cap.period) == (20_000_000, "USD", "month")
    assert L["apache-2.0"].osi_approved and L["mit"].osi_approved and not L["cc-by-4.0"].osi_approved
    assert L["mrl-0.1"].clauses.governing_law == "FR"


def test_pinned_models(catalogue):
    M = catalogue.models
    a = M["llama-3.1-8b-instruct"].architecture  # meta-llama/llama-models sku_list.py
    assert (a.num_hidden_layers, a.num_key_value_heads, a.head_dim) == (32, 8, 128)
    v3 = M["deepseek-v3"]
    assert (v3.params_total_b, v3.params_active_b) == (671, 37)  # DeepSeek-V3 README
    assert v3.architecture.attention == "mla" and v3.architecture.kv_lora_rank == 512
    assert M["llama-4-scout-17b-16e-instruct"].multimodal and not M["llama-3.3-70b-instruct"].multimodal
    assert M["deepseek-r1-distill-llama-70b"].inherited_licences == ["llama-3.3"]
    assert M["mixtral-8x7b-instruct-v0.1"].params_active_b < M["mixtral-8x7b-instruct-v0.1"].params_total_b
    assert M["gemma-2-27b-it"].architecture.sliding_window == 4096
    assert set(["bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv"]) <= set(
        M["teuken-7b-instruct-commercial-v0.4"].languages)
    P = catalogue.publishers
    assert (P["mistral-ai"].country, P["mistral-ai"].bloc) == ("FR", "eu")
    assert P["meta"].gpai_cop == "declined" and P["mistral-ai"].gpai_cop == "full"
    assert not P["swiss-ai"].in_eu and P["aleph-alpha"].in_eu


def test_unknowns_report_is_current():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "catalogue_unknowns.py"), "--check"])
    assert result.returncode == 0, "run: python scripts/catalogue_unknowns.py"


def test_every_model_is_complete_or_says_why_not(catalogue):
    """A decision fact left empty silently changes the advice: a model either has every one, each
    behind a graded source, or is marked not rankable with the reason (and is then excluded)."""
    for m in catalogue.models.values():
        if m.not_rankable:
            assert len(m.not_rankable) > 20, m.id
        else:
            assert m.missing_facts == [], (m.id, m.missing_facts)


def test_incomplete_models_are_excluded_naming_the_fact(catalogue, rules):
    import advisor

    advice = advisor.advise({"use_case": {"tasks": ["chat"]}}, catalogue=catalogue, rules=rules)
    blocked = {m.id for m in catalogue.models.values() if m.not_rankable or m.missing_facts}
    ranked = {r.model for r in advice.ranking}
    assert blocked and not blocked & ranked
    reasons = {e.model: e.reasons for e in advice.excluded}
    for mid in blocked:
        assert any(r.rule == "catalogue-incomplete" for r in reasons[mid])


def test_pinned_decision_facts(catalogue):
    """Values re-read from the publishers' files (or verbatim copies) during the completeness pass."""
    M = catalogue.models
    # Qwen3 dense sizes from the model cards; head_dim 128 although 2560/32 = 80 for the 4B
    assert [M[f"qwen3-{s}"].params_total_b for s in ("4b", "8b", "14b", "32b")] == [4.0, 8.2, 14.8, 32.8]
    assert M["qwen3-4b"].architecture.head_dim == 128 and M["qwen3-4b"].architecture.hidden_size == 2560
    assert (M["qwen3-30b-a3b"].params_total_b, M["qwen3-30b-a3b"].params_active_b) == (30.5, 3.3)
    # gpt-oss-20b config.json: 24 layers, 64 Q / 8 KV heads of 64, window 128 on 12 layers, 32 experts top-4
    a = M["gpt-oss-20b"].architecture
    assert (a.num_hidden_layers, a.num_attention_heads, a.num_key_value_heads, a.head_dim) == (24, 64, 8, 64)
    assert (a.sliding_window, a.sliding_window_layers, a.num_experts, a.experts_per_token) == (128, 12, 32, 4)
    assert M["gpt-oss-20b"].weights_dtype == "mxfp4" and M["gpt-oss-20b"].context_length == 131072
    # EuroLLM 9B: 42 layers, 8 KV heads, 4,096 tokens; 22B: 56 layers, 48/8 heads, 32,768 tokens. The
    # 22B card's "22.639B" counts the untied embedding matrix once; the stored weights are 23.42B.
    e9, e22 = M["eurollm-9b-instruct"], M["eurollm-22b-instruct-2512"]
    assert (e9.architecture.num_hidden_layers, e9.architecture.num_key_value_heads, e9.context_length) == (42, 8, 4096)
    assert (e22.architecture.num_hidden_layers, e22.architecture.num_attention_heads,
            e22.architecture.num_key_value_heads, e22.context_length) == (56, 48, 8, 32768)
    assert e22.params_total_b == 23.42
    # trained context, not the inherited config value
    assert M["occiglot-7b-eu5-instruct"].context_length == 8192
    assert M["teuken-7b-instruct-commercial-v0.4"].context_length == 4096
    assert M["teuken-7b-instruct-commercial-v0.4"].architecture.num_key_value_heads == 2
    # Gemma 3 sizes include the 417M SigLIP vision encoder the repositories ship
    assert [M[f"gemma-3-{s}-it"].params_total_b for s in ("4b", "12b", "27b")] == [4.3, 12.19, 27.43]
    assert M["gemma-3-27b-it"].language_claim
    # Llama 4: chunked local attention (8,192-token chunks) on 36 of 48 layers
    for mid in ("llama-4-scout-17b-16e-instruct", "llama-4-maverick-17b-128e-instruct"):
        a = M[mid].architecture
        assert (a.local_attention, a.sliding_window, a.sliding_window_layers, a.num_hidden_layers) == (
            "chunked", 8192, 36, 48)
    # official precision of the Mistral 3 wave
    assert M["ministral-3-8b-instruct-2512"].weights_dtype == "fp8"
    assert M["ministral-3-8b-instruct-2512"].params_total_b == 8.92
    assert M["pixtral-12b-2409"].params_total_b == 12.4


def test_catalogue_counts_hold(catalogue):
    """Issue 12: at least 170 variants, at least 40 released in 2026, all of those rankable."""
    models = list(catalogue.models.values())
    recent = [m for m in models if m.release.startswith("2026")]
    assert len(models) >= 170
    assert len([m for m in recent if not (m.missing_facts or m.not_rankable)]) >= 40


def test_freshness_is_judged_against_the_review_date_not_the_clock(catalogue):
    from conftest import ROOT

    f = catalogue.freshness
    assert f.reviewed == catalogue.reviewed and f.newest_release == max(m.release for m in catalogue.models.values())
    small = advisor.load_catalogue(ROOT / "tests" / "data" / "catalogue_small")
    assert small.freshness.stale and "newer models may exist" in small.freshness.warning()
    a = advisor.advise({"use_case": {"tasks": ["chat"]}}, catalogue=small)
    assert a.catalogue.freshness_warning == small.freshness.warning()
    assert small.freshness.warning() in a.summary
    result = run_cli("catalogue", "status", "--format", "json")
    data = json.loads(result.stdout)
    assert data["reviewed"] == catalogue.reviewed and data["newest_release"] == f.newest_release
    assert data["prices_over_6_months_old"] == f.old_prices
    assert "newest release" in run_cli("catalogue", "status").stdout
