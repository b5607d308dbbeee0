//! Compares the spec's operation (old) with the page's (new) into a flat list of changes.
//!
//! Items are matched by identity, never by position on the page, so reordered fields or
//! parameters are no drift: parameters by location and name (path parameters by their place in
//! the path, so a rename is one change), responses by status, fields by their path.
//! Examples compare as values: `200` on the page equals `example: 200` or `'200'` in the spec,
//! and example bodies compare as JSON with object keys in any order.

use crate::model::{Field, Loc, Operation, Param, Response, Type, normalize_text};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// On the page, not in the spec.
    Added,
    /// In the spec, not on the page.
    Removed,
    /// In both, with different values.
    Changed,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    pub kind: Kind,
    /// What: `header parameter Version`, `response 200 field results.accounts[].id`.
    pub subject: String,
    /// Which property of it changed: `type`, `required`, an example body's JSON pointer.
    pub attribute: Option<String>,
    /// The spec's value; none for an addition.
    pub old: Option<String>,
    /// The page's value; none for a removal.
    pub new: Option<String>,
    pub page_line: Option<usize>,
    pub spec_at: Option<String>,
}

/// Everything in which `page` differs from `spec`.
pub fn compare(spec: &Operation, page: &Operation) -> Vec<Change> {
    let mut out = Changes::default();
    let (old, new) = (&spec.at, &page.at);
    if spec.method != page.method {
        out.changed("operation", "method", &spec.method, &page.method, old, new);
    }
    if shape(&spec.path) != shape(&page.path) {
        out.changed("operation", "path", &spec.path, &page.path, old, new);
    }
    let same_server = spec.base_urls.is_empty()
        || page.base_urls.is_empty()
        || page
            .base_urls
            .iter()
            .any(|url| spec.base_urls.contains(url));
    if !same_server {
        let (spec_urls, page_urls) = (spec.base_urls.join(", "), page.base_urls.join(", "));
        out.changed("operation", "base URL", &spec_urls, &page_urls, old, new);
    }
    out.text(
        "operation",
        "summary",
        &spec.summary,
        &page.summary,
        old,
        new,
    );
    let (spec_description, page_description) = (&spec.description, &page.description);
    out.text(
        "operation",
        "description",
        spec_description,
        page_description,
        old,
        new,
    );
    params(&mut out, spec, page);
    auth(&mut out, spec, page);
    responses(&mut out, spec, page);
    out.0
}

/// What a page for an operation the spec lacks documents: everything in it, as additions.
pub fn describe(page: &Operation) -> Vec<Change> {
    let bare = Operation {
        method: page.method.clone(),
        path: page.path.clone(),
        base_urls: page.base_urls.clone(),
        summary: page.summary.clone(),
        description: page.description.clone(),
        ..Operation::default()
    };
    compare(&bare, page)
}

#[derive(Default)]
struct Changes(Vec<Change>);

impl Changes {
    fn push(&mut self, kind: Kind, subject: &str, attribute: Option<&str>, values: Values) {
        self.0.push(Change {
            kind,
            subject: subject.to_owned(),
            attribute: attribute.map(str::to_owned),
            old: values.old,
            new: values.new,
            page_line: values.page.line(),
            spec_at: values.spec.spec().map(str::to_owned),
        });
    }

    fn added(&mut self, subject: &str, new: String, page: &Loc) {
        let values = Values::new(None, Some(new), &Loc::Nowhere, page);
        self.push(Kind::Added, subject, None, values);
    }

    fn removed(&mut self, subject: &str, old: String, spec: &Loc) {
        let values = Values::new(Some(old), None, spec, &Loc::Nowhere);
        self.push(Kind::Removed, subject, None, values);
    }

    fn changed(
        &mut self,
        subject: &str,
        attribute: &str,
        old: &str,
        new: &str,
        spec: &Loc,
        page: &Loc,
    ) {
        let values = Values::new(Some(old.to_owned()), Some(new.to_owned()), spec, page);
        self.push(Kind::Changed, subject, Some(attribute), values);
    }

    /// Compares optional prose, ignoring how it is wrapped.
    fn text(
        &mut self,
        subject: &str,
        attribute: &str,
        old: &Option<String>,
        new: &Option<String>,
        spec: &Loc,
        page: &Loc,
    ) {
        let normalized = |text: &Option<String>| text.as_deref().map(normalize_text);
        if normalized(old) != normalized(new) {
            let (old, new) = (quoted(old), quoted(new));
            self.changed(subject, attribute, &old, &new, spec, page);
        }
    }

    fn example(
        &mut self,
        subject: &str,
        old: &Option<Value>,
        new: &Option<Value>,
        spec: &Loc,
        page: &Loc,
    ) {
        let same = match (old, new) {
            (Some(old), Some(new)) => same_example(old, new),
            (None, None) => true,
            _ => false,
        };
        if !same {
            let (old, new) = (render_example(old), render_example(new));
            self.changed(subject, "example", &old, &new, spec, page);
        }
    }

    fn allowed(&mut self, subject: &str, old: &[String], new: &[String], spec: &Loc, page: &Loc) {
        if old != new {
            let (old, new) = (list(old), list(new));
            self.changed(subject, "allowed values", &old, &new, spec, page);
        }
    }

    fn required(&mut self, subject: &str, old: bool, new: bool, spec: &Loc, page: &Loc) {
        if old != new {
            let (old, new) = (required(old), required(new));
            self.changed(subject, "required", old, new, spec, page);
        }
    }

    fn ty(
        &mut self,
        subject: &str,
        old: Option<&Type>,
        new: Option<&Type>,
        spec: &Loc,
        page: &Loc,
    ) {
        if old == new {
            return;
        }
        // Only the `[]` differ: an item became a list, or the reverse.
        let attribute = match (old, new) {
            (Some(old), Some(new)) if old.base == new.base && old.format == new.format => "array",
            _ => "type",
        };
        let render = |ty: Option<&Type>| ty.map_or_else(|| "(none)".to_owned(), Type::to_string);
        self.changed(subject, attribute, &render(old), &render(new), spec, page);
    }
}

struct Values<'a> {
    old: Option<String>,
    new: Option<String>,
    spec: &'a Loc,
    page: &'a Loc,
}

impl<'a> Values<'a> {
    fn new(old: Option<String>, new: Option<String>, spec: &'a Loc, page: &'a Loc) -> Self {
        Values {
            old,
            new,
            spec,
            page,
        }
    }
}

fn params(out: &mut Changes, spec: &Operation, page: &Operation) {
    let keyed = |op: &Operation| -> BTreeMap<String, Param> {
        op.params
            .iter()
            .map(|p| (param_key(p, &op.path), p.clone()))
            .collect()
    };
    let (old, new) = (keyed(spec), keyed(page));
    for (key, p) in &new {
        if !old.contains_key(key) {
            out.added(&param_subject(p), describe_param(p), &p.at);
        }
    }
    for (key, o) in &old {
        let Some(n) = new.get(key) else {
            out.removed(&param_subject(o), describe_param(o), &o.at);
            continue;
        };
        let subject = param_subject(o);
        let (s, p) = (&o.at, &n.at);
        if o.name != n.name {
            out.changed(&subject, "name", &o.name, &n.name, s, p);
        }
        out.required(&subject, o.required, n.required, s, p);
        out.ty(&subject, o.ty.as_ref(), n.ty.as_ref(), s, p);
        out.allowed(&subject, &o.allowed, &n.allowed, s, p);
        out.example(&subject, &o.example, &n.example, s, p);
        out.text(
            &subject,
            "description",
            &o.description,
            &n.description,
            s,
            p,
        );
    }
}

/// Path parameters by their place in the path, so that a renamed one is still the same one;
/// others by location and name (header names ignore case).
fn param_key(param: &Param, path: &str) -> String {
    if param.location == "path" {
        let names = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')));
        if let Some(place) = names.into_iter().position(|name| name == param.name) {
            return format!("path#{place}");
        }
    }
    if param.location == "header" {
        return format!("header:{}", param.name.to_ascii_lowercase());
    }
    format!("{}:{}", param.location, param.name)
}

fn param_subject(param: &Param) -> String {
    format!("{} parameter `{}`", param.location, param.name)
}

fn describe_param(param: &Param) -> String {
    let mut parts = vec![
        param
            .ty
            .as_ref()
            .map_or_else(|| "(no type)".to_owned(), Type::to_string),
    ];
    if param.required {
        parts.push("required".to_owned());
    }
    if !param.allowed.is_empty() {
        parts.push(format!("one of {}", list(&param.allowed)));
    }
    parts.join(", ")
}

fn auth(out: &mut Changes, spec: &Operation, page: &Operation) {
    let (old_auth, new_auth) = (&spec.auth, &page.auth);
    let lists = [
        (
            "auth method",
            &old_auth.methods,
            &new_auth.methods,
            &old_auth.at,
            &new_auth.at,
        ),
        (
            "token type",
            &old_auth.token_types,
            &new_auth.token_types,
            &old_auth.token_types_at,
            &new_auth.token_types_at,
        ),
    ];
    for (what, old, new, old_at, new_at) in lists {
        let folded = |items: &[String]| -> Vec<String> {
            items.iter().map(|item| item.to_lowercase()).collect()
        };
        let (old_folded, new_folded) = (folded(old), folded(new));
        for item in new {
            if !old_folded.contains(&item.to_lowercase()) {
                out.added(&format!("{what} `{item}`"), item.clone(), new_at);
            }
        }
        for item in old {
            if !new_folded.contains(&item.to_lowercase()) {
                out.removed(&format!("{what} `{item}`"), item.clone(), old_at);
            }
        }
    }
}

fn responses(out: &mut Changes, spec: &Operation, page: &Operation) {
    let keyed = |op: &Operation| -> BTreeMap<String, Response> {
        op.responses
            .iter()
            .map(|r| (r.status.clone(), r.clone()))
            .collect()
    };
    let (old, new) = (keyed(spec), keyed(page));
    for (status, n) in &new {
        if !old.contains_key(status) {
            let subject = format!("response {status}");
            out.added(&subject, quoted(&n.description), &n.at);
            fields(out, &subject, &[], &n.fields);
            if let Some(body) = &n.example {
                out.added(
                    &format!("{subject} example body"),
                    compact(body),
                    &n.example_at,
                );
            }
        }
    }
    for (status, o) in &old {
        let subject = format!("response {status}");
        let Some(n) = new.get(status) else {
            out.removed(&subject, quoted(&o.description), &o.at);
            fields(out, &subject, &o.fields, &[]);
            if let Some(body) = &o.example {
                out.removed(
                    &format!("{subject} example body"),
                    compact(body),
                    &o.example_at,
                );
            }
            continue;
        };
        out.text(
            &subject,
            "description",
            &o.description,
            &n.description,
            &o.at,
            &n.at,
        );
        if o.media_types != n.media_types {
            let (old_types, new_types) = (list(&o.media_types), list(&n.media_types));
            out.changed(
                &subject,
                "media types",
                &old_types,
                &new_types,
                &o.at,
                &n.at,
            );
        }
        fields(out, &subject, &o.fields, &n.fields);
        // An operation without a spec example is covered by the field examples.
        if let Some(old_body) = &o.example {
            let body = format!("{subject} example body");
            match &n.example {
                Some(new_body) => {
                    let mut diffs = Vec::new();
                    json_diff("", old_body, new_body, &mut diffs);
                    for diff in diffs {
                        let values = Values::new(diff.old, diff.new, &o.example_at, &n.example_at);
                        out.push(diff.kind, &body, Some(&diff.pointer), values);
                    }
                }
                None => out.removed(&body, compact(old_body), &o.example_at),
            }
        }
    }
}

fn fields(out: &mut Changes, response: &str, old: &[Field], new: &[Field]) {
    let keyed = |fields: &[Field]| -> BTreeMap<String, Field> {
        fields.iter().map(|f| (f.path.clone(), f.clone())).collect()
    };
    let (old, new) = (keyed(old), keyed(new));
    let subject = |path: &str| format!("{response} field `{path}`");
    for (path, n) in &new {
        if !old.contains_key(path) {
            out.added(&subject(path), describe_field(n), &n.at);
        }
    }
    for (path, o) in &old {
        let Some(n) = new.get(path) else {
            out.removed(&subject(path), describe_field(o), &o.at);
            continue;
        };
        let subject = subject(path);
        let (s, p) = (&o.at, &n.at);
        out.ty(&subject, Some(&o.ty), Some(&n.ty), s, p);
        out.required(&subject, o.required, n.required, s, p);
        out.allowed(&subject, &o.allowed, &n.allowed, s, p);
        out.example(&subject, &o.example, &n.example, s, p);
        out.text(
            &subject,
            "description",
            &o.description,
            &n.description,
            s,
            p,
        );
    }
}

fn describe_field(field: &Field) -> String {
    if field.required {
        format!("{}, required", field.ty)
    } else {
        field.ty.to_string()
    }
}

struct JsonDiff {
    kind: Kind,
    pointer: String,
    old: Option<String>,
    new: Option<String>,
}

/// The places where two JSON values differ, as JSON pointers; object keys in any order.
fn json_diff(pointer: &str, old: &Value, new: &Value, out: &mut Vec<JsonDiff>) {
    let at = |key: &str| format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
    match (old, new) {
        (Value::Object(o), Value::Object(n)) => {
            let mut keys: Vec<&String> = o.keys().chain(n.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                match (o.get(key), n.get(key)) {
                    (Some(o), Some(n)) => json_diff(&at(key), o, n, out),
                    (Some(o), None) => out.push(JsonDiff {
                        kind: Kind::Removed,
                        pointer: at(key),
                        old: Some(compact(o)),
                        new: None,
                    }),
                    (None, Some(n)) => out.push(JsonDiff {
                        kind: Kind::Added,
                        pointer: at(key),
                        old: None,
                        new: Some(compact(n)),
                    }),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(o), Value::Array(n)) => {
            for index in 0..o.len().max(n.len()) {
                let key = index.to_string();
                match (o.get(index), n.get(index)) {
                    (Some(o), Some(n)) => json_diff(&at(&key), o, n, out),
                    (Some(o), None) => out.push(JsonDiff {
                        kind: Kind::Removed,
                        pointer: at(&key),
                        old: Some(compact(o)),
                        new: None,
                    }),
                    (None, Some(n)) => out.push(JsonDiff {
                        kind: Kind::Added,
                        pointer: at(&key),
                        old: None,
                        new: Some(compact(n)),
                    }),
                    (None, None) => {}
                }
            }
        }
        _ if json_eq(old, new) => {}
        _ => out.push(JsonDiff {
            kind: Kind::Changed,
            pointer: if pointer.is_empty() {
                "/".to_owned()
            } else {
                pointer.to_owned()
            },
            old: Some(compact(old)),
            new: Some(compact(new)),
        }),
    }
}

/// JSON equality with numbers compared by value (`200` equals `200.0`).
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(k, v)| b.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// A page prints examples without JSON quoting, so `200` and `"200"` are the same example.
fn same_example(a: &Value, b: &Value) -> bool {
    let text = |v: &Value| v.as_str().map_or_else(|| compact(v), str::to_owned);
    json_eq(a, b) || text(a) == text(b)
}

fn shape(path: &str) -> String {
    path.split('/')
        .map(|s| if s.starts_with('{') { "{}" } else { s })
        .collect::<Vec<_>>()
        .join("/")
}

fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn render_example(value: &Option<Value>) -> String {
    value.as_ref().map_or_else(|| "(none)".to_owned(), compact)
}

fn quoted(text: &Option<String>) -> String {
    match text {
        Some(text) => compact(&Value::String(normalize_text(text))),
        None => "(none)".to_owned(),
    }
}

fn list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

fn required(required: bool) -> &'static str {
    if required { "required" } else { "optional" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn examples_compare_as_values() {
        assert!(same_example(&json!(200), &json!(200.0)));
        assert!(same_example(&json!("200"), &json!(200)));
        assert!(!same_example(&json!(200), &json!(201)));
        assert!(json_eq(
            &json!({"a": 1, "b": [true]}),
            &json!({"b": [true], "a": 1})
        ));
    }

    #[test]
    fn json_diff_names_each_place() {
        let mut diffs = Vec::new();
        json_diff(
            "",
            &json!({"a": {"b": 1}, "gone": 0, "list": [1]}),
            &json!({"a": {"b": 2}, "new/key": 0, "list": [1, 2]}),
            &mut diffs,
        );
        let seen: Vec<(Kind, &str)> = diffs.iter().map(|d| (d.kind, d.pointer.as_str())).collect();
        assert_eq!(
            seen,
            vec![
                (Kind::Changed, "/a/b"),
                (Kind::Removed, "/gone"),
                (Kind::Added, "/list/1"),
                (Kind::Added, "/new~1key"),
            ]
        );
    }
}
