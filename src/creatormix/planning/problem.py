"""The optimisation problem every optimiser solves: options, linear constraint rows, choice sets.

An *option* is one way to work with one creator (a creator x deal type). A plan picks at most one
option per creator (exactly one for must-include creators). Every other rule of the brief is a
linear row over the options, ``lo <= A x <= hi``, with a name a marketer can read ("micro share >=
30 %") and a group key the conflict finder uses. Options are sorted by creator so per-creator
reductions are ``reduceat`` calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import scipy.sparse as sp

_TOL = 1e-7


@dataclass(frozen=True)
class Rows:
    """``lo <= A x <= hi`` over the options; ``names`` say it in words, ``groups`` identify the rule."""

    A: sp.csr_matrix
    lo: np.ndarray
    hi: np.ndarray
    names: tuple[str, ...]
    groups: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.names)

    def select(self, keep: np.ndarray) -> Rows:
        """The rows where ``keep`` is True."""
        idx = np.flatnonzero(keep)
        return Rows(
            A=self.A[idx],
            lo=self.lo[idx],
            hi=self.hi[idx],
            names=tuple(self.names[i] for i in idx),
            groups=tuple(self.groups[i] for i in idx),
        )

    def columns(self, keep: np.ndarray) -> Rows:
        """The same rows over a subset of the options."""
        return Rows(self.A[:, keep], self.lo, self.hi, self.names, self.groups)

    def as_upper(self) -> tuple[sp.csr_matrix, np.ndarray, tuple[int, ...]]:
        """Every finite side as ``G x <= h`` (a ``>=`` row is negated); ``origin`` maps back to rows."""
        import scipy.sparse as sp

        parts = []
        rhs: list[np.ndarray] = []
        origin: list[np.ndarray] = []
        up = np.isfinite(self.hi)
        low = np.isfinite(self.lo)
        if up.any():
            parts.append(self.A[np.flatnonzero(up)])
            rhs.append(self.hi[up])
            origin.append(np.flatnonzero(up))
        if low.any():
            parts.append(-self.A[np.flatnonzero(low)])
            rhs.append(-self.lo[low])
            origin.append(np.flatnonzero(low))
        if not parts:
            return sp.csr_matrix((0, self.A.shape[1])), np.zeros(0), ()
        G = sp.vstack(parts).tocsr()
        return G, np.concatenate(rhs), tuple(int(i) for i in np.concatenate(origin))

    def violations(self, x: np.ndarray, tol: float = _TOL) -> list[int]:
        """Indices of the rows ``x`` breaks (relative tolerance on the row's scale)."""
        ax = self.A @ x.astype(float)
        scale = np.maximum(1.0, np.abs(self.A).max(axis=1).toarray().ravel())
        bad = (ax > self.hi + tol * scale) | (ax < self.lo - tol * scale)
        return [int(i) for i in np.flatnonzero(bad)]


@dataclass(frozen=True)
class Problem:
    """Options (creator x deal), their committed cost and value, the rows, and who must be in."""

    n_creators: int
    creator: np.ndarray  # (m,) creator index of each option, non-decreasing
    cost: np.ndarray  # (m,) committed cost: what the budget reserves for the option
    value: np.ndarray  # (m,) objective contribution for additive goals
    rows: Rows
    must: np.ndarray  # (n_creators,) True where the creator has to be in the plan
    starts: np.ndarray = field(init=False)  # (n_creators + 1,) option range of each creator

    def __post_init__(self) -> None:
        counts = np.bincount(self.creator, minlength=self.n_creators)
        starts = np.concatenate([[0], np.cumsum(counts)])
        object.__setattr__(self, "starts", starts)

    @property
    def m(self) -> int:
        return int(self.creator.shape[0])

    def with_value(self, value: np.ndarray) -> Problem:
        return Problem(self.n_creators, self.creator, self.cost, value, self.rows, self.must)

    def with_rows(self, rows: Rows) -> Problem:
        return Problem(self.n_creators, self.creator, self.cost, self.value, rows, self.must)

    def restrict(self, keep_options: np.ndarray) -> tuple[Problem, np.ndarray]:
        """The problem on a subset of options (creators renumbered); returns it and the option map."""
        idx = np.flatnonzero(keep_options)
        creators = self.creator[idx]
        uniq, new_creator = np.unique(creators, return_inverse=True)
        sub = Problem(
            n_creators=len(uniq),
            creator=new_creator.astype(np.int64),
            cost=self.cost[idx],
            value=self.value[idx],
            rows=self.rows.columns(idx),
            must=self.must[uniq],
        )
        return sub, idx

    def choice_violations(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Creators with two options picked, and must-include creators with none."""
        per = np.bincount(self.creator[x], minlength=self.n_creators)
        return np.flatnonzero(per > 1), np.flatnonzero(self.must & (per == 0))

    def is_feasible(self, x: np.ndarray) -> bool:
        double, missing = self.choice_violations(x)
        return not len(double) and not len(missing) and not self.rows.violations(x)

    def objective(self, x: np.ndarray) -> float:
        return float(self.value[x].sum())


def per_creator_max(values: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Max of ``values`` over each creator's options and the index of the option attaining it.

    Creators without options get -inf and index -1.
    """
    n = len(starts) - 1
    best = np.full(n, -np.inf)
    arg = np.full(n, -1, dtype=np.int64)
    has = starts[1:] > starts[:-1]
    if not has.any():
        return best, arg
    counts = starts[1:] - starts[:-1]
    if (counts[has] == 1).all():
        idx = starts[:-1][has]
        best[has] = values[idx]
        arg[has] = idx
        return best, arg
    best_has = np.maximum.reduceat(values, starts[:-1][has])
    best[has] = best_has
    owner = np.repeat(np.arange(n), counts)
    hit = values >= best[owner]
    # the first option attaining the max, per creator
    pos = np.flatnonzero(hit)
    first = np.full(n, -1, dtype=np.int64)
    first[owner[pos][::-1]] = pos[::-1]
    arg[has] = first[has]
    return best, arg
