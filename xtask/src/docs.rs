//! `cargo xtask docs-check`: argument parsing and exit codes; the work is in `sdkdocs`.

use std::io::Write;
use std::path::PathBuf;

use crate::codegen::project_root;

pub const CHECK_USAGE: &str = "\
usage: cargo xtask docs-check [--json] [--spec PATH] PAGE...

  PAGE         a scraped docs page (front matter, method and URL, parameters, responses)
  --json       print the report as JSON
  --spec PATH  a spec file or a directory of them (default: spec/)

exit codes: 0 no drift; 1 drift, or a page for an operation the spec lacks; 2 unreadable input";

struct CheckArgs {
    json: bool,
    spec: Option<PathBuf>,
    pages: Vec<String>,
}

impl CheckArgs {
    fn parse(args: &[String]) -> Result<CheckArgs, String> {
        let mut parsed = CheckArgs {
            json: false,
            spec: None,
            pages: Vec::new(),
        };
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            match arg.as_str() {
                "--json" => parsed.json = true,
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
        Some(path) => sdkdocs::load_spec(path, &path.display().to_string()),
        None => sdkdocs::load_spec(&project_root().join("spec"), "spec"),
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
