"""Discount codes, link codes and campaign slugs.

A shopper reads a code off a video and types it, so codes have no ambiguous characters: the
random part uses an alphabet without look-alikes (no 0/O, 1/I/L), and the readable prefix keeps
the handle's letters and its digits 2-9 but drops the digits 0 and 1 (read as O and I/L; letters
are read as part of a word). Randomness comes from ``secrets``, so a code cannot be guessed from
another.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Callable, Collection

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # 31 symbols: no 0 O 1 I L
PREFIX_MAX = 8
SUFFIX_LEN = 6  # 31**6 ≈ 8.9e8 codes per prefix: ~30 bits against guessing
LINK_CODE_LEN = 8  # 31**8 ≈ 8.5e11
_MAX_TRIES = 100


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def code_prefix(handle: str) -> str:
    """The readable part: the handle's letters A-Z and digits 2-9, upper case, at most
    ``PREFIX_MAX`` (8) characters; "CREATOR" when nothing is left. Accents are folded
    (``é`` -> ``E``); 0 and 1 are dropped (``luxi60`` -> ``LUXI6``), other symbols too."""
    letters = re.sub(r"[^A-Z2-9]", "", _ascii(handle).upper())
    return letters[:PREFIX_MAX] or "CREATOR"


def random_symbols(n: int, choice: Callable[[str], str] = secrets.choice) -> str:
    return "".join(choice(ALPHABET) for _ in range(n))


def discount_code(
    handle: str, taken: Collection[str], choice: Callable[[str], str] = secrets.choice
) -> str:
    """``ANNAFIT-7KQ4XM``: unique against ``taken`` (compared case-insensitively, as stores do)."""
    prefix = code_prefix(handle)
    taken_upper = {t.upper() for t in taken}
    for _ in range(_MAX_TRIES):
        code = f"{prefix}-{random_symbols(SUFFIX_LEN, choice)}"
        if code not in taken_upper:
            return code
    raise RuntimeError("could not draw an unused discount code")  # ~impossible: 8.9e8 per prefix


def link_code(taken: Collection[str], choice: Callable[[str], str] = secrets.choice) -> str:
    """A short random path segment for ``/r/<code>``, lower case, unique against ``taken`` (the
    redirect also answers it in upper case: ``workspace.redirects.LinkTargets``)."""
    for _ in range(_MAX_TRIES):
        code = random_symbols(LINK_CODE_LEN, choice).lower()
        if code not in taken:
            return code
    raise RuntimeError("could not draw an unused link code")


def slugify(name: str) -> str:
    """``"Spring launch 2025!"`` -> ``spring-launch-2025`` (the utm_campaign value)."""
    slug = re.sub(r"[^a-z0-9]+", "-", _ascii(name).lower()).strip("-")
    return slug[:60] or "campaign"


def normalise_code(code: str) -> str:
    """How a code typed at checkout is compared: trimmed, upper case."""
    return code.strip().upper()
