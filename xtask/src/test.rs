//! `cargo xtask test`: the project's whole test suite on a fresh machine. It installs what the
//! tests need (the Node tools, into `tools/node`), points them at `../shared`, then runs
//! `cargo test --workspace` with any extra arguments.
//!
//! A test that cannot run here (no Prism, no HighLevel spec) records itself in the file
//! `SDKGEN_SKIPPED` names (see `tests/src/skip.rs`; under CI it fails instead); this command
//! empties that file first and ends with a counted `skipped:` line, one reason per test, so a
//! skip never reads as a pass.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::codegen::project_root;

/// The variable the skipping tests read (`tests/src/skip.rs`).
const SKIPPED_VAR: &str = "SDKGEN_SKIPPED";

pub fn run(extra: &[String]) -> u8 {
    let root = project_root();
    if let Err(message) = install_node_tools(&root.join("tools/node")) {
        eprintln!("error: {message}");
        return 2;
    }
    let skipped = skipped_file(&root);
    if let Err(err) = std::fs::create_dir_all(skipped.parent().unwrap_or(&root))
        .and_then(|()| std::fs::write(&skipped, ""))
    {
        eprintln!("error: cannot write {}: {err}", skipped.display());
        return 2;
    }
    let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cargo
        .current_dir(&root)
        .args(["test", "--workspace"])
        .args(extra)
        .env(SKIPPED_VAR, &skipped);
    let shared = root.join("../shared/highlevel-api-docs");
    if std::env::var_os("HIGHLEVEL_API_DOCS").is_none() && shared.is_dir() {
        cargo.env("HIGHLEVEL_API_DOCS", shared);
    }
    let code = match cargo.status() {
        Ok(status) if status.success() => 0,
        Ok(_) => 1,
        Err(err) => {
            eprintln!("error: cannot run cargo: {err}");
            return 2;
        }
    };
    if let Some(summary) = skipped_summary(&std::fs::read_to_string(&skipped).unwrap_or_default()) {
        eprintln!("{summary}");
    }
    code
}

/// `target/skipped-tests.txt`, in the target directory cargo uses.
fn skipped_file(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_relative() {
                root.join(dir)
            } else {
                dir
            }
        })
        .unwrap_or_else(|| root.join("target"))
        .join("skipped-tests.txt")
}

/// `skipped: N test(s) that could not run here`, then each test with its reason; `None` when
/// every test ran. `log` holds a `TEST<TAB>WHY` line per skip.
fn skipped_summary(log: &str) -> Option<String> {
    let mut lines: Vec<(&str, &str)> = log
        .lines()
        .filter_map(|line| line.split_once('\t'))
        .collect();
    lines.sort();
    lines.dedup();
    if lines.is_empty() {
        return None;
    }
    let plural = if lines.len() == 1 { "" } else { "s" };
    let mut summary = format!(
        "skipped: {} test{plural} that could not run here (under CI they fail instead):",
        lines.len()
    );
    for (test, why) in lines {
        summary.push_str(&format!("\n  {test}: {why}"));
    }
    Some(summary)
}

/// `npm ci` in `dir`, unless its `node_modules` is already in step with the lock file.
pub fn install_node_tools(dir: &Path) -> Result<(), String> {
    let installed = dir.join("node_modules/.package-lock.json");
    let lock = dir.join("package-lock.json");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    if modified(&installed).is_some() && modified(&installed) >= modified(&lock) {
        return Ok(());
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(dir)
        .status()
        .map_err(|err| format!("cannot run npm ({err}); install Node.js 20 or later with npm"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`npm ci` failed in {}", dir.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::skipped_summary;

    #[test]
    fn the_summary_counts_each_skipped_test_once_with_its_reason() {
        assert_eq!(skipped_summary(""), None);
        let log = "prism::the_client_satisfies_prism\tPrism is not installed\n\
                   compile::generated_crates_compile\tno spec\n\
                   prism::the_client_satisfies_prism\tPrism is not installed\n";
        assert_eq!(
            skipped_summary(log).unwrap(),
            "skipped: 2 tests that could not run here (under CI they fail instead):\n  \
             compile::generated_crates_compile: no spec\n  \
             prism::the_client_satisfies_prism: Prism is not installed"
        );
    }
}
