"""What an audit says (one creator, or a list lowest score first), the vetting section of a
creator's page, and a search's matches; each with its JSON twin (``audit --json`` …).

A score has a level the interfaces colour: good (80 and up), fair (60 and up), poor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from creatormix.domain.requests import AuditPage
from creatormix.domain.vetting import (
    NO_TARGET,
    AudienceFit,
    AuthenticityReport,
    CreatorMatch,
    CreatorVetting,
    Target,
)
from creatormix.views._json import jsonable
from creatormix.views.format import fmt_followers

Column = tuple[str, str]  # (label, "left" or "right")


def score_level(score: int) -> str:
    return "good" if score >= 80 else "fair" if score >= 60 else "poor"


def report_json(r: AuthenticityReport) -> dict[str, Any]:
    a = r.audit
    return {
        "platform": r.platform,
        "handle": r.handle,
        "tier": r.tier,
        "followers": r.followers,
        "score": r.score,
        "factor": r.factor,
        "confidence": r.confidence,
        "not_enough_data": r.not_enough_data,
        "posts": r.coverage.posts if r.coverage else None,
        "engagement_measured": r.coverage.engagement_measured if r.coverage else None,
        "follower_snapshots": r.coverage.snapshots if r.coverage else None,
        "comments_with_text": r.coverage.comments if r.coverage else None,
        "fake_share": a.fake_share if a else None,
        "fake_interval": [a.fake_interval.low, a.fake_interval.high] if a else None,
        "raw_fake_share": a.raw_share if a else None,
        "real_share": a.real_share if a else None,
        "real_interval": [a.real_interval.low, a.real_interval.high] if a else None,
        "interval_level": a.fake_interval.level if a else None,
        "fake_measured": a is not None,
        "assumed_fake_share": r.assumed_fake_share,
        "audience_factor": r.factor if r.audience_factor is None else r.audience_factor,
        "engagement_factor": r.engagement_factor,
        "sample_size": a.sample_size if a else 0,
        "effective_sample_size": a.information if a else 0.0,
        "low_confidence": a.low_confidence if a else True,
        "audience_split": dict(a.split) if a else None,
        "missing_fields": dict(a.missing_fields) if a else None,
        "model": a.model if a else None,
        "flags": [
            {"code": f.code, "message": f.message, "weight": f.weight, "evidence": dict(f.evidence)}
            for f in r.flags
        ],
        "reasons": list(r.reasons),
    }


@dataclass(frozen=True)
class AuditView:
    """One creator's authenticity: who, score, the follower audit (measured or assumed), reasons
    and the flags with their evidence."""

    handle: str  # "@kim"
    where: str  # "on instagram (micro, 45.2k followers)"
    score: str  # "72/100"
    level: str
    confidence: str
    real_share: str | None  # measured: "34.5%", then ``measured`` says the rest
    measured: str | None
    low_confidence: bool
    split: str | None  # the audience split …
    split_note: str | None  # … and how to read it
    assumed: str | None  # not measured: what is assumed instead
    reasons: tuple[str, ...]
    flags: tuple[str, ...]  # "flag code (−20%): evidence"
    data: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return jsonable(self.data)  # type: ignore[no-any-return]


def audit_view(r: AuthenticityReport) -> AuditView:
    a = r.audit
    real_share = measured = split = split_note = assumed = None
    if a is not None:
        i, real = a.fake_interval, a.real_interval
        weighs = (
            f", weighing as {a.information:.0f} complete"
            if a.information < a.sample_size - 0.5
            else ""
        )
        real_share = f"{a.real_share:.1%}"
        measured = (
            f"({real.level:.0%} interval "
            f"{real.low:.1%}–{real.high:.1%}), fake followers {a.fake_share:.1%} "
            f"({i.low:.1%}–{i.high:.1%}), from {a.sample_size} sampled followers{weighs}"
        )
        split = ", ".join(f"{k.replace('_', ' ')} {v:.0%}" for k, v in a.split.items())
        split_note = f"({a.model}; suspicious = the fake share, the rest = the real share)"
    elif r.assumed_fake_share is not None:
        assumed = (
            f"fake followers: not measured: assumed {r.assumed_fake_share:.0%} "
            "(import a follower sample to measure it)"
        )
    return AuditView(
        handle="@" + r.handle,
        where=f"on {r.platform} ({r.tier or '—'}, {fmt_followers(r.followers)} followers)",
        score=f"{r.score}/100",
        level=score_level(r.score),
        confidence=r.confidence,
        real_share=real_share,
        measured=measured,
        low_confidence=a is not None and a.low_confidence,
        split=split,
        split_note=split_note,
        assumed=assumed,
        reasons=tuple(r.reasons),
        flags=tuple(
            f"flag {f.code} (−{f.weight:.0%}): "
            + ", ".join(f"{k}={_short(v)}" for k, v in f.evidence.items())
            for f in r.flags
        ),
        data=report_json(r),
    )


def _short(v: object) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    if isinstance(v, list):
        return "[" + ", ".join(_short(x) for x in v) + "]"
    return str(v)


@dataclass(frozen=True)
class AuditListView:
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    levels: tuple[str, ...]  # each row's score level
    footnotes: tuple[str, ...]
    empty: str | None  # what to say when no creator matched
    data: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return jsonable(self.data)  # type: ignore[no-any-return]


def audit_list_view(page: AuditPage) -> AuditListView:
    """The creators lowest authenticity first, with the footnotes their marks need."""
    reports, total, q = list(page.reports), page.total, page.query
    empty = None
    if not total:
        asked = [
            *(["with a follower sample"] if q.sampled else []),
            *([f"scoring at most {q.max_score}"] if q.max_score is not None else []),
        ]
        empty = "no creator " + " and ".join(asked) if asked else "no creator in the workspace"
    names: tuple[str, ...] = ("handle", "platform", "tier", "followers", "score", "confidence")
    names += ("fake", "90% interval", "sample", "flags")
    right = {"followers", "score", "fake", "sample"}
    return AuditListView(
        title=f"{total:,} creator(s), lowest authenticity first"
        + (f", showing {len(reports)}" if len(reports) < total else ""),
        columns=tuple((c, "right" if c in right else "left") for c in names),
        rows=tuple(_audit_row(r) for r in reports),
        levels=tuple(score_level(r.score) for r in reports),
        footnotes=_audit_footnotes(reports),
        empty=empty,
        data={"total": total, "creators": [report_json(r) for r in reports]},
    )


def _no_engagement(r: AuthenticityReport) -> bool:
    return r.coverage is not None and not r.coverage.engagement_measured


def _audit_row(r: AuthenticityReport) -> tuple[str, ...]:
    a = r.audit
    return (
        "@" + r.handle,
        r.platform,
        r.tier or "—",
        fmt_followers(r.followers),
        str(r.score),
        r.confidence + ("†" if _no_engagement(r) else ""),
        f"{a.fake_share:.0%}" if a else f"~{r.expected_fake_share:.0%}",
        f"{a.fake_interval.low:.0%}–{a.fake_interval.high:.0%}" if a else "",
        (str(a.sample_size) + ("*" if a.low_confidence else "")) if a else "—",
        ", ".join(f.code for f in r.flags) or "",
    )


def _audit_footnotes(reports: Sequence[AuthenticityReport]) -> tuple[str, ...]:
    notes = []
    if any(r.audit is not None and r.audit.low_confidence for r in reports):
        notes.append("* low confidence: under 30 followers' worth of information sampled")
    if any(_no_engagement(r) for r in reports):
        notes.append(
            "† not enough data: no post and no imported engagement rate, engagement anomalies "
            "not checked"
        )
    if any(r.audit is None for r in reports):
        notes.append(
            "~ fake share not measured (no follower sample): the workspace's expected share "
            "is assumed"
        )
    return tuple(notes)


def describe_target(t: Target | None) -> str:
    """The stored target in one line, or how to set one."""
    if t is None:
        return "no target set (creatormix target set --ship-to FR,BE --age 18-34 --keywords 'vegan skincare')"
    parts = [
        ("ship to", ", ".join(t.countries)),
        ("ages", ", ".join(t.ages)),
        ("genders", ", ".join(t.genders)),
        ("languages", ", ".join(t.languages)),
        ("keywords", t.keywords),
    ]
    return "target: " + "; ".join(f"{k} {v}" for k, v in parts if v)


def fit_json(f: AudienceFit) -> dict[str, Any]:
    return {
        "fit": f.fit,
        "parts": dict(f.parts),
        "sources": dict(f.sources),
        "confidence": f.confidence,
        "confidence_weight": f.confidence_weight,
        "reasons": list(f.reasons),
    }


def vetting_json(v: CreatorVetting) -> dict[str, Any]:
    return {
        "authenticity": report_json(v.authenticity),
        "audience": {k: dict(s) for k, s in v.audience.items()},
        "target": v.target,
        "fit": fit_json(v.fit) if v.fit else None,
        "relevance": {"score": v.relevance.score, "matched": list(v.relevance.matched)}
        if v.relevance
        else None,
    }


@dataclass(frozen=True)
class VettingSectionView:
    """The vetting part of a creator's page."""

    score: str
    level: str
    confidence: str
    reasons: tuple[str, ...]  # the first four
    audience: tuple[str, ...]  # "audience by country: FR 40%, …", or how to import shares
    target: str | None  # the target described; None: no target set
    no_target_hint: str
    fit: str | None  # "62% (measured)", "— (the target does not restrict the audience)"
    fit_reasons: tuple[str, ...]
    relevance: str | None


def vetting_section_view(v: CreatorVetting) -> VettingSectionView:
    r = v.authenticity
    if v.audience:
        audience = tuple(
            f"audience by {dimension}: "
            + ", ".join(
                f"{k} {s:.0%}" for k, s in sorted(shares.items(), key=lambda kv: -kv[1])[:5]
            )
            for dimension, shares in v.audience.items()
        )
    else:
        audience = ("audience: no shares imported (creatormix import audience FILE)",)
    fit: str | None = None
    fit_reasons: tuple[str, ...] = ()
    if v.fit is not None and v.fit.confidence == NO_TARGET:
        fit = "— (the target does not restrict the audience)"
    elif v.fit is not None:
        fit, fit_reasons = f"{v.fit.fit:.0%} ({v.fit.confidence})", tuple(v.fit.reasons)
    relevance = None
    if v.relevance is not None:
        matched = ", ".join(v.relevance.matched) or "no keyword"
        relevance = f"{v.relevance.score:.0%} (matched: {matched})"
    return VettingSectionView(
        score=f"{r.score}/100",
        level=score_level(r.score),
        confidence=r.confidence,
        reasons=tuple(r.reasons[:4]),
        audience=audience,
        target=describe_target(v.target) if v.target is not None else None,
        no_target_hint="fit and relevance: set a target with "
        "`creatormix target set --ship-to FR,BE --keywords …`",
        fit=fit,
        fit_reasons=fit_reasons,
        relevance=relevance if v.target is not None else None,
    )


def match_json(h: CreatorMatch) -> dict[str, Any]:
    return {
        "platform": h.platform,
        "handle": h.handle,
        "name": h.name,
        "tier": h.tier,
        "followers": h.followers,
        "country": h.country,
        "relevance": {
            "score": h.relevance.score,
            "matched": list(h.relevance.matched),
            "method": h.relevance.method,
        },
        "fit": fit_json(h.fit),
    }
