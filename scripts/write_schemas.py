"""Rewrite the checked-in JSON Schemas in advisor/schemas/ from the pydantic models."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from advisor.jsonschemas import NAMES, json_schema


def main() -> int:
    out = ROOT / "advisor" / "schemas"
    out.mkdir(exist_ok=True)
    for name in NAMES:
        path = out / f"{name}.schema.json"
        path.write_text(json.dumps(json_schema(name), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
