//! Fuzzing on stable Rust, fed to `sdkgen::generate_from_str` from three strategies:
//!
//! - **mutated specs**: structured mutations (a field removed or retyped, a `$ref` aimed
//!   anywhere, an `allOf` wrapped round a value, keys renamed) of `spec/openapi.yaml`, the
//!   fixtures and the bad specs, in OpenAPI 3.0 and 3.1 and Swagger 2.0;
//! - **made-up specs**: whole specs proptest makes from parts (`fuzz_support/specs.rs`), now and
//!   then with a piece of YAML or JSON spliced into their text;
//! - **edited text**: a fixture's text as written (comments, anchors, flow style) with a value
//!   changed or cut short, a line deleted or two swapped, or bytes cut or added anywhere.
//!
//! On every input the generator keeps its promises (`fuzz_support/check.rs`): no panic, no
//! internal error, a failure with an error, a generated crate that is whole (paths that
//! resolve, no duplicate names, a manifest that is TOML) and the same bytes twice. Each
//! strategy must reach a generated crate on at least a third of its inputs, so the later
//! stages are fuzzed, not only the loader (about 55 %, 55 % and 85 % do; with 96 inputs each,
//! a third is more than four standard deviations below, so the floor does not flake).
//!
//! `cargo test` runs a short, bounded pass. The long run, for a chosen time, also builds a
//! sample of the crates it generated (`cargo check`, one scratch workspace under
//! `target/fuzz-crates`, sharing the compile tests' target directory):
//!
//! ```text
//! FUZZ_SECONDS=600 cargo test --release -p tests --test fuzz -- --ignored --nocapture
//! ```
//!
//! It writes any input that fails to `target/fuzz-findings/`. The cargo-fuzz targets in
//! `fuzz/` run the same checks under libFuzzer, on nightly.

#[path = "fuzz_support/check.rs"]
mod check;
#[path = "fuzz_support/mutate.rs"]
mod mutate;
#[path = "fuzz_support/specs.rs"]
mod specs;

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;

/// The project's specs that generate (the spec and the fixtures, root documents of split
/// ones too) and the bad specs, each with its text as written.
struct Seeds {
    good: Vec<(Value, String)>,
    bad: Vec<(Value, String)>,
}

fn seeds() -> Seeds {
    let mut seeds = Seeds {
        good: Vec::new(),
        bad: Vec::new(),
    };
    let roots = |dir: &str| -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|entries| entries.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        found.sort();
        found
            .into_iter()
            .flat_map(|path| {
                if path.is_dir() {
                    ["openapi.yaml", "spec.yaml"]
                        .iter()
                        .map(|f| path.join(f))
                        .filter(|p| p.exists())
                        .collect()
                } else {
                    vec![path]
                }
            })
            .collect()
    };
    let mut good = vec![PathBuf::from("../spec/openapi.yaml")];
    good.extend(roots("fixtures"));
    for (paths, into) in [
        (good, &mut seeds.good),
        (roots("bad-specs"), &mut seeds.bad),
    ] {
        for path in paths {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            if let Ok(value @ Value::Object(_)) = serde_yaml::from_str::<Value>(&text) {
                into.push((value, text));
            }
        }
    }
    let declares = |key: &str, prefix: &str| {
        seeds.good.iter().any(|(s, _)| {
            s.get(key)
                .and_then(Value::as_str)
                .is_some_and(|v| v.starts_with(prefix))
        })
    };
    assert!(
        declares("openapi", "3.0") && declares("openapi", "3.1") && declares("swagger", "2.0"),
        "seeds of every version are missing"
    );
    assert!(seeds.good.len() > 20 && seeds.bad.len() > 50);
    seeds
}

/// Pieces of YAML and JSON that, spliced into a spec, make text the parsers half accept.
const TOKENS: &[&str] = &[
    "openapi: 3.1.0",
    "swagger: '2.0'",
    "definitions:",
    "    A: {type: [string, 'null'], $defs: {B: {$ref: '#/components/schemas/A/$defs/B'}}}",
    "    - {name: b, in: body, schema: {$ref: '#/definitions/A'}}",
    "  /a/{id}:",
    "    A: {$ref: '#/components/schemas/A'}",
    "    B: {allOf: [{$ref: '#/components/schemas/B'}]}",
    "  ",
    "- ",
    ": ",
    "{",
    "]",
    ",",
    "\"",
    "'",
    "\t",
    "&a ",
    "*a ",
    "<<: *a",
    "---",
    "#",
    "\u{feff}",
    "é",
    "\\u0000",
    "!!binary ",
    "~",
    "9999999999999999999999",
    "-0.0e-9",
];

/// (which seed, mutation bytes), for [`mutate::mutated_text`].
fn mutations() -> impl Strategy<Value = (usize, Vec<u8>)> {
    (any::<usize>(), prop::collection::vec(any::<u8>(), 0..64))
}

/// Seven in eight mutations start from a spec that generates, and of those three in four make
/// one or two changes (not up to four), so a mutated valid spec, the common case of a vendor's
/// spec, weighs more than a broken one made worse.
fn mutated(seeds: &Seeds, (pick, data): &(usize, Vec<u8>)) -> (&'static str, String) {
    if pick % 8 == 0 {
        let (seed, _) = &seeds.bad[pick / 8 % seeds.bad.len()];
        return mutate::mutated_text(seed, data);
    }
    let (seed, _) = &seeds.good[pick / 8 % seeds.good.len()];
    let mut data = data.clone();
    if let Some(first) = data.first_mut() {
        // `mutated_text` makes `1 + first / 2 % 4` mutations.
        if pick % 4 != 0 {
            *first &= !0b100;
        }
    }
    mutate::mutated_text(seed, &data)
}

/// A made-up spec, in YAML or JSON, one in six with pieces spliced in.
fn made_up() -> impl Strategy<Value = (&'static str, String)> {
    (
        specs::spec(),
        any::<bool>(),
        prop_oneof![
            5 => Just(Vec::new()),
            1 => prop::collection::vec((any::<usize>(), prop::sample::select(TOKENS)), 1..3),
        ],
    )
        .prop_map(|(spec, json, splices)| specs::text(&spec, json, &splices))
}

/// One edit of a text. Most change a value and keep the structure, as a person editing a
/// spec does; some cut or add bytes anywhere, or delete or swap lines.
#[derive(Debug, Clone)]
enum Edit {
    /// On the `line`-th line with a `key: value`, the value replaced with another, of the same
    /// kind (when the flag says so) or not.
    Value(usize, usize, bool),
    /// On the `line`-th line with a `key: value`, characters cut from the value.
    CutValue(usize, usize),
    DeleteLine(usize),
    SwapLines(usize, usize),
    Bytes(usize, usize, Vec<u8>),
}

/// Values an edit puts in place of another of the same kind (a number, a flag, a word), and,
/// now and then, of another kind.
const NUMBERS: &[&str] = &["0", "1", "-1", "2.5", "1e400", "9999999999999999999999"];
const WORDS: &[&str] = &[
    "x",
    "string",
    "object",
    "integer",
    "array",
    "Pet",
    "'{id}'",
    "default",
    "id",
    "3.1.0",
    "'2.0'",
    "'#/components/schemas/Pet'",
    "application/json",
    "query",
    "form",
];
const OTHER_KINDS: &[&str] = &["null", "~", "[]", "{}", "''", "true"];

fn edits() -> impl Strategy<Value = (usize, Vec<Edit>)> {
    let edit = prop_oneof![
        6 => (any::<usize>(), any::<usize>(), any::<u8>())
            .prop_map(|(l, pick, kind)| Edit::Value(l, pick, kind % 4 != 0)),
        3 => (any::<usize>(), 1..6usize).prop_map(|(l, n)| Edit::CutValue(l, n)),
        1 => any::<usize>().prop_map(Edit::DeleteLine),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        1 => (any::<usize>(), 0..8usize, prop::collection::vec(any::<u8>(), 0..6))
            .prop_map(|(at, n, bytes)| Edit::Bytes(at, n, bytes)),
    ];
    (any::<usize>(), prop::collection::vec(edit, 1..3))
}

/// Where the value of a `key: value` line starts (YAML, or JSON's `"key": value`), when it
/// is a plain value to the end of the line: not a block scalar (`|`, `>`), whose value is on
/// the lines below, an anchor or alias, a quoted string, or part of a flow collection.
fn value_start(line: &str) -> Option<usize> {
    let at = line.find(": ")? + 2;
    let value = line.get(at..)?.trim_end_matches(',');
    let plain = !value.is_empty()
        && !value.starts_with(['|', '>', '&', '*', '\'', '{', '['])
        && !line.contains(['{', '[', ']', '}']);
    plain.then_some(at)
}

/// A good seed's text with `edits` applied (bytes as lossy UTF-8); YAML or JSON as the seed is.
fn edited(seeds: &Seeds, (pick, edits): &(usize, Vec<Edit>)) -> (&'static str, String) {
    let (_, text) = &seeds.good[pick % seeds.good.len()];
    let json = text.trim_start().starts_with('{');
    let mut text = text.clone();
    for edit in edits {
        let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
        let indent = |line: &str| line.len() - line.trim_start().len();
        // A plain value whose text goes on over the next, deeper line is left alone.
        let with_value: Vec<usize> = (0..lines.len())
            .filter(|i| value_start(&lines[*i]).is_some())
            .filter(|i| {
                json || lines.get(i + 1).is_none_or(|next| {
                    indent(next) <= indent(&lines[*i]) || next.trim_start().starts_with("- ")
                })
            })
            .collect();
        let n = lines.len();
        match edit {
            Edit::Value(line, ..) | Edit::CutValue(line, _) if !with_value.is_empty() => {
                let i = with_value[line % with_value.len()];
                let at = value_start(&lines[i]).unwrap_or(0);
                let (key, old) = lines[i].split_at(at);
                // JSON keeps its commas; a JSON value is written as JSON.
                let comma = if json && old.ends_with(',') { "," } else { "" };
                let new = match edit {
                    Edit::Value(_, pick, same) => {
                        let current = old.trim_end_matches(',').trim_matches('"');
                        let pool = if !same {
                            OTHER_KINDS
                        } else if current.parse::<f64>().is_ok() {
                            NUMBERS
                        } else if current == "true" || current == "false" {
                            &["true", "false"][..]
                        } else {
                            WORDS
                        };
                        let value = pool[pick % pool.len()];
                        if json {
                            let value = value.trim_matches('\'');
                            let as_json = serde_json::from_str::<Value>(value)
                                .unwrap_or_else(|_| Value::String(value.to_owned()));
                            format!("{as_json}{comma}")
                        } else {
                            value.to_owned()
                        }
                    }
                    Edit::CutValue(_, cut) => {
                        let chars: Vec<char> = old.trim_end_matches(',').chars().collect();
                        let keep = chars.len().saturating_sub(*cut).max(1);
                        format!("{}{comma}", chars[..keep].iter().collect::<String>())
                    }
                    _ => old.to_owned(),
                };
                lines[i] = format!("{key}{new}");
            }
            Edit::DeleteLine(line) => {
                lines.remove(line % n);
            }
            Edit::SwapLines(a, b) => lines.swap(a % n, b % n),
            Edit::Bytes(at, cut, bytes) => {
                let mut raw = text.into_bytes();
                let at = at % (raw.len() + 1);
                let end = (at + cut).min(raw.len());
                raw.splice(at..end, bytes.iter().copied());
                text = String::from_utf8_lossy(&raw).into_owned();
                continue;
            }
            _ => {}
        }
        text = lines.join("\n");
    }
    let name = if json { "spec.json" } else { "spec.yaml" };
    (name, text)
}

/// Runs `cases` inputs of `strategy` through the checks; fails on the first broken promise
/// (shrunk by proptest), and when fewer than a third of the inputs generate a crate.
fn fuzz<S: Strategy>(what: &str, strategy: S, input: impl Fn(&S::Value) -> (&'static str, String)) {
    // Short enough for every `cargo test`; `PROPTEST_CASES` raises it.
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(96);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let (tried, generated) = (Cell::new(0u32), Cell::new(0u32));
    let result = runner.run(&strategy, |value| {
        let (name, text) = input(&value);
        tried.set(tried.get() + 1);
        if check::check(name, &text) {
            generated.set(generated.get() + 1);
        }
        Ok(())
    });
    if let Err(err) = result {
        panic!("{what}: {err}");
    }
    let (tried, generated) = (tried.get(), generated.get());
    eprintln!("{what}: {generated} of {tried} inputs generated a crate");
    assert!(
        generated * 3 >= tried,
        "{what}: only {generated} of {tried} inputs generated a crate; the later stages go unfuzzed"
    );
}

#[test]
fn mutated_specs_keep_the_promises() {
    let seeds = seeds();
    fuzz("mutated specs", mutations(), |input| mutated(&seeds, input));
}

#[test]
fn made_up_specs_keep_the_promises() {
    fuzz("made-up specs", made_up(), Clone::clone);
}

#[test]
fn edited_text_keeps_the_promises() {
    let seeds = seeds();
    fuzz("edited text", edits(), |input| edited(&seeds, input));
}

/// The checks accept the crates of the project's own specs, and catch a crate that is not
/// whole: they can fail.
#[test]
fn the_checks_accept_good_crates_and_catch_broken_ones() {
    let seeds = seeds();
    for (_, text) in &seeds.good {
        let name = if text.trim_start().starts_with('{') {
            "spec.json"
        } else {
            "spec.yaml"
        };
        let _ = check::check_files(name, text);
    }
    let spec = std::fs::read_to_string("fixtures/client-behaviour.yaml").unwrap();
    let files = check::check_files("spec.yaml", &spec).expect("the fixture generates");
    assert_eq!(check::crate_is_whole(&files), Ok(()));
    let broken = |path: &str, from: &str, to: &str| {
        let mut files = files.clone();
        let file = files.iter_mut().find(|f| f.path == path).unwrap();
        assert!(file.contents.contains(from), "{from}");
        file.contents = file.contents.replacen(from, to, 1);
        check::crate_is_whole(&files).unwrap_err()
    };
    let missing = broken("src/types.rs", "pub struct Toy {", "pub struct Toys {");
    assert!(
        missing.ends_with("`types::Toy`: no `Toy` in `types`"),
        "{missing}"
    );
    assert!(broken("src/lib.rs", "pub mod types;", "").contains("are not the files written"));
    assert_eq!(
        broken("src/types.rs", "pub struct Circle {", "pub struct Toy {"),
        "src/types.rs defines `Toy` twice"
    );
    assert!(broken("Cargo.toml", "name = \"fuzzed\"", "name = fuzzed").contains("is not TOML"));
    assert!(
        broken("Cargo.toml", "name = \"fuzzed\"", "name = \"x\"").contains("names the package")
    );
}

/// A fault planted in the generator (`sdkgen::fault`) fails the harness: the child process
/// below runs the checks with `SDKGEN_FAULT` set, and must fail.
#[test]
fn an_internal_error_fails_the_harness() {
    for fault in ["lower", "emit", "unparsable"] {
        let output = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "planted_fault_child", "--ignored", "--nocapture"])
            .env(sdkgen::fault::VAR, fault)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{fault}: the harness passed");
        assert!(
            stderr.contains("an internal error (a bug in the generator)"),
            "{fault}: {stderr}"
        );
    }
}

/// The other half of the test above: does nothing unless a fault is planted.
#[test]
#[ignore = "run by `an_internal_error_fails_the_harness` in a child process"]
fn planted_fault_child() {
    if std::env::var_os(sdkgen::fault::VAR).is_some() {
        let spec = std::fs::read_to_string("../spec/openapi.yaml").unwrap();
        check::check("openapi.yaml", &spec);
    }
}

/// A sample of the generated crates, kept for the build at the end of the long run.
struct Sample {
    crates: Vec<(String, Vec<sdkgen::GeneratedFile>)>,
    seen: u64,
    state: u64,
}

impl Sample {
    /// Reservoir sampling: each crate generated has the same chance to be built.
    fn offer(&mut self, size: usize, text: &str, files: Vec<sdkgen::GeneratedFile>) {
        self.seen += 1;
        // xorshift64: a plain generator is enough to pick.
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        if self.crates.len() < size {
            self.crates.push((text.to_owned(), files));
        } else {
            let slot = (self.state % self.seen) as usize;
            if slot < size {
                self.crates[slot] = (text.to_owned(), files);
            }
        }
    }
}

/// The long run: as many inputs as fit in `FUZZ_SECONDS` (default 60), from the three
/// strategies in turn, then `cargo check` of `FUZZ_BUILD` (default 24) of the crates generated.
/// Failing inputs are written to `target/fuzz-findings/`, and the test fails at the end with
/// their count.
#[test]
#[ignore = "long-running; run with --ignored (see the module comment)"]
fn fuzz_for_a_while() {
    let env = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(default)
    };
    let seconds = env("FUZZ_SECONDS", 60);
    let build = env("FUZZ_BUILD", 24) as usize;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let seeds = seeds();
    let findings = Path::new("../target/fuzz-findings");
    let mut runner = TestRunner::new(Config::default());
    let (mut tried, mut generated, mut failed) = (0u64, 0u64, 0u64);
    let mut sample = Sample {
        crates: Vec::new(),
        seen: 0,
        state: 0x9e37_79b9_7f4a_7c15 ^ u64::from(std::process::id()),
    };
    // A panic is caught and recorded; the default hook would print each one.
    std::panic::set_hook(Box::new(|_| {}));
    while Instant::now() < deadline {
        let (name, text) = match tried % 3 {
            0 => mutated(
                &seeds,
                &mutations().new_tree(&mut runner).unwrap().current(),
            ),
            1 => made_up().new_tree(&mut runner).unwrap().current(),
            _ => edited(&seeds, &edits().new_tree(&mut runner).unwrap().current()),
        };
        tried += 1;
        // A stack overflow aborts the process with no chance to save the input: keep it first.
        std::fs::create_dir_all(findings).expect("a findings directory");
        std::fs::write(findings.join(format!("last-input-{name}")), &text)
            .expect("the input is kept");
        match std::panic::catch_unwind(|| check::check_files(name, &text)) {
            Ok(Some(files)) => {
                generated += 1;
                sample.offer(build, &text, files);
            }
            Ok(None) => {}
            Err(_) => {
                failed += 1;
                let file = findings.join(format!("{failed}-{name}"));
                std::fs::write(&file, &text).expect("the finding is written");
            }
        }
    }
    let _ = std::panic::take_hook();
    println!("fuzz: {tried} inputs in {seconds} s, {generated} generated a crate, {failed} failed");
    let broken = build_sample(&sample.crates);
    for (i, (text, errors)) in broken.iter().enumerate() {
        let file = findings.join(format!("does-not-build-{i}.spec"));
        std::fs::write(&file, format!("{text}\n# --- cargo check ---\n{errors}"))
            .expect("the finding is written");
    }
    println!(
        "fuzz: {} of {} sampled crates build",
        sample.crates.len() - broken.len(),
        sample.crates.len()
    );
    assert_eq!(failed, 0, "failing inputs are in {}", findings.display());
    assert!(
        broken.is_empty(),
        "generated crates that do not build are in {}",
        findings.display()
    );
}

/// Writes `crates` as members of one scratch workspace (`target/fuzz-crates`) and checks them
/// in one `cargo check`, with the target directory the compile tests use. Returns the spec and
/// the compiler's errors of each crate that does not build.
fn build_sample(crates: &[(String, Vec<sdkgen::GeneratedFile>)]) -> Vec<(String, String)> {
    if crates.is_empty() {
        return Vec::new();
    }
    let root = tests::root();
    let scratch = root.join("target/fuzz-crates");
    let _ = std::fs::remove_dir_all(&scratch);
    let mut members = Vec::new();
    for (i, (_, files)) in crates.iter().enumerate() {
        let dir = scratch.join(format!("fuzzed_{i}"));
        for file in files {
            // Each crate its own package name; standalone crates are members here instead.
            let contents = if file.path == "Cargo.toml" {
                file.contents
                    .replace(
                        &format!("name = \"{}\"", check::CRATE_NAME),
                        &format!("name = \"fuzzed_{i}\""),
                    )
                    .replace("\n[workspace]\n", "\n")
            } else {
                file.contents.clone()
            };
            let path = dir.join(&file.path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, contents).unwrap();
        }
        members.push(format!("\"fuzzed_{i}\""));
    }
    std::fs::write(
        scratch.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "check",
            "--workspace",
            "--keep-going",
            "--message-format=short",
        ])
        .current_dir(&scratch)
        .env(
            "CARGO_TARGET_DIR",
            root.join("target/generated-crates/target"),
        )
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut broken = Vec::new();
    for (i, (text, _)) in crates.iter().enumerate() {
        let prefix = format!("fuzzed_{i}/");
        let errors: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with(&prefix) && l.contains(": error"))
            .collect();
        let failed = stderr.contains(&format!("could not compile `fuzzed_{i}`"));
        if failed || !errors.is_empty() {
            broken.push((text.clone(), errors.join("\n")));
        }
    }
    if !output.status.success() && broken.is_empty() {
        panic!("cargo check failed:\n{stderr}");
    }
    broken
}
