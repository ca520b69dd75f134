"""Plain words for what the results show: quantization names, KV cache, tokens, hardware names.

The results are read by directors and IT leads, not ML engineers: every term is explained where it
appears, and hardware and hosting ids are shown with their names.
"""

from __future__ import annotations

import re
from typing import Any

from ..engine.explain import FORMAT_WORDS

TERMS: dict[str, str] = {
    "BF16": "full precision, 16 bits per weight: no quality loss",
    "FP16": "full precision, 16 bits per weight: no quality loss",
    "FP8": "8 bits per weight: practically no quality loss",
    "Q8_0": "8 bits per weight (llama.cpp): practically no quality loss",
    "Q6_K": "about 6.6 bits per weight (llama.cpp): minimal quality loss",
    "Q5_K_M": "about 5.7 bits per weight (llama.cpp): minimal quality loss",
    "Q4_K_M": "about 4.9 bits per weight (llama.cpp): a small quality loss",
    "Q3_K_M": "about 3.9 bits per weight (llama.cpp): a noticeable quality loss",
    "AWQ-INT4": "4 bits per weight (AWQ): a small quality loss",
    "GPTQ-INT4": "4 bits per weight (GPTQ): a small quality loss",
    "MXFP4": "4 bits per weight in the publisher's own format (MXFP4), as released",
    "INT4": "4 bits per weight, as released",
}
KV_CACHE = ("the KV cache is the working memory a request needs for the text it holds; it grows with the "
            "length of the request and with every request served at the same moment")
TOKENS = "a token is a piece of a word, about 3/4 of an English word"
SCORE = ("the score (0-100) is the mean of the six aspect scores, weighted by your priorities; each aspect is "
         "explained with the rules and sources behind it")
DELTA = "places moved compared with your answers: ▲ up, ▼ down, 'new' newly eligible"
ENGINES = {"vllm": "vLLM", "llama.cpp": "llama.cpp", "mlx": "MLX", "sglang": "SGLang",
           "managed_api": "the provider's API"}


def quant_words(fmt: str | None) -> str:
    """'FP8 (8 bits per weight: practically no quality loss)'."""
    if not fmt:
        return ""
    bare = fmt.removeprefix("GGUF ").strip()
    gloss = TERMS.get(bare)
    if gloss is None:
        words = FORMAT_WORDS.get(fmt)
        return f"{fmt} ({words})" if words else fmt
    return f"{bare} ({gloss})"


def hardware_label(name: str, memory_gb: float) -> str:
    """A hardware name with its memory, said once: 'NVIDIA L40S (48 GB)', 'NVIDIA H100 NVL (94 GB)'."""
    mem = f"{memory_gb:g}"
    if re.search(rf"(?<![\d.]){re.escape(mem)}\s*GB", name):
        return name
    return f"{name} ({mem} GB)"


class Namer:
    """Replaces catalogue ids in engine text with names: '1x nvidia-l40s' -> '1× NVIDIA L40S'."""

    def __init__(self, catalogue: Any) -> None:
        self.names: dict[str, str] = {hid: h.name for hid, h in catalogue.hardware.items()}
        for oid, offer in getattr(catalogue, "offers", {}).items():
            self.names.setdefault(oid, f"{offer.provider} {oid}")
        ids = sorted(self.names, key=len, reverse=True)
        self._count = re.compile(r"\b(\d+)x (" + "|".join(map(re.escape, ids)) + r")\b") if ids else None
        self._hw = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, catalogue.hardware)) + r")(?![\w-])") \
            if catalogue.hardware else None

    def hardware(self, spec: str) -> str:
        """'1x nvidia-l40s' / '2x nvidia-l4 + ...' -> names."""
        return self.text(spec)

    def text(self, text: str) -> str:
        if not text:
            return text
        if self._count is not None:
            text = self._count.sub(lambda m: f"{m.group(1)}× {self.names.get(m.group(2), m.group(2))}", text)
        if self._hw is not None:
            text = self._hw.sub(lambda m: self.names.get(m.group(1), m.group(1)), text)
        return text
