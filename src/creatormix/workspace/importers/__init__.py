"""Importers by kind: ``IMPORTERS[kind].write(job)`` writes one file's records of that kind.

The pipeline that calls them (source, idempotency, tabulating, rejects, the import log, metrics)
is ``Workspace.import_file`` (``workspace/imports.py``); adding a kind is a field table in
``ingest/fields.py``, a writer here and a line in ``IMPORTERS``. Follower lists are not here: a
list is rejected whole and becomes sketches (``Workspace.import_followers``).
"""

from __future__ import annotations

from creatormix.domain.imports import ImportKind
from creatormix.workspace.importers import campaigns, catalog, vetting
from creatormix.workspace.importers._job import Importer, ImportJob

IMPORTERS: dict[ImportKind, Importer] = {
    ImportKind.CREATORS: Importer(catalog.creators, feeds_metrics=True),
    ImportKind.POSTS: Importer(catalog.posts, feeds_metrics=True),
    ImportKind.SNAPSHOTS: Importer(catalog.snapshots, feeds_metrics=True),
    ImportKind.FOLLOWERS_SAMPLE: Importer(vetting.followers_sample),
    ImportKind.AUDIENCE: Importer(vetting.audience),
    ImportKind.COMMENTS: Importer(vetting.comments),
    ImportKind.ORDERS: Importer(campaigns.orders),
    ImportKind.ANALYTICS: Importer(campaigns.analytics),
}

__all__ = ["IMPORTERS", "ImportJob", "Importer"]
