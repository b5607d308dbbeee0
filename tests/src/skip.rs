//! A test that cannot run here (a tool or HighLevel's spec is missing) must not pass for one
//! that ran. [`skip`] is how it says so:
//!
//! - under CI (`CI` set) it fails the test instead: CI installs everything, so a missing tool
//!   there is a fault;
//! - elsewhere it appends one line, `TEST<TAB>WHY`, to the file named by `SDKGEN_SKIPPED`
//!   (`cargo xtask test` sets it to `target/skipped-tests.txt`, empties it first, and prints a
//!   counted `skipped: N test(s)` line with the reasons at the end of its output), and writes
//!   the same line to the process's standard error directly, where libtest's capture of
//!   `eprintln!` does not reach, so `cargo test` shows it too.
//!
//! One file, included by path (`#[path]`) by each crate whose tests can skip, so the crates
//! need no dependency on each other.

use std::io::Write;

/// The environment variable naming the file skipped tests are listed in.
pub const SKIPPED_VAR: &str = "SDKGEN_SKIPPED";

/// Records that the running test is skipped because of `why` (what is missing and how to get
/// it), or fails it under CI. The caller returns right after.
#[track_caller]
pub fn skip(why: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("{why}; under CI (`CI` is set) a test never skips");
    }
    let line = format!("{}\t{why}\n", test_name());
    if let Some(path) = std::env::var_os(SKIPPED_VAR) {
        let appended = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            // One write per line: lines from tests on other threads never interleave.
            .and_then(|mut file| file.write_all(line.as_bytes()));
        if let Err(err) = appended {
            panic!("cannot record the skipped test in {path:?}: {err}");
        }
    }
    let _ = std::io::stderr().write_all(format!("skipped: {line}").as_bytes());
}

/// `BINARY::TEST`: the test binary's name without cargo's hash, and the test's name, which
/// libtest gives the thread that runs it.
fn test_name() -> String {
    let binary = std::env::current_exe()
        .ok()
        .and_then(|path| path.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let binary = match binary.rsplit_once('-') {
        Some((name, hash)) if hash.chars().all(|c| c.is_ascii_hexdigit()) => name.to_owned(),
        _ => binary,
    };
    let thread = std::thread::current();
    format!("{binary}::{}", thread.name().unwrap_or("?"))
}
