//! Decode throughput of the 200 body of the Instagram accounts endpoint with 1, 100 and
//! 10,000 accounts into the generated `GetInstagramAccountsResponseDto`, as the generated
//! client does it (`serde_json::from_slice` of the received bytes), and its peak memory
//! relative to the body size.
//!
//! Run: `cargo bench -p benches --bench decode`
//!
//! Baselines measured in the same run, interleaved: a copy of the body (`to_vec`, the
//! floor of touching every byte) and `serde_json::from_slice::<serde_json::Value>`. Beside
//! them, the typed decode with the path tracked (`serde_path_to_error`), which the client
//! runs only after a decode failed, to name the value: its cost is what tracking every
//! decode would add.

use std::time::{Duration, Instant};

use benches::measure::{self, bytes, median_secs, secs};
use highlevel::GetInstagramAccountsResponseDto;

#[global_allocator]
static ALLOC: benches::alloc::Counting = benches::alloc::Counting;

fn typed(body: &[u8]) -> GetInstagramAccountsResponseDto {
    serde_json::from_slice(body).expect("decode into the generated type")
}

fn value(body: &[u8]) -> serde_json::Value {
    serde_json::from_slice(body).expect("decode into a JSON value")
}

fn tracked(body: &[u8]) -> GetInstagramAccountsResponseDto {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut deserializer).expect("decode with the path tracked")
}

fn copy(body: &[u8]) -> Vec<u8> {
    body.to_vec()
}

/// Times `batch` calls of `f`.
fn timed<T>(batch: usize, body: &[u8], f: fn(&[u8]) -> T) -> Duration {
    let start = Instant::now();
    for _ in 0..batch {
        std::hint::black_box(f(std::hint::black_box(body)));
    }
    start.elapsed()
}

/// Bytes live at the peak of one call of `f` (its result included), above those live before.
fn peak_of<T>(body: &[u8], f: fn(&[u8]) -> T) -> usize {
    let before = benches::alloc::reset_peak();
    let out = f(body);
    let peak = benches::alloc::peak() - before;
    drop(std::hint::black_box(out));
    peak
}

struct Figures {
    accounts: usize,
    body: usize,
    typed: f64,
    tracked: f64,
    value: f64,
    copy: f64,
    peak_typed: usize,
    peak_value: usize,
}

fn run(accounts: usize, samples: usize) -> Figures {
    let body = benches::body::accounts(accounts);
    let decoded = typed(&body);
    let count = decoded
        .results
        .as_ref()
        .and_then(|r| r.accounts.as_ref())
        .map_or(0, Vec::len);
    assert_eq!(count, accounts, "the typed decode must see every account");
    let batch = measure::batch_size(Duration::from_millis(5), || {
        std::hint::black_box(typed(&body));
    });
    let mut copies = Vec::with_capacity(samples);
    let mut tracked_times = Vec::with_capacity(samples);
    let (typed_times, value_times) = measure::interleaved(
        samples,
        || {
            copies.push(timed(batch, &body, copy));
            tracked_times.push(timed(batch, &body, tracked));
            timed(batch, &body, typed)
        },
        || timed(batch, &body, value),
    );
    let per = |times: &[Duration]| median_secs(times) / batch as f64;
    Figures {
        accounts,
        body: body.len(),
        typed: per(&typed_times),
        tracked: per(&tracked_times),
        value: per(&value_times),
        copy: per(&copies),
        peak_typed: peak_of(&body, typed),
        peak_value: peak_of(&body, value),
    }
}

fn main() {
    if !benches::bench_mode() {
        let f = run(100, 2);
        println!("decode: ok ({} for 100 accounts)", secs(f.typed));
        return;
    }
    println!("{}", measure::machine());
    println!(
        "each sample times a batch of copy, typed decode and Value decode, interleaved; medians"
    );
    let mut all = Vec::new();
    for accounts in [1, 100, 10_000] {
        let f = run(accounts, 200);
        let mib_s = |t: f64| f.body as f64 / t / 1024.0 / 1024.0;
        println!("\n{} account(s), body {}", f.accounts, bytes(f.body as f64));
        println!(
            "  typed decode {} ({:.0} MiB/s)   Value decode {} ({:.0} MiB/s)   copy {} ({:.0} MiB/s)",
            secs(f.typed),
            mib_s(f.typed),
            secs(f.value),
            mib_s(f.value),
            secs(f.copy),
            mib_s(f.copy)
        );
        println!(
            "  ratios: typed/Value {:.2}   typed/copy {:.1}   tracked/typed {:.2}",
            f.typed / f.value,
            f.typed / f.copy,
            f.tracked / f.typed
        );
        println!(
            "  peak memory: typed {} ({:.2}x body)   Value {} ({:.2}x body)",
            bytes(f.peak_typed as f64),
            f.peak_typed as f64 / f.body as f64,
            bytes(f.peak_value as f64),
            f.peak_value as f64 / f.body as f64
        );
        all.push(f);
    }
    println!("\nsummary");
    for f in &all {
        println!(
            "  {:>6} accounts: typed/Value {:.2}, typed/copy {:.1}, tracked/typed {:.2}, {:.0} MiB/s, peak {:.2}x body (Value {:.2}x)",
            f.accounts,
            f.typed / f.value,
            f.typed / f.copy,
            f.tracked / f.typed,
            f.body as f64 / f.typed / 1024.0 / 1024.0,
            f.peak_typed as f64 / f.body as f64,
            f.peak_value as f64 / f.body as f64
        );
    }
}
