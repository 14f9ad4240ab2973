//! The BTYD functions' options objects, read through [`Options`] (one reader, every error
//! named by its option path): `summarize`, the fits, `clv`.

use super::{ClvOptions, FitOptions, SummaryOptions, TimeUnit};
use crate::error::{describe_number, Error};
use crate::model_io::Node;
use crate::options::Options;

impl SummaryOptions {
    /// `{ asOf?, calibrationEnd?, unit }` (unit required).
    pub fn read<N: Node>(v: N, customer_count: Option<usize>) -> Result<SummaryOptions, Error> {
        let o = Options::new(v, &["asOf", "unit", "calibrationEnd"])?;
        if o.is_missing() {
            return Err(Error::option(
                "unit",
                "options.unit is required (\"day\", \"week\" or \"month\")",
            ));
        }
        Ok(SummaryOptions {
            as_of: o.day("asOf")?,
            calibration_end: o.day("calibrationEnd")?,
            unit: TimeUnit::read(&o.get("unit"), &o.path("unit"))?,
            customer_count,
        })
    }
}

impl FitOptions {
    /// `{ penalizer?, maxIter?, tol?, initial?, unit? }` (`unit` is the caller's: the model
    /// keeps it, the fit does not need it).
    pub fn read<N: Node>(v: N) -> Result<FitOptions, Error> {
        let o = Options::new(v, &["penalizer", "maxIter", "tol", "initial", "unit"])?;
        let mut f = FitOptions::default();
        if let Some(p) = o.number("penalizer")? {
            f.penalizer = p;
        }
        if let Some(m) = o.integer("maxIter", 1.0, 100_000.0)? {
            f.max_iter = m as u32;
        }
        if let Some(t) = o.number("tol")? {
            f.tol = t;
        }
        let init = o.get("initial");
        if !init.is_missing() {
            let items = init
                .items()
                .ok_or_else(|| o.error("initial", "initial must be an array of numbers"))?;
            f.initial = Some(
                items
                    .iter()
                    .map(|x| x.as_f64().unwrap_or(f64::NAN))
                    .collect(),
            );
        }
        Ok(f)
    }
}

impl ClvOptions {
    /// `{ horizon, step, discountRatePerStep }`, all required, in the model's unit: the
    /// horizon must be a whole number of steps (at most 10,000).
    pub fn read<N: Node>(v: N) -> Result<ClvOptions, Error> {
        let o = Options::new(v, &["horizon", "step", "discountRatePerStep"])?;
        let horizon = o.required_number("horizon", "in the model's unit")?;
        let step = o.required_number("step", "in the model's unit")?;
        let d = o.required_number("discountRatePerStep", "in the model's unit")?;
        if !(step.is_finite() && step > 0.0) {
            return Err(o.error(
                "step",
                format!(
                    "step must be a finite number > 0, got {}",
                    describe_number(step)
                ),
            ));
        }
        if !(horizon.is_finite() && horizon > 0.0) {
            return Err(o.error(
                "horizon",
                format!(
                    "horizon must be a finite number > 0, got {}",
                    describe_number(horizon)
                ),
            ));
        }
        let steps = horizon / step;
        let whole = steps.round();
        if (steps - whole).abs() > 1e-9 * whole.max(1.0) || whole < 1.0 {
            return Err(o.error(
                "horizon",
                format!(
                    "horizon ({}) must be a whole number of steps ({}), got {} steps",
                    describe_number(horizon),
                    describe_number(step),
                    describe_number(steps)
                ),
            ));
        }
        if whole > 10_000.0 {
            return Err(o.error("horizon", format!("at most 10000 steps, got {whole}")));
        }
        Ok(ClvOptions {
            steps: whole as u32,
            step_length: step,
            discount_rate: d,
        })
    }
}
