//! Project tasks, run as `cargo xtask <task>`.
//!
//! Exit codes: 0 success; 1 the spec has errors (or warnings, with `--deny-warnings`);
//! 2 a usage or file-system error; 3 `--check` found generated files out of date; 4 an
//! internal error (a bug in the generator, not a problem in the spec).

mod codegen;
mod conformance;
mod docs;
mod test;

use std::process::ExitCode;

/// The generator allocates millions of small token trees; glibc's malloc serves them several
/// times slower than mimalloc (BENCHMARKS.md, "Allocator").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
usage: cargo xtask codegen [--check] [--deny-warnings] [--json] [--overlay FILE]... [--spec PATH --out DIR [--name NAME]]

  codegen                 regenerate generated/ from spec/openapi.yaml, and report what that
                          changes in its public API (breaking or not, and the semver bump)
  --check                 change nothing; fail with a diff when generated files are stale
  --json                  print the API change report as JSON, one object per crate
  --deny-warnings         treat warnings about the spec as errors
  --spec PATH --out DIR   generate a standalone crate at DIR from the spec at PATH
  --name NAME             the crate's name (default: the spec's file name)
  --overlay FILE          apply an Overlay 1.0 document to the spec first (repeatable, in order)

usage: cargo xtask test [ARGS...]   install the test tools, then cargo test --workspace ARGS

usage: cargo xtask docs-check [--json] [--spec PATH] [--overlay FILE]... PAGE...   compare scraped docs pages with spec/
usage: cargo xtask docs-import [--spec PATH] PAGE...                               add the pages' operations to spec/
usage: cargo xtask conformance SPEC...   call every operation of each spec's client against Prism";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match args.first().map(String::as_str) {
        Some("codegen") => match codegen::Args::parse(args.get(1..).unwrap_or_default()) {
            Ok(args) => codegen::run(&args),
            Err(message) => {
                eprintln!("error: {message}\n\n{USAGE}");
                2
            }
        },
        Some("docs-check") => docs::check(args.get(1..).unwrap_or_default()),
        Some("docs-import") => docs::import(args.get(1..).unwrap_or_default()),
        Some("conformance") => conformance::run(args.get(1..).unwrap_or_default()),
        Some("test") => test::run(args.get(1..).unwrap_or_default()),
        _ => {
            eprintln!("{USAGE}");
            2
        }
    };
    ExitCode::from(code)
}
