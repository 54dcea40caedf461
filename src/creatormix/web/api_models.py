"""The REST API's JSON bodies as pydantic models: what the OpenAPI schema publishes and every
response is validated against. Response models allow extra keys: they name the fields scripts
rely on, the views' JSON may carry more (it is the same JSON ``--json`` prints)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None = None


class ErrorBody(BaseModel):
    """Every 4xx and 5xx: ``{"error": {"code", "message", "field"}}``."""

    error: ErrorDetail


class Me(BaseModel):
    email: str
    role: str
    via: str


class EngagementRate(Open):
    shrunk: float | None = None
    interval: list[float | None] | None = None
    observed: float | None = None
    source: str | None = None
    posts_measured: int | None = None


class CreatorRow(Open):
    handle: str
    platform: str
    name: str | None = None
    tier: str | None = None
    followers: int | None = None
    country: str | None = None
    categories: list[str] = []
    price_per_post: float | None = None
    currency: str | None = None
    engagement_rate: EngagementRate
    relevance: float | None = None
    fit: float | None = None
    authenticity: int | None = None


class Catalog(Open):
    total: int
    offset: int
    limit: int | None = None
    notes: list[str] = []
    synthetic: str | None = None
    left_out_prior_only: int = 0
    creators: list[CreatorRow]
    tiers: dict[str, Any] | None = None


class CreatorPage(Open):
    profile: CreatorRow
    vetting: dict[str, Any]
    prior: dict[str, Any]
    recent_posts: list[dict[str, Any]]
    snapshots: list[dict[str, Any]]
    sources: list[dict[str, Any]]
    synthetic: str | None = None


class ImportRecord(Open):
    import_id: int
    kind: str
    file_name: str
    file_hash: str
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    rows_merged: int = 0
    imported_at: str
    imported_by: str


class Imports(BaseModel):
    imports: list[ImportRecord]


class ImportResult(BaseModel):
    headline: str
    import_id: int | None = None
    rejects_url: str | None = None
    report: dict[str, Any]


class ShortlistEntry(Open):
    platform: str
    handle: str
    note: str | None = None
    added_at: str
    added_by: str


class Shortlist(Open):
    shortlist_id: int
    name: str
    created_at: str
    created_by: str
    entries: list[ShortlistEntry]


class Shortlists(BaseModel):
    shortlists: list[Shortlist]


class NewShortlist(BaseModel):
    name: str = Field(min_length=1, max_length=80)


class AddToShortlist(BaseModel):
    creators: list[str] = Field(min_length=1, max_length=500)
    note: str | None = Field(default=None, max_length=2000)


class PlanSummary(Open):
    plan_id: int
    created_at: str
    name: str | None = None
    goal: str
    budget: float
    currency: str
    creators: int
    committed_cost: float


class Plans(BaseModel):
    plans: list[PlanSummary]


class NewPlan(BaseModel):
    """A brief as the CLI's flags give it: dotted keys with the values as typed
    (``{"goal": "engagement", "budget": "20k", "target.ship_to": "FR,BE",
    "constraints.tier_share.micro": ">=30%"}``), or a nested TOML-shaped object."""

    brief: dict[str, Any] = Field(examples=[{"goal": "engagement", "budget": "8k"}])
    shortlist: str | None = Field(default=None, max_length=80)
    time_limit: float = Field(default=20.0, gt=0, le=60)


class Plan(Open):
    plan_id: int | None
    goal: str
    budget: float
    currency: str
    selections: list[dict[str, Any]]
    totals: dict[str, Any]
    notes: list[str] = []


class PlanWithChart(BaseModel):
    plan: Plan
    frontier_chart: dict[str, Any] | None = None


class Campaign(Open):
    campaign_id: int
    name: str
    slug: str
    currency: str
    destinations: list[str]
    link_base: str
    created_at: str
    plan_id: int | None = None


class Campaigns(BaseModel):
    campaigns: list[Campaign]


class NewCampaign(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    destination: str = Field(min_length=1, max_length=2000)
    plan_id: int | None = Field(default=None, ge=1)
    creators: list[str] = Field(default=[], max_length=500)
    currency: str = Field(default="USD", min_length=3, max_length=3)
    link_base: str | None = Field(default=None, max_length=500)


class Deal(Open):
    deal_id: int
    campaign_id: int
    platform: str
    handle: str
    stage: str
    link_code: str
    discount_code: str


class Board(Open):
    campaign: Campaign
    deals: list[Deal]
    links: list[dict[str, Any]]
    due: list[dict[str, Any]]
    events: list[dict[str, Any]]


class Move(BaseModel):
    """One event on a deal: a stage, a note, or both."""

    stage: str | None = Field(default=None, max_length=40, examples=["contacted"])
    note: str | None = Field(default=None, max_length=2000)
    fee: str | None = Field(default=None, max_length=40, examples=["400"])
    due: str | None = Field(default=None, max_length=40, examples=["2026-05-01"])


class Moved(BaseModel):
    deal: Deal
    warning: str | None = None


class Link(Open):
    deal_id: int
    creator: str
    platform: str
    tracking_url: str
    discount_code: str
    destination_url: str


class Links(BaseModel):
    links: list[Link]


class Report(Open):
    campaign: Campaign
    total: dict[str, Any]
    creators: list[dict[str, Any]]
    tiers: list[dict[str, Any]]
    comparisons: list[str] = []


class ReportWithCharts(BaseModel):
    report: Report
    charts: list[dict[str, Any]]


class Token(Open):
    token_id: int
    name: str
    user: str
    prefix: str
    created_at: str
    revoked_at: str | None = None


class Tokens(BaseModel):
    tokens: list[Token]


class NewToken(BaseModel):
    name: str = Field(min_length=1, max_length=80)
    user: str | None = Field(default=None, max_length=320)


class MadeToken(BaseModel):
    token: Token
    secret: str


class AuditEntry(BaseModel):
    at: str
    actor: str
    action: str
    subject: str
    detail: str


class AuditLog(BaseModel):
    total: int
    offset: int
    entries: list[AuditEntry]
