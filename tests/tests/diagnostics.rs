//! Every spec under `tests/bad-specs/` is broken in one way; its rendered diagnostics (plain
//! text, as a person reads them) are snapshotted in `snapshots/diagnostics__*.snap`.
//!
//! A case is a file (`name.yaml`, `name.json`) or, for several files, a folder whose root
//! document is `spec.yaml` or `spec.json`. Paths are relative to this package, so snapshots
//! do not depend on the machine. Update with `INSTA_UPDATE=always cargo test -p tests --test
//! diagnostics` and review the diff.

use std::path::{Path, PathBuf};

use sdkgen::{Options, Severity};

fn options() -> Options {
    Options {
        crate_name: "bad".to_owned(),
        command: "cargo test -p tests --test diagnostics".to_owned(),
        standalone: true,
    }
}

/// Each case's name and its root document, relative to the package (the test's directory).
fn cases() -> Vec<(String, PathBuf)> {
    let dir = Path::new("bad-specs");
    let mut cases = Vec::new();
    for entry in std::fs::read_dir(dir).expect("tests/bad-specs exists") {
        let path = entry.expect("readable entry").path();
        let name = path
            .file_name()
            .expect("a file name")
            .to_string_lossy()
            .into_owned();
        if path.is_dir() {
            let root = ["spec.yaml", "spec.json"]
                .iter()
                .map(|f| path.join(f))
                .find(|p| p.exists())
                .unwrap_or_else(|| panic!("{name}/ has no spec.yaml or spec.json"));
            cases.push((name, root));
        } else {
            let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
            cases.push((stem.to_owned(), path));
        }
    }
    cases.sort();
    cases
}

/// What a person sees: the report, then one line on the outcome.
fn rendered(
    spec: &Path,
) -> (
    String,
    Vec<sdkgen::Diagnostic>,
    std::collections::BTreeMap<String, String>,
) {
    match sdkgen::generate(spec, &options()) {
        Ok(generated) => {
            // The number of files is the emitter's business, not this test's.
            let text = format!(
                "{}outcome: generated, with {} warning(s)\n",
                generated.report(false),
                generated.warnings.len()
            );
            (text, generated.warnings, generated.sources)
        }
        Err(failure) => {
            let text = format!("{}outcome: stopped\n", failure.report(false));
            (text, failure.diagnostics, failure.sources)
        }
    }
}

#[test]
fn bad_specs_are_explained() {
    let cases = cases();
    assert!(
        cases.len() >= 30,
        "the corpus shrank to {} cases",
        cases.len()
    );
    for (name, spec) in cases {
        let (text, diagnostics, sources) = rendered(&spec);
        // The report is a snapshot: stable wording is part of the interface.
        insta::with_settings!({ input_file => &spec, omit_expression => true }, {
            insta::assert_snapshot!(name.as_str(), text);
        });
        assert!(
            !diagnostics.is_empty(),
            "{name}: a bad spec passed without a word"
        );
        for d in &diagnostics {
            // Every diagnostic in a file whose text is known is placed on a line.
            let has_text = sources.get(&d.file).is_some_and(|t| !t.trim().is_empty());
            assert!(!has_text || d.line.is_some(), "{name}: no line for {d}");
            assert!(
                !text.contains('\u{1b}'),
                "{name}: colour in the plain report"
            );
            // Every error says what to do. (Some of the lowering's warnings have no help yet.)
            assert!(
                d.severity == Severity::Warning || d.help.is_some(),
                "{name}: no help for {d}"
            );
        }
    }
}

#[test]
fn colour_only_when_asked() {
    let failure = sdkgen::generate(Path::new("bad-specs/openapi-3.2.yaml"), &options())
        .expect_err("OpenAPI 3.2 is refused");
    assert!(failure.report(true).contains('\u{1b}'));
    assert!(!failure.report(false).contains('\u{1b}'));
}

#[test]
fn in_memory_documents_are_explained_the_same_way() {
    let spec = Path::new("bad-specs/missing-responses.yaml");
    let text = std::fs::read_to_string(spec).unwrap();
    let from_file = sdkgen::generate(spec, &options()).unwrap_err();
    let from_text =
        sdkgen::generate_from_str("bad-specs/missing-responses.yaml", &text, &options())
            .unwrap_err();
    assert_eq!(from_file.report(false), from_text.report(false));
}

#[test]
fn errors_stop_generation_and_warnings_do_not() {
    let warned = sdkgen::generate(Path::new("bad-specs/status-not-code.yaml"), &options())
        .expect("warnings never stop generation");
    assert!(
        warned
            .warnings
            .iter()
            .all(|w| w.severity == Severity::Warning)
    );
    assert!(!warned.files.is_empty());
    let failed = sdkgen::generate(Path::new("bad-specs/missing-paths.yaml"), &options())
        .expect_err("a missing `paths` stops generation");
    assert!(
        failed
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    );
}

/// A minified document is one long line; each diagnostic shows a window of it around the
/// place, as rustc does with long lines, never the whole line.
#[test]
fn a_minified_document_shows_a_window_per_diagnostic() {
    let schemas: Vec<String> = (0..2000)
        .map(|i| {
            let field = if i % 10 == 0 { "any" } else { "string" };
            format!(r#""S{i}":{{"type":"object","description":"{}","properties":{{"f":{{"type":"{field}"}}}}}}"#, "x".repeat(500))
        })
        .collect();
    let text = format!(
        r#"{{"openapi":"3.0.3","info":{{"title":"t","version":"1"}},"paths":{{}},"components":{{"schemas":{{{}}}}}}}"#,
        schemas.join(",")
    );
    assert!(text.len() > 1_000_000 && !text.contains('\n'));
    let generated = sdkgen::generate_from_str("min.json", &text, &options()).unwrap();
    assert_eq!(generated.warnings.len(), 200);
    let report = generated.report(false);
    // Each warning's excerpt stays within a few hundred characters of the place.
    assert!(report.len() < 200 * 1_000, "{} bytes", report.len());
    let first = &generated.warnings[0];
    let column = text.find(r#""type":"any""#).unwrap() + r#""type":"#.len() + 1;
    assert_eq!(first.line, Some((1, column)));
    assert!(
        report.contains(&format!("--> min.json:1:{column}\n")),
        "{}",
        &report[..600]
    );
    let longest = report.lines().map(str::len).max().unwrap_or(0);
    assert!(longest < 300, "a line of {longest} bytes");
    assert!(
        report.contains(r#"xxx","properties":{"f":{"type":"any"}}},"S1":{"#),
        "{}",
        &report[..600]
    );
}
