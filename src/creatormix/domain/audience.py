"""Audience segments as exports spell them: age bands and genders (countries and languages: geo).

Used by the audience-share importer (to store canonical segments) and by audience fit (to match a
brief's bands against a creator's).
"""

from __future__ import annotations

import re

OPEN_AGE_END = 80  # "65+" is read as 65-79 when bands are compared


def age_range(band: str) -> tuple[int, int]:
    """``"18-24"`` -> (18, 25), ``"65+"`` -> (65, 80), ``"<18"`` -> (13, 18); ValueError otherwise."""
    text = band.strip().replace("–", "-").replace("—", "-").replace(" ", "").lower()
    text = re.sub(r"(years?|yrs?|ans|jahre)$", "", text)
    if m := re.fullmatch(r"(\d{1,2})-(\d{1,3})", text):
        lo, hi = int(m[1]), int(m[2]) + 1
    elif m := re.fullmatch(r"(\d{1,2})\+", text):
        lo, hi = int(m[1]), OPEN_AGE_END
    elif m := re.fullmatch(r"<(\d{1,2})", text):
        lo, hi = 13, int(m[1])
    else:
        raise ValueError(f"not an age band: {band!r} (expected e.g. 18-24 or 65+)")
    if not 0 <= lo < hi <= 121:
        raise ValueError(f"not an age band: {band!r}")
    return lo, hi


def age_band(text: str) -> str:
    """The canonical spelling of an age band: ``"18–24 years"`` -> ``"18-24"``."""
    lo, hi = age_range(text)
    return f"{lo}+" if hi == OPEN_AGE_END else f"{lo}-{hi - 1}"


_GENDERS = {
    "female": {"f", "female", "females", "women", "woman", "w", "femme", "femmes", "frau", "frauen", "mujer", "mujeres", "weiblich"},
    "male": {"m", "male", "males", "men", "man", "homme", "hommes", "mann", "männer", "hombre", "hombres", "männlich"},
    "other": {"other", "others", "non-binary", "nonbinary", "diverse", "divers", "x", "unknown"},
}  # fmt: skip


def gender(text: str) -> str:
    """female, male or other; ValueError for anything else."""
    key = text.strip().lower()
    for name, spellings in _GENDERS.items():
        if key in spellings:
            return name
    raise ValueError(f"not a gender: {text!r} (expected female, male or other)")
