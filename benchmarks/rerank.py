"""Re-ranking speed: how long advisor takes to re-score the whole catalogue after one answer
changes (what the wizard's what-if panel does). Target: under 50 ms.

Scores every example profile in turn, with and without the explanation (the wizard shows the
new ranking at once and fills in the explanation afterwards), and prints median and p90:
once for an answer never given before (deployment plans and derived facts are computed) and
once for an answer seen before (they come from the catalogue's memo).

usage: python benchmarks/rerank.py [--rounds 30]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import advisor
from advisor.engine.evaluate import Evaluator

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=30)
    args = ap.parse_args()
    catalogue, rules = advisor.load_catalogue(), advisor.load_rules()
    profiles = [advisor.load_requirements(p) for p in sorted((ROOT / "examples" / "requirements").glob("*.yaml"))]
    # a what-if change: the same profile with another budget and hosting mode
    profiles += [p.replace(**{"budget.monthly_eur": 900, "hosting.mode": "eu_cloud"}) for p in profiles]
    # "new answer": the deployment and derived facts for this answer were never computed
    # (the memo is emptied first); "answer seen before": switching back to an earlier answer
    for seen in (False, True):
        for explain in (False, True):
            times = []
            for _ in range(args.rounds):
                for req in profiles:
                    if not seen:
                        catalogue.memo.clear()
                    start = time.perf_counter()
                    Evaluator(req, catalogue, rules).advise(explain=explain)
                    times.append((time.perf_counter() - start) * 1000)
            times.sort()
            label = ("ranking + explanation" if explain else "ranking only (what-if update)") + (
                ", answer seen before" if seen else ", new answer")
            print(f"{label}: {len(catalogue.models)} models, {len(times)} re-rankings: "
                  f"median {statistics.median(times):.1f} ms, p90 {times[int(len(times) * 0.9)]:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
