"""advisor: choose an open-weight AI model a European SME can legally use, host and afford.

    >>> import advisor
    >>> advice = advisor.advise({"use_case": {"tasks": ["chat"], "languages": ["de"]}})
    >>> advice.ranking[0].model  # doctest: +SKIP

The public API is exactly what ``__all__`` lists. Importing advisor never imports textual or
huggingface_hub.
"""

from __future__ import annotations

import importlib

from ._version import __version__  # noqa: F401 (public)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (it costs ~10 ms at start-up)
if TYPE_CHECKING:
    from typing import Any

    from .api import advise, load_requirements, rank
    from .catalogue import Catalogue, load_catalogue
    from .engine.loader import RuleSet, load_rules
    from .errors import AdvisorError, CatalogueError, Problem, RequirementsError, RuleError
    from .schema.advice import Advice, Ranking
    from .schema.requirements import Requirements

#: Where each public name lives; imported on first use, so ``advisor --version`` stays cheap.
_PUBLIC = {
    "advise": "api", "load_requirements": "api", "rank": "api",
    "Catalogue": "catalogue", "load_catalogue": "catalogue",
    "RuleSet": "engine.loader", "load_rules": "engine.loader",
    "AdvisorError": "errors", "CatalogueError": "errors", "Problem": "errors", "RequirementsError": "errors",
    "RuleError": "errors",
    "Advice": "schema.advice", "Ranking": "schema.advice",
    "Requirements": "schema.requirements",
}

__all__ = [
    "Advice", "AdvisorError", "Catalogue", "CatalogueError", "Problem", "Ranking", "Requirements",
    "RequirementsError", "RuleError", "RuleSet", "__version__", "advise", "load_catalogue", "load_requirements",
    "load_rules", "rank",
]


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        value = getattr(importlib.import_module(f".{_PUBLIC[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'advisor' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
