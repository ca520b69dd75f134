"""Score bars for tables: one block character per dimension, so six scores fit in six cells."""

from __future__ import annotations

BLOCKS = " ▁▂▃▄▅▆▇█"


def bar(score: float) -> str:
    """0-100 as one of nine block heights."""
    return BLOCKS[max(0, min(8, round(score / 12.5)))]


def bars(scores: dict[str, float], order: tuple[str, ...]) -> str:
    """One bar per dimension, spaced to sit under a header like 'L S F Q C O'."""
    return " ".join(bar(scores[d]) for d in order)


def moved(old_rank: int | None, new_rank: int) -> str:
    """'▲2', '▼1', 'new' or '' for the what-if view."""
    if old_rank is None:
        return "new"
    if old_rank == new_rank:
        return ""
    return f"▲{old_rank - new_rank}" if old_rank > new_rank else f"▼{new_rank - old_rank}"
