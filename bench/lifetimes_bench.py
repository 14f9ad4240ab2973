"""lifetimes 0.11.3 on the btyd suite's orders: the comparison column of `npm run bench`.

    bench/.venv/bin/python bench/lifetimes_bench.py bench/.data/btyd-1M --as-of 2024-12-31 [--months 12] [--discount 0.01]

Run by bench/lifetimes.mjs (which writes the data directory and the venv). Reads the orders
(customer.npy uint32, day.npy int32 epoch days, amount.npy float64; meta.json checksums) into a
pandas DataFrame (untimed), then times the steps crmscore's pipeline does, each the way a
lifetimes user writes it:

  summary     summary_data_from_transaction_data(freq="D", freq_multiplier=7): purchase days,
              recency and T in weeks (crmscore `summarizeColumnar` with unit "week")
  bgnbd       BetaGeoFitter(penalizer_coef=0).fit(frequency, recency, T) (every customer; scipy
              BFGS with autograd gradients, then the Hessian for standard errors, as lifetimes does)
  gammagamma  GammaGammaFitter(penalizer_coef=0).fit on the rows with frequency > 0 (the filter
              included: crmscore's fitGammaGamma does it inside)
  clv         GammaGammaFitter.customer_lifetime_value(bgf, …, time=12, discount_rate=0.01,
              freq="W") for every customer. lifetimes steps months of 4.345 weeks (its factor
              for freq "W"; 30.415 days), crmscore steps 30.436875 / 7 = 4.348 weeks: Σ CLV
              differs by that, not by the models.

Each step: 1 untimed warm-up call, then 5 timed calls (3 when the warm-up call took ≥ 5 s),
gc.collect() before each; median, min, max in ms. Like the harness: peak RSS Δ (VmHWM after
resetting it, minus VmRSS before the warm-up) and the other processes' average CPU use during
the timed calls (/proc). Prints one JSON line on stdout; progress on stderr.
"""

import argparse
import gc
import json
import os
import platform
import statistics
import sys
import time
import warnings
from importlib.metadata import version

import numpy as np
import pandas as pd

import lifetimes
import lifetimes.fitters as lifetimes_fitters
from lifetimes import BetaGeoFitter, GammaGammaFitter
from lifetimes.utils import summary_data_from_transaction_data


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- /proc readings (Linux; None elsewhere)

def _read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def proc_ticks():
    s = _read("/proc/self/stat")
    if s is None:
        return None
    f = s[s.rindex(")") + 2:].split()
    return int(f[11]) + int(f[12])


def machine_ticks():
    s = _read("/proc/stat")
    if s is None:
        return None
    f = [int(x) for x in s.split("\n")[0].split()[1:]]
    return f[0] + f[1] + f[2] + f[5] + f[6] + f[7]


def mem_status():
    s = _read("/proc/self/status")
    if s is None:
        return None
    out = {}
    for line in s.split("\n"):
        if line.startswith("VmRSS:") or line.startswith("VmHWM:"):
            out[line[:5]] = int(line.split()[1]) * 1024
    return out


def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


# ---------------------------------------------------------------- timing

SLOW_S = 5.0
warnings_seen = {}


def timed(name, fn, min_runs):
    gc.collect()
    can_peak = reset_peak()
    m0 = mem_status()
    t0 = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fn()
    warm = time.perf_counter() - t0
    for w in caught:
        warnings_seen.setdefault(f"{w.category.__name__}: {str(w.message).splitlines()[0][:200]}", name)
    runs = min_runs if warm < SLOW_S else 3
    log(f"{name}: warm-up {warm:.2f} s; {runs} timed runs …")
    times = []
    mt0, pt0, w0 = machine_ticks(), proc_ticks(), time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(runs):
            result = None
            gc.collect()
            t = time.perf_counter()
            result = fn()
            times.append((time.perf_counter() - t) * 1000)
    wall_ticks = (time.perf_counter() - w0) * 100
    mt1, pt1 = machine_ticks(), proc_ticks()
    other = None
    if None not in (mt0, pt0, mt1, pt1) and wall_ticks > 0:
        other = max(0.0, (mt1 - mt0 - (pt1 - pt0)) / wall_ticks)
    m1 = mem_status()
    peak = m1["VmHWM"] - m0["VmRSS"] if can_peak and m0 and m1 else None
    log(f"{name}: median {statistics.median(times):.0f} ms ({min(times):.0f}–{max(times):.0f})")
    return result, {
        "times": times,
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "warmupCalls": 1,
        "warmupMs": warm * 1000,
        "peakRssDelta": peak,
        "otherCores": other,
    }


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--as-of", required=True)
    ap.add_argument("--months", type=int, default=12)
    ap.add_argument("--discount", type=float, default=0.01)
    ap.add_argument("--min-runs", type=int, default=5)
    a = ap.parse_args()

    with open(os.path.join(a.data, "meta.json")) as f:
        meta = json.load(f)
    t = time.perf_counter()
    customer = np.load(os.path.join(a.data, "customer.npy"))
    day = np.load(os.path.join(a.data, "day.npy"))
    amount = np.load(os.path.join(a.data, "amount.npy"))
    checks = {
        "sumCustomer": int(customer.astype(np.int64).sum()),
        "sumDay": int(day.astype(np.int64).sum()),
        "sumCents": int(np.rint(amount * 100).astype(np.int64).sum()),
    }
    if len(customer) != meta["orders"] or checks != meta["checks"]:
        raise SystemExit(f"{a.data}: the columns do not match meta.json ({len(customer)} orders, {checks} vs {meta['checks']})")
    df = pd.DataFrame({"customer_id": customer, "date": pd.to_datetime(day.astype(np.int64), unit="D"), "amount": amount})
    load_ms = (time.perf_counter() - t) * 1000
    log(f"{meta['orders']:,} orders of {meta['customers']:,} customers read in {load_ms / 1000:.1f} s")

    steps = {}
    summary, steps["summary"] = timed(
        "summary",
        lambda: summary_data_from_transaction_data(
            df, "customer_id", "date", monetary_value_col="amount", observation_period_end=a.as_of, freq="D", freq_multiplier=7
        ),
        a.min_runs,
    )

    # lifetimes keeps scipy's result to itself: note its iteration count on the way.
    opt = {}
    minimize = lifetimes_fitters.minimize

    def recording_minimize(*args, **kwargs):
        out = minimize(*args, **kwargs)
        opt.update(nit=int(out.nit), nfev=int(out.nfev), success=bool(out.success), message=str(out.message))
        return out

    lifetimes_fitters.minimize = recording_minimize

    def fit_bgnbd():
        return BetaGeoFitter(penalizer_coef=0.0).fit(summary["frequency"], summary["recency"], summary["T"])

    bgf, steps["bgnbd"] = timed("bgnbd", fit_bgnbd, a.min_runs)
    bg_opt = dict(opt)

    def fit_gg():
        repeat = summary[summary["frequency"] > 0]
        return GammaGammaFitter(penalizer_coef=0.0).fit(repeat["frequency"], repeat["monetary_value"])

    ggf, steps["gammagamma"] = timed("gammagamma", fit_gg, a.min_runs)
    gg_opt = dict(opt)

    def clv():
        return ggf.customer_lifetime_value(
            bgf, summary["frequency"], summary["recency"], summary["T"], summary["monetary_value"],
            time=a.months, discount_rate=a.discount, freq="W",
        )

    clv_values, steps["clv"] = timed("clv", clv, a.min_runs)

    repeat = summary[summary["frequency"] > 0]
    out = {
        "versions": {
            "python": platform.python_version(),
            "lifetimes": getattr(lifetimes, "__version__", version("Lifetimes")),
            "numpy": np.__version__,
            "pandas": pd.__version__,
            "scipy": version("scipy"),
            "autograd": version("autograd"),
        },
        "data": {"orders": int(meta["orders"]), "customers": int(meta["customers"]), "checks": checks},
        "loadMs": load_ms,
        "steps": steps,
        "summary": {
            "rows": int(len(summary)),
            "repeatBuyers": int(len(repeat)),
            "sumFrequency": float(summary["frequency"].sum()),
            "sumRecency": float(summary["recency"].sum()),
            "sumT": float(summary["T"].sum()),
            "sumMonetaryValue": float(summary["monetary_value"].sum()),
        },
        "bgnbd": {
            "params": {k: float(bgf.params_[k]) for k in ["r", "alpha", "a", "b"]},
            "standardErrors": {k: float(bgf.standard_errors_[k]) for k in ["r", "alpha", "a", "b"]},
            "iterations": bg_opt.get("nit"),
            "functionEvaluations": bg_opt.get("nfev"),
            "converged": bg_opt.get("success"),
        },
        "gammaGamma": {
            "params": {k: float(ggf.params_[k]) for k in ["p", "q", "v"]},
            "iterations": gg_opt.get("nit"),
            "converged": gg_opt.get("success"),
            "customers": int(len(repeat)),
        },
        "clv": {"sum": float(clv_values.sum()), "months": a.months, "monthWeeks": 4.345, "discountRate": a.discount},
        "warnings": [f"{k} (in {v})" for k, v in warnings_seen.items()],
    }
    # lifetimes calls Gamma-Gamma's scale parameter v; crmscore (and the suite) call it gamma.
    out["gammaGamma"]["params"]["gamma"] = out["gammaGamma"]["params"].pop("v")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
