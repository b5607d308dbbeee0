//! `cargo xtask test`: the project's whole test suite on a fresh machine. It installs what the
//! tests need (the Node tools, into `tools/node`), points them at `../shared`, then runs
//! `cargo test --workspace` with any extra arguments.

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
    match cargo.status() {
        Ok(status) if status.success() => 0,
        Ok(_) => 1,
        Err(err) => {
            eprintln!("error: cannot run cargo: {err}");
            2
        }
    }
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
