//! Turns an OpenAPI 3.0 document into the source of an async Rust client crate.
//!
//! The work is a pipeline of plain stages, each a module with one entry point:
//! [`load`] reads the files, [`resolve`] bundles external `$ref`s into one document,
//! [`lower`] builds the intermediate model in [`ir`], [`emit`] turns it into tokens and
//! [`render`] prints them. Problems travel as [`Diagnostic`] values, never as panics.

mod diag;
mod lint;
mod model;
mod names;
mod report;
mod span;

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

use std::collections::BTreeMap;
use std::path::Path;

pub use diag::{Diagnostic, Diagnostics, Related, Severity};
pub use report::report;

/// What the caller decides about the crate being written.
#[derive(Debug, Clone)]
pub struct Options {
    /// The package name of the generated crate (`my_api`).
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
    /// The text of each input file, by the name diagnostics use, for [`report`].
    pub sources: BTreeMap<String, String>,
}

/// Generation stopped: at least one error, and whatever warnings came before it.
#[derive(Debug, Clone)]
pub struct Failure {
    pub diagnostics: Vec<Diagnostic>,
    /// The text of each input file, by the name diagnostics use, for [`report`].
    pub sources: BTreeMap<String, String>,
}

impl Failure {
    /// The diagnostics as rustc prints its own, with the source lines; ANSI colour if `color`.
    pub fn report(&self, color: bool) -> String {
        report(&self.diagnostics, &self.sources, color)
    }
}

impl Generated {
    /// The warnings as rustc prints its own, with the source lines; ANSI colour if `color`.
    pub fn report(&self, color: bool) -> String {
        report(&self.warnings, &self.sources, color)
    }
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
    let sources = load::load_all(spec, &mut diags);
    finish(sources, options, diags)
}

/// Generates a client crate from a document held in memory (YAML, or JSON when `name` ends in
/// `.json`); `name` is what diagnostics call it. It cannot refer to other files.
pub fn generate_from_str(name: &str, text: &str, options: &Options) -> Result<Generated, Failure> {
    let mut diags = Diagnostics::default();
    let sources = load::load_str(name, text, &mut diags);
    finish(sources, options, diags)
}

fn finish(
    sources: load::Sources,
    options: &Options,
    mut diags: Diagnostics,
) -> Result<Generated, Failure> {
    let files = if diags.has_errors() {
        None
    } else {
        run(&sources, options, &mut diags)
    };
    let has_errors = diags.has_errors();
    let mut diagnostics = diags.into_vec();
    // Positions are found last, from the texts, for every diagnostic of every stage.
    span::fill(&mut diagnostics, &sources.texts);
    match files {
        Some(files) if !has_errors => Ok(Generated {
            files,
            warnings: diagnostics,
            sources: sources.texts,
        }),
        _ => Err(Failure {
            diagnostics,
            sources: sources.texts,
        }),
    }
}

fn run(
    sources: &load::Sources,
    options: &Options,
    diags: &mut Diagnostics,
) -> Option<Vec<GeneratedFile>> {
    lint::lint(sources, diags);
    let document = resolve::resolve(sources, diags)?;
    let api = lower::lower(&document, diags)?;
    render::emit_and_render(&api, options, &document.display_path, diags)
}
