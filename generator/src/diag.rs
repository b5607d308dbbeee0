//! Problems in the input, as values that say where (file, line, JSON pointer) and what to do.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file as the user named it, or relative to the file that referred to it.
    pub file: String,
    /// 1-based line and column, where the parser could tell.
    pub line: Option<(usize, usize)>,
    /// JSON pointer into `file` (`/paths/~1pets/get`); empty for the whole document.
    pub pointer: String,
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}: {}", self.message)?;
        write!(f, "  --> {}", self.file)?;
        if let Some((line, column)) = self.line {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, " #{}", self.pointer)?;
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
        let escaped = token.replace('~', "~0").replace('/', "~1");
        Location {
            file: self.file.clone(),
            pointer: format!("{}/{escaped}", self.pointer),
        }
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

    pub fn warning(&mut self, at: &Location, message: impl Into<String>, help: impl Into<String>) {
        self.push(Severity::Warning, at, message.into(), help.into());
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
            pointer: String::new(),
            message: message.into(),
            help: (!help.is_empty()).then_some(help),
        });
    }

    fn push(&mut self, severity: Severity, at: &Location, message: String, help: String) {
        let diagnostic = Diagnostic {
            severity,
            file: at.file.clone(),
            line: None,
            pointer: at.pointer.clone(),
            message,
            help: (!help.is_empty()).then_some(help),
        };
        // The same construct reached along two paths is reported once.
        if !self.list.contains(&diagnostic) {
            self.list.push(diagnostic);
        }
    }

    pub fn has_errors(&self) -> bool {
        self.list.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.list
    }
}
