"""BG/NBD and Gamma-Gamma fitted as the lifetimes package (0.11) fits them: Nelder-Mead on the mean negative
log-likelihood over log-parameters, tol 1e-7, from all ones (lifetimes' BetaGeoFitter and GammaGammaFitter, without
a penalizer). numpy and scipy only, so it runs where lifetimes is not installed. clv.bench.ts runs it on the same
summaries and prints it as the reference.

    python3 bench/clv-reference.py SUMMARIES.json   # [[x, t_x, T, mean repeat spend], ...] -> JSON on stdout
"""
import json
import sys
import time

import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln

rows = np.array(json.load(open(sys.argv[1])), dtype=float)
x, tx, T, m = rows[:, 0], rows[:, 1], rows[:, 2], rows[:, 3]


def bgnbd_nll(lp):
    r, alpha, a, b = np.exp(lp)
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + T)
    with np.errstate(divide="ignore", invalid="ignore"):
        a4 = np.where(x > 0, np.log(a) - np.log(b + x - 1) - (r + x) * np.log(alpha + tx), -np.inf)
    return -(a1 + a2 + np.logaddexp(a3, a4)).mean()


rep = (x > 0) & (m > 0)
gx, gm = x[rep], m[rep]


def gg_nll(lp):
    p, q, v = np.exp(lp)
    ll = (gammaln(p * gx + q) - gammaln(p * gx) - gammaln(q) + q * np.log(v) + (p * gx - 1) * np.log(gm)
          + p * gx * np.log(gx) - (p * gx + q) * np.log(v + gx * gm))
    return -ll.mean()


out = {}
t0 = time.perf_counter()
r = minimize(bgnbd_nll, np.zeros(4), method="Nelder-Mead", tol=1e-7, options={"maxiter": 2000})
out["bgnbd"] = {"seconds": time.perf_counter() - t0, "logLik": -r.fun * len(x), "params": np.exp(r.x).tolist()}
t0 = time.perf_counter()
r = minimize(gg_nll, np.zeros(3), method="Nelder-Mead", tol=1e-7, options={"maxiter": 2000})
out["gammaGamma"] = {"seconds": time.perf_counter() - t0, "logLik": -r.fun * len(gx), "params": np.exp(r.x).tolist()}
print(json.dumps(out))
