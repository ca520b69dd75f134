"""Batch throughput and memory: profiles per second and peak memory of `advisor batch` on a
generated JSONL file of N profiles, for 1 and 2 worker processes.

usage: python benchmarks/batch_throughput.py [--rows 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TASKS = ["chat", "document_qa", "summarisation", "translation", "extraction", "classification", "code"]
LANGS = ["de", "fr", "it", "es", "nl", "pl", "en", "sv", "cs"]
HW = ["nvidia-l40s", "nvidia-rtx-4090", "nvidia-h100-80gb", "nvidia-l4", "nvidia-a100-80gb"]


def profiles(n: int, seed: int = 7):
    rnd = random.Random(seed)
    for i in range(n):
        mode = rnd.choice(["on_premises", "eu_cloud", "eu_sovereign_cloud", "any"])
        req = {"id": f"p{i}", "organisation": {"country": rnd.choice(["DE", "FR", "AT", "IT", "NL", "CH"])},
               "use_case": {"tasks": rnd.sample(TASKS, 2), "languages": rnd.sample(LANGS, 2),
                            "context_tokens": rnd.choice([4000, 8000, 16000, 32000]),
                            "concurrent_users": rnd.choice([1, 5, 20, 50])},
               "hosting": {"mode": mode}, "budget": {"monthly_eur": rnd.choice([500, 1500, 5000, None])}}
        if mode == "on_premises":
            req["hosting"]["hardware"] = [{"accelerator": rnd.choice(HW), "count": rnd.choice([1, 2])}]
        yield req


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=2000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="advisor-batch-"))
    src = tmp / "profiles.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for p in profiles(args.rows):
            fh.write(json.dumps(p) + "\n")
    for jobs in (1, 2):
        out = tmp / f"out-{jobs}.jsonl"
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "advisor", "batch", str(src), "-o", str(out), "--jobs", str(jobs)],
                              capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        rows = sum(1 for _ in out.open(encoding="utf-8"))
        print(f"jobs={jobs}: {rows} rows in {elapsed:.1f} s = {rows / elapsed:.0f} profiles/s "
              f"(peak RSS of a child so far {peak_kb / 1024:.0f} MB); {proc.stderr.strip()}")
    print(f"machine: {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
