"""The outcome model: what one creator delivers if it posts, as lognormal distributions.

For creator i with F followers asked for k pieces (docs/metrics.md has the derivations):

* reach per post rate rho: measured video views x the unique-viewer share / F where the creator
  has at least 3 posts with views (or export average views), else the platform x tier prior
  (``reach_rate``) x the format's reach factor; unique reach over k posts is
  F * (1 - (1 - rho)^k) (each post reaches a fresh random share of followers).
* engagements: k * F * ER where the platform's rate is per follower (Instagram), k * V * ER where
  it is per view (TikTok, YouTube: ``benchmarks.ER_BASIS``), V = views per post (measured, else
  the reach prior's people per post / the unique-viewer share); ER = the creator's shrunk
  engagement rate (Beta posterior), times the sponsored-post adjustment learned from the brand's
  campaigns when there is one.
* clicks = reach x click rate; conversions = clicks x conversion rate + reach x code rate (orders
  through the creator's discount code by shoppers who never clicked, counted only where the
  brand's campaigns have measured it: ``code_rate`` is learned, never assumed); revenue =
  conversions x AOV; followers gained = reach x follow rate (platform x tier priors).
* content = k pieces.
* audience (the ``--reach audience`` objective): F x audience authenticity x fit, the real
  followers in the target, however many of them a post reaches.

Only real people in the target count (``planning.seams``), and fake followers are taken out once:

* what comes from follower counts x a prior (reach from the reach-rate prior, engagements from
  the tier's engagement rate) is discounted by the *audience authenticity* (1 - fake share, with
  the follower flags) x fit;
* what was measured on the creator's posts (reach from views, engagements from its own engagement
  rate) already leaves the fake followers out, since they neither watch nor engage: it is
  discounted only by the *engagement authenticity* (bought likes, pods, generic comments) x fit.

Each quantity is lognormal around its mean: a creator-level log-sd
(how unsure we are about this creator's level, plus post-to-post noise averaged over k posts) and,
for rates that come from a prior, a group-level log-sd shared by every creator of the same
platform x tier (how unsure the prior itself is). The Monte Carlo draws both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from creatormix.domain import plan_benchmarks as pb
from creatormix.domain.brief import Brief, Format
from creatormix.planning.candidates import Candidates
from creatormix.planning.priors import PriorTable
from creatormix.planning.seams import Signals

METRICS = (
    "reach",
    "engagements",
    "clicks",
    "conversions",
    "revenue",
    "content",
    "followers_gained",
)
# distinct real followers in the target, each counted once (the audience reach objective); a
# total only when the brief asks for it (``--reach audience``)
AUDIENCE = "audience"
ALL_METRICS = (*METRICS, AUDIENCE)
VIDEO_PLATFORMS = {"tiktok", "youtube"}
# er_source where no engagement was measured (an implausible rate is not used: the prior stands in)
PRIOR_ER_SOURCES = ("prior", "none", "implausible", "", "None")


@dataclass(frozen=True)
class Outcomes:
    pieces: int
    mean: dict[str, np.ndarray]  # metric -> expected value per creator, if the creator delivers
    sigma_reach: np.ndarray  # log-sd of reach (and engagements share the same shock)
    sigma_eng: np.ndarray
    sigma_response: float  # log-sd of a creator's click/conversion/follow rates around the group
    rate: dict[str, np.ndarray]  # per creator: reach_rate (per post), ctr, cvr, follow
    reach_measured: np.ndarray  # bool: reach from the creator's own views
    audience: np.ndarray  # people reached before the fit and authenticity discount
    discount: np.ndarray  # reach's authenticity (engagement's if measured, else audience's) x fit
    group: np.ndarray  # int: platform x tier group of each creator
    groups: tuple[tuple[str, str], ...]
    group_sigma: dict[
        str, np.ndarray
    ]  # reach_rate/click_rate/conversion_rate/follow_rate -> per group


def _lognormal_var(cv: np.ndarray | float) -> np.ndarray:
    return np.log1p(np.square(cv))


def creator_outcomes(
    cands: Candidates, brief: Brief, priors: PriorTable, signals: Signals, pieces: int
) -> Outcomes:
    n = len(cands)
    k = max(1, int(pieces))
    F = np.nan_to_num(cands.followers, nan=0.0)
    tiers = [t or "nano" for t in cands.tier]
    pairs = list(zip(cands.platform.tolist(), tiers, strict=True))
    groups = tuple(sorted(set(pairs)))
    index = {g: i for i, g in enumerate(groups)}
    group = np.array([index[g] for g in pairs], dtype=np.int64)

    def per_group(metric: str) -> tuple[np.ndarray, np.ndarray]:
        means = np.array([priors.get(p, t, metric).mean for p, t in groups])
        cvs = np.array([priors.get(p, t, metric).cv for p, t in groups])
        return means, np.sqrt(_lognormal_var(cvs))

    fmt = brief.format.value
    fmt_reach = np.array(
        [pb.FORMAT_REACH.get(fmt, 1.0) if p == "instagram" else 1.0 for p in cands.platform]
    )
    # reach per post
    prior_rho, sig_rho = per_group("reach_rate")
    rho = np.minimum(0.95, prior_rho[group] * fmt_reach)
    rho_prior = rho
    video = (brief.format is Format.VIDEO) | np.isin(cands.platform, list(VIDEO_PLATFORMS))
    uniq = np.array(
        [pb.UNIQUE_VIEW_SHARE.get(p, pb.UNIQUE_VIEW_SHARE["instagram"]) for p in cands.platform]
    )
    views = np.where(cands.views_posts >= 3, cands.views_median, np.nan)
    n_views = np.where(cands.views_posts >= 3, cands.views_posts, 0).astype(float)
    from_export = ~np.isfinite(views) & np.isfinite(cands.avg_views) & (cands.avg_views > 0)
    views = np.where(from_export, cands.avg_views, views)
    n_views = np.where(from_export, 3.0, n_views)
    measured = video & np.isfinite(views) & (views > 0) & (F > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        rho_measured = np.minimum(0.95, views * uniq / F)
    rho = np.where(measured, rho_measured, rho)
    audience = F * (1.0 - np.power(1.0 - rho, k))
    discount = np.where(measured, signals.engagement, signals.audience) * signals.fit
    reach = audience * discount
    post_sd = np.where(
        measured & np.isfinite(cands.views_logsd), np.maximum(cands.views_logsd, 0.3), pb.POST_SIGMA
    )
    level_var = np.where(
        measured, np.square(post_sd) / np.maximum(n_views, 1.0), pb.CREATOR_REACH_SIGMA**2
    )
    sigma_reach = np.sqrt(level_var + np.square(post_sd) / k)
    # engagements, per follower or per view as the platform counts them
    per_view = cands.per_view
    views_known = np.isfinite(views) & (views > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        views_per_post = np.where(views_known, views, F * rho_prior / uniq)
    base = np.where(per_view, np.nan_to_num(views_per_post), F)
    er = np.where(np.isfinite(cands.er_shrunk), cands.er_shrunk, np.nan)
    prior_er, _ = per_group("engagement_rate")
    er_measured = np.isfinite(er) & ~np.isin(cands.er_source.astype(str), PRIOR_ER_SOURCES)
    er = np.where(np.isfinite(er), er, prior_er[group])
    adjust = _sponsored_adjustment(groups, priors)
    er = er * adjust[group]
    a, b = cands.er_alpha, cands.er_beta
    er_mean = cands.er_raw
    er_var = np.where(per_view, cands.er_views_var, cands.er_var)
    with np.errstate(divide="ignore", invalid="ignore"):
        beta_cv2 = np.where((a > 0) & (b > 0), b / (a * (a + b + 1.0)), 0.5**2)
        post_cv2 = np.where(
            np.isfinite(er_var) & (er_mean > 0),
            er_var / np.square(er_mean),
            pb.POST_SIGMA**2,
        )
    sigma_eng = np.sqrt(
        _lognormal_var(np.sqrt(np.nan_to_num(beta_cv2, nan=0.25)))
        + _lognormal_var(np.sqrt(np.nan_to_num(post_cv2, nan=0.25))) / k
    )
    # Fake followers neither watch nor engage: what was measured (a rate per follower from posts,
    # or the views a rate per view multiplies) is discounted by engagement authenticity; what
    # comes from follower counts x a prior by audience authenticity.
    measured_basis = np.where(per_view, views_known, er_measured)
    eng_auth = np.where(measured_basis, signals.engagement, signals.audience)
    engagements = k * base * er * eng_auth * signals.fit
    # response rates
    ctr, sig_ctr = per_group("click_rate")
    cvr, sig_cvr = per_group("conversion_rate")
    follow, sig_follow = per_group("follow_rate")
    clicks = reach * ctr[group]
    code = _learned_code_rate(groups, priors)
    conversions = clicks * cvr[group] + reach * code[group]
    revenue = conversions * (brief.aov or 0.0)
    mean = {
        "reach": reach,
        "engagements": np.nan_to_num(engagements),
        "clicks": clicks,
        "conversions": conversions,
        "revenue": revenue,
        "content": np.full(n, float(k)),
        "followers_gained": reach * follow[group],
        AUDIENCE: F * signals.audience * signals.fit,
    }
    return Outcomes(
        pieces=k,
        mean=mean,
        sigma_reach=sigma_reach,
        sigma_eng=np.nan_to_num(sigma_eng, nan=pb.POST_SIGMA),
        sigma_response=pb.RESPONSE_SIGMA,
        rate={"reach_rate": rho, "ctr": ctr[group], "cvr": cvr[group], "follow": follow[group]},
        reach_measured=measured,
        audience=audience,
        discount=discount,
        group=group,
        groups=groups,
        group_sigma={
            "reach_rate": sig_rho,
            "click_rate": sig_ctr,
            "conversion_rate": sig_cvr,
            "follow_rate": sig_follow,
        },
    )


def _learned_code_rate(groups: tuple[tuple[str, str], ...], priors: PriorTable) -> np.ndarray:
    """Code-only orders per person reached, per group: the learned rate where the brand's
    campaigns measured one, else 0 (no publication gives it; the click funnel stands alone)."""
    out = np.zeros(len(groups))
    for i, (platform, tier) in enumerate(groups):
        rate = priors.get(platform, tier, "code_rate", record=False)
        if rate.origin == "learned":
            priors.get(platform, tier, "code_rate")  # record it as used
            out[i] = rate.mean
    return out


def _sponsored_adjustment(groups: tuple[tuple[str, str], ...], priors: PriorTable) -> np.ndarray:
    """Learned sponsored-post engagement over the organic prior, per group (1.0 without data).

    Campaign results measure engagement on sponsored posts; creators' shrunk ER is organic. Where
    the brand has learned rates, organic ER is scaled by learned / organic for that group.
    """
    out = np.ones(len(groups))
    for i, (platform, tier) in enumerate(groups):
        learned = priors.get(platform, tier, "engagement_rate", record=False)
        if learned.origin == "learned":
            base = priors.base(platform, tier, "engagement_rate")
            priors.get(platform, tier, "engagement_rate")  # record it as used
            out[i] = learned.mean / base.mean if base.mean > 0 else 1.0
    return out
