//! `cargo xtask docs-check`: argument parsing and exit codes; the work is in `sdkdocs`.

use std::io::Write;
use std::path::PathBuf;

use crate::codegen::project_root;

pub const CHECK_USAGE: &str = "\
usage: cargo xtask docs-check [--json] [--spec PATH] [--overlay FILE]... PAGE...

  PAGE            a scraped docs page (front matter, method and URL, parameters, responses)
  --json          print the report as JSON
  --spec PATH     a spec file or a directory of them (default: spec/)
  --overlay FILE  apply an Overlay 1.0 document to each spec file first (repeatable, in order)

exit codes: 0 no drift; 1 drift, or a page for an operation the spec lacks; 2 unreadable input";

struct CheckArgs {
    json: bool,
    spec: Option<PathBuf>,
    overlays: Vec<PathBuf>,
    pages: Vec<String>,
}

impl CheckArgs {
    fn parse(args: &[String]) -> Result<CheckArgs, String> {
        let mut parsed = CheckArgs {
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

pub fn check(args: &[String]) -> u8 {
    let args = match CheckArgs::parse(args) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("error: {message}\n\n{CHECK_USAGE}");
            return 2;
        }
    };
    let specs = match &args.spec {
        Some(path) => sdkdocs::load_spec(path, &path.display().to_string(), &args.overlays),
        None => sdkdocs::load_spec(&project_root().join("spec"), "spec", &args.overlays),
    };
    let specs = match specs {
        Ok(specs) => specs,
        Err(err) => {
            eprintln!("error: cannot read the spec: {err}");
            return 2;
        }
    };
    let reports: Vec<_> = args
        .pages
        .iter()
        .map(|page| sdkdocs::check_file(&specs, page))
        .collect();
    let out = if args.json {
        sdkdocs::report::json(&reports)
    } else {
        sdkdocs::report::text(&reports)
    };
    // Not `print!`: a closed pipe (`| head`) must not panic.
    let _ = std::io::stdout().write_all(out.as_bytes());
    sdkdocs::report::exit_code(&reports)
}

pub const IMPORT_USAGE: &str = "\
usage: cargo xtask docs-import [--spec PATH] PAGE...

  PAGE         a scraped docs page of an operation the spec does not have yet
  --spec PATH  the spec file to add it to, YAML or JSON (default: spec/openapi.yaml)

exit codes: 0 imported; 1 the spec already has an operation; 2 a page refused, unreadable input";

pub fn import(args: &[String]) -> u8 {
    let mut spec: Option<PathBuf> = None;
    let mut pages = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--spec" => match iter.next() {
                Some(path) => spec = Some(path.into()),
                None => return usage("`--spec` needs a value", IMPORT_USAGE),
            },
            flag if flag.starts_with("--") => {
                return usage(&format!("unknown argument `{flag}`"), IMPORT_USAGE);
            }
            page => pages.push(page.to_owned()),
        }
    }
    if pages.is_empty() {
        return usage("give at least one PAGE", IMPORT_USAGE);
    }
    let (spec_path, spec_name) = match spec {
        Some(path) => (path.clone(), path.display().to_string()),
        None => (
            project_root().join("spec/openapi.yaml"),
            "spec/openapi.yaml".to_owned(),
        ),
    };
    let text = match std::fs::read_to_string(&spec_path) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("error: cannot read {spec_name}: {err}");
            return 2;
        }
    };
    let mut inputs = Vec::new();
    for page in &pages {
        match sdkdocs::read(std::path::Path::new(page)) {
            Ok(text) => inputs.push((page.clone(), text)),
            Err((line, message)) => {
                let at = line.map(|l| format!("line {l}: ")).unwrap_or_default();
                eprintln!("error: {page}: {at}{message}");
                return 2;
            }
        }
    }
    let json = spec_path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    match sdkdocs::import::import(&text, &spec_name, json, &inputs) {
        Ok(imported) => {
            if let Err(err) = write_atomically(&spec_path, &imported.text) {
                eprintln!("error: cannot write {spec_name}: {err}");
                return 2;
            }
            for line in &imported.added {
                println!("added {line} to {spec_name}");
            }
            println!(
                "next: `cargo xtask docs-check --spec {spec_name} PAGE` shows no drift; \
                 `cargo xtask codegen` regenerates the client"
            );
            0
        }
        Err(errors) => {
            for error in &errors {
                eprintln!("error: {error}");
            }
            eprintln!("error: nothing was imported");
            if errors.iter().all(|e| e.conflict) {
                1
            } else {
                2
            }
        }
    }
}

fn usage(message: &str, usage: &str) -> u8 {
    eprintln!("error: {message}\n\n{usage}");
    2
}

/// Writes a temporary file beside `path`, then renames it over `path`.
fn write_atomically(path: &std::path::Path, contents: &str) -> std::io::Result<()> {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()));
    std::fs::write(&temporary, contents)?;
    std::fs::rename(&temporary, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}
