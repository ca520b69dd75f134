"""Checks beyond the schema that ``advisor catalogue validate`` runs on a loaded catalogue.

Loading already checks every file against its schema, ids against file names, and every
cross-reference. Here: the vocabulary names exactly the tags the schemas allow, and facts
left empty are declared in ``unknown`` (an empty value must be a conscious "not confirmed",
never an oversight).
"""

from __future__ import annotations

from .catalogue import Catalogue
from .errors import CatalogueError, Problem
from .schema.catalogue import MODALITIES, OPENNESS_LEVELS, TASKS
from .schema.requirements import CONDITIONS, AnnexIIIArea, Certification, HostingMode, Sector

#: Facts that must be either set or named in ``unknown``.
DECLARED = ("params_total_b", "context_length")
ARCHITECTURE = ("num_hidden_layers", "num_key_value_heads", "head_dim")


def _args(literal: object) -> tuple[str, ...]:
    return literal.__args__  # type: ignore[attr-defined,no-any-return]


def check_catalogue(catalogue: Catalogue) -> None:
    problems: list[Problem] = []
    vocab = catalogue.vocabulary
    expected = {
        "tasks": TASKS, "modalities": MODALITIES, "licence_conditions": CONDITIONS,
        "openness_levels": OPENNESS_LEVELS, "sectors": _args(Sector), "annex_iii_areas": _args(AnnexIIIArea),
        "certifications": _args(Certification), "hosting_modes": _args(HostingMode),
    }
    vocab_file = str(catalogue.dirs[0] / "vocabulary.yaml") if catalogue.dirs else "vocabulary.yaml"
    for group, tags in expected.items():
        have = set(getattr(vocab, group))
        missing, extra = set(tags) - have, have - set(tags)
        if missing or extra:
            problems.append(Problem(f"must list exactly the tags the schema allows; missing {sorted(missing)}, "
                                    f"unknown {sorted(extra)}", file=vocab_file, field=group))
    for mid, model in catalogue.models.items():
        path = str(catalogue.files.get(f"model:{mid}", mid))
        for name in DECLARED:
            if getattr(model, name) is None and name not in model.unknown:
                problems.append(Problem("is empty but not listed in 'unknown'", file=path, field=name))
        arch_missing = [a for a in ARCHITECTURE if getattr(model.architecture, a) is None]
        if model.architecture.attention == "mla":
            arch_missing = [a for a in ("num_hidden_layers", "kv_lora_rank", "qk_rope_head_dim")
                            if getattr(model.architecture, a) is None]
        declared = any(u == "architecture" or u.startswith("architecture") or u in ARCHITECTURE
                       for u in model.unknown)
        if arch_missing and not declared:
            problems.append(Problem(f"architecture fields {arch_missing} are empty but 'unknown' does not "
                                    "mention the architecture", file=path, field="architecture"))
    if problems:
        raise CatalogueError(problems)
