//! Compares the spec's operation (old) with the page's (new) into a flat list of changes, the
//! way a person reading both would: only what the page can show is compared.
//!
//! Items are matched by identity, never by position on the page, so reordered fields or
//! parameters are no drift: parameters by location and name (path parameters by their place in
//! the path, so a rename is one change), responses by status, fields by their path.
//! - Text (summaries, descriptions) compares as the words a reader sees: Markdown rendered,
//!   white space collapsed, marks that are only punctuation (an icon like `!`) left out.
//! - Types compare as the site prints them: the format stands for the type (`date-time`), so
//!   `string<date-time>` on the page and `type: string, format: date-time` are the same.
//! - Examples compare as values: `200` on the page equals `example: 200` or `'200'` in the
//!   spec; example bodies compare as JSON with object keys in any order. The site's
//!   "Example (auto)" is made from the schema, so it is compared only with an example the spec
//!   itself gives.
//! - A `pattern` the page does not show is no drift (not every version of the site's renderer
//!   prints patterns); one it shows must match.
//! - Where the page cannot say which object a field belongs to (see `nest`), the spec's
//!   schema places it.
//! - Security compares scopes, auth methods and token types; a page that shows none where the
//!   spec has some (or the reverse) is one change, `security`.

use crate::markdown::{comparable, plain_text};
use crate::model::{
    Auth, Body, Field, Loc, Operation, Param, Response, Type, Values, normalize_text,
};
use crate::nest;
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
    if crate::spec::shape(&spec.path) != crate::spec::shape(&page.path) {
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
    let (summary_at, description_at) = (page.summary_at.or(new), page.description_at.or(new));
    out.text(
        "operation",
        "summary",
        &spec.summary,
        &page.summary,
        old,
        summary_at,
    );
    out.text(
        "operation",
        "description",
        &spec.description,
        &page.description,
        old,
        description_at,
    );
    out.flag(
        "operation",
        "deprecated",
        spec.deprecated,
        page.deprecated,
        old,
        new,
    );
    auth(&mut out, &spec.auth, &page.auth);
    params(&mut out, spec, page);
    match (&spec.body, &page.body) {
        (Some(old), Some(new)) => body(&mut out, "request body", old, new),
        (Some(old), None) => out.removed("request body", describe_body(old), &old.at),
        (None, Some(new)) => out.added("request body", describe_body(new), &new.at),
        (None, None) => {}
    }
    responses(&mut out, spec, page);
    out.0
}

#[derive(Default)]
struct Changes(Vec<Change>);

impl Changes {
    fn push(&mut self, kind: Kind, subject: &str, attribute: Option<&str>, values: ChangeValues) {
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
        let values = ChangeValues::new(None, Some(new), &Loc::Nowhere, page);
        self.push(Kind::Added, subject, None, values);
    }

    fn removed(&mut self, subject: &str, old: String, spec: &Loc) {
        let values = ChangeValues::new(Some(old), None, spec, &Loc::Nowhere);
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
        let values = ChangeValues::new(Some(old.to_owned()), Some(new.to_owned()), spec, page);
        self.push(Kind::Changed, subject, Some(attribute), values);
    }

    /// Compares Markdown as the words a reader sees.
    fn text(
        &mut self,
        subject: &str,
        attribute: &str,
        old: &Option<String>,
        new: &Option<String>,
        spec: &Loc,
        page: &Loc,
    ) {
        let words = |text: &Option<String>| {
            text.as_deref()
                .map(comparable)
                .filter(|words| !words.is_empty())
        };
        if words(old) != words(new) {
            let shown = |text: &Option<String>| text.as_deref().map(plain_text);
            let (old, new) = (quoted(&shown(old)), quoted(&shown(new)));
            self.changed(subject, attribute, &old, &new, spec, page);
        }
    }

    fn flag(&mut self, subject: &str, name: &str, old: bool, new: bool, spec: &Loc, page: &Loc) {
        if old != new {
            let show = |on: bool| {
                if on {
                    name.to_owned()
                } else {
                    format!("not {name}")
                }
            };
            self.changed(subject, name, &show(old), &show(new), spec, page);
        }
    }

    fn example(
        &mut self,
        subject: &str,
        attribute: &str,
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
            self.changed(subject, attribute, &old, &new, spec, page);
        }
    }

    fn values(&mut self, subject: &str, old: &Values, new: &Values, spec: &Loc, page: &Loc) {
        let sorted = |items: &[String]| {
            let mut items = items.to_vec();
            items.sort();
            items.dedup();
            items
        };
        if sorted(&old.allowed) != sorted(&new.allowed) {
            let (old, new) = (list(&old.allowed), list(&new.allowed));
            self.changed(subject, "allowed values", &old, &new, spec, page);
        }
        // A pattern the page does not show is no drift.
        let shown = |constraints: &[String], page: &[String]| -> Vec<String> {
            constraints
                .iter()
                .filter(|c| {
                    !c.starts_with("Value must match")
                        || page.iter().any(|p| p.starts_with("Value must match"))
                })
                .cloned()
                .collect()
        };
        let old_constraints = shown(&old.constraints, &new.constraints);
        if sorted(&old_constraints) != sorted(&new.constraints) {
            let (old, new) = (list(&old_constraints), list(&new.constraints));
            self.changed(subject, "constraints", &old, &new, spec, page);
        }
        self.example(subject, "default", &old.default, &new.default, spec, page);
    }

    fn required(&mut self, subject: &str, old: bool, new: bool, spec: &Loc, page: &Loc) {
        if old != new {
            let (old, new) = (required(old), required(new));
            self.changed(subject, "required", old, new, spec, page);
        }
    }

    fn ty(&mut self, subject: &str, old: &Type, new: &Type, spec: &Loc, page: &Loc) {
        if same_type(old, new) {
            return;
        }
        // Only the `[]` differ: an item became a list, or the reverse.
        let attribute = if old.array != new.array
            && same_type(
                &Type {
                    array: 0,
                    ..old.clone()
                },
                &Type {
                    array: 0,
                    ..new.clone()
                },
            ) {
            "array"
        } else {
            "type"
        };
        self.changed(
            subject,
            attribute,
            &old.to_string(),
            &new.to_string(),
            spec,
            page,
        );
    }
}

/// Types as the site prints them: the format when there is one, else the type.
pub fn same_type(spec: &Type, page: &Type) -> bool {
    if spec.array != page.array {
        return false;
    }
    match (&spec.format, &page.format) {
        (Some(a), Some(b)) => {
            a == b && (spec.base.is_none() || page.base.is_none() || spec.base == page.base)
        }
        (None, None) => spec.base == page.base,
        _ => false,
    }
}

struct ChangeValues<'a> {
    old: Option<String>,
    new: Option<String>,
    spec: &'a Loc,
    page: &'a Loc,
}

impl<'a> ChangeValues<'a> {
    fn new(old: Option<String>, new: Option<String>, spec: &'a Loc, page: &'a Loc) -> Self {
        ChangeValues {
            old,
            new,
            spec,
            page,
        }
    }
}

fn auth(out: &mut Changes, old: &Auth, new: &Auth) {
    match (old.is_empty(), new.is_empty()) {
        (true, true) => return,
        (false, true) => return out.removed("security", describe_auth(old), &old.at),
        (true, false) => {
            let values = ChangeValues::new(None, Some(describe_auth(new)), &old.at, &new.at);
            return out.push(Kind::Added, "security", None, values);
        }
        (false, false) => {}
    }
    let lists = [
        ("scope", &old.scopes, &new.scopes),
        ("auth method", &old.methods, &new.methods),
        ("token type", &old.token_types, &new.token_types),
    ];
    for (what, old_items, new_items) in lists {
        let folded = |items: &[String]| -> Vec<String> {
            items.iter().map(|item| item.to_lowercase()).collect()
        };
        let (old_folded, new_folded) = (folded(old_items), folded(new_items));
        for item in new_items {
            if !old_folded.contains(&item.to_lowercase()) {
                out.added(&format!("{what} `{item}`"), item.clone(), &new.at);
            }
        }
        for item in old_items {
            if !new_folded.contains(&item.to_lowercase()) {
                out.removed(&format!("{what} `{item}`"), item.clone(), &old.at);
            }
        }
    }
}

fn describe_auth(auth: &Auth) -> String {
    let mut parts = Vec::new();
    for (what, items) in [
        ("scopes", &auth.scopes),
        ("auth methods", &auth.methods),
        ("token types", &auth.token_types),
    ] {
        if !items.is_empty() {
            parts.push(format!("{what} {}", items.join(", ")));
        }
    }
    parts.join("; ")
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
        out.flag(&subject, "deprecated", o.deprecated, n.deprecated, s, p);
        out.ty(&subject, &o.ty, &n.ty, s, p);
        out.values(&subject, &o.values, &n.values, s, p);
        out.example(&subject, "example", &o.example, &n.example, s, p);
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
    let mut parts = vec![param.ty.to_string()];
    if param.required {
        parts.push("required".to_owned());
    }
    if !param.values.allowed.is_empty() {
        parts.push(format!("one of {}", list(&param.values.allowed)));
    }
    parts.join(", ")
}

fn describe_body(body: &Body) -> String {
    let mut parts = vec![list(&body.media_types)];
    if body.required {
        parts.push("required".to_owned());
    }
    parts.push(format!("{} field(s)", body.fields.len()));
    parts.join(", ")
}

/// A request body or response content.
fn body(out: &mut Changes, subject: &str, old: &Body, new: &Body) {
    if subject == "request body" {
        out.required(subject, old.required, new.required, &old.at, &new.at);
        out.text(
            subject,
            "description",
            &old.description,
            &new.description,
            &old.at,
            &new.at,
        );
    }
    let sorted = |items: &[String]| {
        let mut items = items.to_vec();
        items.sort();
        items
    };
    if sorted(&old.media_types) != sorted(&new.media_types) {
        let (old_types, new_types) = (list(&old.media_types), list(&new.media_types));
        out.changed(
            subject,
            "media types",
            &old_types,
            &new_types,
            &old.at,
            &new.at,
        );
    }
    if !same_type(&old.ty, &new.ty) && !new.ty.is_empty() && !new.fields.is_empty() {
        out.ty(subject, &old.ty, &new.ty, &old.at, &new.at);
    }
    let placed = place_by_spec(old, new);
    fields(out, subject, &old.fields, &placed.fields);
    for variants in &placed.variants {
        let found = old.variants.iter().find(|v| v.path == variants.path);
        let what = if variants.path.is_empty() {
            format!("{subject} {}", variants.kind)
        } else {
            format!("{subject} field `{}` {}", variants.path, variants.kind)
        };
        match found {
            Some(spec) if spec.labels != variants.labels => out.changed(
                &what,
                "alternatives",
                &list(&spec.labels),
                &list(&variants.labels),
                &spec.at,
                &variants.at,
            ),
            Some(_) => {}
            None => out.added(&what, list(&variants.labels), &variants.at),
        }
    }
    for variants in &old.variants {
        if !placed.variants.iter().any(|v| v.path == variants.path) {
            let what = format!("{subject} field `{}` {}", variants.path, variants.kind);
            out.removed(&what, list(&variants.labels), &variants.at);
        }
    }
    // The page's "Example (auto)" is made from its schema: compared only with the spec's own.
    if let Some(old_body) = &old.example {
        let shown = new.example.as_ref().or(new.auto_example.as_ref());
        let what = format!("{subject} example body");
        match shown {
            Some(new_body) => {
                let mut diffs = Vec::new();
                json_diff("", old_body, new_body, &mut diffs);
                for diff in diffs {
                    let values =
                        ChangeValues::new(diff.old, diff.new, &old.example_at, &new.example_at);
                    out.push(diff.kind, &what, Some(&diff.pointer), values);
                }
            }
            None => out.removed(&what, compact(old_body), &old.example_at),
        }
    } else if let Some(new_body) = &new.example {
        out.added(
            &format!("{subject} example body"),
            compact(new_body),
            &new.example_at,
        );
    }
}

/// The page's fields, placed again with the spec's schema where the page had to guess.
fn place_by_spec(spec: &Body, page: &Body) -> Body {
    let mut placed = page.clone();
    if page.guessed == 0 || spec.tree.is_none() {
        return placed;
    }
    let guessed = nest::nest(&placed.layout, &mut placed.fields, spec.tree.as_ref());
    if guessed >= page.guessed {
        return page.clone();
    }
    placed.guessed = guessed;
    placed
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
            out.added(&subject, describe_response(n), &n.at);
        }
    }
    for (status, o) in &old {
        let subject = format!("response {status}");
        let Some(n) = new.get(status) else {
            out.removed(&subject, describe_response(o), &o.at);
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
        match (&o.content, &n.content) {
            (Some(old_body), Some(new_body)) => body(out, &subject, old_body, new_body),
            (Some(old_body), None) => out.removed(
                &format!("{subject} content"),
                describe_body(old_body),
                &old_body.at,
            ),
            (None, Some(new_body)) => out.added(
                &format!("{subject} content"),
                describe_body(new_body),
                &new_body.at,
            ),
            (None, None) => {}
        }
    }
}

fn describe_response(response: &Response) -> String {
    let description = quoted(&response.description.as_deref().map(plain_text));
    match &response.content {
        Some(content) => format!("{description}, {}", describe_body(content)),
        None => description,
    }
}

fn fields(out: &mut Changes, owner: &str, old: &[Field], new: &[Field]) {
    let keyed = |fields: &[Field]| -> BTreeMap<String, Field> {
        let mut map = BTreeMap::new();
        for field in fields {
            map.entry(field.path.clone())
                .or_insert_with(|| field.clone());
        }
        map
    };
    let (old, new) = (keyed(old), keyed(new));
    let subject = |path: &str| format!("{owner} field `{path}`");
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
        out.ty(&subject, &o.ty, &n.ty, s, p);
        out.required(&subject, o.required, n.required, s, p);
        out.flag(&subject, "nullable", o.nullable, n.nullable, s, p);
        out.flag(&subject, "deprecated", o.deprecated, n.deprecated, s, p);
        out.values(&subject, &o.values, &n.values, s, p);
        out.example(&subject, "example", &o.example, &n.example, s, p);
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
