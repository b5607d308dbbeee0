//! Diagnostics printed the way rustc prints its own: a headline, the place, the source line
//! with the offending text underlined and labelled with its JSON pointer, then the help.
//!
//! codespan-reporting does the layout; this module only maps a [`Diagnostic`] onto it.

use std::collections::BTreeMap;

use codespan_reporting::diagnostic::{self as cs, Label};
use codespan_reporting::files::{self, Files};
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
    let mut texts = Texts::default();
    let prepared: Vec<cs::Diagnostic<usize>> = diagnostics
        .iter()
        .map(|d| convert(d, sources, &mut texts))
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
        match term::emit_to_write_style(&mut writer, &config, &texts, diagnostic) {
            Ok(()) => out.push_str(&String::from_utf8_lossy(buffer.as_slice())),
            // The layout failed (a file changed under us, say): the plain form still says it all.
            Err(_) => out.push_str(&format!("{original}\n\n")),
        }
    }
    out
}

/// One [`Diagnostic`] as codespan-reporting wants it.
fn convert<'s>(
    d: &Diagnostic,
    sources: &'s BTreeMap<String, String>,
    texts: &mut Texts<'s>,
) -> cs::Diagnostic<usize> {
    let base = match d.severity {
        Severity::Bug => cs::Diagnostic::bug(),
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
    match texts.place(&d.file, d.range.as_ref(), d.line, sources) {
        Some((id, range)) => {
            labels.push(Label::primary(id, range).with_message(pointer(&d.pointer)))
        }
        None => notes.push(where_note("in", &d.file, d.line, &d.pointer)),
    }
    for r in &d.related {
        match texts.place(&r.file, r.range.as_ref(), r.line, sources) {
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

/// A line longer than this (in bytes) is shown as a window around the place, as rustc shows
/// long lines: a minified document is one line of megabytes.
const LONG_LINE: usize = 240;
/// Characters of context kept on each side of the place in a long line.
const CONTEXT: usize = 60;
/// Characters of the place itself kept in a long line.
const MAX_SPAN: usize = 120;

/// The texts the report shows: whole files, and windows on long lines. Line and column
/// numbers are those of the whole file either way.
#[derive(Default)]
struct Texts<'s> {
    entries: Vec<Text<'s>>,
    /// The entry of each whole file.
    whole: BTreeMap<&'s str, usize>,
}

struct Text<'s> {
    name: &'s str,
    source: std::borrow::Cow<'s, str>,
    line_starts: Vec<usize>,
    /// The line number of the text's first line.
    first_line: usize,
    /// Characters of the first line left out before the text starts.
    skipped: usize,
}

impl<'s> Texts<'s> {
    /// The entry and byte range to label for a place in `file`, when it can be shown.
    fn place(
        &mut self,
        file: &str,
        range: Option<&std::ops::Range<usize>>,
        line: Option<(usize, usize)>,
        sources: &'s BTreeMap<String, String>,
    ) -> Option<(usize, std::ops::Range<usize>)> {
        let range = range?;
        let (name, text) = sources.get_key_value(file)?;
        let fits = range.start <= range.end
            && text.is_char_boundary(range.start)
            && text.is_char_boundary(range.end);
        if !fits {
            return None;
        }
        let line_start = text.get(..range.start)?.rfind('\n').map_or(0, |i| i + 1);
        let line_end = text
            .get(range.start..)?
            .find('\n')
            .map_or(text.len(), |i| range.start + i);
        let last_line_end = text
            .get(range.end..)?
            .find('\n')
            .map_or(text.len(), |i| range.end + i);
        let short = text
            .get(line_start..last_line_end.max(line_end))?
            .split('\n')
            .all(|l| l.len() <= LONG_LINE);
        if short {
            let id = match self.whole.get(name.as_str()) {
                Some(id) => *id,
                None => {
                    let id = self.push(name, std::borrow::Cow::Borrowed(text), 1, 0);
                    self.whole.insert(name.as_str(), id);
                    id
                }
            };
            return Some((id, range.clone()));
        }
        // A window: some characters before the place, the place (cut if long), some after.
        let line_text = text.get(line_start..line_end)?;
        let offset = range.start - line_start;
        let before = line_text.get(..offset)?;
        let start = before
            .char_indices()
            .rev()
            .nth(CONTEXT - 1)
            .map_or(0, |(i, _)| i);
        let place_end = range.end.min(line_end) - line_start;
        let place = line_text.get(offset..place_end)?;
        let place_end = offset
            + place
                .char_indices()
                .nth(MAX_SPAN)
                .map_or(place.len(), |(i, _)| i);
        let after = line_text.get(place_end..)?;
        let end = place_end
            + after
                .char_indices()
                .nth(CONTEXT)
                .map_or(after.len(), |(i, _)| i);
        let head = if start > 0 { "..." } else { "" };
        let tail = if line_start + end < line_end {
            "..."
        } else {
            ""
        };
        let window = format!("{head}{}{tail}", line_text.get(start..end)?);
        let skipped = before.get(..start)?.chars().count();
        let (line, _) = line?;
        let id = self.push(
            name,
            std::borrow::Cow::Owned(window),
            line,
            skipped.saturating_sub(head.len()),
        );
        let label_start = head.len() + offset - start;
        Some((id, label_start..label_start + (place_end - offset)))
    }

    fn push(
        &mut self,
        name: &'s str,
        source: std::borrow::Cow<'s, str>,
        first_line: usize,
        skipped: usize,
    ) -> usize {
        let line_starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        self.entries.push(Text {
            name,
            source,
            line_starts,
            first_line,
            skipped,
        });
        self.entries.len() - 1
    }

    fn entry(&self, id: usize) -> Result<&Text<'s>, files::Error> {
        self.entries.get(id).ok_or(files::Error::FileMissing)
    }
}

impl<'a> Files<'a> for Texts<'_> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, files::Error> {
        Ok(self.entry(id)?.name)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, files::Error> {
        Ok(self.entry(id)?.source.as_ref())
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, files::Error> {
        let starts = &self.entry(id)?.line_starts;
        Ok(starts
            .partition_point(|s| *s <= byte_index)
            .saturating_sub(1))
    }

    fn line_number(&'a self, id: usize, line_index: usize) -> Result<usize, files::Error> {
        Ok(self.entry(id)?.first_line + line_index)
    }

    fn column_number(
        &'a self,
        id: usize,
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, files::Error> {
        let entry = self.entry(id)?;
        let start = self.line_range(id, line_index)?.start;
        let counted = entry
            .source
            .get(start..byte_index.max(start))
            .map_or(0, |s| s.chars().count());
        let skipped = if line_index == 0 { entry.skipped } else { 0 };
        Ok(skipped + counted + 1)
    }

    fn line_range(
        &'a self,
        id: usize,
        line_index: usize,
    ) -> Result<std::ops::Range<usize>, files::Error> {
        let entry = self.entry(id)?;
        let start = *entry
            .line_starts
            .get(line_index)
            .ok_or(files::Error::LineTooLarge {
                given: line_index,
                max: entry.line_starts.len(),
            })?;
        let end = entry
            .line_starts
            .get(line_index + 1)
            .copied()
            .unwrap_or(entry.source.len());
        Ok(start..end)
    }
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
