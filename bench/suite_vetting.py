"""Vetting benchmarks: scoring follower profiles with the shipped fake-follower model.

* ``score 1M followers``: usernames and profile fields of 1,000,000 synthetic followers to
  calibrated p(fake) (username counts with Arrow kernels, features and the dot product in numpy).
  Target from issue 4: under 10 s. Baselines in the same run: scikit-learn's
  ``LogisticRegression.predict_proba`` with the same coefficients on the ready feature matrix
  (so it skips username parsing), and a plain per-row Python loop (timed on 20,000 rows, scaled).
* ``score and correct 1M followers``: the same profiles as 10,000 samples of 100 followers, each
  sample's fake share estimated with its 90 % interval (``vetting.prevalence``). Target from issue
  14: under 10 s. Baseline in the same run: scoring, then model v1's estimator per sample (the
  mean of p(fake) and its Beta interval), which is what the prevalence estimation replaced.
* ``audit 1,000 samples``: 1,000 creators' samples of 200 followers each, every audit with its
  interval (the ``audit --all`` path without the database).
"""

from __future__ import annotations

import math

import numpy as np

from _harness import Result, median_time

SUITE = "vetting"


def _profiles(n: int, seed: int = 0) -> dict[str, object]:
    rng = np.random.default_rng(seed)
    fake = rng.random(n) < 0.2
    digits = rng.integers(0, 10**6, n)
    names = [f"user{d}" if f else f"anna.b{d % 97}" for f, d in zip(fake, digits, strict=True)]
    return {
        "username": names,
        "posts": np.where(fake, rng.poisson(0.5, n), rng.integers(5, 500, n)).astype(float),
        "following": np.where(fake, rng.integers(1500, 7000, n), rng.integers(50, 1200, n)).astype(
            float
        ),
        "followers": rng.integers(5, 3000, n).astype(float),
        "has_profile_picture": (rng.random(n) < 0.95).astype(float),
        "is_private": (rng.random(n) < 0.2).astype(float),
    }


def _python_loop(profiles: dict[str, object], model: object, rows: int) -> None:
    coef = model.coefficients  # type: ignore[attr-defined]
    features = model.features  # type: ignore[attr-defined]
    b0, a, c = model.intercept, model.calibration_slope, model.calibration_intercept  # type: ignore[attr-defined]
    names = profiles["username"]
    cols = {k: v for k, v in profiles.items() if k != "username"}
    for i in range(rows):
        name = names[i]  # type: ignore[index]
        length = len(name)
        digits = sum(ch.isdigit() for ch in name)
        non_alpha = sum(not ("a" <= ch <= "z") for ch in name)
        posts, following, followers = (
            float(cols[k][i]) for k in ("posts", "following", "followers")
        )  # type: ignore[index]
        x = {
            "log_posts": math.log1p(posts),
            "log_follower_ratio": math.log1p(followers) - math.log1p(following),
            "mass_following": max(0.0, math.log1p(following) - math.log1p(1500)),
            "has_profile_picture": float(cols["has_profile_picture"][i]),  # type: ignore[index]
            "is_private": float(cols["is_private"][i]),  # type: ignore[index]
            "username_length": float(length),
            "username_digit_share": digits / length,
            "username_ends_with_digit": float(name[-1].isdigit()),
            "username_symbols": float(non_alpha - digits),
        }
        z = a * (b0 + sum(w * x[f] for w, f in zip(coef, features, strict=True))) + c
        1.0 / (1.0 + math.exp(-z))


def _old_estimator(p: np.ndarray, per: int) -> None:
    from creatormix.vetting.prevalence import mean_interval

    for i in range(0, p.size, per):
        mean_interval(p[i : i + per])


def run(quick: bool) -> list[Result]:
    from sklearn.linear_model import LogisticRegression

    from creatormix.vetting.audience import audit_sample
    from creatormix.vetting.features import feature_matrix, username_counts
    from creatormix.vetting.model import load_default, score_profiles
    from creatormix.vetting.prevalence import estimate_shares

    n = 20_000 if quick else 1_000_000
    repeat = 1 if quick else 3
    model = load_default()
    profiles = _profiles(n)
    ours, _ = median_time(lambda: score_profiles(profiles, n, model), repeat)

    raw = {k: v for k, v in profiles.items() if k != "username"}
    raw |= username_counts(profiles["username"])  # type: ignore[arg-type]
    x = feature_matrix(raw, n, model.features)  # type: ignore[arg-type]
    sk = LogisticRegression()
    sk.classes_ = np.array([0, 1])
    sk.coef_ = np.asarray([model.coefficients]) * model.calibration_slope
    sk.intercept_ = np.array(
        [model.intercept * model.calibration_slope + model.calibration_intercept]
    )
    sk_time, _ = median_time(lambda: sk.predict_proba(x), repeat)
    assert np.allclose(sk.predict_proba(x)[:, 1], score_profiles(profiles, n, model).p)
    loop_rows = min(n, 20_000)
    loop_time, _ = median_time(lambda: _python_loop(profiles, model, loop_rows), 1)
    loop_scaled = loop_time * n / loop_rows

    per_sample = 100
    groups = np.arange(n) // per_sample

    def score_and_correct() -> None:
        scores = score_profiles(profiles, n, model)
        estimate_shares(scores.p, groups, n // per_sample, model.prevalence)

    def score_and_average() -> None:
        _old_estimator(score_profiles(profiles, n, model).p, per_sample)

    corrected, _ = median_time(score_and_correct, repeat)
    averaged, _ = median_time(score_and_average, repeat)

    creators = 50 if quick else 1000
    per = 200
    sample = _profiles(creators * per, seed=1)
    chunks = [
        {k: v[i * per : (i + 1) * per] for k, v in sample.items()}  # type: ignore[index]
        for i in range(creators)
    ]
    audit_time, _ = median_time(lambda: [audit_sample(c, model=model) for c in chunks], repeat)
    label = f"{n:,}"
    return [
        Result(
            SUITE,
            f"score {label} followers (usernames -> p(fake))",
            ours,
            "s",
            baseline=sk_time,
            baseline_name="sklearn predict_proba on the ready feature matrix",
            target="< 10 s for 1,000,000",
            ok=ours < 10 * n / 1_000_000,
        ),
        Result(
            SUITE,
            f"score {label} followers vs a per-row Python loop",
            ours,
            "s",
            baseline=loop_scaled,
            baseline_name=f"per-row Python loop (timed on {loop_rows:,} rows, scaled)",
        ),
        Result(
            SUITE,
            f"score and correct {label} followers ({n // per_sample:,} samples of {per_sample}, "
            "share + 90 % interval)",
            corrected,
            "s",
            baseline=averaged,
            baseline_name="scoring + v1 estimator per sample (mean p(fake), Beta interval)",
            target="< 10 s for 1,000,000",
            ok=corrected < 10 * n / 1_000_000,
        ),
        Result(
            SUITE,
            f"audit {creators:,} samples of {per} followers (with intervals)",
            audit_time,
            "s",
        ),
    ]
