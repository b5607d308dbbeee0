//! `cargo xtask conformance SPEC...`: argument parsing and exit codes; the work is in the
//! `conformance` crate.

use std::io::Write;
use std::path::PathBuf;

use crate::codegen::project_root;

pub const USAGE: &str = "\
usage: cargo xtask conformance SPEC...

  SPEC   an OpenAPI document (3.0, 3.1 or Swagger 2.0): its generated client calls every
         operation against Prism, which validates each request against the spec

exit codes: 0 every call passed (or was skipped: Prism cannot mock it); 1 a call failed;
2 a spec does not generate, a crate does not build, or Prism is missing";

pub fn run(args: &[String]) -> u8 {
    if args.is_empty() || args.iter().any(|a| a.starts_with("--")) {
        eprintln!("{USAGE}");
        return 2;
    }
    let root = project_root();
    let setup = conformance::Setup {
        scratch: root.join("target/conformance"),
        target: root.join("target/generated-crates/target"),
        root,
    };
    let specs: Vec<PathBuf> = args.iter().map(PathBuf::from).collect();
    match conformance::run(&setup, &specs) {
        Ok(reports) => {
            // Not `print!`: a closed pipe (`| head`) must not panic.
            let _ = std::io::stdout().write_all(conformance::text(&reports).as_bytes());
            conformance::exit_code(&reports)
        }
        Err(fatal) => {
            eprintln!("error: {fatal}");
            2
        }
    }
}
