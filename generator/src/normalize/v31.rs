//! OpenAPI 3.1 into 3.0: the document level here, the schemas in [`super::json_schema`].
//!
//! - `jsonSchemaDialect` is dropped (a dialect other than OpenAPI's or 2020-12 is warned).
//! - `info.summary` becomes the description when there is none; `license.identifier` (SPDX)
//!   becomes the license's SPDX URL.
//! - `webhooks` are left out with a warning: they are requests the API sends, not calls a
//!   client makes. The component schemas they use are still generated.
//! - path items under `components/pathItems` are written in place of the `$ref`s to them.
//! - `paths` may be absent: it is read as empty.
//! - `summary`/`description` beside a `$ref` to a parameter, response, request body or
//!   header (3.1 lets them override the target's) are dropped, with a warning when they differ.
//! - `$id`, `$anchor` and `$dynamicRef` references are rewritten as JSON pointers first.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::ids::{self, Target};
use super::json_schema::Converter;
use super::{Normalizer, Role, join, object_mut};

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
/// How deep `$ref`s from path items to `components/pathItems` may chain.
const MAX_PATH_ITEM_DEPTH: usize = 8;

pub(super) fn normalize(n: &mut Normalizer<'_, '_>, files: &mut BTreeMap<String, Value>) {
    let mut named = Vec::new();
    for (file, value) in files.iter_mut() {
        names(n, file, value, &mut named);
    }
    // References now name plain pointers; follow them in the rewritten files.
    n.originals = files.clone();
    let mut converter = Converter::default();
    for (file, pointer, name) in named {
        converter.name(n, &file, pointer, name);
    }
    let root = n.root.clone();
    if let Some(mut document) = files.get_mut(&root).map(std::mem::take) {
        let mut walk = Walk {
            n: &mut *n,
            converter: &mut converter,
            file: root.clone(),
        };
        walk.document(&mut document);
        if let Some(slot) = files.get_mut(&root) {
            *slot = document;
        }
    }
    n.drain_queue(files, |n, value, file, new, orig, role| {
        let mut walk = Walk {
            n,
            converter: &mut converter,
            file: file.to_owned(),
        };
        walk.role(value, role, new, orig);
    });
    converter.finish(files);
}

/// Rewrites the `$id`/`$anchor`/`$dynamicRef` references of one file as JSON pointers, and
/// notes the schemas they reach (file, pointer, name) so they get a name.
fn names(
    n: &mut Normalizer<'_, '_>,
    file: &str,
    value: &mut Value,
    named: &mut Vec<(String, String, String)>,
) {
    for site in ids::sites(file, value) {
        let Some(Value::Object(holder)) = value.pointer_mut(&site.pointer) else {
            continue;
        };
        let at = join(&site.pointer, site.keyword);
        match site.target {
            Target::Here(pointer) => {
                holder.shift_remove(site.keyword);
                holder.insert("$ref".to_owned(), Value::String(format!("#{pointer}")));
                if site.keyword == "$dynamicRef" {
                    n.warn(file, &at, format!("`$dynamicRef: {}` is read as a plain `$ref` to the schema that declares the anchor in this document; it is not resolved dynamically", site.reference), "use `$ref` if the dynamic scope does not matter");
                }
                if site.by_name {
                    let name = name_of(&site.reference, &pointer);
                    named.push((file.to_owned(), pointer, name));
                }
            }
            Target::MissingAnchor(anchor) => {
                holder.shift_remove(site.keyword);
                n.warn(
                    file,
                    &at,
                    format!("no schema in this document declares the anchor `{anchor}` that `{}` names; any value is accepted here", site.reference),
                    format!("add `$anchor: {anchor}` to the schema meant, or refer to it by its JSON pointer"),
                );
            }
            Target::Elsewhere if site.reference.contains("://") => {
                holder.shift_remove(site.keyword);
                n.warn(
                    file,
                    &at,
                    format!("no `$id` in the document is `{}`, and remote documents are not read; any value is accepted here", site.reference),
                    "download the schema next to the spec and refer to it by a relative path, or give the schema meant this `$id`",
                );
            }
            Target::Elsewhere => {}
        }
    }
}

/// A name for a schema reached by `$id` or anchor: the anchor, or the last segment of the
/// `$id`'s path without its extension.
fn name_of(reference: &str, pointer: &str) -> String {
    let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    if !fragment.is_empty() && !fragment.starts_with('/') {
        return fragment.to_owned();
    }
    let segment = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    let stem = segment.split('.').next().unwrap_or_default();
    if stem.is_empty() {
        pointer.rsplit('/').next().unwrap_or("Schema").to_owned()
    } else {
        stem.to_owned()
    }
}

/// A walk over one file that knows what kind of object each value is.
struct Walk<'w, 'm, 'd> {
    n: &'w mut Normalizer<'m, 'd>,
    converter: &'w mut Converter,
    file: String,
}

impl Walk<'_, '_, '_> {
    fn schema(&mut self, value: &mut Value, new: &str, orig: &str) {
        let file = self.file.clone();
        self.converter.convert(self.n, value, &file, new, orig);
    }

    /// A value a `$ref` from another file reaches, as the kind of object it is.
    fn role(&mut self, value: &mut Value, role: Role, new: &str, orig: &str) {
        match role {
            Role::Schema => self.schema(value, new, orig),
            Role::Parameter => self.parameter(value, new, orig),
            Role::Response => self.response(value, new, orig),
            Role::RequestBody => self.request_body(value, new, orig),
            Role::Header => self.header(value, new, orig),
            Role::PathItem => self.path_item(value, new, orig, 0),
        }
    }

    fn document(&mut self, value: &mut Value) {
        let file = self.file.clone();
        let Value::Object(document) = value else {
            return;
        };
        if let Some(dialect) = document.shift_remove("jsonSchemaDialect") {
            let known = dialect.as_str().is_some_and(|d| {
                d.starts_with("https://spec.openapis.org/oas/3.1/dialect/")
                    || d.trim_end_matches('#') == "https://json-schema.org/draft/2020-12/schema"
            });
            if !known {
                self.n.warn(&file, "/jsonSchemaDialect", format!("the schemas are read as OpenAPI 3.1's JSON Schema 2020-12, not the dialect {dialect}"), "remove `jsonSchemaDialect` if the schemas follow JSON Schema 2020-12");
            }
        }
        if let Some(info) = object_mut(document, "info") {
            if let Some(summary) = info.shift_remove("summary") {
                if !info.contains_key("description") {
                    info.insert("description".to_owned(), summary);
                    self.n.moved(&file, "/info/description", "/info/summary");
                }
            }
            if let Some(license) = object_mut(info, "license") {
                if let Some(Value::String(identifier)) = license.shift_remove("identifier") {
                    if !license.contains_key("url") {
                        let url = format!("https://spdx.org/licenses/{identifier}.html");
                        license.insert("url".to_owned(), Value::String(url));
                        self.n
                            .moved(&file, "/info/license/url", "/info/license/identifier");
                    }
                }
            }
        }
        if let Some(webhooks) = document.shift_remove("webhooks") {
            let names: Vec<String> = webhooks
                .as_object()
                .map(|w| w.keys().map(|k| format!("`{k}`")).collect())
                .unwrap_or_default();
            if !names.is_empty() {
                self.n.warn(
                    &file,
                    "/webhooks",
                    format!("webhooks ({}) are requests the API sends, not calls a client makes; they are left out of the crate", names.join(", ")),
                    "the schemas they use under `components/schemas` are still generated, for a server that receives them",
                );
            }
        }
        if !document.contains_key("paths") {
            document.insert("paths".to_owned(), Value::Object(Map::new()));
        }
        if let Some(Value::Object(paths)) = document.get_mut("paths") {
            for (path, item) in paths.iter_mut() {
                if path.starts_with("x-") {
                    continue;
                }
                let at = join("/paths", path);
                self.path_item(item, &at, &at, 0);
            }
        }
        let Some(components) = object_mut(document, "components") else {
            return;
        };
        // Path items of components were written where they are used.
        components.shift_remove("pathItems");
        for (kind, entries) in components.iter_mut() {
            let Value::Object(entries) = entries else {
                continue;
            };
            let kind_at = join("/components", kind);
            for (name, entry) in entries.iter_mut() {
                let at = join(&kind_at, name);
                match kind.as_str() {
                    "schemas" => self.schema(entry, &at, &at),
                    "parameters" => self.parameter(entry, &at, &at),
                    "responses" => self.response(entry, &at, &at),
                    "requestBodies" => self.request_body(entry, &at, &at),
                    "headers" => self.header(entry, &at, &at),
                    "callbacks" => self.callback(entry, &at, &at),
                    _ => {}
                }
            }
        }
    }

    fn path_item(&mut self, value: &mut Value, new: &str, orig: &str, depth: usize) {
        let file = self.file.clone();
        let Value::Object(item) = value else {
            return;
        };
        if let Some(Value::String(reference)) = item.get("$ref").cloned() {
            let local = reference.strip_prefix("#/components/pathItems/");
            match local {
                Some(_) if depth < MAX_PATH_ITEM_DEPTH => {
                    let target = reference.trim_start_matches('#');
                    let Some(target_value) = self
                        .n
                        .originals
                        .get(&file)
                        .and_then(|d| d.pointer(target))
                        .cloned()
                    else {
                        // Left for the reference check to report.
                        return;
                    };
                    // The fields beside the `$ref` (a summary, a description) override.
                    item.shift_remove("$ref");
                    let overrides = std::mem::take(item);
                    *value = target_value;
                    if let Value::Object(copy) = value {
                        for (key, field) in overrides {
                            copy.insert(key, field);
                        }
                    }
                    self.n.moved(&file, new, target);
                    self.path_item(value, new, target, depth + 1);
                    return;
                }
                Some(_) => return,
                None => self.n.follow(&file, &reference, Role::PathItem),
            }
        }
        let Value::Object(item) = value else {
            return;
        };
        self.parameters(item, new, orig);
        for method in METHODS {
            if let Some(operation) = item.get_mut(*method) {
                self.operation(operation, &join(new, method), &join(orig, method));
            }
        }
    }

    fn parameters(&mut self, owner: &mut Map<String, Value>, new: &str, orig: &str) {
        if let Some(Value::Array(parameters)) = owner.get_mut("parameters") {
            for (i, parameter) in parameters.iter_mut().enumerate() {
                let index = i.to_string();
                self.parameter(
                    parameter,
                    &join(&join(new, "parameters"), &index),
                    &join(&join(orig, "parameters"), &index),
                );
            }
        }
    }

    fn operation(&mut self, value: &mut Value, new: &str, orig: &str) {
        let Value::Object(operation) = value else {
            return;
        };
        self.parameters(operation, new, orig);
        if let Some(body) = operation.get_mut("requestBody") {
            self.request_body(body, &join(new, "requestBody"), &join(orig, "requestBody"));
        }
        if let Some(Value::Object(responses)) = operation.get_mut("responses") {
            for (status, response) in responses.iter_mut() {
                let at = |p: &str| join(&join(p, "responses"), status);
                self.response(response, &at(new), &at(orig));
            }
        }
        if let Some(Value::Object(callbacks)) = operation.get_mut("callbacks") {
            for (name, callback) in callbacks.iter_mut() {
                let at = |p: &str| join(&join(p, "callbacks"), name);
                self.callback(callback, &at(new), &at(orig));
            }
        }
    }

    fn callback(&mut self, value: &mut Value, new: &str, orig: &str) {
        if let Value::Object(expressions) = value {
            for (expression, item) in expressions.iter_mut() {
                self.path_item(item, &join(new, expression), &join(orig, expression), 0);
            }
        }
    }

    /// A Reference Object: `summary` and `description` beside the `$ref` override the target's
    /// in 3.1; 3.0 has no such override. True when `map` is one.
    fn reference(&mut self, map: &mut Map<String, Value>, orig: &str, role: Role) -> bool {
        let Some(Value::String(reference)) = map.get("$ref").cloned() else {
            return false;
        };
        let file = self.file.clone();
        self.n.follow(&file, &reference, role);
        let target = self.n.deref(&file, &Value::Object(map.clone()));
        for field in ["summary", "description"] {
            let Some(text) = map.shift_remove(field) else {
                continue;
            };
            let same = target
                .as_ref()
                .is_some_and(|(_, _, t)| t.get(field) == Some(&text));
            if !same && field == "description" {
                self.n.warn(&file, &join(orig, field), "a `description` beside `$ref` overrides the referenced one in OpenAPI 3.1; the generated code documents the referenced one", "move the description into the referenced component, or write this one inline");
            }
        }
        true
    }

    fn parameter(&mut self, value: &mut Value, new: &str, orig: &str) {
        let Value::Object(parameter) = value else {
            return;
        };
        if self.reference(parameter, orig, Role::Parameter) {
            return;
        }
        if let Some(schema) = parameter.get_mut("schema") {
            self.schema(schema, &join(new, "schema"), &join(orig, "schema"));
        }
        self.content(parameter, new, orig);
    }

    fn request_body(&mut self, value: &mut Value, new: &str, orig: &str) {
        let Value::Object(body) = value else {
            return;
        };
        if self.reference(body, orig, Role::RequestBody) {
            return;
        }
        self.content(body, new, orig);
    }

    fn response(&mut self, value: &mut Value, new: &str, orig: &str) {
        let Value::Object(response) = value else {
            return;
        };
        if self.reference(response, orig, Role::Response) {
            return;
        }
        self.headers(response, new, orig);
        self.content(response, new, orig);
    }

    fn header(&mut self, value: &mut Value, new: &str, orig: &str) {
        let Value::Object(header) = value else {
            return;
        };
        if self.reference(header, orig, Role::Header) {
            return;
        }
        if let Some(schema) = header.get_mut("schema") {
            self.schema(schema, &join(new, "schema"), &join(orig, "schema"));
        }
        self.content(header, new, orig);
    }

    fn headers(&mut self, owner: &mut Map<String, Value>, new: &str, orig: &str) {
        if let Some(Value::Object(headers)) = owner.get_mut("headers") {
            for (name, header) in headers.iter_mut() {
                let at = |p: &str| join(&join(p, "headers"), name);
                self.header(header, &at(new), &at(orig));
            }
        }
    }

    fn content(&mut self, owner: &mut Map<String, Value>, new: &str, orig: &str) {
        let Some(Value::Object(content)) = owner.get_mut("content") else {
            return;
        };
        for (media_type, media) in content.iter_mut() {
            let at = |p: &str| join(&join(p, "content"), media_type);
            let (new, orig) = (at(new), at(orig));
            let Value::Object(media) = media else {
                continue;
            };
            if let Some(schema) = media.get_mut("schema") {
                self.schema(schema, &join(&new, "schema"), &join(&orig, "schema"));
            }
            if let Some(Value::Object(encodings)) = media.get_mut("encoding") {
                for (part, encoding) in encodings.iter_mut() {
                    if let Value::Object(encoding) = encoding {
                        let at = |p: &str| join(&join(p, "encoding"), part);
                        self.headers(encoding, &at(&new), &at(&orig));
                    }
                }
            }
        }
    }
}
