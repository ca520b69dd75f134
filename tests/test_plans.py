"""Deployment plans an inference engineer would run: engine, weights, KV cache, command, load."""

from __future__ import annotations

import pytest
from conftest import minimal

import advisor
from advisor.engine.deploy import Load, Planner, inline_class
from advisor.schema.requirements import Requirements


def plan(model_id, catalogue, **kw):
    req = Requirements.model_validate(minimal(**kw))
    planner = Planner(req, catalogue.hardware, list(catalogue.offers.values()), list(catalogue.machines.values()),
                      list(catalogue.quantizers))
    return planner.plan(catalogue.models[model_id])[0].described()


CLINIC = dict(use_case__tasks=["document_qa", "summarisation"], use_case__languages=["de"],
              use_case__context_tokens=16000, use_case__concurrent_users=20, hosting__mode="on_premises",
              hosting__hardware=[{"accelerator": "nvidia-l40s", "count": 1}])


def test_clinic_runs_a_24b_model_in_fp8_with_an_fp8_kv_cache_on_one_l40s(catalogue):
    d = plan("mistral-small-3.2-24b-instruct-2506", catalogue, **CLINIC)
    assert d.status == "fits" and d.engine == "vllm" and d.weights_format == "FP8" and d.kv_cache_dtype == "fp8"
    assert d.simultaneous_requests == 10 and d.typical_context_tokens == 8000
    assert d.meets_speed and d.tokens_per_s >= 10
    assert d.command.startswith("vllm serve mistralai/Mistral-Small-3.2-24B-Instruct-2506")
    for flag in ("--max-model-len 16000", "--kv-cache-dtype fp8", "--max-num-seqs 10", "--quantization fp8"):
        assert flag in d.command
    assert any("90%" in a for a in d.assumptions)


def test_a_laptop_cpu_gets_a_4_to_5_bit_gguf_with_llama_cpp(catalogue):
    d = plan("qwen3-4b-instruct-2507", catalogue, hosting__mode="on_premises",
             hosting__hardware=[{"name": "laptop", "kind": "cpu", "memory_gb": 32, "bandwidth_gbps": 83}])
    assert d.engine == "llama.cpp" and d.weights_format.startswith("GGUF")
    assert "llama-server" in d.command and "-c 8192" in d.command


def test_a_12_gb_consumer_card_is_planned_with_llama_cpp_when_vllm_cannot_fit(catalogue):
    d = plan("ministral-3-8b-instruct-2512", catalogue, hosting__mode="on_premises",
             hosting__hardware=[{"name": "office GPU", "kind": "gpu", "memory_gb": 12, "bandwidth_gbps": 360}])
    assert d.status == "fits" and d.engine == "llama.cpp" and "-ngl 99" in d.command
    assert inline_class("gpu", 12) == "desktop" and inline_class("gpu", 80) == "server"


def test_no_fp8_units_means_weight_only_fp8_on_ampere(catalogue):
    d = plan("mistral-small-3.2-24b-instruct-2506", catalogue, **{**CLINIC, "hosting__hardware": [
        {"accelerator": "nvidia-a100-80gb", "count": 1}]})
    assert d.engine == "vllm" and d.kv_cache_dtype == "fp16"
    if d.weights_format == "FP8":
        assert any("weight-only" in a for a in d.assumptions)


def test_the_plan_text_is_built_only_when_asked_for(catalogue):
    """Rules never read a plan's command, assumptions or sources, and most plans of a profile are
    never output: the planner defers them, and ``described()`` gives what the advice outputs."""
    req = Requirements.model_validate(minimal(**CLINIC))
    planner = Planner(req, catalogue.hardware, list(catalogue.offers.values()), list(catalogue.machines.values()),
                      list(catalogue.quantizers))
    facts = planner.plan(catalogue.models["mistral-small-3.2-24b-instruct-2506"])[0]
    assert facts.command is None and facts.assumptions == [] and facts.sources == [] and facts.text is not None
    described = facts.described()
    assert described.text is None and described.described() is described
    advice = advisor.advise(req, catalogue=catalogue)
    shown = next(r.deployment for r in advice.ranking if r.model == "mistral-small-3.2-24b-instruct-2506")
    assert (described.command, described.assumptions) == (shown.command, shown.assumptions)
    assert described.sources and "text" not in described.model_dump()
    assert described.model_copy(update={"text": None}) == described


def test_load_follows_the_use_case():
    chat = Load.of(Requirements.model_validate(minimal(use_case__tasks=["chat"], use_case__context_tokens=32768,
                                                       use_case__concurrent_users=9)))
    assert (chat.sequences, chat.typical, chat.need_tokens_per_s, chat.need_ttft_s) == (5, 8192, 10.0, 10.0)
    docs = Load.of(Requirements.model_validate(minimal(use_case__tasks=["summarisation"],
                                                       use_case__context_tokens=32768)))
    assert (docs.typical, docs.need_ttft_s) == (16384, 30.0)
    batch = Load.of(Requirements.model_validate(minimal(use_case__tasks=["extraction"], use_case__concurrent_users=8)))
    assert batch.batch and batch.sequences == 8 and batch.need_tokens_per_s == 3.0
    given = Load.of(Requirements.model_validate(minimal(use_case__concurrent_users=100,
                                                        use_case__simultaneous_requests=7)))
    assert given.sequences == 7 and given.given


def test_deployment_contract_keys(catalogue):
    a = advisor.advise(minimal(**CLINIC))
    d = a.ranking[0].deployment.model_dump()
    for key in ("engine", "weights_format", "weights_repo", "weights_gb", "kv_cache_dtype", "kv_cache_gb",
                "memory_gb", "tokens_per_s", "aggregate_tokens_per_s", "time_to_first_token_s",
                "simultaneous_requests", "sessions_at_full_context", "max_context_tokens", "command",
                "assumptions", "cost_basis", "hardware", "hosting"):
        assert key in d, key
    assert d["weights_gb"] + d["kv_cache_gb"] <= d["memory_gb"]


@pytest.mark.parametrize("mode", ["eu_cloud", "eu_sovereign_cloud"])
def test_rented_plans_stay_at_4_bit_quality_or_better(catalogue, mode):
    a = advisor.advise(minimal(hosting__mode=mode, use_case__monthly_tokens=10**12))
    for r in a.ranking[:20]:
        d = r.deployment
        if d.cost_basis == "rental_24_7":
            assert d.weights_format not in ("GGUF Q3_K_M",), r.model


@pytest.mark.parametrize("load", [dict(use_case__context_tokens=4000, use_case__concurrent_users=1),
                                  dict(use_case__context_tokens=128000, use_case__concurrent_users=50)])
def test_a_set_up_turned_down_before_sizing_has_no_plan(catalogue, load):
    """``best_on`` turns a set-up down unsized when it has less room than the model needs on
    any set-up; that bound must never turn down one on which ``candidates`` finds a plan (every
    model, every set-up to rent or buy, with and without split layers, at a light and a heavy
    load), and it does turn many of them down (the shortcut is exercised)."""
    req = Requirements.model_validate(minimal(**load))
    planner = Planner(req, catalogue.hardware, list(catalogue.offers.values()), list(catalogue.machines.values()),
                      list(catalogue.quantizers))
    devices = {d for _, d, _ in planner._offer_devices} | {d for _, d, _ in planner._setups(None)}
    turned_down = 0
    for model in catalogue.models.values():
        if model.missing_facts or model.not_rankable:
            continue
        for device in devices:
            if planner._least_anywhere(model) > planner._room(device):
                turned_down += 1
                assert planner.candidates(model, device) == [], (model.id, device.name)
                assert planner.best_on(model, device) is None
    assert turned_down > len(devices) * len(catalogue.models) // 10
