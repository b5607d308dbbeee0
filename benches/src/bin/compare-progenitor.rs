//! Our generator against progenitor, both as command-line processes on the same inputs.
//!
//! Run: `cargo run -p benches --release --bin compare-progenitor [-- --rounds N] [--sizes 100,1000,10000] [--no-check]`
//!
//! 1. Installs `cargo-progenitor` from crates.io into `tools/progenitor/` (project-local,
//!    once; gitignored) and builds our `xtask` binary in release mode.
//! 2. Tries both on `spec/openapi.yaml`, HighLevel's Social Planner spec and synthetic specs,
//!    and reports the inputs progenitor rejects.
//! 3. On every input both accept, times the whole process (`xtask codegen --spec ... --out ...`
//!    against `cargo-progenitor progenitor -i ... -o ...`), A/B interleaved, and prints the
//!    median ratio ours/progenitor (target: at most 1.0).
//! 4. `cargo check` of both generated crates for the same spec, from a warm dependency
//!    cache (one shared target directory under `target/`): touches `src/lib.rs`, times the
//!    check, interleaved, and prints the ratio (target: at most 1.0).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use benches::measure::{self, median_secs, secs, verdict};

const PROGENITOR_VERSION: &str = "0.15.1";

struct Args {
    rounds: usize,
    sizes: Vec<usize>,
    check: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        rounds: 10,
        sizes: vec![100, 1_000, 10_000],
        check: true,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--rounds" => {
                args.rounds = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .ok_or("--rounds takes a number")?;
            }
            "--sizes" => {
                args.sizes = it
                    .next()
                    .ok_or("--sizes takes a list")?
                    .split(',')
                    .map(|s| s.trim().parse().map_err(|_| format!("bad size `{s}`")))
                    .collect::<Result<_, _>>()?;
            }
            "--no-check" => args.check = false,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(args)
}

fn run_quiet(command: &mut Command) -> Result<(), String> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        // Progenitor panics on input it cannot handle: the panic message is the reason.
        let reason = stderr
            .lines()
            .skip_while(|l| !l.contains("panicked"))
            .nth(1)
            .or_else(|| stderr.lines().find(|l| l.starts_with("error")))
            .or_else(|| stderr.lines().next())
            .unwrap_or("no message")
            .trim()
            .to_owned();
        Err(format!("{}: {reason}", output.status))
    }
}

fn progenitor_bin(root: &Path) -> Result<PathBuf, String> {
    let tools = root.join("tools/progenitor");
    let bin = tools.join("bin/cargo-progenitor");
    if !bin.exists() {
        println!(
            "installing cargo-progenitor {PROGENITOR_VERSION} into tools/progenitor (once) ..."
        );
        let status = Command::new("cargo")
            .args([
                "install",
                "cargo-progenitor",
                "--locked",
                "--version",
                PROGENITOR_VERSION,
                "--root",
            ])
            .arg(&tools)
            .status()
            .map_err(|e| format!("cannot run cargo install: {e}"))?;
        if !status.success() {
            return Err("cargo install cargo-progenitor failed".to_owned());
        }
    }
    Ok(bin)
}

fn xtask_bin(root: &Path) -> Result<PathBuf, String> {
    println!("building xtask (release) ...");
    let status = Command::new("cargo")
        .current_dir(root)
        .args(["build", "--quiet", "--release", "-p", "xtask"])
        .status()
        .map_err(|e| format!("cannot run cargo build: {e}"))?;
    if !status.success() {
        return Err("cargo build -p xtask failed".to_owned());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    Ok(target.join("release/xtask"))
}

struct Tools {
    ours: PathBuf,
    progenitor: PathBuf,
    work: PathBuf,
}

impl Tools {
    fn out_dir(&self, who: &str, name: &str) -> PathBuf {
        self.work.join(format!("{who}-{name}"))
    }

    fn ours(&self, spec: &Path, name: &str) -> Result<Duration, String> {
        let out = self.out_dir("ours", name);
        let _ = std::fs::remove_dir_all(&out);
        let start = Instant::now();
        run_quiet(
            Command::new(&self.ours)
                .args(["codegen", "--spec"])
                .arg(spec)
                .arg("--out")
                .arg(&out)
                .args(["--name", &format!("ours_{name}")]),
        )?;
        Ok(start.elapsed())
    }

    fn progenitor(&self, spec: &Path, name: &str) -> Result<Duration, String> {
        let out = self.out_dir("progenitor", name);
        let _ = std::fs::remove_dir_all(&out);
        let start = Instant::now();
        run_quiet(
            Command::new(&self.progenitor)
                .args(["progenitor", "-i"])
                .arg(spec)
                .arg("-o")
                .arg(&out)
                .args(["-n", &format!("progenitor_{name}"), "-v", "0.1.0"]),
        )?;
        Ok(start.elapsed())
    }
}

/// The lines of every `.rs` file under `dir`.
fn rust_lines(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .map(|path| {
            if path.is_dir() {
                rust_lines(&path)
            } else if path.extension().is_some_and(|e| e == "rs") {
                std::fs::read_to_string(&path).map_or(0, |t| t.lines().count())
            } else {
                0
            }
        })
        .sum()
}

/// `cargo check` of the crate at `dir` after touching its `src/lib.rs`.
fn check(dir: &Path, target: &Path) -> Result<Duration, String> {
    let lib = dir.join("src/lib.rs");
    std::fs::File::options()
        .append(true)
        .open(&lib)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .map_err(|e| format!("cannot touch {}: {e}", lib.display()))?;
    let start = Instant::now();
    run_quiet(
        Command::new("cargo")
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", target)
            .args(["check", "--quiet"]),
    )?;
    Ok(start.elapsed())
}

fn main() {
    if let Err(message) = real_main() {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

fn real_main() -> Result<(), String> {
    let args = parse_args()?;
    let root = benches::workspace_root();
    println!("{}", measure::machine());
    let tools = Tools {
        progenitor: progenitor_bin(&root)?,
        ours: xtask_bin(&root)?,
        work: std::env::temp_dir().join("sdkgen-compare-progenitor"),
    };
    std::fs::create_dir_all(&tools.work).map_err(|e| e.to_string())?;

    let spec_dir = root.join("target/bench-specs");
    let mut inputs = vec![
        ("openapi_yaml".to_owned(), root.join("spec/openapi.yaml")),
        ("social_planner".to_owned(), benches::social_planner_spec()),
    ];
    for &n in &args.sizes {
        let path = benches::spec::write_synthetic(&spec_dir, n).map_err(|e| e.to_string())?;
        inputs.push((format!("synthetic_{n}"), path));
    }

    println!("\nwhich inputs each generator accepts");
    let mut accepted = Vec::new();
    for (name, spec) in &inputs {
        let ours = tools.ours(spec, name);
        let theirs = tools.progenitor(spec, name);
        let say = |r: &Result<Duration, String>| match r {
            Ok(_) => "accepted".to_owned(),
            Err(reason) => format!("rejected ({reason})"),
        };
        println!("  {name}: ours {}; progenitor {}", say(&ours), say(&theirs));
        if ours.is_ok() && theirs.is_ok() {
            accepted.push((name.clone(), spec.clone()));
        }
    }

    println!("\ngeneration, whole process, A/B interleaved (medians)");
    let mut summary = Vec::new();
    for (name, spec) in &accepted {
        let (first, _) = measure::time(|| tools.progenitor(spec, name));
        let rounds = if first > Duration::from_secs(5) {
            args.rounds.min(3)
        } else {
            args.rounds
        };
        let mut failed = None;
        let (ours, theirs) = measure::interleaved(
            rounds,
            || {
                tools.ours(spec, name).unwrap_or_else(|e| {
                    failed = Some(e);
                    Duration::ZERO
                })
            },
            || tools.progenitor(spec, name).unwrap_or(Duration::ZERO),
        );
        if let Some(e) = failed {
            return Err(e);
        }
        let ratio = median_secs(&ours) / median_secs(&theirs);
        println!(
            "  {name}: ours {}  progenitor {}  ratio ours/progenitor {ratio:.3} ({rounds} rounds; target at most 1.0: {})",
            secs(median_secs(&ours)),
            secs(median_secs(&theirs)),
            verdict(ratio <= 1.0)
        );
        summary.push(format!("generation {name}: ratio {ratio:.3}"));
    }

    if args.check {
        let target = root.join("target/compare-progenitor");
        let pick: Vec<_> = accepted
            .iter()
            .filter(|(name, _)| name == "synthetic_100" || name == "synthetic_1000")
            .collect();
        println!(
            "\ncargo check of both generated crates, warm dependency cache (shared target dir target/compare-progenitor)"
        );
        for (name, spec) in pick {
            tools.ours(spec, name)?;
            tools.progenitor(spec, name)?;
            let ours_dir = tools.out_dir("ours", name);
            let theirs_dir = tools.out_dir("progenitor", name);
            // Warm-up: builds the dependencies of both crates once, untimed.
            let warm = [check(&ours_dir, &target), check(&theirs_dir, &target)];
            if let [Err(_), _] | [_, Err(_)] = &warm {
                let say = |r: &Result<Duration, String>| match r {
                    Ok(_) => "checks".to_owned(),
                    Err(reason) => format!("does not compile ({reason})"),
                };
                println!(
                    "  {name}: ours {}; progenitor {}",
                    say(&warm[0]),
                    say(&warm[1])
                );
                summary.push(format!("cargo check {name}: not compared (see above)"));
                continue;
            }
            let rounds = args.rounds.clamp(3, 5);
            let mut failed = None;
            let (ours, theirs) = measure::interleaved(
                rounds,
                || {
                    check(&ours_dir, &target).unwrap_or_else(|e| {
                        failed = Some(e);
                        Duration::ZERO
                    })
                },
                || check(&theirs_dir, &target).unwrap_or(Duration::ZERO),
            );
            if let Some(e) = failed {
                return Err(e);
            }
            let ratio = median_secs(&ours) / median_secs(&theirs);
            // Every Rust source of the crate (`src/` and what it holds).
            let lines = |dir: &Path| rust_lines(&dir.join("src"));
            println!(
                "  {name}: ours {} ({} lines)  progenitor {} ({} lines)  ratio {ratio:.3} ({rounds} rounds; target at most 1.0: {})",
                secs(median_secs(&ours)),
                lines(&ours_dir),
                secs(median_secs(&theirs)),
                lines(&theirs_dir),
                verdict(ratio <= 1.0)
            );
            summary.push(format!("cargo check {name}: ratio {ratio:.3}"));
        }
    }
    println!("\nsummary (ours / progenitor, same run)");
    for line in summary {
        println!("  {line}");
    }
    Ok(())
}
