"""The redirect service as users meet it: a real `creatormix serve` process over real sockets."""

from __future__ import annotations

import asyncio
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from creatormix.workspace import Workspace
from tests.conftest import subprocess_env


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    port: int
    db: Path
    codes: dict[str, str]  # handle -> link code

    def get(
        self, path: str, method: str = "GET", headers: dict[str, str] | None = None
    ) -> http.client.HTTPResponse:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        resp.read()
        conn.close()
        return resp


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _workspace(db: Path) -> dict[str, str]:
    with Workspace.create(db) as ws:
        ws.create_campaign(
            "Spring launch", "https://shop.example/spring", ["instagram:anna.fit", "tiktok:bigstar"]
        )
        return {
            link.creator[1:]: link.tracking_url.rsplit("/", 1)[1]
            for link in ws.campaign_links("Spring launch")
        }


def start_server(db: Path, *extra: str) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "creatormix", "--db", str(db), "serve", "--port", str(port), *extra],
        env=subprocess_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(
                f"server died: {proc.stderr.read().decode() if proc.stderr else ''}"
            )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc, port
        except OSError:
            time.sleep(0.05)  # polling a starting process: no event to wait on
    proc.kill()
    raise AssertionError("server did not start")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("serve") / "ws.duckdb"
    codes = _workspace(db)
    proc, port = start_server(db)
    yield Server(proc, port, db, codes)
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)


def _clicks(db: Path) -> list[dict[str, object]]:
    with Workspace.open(db) as ws:
        with ws.store.transaction():
            ws.fold_clicks()
        return ws.store.table("clicks").order_by("clicked_at").to_pyarrow().to_pylist()  # type: ignore[no-any-return]


def test_a_tracking_link_redirects_with_the_four_utm_parameters(server: Server) -> None:
    resp = server.get(
        f"/r/{server.codes['bigstar']}", headers={"User-Agent": "Mozilla/5.0 Chrome/120 Safari/537"}
    )
    assert resp.status == 302
    assert resp.getheader("Location") == (
        "https://shop.example/spring?utm_source=tiktok&utm_medium=influencer"
        "&utm_campaign=spring-launch&utm_content=bigstar"
    )
    assert resp.getheader("Cache-Control") == "no-store"


def test_unknown_codes_get_a_404_page_not_an_error(server: Server) -> None:
    resp = server.get("/r/doesnotexist")
    assert resp.status == 404
    assert resp.getheader("Content-Type", "").startswith("text/html")


def test_no_open_redirect_whatever_the_query_says(server: Server) -> None:
    code = server.codes["anna.fit"]
    for path in (
        f"/r/{code}?url=https://evil.example",
        f"/r/{code}/https://evil.example",
        "/r/https://evil.example",
    ):
        resp = server.get(path)
        location = resp.getheader("Location") or ""
        assert "evil" not in location
        assert resp.status in (302, 404)


def test_clicks_are_recorded_without_ip_and_head_is_no_click(server: Server) -> None:
    code = server.codes["anna.fit"]
    server.get(f"/r/{code}", method="HEAD", headers={"Referer": "https://head.example/"})
    server.get(
        f"/r/{code}",
        headers={
            "User-Agent": "Mozilla/5.0 (iPhone) Instagram 312.0",
            "Referer": "https://l.instagram.com/?u=secret",
        },
    )
    server.proc.send_signal(signal.SIGTERM)  # graceful stop folds the journal in
    server.proc.wait(timeout=60)
    rows = _clicks(server.db)
    assert not [r for r in rows if r["referrer"] == "https://head.example/"]
    [row] = [r for r in rows if r["referrer"] == "https://l.instagram.com/"]
    assert row["link_code"] == code
    assert row["ua_family"] == "instagram-app"
    assert row["referrer"] == "https://l.instagram.com/"
    assert len(str(row["visitor"])) == 16
    assert "127.0.0.1" not in " ".join(str(v) for v in row.values())


async def _burst(port: int, path: str, answered: list[int], stop_after: int, kill: object) -> None:
    """32 keep-alive connections sending GETs with a numbered Referer until the server dies."""
    counter = iter(range(10**9))

    async def client() -> None:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            return
        try:
            while True:
                n = next(counter)
                writer.write(
                    f"GET {path} HTTP/1.1\r\nHost: t\r\nReferer: https://t.example/{n}\r\n\r\n".encode()
                )
                await writer.drain()
                head = await reader.readuntil(b"\r\n\r\n")
                if head.startswith(b"HTTP/1.1 302"):
                    answered.append(n)
                    if len(answered) == stop_after:
                        kill()  # type: ignore[operator]
        except (OSError, asyncio.IncompleteReadError, ConnectionError):
            return
        finally:
            writer.close()

    await asyncio.wait_for(asyncio.gather(*(client() for _ in range(32))), timeout=120)


@pytest.mark.slow
def test_sigkill_during_a_burst_loses_no_answered_click(tmp_path: Path) -> None:
    db = tmp_path / "kill.duckdb"
    codes = _workspace(db)
    proc, port = start_server(db, "--fold-interval", "0.5")
    answered: list[int] = []
    asyncio.run(
        _burst(
            port,
            f"/r/{codes['anna.fit']}",
            answered,
            3000,
            lambda: os.kill(proc.pid, signal.SIGKILL),
        )
    )
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    recorded = {int(str(r["referrer"]).rsplit("/", 1)[1]) for r in _clicks(db)}
    assert len(answered) >= 3000
    missing = set(answered) - recorded
    assert not missing, f"{len(missing)} of {len(answered)} answered clicks were lost"
    # and the journal was folded exactly once: no duplicates
    assert len(_clicks(db)) == len(recorded)


def test_commands_keep_working_while_the_server_folds_and_new_links_are_served(
    tmp_path: Path,
) -> None:
    db = tmp_path / "busy.duckdb"
    codes = _workspace(db)
    proc, port = start_server(db, "--fold-interval", "0.2")
    try:
        server = Server(proc, port, db, codes)
        assert server.get(f"/r/{codes['anna.fit']}").status == 302
        for _ in range(3):  # each command opens the file the folder opens five times a second
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "creatormix",
                    "--db",
                    str(db),
                    "campaign",
                    "add",
                    "spring-launch",
                    f"instagram:new{_}",
                ],
                env=subprocess_env(),
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            assert done.returncode == 0, done.stderr
        with Workspace.open(db) as ws:
            new_code = next(
                link.tracking_url.rsplit("/", 1)[1]
                for link in ws.campaign_links("spring-launch")
                if link.creator == "@new2"
            )
        deadline = time.monotonic() + 30
        status = 404
        while status == 404 and time.monotonic() < deadline:
            status = server.get(f"/r/{new_code}").status  # served once the next fold reloads links
            if status == 404:
                time.sleep(0.1)  # the folder's interval is the event we wait for; nothing to join
        assert status == 302
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    assert len(_clicks(db)) >= 2
