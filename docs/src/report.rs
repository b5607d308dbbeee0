//! The drift report: per page what was added, removed or changed, then a summary line; as text
//! or as JSON. Also decides the exit code.

use crate::compare::{Change, Kind};
use serde::Serialize;
use std::fmt::Write;

/// What checking one page found.
#[derive(Clone, Debug, Serialize)]
pub struct PageReport {
    /// The page as named on the command line.
    pub page: String,
    pub title: Option<String>,
    pub scraped: Option<String>,
    pub source: Option<String>,
    #[serde(flatten)]
    pub outcome: Outcome,
}

#[derive(Clone, Debug, Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Outcome {
    /// The spec has the operation; `changes` is empty when nothing drifted.
    Compared {
        /// `GET /path/{id}`.
        operation: String,
        /// Where the spec declares it.
        spec: String,
        /// Shown grouped (see [`json`]).
        #[serde(skip)]
        changes: Vec<Change>,
    },
    /// The page documents an operation the spec does not have.
    NotInSpec {
        operation: String,
        summary: Option<String>,
    },
    /// The page is not read: `reason` is the kind (`truncated`, `not an operation page`, ...)
    /// or `unreadable` when the file itself cannot be read.
    Refused {
        reason: String,
        line: Option<usize>,
        message: String,
    },
}

/// Counts over all pages, for the summary line.
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub pages: usize,
    pub without_drift: usize,
    pub with_drift: usize,
    pub not_in_spec: usize,
    pub refused: usize,
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
}

pub fn summarize(reports: &[PageReport]) -> Summary {
    let mut summary = Summary {
        pages: reports.len(),
        ..Summary::default()
    };
    for report in reports {
        match &report.outcome {
            Outcome::Compared { changes, .. } if changes.is_empty() => summary.without_drift += 1,
            Outcome::Compared { changes, .. } => {
                summary.with_drift += 1;
                summary.added += count(changes, Kind::Added);
                summary.removed += count(changes, Kind::Removed);
                summary.changed += count(changes, Kind::Changed);
            }
            Outcome::NotInSpec { .. } => summary.not_in_spec += 1,
            Outcome::Refused { .. } => summary.refused += 1,
        }
    }
    summary
}

/// 0 nothing drifted; 1 drift, or a page for an operation the spec lacks; 2 a page refused.
pub fn exit_code(reports: &[PageReport]) -> u8 {
    let summary = summarize(reports);
    if summary.refused > 0 {
        2
    } else if summary.with_drift > 0 || summary.not_in_spec > 0 {
        1
    } else {
        0
    }
}

fn count(changes: &[Change], kind: Kind) -> usize {
    changes.iter().filter(|c| c.kind == kind).count()
}

fn counts(changes: &[Change]) -> String {
    format!(
        "{} added, {} removed, {} changed",
        count(changes, Kind::Added),
        count(changes, Kind::Removed),
        count(changes, Kind::Changed)
    )
}

pub fn text(reports: &[PageReport]) -> String {
    let mut out = String::new();
    for report in reports {
        page_text(&mut out, report);
        out.push('\n');
    }
    out.push_str(&summary_line(&summarize(reports)));
    out.push('\n');
    out
}

fn page_text(out: &mut String, report: &PageReport) {
    if let Outcome::Refused {
        reason,
        line,
        message,
    } = &report.outcome
    {
        // One line: what kind of page it is, and where reading stopped.
        let message = message.replace('\n', " ");
        let _ = match line {
            Some(line) => writeln!(
                out,
                "{}: refused ({reason}): line {line}: {message}",
                report.page
            ),
            None => writeln!(out, "{}: refused ({reason}): {message}", report.page),
        };
        return;
    }
    let status = match &report.outcome {
        Outcome::Compared { changes, .. } if changes.is_empty() => "no drift".to_owned(),
        Outcome::Compared { changes, .. } => format!("drift ({})", counts(changes)),
        Outcome::NotInSpec { .. } => "not in the spec".to_owned(),
        Outcome::Refused { .. } => String::new(),
    };
    let _ = writeln!(out, "{}: {status}", report.page);
    if let Some(title) = &report.title {
        let scraped = report.scraped.as_deref().unwrap_or("at an unknown date");
        let _ = writeln!(out, "  page: {title}, scraped {scraped}");
    }
    match &report.outcome {
        Outcome::Compared {
            operation,
            spec,
            changes,
        } => {
            let _ = writeln!(out, "  documents {operation}");
            let _ = writeln!(out, "  spec: {spec}");
            groups(out, changes);
        }
        Outcome::NotInSpec { operation, summary } => {
            let summary = summary
                .as_deref()
                .map(|s| format!(" ({s})"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  documents {operation}{summary}, which the spec does not have; \
                 `cargo xtask docs-import {}` drafts it",
                report.page
            );
        }
        Outcome::Refused { .. } => {}
    }
}

/// Changes grouped by kind: added, removed, changed, each in the order compared.
fn groups(out: &mut String, changes: &[Change]) {
    for (kind, name) in [
        (Kind::Added, "added"),
        (Kind::Removed, "removed"),
        (Kind::Changed, "changed"),
    ] {
        let group: Vec<&Change> = changes.iter().filter(|c| c.kind == kind).collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  {name} ({}):", group.len());
        for change in group {
            match &change.attribute {
                Some(attribute) => {
                    let _ = writeln!(out, "    {}: {attribute}", change.subject);
                }
                None => {
                    let _ = writeln!(out, "    {}", change.subject);
                }
            }
            if let Some(old) = &change.old {
                let at = change.spec_at.as_deref().map(|at| format!("  ({at})"));
                let _ = writeln!(out, "      old: {old}{}", at.unwrap_or_default());
            }
            if let Some(new) = &change.new {
                let at = change.page_line.map(|line| format!("  (page line {line})"));
                let _ = writeln!(out, "      new: {new}{}", at.unwrap_or_default());
                // Where the spec should say it.
                if let (None, Some(at)) = (&change.old, &change.spec_at) {
                    let _ = writeln!(out, "      spec: {at}");
                }
            }
        }
    }
}

fn summary_line(summary: &Summary) -> String {
    let mut parts = Vec::new();
    if summary.without_drift > 0 {
        parts.push(format!("{} without drift", summary.without_drift));
    }
    if summary.with_drift > 0 {
        parts.push(format!(
            "{} with drift ({} added, {} removed, {} changed)",
            summary.with_drift, summary.added, summary.removed, summary.changed
        ));
    }
    if summary.not_in_spec > 0 {
        parts.push(format!(
            "{} for an operation not in the spec",
            summary.not_in_spec
        ));
    }
    if summary.refused > 0 {
        parts.push(format!("{} refused", summary.refused));
    }
    let pages = if summary.pages == 1 { "page" } else { "pages" };
    format!(
        "summary: {} {pages} checked: {}",
        summary.pages,
        parts.join(", ")
    )
}

#[derive(Serialize)]
struct JsonReport<'a> {
    pages: Vec<JsonPage<'a>>,
    summary: Summary,
    exit_code: u8,
}

/// One page with its changes split into the report's groups.
#[derive(Serialize)]
struct JsonPage<'a> {
    /// `no-drift`, `drift`, `not-in-spec` or `refused`.
    status: &'static str,
    #[serde(flatten)]
    report: &'a PageReport,
    added: Vec<&'a Change>,
    removed: Vec<&'a Change>,
    changed: Vec<&'a Change>,
}

pub fn json(reports: &[PageReport]) -> String {
    let pages = reports
        .iter()
        .map(|report| {
            let changes = match &report.outcome {
                Outcome::Compared { changes, .. } => changes.as_slice(),
                _ => &[],
            };
            let of = |kind| changes.iter().filter(|c| c.kind == kind).collect();
            let status = match &report.outcome {
                Outcome::Compared { changes, .. } if changes.is_empty() => "no-drift",
                Outcome::Compared { .. } => "drift",
                Outcome::NotInSpec { .. } => "not-in-spec",
                Outcome::Refused { .. } => "refused",
            };
            JsonPage {
                status,
                report,
                added: of(Kind::Added),
                removed: of(Kind::Removed),
                changed: of(Kind::Changed),
            }
        })
        .collect();
    let report = JsonReport {
        pages,
        summary: summarize(reports),
        exit_code: exit_code(reports),
    };
    let mut out = serde_json::to_string_pretty(&report).unwrap_or_default();
    out.push('\n');
    out
}
