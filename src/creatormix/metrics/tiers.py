"""Tier assignment as an Ibis expression, from a scheme's per-platform bands."""

from __future__ import annotations

from typing import TYPE_CHECKING

from creatormix.domain.platform import Platform
from creatormix.domain.tiers import Tier, TierBands, TierScheme

if TYPE_CHECKING:
    import ibis.expr.types as ir


def _bands_expr(followers: ir.IntegerValue, bands: TierBands) -> ir.StringValue:
    import ibis

    cases = [(followers >= bound, tier.value) for tier, bound in reversed(bands.lower_bounds())]
    return ibis.cases(*cases, else_=Tier.NANO.value)


def tier_expr(
    platform: ir.StringValue, followers: ir.IntegerValue, scheme: TierScheme
) -> ir.StringValue:
    """The tier of each row; null where followers are unknown."""
    import ibis

    default = _bands_expr(followers, scheme.bands)
    if scheme.per_platform:
        overrides = [
            (platform == p.value, _bands_expr(followers, b)) for p, b in scheme.per_platform.items()
        ]
        default = ibis.cases(*overrides, else_=default)
    return ibis.ifelse(followers.isnull(), ibis.null("string"), default)


def platforms_of(scheme: TierScheme) -> list[Platform]:
    return list(scheme.per_platform)
