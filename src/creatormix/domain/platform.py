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
