//! `cargo xtask docs-check [--json] [--spec PATH] PAGE...`: compares scraped HighLevel docs
//! pages with the operations in `spec/` and reports the drift.
//!
//! Stages, each with one entry point: `scrape` splits a page's Markdown into blocks, `page`
//! reads them into the operation model (`model`), `spec` finds and lowers the operation the page
//! documents into the same model, `compare` lists the differences, `report` prints them.
//!
//! Exit codes: 0 no drift; 1 drift, or a page for an operation the spec lacks; 2 a page or the
//! spec cannot be read, or bad arguments.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod compare;
mod model;
mod page;
mod report;
mod scrape;
mod spec;

use report::{Outcome, PageReport};
use std::io::Write;
use std::path::{Path, PathBuf};

pub const USAGE: &str = "\
usage: cargo xtask docs-check [--json] [--spec PATH] PAGE...

  PAGE         a scraped docs page (front matter, method and URL, parameters, responses)
  --json       print the report as JSON
  --spec PATH  a spec file or a directory of them (default: spec/)
  --overlay FILE  apply an Overlay 1.0 document to each spec file first (repeatable, in order)

exit codes: 0 no drift; 1 drift, or a page for an operation the spec lacks; 2 unreadable input";

struct Args {
    json: bool,
    spec: Option<PathBuf>,
    overlays: Vec<PathBuf>,
    pages: Vec<String>,
}

impl Args {
    fn parse(args: &[String]) -> Result<Args, String> {
        let mut parsed = Args {
            json: false,
            spec: None,
            overlays: Vec::new(),
            pages: Vec::new(),
        };
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            match arg.as_str() {
                "--json" => parsed.json = true,
                "--overlay" => {
                    let path = iter.next().ok_or("`--overlay` needs a value")?;
                    parsed.overlays.push(path.into());
                }
                "--spec" => {
                    let path = iter.next().ok_or("`--spec` needs a value")?;
                    parsed.spec = Some(path.into());
                }
                flag if flag.starts_with("--") => return Err(format!("unknown argument `{flag}`")),
                page => parsed.pages.push(page.to_owned()),
            }
        }
        if parsed.pages.is_empty() {
            return Err("give at least one PAGE".to_owned());
        }
        Ok(parsed)
    }
}

pub fn run(args: &[String]) -> u8 {
    let args = match Args::parse(args) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return 2;
        }
    };
    let specs = match &args.spec {
        Some(path) => spec::load(path, &path.display().to_string(), &args.overlays),
        None => spec::load(&project_root().join("spec"), "spec", &args.overlays),
    };
    let specs = match specs {
        Ok(specs) => specs,
        Err(err) => {
            eprintln!("error: cannot read the spec: {err}");
            return 2;
        }
    };
    let reports: Vec<PageReport> = args
        .pages
        .iter()
        .map(|page| check_file(&specs, page))
        .collect();
    let out = if args.json {
        report::json(&reports)
    } else {
        report::text(&reports)
    };
    // Not `print!`: a closed pipe (`| head`) must not panic.
    let _ = std::io::stdout().write_all(out.as_bytes());
    report::exit_code(&reports)
}

/// The project's root, where `spec/` lives.
fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn check_file(specs: &[spec::SpecFile], name: &str) -> PageReport {
    match read(Path::new(name)) {
        Ok(text) => check(specs, name, &text),
        Err((line, message)) => PageReport {
            page: name.to_owned(),
            title: None,
            scraped: None,
            source: None,
            outcome: Outcome::Unreadable { line, message },
        },
    }
}

/// The page's text; or why not, with the line of the first byte that is not UTF-8.
fn read(path: &Path) -> Result<String, (Option<usize>, String)> {
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
fn check(specs: &[spec::SpecFile], name: &str, text: &str) -> PageReport {
    let page = match page::parse(text) {
        Ok(page) => page,
        Err(err) => {
            return PageReport {
                page: name.to_owned(),
                title: None,
                scraped: None,
                source: None,
                outcome: Outcome::Unreadable {
                    line: Some(err.line),
                    message: err.message,
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
            changes: compare::describe(operation),
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
