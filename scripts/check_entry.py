"""Validate single catalogue files against the schema (a quick check while writing entries;
`advisor catalogue validate` checks the whole catalogue, cross-references included).

usage: python scripts/check_entry.py FILE.yaml [FILE.yaml ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from pydantic import ValidationError

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from advisor.schema.catalogue import Licence, ModelEntry


def main(paths: list[str]) -> int:
    bad = 0
    for name in paths:
        path = Path(name)
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        kind = Licence if "licences" in path.parts else ModelEntry
        try:
            obj = kind.model_validate(data)
        except ValidationError as exc:
            bad += 1
            for err in exc.errors():
                loc = ".".join(str(p) for p in err["loc"])
                print(f"{path}: {loc}: {err['msg']}")
            continue
        if obj.id != path.stem:
            bad += 1
            print(f"{path}: id: {obj.id!r} differs from the file name {path.stem!r}")
        else:
            print(f"{path}: ok")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
