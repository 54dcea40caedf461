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
from creatormix.domain.query import CreatorDetail
from creatormix.domain.vetting import AuthenticityReport, CreatorVetting


@dataclass(frozen=True)
class PlanRequest:
    """A plan to make (``Workspace.plan``).

    The brief is ``brief``, or the one read from ``brief_file`` (TOML) with ``overrides`` on top:
    dotted keys with raw values, as ``creatormix plan``'s flags give them (``"budget": "20k"``,
    ``"constraints.tier_share.micro": ">=30%"``), validated with field-level messages. The
    outputs are checked before planning, so a plan is never saved when one cannot be written.
    """

    brief: Brief | None = None
    brief_file: Path | None = None
    overrides: Mapping[str, Any] = field(default_factory=dict)
    save: bool = True
    time_limit: float = 20.0  # seconds the optimiser may take
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
