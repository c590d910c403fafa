"""Places among occupations or areas when some values are top-coded: a definite place where the published
values decide it, a range where BLS's top code leaves it open.

In: values (the bound where top-coded) and their top-code flags. Out: each value's best and worst possible
place, 1 being the largest. A top-coded value is only known to be at or above its bound: it may be the
largest of all (best place 1), or no larger than the bound (worst place after every exact value above the
bound and every other top-coded value). An exact value is certainly below a top-coded one whose bound
exceeds it, and possibly below any other top-coded one. Ties between exact values share the best place
(as ``rank(method="min")``). Missing values get no place.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def rank_bounds(values: pd.Series, top_coded: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(best, worst) places of each of ``values`` among the others (Int64, NA where the value is missing)."""
    v = values.astype("float64").to_numpy()
    top = top_coded.fillna(False).astype(bool).to_numpy() & ~np.isnan(v)
    known = ~np.isnan(v)
    exact = np.sort(v[known & ~top])
    bounds = np.sort(v[top])
    n_top = len(bounds)
    # Exact values strictly above x: len(exact) - searchsorted(exact, x, "right").
    exact_above = len(exact) - np.searchsorted(exact, v, side="right")
    bounds_above = n_top - np.searchsorted(bounds, v, side="right")  # top-coded ones certainly above
    best = np.where(top, 1, 1 + exact_above + bounds_above)
    worst = np.where(top, 1 + exact_above + (n_top - 1), 1 + exact_above + n_top)
    index = values.index
    best_s = pd.Series(best, index=index).where(known).astype("Int64")
    worst_s = pd.Series(worst, index=index).where(known).astype("Int64")
    return best_s, worst_s
