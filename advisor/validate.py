"""Checks beyond the schema that ``advisor catalogue validate`` runs on a loaded catalogue.

Loading already checks every file against its schema, ids against file names, and every
cross-reference. Here: the vocabulary names exactly the tags the schemas allow, and every model
that can be ranked has a complete record of decision facts, each supported by a graded source
(see :meth:`ModelEntry.missing_facts`); a model that cannot be completed must say why in
``not_rankable``.
"""

from __future__ import annotations

from .catalogue import Catalogue
from .errors import CatalogueError, Problem
from .schema.catalogue import MODALITIES, OPENNESS_LEVELS, TASKS
from .schema.requirements import CONDITIONS, AnnexIIIArea, Certification, HostingMode, Sector

_DECISION_FIELDS = {"params_total_b", "params_active_b", "architecture", "context_length", "weights_dtype",
                    "languages"}


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
        missing = model.missing_facts
        if missing and not model.not_rankable:
            problems.append(Problem(
                f"decision facts missing: {', '.join(missing)}; fill them from a graded source, or set "
                "not_rankable with the reason", file=path, field="sources" if all(
                    m.startswith("evidence") for m in missing) else missing[0]))
        declared_unknown = [u for u in model.unknown if u.split(".")[0] in _DECISION_FIELDS]
        if declared_unknown and not missing:
            problems.append(Problem(f"'unknown' lists {declared_unknown}, which are filled", file=path,
                                    field="unknown"))
    if problems:
        raise CatalogueError(problems)
