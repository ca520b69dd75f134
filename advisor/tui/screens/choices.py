"""Choice lists the steps share: countries and languages with names."""

from __future__ import annotations

from ...schema.iso import COUNTRY_NAMES, EEA_MEMBERS, EU_OFFICIAL_LANGUAGES, language_name

#: EU/EEA first (alphabetical by name), then the other countries advisor names.
COUNTRY_CHOICES: list[tuple[str, str]] = (
    sorted(((f"{COUNTRY_NAMES[c]} ({c})", c) for c in EEA_MEMBERS), key=lambda x: x[0].removeprefix("the "))
    + sorted(((f"{COUNTRY_NAMES[c]} ({c})", c) for c in COUNTRY_NAMES if c not in EEA_MEMBERS),
             key=lambda x: x[0].removeprefix("the "))
)

#: The 24 EU official languages, then other European and major languages.
LANGUAGE_CODES: list[str] = sorted(EU_OFFICIAL_LANGUAGES, key=language_name) + [
    c for c in ("ca", "eu", "gl", "is", "lb", "nb", "no", "sq", "sr", "bs", "mk", "uk", "tr", "ru", "ar", "zh",
                "ja", "ko", "hi") if c not in EU_OFFICIAL_LANGUAGES
]


def language_choices(selected: list[str]) -> list[tuple[str, str, bool]]:
    codes = LANGUAGE_CODES + [c for c in selected if c not in LANGUAGE_CODES]
    return [(f"{language_name(c)} ({c})", c, c in selected) for c in codes]
