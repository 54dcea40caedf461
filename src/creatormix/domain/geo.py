"""Countries (ISO 3166-1 alpha-2) and languages (ISO 639-1) as exports spell them.

Exports write "United States", "USA", "us", "Russia", the country's own name ("Deutschland",
"日本") or a mojibake "CÃ´te d'Ivoire"; everything
downstream (audience fit, ship-to filters) compares codes, so names are resolved here, once.
"""

from __future__ import annotations

import re
from functools import cache

# Common names that ISO 3166's official and short names do not cover.
_COUNTRY_ALIASES = {
    "usa": "US",
    "us": "US",
    "unitedstatesofamerica": "US",
    "america": "US",
    "uk": "GB",
    "greatbritain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "russia": "RU",
    "southkorea": "KR",
    "korea": "KR",
    "northkorea": "KP",
    "vietnam": "VN",
    "iran": "IR",
    "syria": "SY",
    "laos": "LA",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "czechrepublic": "CZ",
    "czechia": "CZ",
    "turkey": "TR",
    "turkiye": "TR",
    "taiwan": "TW",
    "macedonia": "MK",
    "northmacedonia": "MK",
    "ivorycoast": "CI",
    "cotedivoire": "CI",
    "uae": "AE",
    "palestine": "PS",
    "brunei": "BN",
    "capeverde": "CV",
    "holland": "NL",
    "thenetherlands": "NL",
    "vatican": "VA",
    "micronesia": "FM",
    "congo": "CG",
    "drc": "CD",
    "democraticrepublicofthecongo": "CD",
    "eswatini": "SZ",
    "swaziland": "SZ",
    "burma": "MM",
    "myanmar": "MM",
    "kosovo": "XK",
}
# Countries as their own people write them (exports from local tools, profile locations). Latin
# names are matched without accents or spaces ("Österreich" = "osterreich"); other scripts as
# written, case-folded.
_COUNTRY_ENDONYMS = {
    "Belgique": "BE",
    "België": "BE",
    "Belgien": "BE",
    "Deutschland": "DE",
    "Allemagne": "DE",
    "España": "ES",
    "Espanya": "ES",
    "Italia": "IT",
    "Nederland": "NL",
    "Pays-Bas": "NL",
    "Österreich": "AT",
    "Schweiz": "CH",
    "Suisse": "CH",
    "Svizzera": "CH",
    "Svizra": "CH",
    "Brasil": "BR",
    "México": "MX",
    "Perú": "PE",
    "Polska": "PL",
    "Sverige": "SE",
    "Norge": "NO",
    "Noreg": "NO",
    "Danmark": "DK",
    "Suomi": "FI",
    "Ísland": "IS",
    "Éire": "IE",
    "Hrvatska": "HR",
    "Srbija": "RS",
    "Slovensko": "SK",
    "Slovenija": "SI",
    "Česko": "CZ",
    "Česká republika": "CZ",
    "Magyarország": "HU",
    "România": "RO",
    "Lietuva": "LT",
    "Latvija": "LV",
    "Eesti": "EE",
    "Shqipëria": "AL",
    "Türkiye": "TR",
    "Maroc": "MA",
    "Algérie": "DZ",
    "Tunisie": "TN",
    "Sénégal": "SN",
    "Nippon": "JP",
    "Nihon": "JP",
    "Bharat": "IN",
    "Filipinas": "PH",
    "Pilipinas": "PH",
    "Việt Nam": "VN",
    "Ελλάδα": "GR",
    "Ελλάς": "GR",
    "Κύπρος": "CY",
    "България": "BG",
    "Россия": "RU",
    "Україна": "UA",
    "Беларусь": "BY",
    "Србија": "RS",
    "Казахстан": "KZ",
    "ישראל": "IL",
    "مصر": "EG",
    "المغرب": "MA",
    "السعودية": "SA",
    "الإمارات": "AE",
    "ایران": "IR",
    "ประเทศไทย": "TH",
    "ไทย": "TH",
    "भारत": "IN",
    "中国": "CN",
    "中國": "CN",
    "台灣": "TW",
    "台湾": "TW",
    "香港": "HK",
    "日本": "JP",
    "한국": "KR",
    "대한민국": "KR",
}
_LANGUAGE_ENDONYMS = {
    "Français": "fr",
    "Deutsch": "de",
    "Español": "es",
    "Castellano": "es",
    "Català": "ca",
    "Italiano": "it",
    "Nederlands": "nl",
    "Vlaams": "nl",
    "Português": "pt",
    "Polski": "pl",
    "Svenska": "sv",
    "Norsk": "no",
    "Dansk": "da",
    "Suomi": "fi",
    "Íslenska": "is",
    "Čeština": "cs",
    "Slovenčina": "sk",
    "Magyar": "hu",
    "Română": "ro",
    "Hrvatski": "hr",
    "Türkçe": "tr",
    "Tiếng Việt": "vi",
    "Bahasa Indonesia": "id",
    "Bahasa Melayu": "ms",
    "Ελληνικά": "el",
    "Русский": "ru",
    "Українська": "uk",
    "Български": "bg",
    "Српски": "sr",
    "עברית": "he",
    "العربية": "ar",
    "فارسی": "fa",
    "हिन्दी": "hi",
    "ไทย": "th",
    "日本語": "ja",
    "中文": "zh",
    "普通话": "zh",
    "한국어": "ko",
}
_LANGUAGE_ALIASES = {
    "farsi": "fa",
    "persian": "fa",
    "mandarin": "zh",
    "cantonese": "zh",
    "filipino": "tl",
}


def _key(text: str) -> str:
    import unicodedata

    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", folded.lower())


@cache
def _country_index() -> dict[str, str]:
    import pycountry

    index: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                index[_key(value)] = c.alpha_2
        index[c.alpha_2.lower()] = c.alpha_2
        index[c.alpha_3.lower()] = c.alpha_2
    index.update(dict(_COUNTRY_ALIASES.items()))
    for name, code in _COUNTRY_ENDONYMS.items():
        index[_key(name) or _script_key(name)] = code
    return index


def _script_key(text: str) -> str:
    """The key of a name in a non-Latin script: NFC, case-folded, without spaces."""
    import unicodedata

    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text).casefold())


@cache
def _language_index() -> dict[str, str]:
    import pycountry

    index: dict[str, str] = {}
    for lang in pycountry.languages:
        code = getattr(lang, "alpha_2", None)
        if not code:
            continue
        index[code] = code
        index[_key(lang.name)] = code
        for attr in ("alpha_3", "bibliographic"):
            value = getattr(lang, attr, None)
            if value:
                index[value.lower()] = code
    index.update(_LANGUAGE_ALIASES)
    for name, code in _LANGUAGE_ENDONYMS.items():
        index[_key(name) or _script_key(name)] = code
    return index


def country_code(text: str) -> str | None:
    """ISO alpha-2 code for a country name or code, or None when it is not a country."""
    key = _key(text) or _script_key(text)
    if not key:
        return None
    return _country_index().get(key)


def language_code(text: str) -> str | None:
    """ISO 639-1 code for a language name or code ("French", "fra", "fr"), or None."""
    key = text.strip().lower()
    if re.fullmatch(r"[a-z]{2}[-_][a-z]{2}", key):  # locale tags such as fr-BE
        key = key[:2]
    index = _language_index()
    return index.get(key) or index.get(_key(text) or _script_key(text))


def country_name(code: str) -> str:
    import pycountry

    found = pycountry.countries.get(alpha_2=code.upper())
    return str(found.name) if found else code
