//! `$id`, `$anchor` and `$dynamicAnchor` (JSON Schema 2020-12 §8.2): the places they name
//! inside one file, and what each `$ref` of the file resolves to.
//!
//! A reference is resolved against the base URI in force where it is written: the file's own
//! URI, or the nearest enclosing `$id` (RFC 3986 §5, with the `url` crate). Only places inside
//! the same file are resolved here; anything else is another document, left to the loader.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use url::Url;

use crate::diag::Cursor;

/// What a `$ref` (or `$dynamicRef`) resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A place in the same file, as a JSON pointer.
    Here(String),
    /// The same file, but no schema declares the anchor.
    MissingAnchor(String),
    /// Another document (or a pointer into one): left as written.
    Elsewhere,
}

/// One reference of a file.
#[derive(Debug, Clone)]
pub struct Site {
    /// The object that holds the reference.
    pub pointer: String,
    /// `$ref` or `$dynamicRef`.
    pub keyword: &'static str,
    pub reference: String,
    pub target: Target,
    /// Whether it reached its target through an `$id` or an anchor rather than a plain pointer.
    pub by_name: bool,
}

/// The base URI of a file: a `file:` URI of its display path, so that relative `$id`s and
/// `$ref`s resolve the way relative file references do.
fn file_uri(file: &str) -> Option<Url> {
    Url::parse("file:///").ok()?.join(file).ok()
}

fn without_fragment(url: &Url) -> String {
    let mut url = url.clone();
    url.set_fragment(None);
    url.to_string()
}

#[derive(Default)]
struct Index {
    /// Each schema resource (its `$id`, resolved, without fragment) to its pointer.
    resources: BTreeMap<String, String>,
    /// (resource, anchor) to the pointer of the schema that declares it.
    anchors: BTreeMap<(String, String), String>,
    dynamic_anchors: BTreeMap<(String, String), String>,
}

/// The pointers of the `$ref`s of `value` (the file `file`) that look like references to
/// other files but name places in this one: an `$id` of JSON Schema 2020-12, or the bare
/// name of a Swagger 2.0 definition (`$ref: Pet`, which early 2.0 tools allowed).
pub fn inside(file: &str, value: &Value) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    if let Some(Value::Object(definitions)) = value.get("definitions") {
        if value.get("swagger").is_some() {
            let mut refs = Vec::new();
            collect_refs(value, &mut Cursor::default(), &mut refs);
            for (pointer, reference) in refs {
                if definitions.contains_key(&reference) {
                    found.insert(pointer);
                }
            }
        }
    }
    if has_id(value) {
        for site in sites(file, value) {
            if site.target != Target::Elsewhere {
                found.insert(format!("{}/{}", site.pointer, site.keyword));
            }
        }
    }
    found
}

/// Whether a root document is one whose `$ref`s are URIs that may name schemas rather than
/// files (OpenAPI 3.1, JSON Schema 2020-12): a reference to an absolute URI that no `$id`
/// declares is then warned about when normalising, not refused when loading.
pub fn uris_name_schemas(root: &Value) -> bool {
    match root.get("openapi") {
        Some(Value::String(v)) => v == "3.1" || v.starts_with("3.1."),
        Some(Value::Number(n)) => n.as_f64() == Some(3.1),
        _ => false,
    }
}

/// Whether any object of `value` has an `$id`.
fn has_id(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.contains_key("$id") || map.values().any(has_id),
        Value::Array(items) => items.iter().any(has_id),
        _ => false,
    }
}

/// Every `$ref` string of `value`, with its pointer (`.../$ref`).
fn collect_refs(value: &Value, at: &mut Cursor, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let mark = at.push(key);
                match (key.as_str(), child) {
                    ("$ref", Value::String(reference)) => {
                        out.push((at.as_str().to_owned(), reference.clone()))
                    }
                    _ => collect_refs(child, at, out),
                }
                at.pop(mark);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let mark = at.push_index(i);
                collect_refs(child, at, out);
                at.pop(mark);
            }
        }
        _ => {}
    }
}

/// Every reference in `value` (the file `file`), resolved.
pub fn sites(file: &str, value: &Value) -> Vec<Site> {
    let Some(base) = file_uri(file) else {
        return Vec::new();
    };
    let mut index = Index::default();
    index
        .resources
        .insert(without_fragment(&base), String::new());
    collect(value, &base, &mut Cursor::default(), &mut index);
    let mut out = Vec::new();
    resolve_all(value, &base, &mut Cursor::default(), &index, &mut out);
    out
}

/// The base URI inside `map`: its `$id` resolved against `base`.
fn rebased(map: &serde_json::Map<String, Value>, base: &Url) -> Url {
    match map.get("$id").and_then(Value::as_str) {
        Some(id) => base.join(id).unwrap_or_else(|_| base.clone()),
        None => base.clone(),
    }
}

fn collect(value: &Value, base: &Url, at: &mut Cursor, index: &mut Index) {
    match value {
        Value::Object(map) => {
            let base = rebased(map, base);
            let resource = without_fragment(&base);
            if map.get("$id").is_some_and(Value::is_string) {
                index
                    .resources
                    .entry(resource.clone())
                    .or_insert_with(|| at.as_str().to_owned());
            }
            if let Some(anchor) = map.get("$anchor").and_then(Value::as_str) {
                index
                    .anchors
                    .entry((resource.clone(), anchor.to_owned()))
                    .or_insert_with(|| at.as_str().to_owned());
            }
            if let Some(anchor) = map.get("$dynamicAnchor").and_then(Value::as_str) {
                index
                    .dynamic_anchors
                    .entry((resource.clone(), anchor.to_owned()))
                    .or_insert_with(|| at.as_str().to_owned());
            }
            for (key, child) in map {
                if matches!(child, Value::Object(_) | Value::Array(_)) {
                    let mark = at.push(key);
                    collect(child, &base, at, index);
                    at.pop(mark);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let mark = at.push_index(i);
                collect(child, base, at, index);
                at.pop(mark);
            }
        }
        _ => {}
    }
}

fn resolve_all(value: &Value, base: &Url, at: &mut Cursor, index: &Index, out: &mut Vec<Site>) {
    match value {
        Value::Object(map) => {
            let base = rebased(map, base);
            for keyword in ["$ref", "$dynamicRef"] {
                if let Some(reference) = map.get(keyword).and_then(Value::as_str) {
                    let (target, by_name) = resolve(reference, &base, keyword, index);
                    out.push(Site {
                        pointer: at.as_str().to_owned(),
                        keyword,
                        reference: reference.to_owned(),
                        target,
                        by_name,
                    });
                }
            }
            for (key, child) in map {
                if matches!(child, Value::Object(_) | Value::Array(_)) {
                    let mark = at.push(key);
                    resolve_all(child, &base, at, index, out);
                    at.pop(mark);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let mark = at.push_index(i);
                resolve_all(child, base, at, index, out);
                at.pop(mark);
            }
        }
        _ => {}
    }
}

fn resolve(reference: &str, base: &Url, keyword: &str, index: &Index) -> (Target, bool) {
    let Ok(url) = base.join(reference) else {
        return (Target::Elsewhere, false);
    };
    let resource = without_fragment(&url);
    let Some(resource_pointer) = index.resources.get(&resource) else {
        return (Target::Elsewhere, false);
    };
    // A reference that names the file itself by path is a plain one; one that names an `$id`
    // inside the file goes by name.
    let by_id = !resource_pointer.is_empty();
    let fragment = url.fragment().unwrap_or_default();
    let fragment = percent_encoding::percent_decode_str(fragment)
        .decode_utf8_lossy()
        .into_owned();
    if fragment.is_empty() || fragment.starts_with('/') {
        return (Target::Here(format!("{resource_pointer}{fragment}")), by_id);
    }
    let key = (resource, fragment.clone());
    let found = if keyword == "$dynamicRef" {
        index
            .dynamic_anchors
            .get(&key)
            .or_else(|| index.anchors.get(&key))
    } else {
        index.anchors.get(&key)
    };
    match found {
        Some(pointer) => (Target::Here(pointer.clone()), true),
        None => (Target::MissingAnchor(fragment), true),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn targets(file: &str, doc: serde_json::Value) -> Vec<(String, Target)> {
        sites(file, &doc)
            .into_iter()
            .map(|s| (s.reference, s.target))
            .collect()
    }

    #[test]
    fn ids_and_anchors_resolve_to_pointers_in_the_file() {
        let doc = serde_json::json!({
            "components": {"schemas": {
                "Pet": {"$id": "https://example.com/pet", "properties": {
                    "owner": {"$anchor": "owner", "type": "string"}
                }},
                "A": {"$ref": "https://example.com/pet"},
                "B": {"$ref": "https://example.com/pet#owner"},
                "C": {"$ref": "#nowhere"},
                "D": {"$ref": "other.yaml#/X"},
                "E": {"$ref": "#/components/schemas/Pet"},
                "F": {"$ref": "https://example.com/pet#/properties/owner"},
            }}
        });
        let found = targets("dir/spec.yaml", doc);
        assert_eq!(
            found,
            vec![
                (
                    "https://example.com/pet".to_owned(),
                    Target::Here("/components/schemas/Pet".to_owned())
                ),
                (
                    "https://example.com/pet#owner".to_owned(),
                    Target::Here("/components/schemas/Pet/properties/owner".to_owned())
                ),
                (
                    "#nowhere".to_owned(),
                    Target::MissingAnchor("nowhere".to_owned())
                ),
                ("other.yaml#/X".to_owned(), Target::Elsewhere),
                (
                    "#/components/schemas/Pet".to_owned(),
                    Target::Here("/components/schemas/Pet".to_owned())
                ),
                (
                    "https://example.com/pet#/properties/owner".to_owned(),
                    Target::Here("/components/schemas/Pet/properties/owner".to_owned())
                ),
            ]
        );
    }

    #[test]
    fn relative_ids_resolve_against_the_enclosing_id() {
        let doc = serde_json::json!({
            "$defs": {
                "root": {"$id": "https://example.com/a/", "$defs": {
                    "leaf": {"$id": "leaf.json", "type": "string"}
                }},
                "user": {"$ref": "https://example.com/a/leaf.json"},
            }
        });
        let found = targets("spec.yaml", doc);
        assert_eq!(
            found[0].1,
            Target::Here("/$defs/root/$defs/leaf".to_owned())
        );
    }
}
