//! The API docs site's operation pages, read: compared with a spec (`cargo xtask
//! docs-check`) and drafted into one (`cargo xtask docs-import`).
//!
//! Stages, each with one entry point: `markdown` splits a page into blocks (pulldown-cmark),
//! `page` reads them into the operation model (`model`), placing fields with `nest`; `spec`
//! finds and lowers the operation the page documents into the same model; `compare` lists
//! the differences and `report` prints them. `import` writes a page's operation into a spec.
//!
//! Exit codes of the check: 0 no drift; 1 drift, or a page for an operation the spec lacks;
//! 2 a page refused (truncated, not an operation page, another operation, another format),
//! or the spec unreadable.

// Tests may unwrap and panic; the library may not (`[lints]` in Cargo.toml).
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod compare;
pub mod import;
pub mod markdown;
pub mod model;
pub mod nest;
pub mod page;
pub mod report;
pub mod spec;

use report::{Outcome, PageReport};
use std::path::Path;

/// Reads the spec at `path` (a file, or a directory of them), shown in reports as `name`.
/// The Overlay 1.0 documents at `overlays` are applied to each spec file first.
pub fn load_spec(
    path: &Path,
    name: &str,
    overlays: &[std::path::PathBuf],
) -> Result<Vec<spec::SpecFile>, spec::SpecError> {
    spec::load(path, name, overlays)
}

/// Checks the page file `name` against `specs`.
pub fn check_file(specs: &[spec::SpecFile], name: &str) -> PageReport {
    match read(Path::new(name)) {
        Ok(text) => check(specs, name, &text),
        Err((line, message)) => PageReport {
            page: name.to_owned(),
            title: None,
            scraped: None,
            source: None,
            outcome: Outcome::Refused {
                reason: if line.is_some() {
                    page::RefusalKind::OtherFormat.describe().to_owned()
                } else {
                    "unreadable".to_owned()
                },
                line,
                message,
            },
        },
    }
}

/// The page's text; or why not, with the line of the first byte that is not UTF-8.
pub fn read(path: &Path) -> Result<String, (Option<usize>, String)> {
    let bytes = std::fs::read(path).map_err(|err| (None, format!("cannot open it: {err}")))?;
    String::from_utf8(bytes).map_err(|err| {
        let valid = err.utf8_error().valid_up_to();
        let bytes = err.as_bytes();
        let line = bytes.iter().take(valid).filter(|&&b| b == b'\n').count() + 1;
        (
            Some(line),
            "expected UTF-8 text (a scraped docs page); found bytes that are not".to_owned(),
        )
    })
}

/// Checks one page's text against the spec; `name` is how the page is shown.
pub fn check(specs: &[spec::SpecFile], name: &str, text: &str) -> PageReport {
    let page = match page::parse(text) {
        Ok(page) => page,
        Err(refusal) => {
            return PageReport {
                page: name.to_owned(),
                title: None,
                scraped: None,
                source: None,
                outcome: Outcome::Refused {
                    reason: refusal.kind.describe().to_owned(),
                    line: Some(refusal.line),
                    message: refusal.message,
                },
            };
        }
    };
    let operation = &page.operation;
    let described = format!("{} {}", operation.method, operation.path);
    let found = spec::find(
        specs,
        &operation.method,
        &operation.path,
        operation.summary.as_deref(),
    );
    let outcome = match found {
        Some(found) => Outcome::Compared {
            operation: described,
            spec: found.location,
            changes: compare::compare(&found.operation, operation),
        },
        None => Outcome::NotInSpec {
            operation: described,
            summary: operation.summary.clone(),
        },
    };
    PageReport {
        page: name.to_owned(),
        title: page.title,
        scraped: page.scraped,
        source: page.source,
        outcome,
    }
}

#[cfg(test)]
#[allow(clippy::panic, clippy::indexing_slicing, clippy::unwrap_used)]
mod tests;
