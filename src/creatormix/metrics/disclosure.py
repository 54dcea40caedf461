"""Sponsorship disclosure markers: the one list the sponsored-post share is computed from.

Markers are matched case-insensitively in the caption and the hashtags. Sources: the FTC's
"Disclosures 101 for Social Media Influencers" (#ad, #sponsored, "paid partnership"), Germany's
"Werbung"/"Anzeige" labelling practice, France's ARPP "#publicité"/"#sponsorisé", and the platforms'
own paid-partnership labels.
"""

from __future__ import annotations

import re

HASHTAG_MARKERS: tuple[str, ...] = (
    "ad",
    "ads",
    "advert",
    "advertisement",
    "sponsored",
    "sponsor",
    "spon",
    "paid",
    "paidpartnership",
    "partner",
    "partnership",
    "brandpartner",
    "collab",
    "gifted",
    "werbung",
    "anzeige",
    "unbezahltewerbung",
    "publicité",
    "publicite",
    "sponsorisé",
    "sponsorise",
    "partenariat",
    "pub",
    "publi",
    "publicidad",
    "patrocinado",
    "colaboración",
    "reklame",
    "reklama",
    "sponsorizzato",
    "adv",
    "samarbete",
    "annonse",
)

PHRASE_MARKERS: tuple[str, ...] = (
    "paid partnership",
    "sponsored by",
    "in partnership with",
    "in collaboration with",
    "thanks to our sponsor",
    "bezahlte partnerschaft",
    "partenariat rémunéré",
    "collaboration commerciale",
)


def marker_regex() -> str:
    """One RE2-compatible pattern (works in DuckDB, PostgreSQL and Python) for any marker."""
    tags = "|".join(re.escape(t) for t in sorted(HASHTAG_MARKERS, key=len, reverse=True))
    phrases = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in PHRASE_MARKERS)
    # A hashtag marker ends at a non-word character or the end: #ad matches, #adventure does not.
    return rf"(?i)(#({tags})([^a-z0-9_]|$))|({phrases})"


def is_disclosed(caption: str | None, hashtags: tuple[str, ...] | list[str] = ()) -> bool:
    text = " ".join([caption or "", *hashtags])
    return re.search(marker_regex(), text) is not None
