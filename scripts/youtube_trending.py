"""The public YouTube trending data (2017) as a brand's history, for `creatormix backtest`.

    python scripts/youtube_trending.py --out /tmp/yt            # files + workspace
    creatormix --db /tmp/yt/youtube.duckdb backtest --as-of 2017-10-01 --horizon 22d --budget 20000

Kaggle's "Trending YouTube Video Statistics" (first release, CC0; ../shared/data/README.md) has
one row per video per day it trended in Great Britain or the United States, 13 September to 22
October 2017, with the day written ``day.month`` and no year. What a brand's import would hold,
and what this script writes (docs/planning.md, "Backtest on public data", says why):

* **a post per video**, published on the first day it trended (the file has no publication
  time), counted at its **last snapshot known on the date** when it trended before ``--as-of``
  and at its last snapshot otherwise: a video of 28 September still trending on 5 October is
  scored with its 30 September counts, so no count from after the date reaches the choice. The
  two countries' rows of one video are one post (the larger counts of a day).
* **a creator per channel**, handle = the channel name in lower case with runs of other
  characters as ``-`` (``Apple Event`` is ``apple-event``). The data has **no subscriber
  count**; a channel's size is the **median views of its videos that trended before the date**
  (as known on the date), imported as its follower count observed the day before the date. Tiers
  and rate-card prices follow from that size: a sponsor prices a YouTube integration by the views
  it expects. Channels that first trended after the date get no size: nobody knew them then.

Nothing here is shipped: the data stays in ../shared/data.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import statistics
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "youtube-trending-2017"
FILES = ("GBvideos.csv", "USvideos.csv")
YEAR = 2017
AS_OF = date(2017, 10, 1)
# YouTube's category ids (the data's category_id), as niche labels
CATEGORIES = {
    "1": "film",
    "2": "autos",
    "10": "music",
    "15": "pets",
    "17": "sports",
    "19": "travel",
    "20": "gaming",
    "22": "vlog",
    "23": "comedy",
    "24": "entertainment",
    "25": "news",
    "26": "howto",
    "27": "education",
    "28": "tech",
    "29": "nonprofit",
    "43": "shows",
}


@dataclass(frozen=True)
class Snapshot:
    day: date
    views: int
    likes: int
    comments: int


@dataclass(frozen=True)
class Prepared:
    creators: Path
    posts: Path
    channels: int  # channels with a size (a video that trended before the date)
    videos_before: int
    videos_after: int
    rows: int  # snapshot rows read


def slug(title: str) -> str:
    """A handle from a channel name: lower case, runs of other characters as '-', at most 26
    characters (a YouTube handle is 3 to 30, and a clash may add '-N'); a name with no such
    character (another script) or shorter than 3 becomes ``channel-`` and a digest of it."""
    text = re.sub(r"[^0-9a-z]+", "-", title.strip().lower()).strip("-")[:26].strip("-")
    return text if len(text) >= 3 else "channel-" + hashlib.sha256(title.encode()).hexdigest()[:10]


def handles_of(titles: set[str]) -> dict[str, str]:
    """One handle per channel name; names that give the same handle get -2, -3 ... in order."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for title in sorted(titles):
        base = handle = slug(title)
        n = 1
        while handle in taken:
            n += 1
            handle = f"{base}-{n}"
        taken.add(handle)
        out[title] = handle
    return out


def read(folder: Path) -> tuple[dict[str, dict[date, Snapshot]], dict[str, tuple[str, str]], int]:
    """Every video's snapshots by day (the larger counts where both countries have the day), and
    each video's (channel title, category id)."""
    snaps: dict[str, dict[date, Snapshot]] = {}
    meta: dict[str, tuple[str, str]] = {}
    rows = 0
    for name in FILES:
        with (folder / name).open(encoding="utf-8-sig", newline="") as fh:
            for r in csv.DictReader(fh):
                rows += 1
                dd, mm = r["date"].split(".")
                day = date(YEAR, int(mm), int(dd))
                s = Snapshot(day, int(r["views"]), int(r["likes"]), int(r["comment_total"]))
                per = snaps.setdefault(r["video_id"], {})
                if day not in per or s.views > per[day].views:
                    per[day] = s
                meta.setdefault(r["video_id"], (r["channel_title"], r["category_id"]))
    return snaps, meta, rows


def prepare(folder: Path, out: Path, as_of: date = AS_OF) -> Prepared:
    """Write ``creators.csv`` and ``posts.csv`` for the import (see the module docstring)."""
    snaps, meta, rows = read(folder)
    handles = handles_of({title for title, _ in meta.values()})
    out.mkdir(parents=True, exist_ok=True)
    posts_path, sizes = out / "posts.csv", {}
    before = after = 0
    with posts_path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            ["handle", "platform", "post_id", "posted_at", "views", "likes", "comments", "caption"]
        )
        for video, per in sorted(snaps.items()):
            title, _ = meta[video]
            first = min(per)
            known = [d for d in per if d < as_of] if first < as_of else list(per)
            s = per[max(known)]
            if first < as_of:
                before += 1
                sizes.setdefault(title, []).append(s.views)
            else:
                after += 1
            w.writerow(
                [
                    handles[title],
                    "youtube",
                    video,
                    first.isoformat(),
                    s.views,
                    s.likes,
                    s.comments,
                    "",
                ]
            )
    creators_path = out / "creators.csv"
    seen = (datetime.combine(as_of, datetime.min.time()) - timedelta(days=1)).isoformat()
    categories: dict[str, set[str]] = {}
    for title, cat in meta.values():
        categories.setdefault(title, set()).add(CATEGORIES.get(cat, "other"))
    with creators_path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["handle", "platform", "name", "categories", "followers", "observed_at"])
        for title, handle in sorted(handles.items(), key=lambda kv: kv[1]):
            if title not in sizes:
                continue  # first trended after the date: unknown on it
            size = round(statistics.median(sizes[title]))
            cats = ",".join(sorted(categories[title]))
            w.writerow([handle, "youtube", title, cats, size, seen])
    return Prepared(creators_path, posts_path, len(sizes), before, after, rows)


def build(folder: Path, out: Path, as_of: date = AS_OF) -> Path:
    """``prepare``, then the workspace ``out/youtube.duckdb`` from its files (``load``)."""
    files = prepare(folder, out, as_of)
    return load(out / "youtube.duckdb", files.creators, files.posts)


def load(db: Path, creators: Path, posts: Path) -> Path:
    """A new workspace at ``db`` with the creators and posts imported through the importers."""
    sys.path.insert(0, str(ROOT / "src"))  # this checkout's package, as the tests use it
    from creatormix.workspace import Workspace

    for suffix in ("", ".wal"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    with Workspace.create(db) as ws:
        ws.import_file("creators", creators, refresh=False)
        ws.import_file("posts", posts)
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the dataset's folder")
    parser.add_argument(
        "--out", type=Path, required=True, help="folder for the files and workspace"
    )
    args = parser.parse_args()
    db = build(args.data, args.out)
    sys.stdout.write(f"workspace: {db}\n")
    sys.stdout.write(
        f"creatormix --db {db} backtest --as-of {AS_OF} --horizon 22d --budget 20000\n"
    )


if __name__ == "__main__":
    main()
