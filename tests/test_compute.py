"""Memory and speed estimates: reference cases from estimation.md, every catalogue model,
and properties that must hold for any input."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor import compute
from advisor.compute import Device
from advisor.schema.catalogue import ModelEntry

BASE = dict(name="x", hf_repo="a/b", publisher="p", licence="l", hf_licence="x", family="f", variant="instruct",
            release="2024-07", modalities=["text"], tasks=["chat"], openness={"weights": "open"},
            sources=[{"url": "https://x.org", "retrieved": "2026-11-27"}], reviewed="2026-11-27")


def model(**kw) -> ModelEntry:
    return ModelEntry.model_validate({**BASE, "id": "m", **kw})


LLAMA_8B = model(params_total_b=8.03, context_length=131072,
                 architecture={"num_hidden_layers": 32, "num_key_value_heads": 8, "head_dim": 128})
QWEN_72B = model(params_total_b=72.7, architecture={"num_hidden_layers": 80, "num_key_value_heads": 8, "head_dim": 128})
DEEPSEEK_V3 = model(params_total_b=671, params_active_b=37, architecture={
    "num_hidden_layers": 61, "attention": "mla", "kv_lora_rank": 512, "qk_rope_head_dim": 64,
    "num_experts": 256, "experts_per_token": 8})
MIXTRAL = model(params_total_b=46.7, params_active_b=12.9, architecture={
    "num_hidden_layers": 32, "num_key_value_heads": 8, "head_dim": 128, "num_experts": 8, "experts_per_token": 2})


def test_reference_kv_llama_8b():
    assert compute.kv_cache_gb(LLAMA_8B, 8192) == pytest.approx(1.074, abs=0.001)


def test_reference_weights_llama_8b_q4_k_m():
    assert compute.weights_gb(LLAMA_8B, "Q4_K_M") == pytest.approx(4.91, abs=0.01)


def test_reference_kv_qwen_72b():
    assert compute.kv_cache_gb(QWEN_72B, 32768) == pytest.approx(10.74, abs=0.01)


def test_reference_mla_kv_deepseek_v3():
    assert compute.kv_cache_gb(DEEPSEEK_V3, 8192) == pytest.approx(0.58, abs=0.01)


def test_moe_memory_uses_total_and_speed_uses_active():
    w = compute.weights_gb(MIXTRAL, "Q8_0")
    assert w == pytest.approx(46.7 * 8.5008 / 8, rel=1e-6)
    read = compute.weight_bytes_read(MIXTRAL, "Q8_0", users=1)
    assert read == pytest.approx(w * 1e9 * 12.9 / 46.7, rel=1e-6)
    # a batch of users touches more experts, never more than all of them
    many = compute.weight_bytes_read(MIXTRAL, "Q8_0", users=64)
    assert read < many <= w * 1e9 + 1


def test_sliding_window_caps_windowed_layers():
    gemma = model(params_total_b=27, architecture={"num_hidden_layers": 62, "num_key_value_heads": 16, "head_dim": 128,
                                                   "sliding_window": 1024, "sliding_window_layers": 52})
    full = model(params_total_b=27, architecture={"num_hidden_layers": 62, "num_key_value_heads": 16, "head_dim": 128})
    ctx = 32768
    per_layer = 2 * 16 * 128 * 2
    expected = per_layer * (10 * ctx + 52 * 1024) / 1e9
    assert compute.kv_cache_gb(gemma, ctx) == pytest.approx(expected)
    assert compute.kv_cache_gb(gemma, 512) == pytest.approx(compute.kv_cache_gb(full, 512))


def test_hybrid_counts_only_full_attention_layers():
    hybrid = model(params_total_b=12, architecture={"num_hidden_layers": 62, "num_key_value_heads": 8, "head_dim": 128,
                                                    "attention": "hybrid", "full_attention_layers": 6})
    assert compute.kv_cache_gb(hybrid, 8192) == pytest.approx(2 * 6 * 8 * 128 * 2 * 8192 / 1e9)


def test_unknown_architecture_is_reported_not_guessed():
    bare = model(params_total_b=7, architecture={})
    assert compute.kv_cache_gb(bare, 8192) is None
    memory = compute.estimate_memory(bare, "Q4_K_M", 8192)
    assert memory is not None and not memory.kv_known and memory.kv_cache_gb == 0


def test_speed_roofline_matches_worked_example():
    rtx4090 = Device("RTX 4090", "gpu", 24, 1008)
    speed = compute.decode_speed(LLAMA_8B, "Q4_K_M", 8192, 1, rtx4090)
    assert speed.per_user == pytest.approx(1008 * 0.55 / (4.913 + 1.074), rel=0.01)  # estimation.md: ~93 tok/s


def test_best_quantization_and_max_context():
    l40s = Device("L40S", "gpu", 48, 864)
    plan = compute.best_quantization(LLAMA_8B, l40s, 8192, 1)
    assert plan.quantization == "BF16"
    small = Device("8 GB card", "gpu", 8, 272)
    plan = compute.best_quantization(LLAMA_8B, small, 8192, 1)
    assert plan.quantization == "Q5_K_M" and plan.memory.total_gb <= 8
    ctx = compute.max_context(LLAMA_8B, "Q4_K_M", 1, small)
    assert compute.estimate_memory(LLAMA_8B, "Q4_K_M", ctx, 1).total_gb <= 8
    assert compute.estimate_memory(LLAMA_8B, "Q4_K_M", ctx + 1, 1).total_gb > 8


def test_every_catalogue_model_sizes(catalogue):
    for m in catalogue.models.values():
        if m.params_total_b is None:
            assert "params_total_b" in m.unknown
            continue
        for q in compute.ladder_for(m):
            mem = compute.estimate_memory(m, q, 8192, 4)
            assert mem.weights_gb > 0 and mem.kv_cache_gb >= 0 and mem.overhead_gb > 0
            assert math.isfinite(mem.total_gb)
        if m.params_active_b is not None:  # MoE: memory from the total
            assert compute.weights_gb(m, "Q8_0") == pytest.approx(m.params_total_b * 8.5008 / 8)


def test_tensor_parallel_adds_memory_and_bandwidth():
    one = Device("h100", "gpu", 80, 3350, count=1)
    two = Device("h100", "gpu", 80, 3350, count=2)
    assert two.usable_gb == 160
    assert one.effective_bandwidth < two.effective_bandwidth < 2 * one.effective_bandwidth


MODELS = st.sampled_from([LLAMA_8B, QWEN_72B, DEEPSEEK_V3, MIXTRAL])
QUANTS = st.sampled_from(["BF16", "Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "Q3_K_M", "Q2_K"])


@settings(max_examples=150, deadline=None)
@given(MODELS, QUANTS, st.integers(256, 200_000), st.integers(256, 200_000), st.integers(1, 64))
def test_more_context_never_needs_less_memory(m, q, a, b, users):
    lo, hi = sorted((a, b))
    assert compute.estimate_memory(m, q, lo, users).total_gb <= compute.estimate_memory(m, q, hi, users).total_gb


@settings(max_examples=150, deadline=None)
@given(MODELS, st.integers(256, 100_000), st.integers(1, 32))
def test_bigger_quantization_never_needs_less_memory(m, ctx, users):
    order = sorted(compute.QUANTIZATIONS.values(), key=lambda q: q.bits_per_weight)
    totals = [compute.estimate_memory(m, q.id, ctx, users).total_gb for q in order]
    assert totals == sorted(totals)


@settings(max_examples=100, deadline=None)
@given(MODELS, QUANTS, st.integers(256, 65_536), st.integers(1, 16))
def test_more_users_means_more_memory_and_less_speed_each(m, q, ctx, users):
    d = Device("big", "gpu", 2000, 4000)
    a, b = compute.decode_speed(m, q, ctx, users, d), compute.decode_speed(m, q, ctx, users + 1, d)
    assert b.per_user <= a.per_user + 1e-9
    assert compute.estimate_memory(m, q, ctx, users).total_gb < compute.estimate_memory(m, q, ctx, users + 1).total_gb
