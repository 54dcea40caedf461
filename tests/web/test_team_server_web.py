"""`creatormix serve` over a workspace on PostgreSQL (the team server), with real processes: the
accounts, sessions and tokens live in the database, requests are answered side by side through
the server's pool of connections, and no deal move made by concurrent users is lost."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from creatormix.domain.imports import ImportOptions
from creatormix.domain.platform import Platform
from creatormix.workspace import Workspace
from tests.conftest import PgDatabases, subprocess_env
from tests.postgres_server import PostgresServer
from tests.web.conftest import ADMIN, MEMBER, PASSWORD, start, stop

pytestmark = pytest.mark.postgres

CREATORS = 60
USERS = 8  # concurrent clients
MOVES = 6  # notes each client adds to each of its deals


@pytest.fixture
def team(
    pg_server: PostgresServer, tmp_path: Path
) -> Iterator[tuple[str, int, str, dict[str, str]]]:
    """A workspace on the session's server with a catalog, two accounts and a campaign, served
    by `creatormix serve`: (url, port, the admin's token, the environment)."""
    dbs = PgDatabases(pg_server)
    env = subprocess_env() | {"CREATORMIX_STATE_DIR": str(tmp_path / "state")}
    try:
        url = dbs.new()
        f = tmp_path / "creators.csv"
        f.write_text(
            "handle,followers,bio\n"
            + "".join(f"t{i},{2000 + 997 * i},vegan skincare\n" for i in range(CREATORS))
        )
        with Workspace.create(url) as ws:
            ws.import_file("creators", f, ImportOptions(platform=Platform.INSTAGRAM))
            ws.add_user(ADMIN, "admin", PASSWORD)
            ws.add_user(MEMBER, "member", PASSWORD)
            token = ws.create_token("team", ADMIN).secret
            ws.create_campaign(
                "Team", "https://shop.example/team", [f"instagram:t{i}" for i in range(USERS)]
            )
        proc, port = start(url, tmp_path / "server.log", env=env)
        try:
            yield url, port, token, env
        finally:
            stop(proc)
    finally:
        dbs.drop_all()


def test_a_member_logs_in_writes_through_the_session_and_logging_out_ends_it(
    team: tuple[str, int, str, dict[str, str]],
) -> None:
    url, port, _, _ = team
    base = f"http://127.0.0.1:{port}"
    s = requests.Session()
    bad = s.post(base + "/login", data={"email": MEMBER, "password": "wrong password!"}, timeout=60)
    assert bad.status_code == 401
    r = s.post(
        base + "/login",
        data={"email": MEMBER, "password": PASSWORD, "next": "/catalog"},
        allow_redirects=False,
        timeout=60,
    )
    assert r.status_code == 303, r.text
    page = s.get(base + "/catalog?q=vegan", timeout=60)
    assert page.status_code == 200 and "t1" in page.text
    csrf = re.search(r'name="csrf_token" value="([0-9a-f]+)"', s.get(base + "/shortlists").text)
    assert csrf
    made = s.post(
        base + "/shortlists",
        data={"name": "Team picks", "csrf_token": csrf[1]},
        allow_redirects=False,
        timeout=60,
    )
    assert made.status_code == 303, made.text
    with Workspace.open(url) as ws:  # written on the server, recorded as the member's
        assert ws.get_shortlist("Team picks").entries == ()
        entries, _ = ws.audit_log()
        assert any(e.actor == MEMBER and "Team picks" in e.subject + e.detail for e in entries)
    out = s.post(base + "/logout", data={"csrf_token": csrf[1]}, allow_redirects=False, timeout=60)
    assert out.status_code == 303
    s.cookies.clear()
    s.cookies.update(r.cookies)  # the old session cookie, replayed: the server ended it
    again = s.get(base + "/catalog", allow_redirects=False, timeout=60)
    assert again.status_code in (302, 303, 307) and "/login" in again.headers["location"]


def test_concurrent_users_moving_deals_and_searching_lose_nothing(
    team: tuple[str, int, str, dict[str, str]],
) -> None:
    url, port, token, _ = team
    api = f"http://127.0.0.1:{port}/api/v1"
    auth = {"Authorization": f"Bearer {token}"}
    errors: list[str] = []
    start_line = threading.Barrier(USERS)

    def user(k: int) -> None:
        with requests.Session() as s:
            s.headers.update(auth)
            start_line.wait()
            for m in range(MOVES):
                r = s.post(
                    api + f"/campaigns/Team/deals/instagram:t{k}/moves",
                    json={"note": f"user {k} note {m}"},
                    timeout=120,
                )
                if r.status_code != 200:
                    errors.append(f"move {r.status_code} {r.text}")
                r = s.get(api + "/catalog", params={"q": "vegan", "page": 1 + m % 2}, timeout=120)
                if r.status_code != 200:
                    errors.append(f"catalog {r.status_code} {r.text}")

    threads = [threading.Thread(target=user, args=(k,)) for k in range(USERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    health = requests.get(f"http://127.0.0.1:{port}/api/health", timeout=60).json()
    # eight users at once were answered by more than one connection, never more than the pool
    assert 2 <= health["workspace_opens"] <= 4
    with Workspace.open(url) as ws:
        for k in range(USERS):
            _, events = ws.deal_history("Team", f"instagram:t{k}")
            notes = {e.note for e in events if e.note}
            assert notes == {f"user {k} note {m}" for m in range(MOVES)}


@pytest.mark.parametrize("value", ["abc", "0", "-2", "2.5"])
def test_a_pool_size_that_is_not_a_count_is_refused_in_one_line(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from creatormix.errors import InvalidOption
    from creatormix.web.holder import server_connections

    monkeypatch.setenv("CREATORMIX_SERVER_CONNECTIONS", value)
    with pytest.raises(InvalidOption, match=rf"CREATORMIX_SERVER_CONNECTIONS='{value}' is not a"):
        server_connections()
