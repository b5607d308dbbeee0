//! The scratch workspace: each spec's crate and its contract driver, built together so they
//! share one dependency build.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Fatal, Setup};

/// Writes every spec's crate and driver, builds them, and returns each driver's binary.
pub fn build(setup: &Setup, specs: &[PathBuf]) -> Result<Vec<PathBuf>, Fatal> {
    let crates = setup.scratch.join("crates");
    let _ = std::fs::remove_dir_all(&crates);
    let mut members = Vec::new();
    let mut binaries = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let name = crate_name(spec, i);
        let options = sdkgen::Options {
            crate_name: name.clone(),
            command: "cargo xtask conformance".to_owned(),
            standalone: false,
        };
        let generated = sdkgen::generate_contract(spec, &options).map_err(|failure| {
            Fatal(format!(
                "{} does not generate:\n{}",
                spec.display(),
                failure.report(false)
            ))
        })?;
        let crate_dir = crates.join(&name);
        let driver_dir = crates.join(format!("{name}-contract"));
        for file in &generated.files {
            let path = match file.path.strip_prefix("contract/") {
                Some(rest) => driver_dir.join("src").join(rest),
                None => crate_dir.join(&file.path),
            };
            write(&path, &file.contents)?;
        }
        write(&driver_dir.join("Cargo.toml"), &driver_manifest(&name))?;
        members.push(format!("crates/{name}"));
        members.push(format!("crates/{name}-contract"));
        binaries.push(setup.target.join("debug").join(format!("contract_{name}")));
    }
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        members
            .iter()
            .map(|m| format!("{m:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    write(&setup.scratch.join("Cargo.toml"), &manifest)?;
    // The project's lock file pins the dependency versions the checked-in crates use.
    let _ = std::fs::copy(
        setup.root.join("Cargo.lock"),
        setup.scratch.join("Cargo.lock"),
    );
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["build", "--workspace", "--bins", "--quiet"])
        .current_dir(&setup.scratch)
        .env("CARGO_TARGET_DIR", &setup.target)
        .output()
        .map_err(|e| Fatal(format!("cannot run cargo: {e}")))?;
    if !output.status.success() {
        return Err(Fatal(format!(
            "the generated crates or their drivers do not build:\n{}",
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    Ok(binaries)
}

/// A package name for a spec: its file name (or its directory's, for `openapi.yaml`), made a
/// valid crate name, numbered so two specs never share one.
fn crate_name(spec: &Path, index: usize) -> String {
    let stem = spec
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = if stem == "openapi" {
        spec.parent()
            .and_then(Path::file_name)
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or(stem)
    } else {
        stem
    };
    let clean: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("c{index}_{clean}")
}

fn driver_manifest(name: &str) -> String {
    format!(
        r#"[package]
name = "contract_{name}"
version = "0.1.0"
edition = "2024"
publish = false

[[bin]]
name = "contract_{name}"
path = "src/main.rs"

[dependencies]
{name} = {{ path = "../{name}" }}
reqwest = {{ version = "0.13", default-features = false }}
serde = "1"
serde_json = "1"
tokio = {{ version = "1", features = ["macros", "rt", "net", "io-util"] }}
"#
    )
}

fn write(path: &Path, contents: &str) -> Result<(), Fatal> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Fatal(format!("cannot create {}: {e}", parent.display())))?;
    }
    std::fs::write(path, contents)
        .map_err(|e| Fatal(format!("cannot write {}: {e}", path.display())))
}
