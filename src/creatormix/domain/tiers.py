"""Creator tiers by audience size, and the named schemes that draw their boundaries.

A scheme maps a follower count to a tier, per platform. Boundaries are lower bounds: a creator
with exactly 10,000 followers is micro under the default scheme ("micro 10k-100k"). A split
published as "micro <= 30k" is the lower bound 30,001 of the next tier, described as "mid >30k-…".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from creatormix.domain.platform import Platform


class Tier(StrEnum):
    """Audience-size tiers, smallest first."""

    NANO = "nano"
    MICRO = "micro"
    MID = "mid"
    MACRO = "macro"
    MEGA = "mega"

    @property
    def rank(self) -> int:
        return list(Tier).index(self)


@dataclass(frozen=True)
class TierBands:
    """Lower follower bounds of each tier above nano; a tier mapped to None is unused."""

    micro: int | None
    mid: int | None
    macro: int | None
    mega: int | None

    def __post_init__(self) -> None:
        bounds = [b for b in (self.micro, self.mid, self.macro, self.mega) if b is not None]
        if any(b <= 0 for b in bounds):
            raise ValueError("tier bounds must be positive follower counts")
        if bounds != sorted(set(bounds)):
            raise ValueError(f"tier bounds must increase strictly: {bounds}")

    def lower_bounds(self) -> list[tuple[Tier, int]]:
        """(tier, lower bound) for every used tier above nano, ascending."""
        pairs = [
            (Tier.MICRO, self.micro),
            (Tier.MID, self.mid),
            (Tier.MACRO, self.macro),
            (Tier.MEGA, self.mega),
        ]
        return [(t, b) for t, b in pairs if b is not None]

    def tier_of(self, followers: float | None) -> Tier | None:
        if followers is None:
            return None
        tier = Tier.NANO
        for candidate, bound in self.lower_bounds():
            if followers >= bound:
                tier = candidate
        return tier

    def used_tiers(self) -> list[Tier]:
        return [Tier.NANO] + [t for t, _ in self.lower_bounds()]

    def describe(self) -> dict[str, str]:
        """Human-readable range per used tier, e.g. {"micro": "10k-100k"}: from the lower bound
        up to the next tier's. A bound one above a round number reads as "above" it (30,001 is
        ">30k"), and the tier below then ends at that number inclusive ("micro 1k-30k")."""
        out: dict[str, str] = {}
        bounds = self.lower_bounds()
        lows: list[tuple[Tier, int]] = [(Tier.NANO, 0), *bounds]
        for i, (tier, low) in enumerate(lows):
            high = lows[i + 1][1] if i + 1 < len(lows) else None
            if high is None:
                out[tier.value] = _low(low) if _above(low) else f">={_short(low)}"
            elif low == 0:
                out[tier.value] = f"<={_short(high - 1)}" if _above(high) else f"<{_short(high)}"
            else:
                top = _short(high - 1) if _above(high) else _short(high)
                out[tier.value] = f"{_low(low)}-{top}"
        return out

    def as_dict(self) -> dict[str, int | None]:
        return {"micro": self.micro, "mid": self.mid, "macro": self.macro, "mega": self.mega}


def _above(bound: int) -> bool:
    """Whether a lower bound stands for "above a round number" (30,001: above 30k)."""
    return bound > 1 and _short(bound) == str(bound) and _short(bound - 1) != str(bound - 1)


def _low(bound: int) -> str:
    return f">{_short(bound - 1)}" if _above(bound) else _short(bound)


def _short(n: int | None) -> str:
    if n is None:
        return ""
    for div, suffix in ((1_000_000, "M"), (1_000, "k")):
        if n >= div and n % (div // 100) == 0:  # exact to two decimals: 1.15k, 2.5M
            value = n / div
            return f"{value:g}{suffix}"
    return str(n)


@dataclass(frozen=True)
class TierScheme:
    """A named tier scheme: default bands plus optional per-platform overrides."""

    name: str
    bands: TierBands
    per_platform: Mapping[Platform, TierBands] = field(default_factory=dict)
    description: str = ""

    def bands_for(self, platform: Platform | str) -> TierBands:
        return self.per_platform.get(Platform(platform), self.bands)

    def tier_of(self, platform: Platform | str, followers: float | None) -> Tier | None:
        return self.bands_for(platform).tier_of(followers)

    @property
    def custom_name(self) -> str:
        """The name of this scheme once its bounds are changed: "default+custom", and the same
        again however many times it is changed (never "default+custom+custom")."""
        return self.name if self.name.endswith("+custom") else f"{self.name}+custom"

    def with_platform(self, platform: Platform, bands: TierBands) -> TierScheme:
        merged = dict(self.per_platform)
        merged[platform] = bands
        return TierScheme(
            name=self.custom_name,
            bands=self.bands,
            per_platform=merged,
            description=self.description,
        )

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "description": self.description,
            "bands": self.bands.as_dict(),
            "per_platform": {p.value: b.as_dict() for p, b in self.per_platform.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> TierScheme:
        def bands(raw: object) -> TierBands:
            if not isinstance(raw, Mapping):
                raise ValueError("tier bands must be an object")
            return TierBands(**{k: (int(v) if v is not None else None) for k, v in raw.items()})

        per = data.get("per_platform") or {}
        if not isinstance(per, Mapping):
            raise ValueError("per_platform must be an object")
        return cls(
            name=str(data["name"]),
            bands=bands(data["bands"]),
            per_platform={Platform(k): bands(v) for k, v in per.items()},
            description=str(data.get("description", "")),
        )


NAMED_SCHEMES: dict[str, TierScheme] = {
    s.name: s
    for s in (
        TierScheme(
            "default",
            TierBands(micro=10_000, mid=100_000, macro=500_000, mega=1_000_000),
            description="nano <10k, micro 10k-100k, mid 100k-500k, macro 500k-1M, mega >=1M",
        ),
        TierScheme(
            "micro-50k",
            TierBands(micro=10_000, mid=50_000, macro=500_000, mega=1_000_000),
            description="micro ends at 50k: nano <10k, micro 10k-50k, mid 50k-500k, macro 500k-1M, mega >=1M",
        ),
        TierScheme(
            "micro-30k",
            # "micro <= 30k" and "macro > 100k": the next tiers start one follower above.
            TierBands(micro=1_000, mid=30_001, macro=100_001, mega=1_000_000),
            description="micro <=30k, macro >100k: nano <1k, micro 1k-30k, mid >30k-100k, macro >100k-1M, mega >=1M",
        ),
        TierScheme(
            "two-tier-100k",
            TierBands(micro=1_000, mid=None, macro=100_000, mega=None),
            description="micro <100k, macro >=100k, no mid or mega tier: nano <1k, micro 1k-100k, macro >=100k",
        ),
    )
}

DEFAULT_SCHEME = NAMED_SCHEMES["default"]
