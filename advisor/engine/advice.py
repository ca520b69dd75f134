"""The advice for one profile: the evaluator's traces turned into ``Advice``, with the
plain-language summary when asked for.

This is the one place where scoring (``evaluate``) and explaining (``explain``) meet; neither
of those imports the other at run time.
"""

from __future__ import annotations

from ..schema.advice import Advice
from .evaluate import Evaluator
from .explain import summarise


def advise(ev: Evaluator, *, explain: bool = True) -> Advice:
    """Every model scored for ``ev``'s requirements; with ``explain``, the summary says why #1 is
    first, what was excluded and what would change the answer (each claim re-scored)."""
    kept, dropped = ev.scored()
    return ev.advice(kept, dropped, summarise(ev, kept, dropped) if explain else "")
