"""The fake-follower model: a calibrated logistic regression stored as JSON, scored with numpy.

``p(fake) = sigmoid(a * (b0 + sum_j w_j * x_j) + c)`` where ``x`` are the features the file
names (``vetting.features``), ``w``/``b0`` the regression fitted on the SRF Data sample and
``a``/``c`` a Platt calibration fitted on cross-validated scores; the file also keeps bootstrap
replicates of that calibration for the fake share's interval (``vetting.prevalence``,
docs/model-card-fake-followers.md).

Missing features are imputed, never guessed once: each of ``draws`` imputations fills a missing
cell with a donor value, from the same batch's observed values of that feature when it has at
least ``MIN_DONORS`` of them (the creator's other followers), else from the training quantiles the
model file keeps. Each follower's probability is the mean over the draws, and the draws are kept so
the share estimate can widen its interval (``vetting.audience``). The model file is JSON, read with
``json.loads``: nothing in it is executed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from creatormix.vetting.features import KNOWN_FEATURES, feature_matrix
from creatormix.vetting.prevalence import Calibration

if TYPE_CHECKING:
    import numpy as np

MODEL_FILE = "fake_followers.json"
MIN_DONORS = 30
DEFAULT_DRAWS = 16


@dataclass(frozen=True)
class FakeFollowerModel:
    """Coefficients on the raw feature scale, a Platt calibration and imputation quantiles."""

    features: tuple[str, ...]  # names, in the order of the coefficients
    intercept: float
    coefficients: tuple[float, ...]
    calibration_slope: float
    calibration_intercept: float
    reference: tuple[tuple[float, ...], ...]  # per feature: training quantiles, for imputation
    means: tuple[float, ...]  # per feature: training mean, for per-follower reasons
    prevalence: Calibration  # for the fake share of a sample (vetting.prevalence)
    meta: Mapping[str, Any]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FakeFollowerModel:
        features = tuple(str(f) for f in data["features"])
        unknown = [f for f in features if f not in KNOWN_FEATURES]
        if unknown:
            raise ValueError(
                f"model features {', '.join(unknown)} are unknown to this version "
                f"(it knows {', '.join(KNOWN_FEATURES)})"
            )
        coef = data["coefficients"]
        return cls(
            features=features,
            intercept=float(data["intercept"]),
            coefficients=tuple(float(coef[f]) for f in features),
            calibration_slope=float(data["calibration"]["slope"]),
            calibration_intercept=float(data["calibration"]["intercept"]),
            reference=tuple(tuple(float(x) for x in data["reference"][f]) for f in features),
            means=tuple(float(data["means"][f]) for f in features),
            prevalence=Calibration.from_json(data),
            meta={
                k: v
                for k, v in data.items()
                if k not in {"coefficients", "reference", "prevalence"}
            },
        )

    @property
    def name(self) -> str:
        return str(self.meta.get("name", "fake-followers"))

    @property
    def version(self) -> str:
        return str(self.meta.get("version", "?"))

    def logits(self, x: np.ndarray) -> np.ndarray:
        """Calibrated log-odds for a complete (no NaN) feature matrix."""
        import numpy as np

        raw = x @ np.asarray(self.coefficients) + self.intercept
        return np.asarray(self.calibration_slope * raw + self.calibration_intercept)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Calibrated p(fake) for a complete feature matrix."""
        return _sigmoid(self.logits(x))

    def score(self, x: np.ndarray, *, draws: int = DEFAULT_DRAWS, seed: int = 0) -> FollowerScores:
        """p(fake) per row of a feature matrix that may hold NaN, with the imputation draws."""
        import numpy as np

        x = np.asarray(x, dtype=float)
        missing = np.isnan(x)
        rows = np.flatnonzero(missing.any(axis=1))
        if rows.size == 0:
            return FollowerScores(self.predict(x), None, rows, missing)
        complete = ~missing.any(axis=1)
        p = np.empty(x.shape[0])
        if complete.any():
            p[complete] = self.predict(x[complete])
        rng = np.random.default_rng(seed)
        sub = x[rows]
        sub_missing = missing[rows]
        pools = [self._donors(x[:, j], j) for j in range(x.shape[1])]
        out = np.empty((draws, rows.size))
        for m in range(draws):
            filled = sub.copy()
            for j in np.flatnonzero(sub_missing.any(axis=0)):
                holes = sub_missing[:, j]
                pool = pools[j]
                filled[holes, j] = pool[rng.integers(0, pool.size, int(holes.sum()))]
            out[m] = self.predict(filled)
        p[rows] = out.mean(axis=0)
        return FollowerScores(p, out, rows, missing)

    def _donors(self, column: np.ndarray, j: int) -> np.ndarray:
        import numpy as np

        observed: np.ndarray = column[~np.isnan(column)]
        if observed.size >= MIN_DONORS:
            return observed
        return np.asarray(self.reference[j])

    def information(self, missing: np.ndarray) -> np.ndarray:
        """Per row, the share of the model's log-odds variance carried by its observed features.

        Each feature's share is coef^2 x variance of its training quantiles, normalised to sum to 1
        (covariances ignored). A follower with every field counts as one observation in the fake
        share's interval; one without a username counts as less (``vetting.audience``).
        """
        import numpy as np

        ref = np.asarray(self.reference)
        share = np.asarray(self.coefficients) ** 2 * ref.var(axis=1)
        share = share / share.sum()
        return np.asarray(1.0 - (missing * share).sum(axis=1))

    def contributions(self, x: np.ndarray) -> np.ndarray:
        """Per feature, how far each row's value moves the log-odds from the training average."""
        import numpy as np

        centred = np.nan_to_num(x - np.asarray(self.means), nan=0.0)
        return np.asarray(centred * np.asarray(self.coefficients) * self.calibration_slope)


@dataclass(frozen=True)
class FollowerScores:
    """``p`` per follower; ``draws`` (draws x rows-with-missing) when something was imputed."""

    p: np.ndarray
    draws: np.ndarray | None
    imputed_rows: np.ndarray
    missing: np.ndarray  # (n, features) bool

    @property
    def n(self) -> int:
        return int(self.p.shape[0])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    import numpy as np

    return np.asarray(1.0 / (1.0 + np.exp(-z)))


@cache
def load_default() -> FakeFollowerModel:
    """The model shipped inside the package (no network, no pickle)."""
    text = resources.files("creatormix.vetting").joinpath(MODEL_FILE).read_text("utf-8")
    return FakeFollowerModel.from_json(json.loads(text))


def score_profiles(
    raw: Mapping[str, Any], n: int, model: FakeFollowerModel | None = None, **kwargs: Any
) -> FollowerScores:
    """Score follower profiles given as columns (``features.RAW_FIELDS`` and/or ``username``)."""
    import numpy as np

    from creatormix.vetting.features import username_counts

    columns: dict[str, np.ndarray] = {
        k: np.asarray(v, dtype=float) for k, v in raw.items() if k != "username" and v is not None
    }
    names = raw.get("username")
    if names is not None:
        for key, values in username_counts(list(names)).items():
            columns[key] = np.where(np.isnan(values), columns.get(key, values), values)
    model = model or load_default()
    return model.score(feature_matrix(columns, n, model.features), **kwargs)
