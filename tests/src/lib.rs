//! Shared helpers of the project's tests: where the fixture specs are, and how to generate them.

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Every fixture spec: `fixtures/NAME.yaml`, or `fixtures/NAME/openapi.yaml` for one split over
/// several files, sorted by name. The paths are relative to this package, the directory cargo
/// runs its tests in, so no machine path shows in the warnings the snapshots hold.
pub fn fixtures() -> Vec<(String, PathBuf)> {
    let dir = Path::new("fixtures");
    let mut found: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|entry| {
                    let path = entry.path();
                    if path.is_dir() {
                        let name = path.file_name()?.to_string_lossy().into_owned();
                        Some((name, path.join("openapi.yaml")))
                    } else {
                        let name = path.file_stem()?.to_string_lossy().into_owned();
                        matches!(path.extension()?.to_str()?, "yaml" | "json")
                            .then_some((name, path))
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

/// The file `cargo xtask test` names in this variable gets a line per skip.
pub const SKIPPED_TESTS_FILE: &str = "SKIPPED_TESTS_FILE";

/// Says that the running test skipped what it checks, and why: on stderr (shown with
/// `--nocapture`), and as a line `test name: reason` in the file `SKIPPED_TESTS_FILE` names,
/// which `cargo xtask test` counts and prints at the end, so a skip is never silent.
pub fn skipped(reason: &str) {
    use std::io::Write;
    eprintln!("skipped: {reason}");
    let Some(file) = std::env::var_os(SKIPPED_TESTS_FILE) else {
        return;
    };
    let test = std::thread::current().name().unwrap_or("a test").to_owned();
    let opened = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file);
    if let Ok(mut file) = opened {
        let _ = writeln!(file, "{test}: {reason}");
    }
}

/// The crate name a fixture is generated under.
pub fn crate_name(fixture: &str) -> String {
    format!("fixture_{}", fixture.replace('-', "_"))
}

/// Generates a fixture (as a workspace member, not standalone), failing the test on errors.
pub fn generate(name: &str, spec: &Path) -> sdkgen::Generated {
    let options = sdkgen::Options {
        crate_name: crate_name(name),
        command: "cargo test -p tests".to_owned(),
        standalone: false,
    };
    match sdkgen::generate(spec, &options) {
        Ok(generated) => generated,
        Err(failure) => panic!("fixture {name} does not generate:\n{failure}"),
    }
}

/// Runs `cargo run -p highlevel --example instagram_accounts -- ARGS` with the token in the
/// environment (or none).
pub fn run_example(args: &[&str], token: Option<&str>) -> std::process::Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = std::process::Command::new(cargo);
    command
        .current_dir(root())
        .args([
            "run",
            "--quiet",
            "-p",
            "highlevel",
            "--example",
            "instagram_accounts",
            "--",
        ])
        .args(args)
        .env_remove("HIGHLEVEL_TOKEN");
    if let Some(token) = token {
        command.env("HIGHLEVEL_TOKEN", token);
    }
    match command.output() {
        Ok(output) => output,
        Err(err) => panic!("cannot run cargo: {err}"),
    }
}
