//! `cargo xtask docs-import PAGE...`: adds each page's operation to a spec by editing the
//! spec's text (YAML or JSON), so everything already there, comments and formatting included,
//! stays as it was. An operation the spec already has is an error that points at it.
//!
//! Stages: read the pages (`page`), draft each operation and its component schemas
//! (`draft`), insert them as text (`yaml` or `json`), then read the result back and check it
//! holds exactly the drafted operations.

mod draft;
mod json;
mod yaml;

use crate::page::{self, Page};
use crate::spec::{escape, shape};
use serde_json::Value;
use std::fmt;

pub use draft::operation_id;

/// The spec after the import.
#[derive(Debug)]
pub struct Imported {
    pub text: String,
    /// One line per operation: `GET /a/{id} (get-a): schemas GetAResponse`.
    pub added: Vec<String>,
}

/// Why a page was not imported: one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub page: String,
    pub message: String,
    /// The operation exists already (exit 1), rather than an unreadable page (exit 2).
    pub conflict: bool,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.page, self.message)
    }
}

/// Imports `pages` (name, text) into the spec text `spec` (JSON when `json`), shown in
/// messages as `spec_name`. Nothing is imported unless every page can be.
pub fn import(
    spec: &str,
    spec_name: &str,
    json: bool,
    pages: &[(String, String)],
) -> Result<Imported, Vec<ImportError>> {
    let mut text = spec.to_owned();
    let mut errors = Vec::new();
    let mut added = Vec::new();
    let mut drafted: Vec<(String, String, Value)> = Vec::new();
    for (name, page_text) in pages {
        let fail = |message: String, conflict: bool| ImportError {
            page: name.clone(),
            message,
            conflict,
        };
        let page = match page::parse(page_text) {
            Ok(page) => page,
            Err(refusal) => {
                errors.push(fail(
                    format!(
                        "refused ({}): line {}: {}",
                        refusal.kind.describe(),
                        refusal.line,
                        refusal.message
                    ),
                    false,
                ));
                continue;
            }
        };
        let value = match parse(&text, json) {
            Ok(value) => value,
            Err(message) => {
                errors.push(fail(format!("cannot read {spec_name}: {message}"), false));
                break;
            }
        };
        if let Some(message) = existing(&value, &text, json, spec_name, &page) {
            errors.push(fail(message, true));
            continue;
        }
        let context = draft::Context {
            server_prefix: server_prefix(&value),
            spec: &value,
        };
        let draft = draft::draft(&page, &context);
        match apply(&text, json, &value, &draft) {
            Ok(next) => {
                text = next;
                let schemas: Vec<&str> = draft.schemas.iter().map(|(n, _)| n.as_str()).collect();
                let id = draft
                    .operation
                    .get("operationId")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                added.push(format!(
                    "{} {} ({id}){}",
                    draft.method.to_ascii_uppercase(),
                    draft.path,
                    if schemas.is_empty() {
                        String::new()
                    } else {
                        format!(": schemas {}", schemas.join(", "))
                    }
                ));
                let pointer = format!("/paths/{}/{}", escape(&draft.path), draft.method);
                drafted.push((name.clone(), pointer, draft.operation));
            }
            Err(message) => errors.push(fail(message, false)),
        }
    }
    if errors.is_empty() {
        // The text holds what was drafted, read back as the spec's own format reads it.
        match parse(&text, json) {
            Ok(value) => {
                for (name, pointer, operation) in &drafted {
                    if value.pointer(pointer) != Some(operation) {
                        errors.push(ImportError {
                            page: name.clone(),
                            message: format!(
                                "the edited spec does not read back as drafted at {pointer}; \
                                 nothing was written"
                            ),
                            conflict: false,
                        });
                    }
                }
            }
            Err(message) => errors.push(ImportError {
                page: spec_name.to_owned(),
                message: format!("the edited spec does not parse ({message}); nothing was written"),
                conflict: false,
            }),
        }
    }
    if errors.is_empty() {
        Ok(Imported { text, added })
    } else {
        Err(errors)
    }
}

fn parse(text: &str, json: bool) -> Result<Value, String> {
    if json {
        serde_json::from_str(text).map_err(|err| err.to_string())
    } else {
        serde_yaml::from_str(text).map_err(|err| err.to_string())
    }
}

/// The path of the spec's first server (`https://h/v1` gives `/v1`).
fn server_prefix(spec: &Value) -> String {
    spec.pointer("/servers/0/url")
        .and_then(Value::as_str)
        .map(|url| page::split_url(url.trim_end_matches('/')).1)
        .map(|path| path.trim_end_matches('/').to_owned())
        .unwrap_or_default()
}

/// Where the spec already has the page's operation: same method and path (parameter names
/// aside), or the same `operationId`.
fn existing(spec: &Value, text: &str, json: bool, spec_name: &str, page: &Page) -> Option<String> {
    let operation = &page.operation;
    let prefix = server_prefix(spec);
    let wanted = shape(
        operation
            .path
            .strip_prefix(&prefix)
            .unwrap_or(&operation.path),
    );
    let id = operation_id(page);
    let paths = spec.get("paths").and_then(Value::as_object)?;
    for (key, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (verb, op) in item {
            let same_route = verb.eq_ignore_ascii_case(&operation.method) && shape(key) == wanted;
            let same_id = op.get("operationId").and_then(Value::as_str) == Some(id.as_str());
            if !(same_route || same_id) {
                continue;
            }
            let pointer = format!("/paths/{}/{verb}", escape(key));
            let line = line_of(text, json, &pointer)
                .map(|line| format!(":{line}"))
                .unwrap_or_default();
            let what = if same_route {
                format!("`{} {key}`", verb.to_ascii_uppercase())
            } else {
                format!("operationId `{id}`")
            };
            return Some(format!(
                "the spec already has {what} at {spec_name}{line} (#{pointer}); change it there \
                 (`cargo xtask docs-check` lists what differs) or remove it before importing"
            ));
        }
    }
    None
}

fn line_of(text: &str, json: bool, pointer: &str) -> Option<usize> {
    if json {
        json::line_of(text, pointer)
    } else {
        yaml::containers(text).get(pointer).map(|node| node.line)
    }
}

/// Inserts a draft into the text.
fn apply(text: &str, json: bool, spec: &Value, draft: &draft::Draft) -> Result<String, String> {
    let insert = |text: &str, pointer: &str, entries: &[(String, Value)]| {
        if json {
            json::insert_entries(text, pointer, entries)
        } else {
            yaml::insert_entries(text, pointer, entries)
        }
    };
    let append = |text: &str, pointer: &str, item: &Value| {
        if json {
            json::append_item(text, pointer, item)
        } else {
            yaml::append_item(text, pointer, item)
        }
    };
    let operation = vec![(draft.method.clone(), draft.operation.clone())];
    let mut text = if spec
        .pointer(&format!("/paths/{}", escape(&draft.path)))
        .is_some()
    {
        insert(text, &format!("/paths/{}", escape(&draft.path)), &operation)?
    } else {
        let item = Value::Object(operation.into_iter().collect());
        insert(text, "/paths", &[(draft.path.clone(), item)])?
    };
    if !draft.schemas.is_empty() {
        text = insert(&text, "/components/schemas", &draft.schemas)?;
    }
    if let Some((name, scheme)) = &draft.scheme {
        text = insert(
            &text,
            "/components/securitySchemes",
            &[(name.clone(), scheme.clone())],
        )?;
    }
    if let Some(tag) = &draft.tag {
        text = append(&text, "/tags", tag)?;
    }
    Ok(text)
}
