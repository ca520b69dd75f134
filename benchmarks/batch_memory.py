"""Batch memory: the peak resident memory of one process scoring N distinct generated profiles
(``advisor.batch.score_lines``, the path every batch worker runs), printed every N/8 rows with
the rate so far and the size of each memo store. Target: flat, i.e. the peak stops growing once
the memo stores are full (they are bounded; see advisor/engine/evaluate.py). The profiles are
generated as they are read, as ``advisor batch`` streams its input, so the peak is the engine's.

usage: python benchmarks/batch_memory.py [--rows 2000]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch_throughput import profiles  # noqa: E402

import advisor  # noqa: E402
from advisor.batch import score_lines  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=2000)
    args = ap.parse_args()
    catalogue, rules = advisor.load_catalogue(), advisor.load_rules()
    lines = (json.dumps(p) for p in profiles(args.rows, seed=9))  # streamed, as a batch file is read
    step = max(1, args.rows // 8)
    start = time.perf_counter()
    for i, _ in enumerate(score_lines(lines, catalogue=catalogue, rules=rules), 1):
        if i % step == 0 or i == args.rows:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            stores = ", ".join(f"{k} {len(v)}" for k, v in catalogue.memo.items())
            print(f"{i:>7} rows  {i / (time.perf_counter() - start):6.1f} profiles/s  peak {peak:5.0f} MB  "
                  f"memo: {stores}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
