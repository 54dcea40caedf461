"""A team's workspace on PostgreSQL under concurrent processes and faults, with real processes:
servers migrating at once, deal moves racing, SIGKILL in the middle of an import, a plan save
and a click fold, and the database server restarted during a burst of clicks.

Mid-write kills are made deterministic: the child writes inside its transaction, says so, and
waits; the parent kills it there, before the commit (the import is killed between batches).
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from creatormix.domain.imports import ImportOptions
from creatormix.domain.platform import Platform
from creatormix.store.migrations import CURRENT_VERSION, MIGRATIONS
from creatormix.workspace import Workspace
from tests.conftest import subprocess_env
from tests.postgres_server import PostgresServer
from tests.test_kill_import import CHILD as IMPORT_CHILD
from tests.test_kill_import import _big_posts
from tests.web.test_redirect_server import _burst, _workspace, start_server

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture
def url(
    pg_server: PostgresServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """An empty database of this test's (``copy``/``init`` create it) and a state folder for
    the click journal, which child processes inherit."""
    monkeypatch.setenv("CREATORMIX_STATE_DIR", str(tmp_path / "state"))
    name = f"f_{uuid.uuid4().hex[:12]}"
    yield pg_server.url(name)
    pg_server.drop_database(name)


def _popen(*args: str, stdin: bool = False) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, *args],
        stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=subprocess_env(),
    )


def _kill_when(child: subprocess.Popen[str], said: str) -> list[str]:
    """Read the child's lines until one starts with ``said``, then SIGKILL it."""
    assert child.stdout is not None
    seen = []
    for line in child.stdout:
        seen.append(line.strip())
        if line.startswith(said):
            child.send_signal(signal.SIGKILL)
            break
    child.wait(timeout=120)
    stderr = child.stderr.read() if child.stderr else ""
    assert child.returncode == -signal.SIGKILL, (seen, stderr)
    return seen


def _table_counts(url: str, *names: str) -> dict[str, int]:
    with Workspace.open(url) as ws:
        return {n: int(ws.store.table(n).count().to_pyarrow().as_py()) for n in names}


def test_servers_starting_at_once_on_a_new_database_migrate_it_once(url: str) -> None:
    children = [_popen("-m", "creatormix", "init", url) for _ in range(4)]
    for child in children:
        _, err = child.communicate(timeout=300)
        assert child.returncode == 0, err
    with Workspace.open(url) as ws:
        versions = ws.store.table("schema_migrations").version.to_pyarrow().to_pylist()
    assert sorted(versions) == [m.version for m in MIGRATIONS]
    assert max(versions) == CURRENT_VERSION


MOVER = """
import sys
from creatormix.workspace import Workspace
with Workspace.open(sys.argv[1]) as ws:
    for i in range(int(sys.argv[3])):
        ws.move_deal("spring-launch", "instagram:anna.fit", note=f"{sys.argv[2]}-{i}")
"""


def test_deal_moves_by_two_users_at_once_all_land_in_order(url: str) -> None:
    _workspace(url)  # type: ignore[arg-type]
    movers = [_popen("-c", MOVER, url, who, "15") for who in ("ana", "ben")]
    for child in movers:
        _, err = child.communicate(timeout=300)
        assert child.returncode == 0, err
    with Workspace.open(url) as ws:
        _, events = ws.deal_history("spring-launch", "instagram:anna.fit")
    notes = [e.note for e in events if e.note]
    assert sorted(notes) == sorted(f"{w}-{i}" for w in ("ana", "ben") for i in range(15))
    ids = [e.event_id for e in events]
    assert len(set(ids)) == len(ids) == len(events)  # no event overwrote another
    for who in ("ana", "ben"):  # each user's moves in the order made
        assert [n for n in notes if n.startswith(who)] == [f"{who}-{i}" for i in range(15)]
    assert [e.at for e in events] == sorted(e.at for e in events)


def test_killing_an_import_midway_leaves_the_database_as_it_was(url: str, tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text(
        "handle,followers\n" + "".join(f"c{i},{1000 + i}\n" for i in range(1000))
    )
    with Workspace.create(url) as ws:
        ws.import_file("creators", tmp_path / "c.csv", ImportOptions(platform=Platform.INSTAGRAM))
    before = _table_counts(url, "post_facts", "creator_facts", "imports")
    posts = tmp_path / "posts.parquet"
    _big_posts(posts, 1_200_000)  # two batches: the kill lands after the first is written
    child = _popen("-c", IMPORT_CHILD, url, str(posts))
    assert child.stdout is not None
    seen = []
    for line in child.stdout:
        seen.append(line.strip())
        parts = line.split()
        if len(parts) == 3 and parts[0] == "writing" and int(parts[1]) > 0:
            child.send_signal(signal.SIGKILL)
            break
    child.wait(timeout=120)
    assert child.returncode == -signal.SIGKILL, seen
    assert "committed" not in seen
    assert _table_counts(url, "post_facts", "creator_facts", "imports") == before
    # the dead session's transaction and locks are gone: the next write goes through at once
    (tmp_path / "p.csv").write_text("handle,post_id,likes\nc1,x1,5\n")
    with Workspace.open(url, lock_wait=5) as ws:
        report = ws.import_file(
            "posts", tmp_path / "p.csv", ImportOptions(platform=Platform.INSTAGRAM)
        )
        assert report.rows_accepted == 1


PLAN_SAVER = """
import sys
from dataclasses import replace
from creatormix.store import planning as plans_store
from creatormix.store.core import current_user
from creatormix.workspace import Workspace
with Workspace.open(sys.argv[1]) as ws:
    brief = ws.brief(overrides={"goal": "engagement", "budget": "8k", "frontier.enabled": False,
                                "scenarios": 500})
    plan = ws.plan(brief, save=False)
    with ws.store.transaction():  # what Workspace.plan does to save, stopped before the commit
        plan = replace(plan, plan_id=plans_store.next_plan_id(ws.store))
        plans_store.save_plan(ws.store, plan, current_user())
        print("written", len(plan.picks), flush=True)
        sys.stdin.readline()
print("committed", flush=True)
"""


def test_killing_a_plan_save_midway_saves_nothing(
    pg_server: PostgresServer,
    demo_pg_template: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CREATORMIX_STATE_DIR", str(tmp_path / "state"))
    name = f"f_{uuid.uuid4().hex[:12]}"
    demo = pg_server.create_database(name, template=demo_pg_template)
    try:
        before = _table_counts(demo, "plans", "plan_selections")
        seen = _kill_when(_popen("-c", PLAN_SAVER, demo, stdin=True), "written")
        assert int(seen[-1].split()[1]) > 0  # the picks were written, uncommitted
        assert _table_counts(demo, "plans", "plan_selections") == before
    finally:
        pg_server.drop_database(name)


FOLDER = """
import sys
from creatormix.workspace import Workspace
with Workspace.open(sys.argv[1]) as ws, ws.store.transaction():
    print("folded", ws.fold_clicks(), flush=True)
    sys.stdin.readline()
"""


async def _clicks(port: int, path: str, answered: list[int], stop: Callable[[int], bool]) -> None:
    """32 keep-alive connections sending GETs with a numbered Referer; each answered one is
    noted and ``stop(answers so far)`` asked whether to go on."""
    counter = iter(range(10**9))
    done = False

    async def client() -> None:
        nonlocal done
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while not done:
                n = next(counter)
                writer.write(
                    f"GET {path} HTTP/1.1\r\nHost: t\r\nReferer: https://t.example/{n}\r\n\r\n".encode()
                )
                await writer.drain()
                head = await reader.readuntil(b"\r\n\r\n")
                if head.startswith(b"HTTP/1.1 302"):
                    answered.append(n)
                    done = done or stop(len(answered))
        finally:
            writer.close()

    await asyncio.wait_for(asyncio.gather(*(client() for _ in range(32))), timeout=240)


def _burst_with_fault(
    port: int, codes: dict[str, str], answered: list[int], after: int, fault: Callable[[], None]
) -> int:
    """Clicks go on while ``fault`` runs (in a thread, from the ``after``-th answer) and for
    ``after`` answers more once it is over; returns how many were answered when it was."""
    worker = threading.Thread(target=fault)
    over_at: list[int] = []

    def stop(count: int) -> bool:
        if count == after:
            worker.start()
        if worker.ident is not None and not worker.is_alive() and not over_at:
            over_at.append(count)
        return bool(over_at) and count >= over_at[0] + after

    asyncio.run(_clicks(port, f"/r/{codes['anna.fit']}", answered, stop))
    worker.join(timeout=120)
    return over_at[0]


def _recorded(url: str) -> list[int]:
    with Workspace.open(url) as ws:
        with ws.store.transaction():
            ws.fold_clicks()
        rows = ws.store.table("clicks").referrer.to_pyarrow().to_pylist()
    return [int(str(r).rsplit("/", 1)[1]) for r in rows]


def test_killing_the_click_fold_midway_loses_and_doubles_no_click(url: str) -> None:
    codes = _workspace(url)  # type: ignore[arg-type]
    # no periodic folder (interval 0): the killed server leaves its journal for the fold below
    proc, port = start_server(url, "--fold-interval", "0")  # type: ignore[arg-type]
    answered: list[int] = []
    asyncio.run(_burst(port, f"/r/{codes['anna.fit']}", answered, 500, lambda: proc.kill()))
    proc.wait(timeout=60)
    seen = _kill_when(_popen("-c", FOLDER, url, stdin=True), "folded")
    assert int(seen[-1].split()[1]) >= 500  # the fold had written them, uncommitted
    assert _table_counts(url, "clicks", "click_folds") == {"clicks": 0, "click_folds": 0}
    recorded = _recorded(url)
    assert set(answered) <= set(recorded)
    assert len(recorded) == len(set(recorded))


def test_a_database_restart_during_a_burst_of_clicks_loses_and_doubles_none(
    url: str, pg_server: PostgresServer
) -> None:
    codes = _workspace(url)  # type: ignore[arg-type]
    proc, port = start_server(url, "--fold-interval", "0.3")  # type: ignore[arg-type]
    answered: list[int] = []
    try:
        over_at = _burst_with_fault(
            port, codes, answered, 1500, lambda: pg_server.restart(mode="immediate")
        )
        assert proc.poll() is None, "the redirect server died with the database restart"
        assert len(answered) >= over_at + 1500  # and it answered on after the restart
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=120)
    assert len(answered) >= 1500
    recorded = _recorded(url)
    missing = set(answered) - set(recorded)
    assert not missing, f"{len(missing)} of {len(answered)} answered clicks were lost"
    assert len(recorded) == len(set(recorded))
