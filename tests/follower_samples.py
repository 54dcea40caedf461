"""Synthetic follower samples for tests that need a known share of fake followers."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np


def write_rows(path: Path, rows: list[dict[str, object]]) -> Path:
    """Write dict rows as a CSV with a header taken from the first row."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def followers(creator: str, n: int, fake_share: float, seed: int) -> list[dict[str, object]]:
    """SRF-like followers: real people post and are followed back; fakes follow en masse."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        fake = i < round(n * fake_share)
        rows.append(
            {
                "creator": creator,
                "username": f"user{rng.integers(10**6, 10**8)}" if fake else f"anna.b{i}",
                "posts": int(rng.integers(0, 2)) if fake else int(rng.integers(30, 400)),
                "following": int(rng.integers(3000, 7000)) if fake else int(rng.integers(150, 900)),
                "followers": int(rng.integers(5, 60)) if fake else int(rng.integers(200, 1500)),
                "has_profile_picture": "no" if fake and i % 3 == 0 else "yes",
                "is_private": "false",
            }
        )
    return rows
