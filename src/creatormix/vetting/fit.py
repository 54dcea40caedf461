"""Audience fit: the share of a creator's audience a brief can use.

    fit = min(share in ship-to countries, share speaking target languages)
          x share in target ages x share in target genders

Each factor is 1 when the brief does not restrict that dimension. Exports give marginal shares
only; ``domain.vetting.combine_fit`` says why country and language meet at their upper Frechet
bound while age and gender multiply. Age bands overlap partly ("18-34" takes all of 18-24 and
25-34, a third of 35-44 from "35-38"...) in proportion to the years they share.

Where a creator has no imported shares for a dimension, the factor is assumed, with a lower
confidence: countries from the creator's top audience country (or own country) holding
``HOME_AUDIENCE_SHARE`` of the audience and a tenth of the rest in the ship-to countries; languages
likewise from the creator's language; ages and genders from the platform's user base. The
assumptions are ``domain.vetting``'s (the planner's fallback uses the same), the numbers and their
sources in ``domain.benchmarks`` and docs/vetting.md.
"""

from __future__ import annotations

from collections.abc import Mapping

from creatormix.domain import benchmarks as bm
from creatormix.domain.audience import age_range
from creatormix.domain.audience import gender as normalise_gender
from creatormix.domain.vetting import (
    ASSUMED_WEIGHT,
    NO_TARGET,
    UNKNOWN_HOME_FIT,
    AudienceFit,
    Target,
    assumed_home_fit,
    combine_fit,
)

Shares = Mapping[str, Mapping[str, float]]  # dimension -> segment -> share


def _age_overlap(shares: Mapping[str, float], targets: tuple[str, ...]) -> float:
    """Share of the audience in the target bands; segments that are no band ("other",
    "unknown") add nothing here and stay in the caller's total."""
    wanted = [age_range(t) for t in targets]
    total = 0.0
    for band, share in shares.items():
        try:
            lo, hi = age_range(band)
        except ValueError:
            continue
        covered = sum(max(0, min(hi, b) - max(lo, a)) for a, b in wanted)
        total += share * min(1.0, covered / (hi - lo))
    return total


def _share_in(shares: Mapping[str, float], wanted: set[str]) -> float:
    total = sum(shares.values())
    if total <= 0:
        return 0.0
    return sum(v for k, v in shares.items() if k in wanted) / total


def audience_fit(
    target: Target,
    shares: Shares | None,
    *,
    country: str | None = None,
    audience_country: str | None = None,
    language: str | None = None,
) -> AudienceFit:
    """Fit of one creator's audience to ``target`` (see the module docstring)."""
    shares = shares or {}
    parts: dict[str, float] = {}
    sources: dict[str, str] = {}
    reasons: list[str] = []
    if target.countries:
        wanted = {c.upper() for c in target.countries}
        if shares.get("country"):
            parts["country"] = _share_in(shares["country"], wanted)
            sources["country"] = "measured"
            reasons.append(
                f"{parts['country']:.0%} of the audience is in {', '.join(sorted(wanted))}"
            )
        else:
            home = audience_country or country
            parts["country"], text = _assumed_home(home, wanted, "country")
            sources["country"] = "assumed"
            reasons.append(text)
    if target.ages:
        if shares.get("age"):
            parts["age"] = _age_overlap(shares["age"], target.ages) / max(
                sum(shares["age"].values()), 1e-12
            )
            sources["age"] = "measured"
        else:
            parts["age"] = _age_overlap(bm.PLATFORM_AGE_SHARE, target.ages)
            sources["age"] = "assumed"
        reasons.append(_dimension_reason("age", parts["age"], target.ages, sources["age"]))
    if target.genders:
        wanted = {normalise_gender(g) for g in target.genders}
        if shares.get("gender"):
            parts["gender"] = _share_in(shares["gender"], wanted)
            sources["gender"] = "measured"
        else:
            parts["gender"] = sum(v for k, v in bm.PLATFORM_GENDER_SHARE.items() if k in wanted)
            sources["gender"] = "assumed"
        reasons.append(
            _dimension_reason("gender", parts["gender"], tuple(sorted(wanted)), sources["gender"])
        )
    if target.languages:
        wanted = {lang.lower() for lang in target.languages}
        if shares.get("language"):
            parts["language"] = _share_in(shares["language"], wanted)
            sources["language"] = "measured"
            reasons.append(
                f"{parts['language']:.0%} of the audience speaks {', '.join(sorted(wanted))}"
            )
        else:
            parts["language"], text = _assumed_home(language, wanted, "language")
            sources["language"] = "assumed"
            reasons.append(text)
    fit = float(combine_fit(parts))
    if not parts:
        return AudienceFit(
            1.0, {}, {}, NO_TARGET, 1.0, ("the target does not restrict the audience",)
        )
    weights = [1.0 if s == "measured" else ASSUMED_WEIGHT for s in sources.values()]
    kinds = set(sources.values())
    confidence = (
        "measured" if kinds == {"measured"} else "assumed" if kinds == {"assumed"} else "partial"
    )
    return AudienceFit(
        fit=min(max(fit, 0.0), 1.0),
        parts=parts,
        sources=sources,
        confidence=confidence,
        confidence_weight=sum(weights) / len(weights),
        reasons=tuple(reasons),
    )


def _assumed_home(home: str | None, wanted: set[str], what: str) -> tuple[float, str]:
    if not home:
        return (
            UNKNOWN_HOME_FIT,
            f"{what} unknown and no audience shares: assumed {UNKNOWN_HOME_FIT:.0%} in target (low confidence)",
        )
    key = home.upper() if what == "country" else home.lower()
    if key in {w.upper() if what == "country" else w for w in wanted}:
        share = float(assumed_home_fit(True, True))
        return share, (
            f"no audience shares: creator {what} {key} is in the target, assumed {share:.0%} "
            f"of the audience ({bm.HOME_COUNTRY_SOURCE}; low confidence)"
        )
    share = float(assumed_home_fit(True, False))
    return share, (
        f"no audience shares: creator {what} {key} is outside the target, assumed "
        f"{share:.0%} of the audience in it (low confidence)"
    )


def _dimension_reason(name: str, value: float, wanted: tuple[str, ...], source: str) -> str:
    how = "" if source == "measured" else f" (assumed from {bm.PLATFORM_AUDIENCE_SOURCE})"
    return f"{value:.0%} of the audience in {name} {', '.join(wanted)}{how}"
