"""Who is asking, and may they: session cookies and bearer tokens, roles, CSRF, login limits.

* A page request without a valid session is sent to ``/login?next=<its path>`` (303); an API
  request gets 401 with ``WWW-Authenticate: Bearer``. Only ``/login``, ``/r/<code>``,
  ``/api/health`` and the static files are open.
* A request that changes anything (not GET/HEAD/OPTIONS) made with a session cookie must carry
  the session's CSRF token (form field ``csrf_token`` or header ``X-CSRF-Token``); the token is an
  HMAC of the session secret, so it needs no storage and dies with the session. Bearer-token
  requests carry no cookie, so a forged cross-site request cannot use them.
* Roles nest: viewer < member < admin (``Role.allows``).
* ``next=`` after login is followed only when it is a path on this site.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from fastapi import Request

from creatormix.domain.accounts import Principal, Role
from creatormix.web.holder import Holder

if TYPE_CHECKING:
    from creatormix.workspace import Workspace

SESSION_COOKIE = "cmx_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PASSWORD_PAGE = "/account/password"


class NotLoggedIn(Exception):
    """No valid session or token."""


class Forbidden(Exception):
    """Logged in, but the role (or a missing CSRF token) does not allow this."""


class MustChangePassword(Exception):
    """Logged in with a one-time password: the password page comes first."""


def csrf_token(session_secret: str) -> str:
    return hmac.new(session_secret.encode(), b"creatormix csrf", hashlib.sha256).hexdigest()


def safe_next(target: str | None) -> str:
    """``target`` when it is a local path ("/catalog?tier=micro"), else "/"."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith(("//", "/\\"))
        or any(ch in target for ch in "\r\n\t\\")
    ):
        return "/"
    return target


@dataclass(frozen=True)
class Ctx:
    """A request's caller and the way to the workspace."""

    principal: Principal
    holder: Holder
    csrf: str  # the session's CSRF token ("" for bearer tokens)

    @property
    def email(self) -> str:
        return self.principal.user.email

    @property
    def role(self) -> Role:
        return self.principal.user.role

    def can(self, role: str) -> bool:
        return self.role.allows(Role(role))

    @contextmanager
    def workspace(self, *, write: bool = False, what: str = "a request") -> Iterator[Workspace]:
        """The workspace for this request's one facade call; changes are recorded as the user's."""
        with self.holder.use(actor=self.email, write=write, what=what) as ws:
            yield ws


def credentials(request: Request) -> tuple[str | None, str]:
    """(secret, "token" or "session") from the Authorization header or the session cookie."""
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip(), "token"
    return request.cookies.get(SESSION_COOKIE), "session"


def lookup(holder: Holder, secret: str, via: str) -> Principal | None:
    with holder.use(what="a sign-in check") as ws:
        return ws.token_principal(secret) if via == "token" else ws.session(secret)


def require(role: Role, *, password_page: bool = False) -> Callable[[Request], Awaitable[Ctx]]:
    """A dependency: the caller, when they may act as ``role``; raises NotLoggedIn, Forbidden or
    MustChangePassword otherwise (the app turns them into a redirect, 401 or 403)."""
    from starlette.concurrency import run_in_threadpool

    async def dependency(request: Request) -> Ctx:
        holder: Holder = request.app.state.holder
        secret, via = credentials(request)
        if not secret:
            raise NotLoggedIn()
        principal = await run_in_threadpool(lookup, holder, secret, via)
        if principal is None:
            raise NotLoggedIn()
        csrf = csrf_token(secret) if via == "session" else ""
        if via == "session" and request.method not in SAFE_METHODS:
            submitted = request.headers.get("x-csrf-token")
            kind = request.headers.get("content-type", "")
            if not submitted and kind.startswith(
                ("application/x-www-form-urlencoded", "multipart/form-data")
            ):
                form = await request.form()
                value = form.get("csrf_token")
                submitted = value if isinstance(value, str) else None
            if not submitted or not hmac.compare_digest(submitted, csrf):
                raise Forbidden(
                    "this form is missing its security token or the token is stale: reload the "
                    "page and try again"
                )
        if principal.user.must_change and not password_page:
            raise MustChangePassword()
        if not principal.user.role.allows(role):
            raise Forbidden(
                f"your role ({principal.user.role.value}) cannot do this; it needs {role.value}"
            )
        return Ctx(principal, holder, csrf)

    return dependency


viewer = require(Role.VIEWER)
member = require(Role.MEMBER)
admin = require(Role.ADMIN)
any_user = require(Role.VIEWER, password_page=True)


class LoginLimiter:
    """At most ``attempts`` failed logins per ``window`` seconds for one email and for one client
    address (each counted on its own); then logins are refused until the window has passed."""

    def __init__(self, attempts: int = 5, window: float = 300.0, per_address: int = 20) -> None:
        self.attempts = attempts
        self.window = window
        self.per_address = per_address
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._failures.setdefault(key, deque())
        while q and now - q[0] > self.window:
            q.popleft()
        return q

    def retry_after(self, email: str, address: str) -> int:
        """Seconds until a login may be tried again (0: now)."""
        now = time.monotonic()
        waits = []
        for key, limit in (
            (f"email:{email.strip().lower()}", self.attempts),
            (f"ip:{address}", self.per_address),
        ):
            q = self._recent(key, now)
            if len(q) >= limit:
                waits.append(int(self.window - (now - q[0])) + 1)
        return max(waits, default=0)

    def failed(self, email: str, address: str) -> None:
        now = time.monotonic()
        for key in (f"email:{email.strip().lower()}", f"ip:{address}"):
            self._recent(key, now).append(now)
        if len(self._failures) > 10_000:  # forget the oldest keys rather than grow without end
            for key in list(self._failures)[:5_000]:
                del self._failures[key]

    def succeeded(self, email: str) -> None:
        self._failures.pop(f"email:{email.strip().lower()}", None)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "?"


def cookie_options(request: Request) -> dict[str, Any]:
    """HttpOnly, SameSite=Lax, and Secure when the request came over HTTPS (directly, or through
    a proxy that says so and that uvicorn was told to trust: --forwarded-allow-ips)."""
    return {
        "httponly": True,
        "samesite": "lax",
        "secure": request.url.scheme == "https",
        "path": "/",
    }
