"""advisor: choose an open-weight AI model a European SME can legally use, host and afford.

    >>> import advisor
    >>> advice = advisor.advise({"use_case": {"tasks": ["chat"], "languages": ["de"]}})
    >>> advice.ranking[0].model  # doctest: +SKIP

The public API is exactly what ``__all__`` lists. Importing advisor never imports textual or
huggingface_hub.
"""

from __future__ import annotations

from ._version import __version__

from .api import advise, load_requirements
from .catalogue import Catalogue, load_catalogue
from .engine.loader import RuleSet, load_rules
from .errors import AdvisorError, CatalogueError, Problem, RequirementsError, RuleError
from .schema.advice import Advice
from .schema.requirements import Requirements

__all__ = [
    "Advice",
    "AdvisorError",
    "Catalogue",
    "CatalogueError",
    "Problem",
    "Requirements",
    "RequirementsError",
    "RuleError",
    "RuleSet",
    "__version__",
    "advise",
    "load_catalogue",
    "load_requirements",
    "load_rules",
]
