//! Fuzzing on stable Rust: mutated copies of `spec/openapi.yaml`, of the fixtures and of the
//! bad specs (OpenAPI 3.0 and 3.1 and Swagger 2.0 documents), and token soup, fed to
//! `sdkgen::generate_from_str`. Whatever comes back, nothing panics, and
//! every generated `.rs` file parses with `syn`.
//!
//! `cargo test` runs a short, bounded pass. The long run (see the README):
//!
//! ```text
//! FUZZ_SECONDS=600 cargo test --release -p tests --test fuzz -- --ignored --nocapture
//! ```
//!
//! It prints how many inputs it tried, and writes any input that fails to
//! `target/fuzz-findings/`. The cargo-fuzz target in `fuzz/` runs the same checks under
//! libFuzzer, on nightly.

#[path = "fuzz_support/mutate.rs"]
mod mutate;

use std::path::Path;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;

/// Every spec of the project, fixture and bad spec (the root document of a folder of files
/// too): OpenAPI 3.0 and 3.1 and Swagger 2.0 documents, each a seed to mutate.
fn seeds() -> Vec<Value> {
    let mut seeds = Vec::new();
    let mut paths = vec![Path::new("../spec/openapi.yaml").to_path_buf()];
    for dir in ["fixtures", "bad-specs"] {
        if let Ok(entries) = std::fs::read_dir(dir) {
            let mut found: Vec<_> = entries.flatten().map(|e| e.path()).collect();
            found.sort();
            for path in found {
                if path.is_dir() {
                    paths.extend(
                        ["openapi.yaml", "spec.yaml"]
                            .iter()
                            .map(|f| path.join(f))
                            .filter(|p| p.exists()),
                    );
                } else {
                    paths.push(path);
                }
            }
        }
    }
    for path in paths {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if let Ok(value @ Value::Object(_)) = serde_yaml::from_str::<Value>(&text) {
            seeds.push(value);
        }
    }
    let declares = |key: &str, prefix: &str| {
        seeds.iter().any(|s| {
            s.get(key)
                .and_then(Value::as_str)
                .is_some_and(|v| v.starts_with(prefix))
        })
    };
    assert!(
        declares("openapi", "3.0") && declares("openapi", "3.1") && declares("swagger", "2.0"),
        "seeds of every version are missing"
    );
    seeds
}

/// Pieces of YAML and JSON that, strung together, make text the parsers half accept.
const TOKENS: &[&str] = &[
    "openapi: 3.0.3\n",
    "openapi: 3.1.0\n",
    "swagger: '2.0'\n",
    "definitions:\n",
    "    A: {type: [string, 'null'], $defs: {B: {$ref: '#/components/schemas/A/$defs/B'}}}\n",
    "    - {name: b, in: body, schema: {$ref: '#/definitions/A'}}\n",
    "info: {title: t, version: '1'}\n",
    "paths:\n",
    "  /a/{id}:\n",
    "    get:\n",
    "      responses:\n",
    "        '200': {description: ok}\n",
    "components:\n  schemas:\n",
    "    A: {$ref: '#/components/schemas/A'}\n",
    "    B: {allOf: [{$ref: '#/components/schemas/B'}]}\n",
    "  ",
    "- ",
    ": ",
    "{",
    "}",
    "[",
    "]",
    ",",
    "\"",
    "'",
    "\n",
    "\t",
    "&a ",
    "*a ",
    "<<: *a\n",
    "---\n",
    "#",
    "\u{feff}",
    "é",
    "\\u0000",
    "!!binary ",
    "~",
    "9999999999999999999999",
    "-0.0e-9",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..60).prop_map(|t| t.concat())
}

fn mutations() -> impl Strategy<Value = (usize, Vec<u8>)> {
    (any::<usize>(), prop::collection::vec(any::<u8>(), 0..64))
}

fn mutated(seeds: &[Value], (pick, data): &(usize, Vec<u8>)) -> (&'static str, String) {
    let seed = seeds.get(pick % seeds.len()).unwrap_or(&Value::Null);
    mutate::mutated_text(seed, data)
}

proptest! {
    // Short enough for every `cargo test`; `PROPTEST_CASES` raises it.
    #![proptest_config(Config { cases: 48, failure_persistence: None, ..Config::default() })]

    #[test]
    fn mutated_specs_never_panic(input in mutations()) {
        let seeds = seeds();
        let (name, text) = mutated(&seeds, &input);
        mutate::check(name, &text);
    }

    #[test]
    fn token_soup_never_panics(text in soup(), json in any::<bool>()) {
        mutate::check(if json { "soup.json" } else { "soup.yaml" }, &text);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        mutate::check("bytes.yaml", &String::from_utf8_lossy(&bytes));
    }
}

/// The long run: as many inputs as fit in `FUZZ_SECONDS` (default 60), from all three
/// sources in turn. Failing inputs are written to `target/fuzz-findings/` and the test fails
/// at the end with their count.
#[test]
#[ignore = "long-running; run with --ignored (see the module comment)"]
fn fuzz_for_a_while() {
    let seconds: u64 = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let seeds = seeds();
    let findings = Path::new("../target/fuzz-findings");
    let mut runner = TestRunner::new(Config::default());
    let (mut tried, mut generated, mut failed) = (0u64, 0u64, 0u64);
    // A panic is caught and recorded; the default hook would print each one.
    std::panic::set_hook(Box::new(|_| {}));
    while Instant::now() < deadline {
        let (name, text) = match tried % 3 {
            0 => {
                let input = mutations()
                    .new_tree(&mut runner)
                    .expect("a strategy without filters")
                    .current();
                mutated(&seeds, &input)
            }
            1 => (
                "soup.yaml",
                soup().new_tree(&mut runner).expect("no filters").current(),
            ),
            _ => {
                let bytes = prop::collection::vec(any::<u8>(), 0..200)
                    .new_tree(&mut runner)
                    .expect("no filters")
                    .current();
                ("bytes.yaml", String::from_utf8_lossy(&bytes).into_owned())
            }
        };
        tried += 1;
        // A stack overflow aborts the process with no chance to save the input: keep it first.
        std::fs::create_dir_all(findings).expect("a findings directory");
        std::fs::write(findings.join(format!("last-input-{name}")), &text)
            .expect("the input is kept");
        match std::panic::catch_unwind(|| mutate::check(name, &text)) {
            Ok(true) => generated += 1,
            Ok(false) => {}
            Err(_) => {
                failed += 1;
                let file = findings.join(format!("{failed}-{name}"));
                std::fs::write(&file, &text).expect("the finding is written");
            }
        }
    }
    let _ = std::panic::take_hook();
    println!("fuzz: {tried} inputs in {seconds} s, {generated} generated a crate, {failed} failed");
    assert_eq!(failed, 0, "failing inputs are in {}", findings.display());
}
