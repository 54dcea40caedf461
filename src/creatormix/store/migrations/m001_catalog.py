"""Schema 1: the catalog. Facts are appended and never updated; current state is derived."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from creatormix.store.migrations._schema import SchemaStore

SCHEMA_MIGRATIONS = {"version": "int64", "name": "string", "applied_at": "timestamp"}

SETTINGS = {"seq": "int64", "key": "string", "value": "string", "set_at": "timestamp"}

IMPORTS = {
    "import_id": "int64",
    "kind": "string",
    "file_name": "string",
    "file_path": "string",
    "file_hash": "string",
    "options": "string",
    "rows_read": "int64",
    "rows_accepted": "int64",
    "rows_rejected": "int64",
    "rows_merged": "int64",
    "imported_at": "timestamp",
    "imported_by": "string",
}

CREATOR_FACTS = {
    "fact_seq": "int64",
    "import_id": "int64",
    "platform": "string",
    "handle": "string",
    "name": "string",
    "country": "string",
    "language": "string",
    "categories": "array<string>",
    "followers": "int64",
    "following": "int64",
    "post_count": "int64",
    "bio": "string",
    "price_per_post": "float64",
    "currency": "string",
    "avg_likes": "float64",
    "avg_comments": "float64",
    "avg_views": "float64",
    "avg_shares": "float64",
    "engagement_rate": "float64",
    "audience_country": "string",
    "observed_at": "timestamp",
}

POST_FACTS = {
    "fact_seq": "int64",
    "import_id": "int64",
    "platform": "string",
    "handle": "string",
    "post_id": "string",
    "posted_at": "timestamp",
    "post_type": "string",
    "likes": "int64",
    "comments": "int64",
    "shares": "int64",
    "saves": "int64",
    "views": "int64",
    "caption": "string",
    "hashtags": "array<string>",
    "sponsored": "boolean",
}

# A later fact for the same post (platform, handle, post_id) supersedes an earlier one.
POST_SUPERSESSIONS = {"fact_seq": "int64", "import_id": "int64"}

FOLLOWER_SNAPSHOTS = {
    "import_id": "int64",
    "platform": "string",
    "handle": "string",
    "observed_at": "timestamp",
    "followers": "int64",
}


TABLES = {
    "schema_migrations": SCHEMA_MIGRATIONS,
    "settings": SETTINGS,
    "imports": IMPORTS,
    "creator_facts": CREATOR_FACTS,
    "post_facts": POST_FACTS,
    "post_supersessions": POST_SUPERSESSIONS,
    "follower_snapshots": FOLLOWER_SNAPSHOTS,
}


def apply(store: SchemaStore) -> None:
    for name, columns in TABLES.items():
        if not store.has_table(name):
            store.create_table(name, columns)
