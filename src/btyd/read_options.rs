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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model_io::Json;

    #[test]
    fn clv_fit_and_summary_options_read_and_refuse_by_path() {
        let j = Json::object(vec![
            ("horizon", 52.0.into()),
            ("step", 4.0.into()),
            ("discountRatePerStep", 0.01.into()),
        ]);
        let c = ClvOptions::read(&j).unwrap();
        assert_eq!((c.steps, c.step_length, c.discount_rate), (13, 4.0, 0.01));
        let bad = Json::object(vec![
            ("horizon", 50.0.into()),
            ("step", 4.0.into()),
            ("discountRatePerStep", 0.0.into()),
        ]);
        assert_eq!(
            ClvOptions::read(&bad).unwrap_err().field.as_deref(),
            Some("horizon")
        );
        let f = FitOptions::read(&Json::object(vec![
            ("maxIter", 50.0.into()),
            ("initial", Json::Arr(vec![1.0.into(), 2.0.into()])),
        ]))
        .unwrap();
        assert_eq!((f.max_iter, f.initial), (50, Some(vec![1.0, 2.0])));
        assert_eq!(
            FitOptions::read(&Json::object(vec![("maxIter", 0.5.into())]))
                .unwrap_err()
                .field
                .as_deref(),
            Some("maxIter")
        );
        assert_eq!(
            FitOptions::read(&Json::Undefined).unwrap(),
            FitOptions::default()
        );
        let s = SummaryOptions::read(
            &Json::object(vec![("unit", "week".into()), ("asOf", "2026-06-30".into())]),
            Some(3),
        )
        .unwrap();
        assert_eq!((s.unit, s.customer_count), (TimeUnit::Week, Some(3)));
        assert_eq!(
            SummaryOptions::read(&Json::Undefined, None)
                .unwrap_err()
                .field
                .as_deref(),
            Some("unit")
        );
    }
}
