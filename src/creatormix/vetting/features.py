"""Follower profile fields to the fake-follower model's features.

Inputs are float arrays with NaN for a missing value (an empty cell, a column the file lacks).
A feature is NaN when any field it needs is missing; the model imputes it (see ``model``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

# Profile fields a follower sample can carry (after the username is reduced to counts).
RAW_FIELDS: tuple[str, ...] = (
    "posts",
    "following",
    "followers",
    "has_profile_picture",
    "is_private",
    "username_length",
    "username_digits",
    "username_ends_with_digit",
    "username_non_alpha",
)

# Every feature this version can compute; a model file names the ones it uses, in its order.
KNOWN_FEATURES: tuple[str, ...] = (
    "log_posts",  # ln(1 + posts)
    "log_follower_ratio",  # ln(1 + followers) - ln(1 + following): model v1 only (below)
    "mass_following",  # max(0, ln(1 + following) - ln(1 + 1500)): following beyond 1,500
    "has_profile_picture",  # 0/1
    "is_private",  # 0/1
    "username_length",  # characters
    "username_digit_share",  # digits / length
    "username_ends_with_digit",  # 0/1
    "username_symbols",  # non-alphabetic characters that are not digits ('.', '_')
)

# The features the shipped model is trained on, in the order of its coefficient vector. The
# follower ratio left in model v2: it describes the follower's own audience, which changes with
# the population sampled (another source's real accounts were far more followed back than
# SRF's), and with it the fake share of samples from that source stayed far too low even after
# the prevalence correction (docs/model-card-fake-followers.md, "Choosing the estimator").
FEATURES: tuple[str, ...] = tuple(f for f in KNOWN_FEATURES if f != "log_follower_ratio")
V1_FEATURES: tuple[str, ...] = KNOWN_FEATURES

MASS_FOLLOWING = 1500  # HypeAuditor's mass-follower line (see docs/vetting.md)


def username_counts(names: Sequence[str | None]) -> dict[str, np.ndarray]:
    """Length, digits, trailing digit and non-alphabetic characters of each username.

    Counted on the lower-cased name without a leading '@'; a missing name gives NaN. Vectorised
    with Arrow string kernels (a million names take well under a second).
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(names, pa.string())
    arr = pc.utf8_lower(pc.replace_substring_regex(pc.utf8_trim_whitespace(arr), r"^@", ""))
    arr = pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)

    def f(a: pa.Array) -> np.ndarray:
        return np.asarray(pc.cast(a, pa.float64()).to_numpy(zero_copy_only=False), dtype=float)

    return {
        "username_length": f(pc.utf8_length(arr)),
        "username_digits": f(pc.count_substring_regex(arr, r"[0-9]")),
        "username_ends_with_digit": f(pc.match_substring_regex(arr, r"[0-9]$")),
        "username_non_alpha": f(pc.count_substring_regex(arr, r"[^a-z]")),
    }


def feature_matrix(
    raw: Mapping[str, np.ndarray], n: int, features: Sequence[str] = FEATURES
) -> np.ndarray:
    """(n, len(features)) float matrix; a missing field (absent key or NaN) gives NaN features.

    ``raw`` may carry ``username_digit_share`` directly (some exports give only the share).
    """
    import numpy as np

    def col(name: str) -> np.ndarray:
        value = raw.get(name)
        if value is None:
            return np.full(n, np.nan)
        return np.asarray(value, dtype=float)

    posts, following, followers = col("posts"), col("following"), col("followers")
    length, digits = col("username_length"), col("username_digits")
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(length > 0, digits / length, np.nan)
        given = raw.get("username_digit_share")
        if given is not None:
            share = np.where(np.isnan(share), np.asarray(given, dtype=float), share)
        log_following = np.log1p(np.clip(following, 0, None))
        # Symbols need both counts; a NaN minus a number is already NaN.
        make: dict[str, Callable[[], np.ndarray]] = {
            "log_posts": lambda: np.log1p(np.clip(posts, 0, None)),
            "log_follower_ratio": lambda: np.log1p(np.clip(followers, 0, None)) - log_following,
            "mass_following": lambda: np.maximum(0.0, log_following - np.log1p(MASS_FOLLOWING)),
            "has_profile_picture": lambda: col("has_profile_picture"),
            "is_private": lambda: col("is_private"),
            "username_length": lambda: length,
            "username_digit_share": lambda: share,
            "username_ends_with_digit": lambda: col("username_ends_with_digit"),
            "username_symbols": lambda: col("username_non_alpha") - digits,
        }
        out = np.column_stack([make[f]() for f in features])
    return np.asarray(out, dtype=float)
