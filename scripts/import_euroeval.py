"""Write EuroEval per-language rank scores into the catalogue entries they belong to.

usage: python scripts/import_euroeval.py DIR_WITH_EUROEVAL_CSVS [--date YYYY-MM-DD] [--commit SHA] [--check]

Reads EuroEval's simplified leaderboards (<language>_all_simplified.csv, MIT licence,
https://euroeval.com/leaderboards/) and sets `quality.euroeval` of every catalogue model whose
official Hub repository was evaluated. Leaderboard rows carry variant suffixes, which are kept:

- `repo#no-thinking`, `#thinking`: a hybrid-reasoning model measured with thinking off or on;
- `repo#low`, `#medium`, `#high`, `#none`: a reasoning model at that effort;
- `repo (val)`: measured on validation splits only; `(zero-shot, val)` without few-shot examples.

Per language one row is kept, the one closest to how advisor's deployment runs the model:
a full run before a validation-only run, and among modes the model's default (no suffix), then
the reasoning effort engines use by default (medium), then thinking off (what an interactive
deployment of a hybrid model usually sets), then the rest. The mode is recorded with the rank.
Rows of the entry's `base_model` are used only when the model itself was not measured and the
base is its own pre-trained base (not another model it was built from); the capability score
then treats them as evidence about the base model. Language-group leaderboards
(european, germanic, ...) are skipped. Rank scores: 1.0 is best.
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
NAME = re.compile(r"^(?P<repo>[^#(\s]+)(?:#(?P<mode>[\w-]+))?\s*(?:\((?P<flags>[^)]*)\))?\s*$")
MODE_ORDER = (None, "medium", "no-thinking", "none", "low", "thinking", "high")


def parse_name(name: str) -> tuple[str, str | None, bool, bool] | None:
    """'Qwen/Qwen3-32B#no-thinking (val)' -> ('qwen/qwen3-32b', 'no-thinking', val, zero_shot)."""
    m = NAME.match(name.strip())
    if not m:
        return None
    flags = {f.strip() for f in (m.group("flags") or "").split(",") if f.strip()}
    return m.group("repo").lower(), m.group("mode"), "val" in flags, "zero-shot" in flags


def preference(mode: str | None, val: bool, zero_shot: bool) -> tuple[int, int, int]:
    """Lower is better: full runs first, then few-shot, then the mode closest to the deployment."""
    order = MODE_ORDER.index(mode) if mode in MODE_ORDER else len(MODE_ORDER)
    return int(val), int(zero_shot), order


def read_ranks(folder: Path) -> dict[str, dict[str, tuple[tuple[int, int, int], float, str, str, str | None]]]:
    """repo (lower-case) -> language -> (preference, rank, leaderboard, evaluated name, mode)."""
    ranks: dict[str, dict[str, tuple[tuple[int, int, int], float, str, str, str | None]]] = {}
    for path in sorted(folder.glob("*_all_simplified.csv")):
        board = path.name.removesuffix("_all_simplified.csv")
        lang = LANGUAGES.get(board)
        if lang is None:
            continue
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if not row.get("rank"):
                    continue
                m = LINK.search(row["model"])
                name = (m.group(1) if m else row["model"]).strip()
                parsed = parse_name(name)
                if parsed is None:
                    continue
                repo, mode, val, zero_shot = parsed
                pref = preference(mode, val, zero_shot)
                recorded = "zero-shot" if zero_shot and mode is None else ("val" if val and mode is None else mode)
                entry = (pref, float(row["rank"]), board, name, recorded)
                current = ranks.setdefault(repo, {}).get(lang)
                if current is None or pref < current[0]:
                    ranks[repo][lang] = entry
    return ranks


_ROLE = re.compile(r"-(base|instruct|it|chat)(?=-|$)")


def same_model(repo: str, base: str) -> bool:
    """Whether ``base`` is this model's own pre-trained base ('Ministral-3-14B-Base-2512' for
    'Ministral-3-14B-Instruct-2512'), not another model it was built from (Voxtral on Mistral
    Small): the names agree once '-Base', '-Instruct', '-it', '-chat' are dropped."""
    def core(name: str) -> str:
        return _ROLE.sub("", name.split("/")[-1].lower())
    return core(repo) == core(base)


def ranks_for(data: dict, ranks: dict) -> dict[str, dict]:
    found = ranks.get(data["hf_repo"].lower())
    base = str(data.get("base_model") or "")
    if not found and base and same_model(data["hf_repo"], base):
        found = ranks.get(base.lower())
    out = {}
    for lang, (_, rank, board, name, mode) in sorted((found or {}).items()):
        item = {"rank": rank, "leaderboard": board, "evaluated_repo": name}
        if mode:
            item["mode"] = mode
        out[lang] = item
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--date", default=dt.date.today().isoformat(), help="day the files were read")
    ap.add_argument("--commit", default="1a77f1d (2026-04-20)", help="EuroEval/leaderboards commit")
    ap.add_argument("--check", action="store_true", help="report entries that would change; write nothing")
    args = ap.parse_args()
    ranks = read_ranks(args.folder)
    changed = 0
    for path in sorted((ROOT / "catalogue" / "models").glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        new = ranks_for(data, ranks)
        quality = data.setdefault("quality", {})
        old = quality.get("euroeval") or {}
        if old == new:
            continue
        changed += 1
        print(f"{path.relative_to(ROOT)}: {len(old)} -> {len(new)} languages")
        if args.check:
            continue
        quality["euroeval"] = new
        quality["euroeval_source"] = {
            "url": "https://euroeval.com/leaderboards/",
            "retrieved": dt.date.fromisoformat(args.date),
            "note": f"EuroEval simplified leaderboards, public repository EuroEval/leaderboards commit "
                    f"{args.commit}, MIT licence; rank scores per language, 1.0 = best; variant rows kept with "
                    "their mode",
        } if new else None
        tmp = path.with_suffix(".yaml.tmp")
        tmp.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
        tmp.replace(path)
    print(f"{changed} entries {'would change' if args.check else 'updated'}", file=sys.stderr)
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
