//! `cargo xtask test`: the project's whole test suite on a fresh machine. It installs what the
//! tests need (the Node tools, into `tools/node`), points them at `../shared`, then runs
//! `cargo test --workspace` with any extra arguments, and ends by counting the tests that
//! skipped what they check (`tests::skipped`), so a skip shows without `--nocapture`.

use std::path::Path;
use std::process::Command;

use crate::codegen::project_root;

pub fn run(extra: &[String]) -> u8 {
    let root = project_root();
    if let Err(message) = install_node_tools(&root.join("tools/node")) {
        eprintln!("error: {message}");
        return 2;
    }
    let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cargo
        .current_dir(&root)
        .args(["test", "--workspace"])
        .args(extra);
    let shared = root.join("../shared/highlevel-api-docs");
    if std::env::var_os("HIGHLEVEL_API_DOCS").is_none() && shared.is_dir() {
        cargo.env("HIGHLEVEL_API_DOCS", shared);
    }
    let skipped = root.join("target/skipped-tests.txt");
    let _ = std::fs::create_dir_all(root.join("target"));
    let _ = std::fs::remove_file(&skipped);
    cargo.env("SKIPPED_TESTS_FILE", &skipped);
    let code = match cargo.status() {
        Ok(status) if status.success() => 0,
        Ok(_) => 1,
        Err(err) => {
            eprintln!("error: cannot run cargo: {err}");
            2
        }
    };
    let lines = std::fs::read_to_string(&skipped).unwrap_or_default();
    eprintln!("{}", skipped_report(&lines));
    code
}

/// The closing lines: how many tests skipped something, and each one's reason.
fn skipped_report(lines: &str) -> String {
    let mut skips: Vec<&str> = lines.lines().filter(|l| !l.trim().is_empty()).collect();
    skips.sort_unstable();
    let mut report = format!(
        "skipped: {} test{}",
        skips.len(),
        if skips.len() == 1 { "" } else { "s" }
    );
    for skip in skips {
        report.push_str(&format!("\n  {skip}"));
    }
    report
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
    #[test]
    fn skipped_tests_are_counted_and_listed() {
        assert_eq!(super::skipped_report(""), "skipped: 0 tests");
        assert_eq!(
            super::skipped_report("b: no Prism\na: no spec\n"),
            "skipped: 2 tests\n  a: no spec\n  b: no Prism"
        );
    }
}
