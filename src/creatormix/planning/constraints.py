"""The brief's rules as linear rows over the options, each with a readable name and a group key.

Shares are shares of the plan's committed spend (not of the budget), so a plan that satisfies
them at one budget still does at a larger one: ``spend_t - max_t * spend <= 0`` and
``min_t * spend - spend_t <= 0`` are homogeneous rows.
"""

from __future__ import annotations

import numpy as np

from creatormix.domain.brief import Brief
from creatormix.planning.candidates import Candidates
from creatormix.planning.costs import Options
from creatormix.planning.problem import Rows

AT_LEAST_ONE = "at least one creator"


def _money(x: float, currency: str) -> str:
    return f"{x:,.0f} {currency}"


def niche_members(cands: Candidates, niche: str) -> np.ndarray:
    """Creators whose categories or bio mention the niche (case-insensitive)."""
    term = niche.strip().lower()
    return np.array(
        [
            any(term in c.lower() for c in cats) or term in (bio or "").lower()
            for cats, bio in zip(cands.categories, cands.bio, strict=True)
        ],
        dtype=bool,
    )


def build_rows(
    cands: Candidates,
    options: Options,
    brief: Brief,
    *,
    budget: float,
    revenue: np.ndarray | None = None,
    tier_shares: bool = True,
    min_one: bool = False,
) -> Rows:
    """Every linear rule of the brief over ``options`` (budget, counts, shares, caps, ROAS).

    ``min_one`` adds "at least one creator" when the brief sets no minimum: ratio rules (shares,
    ROAS) hold trivially for the empty plan, which is never an answer.
    """
    import scipy.sparse as sp

    m = len(options.creator)
    cost = options.committed
    rows: list[np.ndarray] = []
    lo: list[float] = []
    hi: list[float] = []
    names: list[str] = []
    groups: list[str] = []

    def add(coef: np.ndarray, low: float, high: float, name: str, group: str) -> None:
        rows.append(coef)
        lo.append(low)
        hi.append(high)
        names.append(name)
        groups.append(group)

    cur = brief.currency
    label = f"budget {_money(budget, cur)}"
    if brief.budget_margin:
        label += f" (after a {brief.budget_margin:.0%} risk margin)"
    add(cost, -np.inf, budget, label, "budget")
    ones = np.ones(m)
    if brief.min_creators:
        add(
            ones,
            brief.min_creators,
            np.inf,
            f"at least {brief.min_creators} creators",
            "min_creators",
        )
    elif min_one:
        add(ones, 1.0, np.inf, AT_LEAST_ONE, "min_creators")
    if brief.max_creators:
        add(
            ones,
            -np.inf,
            brief.max_creators,
            f"at most {brief.max_creators} creators",
            "max_creators",
        )
    tier = cands.tier[options.creator]
    if tier_shares:
        for share in brief.tier_shares:
            in_t = np.isin(tier.astype(str), share.tiers).astype(float)
            if share.max is not None and share.max < 1:
                add(
                    cost * (in_t - share.max),
                    -np.inf,
                    0.0,
                    f"{share.tier} share <= {share.max:.0%} of spend",
                    f"tier_share:{share.tier}:max",
                )
            if share.min:
                add(
                    cost * (share.min - in_t),
                    -np.inf,
                    0.0,
                    f"{share.tier} share >= {share.min:.0%} of spend",
                    f"tier_share:{share.tier}:min",
                )
    country = cands.country[options.creator]
    for cap in brief.country_caps:
        in_c = (country == cap.key).astype(float)
        if cap.max_creators is not None:
            add(
                in_c,
                -np.inf,
                cap.max_creators,
                f"at most {cap.max_creators} creators in {cap.key}",
                f"country_cap:{cap.key}",
            )
        if cap.max_share is not None:
            add(
                cost * (in_c - cap.max_share),
                -np.inf,
                0.0,
                f"{cap.key} share <= {cap.max_share:.0%} of spend",
                f"country_cap:{cap.key}",
            )
    for cap in brief.niche_caps:
        in_n = niche_members(cands, cap.key)[options.creator].astype(float)
        if cap.max_creators is not None:
            add(
                in_n,
                -np.inf,
                cap.max_creators,
                f"at most {cap.max_creators} creators in niche {cap.key!r}",
                f"niche_cap:{cap.key}",
            )
        if cap.max_share is not None:
            add(
                cost * (in_n - cap.max_share),
                -np.inf,
                0.0,
                f"niche {cap.key!r} share <= {cap.max_share:.0%} of spend",
                f"niche_cap:{cap.key}",
            )
    if brief.min_roas is not None and revenue is not None:
        add(
            revenue - brief.min_roas * options.expected_cost,
            0.0,
            np.inf,
            f"expected ROAS >= {brief.min_roas:g}",
            "min_roas",
        )
    A = sp.csr_matrix(np.vstack(rows)) if rows else sp.csr_matrix((0, m))
    A.eliminate_zeros()
    return Rows(
        A, np.array(lo, dtype=float), np.array(hi, dtype=float), tuple(names), tuple(groups)
    )
