//! Snapshots of the generator's output: for `spec/` and for every fixture under `tests/fixtures/`.
//! A change in the generator shows up here as a reviewable diff (`cargo insta review`).

/// The files copied into every crate as they are; only the project's own spec shows them.
const RUNTIME_FILES: &[&str] = &[
    "src/runtime.rs",
    "src/transport.rs",
    "src/style.rs",
    "src/pages.rs",
    "src/auth.rs",
];

/// The generated crate as one text: each file under a `==> path <==` line.
fn crate_text(generated: &sdkgen::Generated, with_runtime: bool) -> String {
    let mut text = String::new();
    for file in &generated.files {
        if RUNTIME_FILES.contains(&file.path.as_str()) && !with_runtime {
            continue;
        }
        text.push_str(&format!("==> {} <==\n{}\n", file.path, file.contents));
    }
    if !generated.warnings.is_empty() {
        text.push_str("==> warnings <==\n");
        for warning in &generated.warnings {
            text.push_str(&format!("{warning}\n"));
        }
    }
    text
}

#[test]
fn spec_output() {
    let spec = std::path::Path::new("../spec/openapi.yaml");
    let options = sdkgen::Options {
        crate_name: "highlevel".into(),
        command: "cargo xtask codegen".into(),
        standalone: false,
    };
    let generated = sdkgen::generate(spec, &options).unwrap_or_else(|f| panic!("{f}"));
    assert!(
        generated.warnings.is_empty(),
        "the project's spec has warnings: {:?}",
        generated.warnings
    );
    insta::assert_snapshot!("spec", crate_text(&generated, true));
}

#[test]
fn fixture_outputs() {
    let fixtures = tests::fixtures();
    assert!(fixtures.len() >= 3, "fixtures missing: {fixtures:?}");
    for (name, spec) in fixtures {
        let generated = tests::generate(&name, &spec);
        insta::assert_snapshot!(format!("fixture-{name}"), crate_text(&generated, false));
    }
}
