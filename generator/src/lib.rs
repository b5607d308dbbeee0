//! Turns an OpenAPI 3.0 document into the source of an async Rust client crate.
//!
//! The work is a pipeline of plain stages, each a module with one entry point:
//! [`load`] reads the files, [`resolve`] bundles external `$ref`s into one document,
//! [`lower`] builds the intermediate model in [`ir`], [`emit`] turns it into tokens and
//! [`render`] prints them. Problems travel as [`Diagnostic`] values, never as panics.

mod diag;
mod names;

// The stages are public only so benchmarks can time each one; they are not a stable API.
#[doc(hidden)]
pub mod emit;
#[doc(hidden)]
pub mod ir;
#[doc(hidden)]
pub mod load;
#[doc(hidden)]
pub mod lower;
#[doc(hidden)]
pub mod render;
#[doc(hidden)]
pub mod resolve;

use std::path::Path;

pub use diag::{Diagnostic, Diagnostics, Severity};

/// What the caller decides about the crate being written.
#[derive(Debug, Clone)]
pub struct Options {
    /// The package name of the generated crate (`highlevel`).
    pub crate_name: String,
    /// The command that regenerates the crate, named in each file's first line.
    pub command: String,
    /// Write a `[workspace]` table so the crate builds on its own, outside any workspace.
    pub standalone: bool,
}

/// One file of the generated crate, with its path relative to the crate's root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
}

/// The generated crate, and the warnings met on the way.
#[derive(Debug, Clone)]
pub struct Generated {
    pub files: Vec<GeneratedFile>,
    pub warnings: Vec<Diagnostic>,
}

/// Generation stopped: at least one error, and whatever warnings came before it.
#[derive(Debug, Clone)]
pub struct Failure {
    pub diagnostics: Vec<Diagnostic>,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for d in &self.diagnostics {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Failure {}

/// Generates a client crate from the OpenAPI document at `spec` (YAML or JSON; `$ref`s to
/// other files are read relative to the file that holds them).
pub fn generate(spec: &Path, options: &Options) -> Result<Generated, Failure> {
    let mut diags = Diagnostics::default();
    let result = run(spec, options, &mut diags);
    match result {
        Some(files) if !diags.has_errors() => Ok(Generated {
            files,
            warnings: diags.into_vec(),
        }),
        _ => Err(Failure {
            diagnostics: diags.into_vec(),
        }),
    }
}

fn run(spec: &Path, options: &Options, diags: &mut Diagnostics) -> Option<Vec<GeneratedFile>> {
    let sources = load::load(spec, diags)?;
    let document = resolve::resolve(&sources, diags)?;
    let api = lower::lower(&document, diags)?;
    let crate_tokens = emit::emit(&api, options);
    render::render(&crate_tokens, options, &document.display_path, diags)
}
