"""Users, sessions, API tokens and the audit log: reads and appends (Ibis, append-only tables).

Secrets never reach this module in the clear: sessions and tokens are looked up by the SHA-256
hash the facade computes, passwords are stored as the Argon2 hash it makes.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from creatormix.domain.accounts import ApiToken, AuditEntry, Role, User

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from creatormix.store.core import Store


def _latest_users(store: Store) -> ir.Table:
    t = store.table("users")
    latest = t.group_by("user_id").agg(seq=t.seq.max())
    return t.semi_join(latest, ["user_id", "seq"])


def _user(row: dict[str, Any]) -> User:
    return User(
        user_id=int(row["user_id"]),
        email=row["email"],
        role=Role(row["role"]),
        active=bool(row["active"]),
        must_change=bool(row["must_change"]),
        created_at=row["created_at"],
        changed_at=row["changed_at"],
        changed_by=row["changed_by"],
    )


def users(store: Store) -> list[User]:
    """Every user as it stands, in the order they were added."""
    rows = _latest_users(store).order_by("user_id").to_pyarrow().to_pylist()
    return [_user(r) for r in rows]


def user_row(
    store: Store, *, email: str | None = None, user_id: int | None = None
) -> dict[str, Any] | None:
    """The latest row of the user with this email (lower case) or id, password hash included."""
    t = _latest_users(store)
    cond = t.email == email if email is not None else t.user_id == user_id
    rows = t.filter(cond).limit(1).to_pyarrow().to_pylist()
    return rows[0] if rows else None


def user_from_row(row: dict[str, Any]) -> User:
    return _user(row)


def append_user(
    store: Store,
    *,
    user_id: int,
    email: str,
    role: Role,
    password_hash: str,
    active: bool,
    must_change: bool,
    created_at: datetime,
    at: datetime,
    by: str,
) -> None:
    import pyarrow as pa

    from creatormix.store.migrations.m006_accounts import USERS

    row = {
        "seq": store.next_id("users", "seq"),
        "user_id": user_id,
        "email": email,
        "role": role.value,
        "password_hash": password_hash,
        "active": active,
        "must_change": must_change,
        "created_at": created_at,
        "changed_at": at,
        "changed_by": by,
    }
    store.append("users", pa.Table.from_pylist([row], schema=_schema(USERS)))


def _schema(columns: dict[str, str]) -> Any:
    import ibis

    return ibis.schema(columns).to_pyarrow()


# --- sessions ---------------------------------------------------------------------------------


def add_session(
    store: Store, session_hash: str, user_id: int, created_at: datetime, expires_at: datetime
) -> None:
    import pyarrow as pa

    from creatormix.store.migrations.m006_accounts import SESSIONS

    row = {
        "session_hash": session_hash,
        "user_id": user_id,
        "created_at": created_at,
        "expires_at": expires_at,
    }
    store.append("sessions", pa.Table.from_pylist([row], schema=_schema(SESSIONS)))


def session_row(store: Store, session_hash: str) -> dict[str, Any] | None:
    """The session with this hash unless it was ended (expiry is the caller's to check)."""
    s = store.table("sessions")
    ends = store.table("session_ends")
    live = s.filter(s.session_hash == session_hash).anti_join(ends, "session_hash")
    rows = live.limit(1).to_pyarrow().to_pylist()
    return rows[0] if rows else None


def end_sessions(store: Store, hashes: list[str], at: datetime) -> None:
    import pyarrow as pa

    from creatormix.store.migrations.m006_accounts import SESSION_ENDS

    rows = [{"session_hash": h, "ended_at": at} for h in hashes]
    store.append("session_ends", pa.Table.from_pylist(rows, schema=_schema(SESSION_ENDS)))


def live_session_hashes(store: Store, user_id: int) -> list[str]:
    s = store.table("sessions")
    live = s.filter(s.user_id == user_id).anti_join(store.table("session_ends"), "session_hash")
    return [str(h) for h in live.session_hash.to_pyarrow().to_pylist()]


# --- API tokens -------------------------------------------------------------------------------


def add_token(store: Store, row: dict[str, Any]) -> None:
    import pyarrow as pa

    from creatormix.store.migrations.m006_accounts import API_TOKENS

    store.append("api_tokens", pa.Table.from_pylist([row], schema=_schema(API_TOKENS)))


def _tokens_with_state(store: Store) -> ir.Table:
    t = store.table("api_tokens")
    r = store.table("token_revocations")
    first = r.group_by("token_id").agg(revoked_at=r.revoked_at.min(), revoked_by=r.revoked_by.min())
    users_ = _latest_users(store).select("user_id", "email")
    joined = t.left_join(first, "token_id").left_join(users_, "user_id")
    return joined.select(
        "token_id",
        "name",
        "user_id",
        "token_hash",
        "prefix",
        "created_at",
        "created_by",
        "revoked_at",
        "revoked_by",
        user_email="email",
    )


def _token(row: dict[str, Any]) -> ApiToken:
    return ApiToken(
        token_id=int(row["token_id"]),
        name=row["name"],
        user_email=row["user_email"] or "?",
        prefix=row["prefix"],
        created_at=row["created_at"],
        created_by=row["created_by"],
        revoked_at=row["revoked_at"],
        revoked_by=row["revoked_by"],
    )


def tokens(store: Store) -> list[ApiToken]:
    rows = _tokens_with_state(store).order_by("token_id").to_pyarrow().to_pylist()
    return [_token(r) for r in rows]


def token_by_hash(store: Store, token_hash: str) -> tuple[ApiToken, int] | None:
    """The token with this hash and its user's id (revoked ones too: the caller checks)."""
    t = _tokens_with_state(store)
    rows = t.filter(t.token_hash == token_hash).limit(1).to_pyarrow().to_pylist()
    return (_token(rows[0]), int(rows[0]["user_id"])) if rows else None


def token_by_id(store: Store, token_id: int) -> ApiToken | None:
    t = _tokens_with_state(store)
    rows = t.filter(t.token_id == token_id).limit(1).to_pyarrow().to_pylist()
    return _token(rows[0]) if rows else None


def revoke_token(store: Store, token_id: int, at: datetime, by: str) -> None:
    import pyarrow as pa

    from creatormix.store.migrations.m006_accounts import TOKEN_REVOCATIONS

    row = {"token_id": token_id, "revoked_at": at, "revoked_by": by}
    store.append(
        "token_revocations", pa.Table.from_pylist([row], schema=_schema(TOKEN_REVOCATIONS))
    )


# --- the audit log ----------------------------------------------------------------------------


def log_change(
    store: Store, at: datetime, actor: str, action: str, subject: str, detail: str
) -> None:
    import pyarrow as pa

    from creatormix.store.migrations.m006_accounts import AUDIT_LOG

    row = {
        "seq": store.next_id("audit_log", "seq"),
        "at": at,
        "actor": actor,
        "action": action,
        "subject": subject,
        "detail": detail,
    }
    store.append("audit_log", pa.Table.from_pylist([row], schema=_schema(AUDIT_LOG)))


def audit_entries(store: Store, *, limit: int, offset: int = 0) -> tuple[list[AuditEntry], int]:
    """Every recorded change, newest first: the audit log's own rows and the fact tables that
    already say who did what (deal events, imports, saved plans); (page, total)."""
    import ibis

    s = ibis.literal("", "string")
    log = store.table("audit_log")
    parts = [log.select("at", "actor", "action", "subject", "detail")]
    imp = store.table("imports")
    parts.append(
        imp.select(
            at=imp.imported_at,
            actor=imp.imported_by,
            action=ibis.literal("import", "string"),
            subject=ibis.literal("#", "string").concat(
                imp.import_id.cast("string"), " ", imp.kind, " ", imp.file_name
            ),
            detail=imp.rows_accepted.cast("string").concat(
                " accepted, ",
                imp.rows_rejected.cast("string"),
                " rejected of ",
                imp.rows_read.cast("string"),
            ),
        )
    )
    if store.has_table("plans"):
        p = store.table("plans")
        parts.append(
            p.select(
                at=p.created_at,
                actor=p.created_by,
                action=ibis.literal("plan saved", "string"),
                subject=ibis.literal("plan #", "string").concat(
                    p.plan_id.cast("string"), " ", p.name.fill_null(s)
                ),
                detail=p.goal.concat(
                    ", budget ", p.budget.round(0).cast("int64").cast("string"), " ", p.currency
                ),
            )
        )
    if store.has_table("deal_events"):
        ev = store.table("deal_events")
        deals = store.table("deals").select("deal_id", "campaign_id", "handle")
        camps = store.table("campaigns").select("campaign_id", campaign_name="name")
        j = ev.join(deals, "deal_id").join(camps, "campaign_id")
        parts.append(
            j.select(
                at=j.at,
                actor=j.recorded_by,
                action=ibis.cases((j.stage.notnull(), "deal move"), else_="deal update"),
                subject=ibis.literal("@", "string").concat(j.handle, " on ", j.campaign_name),
                detail=ibis.cases(
                    (j.stage.notnull() & j.note.notnull(), j.stage.concat(": ", j.note)),
                    (j.stage.notnull(), j.stage),
                    else_=j.note.fill_null("terms"),
                ),
            )
        )
    everything = ibis.union(*parts)
    total = int(everything.count().to_pyarrow().as_py())
    rows = (
        everything.order_by([ibis.desc("at"), "action", "subject"])
        .limit(limit, offset=offset)
        .to_pyarrow()
        .to_pylist()
    )
    return [
        AuditEntry(r["at"], r["actor"] or "?", r["action"], r["subject"] or "", r["detail"] or "")
        for r in rows
    ], total
