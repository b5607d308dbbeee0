//! Diagnostics printed the way rustc prints its own: a headline, the place, the source line
//! with the offending text underlined and labelled with its JSON pointer, then the help.
//!
//! codespan-reporting does the layout; this module only maps a [`Diagnostic`] onto it.

use std::collections::BTreeMap;

use codespan_reporting::diagnostic::{self as cs, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::termcolor::Buffer;
use codespan_reporting::term::{self, Chars, Config, Styles, StylesWriter};

use crate::diag::{Diagnostic, Severity};

/// Renders `diagnostics` with the lines of `sources` they point at. `color` adds ANSI
/// colours, for a terminal; without it the text is plain, for logs and snapshots.
pub fn report(
    diagnostics: &[Diagnostic],
    sources: &BTreeMap<String, String>,
    color: bool,
) -> String {
    let config = Config {
        chars: Chars::ascii(),
        ..Config::default()
    };
    let mut files = SimpleFiles::new();
    let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
    let mut id_of = |name: &str| -> Option<usize> {
        let (key, text) = sources.get_key_value(name)?;
        Some(
            *ids.entry(key.as_str())
                .or_insert_with(|| files.add(key.as_str(), text.as_str())),
        )
    };
    let prepared: Vec<cs::Diagnostic<usize>> = diagnostics
        .iter()
        .map(|d| convert(d, sources, &mut id_of))
        .collect();
    let styles = Styles::default();
    let mut out = String::new();
    for (diagnostic, original) in prepared.iter().zip(diagnostics) {
        let mut buffer = if color {
            Buffer::ansi()
        } else {
            Buffer::no_color()
        };
        let mut writer = StylesWriter::new(&mut buffer, &styles);
        match term::emit_to_write_style(&mut writer, &config, &files, diagnostic) {
            Ok(()) => out.push_str(&String::from_utf8_lossy(buffer.as_slice())),
            // The layout failed (a file changed under us, say): the plain form still says it all.
            Err(_) => out.push_str(&format!("{original}\n\n")),
        }
    }
    out
}

/// One [`Diagnostic`] as codespan-reporting wants it.
fn convert(
    d: &Diagnostic,
    sources: &BTreeMap<String, String>,
    id_of: &mut impl FnMut(&str) -> Option<usize>,
) -> cs::Diagnostic<usize> {
    let base = match d.severity {
        Severity::Error => cs::Diagnostic::error(),
        Severity::Warning => cs::Diagnostic::warning(),
    };
    let mut labels = Vec::new();
    let mut notes = Vec::new();
    let pointer = |p: &str| {
        if p.is_empty() {
            String::new()
        } else {
            format!("#{p}")
        }
    };
    match place(&d.file, d.range.as_ref(), sources, id_of) {
        Some((id, range)) => {
            labels.push(Label::primary(id, range).with_message(pointer(&d.pointer)))
        }
        None => notes.push(where_note("in", &d.file, d.line, &d.pointer)),
    }
    for r in &d.related {
        match place(&r.file, r.range.as_ref(), sources, id_of) {
            Some((id, range)) => labels.push(Label::secondary(id, range).with_message(format!(
                "{} ({})",
                r.label,
                pointer(&r.pointer)
            ))),
            None => notes.push(where_note(&r.label, &r.file, r.line, &r.pointer)),
        }
    }
    if let Some(help) = &d.help {
        notes.push(format!("help: {help}"));
    }
    base.with_message(&d.message)
        .with_labels(labels)
        .with_notes(notes)
}

/// The file id and a range that is safe to slice in its text.
fn place(
    file: &str,
    range: Option<&std::ops::Range<usize>>,
    sources: &BTreeMap<String, String>,
    id_of: &mut impl FnMut(&str) -> Option<usize>,
) -> Option<(usize, std::ops::Range<usize>)> {
    let range = range?;
    let text = sources.get(file)?;
    let fits = range.start <= range.end
        && text.is_char_boundary(range.start)
        && text.is_char_boundary(range.end);
    if !fits {
        return None;
    }
    Some((id_of(file)?, range.clone()))
}

/// A note naming the place, for a diagnostic whose text cannot be shown.
fn where_note(label: &str, file: &str, line: Option<(usize, usize)>, pointer: &str) -> String {
    let mut note = format!("{label} {file}");
    if let Some((line, column)) = line {
        note.push_str(&format!(":{line}:{column}"));
    }
    if !pointer.is_empty() {
        note.push_str(&format!(" at #{pointer}"));
    }
    note
}
