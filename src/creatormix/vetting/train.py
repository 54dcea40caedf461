"""Train the shipped fake-follower model on the SRF Data sample; the same data gives the same file.

    python -m creatormix.vetting.train ../shared/data/srf-fake-followers/labelled_followers.csv \
        --out src/creatormix/vetting/fake_followers.json

writes the model to ``--out`` (required: the shipped file is replaced only when named) and says
where and whether the result is byte-identical to the shipped model. Everything is seeded and the
numbers are rounded to 6 significant digits, so a rerun reproduces the shipped file byte for byte
(a test checks it). Needs scikit-learn (the ``vetting`` extra); scoring does not.

Method: features of ``vetting.features``, standardised; L2-penalised logistic regression whose
strength ``C`` is chosen by cross-validated log loss on SRF alone; the standardisation is folded
into raw-scale coefficients; a Platt calibration (slope and intercept on the log-odds) is fitted on
out-of-fold scores so probabilities match the SRF base rate (about 10 % fake). For the fake share's
interval (``vetting.prevalence``), ``REPLICATES`` bootstrap replicates of that calibration: each
draws a new 10-fold split, scores every follower out of fold, resamples the followers with
replacement and refits slope, intercept and base rate.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from creatormix.vetting.features import FEATURES, RAW_FIELDS, feature_matrix
from creatormix.vetting.prevalence import METHOD

if TYPE_CHECKING:
    import numpy as np

SEED = 20170  # SRF Data published its fake-follower study in 2017
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
FOLDS = 10
QUANTILES = 20  # imputation reference points per feature: the (k + 0.5) / 20 quantiles
DIGITS = 6
REPLICATES = 20  # bootstrap replicates of the calibration, for the fake share's interval
VERSION = 2
SHIPPED = Path(__file__).with_name("fake_followers.json")
SOURCE = {
    "name": "SRF Data, labelled followers of Swiss Instagram influencers (2017)",
    "licence": "CC BY-SA 4.0",
    "credit": "SRF Data",
}


def read_srf(path: Path, features: Sequence[str] = FEATURES) -> tuple[np.ndarray, np.ndarray]:
    """Feature matrix and labels (1 = fake) from the SRF CSV."""
    import numpy as np

    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    if not rows or "is_fake" not in rows[0]:
        raise ValueError(f"{path}: expected the SRF columns is_fake, {', '.join(RAW_FIELDS)}")
    raw = {f: np.array([float(r[f]) for r in rows]) for f in RAW_FIELDS}
    y = np.array([int(r["is_fake"]) for r in rows])
    return feature_matrix(raw, len(rows), features), y


def _standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    import numpy as np

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    return mean, np.where(scale > 0, scale, 1.0)


def _fit_lr(x: np.ndarray, y: np.ndarray, c: float) -> tuple[float, np.ndarray]:
    """Raw-scale (intercept, coefficients) of an L2 logistic regression on standardised x."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = _standardise(x)
    lr = LogisticRegression(C=c, solver="newton-cholesky", tol=1e-12, max_iter=200)
    lr.fit((x - mean) / scale, y)
    w = lr.coef_[0] / scale
    b = float(lr.intercept_[0] - (w * mean).sum())
    return b, w


def _folds(y: np.ndarray, seed: int, k: int = FOLDS) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import StratifiedKFold

    splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    return list(splitter.split(y.reshape(-1, 1), y))


def oof_logits(x: np.ndarray, y: np.ndarray, c: float, seed: int) -> np.ndarray:
    """Uncalibrated out-of-fold log-odds."""
    import numpy as np

    out = np.empty(len(y))
    for train, test in _folds(y, seed):
        b, w = _fit_lr(x[train], y[train], c)
        out[test] = x[test] @ w + b
    return out


def platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(slope, intercept) of an unpenalised logistic fit of y on the log-odds z."""
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=1e6, solver="newton-cholesky", tol=1e-12, max_iter=200)
    lr.fit(z.reshape(-1, 1), y)
    return float(lr.coef_[0][0]), float(lr.intercept_[0])


def log_loss(p: np.ndarray, y: np.ndarray) -> float:
    import numpy as np

    p = np.clip(p, 1e-12, 1 - 1e-12)
    return float(-(y * np.log(p) + (1 - y) * np.log(1 - p)).mean())


def choose_c(x: np.ndarray, y: np.ndarray, seed: int) -> tuple[float, dict[float, float]]:
    """The penalty with the lowest cross-validated log loss (SRF only; no other data looks)."""
    import numpy as np

    losses = {c: log_loss(1 / (1 + np.exp(-oof_logits(x, y, c, seed))), y) for c in C_GRID}
    return min(losses, key=lambda c: (losses[c], c)), losses


def calibration_replicates(
    x: np.ndarray, y: np.ndarray, c: float, seed: int, k: int = REPLICATES
) -> dict[str, list[float]]:
    """Bootstrap replicates of (Platt slope, intercept, base rate): see the module docstring."""
    import numpy as np

    rng = np.random.default_rng(seed)
    out: dict[str, list[float]] = {"slope": [], "intercept": [], "base_rate": []}
    for r in range(k):
        z = oof_logits(x, y, c, seed + 1 + r)
        rows = rng.integers(0, len(y), len(y))
        slope, intercept = platt(z[rows], y[rows])
        out["slope"].append(_r(slope))
        out["intercept"].append(_r(intercept))
        out["base_rate"].append(_r(y[rows].mean()))
    return out


def fit_model(
    x: np.ndarray,
    y: np.ndarray,
    *,
    seed: int = SEED,
    features: Sequence[str] = FEATURES,
    version: int = VERSION,
    replicates: int = REPLICATES,
) -> dict[str, Any]:
    """The model as a JSON-ready dict (see ``vetting.model.FakeFollowerModel.from_json``);
    ``x`` holds the columns of ``features``; ``replicates=0`` skips the interval's calibration
    replicates (cross-validation needs only the probabilities)."""
    import numpy as np

    features = list(features)
    c, losses = choose_c(x, y, seed)
    b, w = _fit_lr(x, y, c)
    slope, intercept = platt(oof_logits(x, y, c, seed), y)
    probs = (np.arange(QUANTILES) + 0.5) / QUANTILES
    return {
        "name": "fake-followers",
        "version": version,
        "kind": "calibrated logistic regression",
        "formula": "p = 1 / (1 + exp(-(slope * (intercept + sum(coefficients * features)) + calibration.intercept)))",
        "features": features,
        "intercept": _r(b),
        "coefficients": {f: _r(v) for f, v in zip(features, w, strict=True)},
        "calibration": {
            "method": "platt, out-of-fold",
            "slope": _r(slope),
            "intercept": _r(intercept),
        },
        "prevalence": {
            "method": METHOD,
            "replicates_method": "bootstrap of the Platt calibration over out-of-fold log-odds, "
            "a new fold split per replicate",
            "replicates": calibration_replicates(x, y, c, seed + 1000, replicates),
        },
        "means": {f: _r(v) for f, v in zip(features, x.mean(axis=0), strict=True)},
        "reference": {
            f: [_r(q) for q in np.quantile(x[:, j], probs)] for j, f in enumerate(features)
        },
        "training": {
            "source": SOURCE,
            "rows": len(y),
            "fake": int(y.sum()),
            "base_rate": _r(y.mean()),
            "penalty_C": c,
            "penalty_grid_logloss": {str(k): _r(v) for k, v in losses.items()},
            "folds": FOLDS,
            "seed": seed,
        },
    }


def _r(value: float) -> float:
    return float(f"{float(value):.{DIGITS}g}")


def dumps(model: dict[str, Any]) -> str:
    return json.dumps(model, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m creatormix.vetting.train", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("srf_csv", type=Path, help="labelled_followers.csv of the SRF Data sample")
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        help=f"model file to write; name {SHIPPED} to replace the shipped model",
    )
    args = parser.parse_args(argv)
    x, y = read_srf(args.srf_csv)
    text = dumps(fit_model(x, y))
    out = args.out.resolve()
    tmp = out.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)
    if out == SHIPPED.resolve():
        note = "this replaced the shipped model"
    elif SHIPPED.exists() and SHIPPED.read_text("utf-8") == text:
        note = f"byte-identical to the shipped model {SHIPPED}"
    else:
        note = f"differs from the shipped model {SHIPPED}"
    sys.stdout.write(
        f"wrote {out} ({len(text):,} bytes) from {len(y)} followers ({int(y.sum())} fake); {note}\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
