//! `cargo xtask conformance`: the contract test of a generated client against a server nobody
//! here wrote.
//!
//! For each spec it generates the crate and its contract driver (`sdkgen::generate_contract`),
//! builds every driver in one scratch workspace, starts Prism on loopback with request
//! validation (`prism mock --errors`), and runs the driver, which calls every operation once
//! with the spec's examples (or values made from the schemas) and every optional value set.
//! Each call passes when Prism reports no violation of the spec by the request (its
//! `sl-violations` header, or an error status of its own) and the response decodes into its
//! generated type. What Prism cannot mock is skipped, with Prism's reason.

mod classify;
mod scratch;

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub use classify::{Call, Verdict};

/// Where the tools and the scratch workspace are.
#[derive(Debug, Clone)]
pub struct Setup {
    /// The project root: `tools/node` holds Prism, `Cargo.lock` pins the dependencies.
    pub root: PathBuf,
    /// The scratch directory the crates and drivers are written to.
    pub scratch: PathBuf,
    /// The cargo target directory the drivers build in (shared with other scratch builds).
    pub target: PathBuf,
}

/// The calls of one spec, or why none could be made.
#[derive(Debug)]
pub struct SpecReport {
    pub spec: PathBuf,
    pub calls: Vec<Call>,
}

/// Why the contract test could not run at all (exit 2).
#[derive(Debug)]
pub struct Fatal(pub String);

impl std::fmt::Display for Fatal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Runs the contract test of every spec, in order.
pub fn run(setup: &Setup, specs: &[PathBuf]) -> Result<Vec<SpecReport>, Fatal> {
    let prism = setup.root.join("tools/node/node_modules/.bin/prism");
    if !prism.exists() {
        return Err(Fatal(format!(
            "Prism is not installed at {}: run `cargo xtask test` (or `npm ci` in tools/node), which installs it",
            prism.display()
        )));
    }
    let drivers = scratch::build(setup, specs)?;
    // Logs of earlier runs would only mislead.
    for entry in std::fs::read_dir(&setup.scratch)
        .into_iter()
        .flatten()
        .flatten()
    {
        if entry.file_name().to_string_lossy().starts_with("prism-") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    let mut reports = Vec::new();
    for (spec, driver) in specs.iter().zip(drivers) {
        reports.push(SpecReport {
            spec: spec.clone(),
            calls: calls(&prism, spec, &driver, &setup.scratch)?,
        });
    }
    Ok(reports)
}

/// Every call of one spec's driver. When a request stops Prism (a crash in its request
/// parsing), that call is skipped with Prism's error, and the driver goes on from the next
/// operation against a new Prism. A document Prism cannot serve at all has its operations
/// skipped with Prism's reason.
fn calls(prism: &Path, spec: &Path, driver: &Path, logs: &Path) -> Result<Vec<Call>, Fatal> {
    let operations = Command::new(driver)
        .arg("--operations")
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .trim()
                .parse::<usize>()
                .ok()
        })
        .ok_or_else(|| {
            Fatal(format!(
                "the contract driver {} does not run",
                driver.display()
            ))
        })?;
    if operations == 0 {
        return Ok(Vec::new());
    }
    let mut calls = Vec::new();
    let mut first = 0;
    loop {
        let mut server = match Prism::start(prism, spec, logs) {
            Ok(server) => server,
            Err(Fatal(reason)) => {
                let reason = reason
                    .lines()
                    .find(|l| l.contains("Error"))
                    .unwrap_or(&reason)
                    .trim()
                    .to_owned();
                calls.push(Call {
                    index: first,
                    operation: "(every operation)".to_owned(),
                    method: String::new(),
                    path: String::new(),
                    request: None,
                    status: None,
                    verdict: Verdict::Skip(format!("Prism cannot serve this document: {reason}")),
                });
                return Ok(calls);
            }
        };
        let output = Command::new(driver)
            .arg(&server.base_url)
            .arg(first.to_string())
            .stdin(Stdio::null())
            .output()
            .map_err(|e| Fatal(format!("cannot run {}: {e}", driver.display())))?;
        if !output.status.success() {
            return Err(Fatal(format!(
                "the contract driver of {} failed: {}",
                spec.display(),
                String::from_utf8_lossy(&output.stderr)
            )));
        }
        let mut batch = String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(classify::call)
            .collect::<Result<Vec<_>, _>>()
            .map_err(Fatal)?;
        // A request that got no answer may have stopped Prism: give it a moment to exit.
        if batch
            .iter()
            .any(|c| c.status.is_none() && c.request.is_some())
        {
            let deadline = Instant::now() + Duration::from_secs(3);
            while server.child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        let stopped = server.stopped();
        let culprit = batch
            .iter()
            .position(|c| c.status.is_none() && c.request.is_some());
        match (stopped, culprit) {
            (Some(error), Some(at)) => {
                batch.truncate(at + 1);
                if let Some(call) = batch.last_mut() {
                    call.verdict = Verdict::Skip(format!("Prism stopped on this request: {error}"));
                    first = call.index + 1;
                }
                calls.extend(batch);
            }
            _ => {
                calls.extend(batch);
                return Ok(calls);
            }
        }
    }
}

/// The report as text: a line per call and a summary per spec and in all.
pub fn text(reports: &[SpecReport]) -> String {
    let mut out = String::new();
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    for report in reports {
        out.push_str(&format!("{}\n", report.spec.display()));
        for call in &report.calls {
            out.push_str(&format!("  {call}\n"));
            match call.verdict {
                Verdict::Pass => passed += 1,
                Verdict::Fail(_) => failed += 1,
                Verdict::Skip(_) => skipped += 1,
            }
        }
        let summary = classify::summary(&report.calls);
        out.push_str(&format!("  {summary}\n"));
    }
    out.push_str(&format!(
        "conformance: {} spec(s), {} operation(s): {passed} passed, {failed} failed, {skipped} skipped (Prism cannot mock them)\n",
        reports.len(),
        passed + failed + skipped
    ));
    out
}

/// 0 when no call failed, 1 otherwise.
pub fn exit_code(reports: &[SpecReport]) -> u8 {
    let failed = reports
        .iter()
        .flat_map(|r| &r.calls)
        .any(|c| matches!(c.verdict, Verdict::Fail(_)));
    u8::from(failed)
}

/// A Prism mock server on a free loopback port, stopped when dropped.
struct Prism {
    child: Child,
    base_url: String,
    log: PathBuf,
}

impl Prism {
    fn start(binary: &Path, spec: &Path, logs: &Path) -> Result<Prism, Fatal> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .map_err(|e| Fatal(format!("no free loopback port: {e}")))?;
        let log_path = logs.join(format!("prism-{port}.log"));
        let log = std::fs::File::create(&log_path)
            .map_err(|e| Fatal(format!("cannot write {}: {e}", log_path.display())))?;
        let log_err = log
            .try_clone()
            .map_err(|e| Fatal(format!("cannot write {}: {e}", log_path.display())))?;
        let child = Command::new(binary)
            .args([
                "mock",
                "--errors",
                "-h",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .arg(spec)
            .stdout(log)
            .stderr(log_err)
            .stdin(Stdio::null())
            .spawn()
            .map_err(|e| Fatal(format!("cannot start Prism: {e}")))?;
        let mut prism = Prism {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
            log: log_path.clone(),
        };
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(prism);
            }
            let exited = prism.child.try_wait().ok().flatten();
            if exited.is_some() || Instant::now() > deadline {
                let log = std::fs::read_to_string(&log_path).unwrap_or_default();
                return Err(Fatal(format!(
                    "Prism did not start for {} ({exited:?}):\n{log}",
                    spec.display()
                )));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Prism {
    /// When Prism has stopped, the error it wrote last.
    fn stopped(&mut self) -> Option<String> {
        self.child.try_wait().ok().flatten()?;
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let error = log
            .lines()
            .find(|l| l.contains("Error:"))
            .unwrap_or("it exited")
            .trim()
            .to_owned();
        Some(error)
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
