"""The Hugging Face Hub, for maintaining the catalogue (never used when scoring).

- ``draft_entry(repo)``: a catalogue entry drafted from the Hub's model API and the
  repository's config.json. Facts the Hub states (licence tag, gating, languages, parameter
  count, architecture, context) are filled in with the Hub URLs as sources; everything a
  person must judge (licence mapping when unclear, tasks, variant, openness) is named in
  ``unknown`` for review. A draft is never a finished entry.
- ``check(catalogue)``: drift between catalogue entries and the Hub.

huggingface_hub is imported here only, and only when these run. Set HF_ENDPOINT to use a
mirror (the tests point it at a local server with recorded responses).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .catalogue import Catalogue
from .documents import LineMap
from .errors import AdvisorError, Problem
from .schema.catalogue import ModelEntry
from .schema.iso import LANGUAGES

REPO = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


def _endpoint() -> str:
    return os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")


MAX_RESPONSE_BYTES = 5_000_000
"""Largest Hub response read (a model record or config.json is a few kB to a few hundred kB)."""
CONNECT_TIMEOUT, READ_TIMEOUT, TOTAL_TIMEOUT = 10.0, 30.0, 60.0
"""Seconds: to connect, between two reads, and for a whole response (a server that trickles
bytes is cut off)."""
RETRIES = 2
"""Further attempts after a 429 or 5xx answer or a network error, with a short pause."""


@dataclass(frozen=True)
class HubModel:
    """What advisor reads from the Hub's model record (GET /api/models/<repo>)."""

    card: dict[str, Any]
    gated: bool
    params: int | None
    created: dt.datetime | None


def _session() -> Any:
    try:
        from huggingface_hub.utils import get_session
    except ImportError as exc:  # pragma: no cover - a dependency of advisor
        raise AdvisorError(f"the Hub commands need huggingface_hub ({exc})") from None
    return get_session()


def _read_bounded(chunks: Any, started: float, url: str) -> bytes:
    body = bytearray()
    for chunk in chunks:
        body += chunk
        if len(body) > MAX_RESPONSE_BYTES:
            raise AdvisorError([Problem(f"the Hub's answer for {url} is larger than {MAX_RESPONSE_BYTES:,} bytes",
                                        field="HF_REPO")])
        if time.monotonic() - started > TOTAL_TIMEOUT:
            raise AdvisorError([Problem(f"the Hub took longer than {TOTAL_TIMEOUT:g} s to answer {url}",
                                        field="HF_REPO")])
    return bytes(body)


def _attempt(session: Any, url: str) -> tuple[int, bytes]:
    started = time.monotonic()
    if hasattr(session, "stream"):  # httpx-style client (huggingface_hub >= 1.0)
        with session.stream("GET", url, timeout=READ_TIMEOUT, follow_redirects=True) as r:
            status = r.status_code
            return status, _read_bounded(r.iter_bytes(), started, url) if status == 200 else b""
    with session.get(url, timeout=(CONNECT_TIMEOUT, READ_TIMEOUT), stream=True) as r:  # requests-style
        status = r.status_code
        return status, _read_bounded(r.iter_content(65536), started, url) if status == 200 else b""


def _within_total_timeout(session: Any, url: str) -> tuple[int, bytes]:
    """One attempt, given up after TOTAL_TIMEOUT however the server dribbles its answer: the
    clients' timeouts are per read, so a server sending a header byte now and then would hold
    them forever. A given-up attempt ends in the background at its next read timeout."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = _attempt(session, url)
        except BaseException as exc:  # handed to the caller below
            outcome["error"] = exc

    worker = threading.Thread(target=run, name="advisor-hub-get", daemon=True)
    worker.start()
    worker.join(TOTAL_TIMEOUT)
    if worker.is_alive():
        raise AdvisorError([Problem(f"the Hub took longer than {TOTAL_TIMEOUT:g} s to answer {url}",
                                    field="HF_REPO")])
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _get(url: str) -> tuple[int, bytes]:
    """(status, body) of one GET with timeouts, a size limit and bounded retries."""
    session = _session()
    last = ""
    for attempt in range(RETRIES + 1):
        if attempt:
            time.sleep(0.5 * attempt)
        try:
            status, body = _within_total_timeout(session, url)
        except AdvisorError:
            raise
        except Exception as exc:  # network errors come in many types
            last = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            continue
        if status == 429 or status >= 500:
            last = f"HTTP {status}"
            continue
        return status, body
    raise AdvisorError([Problem(f"could not reach the Hub at {_endpoint()}: {last} (after {RETRIES + 1} attempts)",
                                field="HF_REPO")])


def _json(body: bytes, url: str) -> Any:
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        raise AdvisorError([Problem(f"the Hub's answer for {url} is not valid JSON", field="HF_REPO")]) from None


def fetch(repo: str) -> tuple[HubModel, dict[str, Any] | None]:
    """(model record, config.json or None) for a repository."""
    if not REPO.match(repo):
        raise AdvisorError([Problem(f"{repo!r} is not a Hub repository id (owner/name)", field="HF_REPO")])
    endpoint = _endpoint()
    url = f"{endpoint}/api/models/{repo}"
    status, body = _get(url)
    if status in (401, 403):
        raise AdvisorError([Problem(f"{repo!r} is gated; log in with a token that has access", field="HF_REPO")])
    if status == 404:
        raise AdvisorError([Problem(f"no repository {repo!r} on {endpoint}", field="HF_REPO")])
    if status != 200:
        raise AdvisorError([Problem(f"the Hub answered HTTP {status} for {repo!r}", field="HF_REPO")])
    record = _json(body, url)
    if not isinstance(record, dict):
        raise AdvisorError([Problem(f"the Hub's record of {repo!r} is not a JSON object", field="HF_REPO")])
    card = record.get("cardData") if isinstance(record.get("cardData"), dict) else {}
    safetensors = record.get("safetensors") if isinstance(record.get("safetensors"), dict) else {}
    total = safetensors.get("total")
    created = None
    if isinstance(record.get("createdAt"), str):
        try:
            created = dt.datetime.fromisoformat(record["createdAt"].replace("Z", "+00:00"))
        except ValueError:
            created = None
    model = HubModel(card=card, gated=bool(record.get("gated")),
                     params=total if isinstance(total, int) and not isinstance(total, bool) and total > 0 else None,
                     created=created)
    config = None
    config_url = f"{endpoint}/{repo}/resolve/main/config.json"
    status, body = _get(config_url)
    if status == 200:  # config.json is optional (gated repos, mistral-format repos)
        config = _json(body, config_url)
        if not isinstance(config, dict):
            raise AdvisorError([Problem("config.json is not a JSON object", field="config.json")])
    return model, config


def _int(config: dict[str, Any], *keys: str) -> int | None:
    """The first of ``keys`` that holds a positive whole number (strings, floats and booleans do
    not count: a config.json with odd values gives an empty field, never a crash)."""
    for key in keys:
        value = config.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return None


def _text_config(config: dict[str, Any]) -> dict[str, Any]:
    for key in ("text_config", "llm_config", "language_config"):
        if isinstance(config.get(key), dict):
            return {**config, **config[key]}
    return config


def architecture_from_config(config: dict[str, Any]) -> dict[str, Any]:
    """Architecture fields as the catalogue stores them, from a Hugging Face config.json."""
    c = _text_config(config)
    heads = _int(c, "num_attention_heads", "n_heads")
    kv = _int(c, "num_key_value_heads", "n_kv_heads") or heads
    hidden = _int(c, "hidden_size", "d_model", "dim")
    head_dim = _int(c, "head_dim") or (hidden // heads if hidden and heads else None)
    layers = _int(c, "num_hidden_layers", "n_layers")
    arch: dict[str, Any] = {"num_hidden_layers": layers, "num_attention_heads": heads, "num_key_value_heads": kv,
                            "head_dim": head_dim, "hidden_size": hidden}
    if _int(c, "kv_lora_rank"):
        arch.update(attention="mla", kv_lora_rank=_int(c, "kv_lora_rank"), qk_rope_head_dim=_int(c, "qk_rope_head_dim"))
    elif kv and heads:
        arch["attention"] = "mha" if kv == heads else ("mqa" if kv == 1 else "gqa")
    layer_types = c.get("layer_types")
    window = _int(c, "sliding_window")
    if isinstance(layer_types, list) and layer_types:
        sliding = sum(1 for t in layer_types if "sliding" in str(t))
        full = sum(1 for t in layer_types if str(t) == "full_attention")
        linear = len(layer_types) - sliding - full
        if sliding and window:
            arch.update(sliding_window=window, sliding_window_layers=sliding, local_attention="sliding")
        if linear > 0 and full:
            arch.update(attention="hybrid", full_attention_layers=full)
    elif window and c.get("use_sliding_window", True) is not False:
        arch.update(sliding_window=window, sliding_window_layers=layers)
    experts = _int(c, "num_local_experts", "n_routed_experts", "num_experts")
    if experts:
        arch.update(num_experts=experts, experts_per_token=_int(c, "num_experts_per_tok"))
    return {k: v for k, v in arch.items() if v is not None}


def _weights_dtype(config: dict[str, Any]) -> str | None:
    """The precision of the published weights, from quantization_config or torch_dtype."""
    quant = config.get("quantization_config")
    if isinstance(quant, dict):
        method = str(quant.get("quant_method", "")).lower()
        if method == "mxfp4":
            return "mxfp4"
        if method == "fp8" or "fp8" in str(quant.get("fmt", "")).lower():
            return "fp8"
        if method in ("awq", "gptq") or quant.get("bits") == 4:
            return "int4"
        return None
    dtype = str(_text_config(config).get("torch_dtype") or config.get("dtype") or "").lower()
    return {"bfloat16": "bf16", "float16": "fp16", "float32": "fp32"}.get(dtype)


def _licence_id(catalogue: Catalogue, tag: str | None, name: str | None) -> str | None:
    for lic in catalogue.licences.values():
        if tag and tag != "other" and lic.hf_tag == tag:
            return lic.id
        if tag == "other" and name and lic.hf_license_name == name:
            return lic.id
    return None


def _publisher(catalogue: Catalogue, org: str) -> str | None:
    for m in catalogue.models.values():
        if m.hf_repo.split("/")[0].lower() == org.lower():
            return m.publisher
    return None


def draft_entry(repo: str, catalogue: Catalogue, today: dt.date | None = None) -> dict[str, Any]:
    """A draft catalogue entry for ``repo`` (a mapping; validate it before use)."""
    today = today or dt.date.today()
    info, config = fetch(repo)
    card = info.card
    endpoint = _endpoint()
    org, name = repo.split("/")
    unknown = ["tasks", "variant", "family", "openness.technical_report", "openness.training_data",
               "openness.training_code"]
    tag = card.get("license") if isinstance(card.get("license"), str) else None
    name_tag = card.get("license_name") if isinstance(card.get("license_name"), str) else None
    licence = _licence_id(catalogue, tag, name_tag)
    if licence is None:
        unknown.append(f"licence (Hub tag {tag!r} is not mapped to a catalogue licence; read the LICENSE file)")
    publisher = _publisher(catalogue, org)
    if publisher is None:
        unknown.append(f"publisher (no catalogue publisher for the Hub organisation {org!r})")
    languages = card.get("language") or []
    languages = [x for x in ([languages] if isinstance(languages, str) else languages) if x in LANGUAGES]
    if not languages:
        unknown.append("languages")
    params = round(info.params / 1e9, 2) if info.params else None
    if params is None:
        unknown.append("params_total_b")
    arch = architecture_from_config(config) if config else {}
    if not arch:
        unknown.append("architecture (config.json not readable)")
    context = _int(_text_config(config), "max_position_embeddings") if config else None
    if context is None:
        unknown.append("context_length")
    modalities = ["text"] + (["image"] if config and "vision_config" in config else [])
    gated = info.gated
    created = info.created
    sources = [{"url": f"{endpoint}/{repo}", "retrieved": today, "grade": "primary", "facts": ["languages"],
                "note": "model card metadata: licence tag, languages (read the card text and the LICENSE file "
                        "before recording the licence)"},
               {"url": f"{endpoint}/api/models/{repo}", "retrieved": today, "grade": "primary",
                "facts": ["params", "gated", "release"],
                "note": "Hub model API: gating, safetensors parameter total, creation date"}]
    dtype = _weights_dtype(config) if config else None
    if config:
        sources.append({"url": f"{endpoint}/{repo}/blob/main/config.json", "retrieved": today, "grade": "primary",
                        "facts": ["architecture", "context"] + (["weights_dtype"] if dtype else []),
                        "note": "config.json: architecture, max_position_embeddings, torch_dtype / quantization"})
    if dtype is None:
        unknown.append("weights_dtype")
    return {
        "id": name.lower()[:80],
        "name": name,
        "hf_repo": repo,
        "publisher": publisher or org.lower(),
        "licence": licence or "unknown",
        "hf_licence": tag or "unknown",
        "family": name,
        "variant": "instruct" if re.search(r"instruct|chat|-it\b", name, re.IGNORECASE) else "base",
        "release": created.strftime("%Y-%m") if created else today.strftime("%Y-%m"),
        "params_total_b": params,
        "architecture": arch,
        "context_length": context,
        "weights_dtype": dtype,
        "modalities": modalities,
        "tasks": ["chat"],
        "languages": languages,
        "gated": gated,
        "eu_gated": bool(card.get("extra_gated_eu_disallowed", False)),
        "openness": {"weights": "gated" if gated else "open"},
        "notes": f"Draft from the Hub on {today.isoformat()} by 'advisor catalogue import': review every field "
                 "in 'unknown' against the model card and licence text before use. The release month is the "
                 "repository's creation month.",
        "unknown": unknown,
        "sources": sources,
        "reviewed": today,
    }


def write_draft(draft: dict[str, Any], root: Path) -> Path:
    """Validate the draft and write it atomically to root/models/<publisher>/<id>.yaml. A draft
    that does not validate writes nothing: each problem is reported with its field."""
    try:
        ModelEntry.model_validate(draft)
    except ValidationError as exc:
        from .documents import validation_problems

        raise AdvisorError([Problem(f"the draft cannot be written: {p.message}", field=p.field)
                            for p in validation_problems(exc, None, LineMap(), model=ModelEntry)]) from None
    path = root / "models" / draft["publisher"] / f"{draft['id']}.yaml"
    if path.exists():
        raise AdvisorError([Problem("exists already; edit it instead of importing again", file=str(path))])
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(dump(draft))
    os.replace(tmp, path)
    return path


def dump(draft: dict[str, Any]) -> str:
    return yaml.safe_dump(draft, sort_keys=False, allow_unicode=True, width=100)


@dataclass(frozen=True)
class Drift:
    model: str
    field: str
    catalogue: Any
    hub: Any

    def render(self) -> str:
        return f"{self.model}: {self.field}: catalogue {self.catalogue!r}, Hub {self.hub!r}"


def check(catalogue: Catalogue, model_ids: list[str] | None = None) -> list[Drift]:
    """Differences between catalogue entries and what the Hub states now."""
    drifts: list[Drift] = []
    for mid in model_ids or list(catalogue.models):
        m = catalogue.model(mid)
        info, config = fetch(m.hf_repo)
        card = info.card
        if card.get("license") and m.hf_licence not in ("unknown", card.get("license")):
            drifts.append(Drift(mid, "hf_licence", m.hf_licence, card.get("license")))
        if info.gated != m.gated:
            drifts.append(Drift(mid, "gated", m.gated, info.gated))
        total = info.params
        if total and m.params_total_b and abs(total / 1e9 - m.params_total_b) / m.params_total_b > 0.03:
            drifts.append(Drift(mid, "params_total_b", m.params_total_b, round(total / 1e9, 2)))
        if config:
            arch = architecture_from_config(config)
            for key in ("num_hidden_layers", "num_key_value_heads", "head_dim"):
                ours = getattr(m.architecture, key)
                if ours is not None and key in arch and arch[key] != ours:
                    drifts.append(Drift(mid, f"architecture.{key}", ours, arch[key]))
            ctx = _int(_text_config(config), "max_position_embeddings")
            if ctx and m.context_length and ctx != m.context_length and ctx != m.native_context_length:
                drifts.append(Drift(mid, "context_length", m.context_length, ctx))
    return drifts
