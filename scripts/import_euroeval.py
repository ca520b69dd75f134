"""Write EuroEval per-language rank scores into the catalogue entries they belong to.

usage: python scripts/import_euroeval.py DIR_WITH_EUROEVAL_CSVS [--date YYYY-MM-DD] [--commit SHA]

Reads EuroEval's simplified leaderboards (<language>_all_simplified.csv, MIT licence,
https://euroeval.com/leaderboards/) and sets `quality.euroeval` of every catalogue model whose
official Hub repository was evaluated under exactly that name. Rows evaluated on validation
splits only ('(val)') are used when no full run exists, and the evaluated name says so.
Language-group leaderboards (european, germanic, ...) are skipped. Rank scores: 1.0 is best.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = {
    "albanian": "sq", "bosnian": "bs", "bulgarian": "bg", "catalan": "ca", "croatian": "hr",
    "czech": "cs", "danish": "da", "dutch": "nl", "english": "en", "estonian": "et",
    "faroese": "fo", "finnish": "fi", "french": "fr", "german": "de", "greek": "el",
    "hungarian": "hu", "icelandic": "is", "italian": "it", "latvian": "lv", "lithuanian": "lt",
    "norwegian": "no", "polish": "pl", "portuguese": "pt", "romanian": "ro", "serbian": "sr",
    "slovak": "sk", "slovene": "sl", "spanish": "es", "swedish": "sv", "ukrainian": "uk",
}
LINK = re.compile(r">([^<]+)</a>")


def read_ranks(folder: Path) -> dict[str, dict[str, tuple[float, str, str]]]:
    """repo (lower-case) -> language -> (rank, leaderboard, evaluated name)."""
    ranks: dict[str, dict[str, tuple[float, str, str]]] = {}
    for path in sorted(folder.glob("*_all_simplified.csv")):
        board = path.name.removesuffix("_all_simplified.csv")
        lang = LANGUAGES.get(board)
        if lang is None:
            continue
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                m = LINK.search(row["model"])
                name = (m.group(1) if m else row["model"]).strip()
                repo = name.split(" (")[0].strip().lower()
                if not row.get("rank"):
                    continue
                entry = (float(row["rank"]), board, name)
                current = ranks.setdefault(repo, {}).get(lang)
                full_run = " (" not in name
                if current is None or (full_run and " (" in current[2]):
                    ranks[repo][lang] = entry
    return ranks


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--date", default=dt.date.today().isoformat(), help="day the files were read")
    ap.add_argument("--commit", default="1a77f1d (2026-04-20)", help="EuroEval/leaderboards commit")
    args = ap.parse_args()
    ranks = read_ranks(args.folder)
    changed = 0
    for path in sorted((ROOT / "catalogue" / "models").glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found = ranks.get(data["hf_repo"].lower(), {})
        quality = data.setdefault("quality", {})
        new = {lang: {"rank": r, "leaderboard": board, "evaluated_repo": name}
               for lang, (r, board, name) in sorted(found.items())}
        source = {
            "url": "https://euroeval.com/leaderboards/",
            "retrieved": dt.date.fromisoformat(args.date),
            "note": f"EuroEval simplified leaderboards, public repository EuroEval/leaderboards commit "
                    f"{args.commit}, MIT licence; rank scores per language, 1.0 = best",
        } if new else None
        if quality.get("euroeval") == new and quality.get("euroeval_source") == source:
            continue
        quality["euroeval"] = new
        quality["euroeval_source"] = source
        tmp = path.with_suffix(".yaml.tmp")
        tmp.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
        tmp.replace(path)
        changed += 1
        print(f"{path.relative_to(ROOT)}: {len(new)} languages")
    print(f"{changed} entries updated", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
