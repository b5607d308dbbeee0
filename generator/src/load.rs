//! Stage 1: read the root document and every file its `$ref`s reach, as JSON values.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use crate::diag::{Diagnostics, Location};

/// Every file of the document, keyed by its display path (the root as the user named it,
/// the others joined to the directory of the file that refers to them).
#[derive(Debug)]
pub struct Sources {
    pub root: String,
    pub files: BTreeMap<String, Value>,
}

pub fn load(spec: &Path, diags: &mut Diagnostics) -> Option<Sources> {
    let root = display(&normalize(spec));
    let mut files = BTreeMap::new();
    let mut queue = vec![(root.clone(), None::<Location>)];
    while let Some((file, referrer)) = queue.pop() {
        if files.contains_key(&file) {
            continue;
        }
        let value = read(&file, referrer.as_ref(), diags)?;
        let mut refs = Vec::new();
        external_refs(&value, &Location::new(file.as_str(), ""), &mut refs);
        for (target, at) in refs {
            if target.contains("://") {
                diags.error(
                    &at,
                    format!("`$ref` to a remote document `{target}` is not supported"),
                    "download the document next to the spec and refer to it by a relative path",
                );
                continue;
            }
            queue.push((join(&file, &target), Some(at)));
        }
        files.insert(file, value);
    }
    Some(Sources { root, files })
}

/// The display path of the file `target` names, relative to the file `from`.
pub fn join(from: &str, target: &str) -> String {
    let base = Path::new(from).parent().unwrap_or(Path::new(""));
    display(&normalize(&base.join(target)))
}

fn read(file: &str, referrer: Option<&Location>, diags: &mut Diagnostics) -> Option<Value> {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(err) => {
            let message = format!("cannot read `{file}`: {err}");
            match referrer {
                Some(at) => diags.error(at, message, "fix the `$ref` so it names an existing file, relative to the file that holds it"),
                None => diags.error_at_line(file, None, message, "check the path of the spec"),
            }
            return None;
        }
    };
    if text.trim().is_empty() {
        diags.error_at_line(
            file,
            None,
            "the file is empty",
            "an OpenAPI document is a YAML or JSON object",
        );
        return None;
    }
    let parsed = if file.ends_with(".json") {
        serde_json::from_str::<Value>(&text).map_err(|e| {
            let position = (e.line() > 0).then_some((e.line(), e.column()));
            (format!("invalid JSON: {e}"), position)
        })
    } else {
        serde_yaml::from_str::<Value>(&text).map_err(|e| {
            let position = e.location().map(|l| (l.line(), l.column()));
            (format!("invalid YAML: {e}"), position)
        })
    };
    match parsed {
        Ok(value @ Value::Object(_)) => Some(value),
        Ok(_) => {
            diags.error_at_line(
                file,
                Some((1, 1)),
                "the document is not an object",
                "an OpenAPI document is a YAML or JSON object with `openapi`, `info` and `paths`",
            );
            None
        }
        Err((message, position)) => {
            diags.error_at_line(
                file,
                position,
                message,
                "fix the syntax at the position shown",
            );
            None
        }
    }
}

/// Collects the file part of every `$ref` that leaves the current file.
fn external_refs(value: &Value, at: &Location, out: &mut Vec<(String, Location)>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                let file = reference.split('#').next().unwrap_or_default();
                if !file.is_empty() {
                    out.push((file.to_owned(), at.join("$ref")));
                }
            }
            for (key, child) in map {
                external_refs(child, &at.join(key), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                external_refs(child, &at.join(&i.to_string()), out);
            }
        }
        _ => {}
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
