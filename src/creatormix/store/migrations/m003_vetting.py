"""Schema 3: vetting facts. Follower samples, audience shares and comments, appended per import.

The current sample of a creator is the latest import that has one; the current audience shares of
a creator are, per dimension, those of the latest import that has that dimension. Nothing is
updated in place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from creatormix.store.migrations._schema import SchemaStore

FOLLOWER_SAMPLES = {
    "fact_seq": "int64",
    "import_id": "int64",
    "platform": "string",
    "handle": "string",  # the creator whose follower this is
    "username": "string",
    "posts": "int64",
    "following": "int64",
    "followers": "int64",
    "has_profile_picture": "boolean",
    "is_private": "boolean",
    "username_length": "int64",
    "username_digits": "int64",
    "username_ends_with_digit": "boolean",
    "username_non_alpha": "int64",
    "observed_at": "timestamp",
}

AUDIENCE_SHARES = {
    "fact_seq": "int64",
    "import_id": "int64",
    "platform": "string",
    "handle": "string",
    "dimension": "string",  # country, age, gender, language
    "segment": "string",  # FR, 18-24, female, fr
    "share": "float64",  # normalised so a creator's dimension sums to 1
    "observed_at": "timestamp",
}

COMMENT_FACTS = {
    "fact_seq": "int64",
    "import_id": "int64",
    "platform": "string",
    "handle": "string",  # the creator whose post was commented
    "post_id": "string",
    "text": "string",
    "commented_at": "timestamp",
}


TABLES = {
    "follower_samples": FOLLOWER_SAMPLES,
    "audience_shares": AUDIENCE_SHARES,
    "comment_facts": COMMENT_FACTS,
}


def apply(store: SchemaStore) -> None:
    for name, columns in TABLES.items():
        if not store.has_table(name):
            store.create_table(name, columns)
