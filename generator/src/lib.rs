//! Turns an OpenAPI 3.0 or 3.1 (or Swagger 2.0) document into the source of an async Rust
//! client crate.
//!
//! The work is a pipeline of plain stages, each a module with one entry point:
//! [`load`] reads the files, `overlay` applies Overlay documents to the root document,
//! [`normalize`] rewrites Swagger 2.0 and OpenAPI 3.1 as 3.0,
//! [`resolve`] bundles external `$ref`s into one document,
//! [`lower`] builds the intermediate model in [`ir`], [`emit`] turns it into tokens and
//! [`render`] prints them. Problems travel as [`Diagnostic`] values, never as panics.
//!
//! A panic in any stage, on any thread, is a bug in the generator: it is caught and returned
//! as a [`Severity::Bug`] diagnostic, told apart from a problem in the spec.

mod diag;
#[doc(hidden)]
pub mod fault;
mod lint;
mod media;
mod model;
mod names;
mod overlay;
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
pub mod normalize;
#[doc(hidden)]
pub mod render;
#[doc(hidden)]
pub mod resolve;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use diag::{BUG_HELP, Diagnostic, Diagnostics, Related, Severity};
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

    /// Whether generation stopped on a bug in the generator ([`Severity::Bug`]) rather than
    /// on a problem in the spec.
    pub fn is_internal_error(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Bug)
    }

    /// A failure made of one internal error about `file`.
    fn bug(file: &str, message: String) -> Failure {
        let mut diags = Diagnostics::default();
        diags.bug(&diag::Location::new(file, ""), message);
        Failure {
            diagnostics: diags.into_vec(),
            sources: BTreeMap::new(),
        }
    }
}

/// Runs a whole generation, turning a panic anywhere in it into an internal error about
/// `file`: a bug in the generator is reported as one, never as a crash or as a spec problem.
/// The stages that run on threads of their own catch their panics themselves (see
/// [`render::emit_and_render`]); this catches the rest.
fn guarded<T>(file: &str, run: impl FnOnce() -> Result<T, Failure>) -> Result<T, Failure> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(result) => result,
        Err(payload) => Err(Failure::bug(
            file,
            format!(
                "the generator panicked: {}",
                fault::panic_message(payload.as_ref())
            ),
        )),
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
    generate_with_overlays(spec, &[], options)
}

/// Like [`generate`], with the Overlay 1.0 documents at `overlays` (YAML or JSON) applied to
/// the spec's root document first, in order. Diagnostics about what an overlay changed point
/// into the overlay.
pub fn generate_with_overlays(
    spec: &Path,
    overlays: &[PathBuf],
    options: &Options,
) -> Result<Generated, Failure> {
    guarded(&spec.display().to_string(), || {
        let mut diags = Diagnostics::default();
        let sources = load::load_all(spec, &mut diags);
        finish(sources, overlays, options, diags, false)
    })
}

/// Like [`generate`], with the crate's contract driver besides (`contract/main.rs` and
/// `contract/support.rs`): a program that calls every operation with sample values and prints
/// what came back, for `cargo xtask conformance`.
pub fn generate_contract(spec: &Path, options: &Options) -> Result<Generated, Failure> {
    guarded(&spec.display().to_string(), || {
        let mut diags = Diagnostics::default();
        let sources = load::load_all(spec, &mut diags);
        finish(sources, &[], options, diags, true)
    })
}

/// Applies the Overlay 1.0 documents at `overlays` to `document` (named `name` in
/// diagnostics), for tools that read a spec themselves. Returns the warnings, or the
/// diagnostics that stopped it (then `document` is unchanged).
pub fn apply_overlays(
    name: &str,
    document: &mut serde_json::Value,
    overlays: &[PathBuf],
) -> Result<Vec<Diagnostic>, Failure> {
    guarded(name, || apply_overlays_unguarded(name, document, overlays))
}

fn apply_overlays_unguarded(
    name: &str,
    document: &mut serde_json::Value,
    overlays: &[PathBuf],
) -> Result<Vec<Diagnostic>, Failure> {
    let mut diags = Diagnostics::default();
    let mut sources = load::Sources {
        root: name.to_owned(),
        ..load::Sources::default()
    };
    sources.files.insert(name.to_owned(), document.clone());
    let origins = overlay::apply(&mut sources, overlays, &mut diags);
    let has_errors = diags.has_errors();
    let mut diagnostics = diags.into_vec();
    origins.relocate(&mut diagnostics);
    span::fill(&mut diagnostics, &sources.texts);
    if has_errors {
        return Err(Failure {
            diagnostics,
            sources: sources.texts,
        });
    }
    if let Some(patched) = sources.files.remove(name) {
        *document = patched;
    }
    Ok(diagnostics)
}

/// Generates a client crate from a document held in memory (YAML, or JSON when `name` ends in
/// `.json`); `name` is what diagnostics call it. It cannot refer to other files.
pub fn generate_from_str(name: &str, text: &str, options: &Options) -> Result<Generated, Failure> {
    guarded(name, || {
        let mut diags = Diagnostics::default();
        let sources = load::load_str(name, text, &mut diags);
        finish(sources, &[], options, diags, false)
    })
}

fn finish(
    mut sources: load::Sources,
    overlays: &[PathBuf],
    options: &Options,
    mut diags: Diagnostics,
    contract: bool,
) -> Result<Generated, Failure> {
    fault::point("load");
    let origins = if diags.has_errors() {
        overlay::Origins::default()
    } else {
        fault::point("overlay");
        overlay::apply(&mut sources, overlays, &mut diags)
    };
    let mut moves = normalize::Moves::default();
    let files = if diags.has_errors() {
        None
    } else {
        run(&mut sources, options, &mut diags, &mut moves, contract)
    };
    let has_errors = diags.has_errors();
    let mut diagnostics = diags.into_vec();
    // Diagnostics raised on normalised documents point back at the document as patched, and
    // what an overlay changed is reported where the overlay says it.
    moves.restore(&mut diagnostics);
    origins.relocate(&mut diagnostics);
    // Positions are found last, from the texts, for every diagnostic of every stage.
    fault::point("span");
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
    sources: &mut load::Sources,
    options: &Options,
    diags: &mut Diagnostics,
    moves: &mut normalize::Moves,
    contract: bool,
) -> Option<Vec<GeneratedFile>> {
    fault::point("normalize");
    *moves = normalize::normalize(sources, diags)?;
    lint::lint(sources, diags);
    fault::point("resolve");
    let document = resolve::resolve(sources, diags)?;
    // Errors the normalising found stop here, with the shape checks' beside them.
    if diags.has_errors() {
        return None;
    }
    fault::point("lower");
    let api = lower::lower(&document, diags)?;
    let mut files = render::emit_and_render(&api, options, &document.display_path, diags)?;
    if contract {
        files.extend(render::contract(
            &api,
            options,
            &document.display_path,
            diags,
        )?);
    }
    Some(files)
}
