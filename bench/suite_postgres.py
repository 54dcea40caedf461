"""The same catalog on PostgreSQL and on DuckDB, in one run: import of 100,000 creators and
1,000,000 posts (Parquet) and the metrics over them, through ``Workspace.import_file`` and
``refresh_metrics``. The PostgreSQL import loads with COPY; target: within 3x of DuckDB.

A throwaway PostgreSQL server is started for the run (``tests/postgres_server.py``: ``initdb``
in a temporary folder, 127.0.0.1, durable settings: fsync on, as a real server), stopped after.
Runs alternate PostgreSQL/DuckDB so both see the same machine load; figures are medians.
``CREATORMIX_BENCH_REPEAT`` sets the runs per figure (default 3, 1 with ``--quick``).

Then the web app for a team: the last run's workspaces (on PostgreSQL, and the DuckDB file as the
same run's baseline) are served by `creatormix serve`, and 20 users at once (``_loadgen.py``, one
connection each, all starting together) each search the catalog (two filters and a sort, a
different page each time) and add a note to their own deal, in turn, reading each answer for
``THINK_S`` before the next click. Target: p95 of the users' own latency under 300 ms, no error,
every note on its deal afterwards (nothing lost).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys

from _catalog_data import OUT, catalog_files
from _harness import ROOT, Result, run_child
from _loadgen import p95, run_process

FULL = {"creators": 100_000, "posts": 1_000_000}
QUICK = {"creators": 2_000, "posts": 20_000}
SEED = 1
TARGET_RATIO = 3.0
USERS = 20
THINK_S = 1.0  # a user reading the page before the next click
ROUNDS = {"full": 15, "quick": 2}  # each round: one catalog search and one deal note
TARGET_P95_MS = 300.0

IMPORT = """
import json, sys, time
from pathlib import Path
from creatormix.workspace import Workspace

folder, db = Path(sys.argv[1]), sys.argv[2]
phases = {}
ws = Workspace.create(db)
for kind in ("creators", "snapshots", "posts"):
    start = time.perf_counter()
    ws.import_file(kind, folder / f"{kind}.parquet", refresh=False)
    phases[kind] = time.perf_counter() - start
start = time.perf_counter()
with ws.store.transaction():
    ws.refresh_metrics()
phases["metrics"] = time.perf_counter() - start
counts = ws.catalog_counts()
ws.close()
print(json.dumps({"phases": phases, "counts": counts}))
"""


def run(quick: bool) -> list[Result]:
    sys.path.insert(0, str(ROOT))
    from tests.postgres_server import PostgresServer

    size = QUICK if quick else FULL
    files = catalog_files(size["creators"], size["posts"], SEED)
    repeat = int(os.environ.get("CREATORMIX_BENCH_REPEAT", "1" if quick else "3"))
    scratch = OUT / f"scratch-pg-{os.getpid()}"
    scratch.mkdir(parents=True, exist_ok=True)
    label = f"{size['creators']:,} creators, {size['posts']:,} posts"
    load = os.getloadavg()[0]
    runs: dict[str, list[dict[str, dict[str, float]]]] = {"postgres": [], "duckdb": []}
    env = dict(os.environ, CREATORMIX_STATE_DIR=str(scratch / "state"))
    try:
        with PostgresServer(durable=True) as server:
            for i in range(repeat):
                last = i == repeat - 1  # kept for the web app's load
                url = server.create_database(f"bench{i}")
                _, _, out = run_child(IMPORT, str(files.folder), url, env=env)
                runs["postgres"].append(json.loads(out.strip().splitlines()[-1]))
                db = scratch / f"bench{i}.duckdb"
                _, _, out = run_child(IMPORT, str(files.folder), str(db), env=env)
                runs["duckdb"].append(json.loads(out.strip().splitlines()[-1]))
                if not last:
                    server.drop_database(f"bench{i}")
                    db.unlink(missing_ok=True)
            rounds = ROUNDS["quick" if quick else "full"]
            web = {
                engine: _web_users(where, env, rounds)
                for engine, where in (("postgres", url), ("duckdb", str(db)))
            }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if runs["postgres"][0]["counts"] != runs["duckdb"][0]["counts"]:
        raise RuntimeError(f"the engines disagree: {runs}")
    results = []
    for what, phases in (
        ("import", ("creators", "snapshots", "posts")),
        ("metrics", ("metrics",)),
    ):
        pg = _median(runs["postgres"], phases)
        duck = _median(runs["duckdb"], phases)
        results.append(
            Result(
                suite="postgres",
                name=f"{what} on PostgreSQL ({label})",
                value=pg,
                unit="s",
                baseline=duck,
                baseline_name="DuckDB, same files",
                target=f"<= {TARGET_RATIO:g}x DuckDB" if what == "import" else "",
                ok=(pg <= TARGET_RATIO * duck) if what == "import" else None,
                note=f"median of {repeat}; load average {load:.2f}"
                + (" (quick sizes)" if quick else ""),
            )
        )
    pg, duck = web["postgres"], web["duckdb"]
    results.append(
        Result(
            suite="postgres",
            name=f"web app on PostgreSQL, {USERS} users at once ({label})",
            value=pg["p95"],
            unit="ms p95",
            baseline=duck["p95"],
            baseline_name="the same users on the DuckDB file",
            target=f"< {TARGET_P95_MS:g} ms, no error, nothing lost",
            ok=pg["p95"] < TARGET_P95_MS and not pg["errors"] and not pg["lost"],
            note=(
                f"{pg['requests']} requests ({USERS} users x {rounds} rounds of a catalog search "
                f"and a deal note, {THINK_S:g} s between clicks): search p95 "
                f"{pg['search_p95']:.0f} ms, note p95 {pg['move_p95']:.0f} ms, {pg['errors']} "
                f"errors, {pg['lost']} notes lost; DuckDB file: search p95 "
                f"{duck['search_p95']:.0f} ms, note p95 {duck['move_p95']:.0f} ms, "
                f"{duck['errors']} errors, {duck['lost']} lost; load average {load:.2f}"
            ),
        )
    )
    return results


def _web_users(where: str, env: dict[str, str], rounds: int) -> dict[str, float]:
    """20 users on `creatormix serve` over the workspace at ``where``; latency and losses."""
    from creatormix.domain.query import CreatorQuery, SortKey
    from creatormix.workspace import Workspace
    from suite_redirect import free_port, serve, stop

    with Workspace.open(where) as ws:
        page = ws.list_creators(CreatorQuery(limit=USERS, sort=SortKey.HANDLE))
        refs = [f"{p.creator.platform.value}:{p.creator.handle}" for p in page.creators]
        ws.add_user("load@brand.example", "admin", "load test password 1")
        token = ws.create_token("load", "load@brand.example").secret
        ws.create_campaign("Load", "https://shop.example/load", refs)
    scripts = [
        [
            step
            for r in range(rounds)
            for step in (
                [
                    "GET",
                    f"/api/v1/catalog?tier=micro&min_followers=20k&sort=er&page={1 + (k + r) % 20}",
                    None,
                ],
                ["POST", f"/api/v1/campaigns/Load/deals/{refs[k]}/moves", {"note": f"u{k} r{r}"}],
            )
        ]
        for k in range(USERS)
    ]
    port = free_port()
    proc = serve(
        [sys.executable, "-m", "creatormix", "--db", where, "serve", "--port", str(port)],
        port,
        env={"CREATORMIX_STATE_DIR": env["CREATORMIX_STATE_DIR"]},
    )
    try:
        spec = {"port": port, "token": token, "seconds": 900}
        run_process(spec | {"scripts": [[scripts[0][0]]]})  # warm: the first request opens it
        rows = run_process(spec | {"scripts": scripts, "think": THINK_S})
    finally:
        stop(proc)
    moved = [r for r in rows if r[3] == "POST" and r[2] == 200]
    with Workspace.open(where) as ws:
        landed = sum(sum(1 for e in ws.deal_history("Load", ref)[1] if e.note) for ref in refs)
    return {
        "p95": p95([r[0] for r in rows]),
        "search_p95": p95([r[0] for r in rows if r[3] == "GET"]),
        "move_p95": p95([r[0] for r in rows if r[3] == "POST"]),
        "errors": sum(1 for r in rows if r[2] != 200),
        "lost": len(moved) - landed,
        "requests": len(rows),
    }


def _median(runs: list[dict[str, dict[str, float]]], phases: tuple[str, ...]) -> float:
    return statistics.median(sum(r["phases"][p] for p in phases) for r in runs)
