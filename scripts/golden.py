"""Print the #1 and the top 3 of every golden expert profile, and whether it meets the expectation.

usage: python scripts/golden.py [--catalogue DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import advisor  # noqa: E402


def main() -> int:
    catalogue, rules = advisor.load_catalogue(), advisor.load_rules()
    ok = 0
    profiles = sorted((ROOT / "tests" / "expert" / "profiles").glob("*.yaml"))
    for path in profiles:
        p = yaml.safe_load(path.read_text(encoding="utf-8"))
        advice = advisor.advise(p["requirements"], catalogue=catalogue, rules=rules)
        top = advice.ranking[:3]
        first = top[0].model if top else "-"
        good = first in p["acceptable_first"] and not any(r.model in p["never_top3"] for r in top)
        ok += good
        d = top[0].deployment if top else None
        plan = "" if d is None else (f"per-token API at {d.provider}" if d.cost_basis == "per_token"
                                     else f"{d.weights_format} {d.hardware} {d.tokens_per_s} tok/s")
        print(f"{'ok ' if good else 'BAD'} {path.stem:32} #1 {first:38} {plan:36} | "
              + ", ".join(f"{r.model} {r.score:g}" for r in top[1:]))
    print(f"{ok} of {len(profiles)} profiles meet the expert expectation")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
