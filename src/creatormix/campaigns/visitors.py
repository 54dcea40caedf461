"""Privacy-preserving click facts: a salted visitor hash instead of an IP, a browser family
instead of the user-agent string, a referrer without its query string.

The salt is random and rotates every UTC day; once a day's salt is discarded, that day's hashes
cannot be linked to an IP or to another day's hashes. Within a day the same IP and browser give the
same hash, which is what counting unique visitors needs.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

_FAMILIES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        (
            "bot",
            r"bot\b|crawl|spider|slurp|facebookexternalhit|preview|curl|wget|python|wrk|httpclient|go-http",
        ),
        ("instagram-app", r"\binstagram\b"),
        ("tiktok-app", r"tiktok|musical_ly|bytedance"),
        ("facebook-app", r"\bFBAN\b|\bFBAV\b|\bFB_IAB\b"),
        ("youtube-app", r"com\.google\.android\.youtube|youtube"),
        ("edge", r"\bEdg(e|A|iOS)?/"),
        ("opera", r"\bOPR/|Opera"),
        ("samsung", r"SamsungBrowser"),
        ("firefox", r"Firefox/|FxiOS"),
        ("chrome", r"Chrome/|CriOS"),
        ("safari", r"Safari/"),
    )
)


@lru_cache(maxsize=4096)
def ua_family(user_agent: str) -> str:
    """A coarse browser family ("chrome", "instagram-app", "bot", …); "other" when unknown."""
    if not user_agent:
        return "none"
    for name, pattern in _FAMILIES:
        if pattern.search(user_agent):
            return name
    return "other"


def visitor_hash(salt: bytes, ip: str, user_agent: str) -> str:
    """16 hex characters of keyed BLAKE2b(ip, user agent) under the salt; the IP is never kept."""
    return hashlib.blake2b(
        f"{ip}\x00{user_agent}".encode(errors="replace"), digest_size=8, key=salt
    ).hexdigest()


@lru_cache(maxsize=4096)
def clean_referrer(referrer: str) -> str:
    """Scheme, host and path of the referrer (queries can carry personal data), at most 200 chars."""
    if not referrer:
        return ""
    try:
        parts = urlsplit(referrer)
    except ValueError:
        return ""
    text = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return re.sub(r"[\t\r\n\x00]", " ", text)[:200]


def daily_salt_name(day: str) -> str:
    return f"salt-{day}"


def new_salt() -> bytes:
    import secrets

    return secrets.token_bytes(32)
