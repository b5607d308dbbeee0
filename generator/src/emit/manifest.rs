//! `Cargo.toml` of the generated crate.

use std::fmt::Write;

use crate::Options;
use crate::ir::Api;

/// What the generated code and its runtime use; reqwest with rustls, never the system's OpenSSL.
const DEPENDENCIES: &[&str] = &[
    "bytes = \"1\"",
    "fastrand = \"2\"",
    "httpdate = \"1\"",
    "percent-encoding = \"2\"",
    "reqwest = { version = \"0.13\", default-features = false, features = [\"rustls\", \"http2\", \"multipart\"] }",
    "serde = { version = \"1\", features = [\"derive\"] }",
    "serde_json = \"1\"",
    "serde_path_to_error = \"0.1\"",
    "thiserror = \"2\"",
    "tokio = { version = \"1\", features = [\"time\"] }",
    "tracing = \"0.1\"",
];

/// What the paging streams use, in a crate where an operation pages.
const PAGING: &str = "futures-util = { version = \"0.3\", default-features = false }";

pub fn manifest(api: &Api, options: &Options) -> String {
    let mut out = String::new();
    let description = format!("Async Rust client for {} {}", api.title, api.version);
    let _ = writeln!(out, "[package]");
    let _ = writeln!(out, "name = {}", toml_string(&options.crate_name));
    let _ = writeln!(out, "version = \"0.1.0\"");
    let _ = writeln!(out, "description = {}", toml_string(&description));
    let _ = writeln!(out, "edition = \"2024\"");
    let _ = writeln!(out, "rust-version = \"1.85\"");
    let _ = writeln!(out, "publish = false");
    let _ = writeln!(out);
    let _ = writeln!(out, "[dependencies]");
    for line in DEPENDENCIES {
        let _ = writeln!(out, "{line}");
        // In name order: the paging streams are `futures` streams.
        if line.starts_with("fastrand") && api.paged() {
            let _ = writeln!(out, "{PAGING}");
        }
    }
    let _ = writeln!(out, "wiremock = {{ version = \"0.6\", optional = true }}");
    let _ = writeln!(out);
    let _ = writeln!(out, "[features]");
    let _ = writeln!(
        out,
        "# Test support: `mock::MockServer` answers the operations with typed values."
    );
    let _ = writeln!(out, "mock = [\"dep:wiremock\"]");
    let _ = writeln!(out);
    let _ = writeln!(out, "[package.metadata.docs.rs]");
    let _ = writeln!(out, "all-features = true");
    let _ = writeln!(out);
    let _ = writeln!(out, "# For the doc examples and the examples/ folder.");
    let _ = writeln!(out, "[dev-dependencies]");
    let _ = writeln!(
        out,
        "tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"time\"] }}"
    );
    if options.standalone {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "# Builds on its own, outside any surrounding workspace."
        );
        let _ = writeln!(out, "[workspace]");
    }
    out
}

/// A TOML basic string.
fn toml_string(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
