//! Progress of long calls. The core reports the fraction of a call's work done at its
//! checkpoints (a block of rows, a fit's start); a host may install a sink that receives it
//! (the JavaScript binding forwards it to the worker engine's `onProgress`). Without a sink a
//! checkpoint is a thread-local read and a branch.
//!
//! A call made of phases maps each phase's own 0..1 into its share with [`span`]:
//! ```
//! use crmscore::progress;
//! let seen = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
//! let s = seen.clone();
//! progress::set_sink(Some(Box::new(move |f| s.borrow_mut().push(f))));
//! {
//!     let _read = progress::span(0.0, 0.5);
//!     progress::report(1, 2); // half of the first phase
//! }
//! progress::report_fraction(0.75);
//! progress::set_sink(None);
//! assert_eq!(*seen.borrow(), vec![0.25, 0.75]);
//! ```

use std::cell::{Cell, RefCell};

type Sink = Box<dyn FnMut(f64)>;

thread_local! {
    static SINK: RefCell<Option<Sink>> = const { RefCell::new(None) };
    static ACTIVE: Cell<bool> = const { Cell::new(false) };
    /// The current phase's range within the whole call.
    static RANGE: Cell<(f64, f64)> = const { Cell::new((0.0, 1.0)) };
}

/// Install (or remove) the sink that receives every reported fraction (0..=1 of the call).
pub fn set_sink(sink: Option<Sink>) {
    ACTIVE.with(|a| a.set(sink.is_some()));
    SINK.with(|s| *s.borrow_mut() = sink);
    RANGE.with(|r| r.set((0.0, 1.0)));
}

/// `done` of `total` units of the current phase are done.
#[inline]
pub fn report(done: usize, total: usize) {
    if ACTIVE.with(Cell::get) && total > 0 {
        report_fraction(done as f64 / total as f64);
    }
}

/// A fraction (0..=1) of the current phase is done.
pub fn report_fraction(f: f64) {
    if !ACTIVE.with(Cell::get) {
        return;
    }
    let (lo, hi) = RANGE.with(Cell::get);
    let x = lo + (hi - lo) * f.clamp(0.0, 1.0);
    SINK.with(|s| {
        // A sink that reports progress itself would find the cell borrowed: it is skipped.
        if let Ok(mut s) = s.try_borrow_mut() {
            if let Some(f) = s.as_mut() {
                f(x);
            }
        }
    });
}

/// While the guard lives, the current phase is `lo..hi` of the enclosing one.
pub struct Span {
    outer: (f64, f64),
}

/// Enter a phase that covers `lo..hi` (fractions of the enclosing phase).
pub fn span(lo: f64, hi: f64) -> Span {
    let outer = RANGE.with(Cell::get);
    let (a, b) = outer;
    RANGE.with(|r| r.set((a + (b - a) * lo, a + (b - a) * hi)));
    Span { outer }
}

impl Drop for Span {
    fn drop(&mut self) {
        RANGE.with(|r| r.set(self.outer));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::rc::Rc;

    #[test]
    fn phases_nest_and_no_sink_reports_nothing() {
        report(1, 2); // no sink: nothing happens
        let seen = Rc::new(RefCell::new(Vec::new()));
        let s = seen.clone();
        set_sink(Some(Box::new(move |f| s.borrow_mut().push(f))));
        {
            let _a = span(0.5, 1.0);
            {
                let _b = span(0.0, 0.5);
                report(1, 1); // end of the inner phase = 0.75 of the call
            }
            report(0, 4);
        }
        report(3, 4);
        report(1, 0); // an empty phase reports nothing
        set_sink(None);
        report(1, 1);
        assert_eq!(*seen.borrow(), vec![0.75, 0.5, 0.75]);
    }
}
