"""Small dated catalogs for backtests: creators with KNOWN true engagement rates, written as the
files a brand would import (creators CSV with a dated follower count, posts CSV), seeded."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from creatormix.domain.benchmarks import ENGAGEMENT_RATE
from creatormix.workspace import Workspace

AS_OF = datetime(2024, 6, 1)
TIER_ER = ENGAGEMENT_RATE["instagram"]


def _tier(f: float) -> str:
    for bound, name in (
        (1_000_000, "mega"),
        (500_000, "macro"),
        (100_000, "mid"),
        (10_000, "micro"),
    ):
        if f >= bound:
            return name
    return "nano"


@dataclass(frozen=True)
class Truth:
    handles: list[str]
    followers: np.ndarray
    true_er: np.ndarray  # each creator's real engagement rate, which its posts scatter around


def write_catalog(
    folder: Path,
    *,
    n: int = 120,
    seed: int = 3,
    posts_before: tuple[int, int] = (1, 9),
    posts_after: tuple[int, int] = (2, 6),
    post_sigma: float = 0.5,
    silent_share: float = 0.0,
) -> tuple[Path, Path, Truth]:
    """Creators (followers observed 30 days before ``AS_OF``) and their posts on both sides of
    it: each post's engagements are followers x the creator's true rate x lognormal noise of mean
    1; ``silent_share`` of creators publish nothing after the date."""
    rng = np.random.default_rng(seed)
    followers = np.round(np.exp(rng.uniform(np.log(3e3), np.log(4e6), n)))
    base = np.array([TIER_ER[_tier(f)] for f in followers])
    true_er = np.clip(base * rng.lognormal(0.0, 0.5, n), 0.002, 0.3)
    handles = [f"creator{i:03d}" for i in range(n)]
    folder.mkdir(parents=True, exist_ok=True)
    creators = folder / "creators.csv"
    with creators.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["handle", "platform", "country", "followers", "observed_at"])
        seen = (AS_OF - timedelta(days=30)).isoformat()
        for h, f in zip(handles, followers, strict=True):
            w.writerow([h, "instagram", "US", int(f), seen])
    posts = folder / "posts.csv"
    silent = rng.random(n) < silent_share
    with posts.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["handle", "post_id", "posted_at", "likes", "comments"])
        for i, h in enumerate(handles):
            before = int(rng.integers(*posts_before))
            after = 0 if silent[i] else int(rng.integers(*posts_after))
            days = np.concatenate([-rng.uniform(1, 60, before), rng.uniform(0.5, 29.5, after)])
            for j, d in enumerate(days):
                eng = followers[i] * true_er[i] * rng.lognormal(-0.5 * post_sigma**2, post_sigma)
                comments = round(eng * 0.04)
                at = AS_OF + timedelta(days=float(d))
                w.writerow(
                    [
                        h,
                        f"{h}-{j}",
                        at.isoformat(timespec="seconds"),
                        round(eng) - comments,
                        comments,
                    ]
                )
    return creators, posts, Truth(handles, followers, true_er)


def build(path: Path, folder: Path, **catalog: object) -> tuple[Workspace, Truth]:
    """A workspace at ``path`` with ``write_catalog``'s files imported through the importers."""
    creators, posts, truth = write_catalog(folder, **catalog)  # type: ignore[arg-type]
    ws = Workspace.create(path)
    ws.import_file("creators", creators, refresh=False)
    ws.import_file("posts", posts)
    return ws, truth


def add_posts(ws: Workspace, folder: Path, rows: list[tuple[str, str, datetime, int, int]]) -> None:
    """Import more posts: (handle, post id, posted at, likes, comments)."""
    path = folder / f"more-{len(list(folder.glob('more-*')))}.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["handle", "platform", "post_id", "posted_at", "likes", "comments"])
        for h, pid, at, likes, comments in rows:
            w.writerow([h, "instagram", pid, at.isoformat(timespec="seconds"), likes, comments])
    ws.import_file("posts", path)
