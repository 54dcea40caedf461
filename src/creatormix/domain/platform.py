"""Social platforms and handle normalisation."""

from __future__ import annotations

import re
from enum import StrEnum


class Platform(StrEnum):
    """A social platform a creator publishes on."""

    INSTAGRAM = "instagram"
    TIKTOK = "tiktok"
    YOUTUBE = "youtube"
    X = "x"
    FACEBOOK = "facebook"
    TWITCH = "twitch"
    PINTEREST = "pinterest"
    SNAPCHAT = "snapchat"
    LINKEDIN = "linkedin"

    @classmethod
    def parse(cls, text: str) -> Platform:
        """Read a platform name as users write it ("IG", "Insta", "YouTube", "twitter")."""
        key = re.sub(r"[^a-z]", "", text.strip().lower())
        found = _PLATFORM_ALIASES.get(key)
        if found is None:
            choices = ", ".join(p.value for p in cls)
            raise ValueError(f"unknown platform {text!r} (expected one of: {choices})")
        return found


_PLATFORM_ALIASES: dict[str, Platform] = {p.value: p for p in Platform} | {
    "ig": Platform.INSTAGRAM,
    "insta": Platform.INSTAGRAM,
    "tt": Platform.TIKTOK,
    "yt": Platform.YOUTUBE,
    "twitter": Platform.X,
    "fb": Platform.FACEBOOK,
    "li": Platform.LINKEDIN,
}

_HANDLE_STRIP = re.compile(r"^[@\s]+|\s+$")
_HANDLE_URL = re.compile(
    r"^(?:https?://)?(?:www\.|m\.)?(?:instagram\.com|tiktok\.com|youtube\.com|x\.com|twitter\.com|"
    r"facebook\.com|twitch\.tv|pinterest\.com)/(?:@|c/|user/|channel/)?([^/?#\s]+)",
    re.IGNORECASE,
)


def normalise_handle(text: str) -> str:
    """The canonical form of a handle: lower case, no leading '@', no profile-URL prefix.

    Handles are case-insensitive on every supported platform, so ``@Cristiano``,
    ``cristiano`` and ``https://instagram.com/cristiano/`` are the same creator.
    """
    text = text.strip()
    match = _HANDLE_URL.match(text)
    if match:
        text = match.group(1)
    return _HANDLE_STRIP.sub("", text).lower()


# What each platform accepts as a handle, on the canonical (lower-case, no '@') form. RE2 and
# Python compatible, ASCII classes only, so the same pattern runs in Arrow and in Python.
HANDLE_RULES: dict[Platform, tuple[str, str]] = {
    Platform.INSTAGRAM: (r"^[a-z0-9._]{1,30}$", "letters, digits, '.' and '_', at most 30"),
    Platform.TIKTOK: (r"^[a-z0-9._]{2,24}$", "letters, digits, '.' and '_', 2 to 24"),
    Platform.YOUTUBE: (
        r"^([a-z0-9._-]{3,30}|uc[a-z0-9_-]{22})$",
        "letters, digits, '.', '_' and '-', 3 to 30, or a UC… channel id",
    ),
    Platform.X: (r"^[a-z0-9_]{1,15}$", "letters, digits and '_', at most 15"),
    Platform.TWITCH: (r"^[a-z0-9_]{3,25}$", "letters, digits and '_', 3 to 25"),
}
GENERIC_HANDLE_RULE = (r"^[a-z0-9._-]{1,100}$", "letters, digits, '.', '_' and '-'")

NAME_KEY_PREFIX = "~"
"""Starts the key of a creator known by display name only (a YouTube channel file without
handles); no platform's handle can start with it."""


def handle_rule(platform: Platform | None) -> tuple[str, str]:
    """(pattern, description) of the handles ``platform`` accepts."""
    if platform is None:
        return GENERIC_HANDLE_RULE
    return HANDLE_RULES.get(platform, GENERIC_HANDLE_RULE)


def handle_problem(platform: Platform | None, handle: str) -> str | None:
    """Why ``handle`` (canonical form) cannot be a handle on ``platform``; None when it can."""
    if handle.startswith(NAME_KEY_PREFIX):
        return None
    pattern, description = handle_rule(platform)
    if re.fullmatch(pattern, handle):
        return None
    where = platform.value.capitalize() if platform else "a"
    if platform is Platform.TIKTOK:
        where = "TikTok"
    elif platform is Platform.YOUTUBE:
        where = "YouTube"
    return f"not a valid {where} handle ({description})"


def name_key(name: str) -> str:
    """The key of a creator known by display name only: ``~`` + the name, trimmed, lower case,
    white space squeezed ("T-Series " -> "~t-series")."""
    return NAME_KEY_PREFIX + " ".join(name.split()).lower()
