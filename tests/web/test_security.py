"""Security of the web app against the real server: every route needs a login (routes
enumerated from the app object), CSRF on forms, no open redirect after login, viewers change
nothing, tokens can be revoked, logins are rate limited, bodies are size limited."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests
from starlette.routing import Route

from tests.web.conftest import ADMIN, MEMBER, PASSWORD, VIEWER, WebServer

OPEN = {"/login", "/api/health", "/static/plotly.min.js"}  # and /r/<code>, answered before routing
SAMPLE = {
    "ref": "instagram:nobody",
    "plan_id": "1",
    "shortlist_id": "1",
    "import_id": "1",
    "job_id": "1",
    "token_id": "1",
    "creator": "instagram:nobody",
}


def routes(tmp_path: Path) -> list[tuple[str, str, str]]:
    """(method, path with sample values, template) of every route the app object has."""
    from fastapi.routing import iter_route_contexts

    from creatormix.web import create_app

    app = create_app(tmp_path / "none.duckdb", fold_interval=0)
    try:
        found = []
        for r in iter_route_contexts(app.routes):
            if not isinstance(r.original_route, Route):  # the /static mount
                continue
            path = re.sub(r"\{(\w+)(:\w+)?\}", lambda m: SAMPLE[m[1]], r.path)
            for method in sorted((r.methods or set()) - {"HEAD"}):
                found.append((method, path, r.path))
        return found
    finally:
        app.state.holder.close()


def test_the_app_has_the_routes_this_test_expects_to_enumerate(tmp_path: Path) -> None:
    found = {t for _, _, t in routes(tmp_path)}
    assert {
        "/catalog",
        "/creators/{ref}",
        "/api/v1/catalog",
        "/api/v1/plans",
        "/admin/users",
    } <= found
    assert len(found) > 40


def test_every_route_without_a_session_is_refused(web: WebServer, tmp_path: Path) -> None:
    checked = 0
    for method, path, template in routes(tmp_path):
        if template in OPEN:
            continue
        r = requests.request(method, web.url + path, allow_redirects=False, timeout=60)
        if template.startswith("/api/"):
            assert r.status_code == 401, (method, path, r.status_code, r.text[:200])
            assert r.json()["error"]["code"] == "unauthenticated"
        else:
            assert r.status_code == 303, (method, path, r.status_code, r.text[:200])
            assert r.headers["location"].startswith("/login"), (method, path)
        checked += 1
    assert checked > 40


def test_a_bad_or_revoked_credential_is_no_session(web: WebServer) -> None:
    r = requests.get(
        web.url + "/catalog", cookies={"cmx_session": "forged"}, allow_redirects=False, timeout=60
    )
    assert r.status_code == 303
    r = requests.get(
        web.url + "/api/v1/me", headers={"Authorization": "Bearer cmx_forged"}, timeout=60
    )
    assert r.status_code == 401


def test_a_form_post_without_the_csrf_token_is_refused(web: WebServer) -> None:
    s = web.session(MEMBER)
    r = s.post(
        web.url + "/shortlists", data={"name": "no token"}, allow_redirects=False, timeout=60
    )
    assert r.status_code == 403 and "security token" in r.text
    r = s.post(
        web.url + "/shortlists",
        data={"name": "no token", "csrf_token": "0" * 64},
        allow_redirects=False,
        timeout=60,
    )
    assert r.status_code == 403
    r = s.post(
        web.url + "/shortlists",
        data={"name": "with token", "csrf_token": web.csrf(MEMBER)},
        allow_redirects=False,
        timeout=60,
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/shortlists/")
    # a session's JSON call needs the header too
    r = s.post(web.url + "/api/v1/shortlists", json={"name": "json no token"}, timeout=60)
    assert r.status_code == 403


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "https:/evil.example",
        "javascript:alert(1)",
    ],
)
def test_next_after_login_stays_on_the_site(web: WebServer, target: str) -> None:
    r = requests.post(
        web.url + "/login",
        data={"email": MEMBER, "password": PASSWORD, "next": target},
        allow_redirects=False,
        timeout=60,
    )
    assert r.status_code == 303
    assert r.headers["location"] == "/"


def test_next_after_login_follows_a_local_path(web: WebServer) -> None:
    r = requests.post(
        web.url + "/login",
        data={"email": MEMBER, "password": PASSWORD, "next": "/plans?x=1"},
        allow_redirects=False,
        timeout=60,
    )
    assert r.headers["location"] == "/plans?x=1"


def test_the_session_cookie_is_httponly_lax_and_secure_behind_https(web: WebServer) -> None:
    data = {"email": MEMBER, "password": PASSWORD, "next": "/"}
    plain = requests.post(web.url + "/login", data=data, allow_redirects=False, timeout=60)
    cookie = plain.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    proxied = requests.post(
        web.url + "/login",
        data=data,
        headers={"X-Forwarded-Proto": "https"},
        allow_redirects=False,
        timeout=60,
    )
    assert "secure" in proxied.headers["set-cookie"].lower()


def test_a_viewer_cannot_change_anything(web: WebServer, tmp_path: Path) -> None:
    s = web.session(VIEWER)
    csrf = web.csrf(VIEWER)
    token = requests.post(
        web.url + "/api/v1/tokens",
        json={"name": "viewer", "user": VIEWER},
        headers={"Authorization": f"Bearer {web.token}"},
        timeout=60,
    ).json()["secret"]
    changes = [(m, p, t) for m, p, t in routes(tmp_path) if m != "GET" and t not in OPEN]
    assert len(changes) > 15
    for method, path, template in changes:
        if template in ("/logout", "/account/password"):
            continue  # anyone may end their own session and change their own password
        if template.startswith("/api/"):
            r = requests.request(
                method,
                web.url + path,
                headers={"Authorization": f"Bearer {token}"},
                json={},
                timeout=60,
            )
        else:
            r = s.request(
                method, web.url + path, data={"csrf_token": csrf}, allow_redirects=False, timeout=60
            )
        assert r.status_code == 403, (method, path, r.status_code, r.text[:300])


def test_a_token_can_be_revoked(web: WebServer) -> None:
    admin = {"Authorization": f"Bearer {web.token}"}
    made = requests.post(
        web.url + "/api/v1/tokens", json={"name": "short-lived"}, headers=admin, timeout=60
    )
    assert made.status_code == 201
    secret, token_id = made.json()["secret"], made.json()["token"]["token_id"]
    mine = {"Authorization": f"Bearer {secret}"}
    assert requests.get(web.url + "/api/v1/me", headers=mine, timeout=60).json()["email"] == ADMIN
    revoked = requests.delete(web.url + f"/api/v1/tokens/{token_id}", headers=admin, timeout=60)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    again = requests.get(web.url + "/api/v1/me", headers=mine, timeout=60)
    assert again.status_code == 401


def test_logins_are_rate_limited_per_email(web: WebServer) -> None:
    email = "nobody-rate@brand.example"
    for _ in range(5):
        r = requests.post(
            web.url + "/login", data={"email": email, "password": "wrong"}, timeout=60
        )
        assert r.status_code == 401
    r = requests.post(web.url + "/login", data={"email": email, "password": "wrong"}, timeout=60)
    assert r.status_code == 429 and "too many failed logins" in r.text


def test_request_bodies_are_size_limited(web: WebServer) -> None:
    s = web.session(MEMBER)
    r = s.post(
        web.url + "/shortlists",
        data={"name": "x" * (2 << 20), "csrf_token": web.csrf(MEMBER)},
        allow_redirects=False,
        timeout=60,
    )
    assert r.status_code == 413
    assert "larger than 1 MB" in r.json()["error"]["message"]


def test_pages_send_a_content_security_policy(web: WebServer) -> None:
    r = web.session(VIEWER).get(web.url + "/catalog", timeout=60)
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"
    assert "cdn" not in r.text.lower()
