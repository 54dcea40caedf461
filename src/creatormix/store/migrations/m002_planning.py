"""Schema 2: planning. Saved plans and their picks, follower lists and their sketches.

* ``plans``: one row per saved plan with its brief, inputs, model versions and the whole result
  (JSON), so any plan can be shown again exactly as it was made.
* ``plan_selections``: the chosen creators, one row each (what campaigns are built from).
* ``follower_links``: imported follower lists, appended per import (facts); a creator's current
  list is the one from its latest import.
* ``follower_sketches``: one theta sketch per creator built from its current list (derived).

The rates learned from campaigns, which update the planner's priors, live in ``learned_rates``
(schema 4, written by campaigns; see docs/attribution.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from creatormix.store.migrations._schema import SchemaStore

PLANS = {
    "plan_id": "int64",
    "name": "string",
    "created_at": "timestamp",
    "created_by": "string",
    "goal": "string",
    "budget": "float64",
    "currency": "string",
    "metric": "string",
    "creators": "int64",
    "committed_cost": "float64",
    "expected_value": "float64",
    "brief": "string",
    "inputs": "string",
    "model_versions": "string",
    "result": "string",
}

PLAN_SELECTIONS = {
    "plan_id": "int64",
    "position": "int64",
    "platform": "string",
    "handle": "string",
    "tier": "string",
    "deal_type": "string",
    "cost": "float64",
    "committed_cost": "float64",
    "expected": "string",
    "reasons": "string",
}

FOLLOWER_LINKS = {
    "import_id": "int64",
    "platform": "string",
    "handle": "string",
    "follower_id": "string",
}

FOLLOWER_SKETCHES = {
    "platform": "string",
    "handle": "string",
    "import_id": "int64",
    "followers_listed": "int64",
    "lg_k": "int64",
    "sketch": "binary",
}


TABLES = {
    "plans": PLANS,
    "plan_selections": PLAN_SELECTIONS,
    "follower_links": FOLLOWER_LINKS,
    "follower_sketches": FOLLOWER_SKETCHES,
}


def apply(store: SchemaStore) -> None:
    for name, columns in TABLES.items():
        if not store.has_table(name):
            store.create_table(name, columns)
