//! Stage 1: read the root document and every file its `$ref`s reach, as JSON values.
//!
//! Every file's text is kept beside its value, so diagnostics found by later stages can be
//! placed on a line and shown with their source ([`crate::span`], [`crate::report`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use crate::diag::{Diagnostic, Diagnostics, Location, Related, Severity};
use crate::model::{self, Object};
use crate::span;

mod numbers;

/// Every file of the document, keyed by its display path (the root as the user named it,
/// the others joined to the directory of the file that refers to them).
#[derive(Debug, Default)]
pub struct Sources {
    pub root: String,
    /// The files that parsed into an object.
    pub files: BTreeMap<String, Value>,
    /// The text of every file that could be read, parsed or not.
    pub texts: BTreeMap<String, String>,
    /// Files that `$ref`s name but that could not be read, with the reason. Not an error
    /// here: each reference into them is reported where it stands, when bundling.
    pub unreadable: BTreeMap<String, String>,
}

/// Loads the document at `spec`; `None` when any file is missing or malformed.
pub fn load(spec: &Path, diags: &mut Diagnostics) -> Option<Sources> {
    let before = diags.error_count();
    let sources = load_all(spec, diags);
    (diags.error_count() == before).then_some(sources)
}

/// Loads every file it can reach, reporting each one that is missing or malformed, and keeps
/// the texts even then, so the report can show them.
pub fn load_all(spec: &Path, diags: &mut Diagnostics) -> Sources {
    let root = display(&normalize(spec));
    collect(root, &read_file, diags)
}

/// Loads a document held in memory, named `name` in diagnostics. A `$ref` to another file is
/// reported as a missing file: nothing is read from disk.
pub fn load_str(name: &str, text: &str, diags: &mut Diagnostics) -> Sources {
    let root = display(&normalize(Path::new(name)));
    let read = |file: &str| {
        if file == root {
            Ok(text.as_bytes().to_vec())
        } else {
            Err("cannot be read: a document given as text cannot refer to other files".to_owned())
        }
    };
    collect(root.clone(), &read, diags)
}

/// Whether `file` is read as JSON (by its extension); anything else is read as YAML.
pub fn is_json(file: &str) -> bool {
    Path::new(file)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

type Reader<'a> = dyn Fn(&str) -> Result<Vec<u8>, String> + 'a;

fn collect(root: String, reader: &Reader<'_>, diags: &mut Diagnostics) -> Sources {
    let mut sources = Sources {
        root: root.clone(),
        ..Sources::default()
    };
    follow(
        &mut sources,
        vec![(root, String::new(), Object::Document, None)],
        reader,
        diags,
    );
    sources
}

/// Loads an Overlay document (YAML or JSON) at `path`, keeping its text in `sources` so
/// diagnostics can point into it; returns its display path and value.
pub fn load_overlay(
    path: &Path,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Option<(String, Value)> {
    let file = display(&normalize(path));
    let value = read(&file, None, &read_file, Kind::Overlay, sources, diags)?;
    Some((file, value))
}

/// Loads the files that `file` (a document already loaded, then changed) refers to and that
/// are not loaded yet, and the files they refer to.
pub fn load_new_refs(sources: &mut Sources, file: &str, diags: &mut Diagnostics) {
    let start = (file.to_owned(), String::new(), Object::Document, None);
    follow(sources, vec![start], &read_file, diags);
}

/// What to walk: a file, a fragment in it, the object the fragment holds, and the reference
/// that led there.
type Walk = (String, String, Object, Option<Location>);

/// Walks every item of `queue` and every place their `$ref`s reach, reading files not read
/// yet. A document is walked whole; another file only where a `$ref` points into it, as the
/// object the reference stands for, so literal values are never read as references.
fn follow(
    sources: &mut Sources,
    mut queue: Vec<Walk>,
    reader: &Reader<'_>,
    diags: &mut Diagnostics,
) {
    let root = sources.root.clone();
    let mut walked = BTreeSet::new();
    // References that look like files but name a place in their own file (an `$id`, a bare
    // Swagger 2.0 definition name), by file.
    let mut inside: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    // References are taken in the order they appear, so diagnostics come out in a stable
    // order: the queue is a stack, so push each walk's references in reverse.
    while let Some((file, fragment, object, referrer)) = queue.pop() {
        if !walked.insert((file.clone(), fragment.clone(), object)) {
            continue;
        }
        if !sources.files.contains_key(&file) && !sources.unreadable.contains_key(&file) {
            if sources.texts.contains_key(&file) {
                continue; // Read before, and reported: it did not parse.
            }
            if let Some(value) = read(&file, referrer.as_ref(), reader, Kind::Spec, sources, diags)
            {
                sources.files.insert(file.clone(), value);
            }
        }
        let Some(value) = sources.files.get(&file) else {
            continue;
        };
        let inside = inside
            .entry(file.clone())
            .or_insert_with(|| crate::normalize::ids::inside(&file, value));
        let Some((start, fragment)) = model::lookup(value, &fragment) else {
            continue; // A pointer to nothing is reported when bundling.
        };
        for reference in model::references(start, object).into_iter().rev() {
            let (file_part, target) = reference
                .target
                .split_once('#')
                .unwrap_or((reference.target.as_str(), ""));
            // A remote document is never fetched; bundling reports it (or, in OpenAPI 3.1,
            // normalising finds the schema whose `$id` it is).
            if file_part.contains("://") {
                continue;
            }
            // The root is walked whole already.
            if file_part.is_empty() && file == root {
                continue;
            }
            let pointer = format!("{fragment}{}/$ref", reference.pointer);
            if inside.contains(pointer.trim_end_matches("/$ref")) || inside.contains(&pointer) {
                continue;
            }
            let at = Location::new(file.as_str(), pointer);
            let target_file = if file_part.is_empty() {
                file.clone()
            } else {
                join(&file, file_part)
            };
            queue.push((target_file, target.to_owned(), reference.object, Some(at)));
        }
    }
}

/// What a file is read as, for the help of a diagnostic about it.
#[derive(Clone, Copy)]
enum Kind {
    Spec,
    Overlay,
}

impl Kind {
    fn shape(self) -> &'static str {
        match self {
            Kind::Spec => {
                "an OpenAPI document is a YAML or JSON object with `openapi`, `info` and `paths`"
            }
            Kind::Overlay => {
                "an Overlay document is a YAML or JSON object with `overlay`, `info` and `actions`"
            }
        }
    }
}

/// The line and column (1-based, in characters) just after `before`, the text before a place.
fn line_column(before: &str) -> (usize, usize) {
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .unwrap_or_default()
        .chars()
        .count()
        + 1;
    (line, column)
}

/// The display path of the file `target` names, relative to the file `from`.
pub fn join(from: &str, target: &str) -> String {
    let base = Path::new(from).parent().unwrap_or(Path::new(""));
    display(&normalize(&base.join(target)))
}

/// The bytes of a file, or why not, as a clause that follows its name ("does not exist").
fn read_file(file: &str) -> Result<Vec<u8>, String> {
    std::fs::read(file).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "does not exist".to_owned(),
        _ => format!("cannot be read: {e}"),
    })
}

/// Reads and parses one file, keeping its text in `sources`.
fn read(
    file: &str,
    referrer: Option<&Location>,
    reader: &Reader<'_>,
    kind: Kind,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Option<Value> {
    let bytes = match reader(file) {
        Ok(bytes) => bytes,
        Err(err) => {
            match referrer {
                // Each reference into it is reported when bundling, with its fallback.
                Some(_) => {
                    sources.unreadable.insert(file.to_owned(), err);
                }
                None => diags.error_at_line(
                    file,
                    None,
                    format!("`{file}` {err}"),
                    match kind {
                        Kind::Spec => "check the path of the spec",
                        Kind::Overlay => "check the path of the overlay",
                    },
                ),
            }
            return None;
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            // Keep a readable copy, so the report can show the line with the bad byte.
            let valid = err.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(err.as_bytes()).into_owned();
            let (line, column) = line_column(lossy.get(..valid).unwrap_or_default());
            sources.texts.insert(file.to_owned(), lossy);
            diags.error_at_line(
                file,
                Some((line, column)),
                "the file is not UTF-8 text",
                "save the file as UTF-8 (the character shown as \u{fffd} is in another encoding)",
            );
            return None;
        }
    };
    sources.texts.insert(file.to_owned(), text);
    let text = sources.texts.get(file)?;
    if text.trim().is_empty() {
        diags.error_at_line(file, None, "the file is empty", kind.shape());
        return None;
    }
    let parsed = if is_json(file) {
        parse_json(file, text, diags).map_err(|e| {
            let position = (e.line() > 0).then_some((e.line(), e.column()));
            let help = if text.trim_start().starts_with(['{', '[']) {
                "fix the JSON syntax at the place shown"
            } else {
                "this does not look like JSON; if it is YAML, give the file a `.yaml` extension"
            };
            (
                format!("invalid JSON: {}", without_position(&e.to_string())),
                position,
                help,
            )
        })
    } else {
        numbers::from_yaml(text).map_err(|e| {
            let position = e.location().map(|l| (l.line(), l.column()));
            let help = if e.to_string().contains("more than one document") {
                "keep one document per file: remove the `---` separators after the first"
            } else {
                "fix the YAML syntax at the place shown (indentation with spaces, `key: value`, quotes closed)"
            };
            (format!("invalid YAML: {}", without_position(&e.to_string())), position, help)
        })
    };
    match parsed {
        Ok(value @ Value::Object(_)) => {
            // The parsers keep the last of two equal keys without a word; a lost operation or
            // schema is worse than a stop.
            let duplicates = span::duplicate_keys(text, is_json(file));
            for duplicate in &duplicates {
                let key = duplicate.pointer.rsplit('/').next().unwrap_or_default();
                let key = key.replace("~1", "/").replace("~0", "~");
                diags.push_placed(Diagnostic {
                    severity: Severity::Error,
                    file: file.to_owned(),
                    line: Some((duplicate.second.line, duplicate.second.column)),
                    range: Some(duplicate.second.range.clone()),
                    pointer: duplicate.pointer.clone(),
                    message: format!("the key `{key}` appears twice in the same mapping"),
                    help: Some(
                        "merge the two entries into one: only the last would be kept".to_owned(),
                    ),
                    related: vec![Related {
                        file: file.to_owned(),
                        pointer: duplicate.pointer.clone(),
                        line: Some((duplicate.first.line, duplicate.first.column)),
                        range: Some(duplicate.first.range.clone()),
                        label: "first here".to_owned(),
                    }],
                });
            }
            duplicates.is_empty().then_some(value)
        }
        Ok(other) => {
            diags.error_at_line(
                file,
                Some(first_content(text)),
                format!("the document is {}, not an object", kind_of(&other)),
                kind.shape(),
            );
            None
        }
        Err((message, position, help)) => {
            diags.error_at_line(file, position, message, help);
            None
        }
    }
}

/// Parses JSON; a number beyond the float range (`1e400`, which `serde_json` refuses) is read
/// as the largest float, with a warning at the number.
fn parse_json(file: &str, text: &str, diags: &mut Diagnostics) -> Result<Value, serde_json::Error> {
    let error = match serde_json::from_str::<Value>(text) {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    if !error.to_string().starts_with("number out of range") {
        return Err(error);
    }
    let (clamped, replaced) = numbers::clamp_json(text);
    let value = serde_json::from_str::<Value>(&clamped)?;
    for (range, literal) in replaced {
        let (line, column) = line_column(text.get(..range.start).unwrap_or_default());
        diags.push_placed(Diagnostic {
            severity: Severity::Warning,
            file: file.to_owned(),
            line: Some((line, column)),
            range: Some(range),
            pointer: String::new(),
            message: format!(
                "the number `{literal}` is beyond a 64-bit float; it is read as {:e}",
                f64::MAX.copysign(if literal.starts_with('-') { -1.0 } else { 1.0 })
            ),
            help: Some("write a number within ±1.7976931348623157e308".to_owned()),
            related: Vec::new(),
        });
    }
    Ok(value)
}

/// `serde_json` and `serde_yaml` end their messages with the position, which the report
/// shows on its own line.
fn without_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => {
            let (head, tail) = message.split_at(i);
            // Keep any context after the position ("..., while parsing a block mapping").
            let rest = tail
                .find(", ")
                .and_then(|j| tail.get(j..))
                .unwrap_or_default();
            let rest = match rest.find(" at line ") {
                Some(k) => rest.get(..k).unwrap_or(rest),
                None => rest,
            };
            format!("{head}{rest}")
        }
        None => message.to_owned(),
    }
}

/// The 1-based line and column of the first character that is not blank or a comment.
fn first_content(text: &str) -> (usize, usize) {
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if !trimmed.is_empty() && !trimmed.starts_with('#') {
            let column = line.chars().count() - trimmed.chars().count() + 1;
            return (i + 1, column);
        }
    }
    (1, 1)
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "empty (null)",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Removes `.` and folds `..` lexically, so one file has one display path.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                let last_is_normal =
                    matches!(out.components().next_back(), Some(Component::Normal(_)));
                if last_is_normal {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_taken_out_of_parser_messages() {
        assert_eq!(
            without_position("expected `,` or `}` at line 3 column 5"),
            "expected `,` or `}`"
        );
        assert_eq!(
            without_position(
                "did not find expected key at line 3 column 5, while parsing a block mapping at line 1 column 1"
            ),
            "did not find expected key, while parsing a block mapping"
        );
    }

    #[test]
    fn text_is_kept_when_it_does_not_parse() {
        let mut diags = Diagnostics::default();
        let sources = load_str("spec.yaml", "a: [", &mut diags);
        assert!(diags.has_errors());
        assert!(sources.files.is_empty());
        assert_eq!(
            sources.texts.get("spec.yaml").map(String::as_str),
            Some("a: [")
        );
    }
}
