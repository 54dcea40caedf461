"""Account use cases: users and roles, passwords, sessions, API tokens, the audit log.

Passwords are hashed with Argon2id (argon2-cffi's defaults, the RFC 9106 second recommendation);
sessions and tokens are 256-bit random secrets stored as SHA-256 hashes, so a copy of the
workspace file gives no way in. Every change is written to the audit log with who made it.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from typing import Any

from creatormix.domain.accounts import (
    ApiToken,
    AuditEntry,
    NewSession,
    NewToken,
    NewUser,
    Principal,
    Role,
    User,
)
from creatormix.errors import InvalidOption, NotFound
from creatormix.store import accounts as astore
from creatormix.store.core import Store, acting_as, current_user, utcnow

SESSION_DAYS = 7  # a session lasts this long from login (then log in again)
MIN_PASSWORD = 10  # characters
TOKEN_PREFIX = "cmx_"  # API tokens start with this, so a leaked one is recognisable
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher()


# Verified against when the email is unknown, so a wrong email costs as long as a wrong password.
_DUMMY_HASH: list[str] = []


class AccountOps:
    store: Store

    @contextmanager
    def acting_as(self, email: str) -> Iterator[None]:
        """Record the changes made inside the block as ``email``'s (the web app's user)."""
        with acting_as(email):
            yield

    # --- users ---------------------------------------------------------------------------------

    def users(self) -> list[User]:
        """Every account, active or not, in the order they were added."""
        return astore.users(self.store)

    def get_user(self, email: str) -> User:
        """The account with this email (any case)."""
        row = astore.user_row(self.store, email=_email(email))
        if row is None:
            raise NotFound(f"no user {email!r}")
        return astore.user_from_row(row)

    def add_user(self, email: str, role: Role | str, password: str | None = None) -> NewUser:
        """A new account; without ``password`` a one-time one is made (and returned once), which
        must be changed at the first login."""
        email = _email(email)
        role = _role(role)
        if astore.user_row(self.store, email=email) is not None:
            raise InvalidOption(f"{email} already has an account", field="email")
        one_time = password is None
        secret = secrets.token_urlsafe(12) if password is None else _checked_password(password)
        now = utcnow()
        with self.store.transaction():
            user_id = self.store.next_id("users", "user_id")
            astore.append_user(
                self.store,
                user_id=user_id,
                email=email,
                role=role,
                password_hash=_hasher().hash(secret),
                active=True,
                must_change=one_time,
                created_at=now,
                at=now,
                by=current_user(),
            )
            self._audit("user added", email, f"role {role.value}")
        return NewUser(self.get_user(email), secret if one_time else None)

    def set_role(self, email: str, role: Role | str) -> User:
        """Change an account's role (the last active admin cannot lose it)."""
        return self._change_user(email, "role changed", role=_role(role))

    def set_active(self, email: str, active: bool) -> User:
        """Disable (or enable again) an account; disabling ends its sessions at once."""
        user = self._change_user(
            email, "user enabled" if active else "user disabled", active=active
        )
        if not active:
            self._end_all_sessions(user.user_id)
        return user

    def set_password(self, email: str, password: str, *, one_time: bool = False) -> User:
        """A new password (``one_time``: to be changed at the next login); the user's sessions
        end, so a stolen cookie dies with the old password."""
        hashed = _hasher().hash(_checked_password(password))
        user = self._change_user(
            email, "password changed", password_hash=hashed, must_change=one_time
        )
        self._end_all_sessions(user.user_id)
        return user

    def change_own_password(self, email: str, current: str, new: str) -> NewSession:
        """The user's own change (the current password must be right): every session of the
        user ends and a new one is returned for the browser that made the change."""
        row = astore.user_row(self.store, email=_email(email))
        if row is None or not _verify(row["password_hash"], current):
            raise InvalidOption("the current password is wrong", field="current")
        if current == new:
            raise InvalidOption("choose a password different from the current one", field="new")
        self.set_password(email, new)
        session = self.login(email, new)
        assert session is not None
        return session

    def _change_user(self, email: str, action: str, **changes: Any) -> User:
        row = astore.user_row(self.store, email=_email(email))
        if row is None:
            raise NotFound(f"no user {email!r}")
        state = {
            "role": Role(row["role"]),
            "password_hash": row["password_hash"],
            "active": bool(row["active"]),
            "must_change": bool(row["must_change"]),
        } | changes
        admin_now = Role(row["role"]) is Role.ADMIN and bool(row["active"])
        admin_after = state["role"] is Role.ADMIN and state["active"]
        if admin_now and not admin_after:
            others = [
                u
                for u in self.users()
                if u.active and u.role is Role.ADMIN and u.email != row["email"]
            ]
            if not others:
                raise InvalidOption(
                    f"{row['email']} is the last active admin; make another admin first"
                )
        detail = ", ".join(
            f"{k.replace('_', ' ')} {getattr(v, 'value', v)}"
            for k, v in changes.items()
            if k != "password_hash"
        )
        with self.store.transaction():
            astore.append_user(
                self.store,
                user_id=int(row["user_id"]),
                email=row["email"],
                created_at=row["created_at"],
                at=utcnow(),
                by=current_user(),
                **state,
            )
            self._audit(action, row["email"], detail)
        return self.get_user(row["email"])

    # --- sessions ------------------------------------------------------------------------------

    def login(self, email: str, password: str) -> NewSession | None:
        """A new session for the right email and password of an active account, else None.

        An unknown email costs one password verification too, so timing does not tell which
        emails have accounts.
        """
        try:
            key = _email(email)
        except InvalidOption:
            key = ""
        row = astore.user_row(self.store, email=key) if key else None
        if row is None:
            _verify(_dummy_hash(), password)
            return None
        if not _verify(row["password_hash"], password) or not row["active"]:
            return None
        secret = secrets.token_urlsafe(32)
        now = utcnow()
        expires = now + timedelta(days=SESSION_DAYS)
        with self.store.transaction():
            astore.add_session(self.store, _digest(secret), int(row["user_id"]), now, expires)
        return NewSession(secret, astore.user_from_row(row), expires)

    def session(self, secret: str) -> Principal | None:
        """Who holds this session cookie, None when it is unknown, ended or expired, or the
        account was disabled. Remembered until the next write (a request's every check)."""
        digest = _digest(secret)

        def look() -> tuple[dict[str, Any], dict[str, Any]] | None:
            row = astore.session_row(self.store, digest)
            if row is None:
                return None
            user = astore.user_row(self.store, user_id=int(row["user_id"]))
            return (row, user) if user is not None else None

        found = self.store.memo(("session", digest), look)
        if found is None:
            return None
        row, user_row = found
        if row["expires_at"] <= utcnow() or not user_row["active"]:
            return None
        return Principal(astore.user_from_row(user_row), "session", digest[:12], row["expires_at"])

    def logout(self, secret: str) -> None:
        """End the session (idempotent)."""
        digest = _digest(secret)
        if astore.session_row(self.store, digest) is None:
            return
        with self.store.transaction():
            astore.end_sessions(self.store, [digest], utcnow())

    def _end_all_sessions(self, user_id: int) -> None:
        live = astore.live_session_hashes(self.store, user_id)
        if live:
            with self.store.transaction():
                astore.end_sessions(self.store, live, utcnow())

    # --- API tokens ----------------------------------------------------------------------------

    def create_token(self, name: str, email: str) -> NewToken:
        """A token for scripts acting as ``email`` (with that user's role); shown once."""
        name = name.strip()
        if not name:
            raise InvalidOption("name the token (what it is for, e.g. ci)", field="name")
        user = self.get_user(email)
        if not user.active:
            raise InvalidOption(f"{user.email} is disabled")
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = utcnow()
        with self.store.transaction():
            token_id = self.store.next_id("api_tokens", "token_id")
            astore.add_token(
                self.store,
                {
                    "token_id": token_id,
                    "name": name,
                    "user_id": user.user_id,
                    "token_hash": _digest(secret),
                    "prefix": secret[: len(TOKEN_PREFIX) + 4],
                    "created_at": now,
                    "created_by": current_user(),
                },
            )
            self._audit("token created", f"token #{token_id} {name}", f"for {user.email}")
        token = astore.token_by_id(self.store, token_id)
        assert token is not None
        return NewToken(token, secret)

    def tokens(self) -> list[ApiToken]:
        """Every API token, revoked ones included (never their secrets)."""
        return astore.tokens(self.store)

    def revoke_token(self, token_id: int) -> ApiToken:
        """Revoke a token: from now on it is refused (idempotent)."""
        token = astore.token_by_id(self.store, int(token_id))
        if token is None:
            raise NotFound(f"no token #{token_id}")
        if token.revoked_at is not None:
            return token
        with self.store.transaction():
            astore.revoke_token(self.store, token.token_id, utcnow(), current_user())
            self._audit(
                "token revoked", f"token #{token.token_id} {token.name}", f"of {token.user_email}"
            )
        revoked = astore.token_by_id(self.store, token.token_id)
        assert revoked is not None
        return revoked

    def token_principal(self, secret: str) -> Principal | None:
        """Who a bearer token acts as; None when unknown, revoked, or its user is disabled."""
        if not secret.startswith(TOKEN_PREFIX):
            return None
        digest = _digest(secret)

        def look() -> tuple[ApiToken, dict[str, Any]] | None:
            found = astore.token_by_hash(self.store, digest)
            if found is None:
                return None
            user = astore.user_row(self.store, user_id=found[1])
            return (found[0], user) if user is not None else None

        hit = self.store.memo(("token", digest), look)
        if hit is None:
            return None
        token, user_row = hit
        if token.revoked_at is not None or not user_row["active"]:
            return None
        user = replace(astore.user_from_row(user_row), must_change=False)
        return Principal(user, "token", str(token.token_id))

    # --- the audit log -------------------------------------------------------------------------

    def audit_log(self, *, limit: int = 100, offset: int = 0) -> tuple[list[AuditEntry], int]:
        """Every change, newest first: accounts, tokens, shortlists and settings from the audit
        log, and deal moves, imports and saved plans from their own tables; (page, total)."""
        if limit < 1 or offset < 0:
            raise InvalidOption("limit must be at least 1 and offset at least 0")
        return astore.audit_entries(self.store, limit=limit, offset=offset)

    def _audit(self, action: str, subject: str, detail: str = "") -> None:
        astore.log_change(self.store, utcnow(), current_user(), action, subject, detail)


def _email(text: str) -> str:
    email = text.strip().lower()
    if not _EMAIL.fullmatch(email):
        raise InvalidOption(f"{text!r} is not an email address", field="email")
    return email


def _role(role: Role | str) -> Role:
    if isinstance(role, Role):
        return role
    try:
        return Role.parse(role)
    except ValueError as exc:
        raise InvalidOption(str(exc), field="role") from None


def _checked_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InvalidOption(
            f"a password needs at least {MIN_PASSWORD} characters", field="password"
        )
    return password


def _verify(hashed: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(_hasher().verify(hashed, password))
    except (VerificationError, InvalidHashError):
        return False


def _dummy_hash() -> str:
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(_hasher().hash(secrets.token_urlsafe(16)))
    return _DUMMY_HASH[0]
