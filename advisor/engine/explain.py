"""The plain-language summary, built from the scoring trace.

It says why the first model is first, what it trades against the second, which models were
excluded and why (grouped by cause, biggest names first), and what change to the
requirements would change the answer, each checked by re-scoring, never guessed.
The audience is a clinic director, not an ML engineer: no jargon without a gloss.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import AdvisorError
from ..schema.iso import country_name
from ..schema.requirements import Requirements
from ..schema.rules import Lever
from .conditions import fmt
from .deploy import euros

if TYPE_CHECKING:
    from .evaluate import Evaluator, Trace

DIMENSION_WORDS = {
    "licence": "licence terms",
    "sovereignty": "sovereignty",
    "compute": "fit on the hardware",
    "capability": "expected quality",
    "cost": "cost",
    "openness": "openness",
}

CONDITION_WORDS = {
    "attribution": "showing an attribution such as 'Built with Llama'",
    "naming": "naming fine-tuned models after the original",
    "acceptable_use_policy": "the publisher's acceptable-use policy",
    "user_cap": "a cap on monthly active users",
    "revenue_cap": "a cap on company revenue",
    "output_restrictions": "limits on training other models with the outputs",
    "remote_restriction": "the licensor's right to restrict use remotely",
}

FORMAT_WORDS = {
    "BF16": "at full precision (BF16)",
    "GGUF BF16": "at full precision (BF16)",
    "FP8": "compressed to 8 bits per weight (FP8: practically no quality loss)",
    "GGUF Q8_0": "compressed to 8 bits per weight (Q8_0: practically no quality loss)",
    "GGUF Q6_K": "compressed to about 6.6 bits per weight (Q6_K: minimal quality loss)",
    "GGUF Q5_K_M": "compressed to about 5.7 bits per weight (Q5_K_M: minimal quality loss)",
    "GGUF Q4_K_M": "compressed to about 4.9 bits per weight (Q4_K_M: a small quality loss)",
    "AWQ-INT4": "compressed to 4 bits per weight (AWQ: a small quality loss)",
    "GPTQ-INT4": "compressed to 4 bits per weight (GPTQ: a small quality loss)",
    "MXFP4": "in its published 4-bit format (MXFP4)",
    "GGUF MXFP4": "in its published 4-bit format (MXFP4)",
    "INT4": "in its published 4-bit format",
    "GGUF Q3_K_M": "compressed to about 3.9 bits per weight (Q3_K_M: a noticeable quality loss)",
}
ENGINE_WORDS = {"vllm": "vLLM", "llama.cpp": "llama.cpp", "mlx": "MLX", "sglang": "SGLang",
                "managed_api": "the provider's API"}

PER_LEVER = 3
"""Excluded models re-scored per kind of requirement change."""


def deployment_phrase(t: Trace) -> str:
    d = t.deployment
    if d.target == "api":
        law = "" if d.cloud_act is None else (
            " (a provider subject to the US CLOUD Act)" if d.cloud_act else
            f" (based in {country_name(d.provider_country)}, not subject to the US CLOUD Act)")
        return (f"It runs at {d.provider}{law} as a per-token API ({d.hosting}), for about "
                f"{euros(d.monthly_cost_eur)} per month for {d.monthly_tokens_text}: {d.cost_choice}.")
    quant = FORMAT_WORDS.get(d.weights_format or "", f"as {d.weights_format}")
    engine = ENGINE_WORDS.get(d.engine or "", d.engine or "")
    n = d.simultaneous_requests or 1
    who = f"each of {n} requests answered at the same moment" if n > 1 else "one request at a time"
    speed = (f"about {d.tokens_per_s:g} tokens (~{round((d.tokens_per_s or 0) * 0.75):g} words) per second for "
             f"{who}, the first words after about {fmt(d.time_to_first_token_s)} s")
    memory = f"{d.memory_gb:g} of {d.available_gb:g} GB of memory"
    slow = "" if d.meets_speed else " That is slower than your use needs."
    if d.target == "owned":
        where = f"It runs on your hardware ({d.hardware}) with {engine} {quant}, using {memory}, at {speed}."
    elif d.target == "purchase":
        where = (f"It would run on hardware you would need to buy, {d.hardware} (indicative price "
                 f"{euros(d.purchase_eur)} for {d.purchase_covers}), with {engine} {quant}, using {memory}, at {speed}.")
    else:
        law = "" if d.cloud_act is None else (
            " (a provider subject to the US CLOUD Act)" if d.cloud_act else
            f" (based in {country_name(d.provider_country)}, not subject to the US CLOUD Act)")
        where = (f"It runs rented at {d.provider}{law}, offer {d.hosting} ({d.hardware}), for about "
                 f"{euros(d.monthly_cost_eur)} per month, with {engine} {quant}, using {memory}, at {speed}.")
    return where + slow


def licence_phrase(t: Trace) -> str:
    lic = t.ctx.licence
    assert lic is not None
    c = lic.clauses
    if c.commercial_use == "yes" and not c.acceptable_use_policy and not c.remote_restriction:
        return f"Its licence ({lic.name}) allows commercial use without special conditions."
    duties = []
    if c.attribution == "display":
        duties.append(f"show '{c.attribution_text}'" if c.attribution_text else "show an attribution")
    if c.acceptable_use_policy:
        duties.append("follow an acceptable-use policy")
    if c.user_cap:
        duties.append(f"ask for a separate licence above {c.user_cap:,} monthly users")
    if c.remote_restriction:
        duties.append("accept that the licensor may restrict use remotely")
    text = ", ".join(duties) if duties else "conditions listed below"
    return f"Its licence ({lic.name}) allows commercial use if you {text}."


def publisher_phrase(t: Trace) -> str:
    p = t.ctx.publisher
    assert p is not None
    if p.country is None:
        where = "an international consortium" + (" of EU institutions" if p.in_eu else "")
    else:
        where = f"based in {country_name(p.country)}" + (" (EU/EEA)" if p.in_eu else ", outside the EU/EEA")
    return f"It is published by {p.name}, {where}."


def leads(t: Trace, others: list[Trace]) -> list[str]:
    """Dimensions on which ``t`` scores strictly higher than every other eligible model."""
    return [d for d in DIMENSIONS_ORDER if others and all(t.scores[d] > o.scores[d] for o in others)]


DIMENSIONS_ORDER = ("capability", "licence", "sovereignty", "compute", "cost", "openness")


def why_first(t: Trace, others: list[Trace]) -> str:
    strengths = leads(t, others)
    if strengths:
        why = "ahead of every other eligible model on " + " and ".join(DIMENSIONS_WORDS[d] for d in strengths[:2])
    elif others:
        why = "the best balance of your priorities (no other eligible model does better overall)"
    else:
        why = "the only eligible model"
    derived = t.ctx.derived
    assert derived is not None
    if derived.quality_evidence:
        quality = "Quality evidence: " + derived.capability_basis + "."
    else:
        quality = (f"No published quality measurement for your languages or tasks; the quality estimate comes "
                   f"from its size ({derived.size_label}).")
    parts = [f"Recommended: {t.model.name}, score {t.total:g}/100, {why}.",
             publisher_phrase(t), licence_phrase(t), deployment_phrase(t), quality]
    if t.warnings:
        parts.append("Check before relying on it: " + " ".join(w.message for w in t.warnings[:2]))
    return " ".join(parts)


DIMENSIONS_WORDS = DIMENSION_WORDS


def _why_lower(d: str, lower: Trace) -> str:
    """What lowered ``lower``'s score on dimension ``d``, when it is missing evidence or a slow fit."""
    derived, dep = lower.ctx.derived, lower.ctx.deployment
    if d == "capability" and derived is not None and not derived.quality_evidence:
        return " (an estimate from its size: no measurement for your languages)"
    if d == "capability" and derived is not None and derived.estimated_language_names:
        return f" (not measured in {derived.estimated_language_names})"
    if d == "compute" and dep is not None and dep.status == "fits" and not dep.meets_speed:
        return " (too slow for your use)"
    if d == "compute" and dep is not None and dep.status == "fits":
        return " (less room for full-length requests or less speed to spare)"
    return ""


def trade_off(first: Trace, second: Trace) -> str:
    better = [(d, second.scores[d] - first.scores[d]) for d in DIMENSIONS_ORDER
              if second.scores[d] - first.scores[d] >= 5]
    worse = [(d, first.scores[d] - second.scores[d]) for d in DIMENSIONS_ORDER
             if first.scores[d] - second.scores[d] >= 5]
    text = f"Runner-up: {second.model.name}, score {second.total:g}."
    if second.model.superseded_by == first.model.id:
        text += f" It is the older version of {first.model.name}."
    if better:
        text += " It does better on " + ", ".join(f"{DIMENSION_WORDS[d]} (+{v:g}{_why_lower(d, first)})"
                                                  for d, v in better)
        text += (" but worse on " + ", ".join(f"{DIMENSION_WORDS[d]} (−{v:g}{_why_lower(d, second)})"
                                              for d, v in worse) + ".") if worse else "."
    elif worse:
        text += " It is behind on " + ", ".join(f"{DIMENSION_WORDS[d]} (−{v:g}{_why_lower(d, second)})"
                                                for d, v in worse) + "."
    else:
        text += " The two are close on every dimension."
    return text


def excluded_phrase(ev: Evaluator, dropped: list[Trace]) -> str:
    groups: dict[str, list[Trace]] = {}
    for t in dropped:
        groups.setdefault(t.exclusions[0].rule, []).append(t)
    lines = []
    for rule_id, members in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        members.sort(key=lambda t: (-(t.model.params_total_b or 0), t.model.id))
        rule = ev.rules.by_id(rule_id).rule
        cause = rule.short or rule.description.rstrip(".")
        names = [t.model.name for t in members[:3]]
        more = f" and {len(members) - 3} more" if len(members) > 3 else ""
        lines.append(f"{', '.join(names)}{more}: {cause}")
    return f"Not eligible ({len(dropped)} models): " + "; ".join(lines) + "."


def apply_lever(req: Requirements, lever: Lever, t: Trace) -> tuple[Requirements, str] | None:
    """The requirements with one exclusion lifted, and how to say it; None if not applicable."""
    d = t.deployment
    k = lever.kind
    if k == "accept_condition" and lever.value:
        return (req.replace(**{"licence.accept": [*req.licence.accept, lever.value]}),
                f"you accept {CONDITION_WORDS.get(lever.value, lever.value)}")
    if k == "hardware" and d.suggestion and req.hosting.mode == "on_premises":
        count, hw = d.suggestion.split("x ", 1)
        return (req.replace(**{"hosting.hardware": [{"accelerator": hw, "count": int(count)}]}),
                f"you use hardware with more memory ({d.suggestion})")
    if k == "monthly_budget" and d.status == "over_budget":
        return (req.replace(**{"budget.monthly_eur": d.monthly_cost_eur}),
                f"your monthly budget were {euros(d.monthly_cost_eur)}")
    if k == "hardware_budget" and d.status == "over_budget" and d.purchase_eur:
        return (req.replace(**{"budget.hardware_eur": d.purchase_eur}),
                f"your hardware budget were {euros(d.purchase_eur)}")
    if k == "publisher_region":
        return req.replace(**{"sovereignty.publisher_region": "any"}), "you allow publishers outside the EU"
    if k == "excluded_countries" and t.ctx.publisher and t.ctx.publisher.country:
        country = t.ctx.publisher.country
        return (req.replace(**{"sovereignty.excluded_countries":
                               [c for c in req.sovereignty.excluded_countries if c != country]}),
                f"you stop excluding publishers from {country}")
    if k == "min_openness" and t.ctx.derived:
        return (req.replace(**{"sovereignty.min_openness": t.ctx.derived.openness_level}),
                f"you accept openness level '{t.ctx.derived.openness_level}'")
    if k == "require_osi":
        return req.replace(**{"licence.require_osi": False}), "you accept licences that are not OSI-approved"
    if k == "context" and t.model.context_length:
        return (req.replace(**{"use_case.context_tokens": t.model.context_length}),
                f"your requests fit in {t.model.context_length:,} tokens")
    if k == "hosting_mode" and req.hosting.mode == "eu_sovereign_cloud":
        return req.replace(**{"hosting.mode": "eu_cloud"}), "you accept EU regions of any provider, not only EU-owned ones"
    # a required certification is never offered as something to give up (see hosting-certification-unmet)
    return None


def what_would_change(ev: Evaluator, kept: list[Trace], dropped: list[Trace]) -> list[str]:
    """Requirement changes that would lift exclusions, each checked by re-scoring: first the
    ones that would put another model first, then (one per kind of change) ones that would
    make a model eligible."""
    groups: dict[tuple[str, ...], list[Trace]] = {}
    for t in dropped:
        if t.levers and not t.unliftable:
            groups.setdefault(tuple(sorted({lv.kind for lv in t.levers})), []).append(t)
    firsts: list[tuple[float, str]] = []
    eligible: dict[tuple[str, ...], tuple[float, str]] = {}
    for kinds, members in sorted(groups.items()):
        members.sort(key=lambda t: (-t.total, t.model.id))
        for t in members[:PER_LEVER]:
            outcome = _counterfactual(ev, t, kept)
            if outcome is None:
                continue
            score, text, first = outcome
            if first:
                firsts.append((score, text))
            elif kinds not in eligible or score > eligible[kinds][0]:
                eligible[kinds] = (score, text)
    firsts.sort(key=lambda x: -x[0])
    result = [text for _, text in firsts[:3]]
    for _, text in sorted(eligible.values(), key=lambda x: -x[0]):
        if len(result) >= 3:
            break
        result.append(text)
    return result


def _counterfactual(ev: Evaluator, t: Trace, kept: list[Trace]) -> tuple[float, str, bool] | None:
    req, words = ev.req, []
    for lever in dict.fromkeys(t.levers):
        applied = apply_lever(req, lever, t)
        if applied is None:
            return None
        req, phrase = applied
        words.append(phrase)
    try:
        ev2 = type(ev)(req, ev.catalogue, ev.rules, compiled=ev.compiled)  # the same engine as the advice
    except (AdvisorError, ValueError):  # a lever produced requirements the catalogue cannot check
        return None
    after = ev2.trace(t.model, detail=False, first_exclusion=True)  # still excluded: nothing more to know
    if after.exclusions:
        return None
    change = " and ".join(dict.fromkeys(words))
    if kept:
        top_after = ev2.trace(kept[0].model, detail=False)
        if after.total > top_after.total:
            return (after.total, f"if {change}, {t.model.name} would rank first "
                                 f"(score {after.total:g} against {top_after.total:g})", True)
    return after.total, f"if {change}, {t.model.name} would become eligible (score {after.total:g})", not kept


def summarise(ev: Evaluator, kept: list[Trace], dropped: list[Trace]) -> str:
    parts = []
    if kept:
        parts.append(why_first(kept[0], kept[1:]))
        if len(kept) > 1:
            parts.append(trade_off(kept[0], kept[1]))
    else:
        parts.append("No model in the catalogue meets all your requirements.")
    if dropped:
        parts.append(excluded_phrase(ev, dropped))
    changes = what_would_change(ev, kept, dropped)
    if changes:
        parts.append("What would change the answer: " + "; ".join(changes) + ".")
    warning = ev.catalogue.freshness.warning()
    if warning:
        parts.append(warning)
    parts.append("Not legal advice: check licence terms and duties with counsel. Sizes in GB (10^9 bytes); "
                 "prices and speeds are indicative estimates.")
    return "\n\n".join(parts)
