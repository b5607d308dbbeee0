//! Problems in the input, as values that say where (file, line, JSON pointer) and what to do.
//!
//! Stages record a file and a JSON pointer; the line, column and the byte range to underline
//! are filled in at the end of the run from the source texts (see [`crate::span`]), so no stage
//! has to carry positions around.

use std::fmt;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// An internal error: a bug in the generator, not a problem in the spec (a panic in any
    /// stage, or emitted code that does not parse). Generation stops, like an error.
    Bug,
    Error,
    Warning,
}

/// The help every [`Severity::Bug`] carries: what the user can do about it.
pub const BUG_HELP: &str =
    "this is a bug in the generator, not a problem in the spec: please report it with this spec";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file as the user named it, or relative to the file that referred to it.
    pub file: String,
    /// 1-based line and column (in characters), where it can be known.
    pub line: Option<(usize, usize)>,
    /// The bytes of `file` to underline, where they can be known.
    pub range: Option<Range<usize>>,
    /// JSON pointer into `file` (`/paths/~1pets/get`); empty for the whole document.
    pub pointer: String,
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// Other places that take part in the problem (the first of two duplicates, say).
    pub related: Vec<Related>,
}

/// A second place a diagnostic points at, with a word on its part in the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub file: String,
    pub pointer: String,
    pub line: Option<(usize, usize)>,
    pub range: Option<Range<usize>>,
    pub label: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Bug => "bug",
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}: {}", self.message)?;
        write!(f, "  --> {}", self.file)?;
        if let Some((line, column)) = self.line {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, " #{}", self.pointer)?;
        for related in &self.related {
            write!(f, "\n  = note: {}: {}", related.label, related.file)?;
            if let Some((line, column)) = related.line {
                write!(f, ":{line}:{column}")?;
            }
            write!(f, " #{}", related.pointer)?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
}

/// Where in the input a stage is looking: a file and a JSON pointer into it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Location {
    pub file: String,
    pub pointer: String,
}

impl Location {
    pub fn new(file: impl Into<String>, pointer: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            pointer: pointer.into(),
        }
    }

    /// The location one step deeper, escaping the token as RFC 6901 asks.
    pub fn join(&self, token: &str) -> Self {
        let escaped = escape(token);
        Location {
            file: self.file.clone(),
            pointer: format!("{}/{escaped}", self.pointer),
        }
    }
}

/// A JSON pointer token, escaped as RFC 6901 asks (`~` as `~0`, `/` as `~1`).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The token an escaped JSON pointer token stands for.
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// A JSON pointer built while walking a document: `push` a token before visiting a child,
/// `pop` after. One buffer for the whole walk, where building a string per node would
/// allocate for every value of the document.
#[derive(Debug, Default)]
pub struct Cursor(String);

impl Cursor {
    pub fn new(pointer: &str) -> Self {
        Cursor(pointer.to_owned())
    }

    /// Appends `/token` (escaped as RFC 6901 asks); returns what `pop` needs.
    pub fn push(&mut self, token: &str) -> usize {
        let length = self.0.len();
        self.0.push('/');
        if token.contains(['~', '/']) {
            self.0
                .push_str(&token.replace('~', "~0").replace('/', "~1"));
        } else {
            self.0.push_str(token);
        }
        length
    }

    /// Appends `/index`.
    pub fn push_index(&mut self, index: usize) -> usize {
        let length = self.0.len();
        self.0.push('/');
        self.0.push_str(&index.to_string());
        length
    }

    pub fn pop(&mut self, length: usize) {
        self.0.truncate(length);
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn location(&self, file: &str) -> Location {
        Location::new(file, self.0.as_str())
    }
}

/// The diagnostics of one run, in the order they were found.
#[derive(Debug, Default)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn error(&mut self, at: &Location, message: impl Into<String>, help: impl Into<String>) {
        self.push(Severity::Error, at, message.into(), help.into());
    }

    /// An internal error (see [`Severity::Bug`]), with the help that asks for a report.
    pub fn bug(&mut self, at: &Location, message: impl Into<String>) {
        self.push(Severity::Bug, at, message.into(), BUG_HELP.to_owned());
    }

    pub fn warning(&mut self, at: &Location, message: impl Into<String>, help: impl Into<String>) {
        self.push(Severity::Warning, at, message.into(), help.into());
    }

    /// An error that also points at a second place, such as the first of two duplicates.
    pub fn error_with(
        &mut self,
        at: &Location,
        message: impl Into<String>,
        help: impl Into<String>,
        related: &Location,
        label: impl Into<String>,
    ) {
        let related = Related {
            file: related.file.clone(),
            pointer: related.pointer.clone(),
            line: None,
            range: None,
            label: label.into(),
        };
        self.push_with(
            Severity::Error,
            at,
            message.into(),
            help.into(),
            vec![related],
        );
    }

    /// An error found by a parser that knows the line and column.
    pub fn error_at_line(
        &mut self,
        file: &str,
        line: Option<(usize, usize)>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let help: String = help.into();
        self.list.push(Diagnostic {
            severity: Severity::Error,
            file: file.to_owned(),
            line,
            range: None,
            pointer: String::new(),
            message: message.into(),
            help: (!help.is_empty()).then_some(help),
            related: Vec::new(),
        });
    }

    /// A diagnostic whose place a parser already knows exactly.
    pub fn push_placed(&mut self, diagnostic: Diagnostic) {
        if !self.list.contains(&diagnostic) {
            self.list.push(diagnostic);
        }
    }

    fn push(&mut self, severity: Severity, at: &Location, message: String, help: String) {
        self.push_with(severity, at, message, help, Vec::new());
    }

    fn push_with(
        &mut self,
        severity: Severity,
        at: &Location,
        message: String,
        help: String,
        related: Vec<Related>,
    ) {
        let diagnostic = Diagnostic {
            severity,
            file: at.file.clone(),
            line: None,
            range: None,
            pointer: at.pointer.clone(),
            message,
            help: (!help.is_empty()).then_some(help),
            related,
        };
        // The same construct reached along two paths is reported once.
        if !self.list.contains(&diagnostic) {
            self.list.push(diagnostic);
        }
    }

    /// Whether generation must stop: an error, or an internal error.
    pub fn has_errors(&self) -> bool {
        self.list.iter().any(|d| d.severity != Severity::Warning)
    }

    /// How many errors (internal ones included) so far, so a stage can tell whether it added any.
    pub fn error_count(&self) -> usize {
        self.list
            .iter()
            .filter(|d| d.severity != Severity::Warning)
            .count()
    }

    /// How many diagnostics so far, of either severity.
    pub fn count(&self) -> usize {
        self.list.len()
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.list
    }
}
