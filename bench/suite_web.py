"""The web app under load: catalog search and the creator page over 100,000 creators.

A workspace of 100,000 generated creators (``_catalog_data``, 500,000 posts) is served by a real
``creatormix serve``; a load generator in its own process (``_loadgen.py``) asks the REST API for
(a) catalog searches with two filters and a sort (tier, minimum followers, sorted by ER; a
different page each time) and (b) creator pages of different creators, one request at a time (the
server serialises workspace work, so a second client would measure queueing). The figure is the
server's own time per request (its Server-Timing header), p95 of all requests; the client-side
p95 is in the note. The baseline, in the same run, is the same facade call and view in-process
(no HTTP, no login, no JSON encoding).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from _harness import Result  # noqa: E402
from _loadgen import p95, run_process  # noqa: E402
from suite_redirect import _env, free_port, serve, stop  # noqa: E402

SUITE = "web"
SEED = 10
FULL = {"creators": 100_000, "posts": 500_000, "requests": 300}
QUICK = {"creators": 2_000, "posts": 10_000, "requests": 30}
TARGET_CATALOG_MS = 150.0
TARGET_CREATOR_MS = 100.0


def build(folder: Path, size: dict[str, int]) -> tuple[Path, str, list[str]]:
    """The workspace, an admin token, and creator refs to ask for."""
    from _catalog_data import catalog_files
    from creatormix.domain.query import CreatorQuery, SortKey
    from creatormix.workspace import Workspace

    files = catalog_files(size["creators"], size["posts"], SEED)
    db = folder / "web.duckdb"
    with Workspace.create(db) as ws:
        for kind in ("creators", "snapshots", "posts"):
            ws.import_file(kind, files.path(kind, "parquet"), refresh=kind == "posts")
        ws.add_user("bench@brand.example", "admin", "bench password 1")
        token = ws.create_token("bench", "bench@brand.example").secret
        page = ws.list_creators(CreatorQuery(limit=2000, sort=SortKey.HANDLE))
        refs = [f"{p.creator.platform.value}:{p.creator.handle}" for p in page.creators]
    return db, token, refs[::10][:200]


def catalog_urls(pages: int) -> list[str]:
    return [
        f"/api/v1/catalog?tier=micro&min_followers=20k&sort=er&page={p}"
        for p in range(1, pages + 1)
    ]


def load(port: int, token: str, urls: list[str], requests: int) -> list[tuple[float, float, int]]:
    spec = {
        "port": port,
        "token": token,
        "urls": urls,
        "requests": requests,
        "clients": 1,
        "seconds": 600,
    }
    rows = [tuple(r) for r in run_process(spec, env=_env())]
    bad = [r for r in rows if r[2] != 200]
    if bad:
        raise RuntimeError(f"{len(bad)} error answers, e.g. status {bad[0][2]}")
    return rows  # type: ignore[return-value]


def in_process(db: Path, refs: list[str], pages: int, n: int) -> tuple[float, float]:
    """p95 ms of the same facade calls and views, in this process."""
    from creatormix.domain.query import CreatorQuery, SortKey
    from creatormix.domain.requests import CatalogQuery
    from creatormix.views.browse import catalog_view
    from creatormix.views.catalog import creator_page_view
    from creatormix.workspace import Workspace

    cat, cre = [], []
    with Workspace.open(db) as ws:
        for i in range(n):
            q = CatalogQuery(
                CreatorQuery(
                    tiers=("micro",), min_followers=20_000, sort=SortKey.ER, offset=(i % pages) * 50
                )
            )
            t = time.perf_counter()
            catalog_view(ws.browse(q)).to_json()
            cat.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            creator_page_view(ws.creator_overview(refs[i % len(refs)])).to_json()
            cre.append((time.perf_counter() - t) * 1000)
    return p95(cat), p95(cre)


def run(quick: bool) -> list[Result]:
    size = QUICK if quick else FULL
    pages = 20
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        db, token, refs = build(Path(tmp), size)
        base_cat, base_cre = in_process(db, refs, pages, max(10, size["requests"] // 3))
        port = free_port()
        proc = serve(
            [sys.executable, "-m", "creatormix", "--db", str(db), "serve", "--port", str(port)],
            port,
        )
        try:
            load(port, token, catalog_urls(3), 6)  # warm: the first requests open the file
            cat = load(port, token, catalog_urls(pages), size["requests"])
            cre = load(port, token, [f"/api/v1/creators/{r}" for r in refs], size["requests"])
        finally:
            stop(proc)
    load_avg = os.getloadavg()[0]
    label = f"{size['creators']:,} creators, {size['posts']:,} posts"

    def result(
        name: str, rows: list[tuple[float, float, int]], base: float, target: float
    ) -> Result:
        server = p95([r[1] for r in rows])
        client = p95([r[0] for r in rows])
        return Result(
            SUITE,
            name,
            server,
            "ms p95",
            base,
            "the same facade call in-process",
            f"< {target:g} ms",
            server < target,
            f"{label}; {len(rows)} requests one at a time, median {statistics.median(r[1] for r in rows):.0f} ms, "
            f"client-side p95 {client:.0f} ms; load average {load_avg:.1f} on {os.cpu_count()} cores",
        )

    return [
        result("catalog search: 2 filters + sort (server time)", cat, base_cat, TARGET_CATALOG_MS),
        result("creator page (server time)", cre, base_cre, TARGET_CREATOR_MS),
    ]
