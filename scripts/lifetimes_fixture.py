#!/usr/bin/env python3
"""Generate the Python-lifetimes fixtures of tests/btyd_native.rs (CI does not run this).

Environment that produced the committed fixtures (Python 3.11.7):
    python3 -m venv /tmp/venv-lt
    /tmp/venv-lt/bin/pip install lifetimes==0.11.3
which resolved to: Lifetimes==0.11.3 numpy==2.4.6 pandas==3.1.1 scipy==1.17.1
autograd==1.9.1 dill==0.4.1 python-dateutil==4.0.0 tzdata==2026.6
(no older pins were needed: everything used here works with these versions).

Run:  /tmp/venv-lt/bin/python scripts/lifetimes_fixture.py
Writes, under tests/fixtures/:
  btyd_transactions.csv            customer,date,amount (deterministic, seeded)
  lifetimes_summary_day.csv        summary_data_from_transaction_data, freq="D"
  lifetimes_summary_week.csv       the same with freq_multiplier=7
  lifetimes_holdout_day.csv        calibration_and_holdout_data, freq="D"
  lifetimes_holdout_week.csv       the same with freq_multiplier=7
  lifetimes_predictions.csv        BG/NBD, MBG/NBD, Pareto/NBD predictions at fixed parameters
  lifetimes_clv.csv                customer_lifetime_value (BG/NBD + Gamma-Gamma) of 60 CDNOW rows
"""
import os
import sys

import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter, ModifiedBetaGeoFitter, ParetoNBDFitter
from lifetimes.utils import calibration_and_holdout_data, summary_data_from_transaction_data

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "fixtures")
OBS_END = "2024-12-31"
CAL_END = "2024-06-30"


def transactions():
    """~2,000 orders of 400 customers over 2023-2024: one-order customers, same-day
    orders (amounts then add up), orders on the calibration end day, unsorted rows."""
    rng = np.random.default_rng(20240601)
    start = pd.Timestamp("2023-01-01")
    span = (pd.Timestamp(OBS_END) - start).days + 1
    rows = []
    for c in range(400):
        first = int(rng.integers(0, span))
        kind = rng.random()
        if kind < 0.25:
            days = [first]  # one order only
        else:
            gap = float(rng.gamma(1.5, 40.0))
            n = int(rng.integers(2, 12))
            days = [first]
            for _ in range(n - 1):
                days.append(days[-1] + int(rng.exponential(gap)))
            days = [d for d in days if d < span]
        for d in days:
            k = 2 if rng.random() < 0.12 else 1  # same-day orders
            for _ in range(k):
                amount = round(float(rng.gamma(2.0, 25.0)), 2)
                rows.append((c, (start + pd.Timedelta(days=d)).strftime("%Y-%m-%d"), amount))
    # A few orders exactly on the calibration end and the observation end.
    rows.append((7, CAL_END, 12.5))
    rows.append((8, OBS_END, 30.0))
    # Customer 399 only buys in the holdout period.
    rows = [r for r in rows if r[0] != 399]
    rows.append((399, "2024-09-01", 20.0))
    rows.append((399, "2024-10-01", 22.0))
    order = rng.permutation(len(rows))  # unsorted input
    return pd.DataFrame([rows[i] for i in order], columns=["customer", "date", "amount"])


def write(df, name, index_label="customer"):
    path = os.path.join(OUT, name)
    df.to_csv(path, float_format="%.17g", index_label=index_label)
    print("wrote", path, len(df))


def main():
    os.makedirs(OUT, exist_ok=True)
    tx = transactions()
    tx.to_csv(os.path.join(OUT, "btyd_transactions.csv"), index=False)
    print("wrote btyd_transactions.csv", len(tx))
    t = tx.copy()
    t["date"] = pd.to_datetime(t["date"])
    for unit, mult in (("day", 1), ("week", 7)):
        s = summary_data_from_transaction_data(
            t, "customer", "date", monetary_value_col="amount", observation_period_end=OBS_END, freq="D", freq_multiplier=mult
        ).sort_index()
        write(s, f"lifetimes_summary_{unit}.csv")
        h = calibration_and_holdout_data(
            t,
            "customer",
            "date",
            calibration_period_end=CAL_END,
            observation_period_end=OBS_END,
            freq="D",
            freq_multiplier=mult,
            monetary_value_col="amount",
        ).sort_index()
        write(h, f"lifetimes_holdout_{unit}.csv")

    # Predictions at fixed parameters (the CDNOW fits) on a grid of histories, including
    # long horizons (z close to 1) and large frequencies.
    bg = BetaGeoFitter()
    bg.params_ = pd.Series([0.2425929, 4.4135316, 0.7928861, 2.4257534], index=["r", "alpha", "a", "b"])
    bg.predict = bg.conditional_expected_number_of_purchases_up_to_time  # set by fit() normally
    mbg = ModifiedBetaGeoFitter()
    mbg.params_ = pd.Series([0.5248380, 6.1829920, 0.8913561, 1.6139993], index=["r", "alpha", "a", "b"])
    pnbd = ParetoNBDFitter()
    pnbd.params_ = pd.Series([0.5532755, 10.5776122, 0.6062135, 11.6679101], index=["r", "alpha", "s", "beta"])
    grid = []
    for x, tx_, T in [(0, 0, 38.86), (0, 0, 1.0), (1, 1.71, 38.86), (2, 30.43, 38.86), (5, 20.0, 38.0), (5, 37.5, 38.0),
                      (14, 35.0, 39.0), (40, 20.0, 39.0), (3, 0.5, 60.0), (1, 10.0, 10.0)]:
        for t in (1.0, 10.0, 39.0, 104.0, 520.0):
            grid.append((x, tx_, T, t))
    g = pd.DataFrame(grid, columns=["x", "t_x", "T", "t"])
    out = g.copy()
    out["bg_p_alive"] = bg.conditional_probability_alive(g.x, g.t_x, g["T"])
    out["bg_expected"] = bg.conditional_expected_number_of_purchases_up_to_time(g.t, g.x, g.t_x, g["T"])
    out["bg_new"] = bg.expected_number_of_purchases_up_to_time(g.t)
    out["bg_p_n"] = [bg.probability_of_n_purchases_up_to_time(t, int(x)) for t, x in zip(g.t, g.x)]
    out["mbg_p_alive"] = mbg.conditional_probability_alive(g.x, g.t_x, g["T"])
    out["mbg_expected"] = mbg.conditional_expected_number_of_purchases_up_to_time(g.t, g.x, g.t_x, g["T"])
    out["mbg_new"] = mbg.expected_number_of_purchases_up_to_time(g.t)
    out["pnbd_p_alive"] = pnbd.conditional_probability_alive(g.x, g.t_x, g["T"])
    out["pnbd_expected"] = pnbd.conditional_expected_number_of_purchases_up_to_time(g.t, g.x, g.t_x, g["T"])
    out["pnbd_new"] = pnbd.expected_number_of_purchases_up_to_time(g.t)
    out.to_csv(os.path.join(OUT, "lifetimes_predictions.csv"), index=False, float_format="%.17g")
    print("wrote lifetimes_predictions.csv", len(out))

    # CLV of the first 60 CDNOW customers (weeks): lifetimes steps months of 4.345 weeks
    # (freq="W"), 12 steps, 1% per step; the BG/NBD and Gamma-Gamma parameters are fixed.
    ref = os.environ.get("CRMSCORE_REFERENCE", os.path.join(HERE, "..", "tests", "fixtures", "reference"))
    cd = pd.read_csv(os.path.join(ref, "btyd", "cdnow_sample_summary.csv")).head(60)
    ggf = GammaGammaFitter()
    ggf.params_ = pd.Series([6.2488025, 3.7445885, 15.4477481], index=["p", "q", "v"])
    clv = ggf.customer_lifetime_value(bg, cd["x"], cd["t_x"], cd["T"], cd["zbar"], time=12, discount_rate=0.01, freq="W")
    c = cd[["ID", "x", "t_x", "T", "zbar"]].copy()
    c["clv"] = np.asarray(clv)
    c.to_csv(os.path.join(OUT, "lifetimes_clv.csv"), index=False, float_format="%.17g")
    print("wrote lifetimes_clv.csv", len(c))
    return 0


if __name__ == "__main__":
    sys.exit(main())
