"""Memory, KV-cache and speed estimates against hand-computed references, and their properties."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor import compute, load_catalogue
from advisor.compute import FORMATS, Device

DATA = Path(__file__).parent / "data"

CAT = load_catalogue()
M = CAT.models

# KV bytes per token, computed by hand from each model's config.json (2 = K and V, x layers x KV heads
# x head_dim x 2 bytes for fp16), at the context given.
KV_REFERENCE = [
    # dense GQA: 2 x 32 x 8 x 128 x 2 = 131,072 B/token
    ("llama-3.1-8b-instruct", 8192, 131_072 * 8192),
    # 2 x 64 x 8 x 128 x 2 = 262,144 B/token
    ("qwen3-32b", 32768, 262_144 * 32768),
    # gpt-oss-20b: 12 full layers x 2 x 8 x 64 x 2 = 24,576 B, 12 layers with a 128-token window:
    # 12 x 2,048 x 128 / 8,192 = 384 B/token on average at 8,192 tokens
    ("gpt-oss-20b", 8192, (24_576 + 384) * 8192),
    # Gemma 3 27B: 10 global layers x 2 x 16 x 128 x 2 = 81,920 B; 52 local layers, window 1,024:
    # 52 x 8,192 x 1,024 / 32,768 = 13,312 B/token at 32,768 tokens
    ("gemma-3-27b-it", 32768, (81_920 + 13_312) * 32768),
    # Qwen3-Next: only 12 of 48 layers keep a KV cache: 12 x 2 x 2 x 256 x 2 = 24,576 B/token
    ("qwen3-next-80b-a3b-instruct", 65536, 24_576 * 65536),
    # Llama 4 Scout: 12 global layers x 2 x 8 x 128 x 2 = 49,152 B; 36 chunked layers (8,192-token
    # chunks): 36 x 4,096 x 8,192 / 131,072 = 9,216 B/token at 131,072 tokens
    ("llama-4-scout-17b-16e-instruct", 131072, (49_152 + 9_216) * 131072),
    # DeepSeek-V3 MLA: 61 layers x (512 + 64) x 2 B = 70,272 B/token, no factor 2
    ("deepseek-v3", 8192, 70_272 * 8192),
]


@pytest.mark.parametrize("model_id,context,expected_bytes", KV_REFERENCE)
def test_kv_cache_reference_set(model_id, context, expected_bytes):
    got = compute.kv_cache_gb(M[model_id], context) * 1e9
    assert got == pytest.approx(expected_bytes, rel=0.05)


def test_fp8_kv_cache_is_half():
    m = M["llama-3.1-8b-instruct"]
    assert compute.kv_cache_gb(m, 8192, kv_dtype="fp8") == pytest.approx(compute.kv_cache_gb(m, 8192) / 2)


def test_weights_by_format():
    m = M["llama-3.1-8b-instruct"]  # 8.03B
    assert compute.weights_gb(m, "GGUF Q4_K_M") == pytest.approx(8.03 * 4.8944 / 8, rel=0.01)
    assert compute.weights_gb(m, "FP8") == pytest.approx(8.03, rel=0.01)
    assert compute.weights_gb(m, "BF16") == pytest.approx(16.06, rel=0.01)


def test_official_4bit_moe_quantizes_only_the_experts():
    """gpt-oss-20b ships MXFP4 experts with 16-bit attention and embeddings: about 13 GB, more than
    21B x 4.25 bits would suggest (about 11 GB)."""
    w = compute.weights_gb(M["gpt-oss-20b"], "MXFP4")
    assert 12 < w < 14.5


def test_moe_memory_uses_total_and_speed_uses_active():
    m = M["mixtral-8x7b-instruct-v0.1"]
    w = compute.weights_gb(m, "GGUF Q8_0")
    one = compute.weight_bytes_read(m, "GGUF Q8_0", sequences=1)
    many = compute.weight_bytes_read(m, "GGUF Q8_0", sequences=64)
    assert one < 0.5 * w * 1e9 and many > 0.95 * w * 1e9


def _gpu(memory=48.0, bw=864.0, bf16=362.0, fp8=733.0, count=1):
    return Device("test GPU", "gpu", memory, bw, count, tflops_bf16=bf16, tflops_fp8=fp8, vendor="NVIDIA")


def test_usable_memory_is_what_vllm_may_use():
    assert _gpu().usable_gb == pytest.approx(48 * 0.90 - 1.0)
    assert _gpu(count=2).usable_gb == pytest.approx(2 * (48 * 0.90 - 1.0))
    cpu = Device("server", "cpu", 256, 460, usable_fraction=0.9)
    assert cpu.usable_gb == pytest.approx(256 * 0.9 - 4)


def test_speed_has_a_compute_ceiling():
    """Many simultaneous requests on a small MoE cannot go faster than the GPU computes."""
    m = M["gpt-oss-20b"]
    slow_compute = _gpu(bw=3350, bf16=20.0, fp8=None)
    speed = compute.decode_speed(m, "MXFP4", 2048, 64, slow_compute)
    assert speed.bound == "compute"
    assert speed.per_user < compute.decode_speed(m, "MXFP4", 2048, 64, _gpu(bw=3350)).per_user


def test_time_to_first_token_grows_with_the_prompt():
    m = M["llama-3.1-8b-instruct"]
    d = _gpu()
    short, long = compute.prefill_seconds(m, "BF16", 1000, d), compute.prefill_seconds(m, "BF16", 16000, d)
    assert long > 16 * short * 0.95
    # 2 x 8B x 16,000 tokens at 362 TFLOP/s x 0.45: about 1.6 s plus attention
    assert 1.5 < long < 3.0


def test_tensor_parallel_scales_by_interconnect():
    nvlink = Device("x", "gpu", 80, 2000, 4, interconnect="nvlink")
    pcie = Device("x", "gpu", 80, 2000, 4, interconnect="pcie")
    assert nvlink.scale() == pytest.approx(4 * 0.92 ** 2)
    assert pcie.scale() < nvlink.scale() < 4


def test_sessions_at_full_context():
    m = M["llama-3.1-8b-instruct"]
    mem = compute.memory(m, "BF16", context=32768, typical=16384, sequences=4)
    d = _gpu()
    free = d.usable_gb - mem.weights_gb - mem.activations_gb
    assert compute.sessions_at_full_context(m, mem, d.usable_gb) == int(free // mem.kv_full_gb)


MODELS = [m for m in M.values() if not (m.missing_facts or m.not_rankable)]
FMTS = st.sampled_from(sorted(FORMATS))


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(MODELS), FMTS, st.integers(256, 200_000), st.integers(256, 200_000), st.integers(1, 64))
def test_more_context_never_needs_less_memory(m, fmt, a, b, n):
    lo, hi = sorted((a, b))
    small = compute.memory(m, fmt, context=lo, typical=lo, sequences=n)
    large = compute.memory(m, fmt, context=hi, typical=hi, sequences=n)
    assert small.total_gb <= large.total_gb + 1e-9


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(MODELS), st.integers(256, 100_000), st.integers(1, 64))
def test_more_bits_never_need_less_memory(m, ctx, n):
    order = sorted((f for f in FORMATS.values() if not f.experts_only), key=lambda f: f.bits)
    totals = [compute.memory(m, f.id, context=ctx, typical=ctx, sequences=n).total_gb for f in order]
    assert totals == sorted(totals)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(MODELS), st.integers(256, 100_000), st.integers(1, 63))
def test_more_requests_mean_more_memory_and_less_speed_each(m, ctx, n):
    d = _gpu(memory=640, bw=3350, count=1)
    fmt = compute.gpu_formats(m)[0]
    a, b = compute.decode_speed(m, fmt, ctx, n, d), compute.decode_speed(m, fmt, ctx, n + 1, d)
    assert b.per_user <= a.per_user + 1e-9 and b.aggregate >= a.aggregate * 0.999
    ma = compute.memory(m, fmt, context=ctx, typical=ctx, sequences=n)
    mb = compute.memory(m, fmt, context=ctx, typical=ctx, sequences=n + 1)
    assert ma.total_gb < mb.total_gb


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(MODELS), st.sampled_from(["fp16", "fp8", "q8_0"]), st.floats(2.0, 700.0), st.integers(1, 64))
def test_max_context_is_the_longest_whose_kv_cache_fits(m, kv, usable, n):
    """The search reads the KV layout once; its answer is what kv_cache_gb itself says fits."""
    mem = compute.memory(m, "BF16", context=4096, typical=4096, sequences=n, kv_dtype=kv)
    best = compute.max_context(m, mem, n, usable)
    free = usable - mem.weights_gb - mem.activations_gb
    assert 0 <= best <= m.context_length
    if best:
        assert compute.kv_cache_gb(m, best, n, kv) <= free
    if best < m.context_length:
        assert compute.kv_cache_gb(m, best + 1, n, kv) > free


def test_kv_layout_gives_kv_bytes_per_token():
    for m in MODELS:
        layout = compute.kv_layout(m, "fp8")
        for context in (1, 1000, 4096, 131_072):
            assert compute.kv_bytes_per_token(m, context, "fp8") == compute.kv_per_token(layout, context)
    assert compute.kv_bytes_per_token(MODELS[0], 0) is None


def test_every_rankable_model_sizes_on_every_format():
    for m in MODELS:
        for fmt in (*compute.gpu_formats(m), *compute.gguf_formats(m)):
            mem = compute.memory(m, fmt, context=8192, typical=4096, sequences=4)
            assert mem is not None and mem.total_gb > 0, (m.id, fmt)


# --------------------------------------------------------------------------- calibration


def test_decode_speed_estimates_match_published_measurements(catalogue):
    """Every published measurement advisor can re-estimate stays within a factor of two, and the
    median within 25 %: a change to the speed model that drifts from reality fails here."""
    from advisor import calibration

    rows, skipped = calibration.compare(catalogue, calibration.load(DATA / "measurements.yaml"))
    assert len(rows) >= 60, skipped
    assert 0.8 <= calibration.median_ratio(rows) <= 1.25
    for kind in ("gpu", "unified", "cpu"):
        assert 0.75 <= calibration.median_ratio(rows, device_kind=kind) <= 1.35, kind
    outside = [(r.id, round(r.ratio, 2)) for r in rows if not 0.5 <= r.ratio <= 2.0]
    assert not outside


def test_prefill_estimates_match_published_measurements(catalogue):
    """Time-to-first-token decides the speed gate for documents: the prompt-processing estimate
    stays within a factor of 1.5 of the median published GPU and unified-memory measurement.
    (The one CPU in the set, a Xeon 6980P, is rated by its AMX peak, which llama.cpp does not
    reach: its estimates are far too fast and are reported, not tuned to.)"""
    from advisor import calibration

    rows, skipped = calibration.compare_prefill(catalogue, calibration.load(DATA / "prefill-measurements.yaml"))
    assert len(rows) >= 35, skipped
    for kind in ("gpu", "unified"):
        assert 0.66 <= calibration.median_ratio(rows, device_kind=kind) <= 1.5, kind
