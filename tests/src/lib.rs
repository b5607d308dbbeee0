//! Shared helpers of the project's tests: where the fixture specs are, and how to generate them.

use std::path::{Path, PathBuf};

pub mod skip;

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

#[cfg(test)]
mod skipping {
    use std::process::Command;

    /// Runs `skipping::child` alone in a child process, with `CI` set or not.
    fn run_child(ci: bool, log: &std::path::Path) -> std::process::Output {
        let mut command = Command::new(std::env::current_exe().unwrap());
        command
            .args(["--exact", "skipping::child", "--ignored", "--nocapture"])
            .env(crate::skip::SKIPPED_VAR, log)
            .env("SKIPPING_CHILD", "1")
            .env_remove("CI");
        if ci {
            command.env("CI", "true");
        }
        command.output().unwrap()
    }

    #[test]
    fn a_skip_is_counted_outside_ci_and_fails_under_ci() {
        let log = std::env::temp_dir().join(format!("skipped-{}.txt", std::process::id()));
        let _ = std::fs::remove_file(&log);
        let outside = run_child(false, &log);
        assert!(outside.status.success(), "{outside:?}");
        assert_eq!(
            std::fs::read_to_string(&log).unwrap(),
            "tests::skipping::child\tthe tool is missing (install it)\n"
        );
        let under_ci = run_child(true, &log);
        let _ = std::fs::remove_file(&log);
        assert!(!under_ci.status.success(), "a skip passed under CI");
        assert!(
            String::from_utf8_lossy(&under_ci.stderr)
                .contains("the tool is missing (install it); under CI"),
            "{under_ci:?}"
        );
    }

    #[test]
    #[ignore = "run by the test above in a child process"]
    fn child() {
        if std::env::var_os("SKIPPING_CHILD").is_some() {
            crate::skip::skip("the tool is missing (install it)");
        }
    }
}
