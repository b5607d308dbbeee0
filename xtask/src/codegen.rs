//! `cargo xtask codegen`: write the generated crate, or with `--check` prove it is fresh.

use std::path::{Path, PathBuf};

/// The project's root, where `spec/` and `generated/` live.
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

#[derive(Debug, Default)]
pub struct Args {
    pub check: bool,
    pub deny_warnings: bool,
    /// Print the public API change report as JSON (one object per crate, one per line).
    pub json: bool,
    pub spec: Option<PathBuf>,
    pub out: Option<PathBuf>,
    pub name: Option<String>,
    /// Overlay documents applied to the spec, in order.
    pub overlays: Vec<PathBuf>,
}

impl Args {
    pub fn parse(args: &[String]) -> Result<Args, String> {
        let mut parsed = Args::default();
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            let mut value = |flag: &str| {
                iter.next()
                    .cloned()
                    .ok_or(format!("`{flag}` needs a value"))
            };
            match arg.as_str() {
                "--check" => parsed.check = true,
                "--deny-warnings" => parsed.deny_warnings = true,
                "--json" => parsed.json = true,
                "--spec" => parsed.spec = Some(value("--spec")?.into()),
                "--out" => parsed.out = Some(value("--out")?.into()),
                "--name" => parsed.name = Some(value("--name")?),
                "--overlay" => parsed.overlays.push(value("--overlay")?.into()),
                other => return Err(format!("unknown argument `{other}`")),
            }
        }
        if parsed.spec.is_some() != parsed.out.is_some() {
            return Err("`--spec` and `--out` go together".to_owned());
        }
        Ok(parsed)
    }
}

/// What to generate, and where.
struct Target {
    spec: PathBuf,
    overlays: Vec<PathBuf>,
    out: PathBuf,
    options: sdkgen::Options,
}

impl Target {
    /// The crates to write: the one `--spec`/`--out` name, or the project's own: the
    /// `highlevel` crate and the crates the client behaviour, credentials, pagination and wire
    /// tests run.
    fn all_from_args(args: &Args) -> Vec<Target> {
        if args.spec.is_some() {
            return vec![Target::from_args(args)];
        }
        let root = project_root();
        vec![
            Target::from_args(args),
            Target {
                spec: root.join("tests/fixtures/client-behaviour.yaml"),
                overlays: Vec::new(),
                out: root.join("tests/client-behaviour"),
                options: sdkgen::Options {
                    crate_name: "client_behaviour".to_owned(),
                    command: "cargo xtask codegen".to_owned(),
                    standalone: false,
                },
            },
            Target {
                spec: root.join("tests/fixtures/pagination.yaml"),
                overlays: Vec::new(),
                out: root.join("tests/pagination"),
                options: sdkgen::Options {
                    crate_name: "pagination".to_owned(),
                    command: "cargo xtask codegen".to_owned(),
                    standalone: false,
                },
            },
            Target {
                spec: root.join("tests/fixtures/wire.yaml"),
                overlays: Vec::new(),
                out: root.join("tests/wire"),
                options: sdkgen::Options {
                    crate_name: "wire".to_owned(),
                    command: "cargo xtask codegen".to_owned(),
                    standalone: false,
                },
            },
            Target {
                spec: root.join("tests/fixtures/credentials.yaml"),
                overlays: Vec::new(),
                out: root.join("tests/credentials"),
                options: sdkgen::Options {
                    crate_name: "credentials".to_owned(),
                    command: "cargo xtask codegen".to_owned(),
                    standalone: false,
                },
            },
        ]
    }

    fn from_args(args: &Args) -> Target {
        match (&args.spec, &args.out) {
            (Some(spec), Some(out)) => {
                let file_name = spec
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let stem = spec
                    .file_stem()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let name = args.name.clone().unwrap_or(stem);
                Target {
                    spec: spec.clone(),
                    overlays: args.overlays.clone(),
                    out: out.clone(),
                    options: sdkgen::Options {
                        command: format!(
                            "cargo xtask codegen --spec {file_name}{} --out DIR --name {name}",
                            overlay_flags(&args.overlays)
                        ),
                        crate_name: name,
                        standalone: true,
                    },
                }
            }
            _ => {
                let root = project_root();
                Target {
                    spec: root.join("spec/openapi.yaml"),
                    overlays: args.overlays.clone(),
                    out: root.join("generated"),
                    options: sdkgen::Options {
                        crate_name: args.name.clone().unwrap_or_else(|| "highlevel".to_owned()),
                        command: format!("cargo xtask codegen{}", overlay_flags(&args.overlays)),
                        standalone: false,
                    },
                }
            }
        }
    }
}

/// ` --overlay NAME` for each overlay, by file name only, for the generated files' first line.
fn overlay_flags(overlays: &[PathBuf]) -> String {
    overlays
        .iter()
        .map(|o| {
            let name = o.file_name().unwrap_or(o.as_os_str());
            format!(" --overlay {}", name.to_string_lossy())
        })
        .collect()
}

/// The exit code of an internal error: a bug in the generator, not a problem in the spec.
pub const INTERNAL_ERROR: u8 = 4;

pub fn run(args: &Args) -> u8 {
    let mut total = Synced::default();
    let mut code = 0;
    let targets = Target::all_from_args(args);
    for target in &targets {
        let (status, synced) = run_one_guarded(target, args);
        code = code.max(status);
        total.add(synced);
    }
    if code == 0 {
        eprintln!("{}", total.summary(targets.len(), args.check));
    }
    code
}

/// [`run_one`], with a panic after generation (comparing APIs, printing, writing) reported as
/// the internal error it is; `sdkgen` catches its own.
fn run_one_guarded(target: &Target, args: &Args) -> (u8, Synced) {
    std::panic::catch_unwind(|| run_one(target, args)).unwrap_or_else(|payload| {
        eprintln!(
            "bug: `cargo xtask codegen` panicked: {}\n  = help: {}",
            sdkgen::fault::panic_message(payload.as_ref()),
            sdkgen::BUG_HELP
        );
        (INTERNAL_ERROR, Synced::default())
    })
}

/// Generates one crate: the exit code, and what was written.
fn run_one(target: &Target, args: &Args) -> (u8, Synced) {
    let color = use_color();
    let generated =
        match sdkgen::generate_with_overlays(&target.spec, &target.overlays, &target.options) {
            Ok(generated) => generated,
            Err(failure) => {
                eprint!("{}", failure.report(color));
                eprintln!("{}", summary(&failure.diagnostics, "generation stopped"));
                if failure.is_internal_error() {
                    return (INTERNAL_ERROR, Synced::default());
                }
                // A diagnostic about a file with no text: the spec or an overlay could not be
                // read, a file-system error.
                let unreadable = failure
                    .diagnostics
                    .iter()
                    .any(|d| !failure.sources.contains_key(&d.file));
                return (if unreadable { 2 } else { 1 }, Synced::default());
            }
        };
    if !generated.warnings.is_empty() {
        eprint!("{}", generated.report(color));
    }
    if args.deny_warnings && !generated.warnings.is_empty() {
        eprintln!(
            "{}",
            summary(
                &generated.warnings,
                "`--deny-warnings` is set, so nothing was written"
            )
        );
        return (1, Synced::default());
    }
    api_changes(target, &generated, args.json);
    match sync(&target.out, &generated.files, args.check) {
        Ok(synced) if synced.stale.is_empty() => {
            let warnings = generated.warnings.len();
            (0, Synced { warnings, ..synced })
        }
        Ok(synced) => {
            for diff in &synced.stale {
                eprintln!("{diff}");
            }
            let fix = if std::env::var_os("CI").is_some() {
                " locally and commit the result"
            } else {
                ""
            };
            eprintln!(
                "error: {} generated file(s) out of date; run `{}`{fix}",
                synced.stale.len(),
                target.options.command
            );
            (3, synced)
        }
        Err(err) => {
            eprintln!("error: {err}");
            (2, Synced::default())
        }
    }
}

/// Reports what the regeneration changes in the crate's public API since the files on disk.
fn api_changes(target: &Target, generated: &sdkgen::Generated, json: bool) {
    let files: Vec<(String, String)> = generated
        .files
        .iter()
        .map(|f| (f.path.clone(), f.contents.clone()))
        .collect();
    match apidiff::compare_with_disk(&target.options.crate_name, &target.out, &files) {
        Ok(report) if json => println!("{}", report.json_line()),
        Ok(report) => eprint!("{}", report.text()),
        Err(err) => eprintln!("warning: cannot compare the public API: {err}"),
    }
}

/// Colour only for a person at a terminal, and never when `NO_COLOR` is set.
fn use_color() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The closing line, as rustc ends its output: how many errors and warnings, and the outcome.
fn summary(diagnostics: &[sdkgen::Diagnostic], outcome: &str) -> String {
    let count = |severity| {
        diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    };
    let bugs = count(sdkgen::Severity::Bug);
    let errors = count(sdkgen::Severity::Error);
    let warnings = count(sdkgen::Severity::Warning);
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let bugs = if bugs > 0 {
        format!(
            "{} (a bug in the generator), ",
            plural(bugs, "internal error")
        )
    } else {
        String::new()
    };
    format!(
        "error: {outcome}: {bugs}{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

/// What [`sync`] did (or, with `check`, found).
#[derive(Debug, Default, PartialEq)]
pub struct Synced {
    /// A diff per stale file, with `check`.
    pub stale: Vec<String>,
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
    /// Warnings about the spec.
    pub warnings: usize,
}

impl Synced {
    fn add(&mut self, other: Synced) {
        self.written += other.written;
        self.unchanged += other.unchanged;
        self.removed += other.removed;
        self.warnings += other.warnings;
    }

    /// The line a successful run ends with.
    fn summary(&self, crates: usize, check: bool) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let files = if check {
            format!("{} up to date", plural(self.unchanged, "file"))
        } else {
            format!(
                "{} written, {} unchanged, {} removed",
                plural(self.written, "file"),
                self.unchanged,
                self.removed
            )
        };
        format!(
            "codegen: {}: {files}; {}",
            plural(crates, "crate"),
            plural(self.warnings, "warning")
        )
    }
}

/// Brings `out` in line with `files`: writes each file whose bytes differ (atomically) and
/// removes files this generator wrote before but no longer produces. With `check`, changes
/// nothing and returns a diff per stale file instead.
pub fn sync(out: &Path, files: &[sdkgen::GeneratedFile], check: bool) -> std::io::Result<Synced> {
    let mut synced = Synced::default();
    for file in files {
        let path = out.join(&file.path);
        let current = std::fs::read_to_string(&path)
            .ok()
            .map(|s| s.replace("\r\n", "\n"));
        if current.as_deref() == Some(file.contents.as_str()) {
            synced.unchanged += 1;
            continue;
        }
        if check {
            synced.stale.push(diff(
                &file.path,
                current.as_deref().unwrap_or(""),
                &file.contents,
            ));
        } else {
            write_atomically(&path, &file.contents)?;
            synced.written += 1;
        }
    }
    for orphan in orphans(out, files)? {
        let relative = orphan
            .strip_prefix(out)
            .unwrap_or(&orphan)
            .display()
            .to_string();
        if check {
            synced
                .stale
                .push(format!("{relative}: generated before, no longer produced"));
        } else {
            std::fs::remove_file(&orphan)?;
            synced.removed += 1;
        }
    }
    Ok(synced)
}

/// Files under `out/src`, nested modules included (`src/requests/pagination.rs`), that carry
/// the generated-file line but are no longer generated. Files without that line are the
/// user's and are never touched.
fn orphans(out: &Path, files: &[sdkgen::GeneratedFile]) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut dirs = vec![out.join("src")];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let relative = path
                .strip_prefix(out)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            let generated_before = std::fs::read_to_string(&path)
                .is_ok_and(|text| text.starts_with("// @generated by "));
            if generated_before && !files.iter().any(|f| f.path == relative) {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Writes to a temporary file beside `path`, then renames it over `path`, so a reader or an
/// interrupted run sees the old file or the new one, never half of one.
fn write_atomically(path: &Path, contents: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
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

fn diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo test` fails when someone edits the spec and forgets `cargo xtask codegen`.
    #[test]
    fn generated_crate_is_fresh() {
        for target in Target::all_from_args(&Args::default()) {
            let generated =
                sdkgen::generate_with_overlays(&target.spec, &target.overlays, &target.options)
                    .unwrap_or_else(|f| panic!("{f}"));
            let stale = sync(&target.out, &generated.files, true).unwrap().stale;
            assert!(
                stale.is_empty(),
                "{} is stale; run `cargo xtask codegen`:\n{}",
                target.out.display(),
                stale.join("\n")
            );
        }
    }

    #[test]
    fn overlays_are_repeatable_and_named_in_the_command() {
        let args: Vec<String> = [
            "--spec",
            "specs/api.json",
            "--overlay",
            "patches/a.yaml",
            "--overlay",
            "b.json",
            "--out",
            "out",
        ]
        .map(String::from)
        .to_vec();
        let args = Args::parse(&args).unwrap();
        assert_eq!(
            args.overlays,
            [PathBuf::from("patches/a.yaml"), PathBuf::from("b.json")]
        );
        let targets = Target::all_from_args(&args);
        let [target] = targets.as_slice() else {
            panic!("one target");
        };
        assert_eq!(target.overlays, args.overlays);
        assert_eq!(
            target.options.command,
            "cargo xtask codegen --spec api.json --overlay a.yaml --overlay b.json --out DIR --name api"
        );
        assert!(Args::parse(&["--overlay".to_owned()]).is_err());
    }

    #[test]
    fn check_reports_a_changed_file_and_sync_repairs_it() {
        let dir = std::env::temp_dir().join(format!("xtask-sync-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let files = vec![sdkgen::GeneratedFile {
            path: "src/lib.rs".into(),
            contents: "// @generated by x\nfn a() {}\n".into(),
        }];
        let written = sync(&dir, &files, false).unwrap();
        assert_eq!((written.written, written.unchanged), (1, 0));
        std::fs::write(dir.join("src/lib.rs"), "// @generated by x\nfn b() {}\n").unwrap();
        std::fs::write(dir.join("src/orphan.rs"), "// @generated by x\n").unwrap();
        std::fs::write(dir.join("src/mine.rs"), "// the user's own file\n").unwrap();
        // A nested module no longer generated (an operation that stopped paging, say).
        std::fs::create_dir_all(dir.join("src/requests")).unwrap();
        std::fs::write(
            dir.join("src/requests/pagination.rs"),
            "// @generated by x\n",
        )
        .unwrap();
        let stale = sync(&dir, &files, true).unwrap().stale;
        assert_eq!(stale.len(), 3, "{stale:?}");
        assert!(
            stale[0].contains("-fn b() {}") && stale[0].contains("+fn a() {}"),
            "{}",
            stale[0]
        );
        assert!(stale[1].starts_with("src/orphan.rs"), "{}", stale[1]);
        assert!(
            stale[2].starts_with("src/requests/pagination.rs"),
            "{}",
            stale[2]
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("src/lib.rs")).unwrap(),
            "// @generated by x\nfn b() {}\n",
            "check changed a file"
        );
        let repaired = sync(&dir, &files, false).unwrap();
        assert_eq!((repaired.written, repaired.removed), (1, 2));
        let fresh = sync(&dir, &files, true).unwrap();
        assert!(fresh.stale.is_empty());
        assert_eq!(
            fresh.summary(1, true),
            "codegen: 1 crate: 1 file up to date; 0 warnings"
        );
        assert_eq!(
            repaired.summary(2, false),
            "codegen: 2 crates: 1 file written, 0 unchanged, 2 removed; 0 warnings"
        );
        assert!(!dir.join("src/orphan.rs").exists());
        assert!(!dir.join("src/requests/pagination.rs").exists());
        assert!(dir.join("src/mine.rs").exists(), "a user file was deleted");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[cfg(test)]
mod deny_warnings {
    use super::*;

    /// A reference that cannot be followed is a warning: generation goes on without
    /// `--deny-warnings`, and stops, writing nothing, with it.
    #[test]
    fn makes_a_broken_reference_fatal() {
        let out = std::env::temp_dir().join(format!("xtask-deny-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&out);
        let target = Target {
            spec: project_root().join("tests/fixtures/broken-refs/openapi.yaml"),
            overlays: Vec::new(),
            out: out.clone(),
            options: sdkgen::Options {
                crate_name: "broken_refs".to_owned(),
                command: "cargo xtask codegen".to_owned(),
                standalone: true,
            },
        };
        let denied = Args {
            deny_warnings: true,
            ..Args::default()
        };
        assert_eq!(run_one(&target, &denied).0, 1);
        assert!(!out.exists(), "files were written");
        assert_eq!(run_one(&target, &Args::default()).0, 0);
        assert!(out.join("src/types.rs").exists());
        std::fs::remove_dir_all(&out).unwrap();
    }
}
