"""Typed requests and results of the facade's use cases that take more than a name or two.

Every interface builds the same request (the CLI from its flags, the web app from a form or a
query string) and makes one ``Workspace`` call with it. The catalog's listing request is
``domain.query.CreatorQuery`` and an import's is ``domain.imports.ImportRequest``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from creatormix.domain.brief import Brief
from creatormix.domain.catalog import Post
from creatormix.domain.query import CreatorDetail, CreatorPage, CreatorQuery, TierSummary
from creatormix.domain.vetting import AuthenticityReport, CreatorVetting, Target


@dataclass(frozen=True)
class PlanRequest:
    """A plan to make (``Workspace.plan``).

    The brief is ``brief``, or the one read from ``brief_file`` (TOML) with ``overrides`` on top:
    dotted keys with raw values, as ``creatormix plan``'s flags give them (``"budget": "20k"``,
    ``"constraints.tier_share.micro": ">=30%"``), validated with field-level messages. The
    outputs are checked before planning, so a plan is never saved when one cannot be written.
    With ``shortlist``, the candidates are that shortlist's creators (the brief's filters still
    apply to them).
    """

    brief: Brief | None = None
    brief_file: Path | None = None
    overrides: Mapping[str, Any] = field(default_factory=dict)
    save: bool = True
    time_limit: float = 20.0  # seconds the optimiser may take
    shortlist: str | int | None = None  # plan among this shortlist's creators only
    frontier_html: Path | None = None  # the frontier chart, one self-contained HTML file
    export_csv: Path | None = None  # the picks as CSV


@dataclass(frozen=True)
class ReportRequest:
    """A campaign's report (``Workspace.campaign_report``): by id, name or slug.

    ``rates``: 1 unit of each currency in the campaign's currency (never guessed); bootstrap
    ``draws`` at ``level`` with ``seed``; ``learn`` records the measured rates for the planner;
    ``bots`` counts bots' clicks; ``html``/``csv`` are written when given.
    """

    campaign: str | int
    rates: Mapping[str, float] = field(default_factory=dict)
    draws: int = 2000
    level: float = 0.95
    seed: int = 0
    learn: bool = True
    bots: bool = False
    now: datetime | None = None
    html: Path | None = None
    csv: Path | None = None


@dataclass(frozen=True)
class AuditQuery:
    """Which creators' authenticity to list (``Workspace.audit_page``): only those with a follower
    sample, only those scoring at most ``max_score``; lowest score first, ``limit`` of them
    (None: all)."""

    sampled: bool = False
    max_score: int | None = None
    limit: int | None = 50


@dataclass(frozen=True)
class AuditPage:
    """The reports shown and how many creators matched in all."""

    reports: tuple[AuthenticityReport, ...]
    total: int
    query: AuditQuery


@dataclass(frozen=True)
class CreatorOverview:
    """Everything a creator's page shows (``Workspace.creator_overview``): the catalog's part
    and vetting's (authenticity, audience, and fit and relevance to the stored target)."""

    detail: CreatorDetail
    vetting: CreatorVetting
    history: tuple[Post, ...] = ()  # posts for the engagement chart, oldest first (``history``)


@dataclass(frozen=True)
class CatalogQuery:
    """The catalog page's question (``Workspace.browse``): the listing's filters and order
    (``filters``), and vetting's filters on top: niche relevance to ``keywords`` (then, unless
    ``by_relevance`` is False, ranked by it), ``min_fit`` of the audience to the stored target
    (0-1) and ``min_authenticity`` (the audit's 0-100 score)."""

    filters: CreatorQuery = field(default_factory=CreatorQuery)
    keywords: str | None = None
    min_fit: float | None = None
    min_authenticity: int | None = None
    by_relevance: bool = True


@dataclass(frozen=True)
class CatalogPage:
    """One page of the catalog: the listing, the vetting figures of the creators shown (by
    ``platform:handle``: relevance 0-1, fit 0-1, authenticity 0-100, for the filters that were
    asked), the tier summary of the whole catalog and the stored target."""

    page: CreatorPage
    query: CatalogQuery
    relevance: Mapping[str, float] = field(default_factory=dict)
    fit: Mapping[str, float] = field(default_factory=dict)
    authenticity: Mapping[str, int] = field(default_factory=dict)
    tiers: TierSummary | None = None
    target: Target | None = None


Chart = Mapping[str, Any]  # a Plotly figure as JSON: {"data": [...], "layout": {...}}


@dataclass(frozen=True)
class PlanPage:
    """A saved plan as its page shows it: the plan, and its frontier chart when it has one."""

    plan: Any  # domain.plan_result.Plan
    frontier: Chart | None = None


@dataclass(frozen=True)
class ReportPage:
    """A campaign's results page: the report and its charts."""

    report: Any  # domain.campaigns.CampaignReport
    charts: tuple[Chart, ...] = ()


@dataclass(frozen=True)
class CampaignBoard:
    """A campaign's deals by stage, their links and codes, the follow-ups due and recent events."""

    campaign: Any  # domain.campaigns.Campaign
    deals: tuple[Any, ...]  # domain.campaigns.Deal
    links: tuple[Any, ...]  # domain.campaigns.TrackingLink, one per deal
    due: tuple[Any, ...]  # domain.campaigns.DueReminder
    events: tuple[Any, ...] = ()  # domain.campaigns.DealEvent, newest first


@dataclass(frozen=True)
class UploadRequest:
    """A file a browser or a script uploaded (``Workspace.import_upload``): the saved copy
    ``path`` is read once and deleted; ``name`` is what the user called it."""

    kind: str
    path: Path
    name: str
    options: Any = None  # domain.imports.ImportOptions (None: the defaults)


@dataclass(frozen=True)
class UploadResult:
    """What an upload did: the import's report (or the follower lists' report) and whether a
    CSV of its rejected rows can be downloaded."""

    report: Any  # domain.imports.ImportReport | domain.followers.FollowerImportReport
    rejects: bool = False
