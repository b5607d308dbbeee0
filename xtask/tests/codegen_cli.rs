//! `cargo xtask codegen` as the README describes it, run as a user runs it (the built binary):
//! its exit codes (the README's table), `--deny-warnings` writing nothing, writes that touch
//! only files whose bytes change and replace them atomically, a `--spec/--out/--name` crate
//! that builds on its own, and an internal error told apart from a problem in the spec.
//!
//! The expected values come from the README, never from running the command.

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A scratch directory of this test's own, empty.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("codegen-cli-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

struct Run {
    code: i32,
    stderr: String,
}

/// `cargo xtask codegen ARGS` in the project root, with `env` set.
fn codegen(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command
        .current_dir(root())
        .arg("codegen")
        .args(args)
        .env_remove("CI")
        .env_remove(sdkgen::fault::VAR)
        .env("NO_COLOR", "1");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `--spec SPEC --out OUT --name NAME`, the standalone form.
fn standalone(spec: &str, out: &Path, extra: &[&str], env: &[(&str, &str)]) -> Run {
    let out = out.to_str().unwrap();
    let mut args = vec!["--spec", spec, "--out", out, "--name", "my_api"];
    args.extend_from_slice(extra);
    codegen(&args, env)
}

/// Every file under `dir` with its bytes, inode and modification time.
fn state(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, u64, i64, i64)> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let meta = std::fs::metadata(&path).unwrap();
                let bytes = std::fs::read(&path).unwrap();
                files.insert(path, (bytes, meta.ino(), meta.mtime(), meta.mtime_nsec()));
            }
        }
    }
    files
}

/// The README's table of exit codes, as (code, meaning).
fn readme_exit_codes() -> Vec<(i32, String)> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let table = readme
        .split("| exit code of `cargo xtask codegen` | meaning |")
        .nth(1)
        .expect("the README has the exit code table");
    table
        .lines()
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .map(|line| {
            let mut cells = line.trim_matches('|').split('|').map(str::trim);
            let code = cells.next().unwrap().parse().unwrap();
            (code, cells.next().unwrap().to_owned())
        })
        .collect()
}

const SPEC: &str = "spec/openapi.yaml";

#[test]
fn the_readme_documents_each_exit_code_tested_here() {
    let codes: Vec<i32> = readme_exit_codes().iter().map(|(c, _)| *c).collect();
    assert_eq!(codes, [0, 1, 2, 3, 4]);
    let meaning = |code: i32| readme_exit_codes()[code as usize].1.clone();
    assert!(meaning(1).contains("`--deny-warnings`"));
    assert!(meaning(3).contains("`--check`"));
    assert!(meaning(4).contains("internal error"));
}

#[test]
fn exit_0_when_generated_and_when_up_to_date() {
    let out = scratch("exit-0");
    let run = standalone(SPEC, &out, &[], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(out.join("src/lib.rs").is_file());
    let run = standalone(SPEC, &out, &["--check"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn exit_1_when_the_spec_has_errors_and_nothing_is_written() {
    let out = scratch("exit-1");
    let run = standalone(
        "tests/bad-specs/duplicate-operation-id.yaml",
        &out,
        &[],
        &[],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error:"), "{}", run.stderr);
    assert!(state(&out).is_empty(), "files were written");
}

#[test]
fn deny_warnings_exits_1_and_writes_nothing() {
    // A reference that cannot be followed is a warning (README, "Warnings").
    let spec = "tests/fixtures/broken-refs/openapi.yaml";
    let out = scratch("deny-warnings");
    let run = standalone(spec, &out, &["--deny-warnings"], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(state(&out).is_empty(), "files were written");

    // Over a crate already there, with a file out of date: not one byte changes.
    assert_eq!(standalone(spec, &out, &[], &[]).code, 0);
    let stale = out.join("src/types.rs");
    std::fs::write(&stale, "// @generated by an older run\n").unwrap();
    std::fs::write(out.join("src/orphan.rs"), "// @generated by an older run\n").unwrap();
    let before = state(&out);
    let run = standalone(spec, &out, &["--deny-warnings"], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert_eq!(state(&out), before, "--deny-warnings changed files");
}

#[test]
fn exit_2_on_a_usage_or_file_system_error() {
    let out = scratch("exit-2");
    let run = codegen(&["--no-such-flag"], &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = codegen(&["--spec", SPEC], &[]);
    assert_eq!(run.code, 2, "`--spec` without `--out`: {}", run.stderr);
    let run = standalone("tests/no-such-spec.yaml", &out, &[], &[]);
    assert_eq!(run.code, 2, "an unreadable spec: {}", run.stderr);
    let overlay = out.join("no-such-overlay.yaml");
    let run = standalone(
        SPEC,
        &out.join("crate"),
        &["--overlay", overlay.to_str().unwrap()],
        &[],
    );
    assert_eq!(run.code, 2, "an unreadable overlay: {}", run.stderr);
    assert!(!out.join("crate").exists(), "files were written");
}

#[test]
fn exit_3_when_check_finds_stale_files_and_check_changes_nothing() {
    let out = scratch("exit-3");
    assert_eq!(standalone(SPEC, &out, &[], &[]).code, 0);
    let types = out.join("src/types.rs");
    let edited = std::fs::read_to_string(&types).unwrap() + "// edited\n";
    std::fs::write(&types, &edited).unwrap();
    let before = state(&out);
    let run = standalone(SPEC, &out, &["--check"], &[]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("-// edited"), "a diff: {}", run.stderr);
    assert_eq!(state(&out), before, "--check changed files");

    // A file the generator wrote before but no longer produces is stale too.
    assert_eq!(standalone(SPEC, &out, &[], &[]).code, 0);
    std::fs::write(out.join("src/gone.rs"), "// @generated by an older run\n").unwrap();
    assert_eq!(standalone(SPEC, &out, &["--check"], &[]).code, 3);
}

#[test]
fn writes_only_files_whose_bytes_change_each_through_a_rename() {
    let out = scratch("writes");
    assert_eq!(standalone(SPEC, &out, &[], &[]).code, 0);
    let first = state(&out);
    assert!(first.len() >= 5, "{:?}", first.keys());

    // Nothing changed: no file is touched (same inode, same modification time).
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert_eq!(standalone(SPEC, &out, &[], &[]).code, 0);
    assert_eq!(state(&out), first, "an unchanged file was written");

    // One file changed: that file alone is written, as a new file renamed over the old one
    // (a new inode), never rewritten in place where a reader could see half of it.
    let types = out.join("src/types.rs");
    std::fs::write(&types, "// @generated by an older run\n").unwrap();
    let edited = state(&out);
    assert_eq!(standalone(SPEC, &out, &[], &[]).code, 0);
    let after = state(&out);
    for (path, (bytes, inode, ..)) in &after {
        let (old_bytes, old_inode, ..) = &edited[path];
        if *path == types {
            assert_eq!(bytes, &first[path].0, "restored");
            assert_ne!(
                inode,
                old_inode,
                "{} was rewritten in place",
                path.display()
            );
        } else {
            assert_eq!(after[path], edited[path], "{} was touched", path.display());
            assert_eq!((bytes, inode), (old_bytes, old_inode));
        }
    }
    // No temporary file is left beside them.
    assert_eq!(after.len(), first.len(), "{:?}", after.keys());
}

#[test]
fn a_write_that_fails_leaves_no_half_file() {
    let out = scratch("failed-write");
    assert_eq!(standalone(SPEC, &out, &[], &[]).code, 0);
    // `src/types.rs` cannot be replaced: a directory (with a file in it) stands in its way.
    let types = out.join("src/types.rs");
    std::fs::remove_file(&types).unwrap();
    std::fs::create_dir(&types).unwrap();
    std::fs::write(types.join("keep"), "in the way").unwrap();
    let before = state(&out);
    let run = standalone(SPEC, &out, &[], &[]);
    assert_eq!(run.code, 2, "a file-system error: {}", run.stderr);
    // Every file is as it was, and no temporary file is left.
    assert_eq!(state(&out), before);
    let names: Vec<String> = std::fs::read_dir(out.join("src"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.starts_with('.')),
        "a temporary file is left: {names:?}"
    );
}

/// A panic planted in each stage of the generator (see `sdkgen::fault`), on the main thread or
/// on a file's own thread, and emitted code that does not parse: each is an internal error,
/// exit 4, with a `bug:` diagnostic that asks for a report, and nothing is written.
#[test]
fn exit_4_on_an_internal_error_in_any_stage() {
    let out = scratch("exit-4");
    for fault in [
        "load",
        "overlay",
        "normalize",
        "resolve",
        "lower",
        "emit",
        "render",
        "span",
        "unparsable",
    ] {
        let run = standalone(SPEC, &out, &[], &[(sdkgen::fault::VAR, fault)]);
        assert_eq!(run.code, 4, "{fault}: {}", run.stderr);
        assert!(
            run.stderr.contains("bug: ") && run.stderr.contains(sdkgen::BUG_HELP),
            "{fault}: {}",
            run.stderr
        );
        assert!(
            run.stderr
                .contains("1 internal error (a bug in the generator)"),
            "{fault}: {}",
            run.stderr
        );
        assert!(state(&out).is_empty(), "{fault}: files were written");
    }
    // The same spec without a fault generates: the exit code was the fault's.
    assert_eq!(standalone(SPEC, &out, &[], &[]).code, 0);
}

/// `--spec/--out/--name` writes a crate with its own `[workspace]`: it builds where it is, outside
/// this workspace. The dependency build is shared with the other generated crates (one target
/// directory under `target/`), and the project's lock file is copied so it pins the same versions.
#[test]
fn a_standalone_crate_builds_on_its_own() {
    let out = std::env::temp_dir().join(format!("sdkgen-standalone-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let run = standalone(SPEC, &out, &[], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"my_api\""), "{manifest}");
    assert!(manifest.contains("[workspace]"), "{manifest}");
    std::fs::copy(root().join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["check", "--quiet", "--all-targets"])
        .current_dir(&out)
        .env(
            "CARGO_TARGET_DIR",
            root().join("target/generated-crates/target"),
        )
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let _ = std::fs::remove_dir_all(&out);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
}
