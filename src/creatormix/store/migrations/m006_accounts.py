"""Schema 6: web accounts (users, sessions, API tokens), the audit log and shortlists.

Append-only like every other table: a user's latest row (highest ``seq``) is the user as it
stands; a session ends and a token is revoked by a row of their own; a shortlist entry's latest
row says whether it is on the list and its note. Secrets are stored only as SHA-256 hashes
(sessions, tokens: random 256-bit values) or Argon2id hashes (passwords).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from creatormix.store.migrations._schema import SchemaStore

USERS = {
    "seq": "int64",
    "user_id": "int64",
    "email": "string",
    "role": "string",
    "password_hash": "string",
    "active": "boolean",
    "must_change": "boolean",  # a one-time password: the next login must set a new one
    "created_at": "timestamp",
    "changed_at": "timestamp",
    "changed_by": "string",
}

SESSIONS = {
    "session_hash": "string",
    "user_id": "int64",
    "created_at": "timestamp",
    "expires_at": "timestamp",
}

SESSION_ENDS = {"session_hash": "string", "ended_at": "timestamp"}

API_TOKENS = {
    "token_id": "int64",
    "name": "string",
    "user_id": "int64",
    "token_hash": "string",
    "prefix": "string",
    "created_at": "timestamp",
    "created_by": "string",
}

TOKEN_REVOCATIONS = {"token_id": "int64", "revoked_at": "timestamp", "revoked_by": "string"}

# Changes that have no fact table of their own (deal events, imports and plans do): accounts,
# tokens, shortlists, settings.
AUDIT_LOG = {
    "seq": "int64",
    "at": "timestamp",
    "actor": "string",
    "action": "string",
    "subject": "string",
    "detail": "string",
}

SHORTLISTS = {
    "shortlist_id": "int64",
    "name": "string",
    "created_at": "timestamp",
    "created_by": "string",
}

SHORTLIST_ENTRIES = {
    "seq": "int64",
    "shortlist_id": "int64",
    "platform": "string",
    "handle": "string",
    "note": "string",
    "listed": "boolean",
    "at": "timestamp",
    "by": "string",
}

TABLES = {
    "users": USERS,
    "sessions": SESSIONS,
    "session_ends": SESSION_ENDS,
    "api_tokens": API_TOKENS,
    "token_revocations": TOKEN_REVOCATIONS,
    "audit_log": AUDIT_LOG,
    "shortlists": SHORTLISTS,
    "shortlist_entries": SHORTLIST_ENTRIES,
}


def apply(store: SchemaStore) -> None:
    for name, columns in TABLES.items():
        if not store.has_table(name):
            store.create_table(name, columns)
