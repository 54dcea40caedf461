"""The single-writer rule with real processes: `creatormix serve` holds the DuckDB file while it
answers, CLI commands run meanwhile get in through their lock wait (the server lets go for them),
a command holding the file makes the server answer 503 with one line, and nothing written by
either side is lost."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import requests

from creatormix.domain.imports import ImportOptions
from creatormix.domain.platform import Platform
from creatormix.workspace import Workspace
from tests.conftest import subprocess_env
from tests.web.conftest import ADMIN, PASSWORD, start, stop

HOLD = (
    "import sys; from creatormix.workspace import Workspace; "
    "ws = Workspace.open(sys.argv[1]); print('held', flush=True); sys.stdin.read(); ws.close()"
)


def small_workspace(folder: Path) -> tuple[Path, str]:
    db = folder / "ws.duckdb"
    with Workspace.create(db) as ws:
        f = folder / "creators.csv"
        f.write_text("handle,followers\n" + "".join(f"c{i},{1000 + i}\n" for i in range(40)))
        ws.import_file("creators", f, ImportOptions(platform=Platform.INSTAGRAM))
        ws.add_user(ADMIN, "admin", PASSWORD)
        token = ws.create_token("writer", ADMIN).secret
    return db, token


def cli(
    db: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "creatormix", "--db", str(db), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env or subprocess_env(),
        timeout=300,
    )


def test_cli_commands_and_web_writes_interleave_and_nothing_is_lost(tmp_path: Path) -> None:
    db, token = small_workspace(tmp_path)
    proc, port = start(db, tmp_path / "server.log")
    url = f"http://127.0.0.1:{port}/api/v1"
    auth = {"Authorization": f"Bearer {token}"}
    try:
        made = requests.post(url + "/shortlists", json={"name": "Busy"}, headers=auth, timeout=60)
        sid = made.json()["shortlist_id"]
        errors: list[str] = []
        web_writes = 30

        def write_from_the_web() -> None:  # back to back: the server never idles on its own
            for i in range(web_writes):
                r = requests.post(
                    url + f"/shortlists/{sid}/creators",
                    json={"creators": [f"@c{i}"]},
                    headers=auth,
                    timeout=120,
                )
                if r.status_code != 200:
                    errors.append(f"{r.status_code} {r.text}")

        writer = threading.Thread(target=write_from_the_web)
        writer.start()
        # the lock wait a command gets: long, because this 2-core machine is shared and one
        # request may take seconds under load (the default is 10 s)
        patient = subprocess_env() | {"CREATORMIX_LOCK_WAIT": "120"}
        results = [
            cli(
                db,
                "users",
                "add",
                f"cli{i}@brand.example",
                "--password-stdin",
                stdin=PASSWORD + "\n",
                env=patient,
            )
            for i in range(3)
        ]
        writer.join()
        assert not errors, errors
        for r in results:
            assert r.returncode == 0, r.stderr
        listed = requests.get(url + f"/shortlists/{sid}", headers=auth, timeout=60).json()
        assert len(listed["entries"]) == web_writes
        health = requests.get(f"http://127.0.0.1:{port}/api/health", timeout=60).json()
        assert health["workspace_opens"] >= 2  # it let go of the file for the commands
    finally:
        stop(proc)
    with Workspace.open(db) as ws:
        assert {f"cli{i}@brand.example" for i in range(3)} <= {u.email for u in ws.users()}
        assert len(ws.get_shortlist("Busy").entries) == web_writes


def test_while_a_command_holds_the_file_the_server_answers_503_in_one_line(tmp_path: Path) -> None:
    db, token = small_workspace(tmp_path)
    env = subprocess_env() | {"CREATORMIX_LOCK_WAIT": "60"}  # the server lets go while idle
    proc, port = start(db, tmp_path / "server.log")
    auth = {"Authorization": f"Bearer {token}"}
    url = f"http://127.0.0.1:{port}/api/v1"
    try:
        assert requests.get(url + "/me", headers=auth, timeout=60).ok
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLD, str(db)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
            busy = requests.get(url + "/catalog", headers=auth, timeout=120)
            assert busy.status_code == 503, busy.text
            error = busy.json()["error"]
            assert error["code"] == "busy" and "another creatormix process" in error["message"]
            assert "\n" not in error["message"] and busy.headers["retry-after"]
        finally:
            assert holder.stdin is not None
            holder.stdin.close()
            holder.wait(timeout=60)
        assert requests.get(url + "/catalog", headers=auth, timeout=120).status_code == 200
    finally:
        stop(proc)


def test_a_command_that_cannot_wait_long_enough_fails_with_one_clear_line(tmp_path: Path) -> None:
    db, _ = small_workspace(tmp_path)
    env = subprocess_env() | {"CREATORMIX_LOCK_WAIT": "0.3"}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        r = cli(db, "users", "list", env=env)
        assert r.returncode == 4
        lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and "open in another creatormix process" in lines[0], r.stderr
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=60)
