//! `classify`'s options object, read through [`Options`]: the thresholds of the rules
//! (names as in JavaScript, every one optional), then the defaults that depend on what was
//! given ([`ClassifyOptions::fit_defaults`]) and the cross-checks ([`ClassifyOptions::validate`]).
//! `asOf` and `pAliveModel` are the caller's: they are known keys here, read elsewhere.

use crate::classify::{ClassifyOptions, MAX_WINDOW_DAYS};
use crate::error::{describe_number, Error};
use crate::model_io::Node;
use crate::options::Options;

enum Slot<'a> {
    Days(&'a mut i32),
    Count(&'a mut u32),
    Real(&'a mut f64),
}

fn slots(o: &mut ClassifyOptions) -> [(&'static str, Slot<'_>); 25] {
    use Slot::*;
    [
        ("newDays", Days(&mut o.new_days)),
        ("atRiskDays", Days(&mut o.at_risk_days)),
        ("churnDays", Days(&mut o.churn_days)),
        ("rhythmMinOrders", Count(&mut o.rhythm_min_orders)),
        ("rhythmFactor", Real(&mut o.rhythm_factor)),
        ("rhythmMinDays", Days(&mut o.rhythm_min_days)),
        ("overdueFactor", Real(&mut o.overdue_factor)),
        ("highValueShare", Real(&mut o.high_value_share)),
        ("midValueShare", Real(&mut o.mid_value_share)),
        ("loyalMinOrders", Count(&mut o.loyal_min_orders)),
        ("loyalMinTenureDays", Days(&mut o.loyal_min_tenure_days)),
        ("highReturnRate", Real(&mut o.high_return_rate)),
        ("returnMinPurchases", Count(&mut o.return_min_purchases)),
        ("oneTimeAmount", Real(&mut o.one_time_amount)),
        ("noActivityDays", Days(&mut o.no_activity_days)),
        ("complaintCount", Count(&mut o.complaint_count)),
        ("paymentFailures", Count(&mut o.payment_failures)),
        ("junkWarnings", Count(&mut o.junk_warnings)),
        ("declineWindowDays", Days(&mut o.decline_window_days)),
        ("declineShare", Real(&mut o.decline_share)),
        ("declineMinPrevious", Count(&mut o.decline_min_previous)),
        ("priceSensitiveShare", Real(&mut o.price_sensitive_share)),
        (
            "priceSensitiveMinOrders",
            Count(&mut o.price_sensitive_min_orders),
        ),
        ("maxDuplicateEvidence", Count(&mut o.max_duplicate_evidence)),
        ("pAliveThreshold", Real(&mut o.p_alive_threshold)),
    ]
}

impl ClassifyOptions {
    /// The option names `read` knows, after the caller's own (`extra`).
    pub fn option_keys(extra: &[&'static str]) -> Vec<&'static str> {
        let mut keys = extra.to_vec();
        keys.extend(
            slots(&mut ClassifyOptions::default())
                .iter()
                .map(|(k, _)| *k),
        );
        keys
    }

    /// Read the thresholds from `o` (made with [`ClassifyOptions::option_keys`]), fit the
    /// defaults to what was given, validate.
    pub fn read<N: Node>(o: &Options<N>) -> Result<ClassifyOptions, Error> {
        let mut opts = ClassifyOptions::default();
        let mut given: Vec<&str> = Vec::new();
        for (key, slot) in slots(&mut opts) {
            let Some(x) = o.number(key)? else {
                continue;
            };
            let integer = |max: f64| -> Result<f64, Error> {
                if x.fract() != 0.0 || !(0.0..=max).contains(&x) {
                    Err(o.error(
                        key,
                        format!(
                            "{key} must be a whole number from 0 to {max}, got {}",
                            describe_number(x)
                        ),
                    ))
                } else {
                    Ok(x)
                }
            };
            given.push(key);
            match slot {
                Slot::Days(d) => *d = integer(MAX_WINDOW_DAYS as f64)? as i32,
                Slot::Count(c) => *c = integer(u32::MAX as f64)? as u32,
                Slot::Real(r) => {
                    if !x.is_finite() {
                        return Err(o.error(
                            key,
                            format!("{key} must be a finite number, got {}", describe_number(x)),
                        ));
                    }
                    *r = x
                }
            }
        }
        opts.fit_defaults(|k| given.contains(&k));
        opts.validate()?;
        Ok(opts)
    }
}
