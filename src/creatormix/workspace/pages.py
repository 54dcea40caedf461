"""Use cases shaped like a page of the web app, each one call: a plan with its chart, a campaign
board, a report with its charts, an uploaded file's import.

They join capabilities (campaigns and planning, imports and follower lists), so they sit on
``Workspace`` as one mixin over the ones they join; charts are Plotly figures as plain JSON, drawn
in the browser by the plotly.js the app serves.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path
from typing import Any

from creatormix.domain.imports import ImportKind, ImportOptions
from creatormix.domain.requests import (
    CampaignBoard,
    Chart,
    PlanPage,
    ReportPage,
    ReportRequest,
    UploadRequest,
    UploadResult,
)
from creatormix.errors import InvalidOption, NotFound
from creatormix.store import campaigns as cstore
from creatormix.store.targets import Target
from creatormix.workspace.campaigns import CampaignOps
from creatormix.workspace.imports import ImportOps
from creatormix.workspace.planning import PlanningOps


def _chart(fig: Any) -> Chart:
    """A Plotly figure as JSON (plotly's own encoder: numpy arrays, dates, NaN)."""
    return json.loads(fig.to_json())  # type: ignore[no-any-return]


def uploads_dir(db: str | os.PathLike[str] | Target) -> Path:
    """Where the server keeps uploads while they are imported, and their reject CSVs: beside the
    workspace file, or in the workspace's state folder on this machine for one on a server."""
    from creatormix.store.core import dialect_for

    target = Target.parse(db)
    if target.is_file:
        return target.path.with_name(target.path.name + ".uploads")
    return dialect_for(target).local_dir(target) / "uploads"


class PageOps(ImportOps, CampaignOps, PlanningOps):
    def plan_page(self, plan_id: int) -> PlanPage:
        """A saved plan exactly as it was made, with its frontier chart (never re-run)."""
        from creatormix.planning.chart import frontier_figure

        plan = self.get_plan(plan_id)
        return PlanPage(plan, _chart(frontier_figure(plan)) if plan.frontier is not None else None)

    def plan_csv(self, plan_id: int) -> str:
        """A saved plan's picks as CSV text (``plans show --export``'s columns)."""
        from creatormix.planning.export import rows

        header, data = rows(self.get_plan(plan_id))
        return _csv_text(list(header), [list(r) for r in data])

    def links_csv(self, campaign: str | int) -> str:
        """The campaign's links as CSV text (``campaign links --export``'s columns)."""
        links = self.campaign_links(campaign)
        return _csv_text(
            ["creator", "platform", "tier", "tracking_url", "discount_code", "destination_url"],
            [
                [
                    k.creator,
                    k.platform,
                    k.tier or "",
                    k.tracking_url,
                    k.discount_code,
                    k.destination_url,
                ]
                for k in links
            ],
        )

    def creator_deals(self, ref: str) -> list[tuple[Any, Any]]:
        """(campaign, deal) for every deal this creator has had with the brand, newest first."""
        platform, handle = self.resolve_creator(ref)
        by_id = {c.campaign_id: c for c in self.list_campaigns()}
        deals = [d for d in self.all_deals() if d.platform == platform and d.handle == handle]
        deals.sort(key=lambda d: d.created_at, reverse=True)
        return [(by_id[d.campaign_id], d) for d in deals if d.campaign_id in by_id]

    def campaign_board(self, campaign: str | int) -> CampaignBoard:
        """The campaign's deals, links and codes, follow-ups due and its latest 50 events."""
        from creatormix.domain.campaigns import DueReminder

        c = self.get_campaign(campaign)
        deals = self.campaign_deals(c.campaign_id)
        links = self.campaign_links(c.campaign_id)
        due: list[DueReminder] = self.due(c.campaign_id)
        events = cstore.events(self.store, [d.deal_id for d in deals])
        events.sort(key=lambda e: (e.at, e.event_id), reverse=True)
        return CampaignBoard(c, tuple(deals), tuple(links), tuple(due), tuple(events[:50]))

    def report_page(self, request: ReportRequest) -> ReportPage:
        """The campaign's report (clicks folded first) and its charts."""
        from creatormix.campaigns.render import figures

        report = self.campaign_report(request)
        return ReportPage(report, tuple(_chart(f) for f in figures(report)))

    def import_upload(self, request: UploadRequest, *, progress: Any = None) -> UploadResult:
        """Import an uploaded file all or nothing; the upload is deleted afterwards (it is never
        kept or served back), its rejected rows are kept as ``rejects-<import>.csv``."""
        from creatormix.domain.query import no_progress

        try:
            kind = ImportKind(request.kind)
        except ValueError:
            choices = ", ".join(k.value for k in ImportKind)
            raise InvalidOption(
                f"unknown import kind {request.kind!r} (choose {choices})", field="kind"
            ) from None
        folder = uploads_dir(self.store.target)
        folder.mkdir(parents=True, exist_ok=True)
        try:
            if kind is ImportKind.FOLLOWERS:
                opts = request.options or ImportOptions()
                report: Any = self.import_followers(
                    request.path,
                    platform=opts.platform.value if opts.platform else None,
                    progress=progress or no_progress,
                )
                return UploadResult(report)
            scratch = folder / f"rejects-{uuid.uuid4().hex}.csv"
            report = self.import_file(
                kind,
                request.path,
                request.options or ImportOptions(),
                progress=progress or no_progress,
                rejects_path=scratch,
            )
            if scratch.exists() and report.import_id is not None:
                scratch.replace(folder / f"rejects-{report.import_id}.csv")
            return UploadResult(report, rejects=self.rejects_file_exists(report.import_id))
        finally:
            shutil.rmtree(request.path.parent, ignore_errors=True)

    def rejects_file_exists(self, import_id: int | None) -> bool:
        """Whether the web app kept a CSV of the rows import ``import_id`` rejected."""
        return (
            import_id is not None
            and (uploads_dir(self.store.target) / f"rejects-{import_id}.csv").is_file()
        )

    def rejects_csv(self, import_id: int) -> Path:
        """The CSV of the rows import ``import_id`` rejected (uploads made in the web app)."""
        self.store.get_import(import_id)  # NotFound for an unknown import
        path = uploads_dir(self.store.target) / f"rejects-{int(import_id)}.csv"
        if not path.is_file():
            raise NotFound(
                f"import #{import_id} has no reject file here (it rejected nothing, or was made by a command)"
            )
        return path


def _csv_text(header: list[str], rows: list[list[object]]) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
