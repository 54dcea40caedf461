"""A real `creatormix serve` on a free port over a copy of the demo workspace, with three
accounts (admin, member, viewer), an API token and a campaign whose orders were imported.

One server for the session: the web tests each use their own creators, shortlists and
campaigns, so their writes do not meet.
"""

from __future__ import annotations

import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from creatormix.workspace import Workspace
from tests.conftest import subprocess_env

PASSWORD = "correct horse battery"
ADMIN, MEMBER, VIEWER = "ana@brand.example", "max@brand.example", "vic@brand.example"
RESULTS_CAMPAIGN = "Results check"
BOARD_CAMPAIGN = "Board check"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@dataclass
class WebServer:
    proc: subprocess.Popen[bytes]
    port: int
    db: Path
    token: str  # the admin's API token
    creators: list[str]  # platform:handle of some demo creators, for tests to pick from
    log: Path
    sessions: dict[str, requests.Session] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def session(self, email: str) -> requests.Session:
        """A logged-in browser-like session (cookie), made once per account."""
        if email not in self.sessions:
            s = requests.Session()
            r = s.post(
                self.url + "/login",
                data={"email": email, "password": PASSWORD, "next": "/catalog"},
                allow_redirects=False,
                timeout=60,
            )
            assert r.status_code == 303, r.text
            self.sessions[email] = s
        return self.sessions[email]

    def csrf(self, email: str) -> str:
        page = self.session(email).get(self.url + "/shortlists", timeout=60).text
        found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page)
        assert found, page[:500]
        return found[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(
    db: Path | str, log: Path, *extra: str, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], int]:
    """`creatormix serve` on a free port (``db``: a file, or a server's URL); returns once it
    answers /api/health."""
    port = free_port()
    out = log.open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "creatormix", "--db", str(db), "serve", "--port", str(port), *extra],
        env=env or subprocess_env(),
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server died: {log.read_text()}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/api/health", timeout=2).ok:
                return proc, port
        except requests.RequestException:
            time.sleep(0.1)  # polling a starting process: there is no event to wait on
    proc.kill()
    raise AssertionError(f"server did not start: {log.read_text()}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def orders_for(ws: Workspace, campaign: str, target: Path) -> Path:
    """The Shopify fixture with its codes replaced by the campaign's (two deals), in USD."""
    links = ws.campaign_links(campaign)
    text = (FIXTURES / "shopify_orders.csv").read_text()
    text = text.replace("@@anna.fit@@", links[0].discount_code).replace(
        "@@bigstar@@", links[1].discount_code
    )
    target.write_text(text.replace(",EUR,", ",USD,"))
    return target


def prepare(db: Path, folder: Path) -> tuple[str, list[str]]:
    """Accounts, a token, and the campaigns the scenarios need; (token, creator refs)."""
    from creatormix.domain.query import CreatorQuery

    with Workspace.open(db) as ws:
        ws.add_user(ADMIN, "admin", PASSWORD)
        ws.add_user(MEMBER, "member", PASSWORD)
        ws.add_user(VIEWER, "viewer", PASSWORD)
        token = ws.create_token("tests", ADMIN).secret
        page = ws.list_creators(CreatorQuery(tiers=("micro",), limit=40))
        refs = [f"{p.creator.platform.value}:{p.creator.handle}" for p in page.creators]
        ws.create_campaign(RESULTS_CAMPAIGN, "https://shop.example/spring", refs[:2])
        ws.import_file("orders", orders_for(ws, RESULTS_CAMPAIGN, folder / "orders.csv"))
        ws.create_campaign(BOARD_CAMPAIGN, "https://shop.example/board", refs[2:5])
    return token, refs[5:]


@pytest.fixture(scope="session")
def web(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebServer]:
    folder = tmp_path_factory.mktemp("web")
    db = folder / "web.duckdb"
    shutil.copy(demo_db, db)
    token, refs = prepare(db, folder)
    log = folder / "server.log"
    proc, port = start(db, log, "--fold-interval", "1")
    server = WebServer(proc, port, db, token, refs, log)
    try:
        yield server
    finally:
        stop(proc)
