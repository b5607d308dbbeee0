//! `Cargo.toml` of the generated crate.

use std::fmt::Write;

use crate::Options;
use crate::ir::Api;

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
    let _ = writeln!(out, "bytes = \"1\"");
    let _ = writeln!(out, "percent-encoding = \"2\"");
    let _ = writeln!(
        out,
        "reqwest = {{ version = \"0.13\", default-features = false, features = [\"rustls\", \"http2\", \"query\", \"form\", \"multipart\"] }}"
    );
    let _ = writeln!(
        out,
        "serde = {{ version = \"1\", features = [\"derive\"] }}"
    );
    let _ = writeln!(out, "serde_json = \"1\"");
    let _ = writeln!(out, "thiserror = \"2\"");
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
