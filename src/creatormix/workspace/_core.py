"""The Workspace facade: the one object the CLI, the web app and notebooks call.

A workspace is one database file. Every public method is a whole use case ("import this file",
"list micro creators in France") that opens no second connection and leaves the file consistent:
writes happen inside one transaction, derived tables are rebuilt in that same transaction.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from creatormix.domain.catalog import CreatorRef
from creatormix.domain.query import Progress, no_progress
from creatormix.domain.requests import CreatorOverview
from creatormix.store.core import Store
from creatormix.workspace.campaigns import CampaignOps
from creatormix.workspace.imports import ImportOps
from creatormix.workspace.planning import PlanningOps
from creatormix.workspace.vetting import VettingOps

if TYPE_CHECKING:
    from creatormix.planning.seams import SignalSource

DEFAULT_DB = "creatormix.duckdb"
ENV_DB = "CREATORMIX_DB"


def default_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--db`` if given, else ``$CREATORMIX_DB``, else ``./creatormix.duckdb``."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(ENV_DB)
    return Path(env) if env else Path(DEFAULT_DB)


class Workspace(ImportOps, VettingOps, CampaignOps, PlanningOps):
    """An open workspace. ``Workspace.open(path)`` or ``Workspace.create(path)``; close when done.

    Each capability is a mixin over ``CatalogOps`` (every one reads the catalog); what joins two
    capabilities is here (``planning_signals``: vetting's factors for the planner).
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    def creator_overview(self, ref: str | CreatorRef, *, posts: int = 12) -> CreatorOverview:
        """A creator's page: the catalog's profile, posts, snapshots and sources (``posts``
        recent ones), and vetting's authenticity, audience, fit and relevance to the stored target."""
        detail = self.get_creator(ref, posts=posts)
        c = detail.profile.creator
        return CreatorOverview(detail, self.creator_vetting(f"{c.platform.value}:{c.handle}"))

    def planning_signals(self) -> SignalSource:
        """THE seam between vetting and planning: authenticity, audience fit and niche relevance.

        Adapts ``vetting_factors`` (docs/vetting.md, "Planner contract") to the planner's
        ``SignalSource`` (``workspace.signals.VettingSignalSource``): authenticity = the audit's
        score / 100, split into audience authenticity (1 - fake share, measured or the
        workspace's expected share, x follower flags) and engagement authenticity (bought
        engagement flags); fit = the share of the audience in the target (measured where audience
        shares were imported, assumed from country and language elsewhere, labelled so);
        relevance = BM25 over the workspace (0-1).
        """
        from creatormix.workspace.signals import VettingSignalSource

        return VettingSignalSource(self)

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        read_only: bool = False,
        lock_wait: float | None = None,
    ) -> Workspace:
        return cls(Store.open(default_db_path(path), read_only=read_only, lock_wait=lock_wait))

    @classmethod
    def create(cls, path: str | os.PathLike[str] | None = None) -> Workspace:
        """Open a workspace, creating the file if it does not exist."""
        return cls(Store.open(default_db_path(path), create=True))

    @classmethod
    def build_demo(
        cls,
        path: str | os.PathLike[str],
        *,
        seed: int = 7,
        creators: int = 3000,
        export_dir: str | os.PathLike[str] | None = None,
        progress: Progress = no_progress,
    ) -> Workspace:
        """Build the synthetic demo workspace at ``path`` (replacing it atomically) and open it.

        The demo files go through the real importers; ``export_dir`` keeps a copy of them.
        """
        import tempfile

        from creatormix.demo import generate, generate_vetting, write_files, write_vetting_files

        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        progress("generating", 0, 1)
        catalog = generate(seed=seed, creators=creators)
        progress("generating", 1, 1)
        with tempfile.TemporaryDirectory(prefix="creatormix-demo-") as tmp:
            folder = Path(export_dir) if export_dir else Path(tmp) / "files"
            files = write_files(catalog, folder)
            files |= write_vetting_files(generate_vetting(catalog, seed=seed), folder)
            scratch = target.with_name(f".{target.name}.building")
            for leftover in (scratch, scratch.with_name(scratch.name + ".wal")):
                leftover.unlink(missing_ok=True)
            ws = cls.create(scratch)
            try:
                ws.import_file("creators", files["creators"], progress=progress, refresh=False)
                ws.import_file("snapshots", files["snapshots"], progress=progress, refresh=False)
                for kind in ("followers-sample", "audience", "comments"):
                    ws.import_file(kind, files[kind], progress=progress, refresh=False)
                ws.import_file("posts", files["posts"], progress=progress)
                ws.mark_synthetic()
            finally:
                ws.close()
        for suffix in ("", ".wal"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        scratch.replace(target)
        return cls.open(target)

    @property
    def path(self) -> Path:
        return self.store.path

    def close(self) -> None:
        """Close the workspace file (a context manager does it for you)."""
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
