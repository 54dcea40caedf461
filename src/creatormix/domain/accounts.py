"""Web accounts: users and their roles, sessions, API tokens, the audit log and shortlists.

Every table behind these is append-only like the rest of the workspace: a user's role or password
change is a new row (the latest wins), a session ends and a token is revoked by an event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    """What an account may do: a viewer reads, a member also changes the workspace, an admin also
    manages users and settings."""

    VIEWER = "viewer"
    MEMBER = "member"
    ADMIN = "admin"

    @classmethod
    def parse(cls, text: str) -> Role:
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise ValueError(f"unknown role {text!r} (choose viewer, member or admin)") from None

    def allows(self, needed: Role) -> bool:
        """Whether this role may do what ``needed`` may (the roles are nested)."""
        order = list(Role)
        return order.index(self) >= order.index(needed)


@dataclass(frozen=True)
class User:
    user_id: int
    email: str  # lower case
    role: Role
    active: bool
    must_change: bool  # logged in with a one-time password: must set a new one first
    created_at: datetime
    changed_at: datetime
    changed_by: str


@dataclass(frozen=True)
class Principal:
    """Who makes a request: the user, and whether through a session cookie or an API token."""

    user: User
    via: str  # "session" or "token"
    credential_id: str  # the session's hash prefix or the token's id
    expires_at: datetime | None = None


@dataclass(frozen=True)
class NewSession:
    """A session just opened: ``secret`` goes into the cookie once and is stored only hashed."""

    secret: str
    user: User
    expires_at: datetime


@dataclass(frozen=True)
class ApiToken:
    token_id: int
    name: str
    user_email: str
    prefix: str  # the secret's first characters, to recognise it in a list
    created_at: datetime
    created_by: str
    revoked_at: datetime | None = None
    revoked_by: str | None = None


@dataclass(frozen=True)
class NewToken:
    """A token just made: ``secret`` is shown once and stored only hashed."""

    token: ApiToken
    secret: str


@dataclass(frozen=True)
class NewUser:
    """A user just added; ``password`` is the one-time password made for them, if any."""

    user: User
    password: str | None


@dataclass(frozen=True)
class AuditEntry:
    """One change to the workspace: when, by whom, what (``action``), on what, and the detail."""

    at: datetime
    actor: str
    action: str  # "deal move", "import", "plan saved", "user added", "token revoked" …
    subject: str
    detail: str


@dataclass(frozen=True)
class ShortlistEntry:
    platform: str
    handle: str
    note: str | None
    added_at: datetime
    added_by: str
    tier: str | None = None
    followers: int | None = None


@dataclass(frozen=True)
class Shortlist:
    shortlist_id: int
    name: str
    created_at: datetime
    created_by: str
    entries: tuple[ShortlistEntry, ...] = ()
