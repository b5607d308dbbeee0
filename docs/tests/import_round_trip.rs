//! `docs-import` round trip: each fixture page, imported into a copy of `spec/openapi.yaml`
//! that lacks its operation, gives a spec that `redocly lint` passes with no error or warning,
//! that `docs-check` finds no drift in against the same page, and whose generated crate
//! builds clippy-clean. The text already in the spec is kept line for line.
//!
//! The crates are built together in one scratch workspace, with the target directory the
//! compile tests use (`target/generated-crates/target`), so dependencies build once.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "../../tests/src/skip.rs"]
mod skip;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The fixture pages, and the seed page the hand-written spec was made from.
fn pages() -> Vec<PathBuf> {
    let dir = root().join("docs/tests/pages");
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pages.sort();
    pages.push(root().join("../shared/docs-pages/000_7db3e53499dac604.txt"));
    pages
}

fn redocly() -> Option<PathBuf> {
    let path = root().join("tools/node/node_modules/.bin/redocly");
    if path.exists() {
        return Some(path);
    }
    skip::skip(
        "redocly lint of the imported specs: redocly is not installed in tools/node (run `cd tools/node && npm ci`)",
    );
    None
}

/// `spec/openapi.yaml` without the operation `page` documents (and the schemas only it used).
fn base_spec(page: &sdkdocs::page::Page) -> String {
    let text = std::fs::read_to_string(root().join("spec/openapi.yaml")).unwrap();
    let mut spec: serde_json::Value = serde_yaml::from_str(&text).unwrap();
    let key = page.operation.path.clone();
    let Some(paths) = spec["paths"].as_object_mut() else {
        return text;
    };
    if paths.remove(&key).is_none() {
        return text;
    }
    // The seed page's operation is the only one: its schemas and response headers (which
    // the page does not show) go with it, but the error schemas stay for the import to find
    // again.
    let components = spec["components"].as_object_mut().unwrap();
    components.remove("headers");
    let schemas = spec["components"]["schemas"].as_object_mut().unwrap();
    schemas.retain(|name, _| name.ends_with("DTO") && !name.starts_with("GetInstagram"));
    serde_yaml::to_string(&spec).unwrap()
}

fn lint(redocly: &Path, spec: &Path) {
    let output = Command::new(redocly)
        .arg("lint")
        .arg(spec)
        .env("REDOCLY_TELEMETRY", "off")
        .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{}: {text}", spec.display());
    let counts = text.lines().any(|line| {
        let words: Vec<&str> = line.split_whitespace().collect();
        words.windows(2).any(|w| {
            w[0].parse::<u32>().is_ok()
                && (w[1].starts_with("warning") || w[1].starts_with("error"))
        })
    });
    assert!(!counts, "{}: {text}", spec.display());
}

#[test]
fn every_fixture_page_round_trips() {
    let scratch = root().join("target/docs-import");
    let _ = std::fs::remove_dir_all(&scratch);
    let redocly = redocly();
    let mut members = Vec::new();
    for page_path in pages() {
        let name = page_path
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "_");
        let crate_name = format!("imported_{name}");
        let page_text = std::fs::read_to_string(&page_path).unwrap();
        let page = sdkdocs::page::parse(&page_text).unwrap();
        let dir = scratch.join(&name);
        std::fs::create_dir_all(&dir).unwrap();
        let spec_path = dir.join("openapi.yaml");
        let before = base_spec(&page);

        let imported = sdkdocs::import::import(
            &before,
            "openapi.yaml",
            false,
            &[(page_path.display().to_string(), page_text.clone())],
        )
        .unwrap_or_else(|errors| panic!("{name}: {errors:?}"));
        std::fs::write(&spec_path, &imported.text).unwrap();

        // What was there stays, line for line: the import only adds lines (an empty
        // `paths: {}` becomes a block).
        let diff = similar::TextDiff::from_lines(&before, &imported.text);
        let removed: Vec<String> = diff
            .iter_all_changes()
            .filter(|c| c.tag() == similar::ChangeTag::Delete && c.value() != "paths: {}\n")
            .map(|c| c.to_string())
            .collect();
        assert!(removed.is_empty(), "{name}: lines changed: {removed:?}");

        if let Some(redocly) = &redocly {
            lint(redocly, &spec_path);
        }

        let specs = sdkdocs::load_spec(&spec_path, "openapi.yaml", &[]).unwrap();
        let report = sdkdocs::check(&specs, &name, &page_text);
        let rendered = sdkdocs::report::text(std::slice::from_ref(&report));
        assert!(
            matches!(&report.outcome, sdkdocs::report::Outcome::Compared { changes, .. } if changes.is_empty()),
            "{name}: {rendered}"
        );

        let options = sdkgen::Options {
            crate_name: crate_name.clone(),
            command: "cargo test -p sdkdocs --test import_round_trip".into(),
            standalone: false,
        };
        let generated = sdkgen::generate(&spec_path, &options)
            .unwrap_or_else(|failure| panic!("{name}: {failure}"));
        let crate_dir = scratch.join("crates").join(&crate_name);
        for file in &generated.files {
            let path = crate_dir.join(&file.path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, &file.contents).unwrap();
        }
        members.push(format!("crates/{crate_name}"));
    }
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        members
            .iter()
            .map(|m| format!("{m:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    std::fs::write(scratch.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(root().join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--keep-going",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ])
        .current_dir(&scratch)
        .env(
            "CARGO_TARGET_DIR",
            root().join("target/generated-crates/target"),
        )
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "imported crates do not build cleanly:\n{stderr}"
    );
    assert!(!stderr.contains("warning"), "warnings:\n{stderr}");
}
