"""Tunable parameters of the catalog metrics, stored per workspace (``metrics.*`` settings)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass(frozen=True)
class MetricParams:
    last_n: int = 12  # posts per creator that the engagement and cadence metrics look at
    interval: float = 0.90  # central credible interval of the shrunk engagement rate
    export_weight: int = 12  # posts an export's average ER counts as (exports average ~12 posts)
    min_prior_posts: int = 3  # creators with fewer measured posts do not shape the tier prior
    growth_window_days: int = 90  # follower growth uses the snapshots of this many recent days

    def __post_init__(self) -> None:
        if self.last_n < 1:
            raise ValueError("last_n must be at least 1")
        if not 0.5 <= self.interval < 1:
            raise ValueError("interval must be between 0.5 and 1")
        if self.export_weight < 1 or self.min_prior_posts < 1 or self.growth_window_days < 2:
            raise ValueError(
                "export_weight, min_prior_posts must be >= 1 and growth_window_days >= 2"
            )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> MetricParams:
        if not data:
            return cls()
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})
