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

#: English names people type for countries often excluded or asked about (codes are always accepted).
OTHER_NAMES: dict[str, str] = {
    "russia": "RU", "russian federation": "RU", "belarus": "BY", "iran": "IR", "north korea": "KP",
    "syria": "SY", "cuba": "CU", "venezuela": "VE", "usa": "US", "united states": "US", "america": "US",
    "uk": "GB", "united kingdom": "GB", "great britain": "GB", "britain": "GB", "england": "GB",
    "china": "CN", "hong kong": "HK", "taiwan": "TW", "singapore": "SG", "japan": "JP", "south korea": "KR",
    "korea": "KR", "india": "IN", "israel": "IL", "uae": "AE", "united arab emirates": "AE",
    "saudi arabia": "SA", "qatar": "QA", "turkey": "TR", "türkiye": "TR", "ukraine": "UA", "canada": "CA",
    "australia": "AU", "brazil": "BR", "switzerland": "CH", "netherlands": "NL", "holland": "NL",
}


def country_code(text: str) -> tuple[str | None, str | None]:
    """(ISO code, None) for a code or a country name, else (None, a sentence with a suggestion)."""
    import difflib

    from ...schema.iso import COUNTRIES

    word = text.strip()
    if len(word) == 2 and word.upper() in COUNTRIES:
        return word.upper(), None
    names = {name.lower().removeprefix("the "): code for code, name in COUNTRY_NAMES.items()} | OTHER_NAMES
    code = names.get(word.lower().removeprefix("the "))
    if code:
        return code, None
    guess = difflib.get_close_matches(word.lower(), list(names), n=1, cutoff=0.75)
    if guess:
        code = names[guess[0]]
        return None, f"'{word}' is not a country we know: did you mean {code} ({COUNTRY_NAMES.get(code, guess[0].title())})?"
    if len(word) == 2:
        return None, f"'{word}' is not a two-letter country code (for example DE, FR, CN or US)."
    return None, f"'{word}' is not a country we know: type a two-letter code such as CN or US."
