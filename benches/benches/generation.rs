//! Generation time of the whole pipeline (load, resolve, lower, emit, render), stage by
//! stage, for the hand-written spec, HighLevel's Social Planner spec and synthetic specs of
//! 100, 1,000 and 10,000 operations.
//!
//! Run: `cargo bench -p benches --bench generation`
//!
//! Baselines measured in the same run: reading and parsing the same spec text into a
//! `serde_json::Value` (the floor any generator pays), interleaved with the pipeline; and,
//! for scaling, the 1,000-operation run.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use benches::measure::{self, median_secs, secs, verdict};
use sdkgen::{Diagnostics, Options};

/// The allocator `cargo xtask codegen` runs the generator with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The stages one by one; the pipeline's own time runs emit and render of each file on a
/// thread of its own (`render::emit_and_render`), as `sdkgen::generate` does, timed as the last entry.
const STAGES: [&str; 5] = ["load", "resolve", "lower", "emit", "render"];

struct Case {
    name: String,
    path: PathBuf,
    operations: Option<usize>,
}

struct Result {
    name: String,
    operations: Option<usize>,
    samples: usize,
    stages: [f64; 5],
    /// Emit and render together, on one thread per file.
    threaded: f64,
    total: f64,
    floor: f64,
    warnings: usize,
}

fn options() -> Options {
    Options {
        crate_name: "bench_client".to_owned(),
        command: "cargo bench -p benches --bench generation".to_owned(),
        standalone: true,
    }
}

/// One run of the pipeline, stage by stage, then emit and render again on threads as
/// `sdkgen::generate` runs them.
fn pipeline(path: &Path, options: &Options) -> ([Duration; 6], usize) {
    let mut diags = Diagnostics::default();
    let mut times = [Duration::ZERO; 6];
    let start = Instant::now();
    let sources = sdkgen::load::load(path, &mut diags).expect("load");
    times[0] = start.elapsed();
    let start = Instant::now();
    let document = sdkgen::resolve::resolve(&sources, &mut diags).expect("resolve");
    times[1] = start.elapsed();
    let start = Instant::now();
    let api = sdkgen::lower::lower(&document, &mut diags).expect("lower");
    times[2] = start.elapsed();
    let start = Instant::now();
    let tokens = sdkgen::emit::emit(&api, options);
    times[3] = start.elapsed();
    let start = Instant::now();
    let files = sdkgen::render::render(tokens, options, &document.display_path, &mut diags)
        .expect("render");
    times[4] = start.elapsed();
    std::hint::black_box(files);
    let start = Instant::now();
    let files = sdkgen::render::emit_and_render(&api, options, &document.display_path, &mut diags)
        .expect("render");
    times[5] = start.elapsed();
    assert!(!diags.has_errors(), "{path:?} has errors");
    std::hint::black_box(files);
    (times, diags.into_vec().len())
}

/// The baseline: read the same file and parse it into a JSON value, nothing more.
fn parse_floor(path: &Path) -> Duration {
    let start = Instant::now();
    let text = std::fs::read_to_string(path).expect("read spec");
    let value: serde_json::Value = if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).expect("JSON")
    } else {
        serde_yaml::from_str(&text).expect("YAML")
    };
    std::hint::black_box(value);
    start.elapsed()
}

fn measure_case(case: &Case, budget: Duration) -> Result {
    let options = options();
    let (first, warnings) = pipeline(&case.path, &options);
    let one: Duration = first.iter().take(3).sum::<Duration>() + first[5];
    let rounds = measure::rounds_for(budget, one, 5, 300);
    let mut per_stage: Vec<Vec<Duration>> = (0..6).map(|_| Vec::with_capacity(rounds)).collect();
    let mut totals = Vec::with_capacity(rounds);
    let (_, floors) = measure::interleaved(
        rounds,
        || {
            let (times, _) = pipeline(&case.path, &options);
            for (stage, time) in per_stage.iter_mut().zip(times) {
                stage.push(time);
            }
            // The pipeline as `sdkgen::generate` runs it: emit and render on threads.
            let total: Duration = times.iter().take(3).sum::<Duration>() + times[5];
            totals.push(total);
            total
        },
        || parse_floor(&case.path),
    );
    let mut stages = [0.0; 5];
    for (slot, samples) in stages.iter_mut().zip(&per_stage) {
        *slot = median_secs(samples);
    }
    Result {
        name: case.name.clone(),
        operations: case.operations,
        samples: rounds,
        stages,
        threaded: median_secs(&per_stage[5]),
        total: median_secs(&totals),
        floor: median_secs(&floors),
        warnings,
    }
}

fn print_result(r: &Result) {
    let slowest = (0..5)
        .max_by(|&a, &b| r.stages[a].total_cmp(&r.stages[b]))
        .unwrap_or(0);
    println!(
        "\n{} ({} samples, {} warnings)",
        r.name, r.samples, r.warnings
    );
    println!(
        "  pipeline {:>10}   parse floor {:>10}   ratio pipeline/floor {:.1}",
        secs(r.total),
        secs(r.floor),
        r.total / r.floor
    );
    let shares: Vec<String> = STAGES
        .iter()
        .zip(r.stages)
        .map(|(name, t)| {
            format!(
                "{name} {} ({:.0}%)",
                secs(t),
                100.0 * t / r.stages.iter().sum::<f64>()
            )
        })
        .collect();
    println!("  stages one by one: {}", shares.join(", "));
    println!(
        "  emit + render on one thread per file (in the pipeline figure): {} ({:.2} of emit then render)",
        secs(r.threaded),
        r.threaded / (r.stages[3] + r.stages[4])
    );
    println!("  slowest stage: {}", STAGES[slowest]);
}

fn main() {
    let root = benches::workspace_root();
    let full = benches::bench_mode();
    let spec_dir = root.join("target/bench-specs");
    let mut cases = vec![Case {
        name: "spec/openapi.yaml (1 operation)".to_owned(),
        path: root.join("spec/openapi.yaml"),
        operations: None,
    }];
    let social = benches::social_planner_spec();
    if social.exists() {
        cases.push(Case {
            name: "social-media-posting.json (Social Planner, 40 operations)".to_owned(),
            path: social,
            operations: None,
        });
    } else {
        println!("skipped: {} is missing", social.display());
    }
    let sizes: &[usize] = if full { &[100, 1_000, 10_000] } else { &[100] };
    for &n in sizes {
        let path = benches::spec::write_synthetic(&spec_dir, n).expect("write synthetic spec");
        cases.push(Case {
            name: format!("synthetic, {n} operations"),
            path,
            operations: Some(n),
        });
    }
    if !full {
        // Smoke run (`cargo test --all-targets`): each case once, no figures.
        for case in &cases {
            pipeline(&case.path, &options());
            println!("generation {}: ok", case.name);
        }
        return;
    }
    println!("{}", measure::machine());
    println!("each sample runs the pipeline and the parse floor interleaved; figures are medians");
    let mut results = Vec::new();
    for case in &cases {
        let budget = if case.operations == Some(10_000) {
            Duration::from_secs(20)
        } else {
            Duration::from_secs(5)
        };
        let result = measure_case(case, budget);
        print_result(&result);
        results.push(result);
    }
    let by_ops = |n: usize| results.iter().find(|r| r.operations == Some(n));
    println!("\nsummary");
    if let (Some(small), Some(mid), Some(large)) = (by_ops(100), by_ops(1_000), by_ops(10_000)) {
        let scaling = large.total / mid.total;
        println!(
            "  scaling time(1,000)/time(100) {:.2}; time(10,000)/time(1,000) {:.2} (target at most 11: {})",
            mid.total / small.total,
            scaling,
            verdict(scaling <= 11.0)
        );
        println!(
            "  10,000 operations: {} (target under 2 s: {})",
            secs(large.total),
            verdict(large.total < 2.0)
        );
    }
    if let Some(social) = results.iter().find(|r| r.name.starts_with("social")) {
        println!(
            "  Social Planner spec: {} (target under 30 ms: {})",
            secs(social.total),
            verdict(social.total < 0.030)
        );
    }
    for r in &results {
        println!(
            "  {:<58} pipeline/parse-floor {:>6.1}",
            r.name,
            r.total / r.floor
        );
    }
}
