"""What the account pages say: users, API tokens, the audit log, and shortlists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from creatormix.domain.accounts import ApiToken, AuditEntry, Shortlist, User
from creatormix.views._json import jsonable
from creatormix.views.format import fmt_followers


@dataclass(frozen=True)
class TableView:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    keys: tuple[str, ...]  # one per row: the email, token id … the row's actions act on
    data: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return jsonable(self.data)  # type: ignore[no-any-return]


def user_json(u: User) -> dict[str, Any]:
    return {
        "user_id": u.user_id,
        "email": u.email,
        "role": u.role.value,
        "active": u.active,
        "must_change_password": u.must_change,
        "created_at": u.created_at.isoformat(),
    }


def users_view(users: list[User]) -> TableView:
    return TableView(
        f"{len(users)} account(s)",
        ("email", "role", "active", "created", "changed by"),
        tuple(
            (
                u.email,
                u.role.value,
                "yes" if u.active else "no",
                f"{u.created_at:%Y-%m-%d}",
                u.changed_by,
            )
            for u in users
        ),
        tuple(u.email for u in users),
        {"users": [user_json(u) for u in users]},
    )


def token_json(t: ApiToken) -> dict[str, Any]:
    return {
        "token_id": t.token_id,
        "name": t.name,
        "user": t.user_email,
        "prefix": t.prefix,
        "created_at": t.created_at.isoformat(),
        "created_by": t.created_by,
        "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
    }


def tokens_view(tokens: list[ApiToken]) -> TableView:
    return TableView(
        f"{len(tokens)} token(s)",
        ("#", "name", "acts as", "starts", "created", "revoked"),
        tuple(
            (
                str(t.token_id),
                t.name,
                t.user_email,
                t.prefix + "…",
                f"{t.created_at:%Y-%m-%d %H:%M}",
                f"{t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "",
            )
            for t in tokens
        ),
        tuple("" if t.revoked_at else str(t.token_id) for t in tokens),
        {"tokens": [token_json(t) for t in tokens]},
    )


def audit_view(entries: list[AuditEntry], total: int, offset: int) -> TableView:
    shown = f", showing {offset + 1}-{offset + len(entries)}" if len(entries) < total else ""
    return TableView(
        f"{total:,} change(s){shown}",
        ("when", "who", "what", "on", "detail"),
        tuple(
            (f"{e.at:%Y-%m-%d %H:%M:%S}", e.actor, e.action, e.subject, e.detail) for e in entries
        ),
        tuple("" for _ in entries),
        {"total": total, "offset": offset, "entries": entries},
    )


@dataclass(frozen=True)
class ShortlistView:
    shortlist_id: int
    name: str
    summary: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    refs: tuple[str, ...]
    notes: tuple[str, ...]
    data: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return jsonable(self.data)  # type: ignore[no-any-return]


def shortlist_view(s: Shortlist) -> ShortlistView:
    return ShortlistView(
        shortlist_id=s.shortlist_id,
        name=s.name,
        summary=f"{len(s.entries)} creator(s); made by {s.created_by} on {s.created_at:%Y-%m-%d}",
        columns=("creator", "platform", "tier", "followers", "added", "by"),
        rows=tuple(
            (
                "@" + e.handle,
                e.platform,
                e.tier or "—",
                fmt_followers(e.followers),
                f"{e.added_at:%Y-%m-%d}",
                e.added_by,
            )
            for e in s.entries
        ),
        refs=tuple(f"{e.platform}:{e.handle}" for e in s.entries),
        notes=tuple(e.note or "" for e in s.entries),
        data={"shortlist": s},
    )


def shortlists_view(lists: list[Shortlist]) -> TableView:
    return TableView(
        f"{len(lists)} shortlist(s)",
        ("#", "name", "creators", "created", "by"),
        tuple(
            (
                str(s.shortlist_id),
                s.name,
                str(len(s.entries)),
                f"{s.created_at:%Y-%m-%d}",
                s.created_by,
            )
            for s in lists
        ),
        tuple(str(s.shortlist_id) for s in lists),
        {"shortlists": lists},
    )
