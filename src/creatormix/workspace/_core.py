"""The Workspace facade: the one object the CLI, the web app and notebooks call.

A workspace is one database: a DuckDB file, or a PostgreSQL database that a team shares. Every
public method is a whole use case ("import this file", "list micro creators in France") that
opens no second connection and leaves the database consistent: writes happen inside one
transaction, derived tables are rebuilt in that same transaction.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from creatormix.domain.catalog import CreatorRef
from creatormix.domain.query import Progress, no_progress
from creatormix.domain.requests import CreatorOverview
from creatormix.store import catalog as facts
from creatormix.store.core import Store
from creatormix.store.dialects import lock_wait_seconds as lock_wait_seconds
from creatormix.store.targets import Target
from creatormix.workspace.accounts import AccountOps
from creatormix.workspace.backtest import BacktestOps
from creatormix.workspace.browse import BrowseOps
from creatormix.workspace.identity import IdentityOps
from creatormix.workspace.pages import PageOps
from creatormix.workspace.profiles import ProfilesOps
from creatormix.workspace.shortlists import ShortlistOps

if TYPE_CHECKING:
    from creatormix.domain.copying import CopyReport, TableCheck
    from creatormix.planning.backtest import BrandSelection
    from creatormix.planning.seams import SignalSource

DEFAULT_DB = "creatormix.duckdb"
ENV_DB = "CREATORMIX_DB"


Location = str | os.PathLike[str] | Target


def default_db_path(explicit: Location | None = None) -> Target:
    """The workspace of ``--db`` if given, else ``$CREATORMIX_DB``, else ``./creatormix.duckdb``:
    a DuckDB file path or a ``postgresql://`` URL (InvalidOption for any other URL)."""
    if isinstance(explicit, Target):
        return explicit
    if explicit:
        return Target.parse(explicit)
    env = os.environ.get(ENV_DB)
    return Target.parse(env) if env else Target.parse(Path(DEFAULT_DB))


def explain_error(exc: BaseException, where: Location | None = None) -> Exception | None:
    """The database's error (a lost connection, a missing grant …) as one of ours, in one line
    with any password masked; None when ``exc`` is no database error."""
    from creatormix.store.core import describe_error

    try:
        target = default_db_path(where)
    except Exception:
        return None
    return describe_error(exc, target)


class Workspace(
    PageOps,
    BrowseOps,
    ShortlistOps,
    AccountOps,
    IdentityOps,
    BacktestOps,
    ProfilesOps,
):
    """An open workspace. ``Workspace.open(path)`` or ``Workspace.create(path)``; close when done.

    Each capability is a mixin over ``CatalogOps`` (every one reads the catalog); what joins two
    capabilities is here (``planning_signals``: vetting's factors for the planner;
    ``backtest_campaigns``: the brand's campaigns for a backtest). ``BacktestOps`` extends
    ``PlanningOps``.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    def creator_overview(
        self, ref: str | CreatorRef, *, posts: int = 12, history: int = 0
    ) -> CreatorOverview:
        """A creator's page: the catalog's profile, posts, snapshots and sources (``posts``
        recent ones), and vetting's authenticity, audience, fit and relevance to the stored
        target; with ``history``, that many latest posts (oldest first) for the engagement chart."""
        detail = self.get_creator(ref, posts=max(posts, history))
        c = detail.profile.creator
        vetting = self.creator_vetting(f"{c.platform.value}:{c.handle}")
        recent = detail.recent_posts
        shown = replace(detail, recent_posts=recent[:posts])
        return CreatorOverview(shown, vetting, tuple(reversed(recent[:history])))

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

    def backtest_campaigns(self, refs: tuple[str, ...] | None) -> list[BrandSelection]:
        """The brand's own selections a backtest scores: each campaign's creators (those named
        by id, name or slug in ``refs``; every campaign with creators when None)."""
        from creatormix.planning.backtest import BrandSelection

        found = self.list_campaigns() if refs is None else [self.get_campaign(r) for r in refs]
        out = []
        for c in found:
            deals = self.campaign_deals(c.campaign_id)
            members = tuple(dict.fromkeys(f"{d.platform}:{d.handle}" for d in deals))
            if members:
                out.append(BrandSelection(c.slug, c.name, c.created_at, members))
        return out

    @classmethod
    def open(
        cls,
        path: Location | None = None,
        *,
        read_only: bool = False,
        lock_wait: float | None = None,
    ) -> Workspace:
        """Open the workspace at ``path`` (a file or a ``postgresql://`` URL; default as
        ``default_db_path``) and bring its schema up to date."""
        return cls(Store.open(default_db_path(path), read_only=read_only, lock_wait=lock_wait))

    @classmethod
    def create(cls, path: Location | None = None) -> Workspace:
        """Open a workspace, creating it (the file, or on a server the database when the role
        may, and its tables) if it does not exist."""
        return cls(Store.open(default_db_path(path), create=True))

    @classmethod
    def build_demo(
        cls,
        path: Location,
        *,
        seed: int = 7,
        creators: int = 3000,
        export_dir: str | os.PathLike[str] | None = None,
        progress: Progress = no_progress,
    ) -> Workspace:
        """Build the synthetic demo workspace at ``path`` (replacing it atomically) and open it.

        A file is built beside the target and renamed over it; a database on a server is
        rebuilt in one transaction, and only when it holds no workspace of real data. The demo
        files go through the real importers; ``export_dir`` keeps a copy of them.
        """
        import tempfile

        from creatormix.demo import generate, generate_vetting, write_files, write_vetting_files

        target = default_db_path(path)
        progress("generating", 0, 1)
        catalog = generate(seed=seed, creators=creators)
        progress("generating", 1, 1)
        with tempfile.TemporaryDirectory(prefix="creatormix-demo-") as tmp:
            folder = Path(export_dir) if export_dir else Path(tmp) / "files"
            files = write_files(catalog, folder)
            files |= write_vetting_files(generate_vetting(catalog, seed=seed), folder)
            if not target.is_file:
                return cls._build_demo_in_place(target, files, progress)
            final = target.path
            final.parent.mkdir(parents=True, exist_ok=True)
            scratch = final.with_name(f".{final.name}.building")
            for leftover in (scratch, scratch.with_name(scratch.name + ".wal")):
                leftover.unlink(missing_ok=True)
            ws = cls.create(scratch)
            try:
                ws._import_demo(files, progress)
            finally:
                ws.close()
        for suffix in ("", ".wal"):
            Path(str(final) + suffix).unlink(missing_ok=True)
        scratch.replace(final)
        return cls.open(final)

    @classmethod
    def _build_demo_in_place(
        cls, target: Target, files: dict[str, Path], progress: Progress
    ) -> Workspace:
        """The demo in a server's database: everything replaced in one transaction."""
        from creatormix.errors import WorkspaceProblem

        ws = cls.create(target)
        try:
            with ws.store.transaction():
                held = len(ws.store.imports())
                if held and not ws.synthetic_label():
                    raise WorkspaceProblem(
                        f"{target} holds a workspace of real data ({held:,} import(s)); the demo "
                        "replaces everything, so build it in an empty database"
                    )
                ws.store.clear()
                facts.drop_metrics(ws.store)
                ws._import_demo(files, progress)
        except BaseException:
            ws.close()
            raise
        return ws

    def _import_demo(self, files: dict[str, Path], progress: Progress) -> None:
        self.import_file("creators", files["creators"], progress=progress, refresh=False)
        self.import_file("snapshots", files["snapshots"], progress=progress, refresh=False)
        for kind in ("followers-sample", "audience", "comments"):
            self.import_file(kind, files[kind], progress=progress, refresh=False)
        self.import_file("posts", files["posts"], progress=progress)
        self.mark_synthetic()

    @classmethod
    def copy_workspace(
        cls, source: Location, target: Location, *, progress: Progress = no_progress
    ) -> CopyReport:
        """Copy the workspace at ``source`` into ``target`` (a file and a server database, either
        way), then compare every table's rows and checksum; derived tables are rebuilt there.

        The target must be new or empty. Everything is written in one transaction on the target
        and read from one snapshot of the source, and a copy that does not verify is rolled
        back: the target is the whole copy or as it was. A new file is built beside its name and
        renamed into place.
        """
        from creatormix.domain.copying import CopyReport
        from creatormix.errors import InvalidOption, WorkspaceProblem

        src, dst = default_db_path(source), default_db_path(target)
        if src == dst or (src.is_file and dst.is_file and src.path.resolve() == dst.path.resolve()):
            raise InvalidOption(f"copy {src} onto itself: name another workspace as the target")
        if src.is_file and not src.path.exists():
            raise WorkspaceProblem(f"{src}: no such workspace file")
        final: Path | None = None
        if dst.is_file:
            final = dst.path
            dst = cls._scratch_for_copy(dst)
        try:
            with cls.open(src, read_only=True) as src_ws, cls.create(dst) as dst_ws:
                checks, derived = dst_ws._copy_from(
                    src_ws, str(default_db_path(target)), progress=progress
                )
                version = dst_ws.schema_version
        except BaseException:
            if final is not None:
                for leftover in (dst.path, Path(str(dst.path) + ".wal")):
                    leftover.unlink(missing_ok=True)
            raise
        if final is not None:
            Path(str(final) + ".wal").unlink(missing_ok=True)
            dst.path.replace(final)
        return CopyReport(
            source=str(src),
            target=str(default_db_path(target)),
            schema_version=version,
            tables=tuple(checks),
            derived=derived,
        )

    @classmethod
    def _scratch_for_copy(cls, dst: Target) -> Target:
        """The file a copy into ``dst`` is built in (renamed into place once it verifies), after
        checking that ``dst`` holds no workspace."""
        from creatormix.errors import WorkspaceProblem
        from creatormix.store.copying import tables_holding_rows

        final = dst.path
        if final.exists():
            with cls.open(final, read_only=True) as existing:
                held = tables_holding_rows(existing.store)
            if held:
                raise WorkspaceProblem(
                    f"{dst} already holds a workspace ({', '.join(held[:3])} …); copy into a "
                    "new file or an empty database"
                )
        final.parent.mkdir(parents=True, exist_ok=True)
        scratch = final.with_name(f".{final.name}.copying")
        for leftover in (scratch, scratch.with_name(scratch.name + ".wal")):
            leftover.unlink(missing_ok=True)
        return Target.parse(scratch)

    def _copy_from(
        self, source: Workspace, name: str, *, progress: Progress
    ) -> tuple[list[TableCheck], tuple[str, ...]]:
        """Every fact table of ``source`` into this empty workspace in one transaction, read from
        one snapshot and verified table by table; then the derived tables rebuilt here."""
        from creatormix.errors import WorkspaceProblem
        from creatormix.store.copying import copy_tables, tables_holding_rows

        with self.store.transaction():
            held = tables_holding_rows(self.store)
            if held:
                raise WorkspaceProblem(
                    f"{name} already holds a workspace ({', '.join(held[:3])} …); copy into "
                    "a new file or an empty database"
                )
            with source.store.snapshot():
                checks = copy_tables(source.store, self.store, progress=progress)
            bad = [c.table for c in checks if not c.matches]
            if bad:
                raise WorkspaceProblem(
                    f"the copy of {source.store.target} differs in {', '.join(bad)}; nothing "
                    f"was kept at {name}"
                )
            derived: tuple[str, ...] = ()
            if source.store.has_table(facts.METRICS_TABLE):
                self.refresh_metrics(progress=progress)
                derived = (facts.METRICS_TABLE,)
        return checks, derived

    @staticmethod
    def commands_waiting(where: Location) -> list[int]:
        """Processes waiting to open the workspace file at ``where`` (a long-lived holder such as
        `creatormix serve` lets go of the file for them); none on a server, which has no single
        writer to wait for."""
        from creatormix.store.core import waiting_processes

        target = default_db_path(where)
        return waiting_processes(target.path) if target.is_file else []

    @property
    def path(self) -> Path:
        """The workspace file (TypeError for a workspace on a server: see ``target``)."""
        return self.store.path

    @property
    def schema_version(self) -> int:
        """The workspace's schema version (every migration this creatormix knows is applied)."""
        return self.store.schema_version()

    @property
    def schema_created(self) -> bool:
        """Whether opening it made the workspace (it had no schema before)."""
        return self.store.found_version == 0

    @property
    def target(self) -> Target:
        """Where the workspace lives; ``str()`` of it never shows a password."""
        return self.store.target

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
