//! Timing helpers: medians, A/B interleaving, and how figures are printed.

use std::time::{Duration, Instant};

/// The median of `values` (the mean of the two middle ones for an even count); 0 when empty.
pub fn median(values: &[f64]) -> f64 {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => 0.0,
        _ if n % 2 == 1 => sorted[n / 2],
        _ => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// The median of durations, in seconds.
pub fn median_secs(values: &[Duration]) -> f64 {
    median(&values.iter().map(Duration::as_secs_f64).collect::<Vec<_>>())
}

/// Times one call of `f`.
pub fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let start = Instant::now();
    let out = f();
    (start.elapsed(), out)
}

/// How many rounds fit in `budget` when one round takes `one`, kept within `min..=max`.
pub fn rounds_for(budget: Duration, one: Duration, min: usize, max: usize) -> usize {
    let one = one.as_secs_f64().max(1e-9);
    ((budget.as_secs_f64() / one) as usize).clamp(min, max)
}

/// Runs `a` and `b` in alternation for `rounds` rounds, swapping which goes first each
/// round, and returns each one's per-round times.
pub fn interleaved(
    rounds: usize,
    mut a: impl FnMut() -> Duration,
    mut b: impl FnMut() -> Duration,
) -> (Vec<Duration>, Vec<Duration>) {
    let mut times_a = Vec::with_capacity(rounds);
    let mut times_b = Vec::with_capacity(rounds);
    for round in 0..rounds {
        if round % 2 == 0 {
            times_a.push(a());
            times_b.push(b());
        } else {
            times_b.push(b());
            times_a.push(a());
        }
    }
    (times_a, times_b)
}

/// The mean time of one call of `f` over a batch sized so the batch takes about `target`.
pub fn batch_size(target: Duration, mut f: impl FnMut()) -> usize {
    let mut n = 1usize;
    loop {
        let start = Instant::now();
        for _ in 0..n {
            f();
        }
        let took = start.elapsed();
        if took >= target / 4 || n >= 1 << 24 {
            let per = took.as_secs_f64() / n as f64;
            return ((target.as_secs_f64() / per.max(1e-9)) as usize).max(1);
        }
        n *= 4;
    }
}

/// Seconds as a short human figure (`1.23 ms`).
pub fn secs(s: f64) -> String {
    if s >= 1.0 {
        format!("{s:.3} s")
    } else if s >= 1e-3 {
        format!("{:.2} ms", s * 1e3)
    } else if s >= 1e-6 {
        format!("{:.2} µs", s * 1e6)
    } else {
        format!("{:.0} ns", s * 1e9)
    }
}

/// Bytes as a short human figure.
pub fn bytes(n: f64) -> String {
    if n >= 1024.0 * 1024.0 {
        format!("{:.2} MiB", n / 1024.0 / 1024.0)
    } else if n >= 1024.0 {
        format!("{:.1} KiB", n / 1024.0)
    } else {
        format!("{n:.0} B")
    }
}

/// `met` or `MISSED`, for a target line.
pub fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "MISSED" }
}

/// One line about the machine: logical cores and memory, read from the OS where it says.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
            let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!("{:.1} GiB", kib / 1024.0 / 1024.0))
        })
        .unwrap_or_else(|| "unknown memory".to_owned());
    format!("machine: {cores} cores, {memory}")
}
