"""The results brief's words: a strength is only named where the model stands out."""

from __future__ import annotations

from pathlib import Path

import advisor
from advisor.tui.screens.results import why_sentence

CLINIC = Path(__file__).resolve().parents[2] / "examples" / "requirements" / "clinic.yaml"


def test_a_score_most_eligible_models_share_is_not_called_a_strength():
    advice = advisor.advise(CLINIC)
    top = advice.ranking[0]
    others = advice.ranking[1:]
    shared = [d for d in top.scores if top.scores[d] >= 80
              and 2 * sum(top.scores[d] > o.scores[d] for o in others) < len(others)]
    assert "licence" in shared  # most eligible models have full licence points for the clinic
    sentence = why_sentence(top, advice)
    assert "licence terms" not in sentence
    assert "strongest on sovereignty" in sentence  # an EU publisher, which most eligible models are not


def test_a_sole_eligible_model_claims_no_strength_over_nobody():
    advice = advisor.advise(CLINIC)
    alone = advice.model_copy(update={"ranking": advice.ranking[:1]})
    assert "strongest" not in why_sentence(alone.ranking[0], alone)
