//! Timing helpers shared by the examples (`#[path]`-included; not an example itself).
use std::time::Instant;

/// On-CPU time of this thread in ms (Linux), or NaN.
pub fn cpu_ms() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .next()
                .and_then(|v| v.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |ns| ns / 1e6)
}

/// Runs `f` `runs` times: (median wall ms, min on-CPU ms, last result).
pub fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, f64, T) {
    let mut wall = Vec::new();
    let mut cpu = Vec::new();
    let mut out = None;
    for _ in 0..runs {
        let (t0, c0) = (Instant::now(), cpu_ms());
        out = Some(f());
        wall.push(t0.elapsed().as_secs_f64() * 1e3);
        cpu.push(cpu_ms() - c0);
    }
    wall.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    (wall[wall.len() / 2], cpu[0], out.unwrap())
}
