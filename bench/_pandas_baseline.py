"""The baseline: the catalog metrics written the straightforward way in pandas.

What an analyst would write: read the exports, parse the columns, keep the latest record of each
post, sort the posts of each creator newest first and aggregate with ``groupby``. The definitions
are those of ``creatormix.metrics`` and docs/metrics.md (a test holds the numbers equal on a small
catalog, so the benchmark's ratio compares equal work):

* engagement over each creator's last N posts (newest first, undated posts last, later record first
  on a tie): (likes + comments) / followers and / views, mean, median and sample variance;
* cadence over the dated ones among those: posts per week and median gap in days;
* sponsored share of every current post, from the disclosure markers in caption and hashtags;
* follower growth per 30 days over the last ``growth_window_days`` of snapshots (the creators
  file's followers count as a snapshot at its ``observed_at``, as the importer records it);
* tier by the default scheme.

Left out: the empirical-Bayes shrinkage, which works on one row per creator (100,000 rows, not
10,000,000) and costs the same in any engine.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

KEY = ["platform", "handle"]
TIER_BOUNDS = ((1_000_000, "mega"), (500_000, "macro"), (100_000, "mid"), (10_000, "micro"))


def _read(path: Path) -> pd.DataFrame:
    import pandas as pd

    return pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)


def load(folder: Path, fmt: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Creators, posts and snapshots, parsed and keyed like the importer keys them."""
    import pandas as pd

    creators, posts, snaps = (
        _read(folder / f"{kind}.{fmt}").rename(columns={"username": "handle"})
        for kind in ("creators", "posts", "snapshots")
    )
    for df in (creators, posts, snaps):
        df["handle"] = df["handle"].str.lstrip("@").str.lower()
    posts["posted_at"] = pd.to_datetime(posts["posted_at"])
    creators["observed_at"] = pd.to_datetime(creators["observed_at"])
    snaps["observed_at"] = pd.to_datetime(snaps.pop("date"))
    if fmt == "parquet":
        tags = posts["hashtags"].map(" ".join, na_action="ignore")
    else:  # CSV exports write the list as text: "['#a', '#b']"
        tags = posts["hashtags"].str.replace(r"[\[\]',]", " ", regex=True)
    posts["text"] = posts["caption"].fillna("") + " " + tags.fillna("")
    return creators, posts, snaps


def metrics(
    creators: pd.DataFrame,
    posts: pd.DataFrame,
    snaps: pd.DataFrame,
    marker_regex: str,
    last_n: int = 12,
    growth_window_days: int = 90,
) -> pd.DataFrame:
    """One row per creator with the metrics listed in the module docstring."""
    import numpy as np
    import pandas as pd

    creators = creators.drop_duplicates(KEY, keep="last")
    posts = posts.assign(order=np.arange(len(posts)))
    posts = posts.drop_duplicates([*KEY, "shortcode"], keep="last")

    # Engagement rates per post, then each creator's last N posts.
    posts = posts.merge(creators[[*KEY, "followers"]], on=KEY, how="left")
    eng = posts["likes"] + posts["comments"].fillna(0)
    posts["engagements"] = eng
    posts["er_followers"] = (eng / posts["followers"]).where(posts["followers"] > 0)
    posts["er_views"] = (eng / posts["views"]).where(posts["views"] > 0)
    posts = posts.sort_values(
        [*KEY, "posted_at", "order"], ascending=[True, True, False, False], na_position="last"
    )
    posts["recency"] = posts.groupby(KEY).cumcount()
    last = posts[posts["recency"] < last_n]
    measured = last[last["likes"].notna()]
    engagement = measured.groupby(KEY).agg(
        posts_measured=("likes", "size"),
        er_followers_mean=("er_followers", "mean"),
        er_followers_median=("er_followers", "median"),
        er_followers_var=("er_followers", "var"),
        er_views_mean=("er_views", "mean"),
        er_views_median=("er_views", "median"),
        avg_engagements=("engagements", "mean"),
    )

    # Cadence over the dated ones among the last N posts.
    dated = last[last["posted_at"].notna()].sort_values([*KEY, "posted_at", "order"])
    dated = dated.assign(gap=dated.groupby(KEY)["posted_at"].diff().dt.total_seconds() / 86_400)
    cad = dated.groupby(KEY).agg(
        dated_posts=("posted_at", "size"),
        first=("posted_at", "min"),
        last_post_at=("posted_at", "max"),
        median_gap_days=("gap", "median"),
    )
    span = (cad["last_post_at"] - cad["first"]).dt.total_seconds() / 86_400
    ok = (cad["dated_posts"] >= 2) & (span >= 1 / 24)
    cad["posts_per_week"] = ((cad["dated_posts"] - 1) / (span / 7)).where(ok)
    cad = cad.drop(columns="first")

    # Sponsored share of every current post. RE2's \s spelled out: the same pattern as ours, and
    # pandas then hands it to pyarrow's RE2 rather than to Python's re (about 10x slower here).
    pattern = marker_regex.replace(r"\s", r"[\t\n\f\r ]")
    with warnings.catch_warnings():  # "has match groups": we only want whether it matches
        warnings.simplefilter("ignore", UserWarning)
        flagged = posts["text"].astype("str").str.contains(pattern, regex=True)
    if "sponsored" in posts:
        flagged = posts["sponsored"].astype("boolean").fillna(flagged)
    sponsored = (
        posts.assign(s=flagged.astype(int))
        .groupby(KEY)
        .agg(posts_total=("s", "size"), sponsored_posts=("s", "sum"))
    )
    sponsored["sponsored_share"] = sponsored["sponsored_posts"] / sponsored["posts_total"]

    # Follower growth from the snapshots (and the creators file's own count).
    seen = creators[[*KEY, "observed_at", "followers"]]
    s = pd.concat([snaps[[*KEY, "observed_at", "followers"]], seen], ignore_index=True)
    s = s[s["followers"].notna()]
    grouped = s.groupby(KEY)["observed_at"]
    s = s.assign(latest=grouped.transform("max"), snapshots=grouped.transform("nunique"))
    s = s[s["observed_at"] >= s["latest"] - pd.Timedelta(days=growth_window_days)]
    s = s.sort_values([*KEY, "observed_at"])
    g = s.groupby(KEY).agg(
        snapshots=("snapshots", "max"),
        first_at=("observed_at", "min"),
        last_at=("observed_at", "max"),
        first_followers=("followers", "first"),
        last_followers=("followers", "last"),
    )
    days = (g["last_at"] - g["first_at"]).dt.total_seconds() / 86_400
    change = (g["last_followers"] - g["first_followers"]) / g["first_followers"] * 30 / days
    g["growth_30d"] = change.where((days >= 1) & (g["first_followers"] > 0))
    g["growth_days"] = days
    growth = g[["snapshots", "growth_30d", "growth_days"]]

    out = creators[[*KEY, "followers"]].set_index(KEY)
    out["tier"] = np.select(
        [out["followers"] >= bound for bound, _ in TIER_BOUNDS],
        [tier for _, tier in TIER_BOUNDS],
        default="nano",
    )
    out.loc[out["followers"].isna(), "tier"] = None
    return out.join([engagement, cad, sponsored, growth]).reset_index()


def run(folder: Path, fmt: str, marker_regex: str) -> pd.DataFrame:
    """Read the files and compute the metrics: the whole timed job of the baseline."""
    return metrics(*load(folder, fmt), marker_regex=marker_regex)
