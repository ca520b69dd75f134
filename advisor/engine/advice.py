"""The advice for one profile: the evaluator's traces turned into ``Advice``, with the
plain-language summary when asked for.

This is the one place where scoring (``evaluate``) and explaining (``explain``) meet; neither
of those imports the other at run time. Both functions run with the cyclic garbage collector
paused (:mod:`advisor.collector`): scoring a profile leaves no cyclic garbage.
"""

from __future__ import annotations

from ..collector import paused
from ..schema.advice import Advice
from .evaluate import Evaluator, Trace
from .explain import summarise


def advise(ev: Evaluator, *, explain: bool = True, detail: int | None = None) -> Advice:
    """Every model scored for ``ev``'s requirements; with ``explain``, the summary says why #1 is
    first, what was excluded and what would change the answer (each claim re-scored). With
    ``detail``, only the first ``detail`` ranked models carry their reasons (see ``scored``)."""
    with paused():
        kept, dropped = ev.scored(detail)
        return ev.advice(kept, dropped, summarise(ev, kept, dropped) if explain else "")


def advise_top(ev: Evaluator, top: int) -> tuple[Advice, list[Trace]]:
    """The advice with only the first ``top`` ranked models (the others are scored, not
    explained) and no excluded list, with the excluded models' traces beside it (their rules,
    levers and totals, without messages). The summary is the one :func:`advise` writes."""
    with paused():
        kept, dropped = ev.scored(detail=top)
        return ev.advice(kept[:top], [], summarise(ev, kept, dropped)), dropped
