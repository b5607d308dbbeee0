//! The shape checks: every field OpenAPI 3.0 requires is there and every field has the type it
//! must have, said in OpenAPI's words with the place, before `openapiv3` parses the document.
//!
//! The parser stops at the first problem and speaks of Rust types ("data did not match any
//! variant of untagged enum ReferenceOr"); these checks report every problem at once and
//! say what to write instead. Where the generator can go on safely (a response without a
//! `description`), the check warns and fills in the gap.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::Document;
use crate::diag::Diagnostics;
use crate::diag::{escape, unescape};

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
const PATH_ITEM_FIELDS: &[&str] = &["$ref", "summary", "description", "servers", "parameters"];
const SCHEMA_TYPES: &[&str] = &["string", "number", "integer", "boolean", "array", "object"];
/// Schemas nested deeper than this are not checked further; no real API needs the depth.
const MAX_DEPTH: usize = 64;

pub fn check(root: &mut Value, document: &Document, diags: &mut Diagnostics) {
    let mut checker = Checker {
        document,
        diags,
        operation_ids: BTreeMap::new(),
        missing_descriptions: Vec::new(),
        unknown_types: Vec::new(),
        edits: Vec::new(),
    };
    checker.root(root);
    // Fill in what was reported as missing but safe to default.
    for pointer in std::mem::take(&mut checker.missing_descriptions) {
        if let Some(Value::Object(response)) = root.pointer_mut(&pointer) {
            response.insert("description".to_owned(), Value::String(String::new()));
        }
    }
    for (pointer, value) in std::mem::take(&mut checker.edits) {
        edit(root, &pointer, value);
    }
    // A schema of a type the generator does not know keeps only what describes it, so it is
    // any value and nothing else warns about it again.
    for pointer in std::mem::take(&mut checker.unknown_types) {
        if let Some(Value::Object(schema)) = root.pointer_mut(&pointer) {
            schema.retain(|key, _| ANNOTATIONS.contains(&key.as_str()) || key.starts_with("x-"));
        }
    }
}

/// Replaces the value at `pointer`, or removes it (a key from its object, an item from its
/// list; list items are edited last to first, so earlier indexes stay right).
fn edit(root: &mut Value, pointer: &str, value: Option<Value>) {
    let Some((parent, token)) = pointer.rsplit_once('/') else {
        return;
    };
    let token = unescape(token);
    match (root.pointer_mut(parent), value) {
        (Some(Value::Object(map)), Some(value)) => {
            map.insert(token, value);
        }
        (Some(Value::Object(map)), None) => {
            map.shift_remove(&token);
        }
        (Some(Value::Array(items)), value) => {
            let Ok(index) = token.parse::<usize>() else {
                return;
            };
            match value {
                Some(value) => {
                    if let Some(slot) = items.get_mut(index) {
                        *slot = value;
                    }
                }
                None if index < items.len() => {
                    items.remove(index);
                }
                None => {}
            }
        }
        _ => {}
    }
}

/// A whole number's `i64`, from a float with no fraction within range (`-9.2e18`, as a long
/// integer literal is read) or a `u64` that fits.
fn as_i64(value: &Value) -> Option<i64> {
    if let Some(n) = value.as_i64() {
        return Some(n);
    }
    let f = value.as_f64()?;
    // -2^63 is exact as a float; 2^63 is not an i64.
    let fits =
        f.fract() == 0.0 && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f);
    #[allow(clippy::cast_possible_truncation)]
    fits.then_some(f as i64)
}

/// Schema fields that describe a value without constraining its type.
const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "nullable",
    "deprecated",
    "readOnly",
    "writeOnly",
    "example",
    "default",
    "externalDocs",
];

struct Checker<'a, 'd> {
    document: &'a Document,
    diags: &'d mut Diagnostics,
    /// operationId to the pointer of its first use.
    operation_ids: BTreeMap<String, String>,
    /// Responses without a `description`, which is filled in after the walk.
    missing_descriptions: Vec<String>,
    /// Schemas whose `type` is none OpenAPI knows; they become any value after the walk.
    unknown_types: Vec<String>,
    /// Values to replace (`Some`) or remove (`None`) after the walk, in the order found.
    edits: Vec<(String, Option<Value>)>,
}

/// What a JSON value is, in words.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing (null)",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

impl Checker<'_, '_> {
    fn error(&mut self, pointer: &str, message: impl Into<String>, help: impl Into<String>) {
        let at = self.document.locate(pointer);
        self.diags.error(&at, message, help);
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>, help: impl Into<String>) {
        let at = self.document.locate(pointer);
        self.diags.warning(&at, message, help);
    }

    /// The object at `field` of `map`, reporting a value of another type; `None` when absent
    /// or wrong.
    fn object<'v>(
        &mut self,
        map: &'v Map<String, Value>,
        field: &str,
        pointer: &str,
        what: &str,
    ) -> Option<&'v Map<String, Value>> {
        match map.get(field)? {
            Value::Object(inner) => Some(inner),
            other => {
                let message = format!(
                    "`{field}` must be an object ({what}), but it is {}",
                    kind(other)
                );
                self.error(
                    &join(pointer, field),
                    message,
                    format!("write `{field}` as a mapping of {what}"),
                );
                None
            }
        }
    }

    fn list<'v>(
        &mut self,
        map: &'v Map<String, Value>,
        field: &str,
        pointer: &str,
        what: &str,
    ) -> Option<&'v Vec<Value>> {
        match map.get(field)? {
            Value::Array(items) => Some(items),
            other => {
                let message = format!(
                    "`{field}` must be a list ({what}), but it is {}",
                    kind(other)
                );
                self.error(
                    &join(pointer, field),
                    message,
                    format!("write `{field}` as a list of {what}, one `- ` item each"),
                );
                None
            }
        }
    }

    /// A field that must be a string when present; `required` reports its absence too.
    fn string(
        &mut self,
        map: &Map<String, Value>,
        field: &str,
        pointer: &str,
        owner: &str,
        required: bool,
    ) {
        match map.get(field) {
            None if required => {
                let message = format!("{owner} has no `{field}`, which OpenAPI requires");
                self.error(
                    pointer,
                    message,
                    format!("add `{field}:` with a text value"),
                );
            }
            None | Some(Value::String(_)) => {}
            Some(Value::Number(n)) => {
                let message = format!("`{field}` must be a string, but it is the number {n}");
                self.error(
                    &join(pointer, field),
                    message,
                    format!("quote it: `{field}: \"{n}\"`"),
                );
            }
            Some(other) => {
                let message = format!("`{field}` must be a string, but it is {}", kind(other));
                self.error(
                    &join(pointer, field),
                    message,
                    format!("give `{field}` a text value"),
                );
            }
        }
    }

    fn boolean(&mut self, map: &Map<String, Value>, field: &str, pointer: &str) {
        match map.get(field) {
            None | Some(Value::Bool(_)) => {}
            Some(other) => {
                let message = format!(
                    "`{field}` must be `true` or `false`, but it is {}",
                    kind(other)
                );
                self.error(
                    &join(pointer, field),
                    message,
                    format!("write `{field}: true` or `{field}: false`, without quotes"),
                );
            }
        }
    }

    /// A `$ref` object: the reference must be a string. True when `map` is one.
    fn reference(&mut self, map: &Map<String, Value>, pointer: &str) -> bool {
        match map.get("$ref") {
            None => false,
            Some(Value::String(_)) => true,
            Some(other) => {
                let message = format!(
                    "`$ref` must be a string such as '#/components/schemas/Pet', but it is {}",
                    kind(other)
                );
                self.error(
                    &join(pointer, "$ref"),
                    message,
                    "quote the reference: `$ref: '#/components/...'`",
                );
                true
            }
        }
    }

    fn root(&mut self, root: &Value) {
        let Value::Object(root) = root else {
            return;
        };
        match root.get("info") {
            None => self.error(
                "",
                "the document has no `info`, which OpenAPI requires",
                "add `info:` with `title:` and `version:` (the version of the API, such as \"1.0.0\")",
            ),
            Some(Value::Object(info)) => {
                self.string(info, "title", "/info", "`info`", true);
                self.string(info, "version", "/info", "`info`", true);
                self.string(info, "description", "/info", "`info`", false);
            }
            Some(other) => {
                let message = format!("`info` must be an object, but it is {}", kind(other));
                self.error("/info", message, "write `info:` with `title:` and `version:` under it");
            }
        }
        if let Some(servers) = self.list(root, "servers", "", "servers") {
            for (i, server) in servers.iter().enumerate() {
                let pointer = format!("/servers/{i}");
                match server {
                    Value::Object(server) => {
                        self.string(server, "url", &pointer, "this server", true)
                    }
                    other => {
                        let message = format!(
                            "a server must be an object with a `url`, but this one is {}",
                            kind(other)
                        );
                        self.error(
                            &pointer,
                            message,
                            "write the server as `- url: https://...`",
                        );
                    }
                }
            }
        }
        match root.get("paths") {
            None => self.error(
                "",
                "the document has no `paths`, which OpenAPI requires",
                "add `paths:` with the API's operations (`paths: {}` for none)",
            ),
            Some(Value::Object(paths)) => {
                for (path, item) in paths {
                    if path.starts_with("x-") {
                        continue;
                    }
                    self.path_item(path, item);
                }
            }
            Some(other) => {
                let message = format!(
                    "`paths` must be an object mapping each path to its operations, but it is {}",
                    kind(other)
                );
                self.error(
                    "/paths",
                    message,
                    "write `paths:` with one `/path:` key per endpoint",
                );
            }
        }
        self.components(root);
    }

    fn path_item(&mut self, path: &str, item: &Value) {
        let pointer = format!("/paths/{}", escape(path));
        if !path.starts_with('/') {
            self.error(
                &pointer,
                format!("the path `{path}` does not start with `/`"),
                format!("write it as `/{path}`: OpenAPI paths are relative to the server URL and begin with a slash"),
            );
        }
        let Value::Object(item) = item else {
            let message = format!(
                "the path `{path}` must be an object of operations, but it is {}",
                kind(item)
            );
            self.error(
                &pointer,
                message,
                "write the operations under the path: `get:`, `post:`, ...",
            );
            return;
        };
        if self.reference(item, &pointer) {
            return;
        }
        self.parameters(item, &pointer);
        for (key, value) in item {
            let lower = key.to_ascii_lowercase();
            if METHODS.contains(&key.as_str()) {
                self.operation(path, key, value, &join(&pointer, key));
            } else if METHODS.contains(&lower.as_str()) {
                self.warn(
                    &join(&pointer, key),
                    format!("`{key}` is not a field of a path item, so this operation is ignored; HTTP methods are written in lower case"),
                    format!("write `{lower}:`"),
                );
            } else if !PATH_ITEM_FIELDS.contains(&key.as_str()) && !key.starts_with("x-") {
                self.warn(
                    &join(&pointer, key),
                    format!("`{key}` is not a field of a path item; it is ignored"),
                    "a path item holds the operations (`get`, `post`, ...), `parameters`, `summary`, `description` and `servers`; extensions start with `x-`",
                );
            }
        }
    }

    fn operation(&mut self, path: &str, method: &str, value: &Value, pointer: &str) {
        let name = format!("the operation `{} {path}`", method.to_ascii_uppercase());
        let Value::Object(op) = value else {
            let message = format!("{name} must be an object, but it is {}", kind(value));
            self.error(
                pointer,
                message,
                "describe the operation with at least `responses:`",
            );
            return;
        };
        match op.get("operationId") {
            Some(Value::String(id)) => {
                let here = join(pointer, "operationId");
                match self.operation_ids.get(id).cloned() {
                    Some(first) => {
                        let at = self.document.locate(&here);
                        let first_at = self.document.locate(&first);
                        self.diags.error_with(
                            &at,
                            format!("the operationId `{id}` is used twice; OpenAPI requires each operation's id to be unique"),
                            "rename one of them: the id names the client method",
                            &first_at,
                            "first used here",
                        );
                    }
                    None => {
                        self.operation_ids.insert(id.clone(), here);
                    }
                }
            }
            _ => self.string(op, "operationId", pointer, &name, false),
        }
        self.string(op, "summary", pointer, &name, false);
        self.string(op, "description", pointer, &name, false);
        self.boolean(op, "deprecated", pointer);
        self.parameters(op, pointer);
        if let Some(body) = self.object(op, "requestBody", pointer, "a request body") {
            let body_pointer = join(pointer, "requestBody");
            if !self.reference(body, &body_pointer) {
                self.boolean(body, "required", &body_pointer);
                match body.get("content") {
                    None => self.error(
                        &body_pointer,
                        format!("the request body of {name} has no `content`, which OpenAPI requires"),
                        "add `content:` with a media type, such as `application/json:` and its `schema:`",
                    ),
                    Some(_) => self.content(body, &body_pointer),
                }
            }
        }
        match op.get("responses") {
            None => self.error(
                pointer,
                format!("{name} has no `responses`, which OpenAPI requires"),
                "add `responses:` with at least the success status, such as `'200': {description: OK}`",
            ),
            Some(Value::Object(responses)) => {
                let responses_pointer = join(pointer, "responses");
                if responses.is_empty() {
                    self.warn(
                        &responses_pointer,
                        format!("{name} lists no responses; OpenAPI requires at least one"),
                        "document the success response",
                    );
                }
                for (status, response) in responses {
                    self.response(status, response, &join(&responses_pointer, status));
                }
            }
            Some(other) => {
                let message = format!("`responses` must map status codes to responses, but it is {}", kind(other));
                self.error(&join(pointer, "responses"), message, "write `responses:` with one `'200':`-style key per status");
            }
        }
    }

    fn response(&mut self, status: &str, value: &Value, pointer: &str) {
        if status.starts_with("x-") {
            return;
        }
        if !is_status(status) {
            self.warn(
                pointer,
                format!("`{status}` is not a status code, so this response is ignored"),
                "use a three-digit code (`'200'`), a range (`'2XX'`) or `default`",
            );
            return;
        }
        let Value::Object(response) = value else {
            let message = format!(
                "the response `{status}` must be an object, but it is {}",
                kind(value)
            );
            self.error(
                pointer,
                message,
                "write the response with at least `description:`",
            );
            return;
        };
        if self.reference(response, pointer) {
            return;
        }
        self.response_body(response, pointer, &format!("the response `{status}`"));
    }

    /// The fields of a response object (inline under an operation, or in components).
    fn response_body(&mut self, response: &Map<String, Value>, pointer: &str, name: &str) {
        match response.get("description") {
            None => {
                self.warn(
                    pointer,
                    format!(
                        "{name} has no `description`, which OpenAPI requires; an empty one is used"
                    ),
                    "add `description:` saying what the response means",
                );
                self.missing_descriptions.push(pointer.to_owned());
            }
            Some(_) => self.string(response, "description", pointer, name, false),
        }
        self.content(response, pointer);
        if let Some(headers) = self.object(response, "headers", pointer, "header names to headers")
        {
            let headers_pointer = join(pointer, "headers");
            for (name, header) in headers {
                let header_pointer = join(&headers_pointer, name);
                if let Value::Object(header) = header {
                    if !self.reference(header, &header_pointer) {
                        if let Some(schema) = header.get("schema") {
                            self.schema(schema, &join(&header_pointer, "schema"), 0);
                        }
                    }
                }
            }
        }
    }

    fn content(&mut self, owner: &Map<String, Value>, pointer: &str) {
        let Some(content) = self.object(owner, "content", pointer, "media types to their schemas")
        else {
            return;
        };
        let content_pointer = join(pointer, "content");
        for (media_type, media) in content {
            let media_pointer = join(&content_pointer, media_type);
            match media {
                Value::Object(media) => {
                    if let Some(schema) = media.get("schema") {
                        self.schema(schema, &join(&media_pointer, "schema"), 0);
                    }
                }
                other => {
                    let message = format!(
                        "the media type `{media_type}` must be an object, but it is {}",
                        kind(other)
                    );
                    self.error(
                        &media_pointer,
                        message,
                        "write `schema:` under the media type (`{}` when there is none)",
                    );
                }
            }
        }
    }

    fn parameters(&mut self, owner: &Map<String, Value>, pointer: &str) {
        let Some(parameters) = self.list(owner, "parameters", pointer, "parameters") else {
            return;
        };
        let list_pointer = join(pointer, "parameters");
        for (i, parameter) in parameters.iter().enumerate() {
            self.parameter(parameter, &format!("{list_pointer}/{i}"));
        }
    }

    fn parameter(&mut self, value: &Value, pointer: &str) {
        let Value::Object(parameter) = value else {
            let message = format!(
                "a parameter must be an object, but this one is {}",
                kind(value)
            );
            self.error(
                pointer,
                message,
                "write the parameter with `name:`, `in:` and `schema:`",
            );
            return;
        };
        if self.reference(parameter, pointer) {
            return;
        }
        let name = match parameter.get("name") {
            Some(Value::String(name)) => format!("the parameter `{name}`"),
            _ => "this parameter".to_owned(),
        };
        self.string(parameter, "name", pointer, &name, true);
        match parameter.get("in") {
            None => self.error(
                pointer,
                format!("{name} has no `in`, which OpenAPI requires"),
                "add `in:` with `path`, `query`, `header` or `cookie`",
            ),
            Some(Value::String(place))
                if ["path", "query", "header", "cookie"].contains(&place.as_str()) => {}
            Some(Value::String(place)) if place == "body" || place == "formData" => self.error(
                &join(pointer, "in"),
                format!("`in: {place}` is Swagger 2.0; OpenAPI 3.0 has no such parameters"),
                "describe the body with the operation's `requestBody:` and its `content:` (or declare the document `swagger: \"2.0\"` if it follows Swagger 2.0)",
            ),
            Some(other) => {
                let message = format!(
                    "`in` must be `path`, `query`, `header` or `cookie`, not {}",
                    plain(other)
                );
                self.error(
                    &join(pointer, "in"),
                    message,
                    "set `in:` to where the parameter travels",
                );
            }
        }
        self.boolean(parameter, "required", pointer);
        match (parameter.get("schema"), parameter.get("content")) {
            (Some(schema), _) => self.schema(schema, &join(pointer, "schema"), 0),
            (None, Some(_)) => self.content(parameter, pointer),
            (None, None) => {
                let swagger = ["type", "items", "format", "enum"]
                    .iter()
                    .any(|k| parameter.contains_key(*k));
                let help = if swagger {
                    "OpenAPI 3.0 puts `type`, `format` and `enum` under `schema:` (Swagger 2.0 had them beside `in`)"
                } else {
                    "add `schema:` with the parameter's type, such as `schema: {type: string}`"
                };
                self.error(
                    pointer,
                    format!("{name} has neither `schema` nor `content`; OpenAPI requires one"),
                    help,
                );
            }
        }
    }

    fn components(&mut self, root: &Map<String, Value>) {
        let Some(components) = self.object(root, "components", "", "component kinds to components")
        else {
            return;
        };
        for (kind_name, entries) in components {
            if kind_name.starts_with("x-") {
                continue;
            }
            let pointer = format!("/components/{}", escape(kind_name));
            let Value::Object(entries) = entries else {
                let message = format!(
                    "`components/{kind_name}` must map names to components, but it is {}",
                    kind(entries)
                );
                self.error(&pointer, message, "write one `Name:` key per component");
                continue;
            };
            for (name, value) in entries {
                let entry = join(&pointer, name);
                match kind_name.as_str() {
                    "schemas" => self.schema(value, &entry, 0),
                    "parameters" => self.parameter(value, &entry),
                    "responses" => match value {
                        Value::Object(response) => {
                            if !self.reference(response, &entry) {
                                self.response_body(
                                    response,
                                    &entry,
                                    &format!("the response `{name}`"),
                                );
                            }
                        }
                        other => {
                            let message = format!(
                                "the response `{name}` must be an object, but it is {}",
                                kind(other)
                            );
                            self.error(
                                &entry,
                                message,
                                "write the response with at least `description:`",
                            );
                        }
                    },
                    _ => {
                        if !value.is_object() {
                            let message = format!(
                                "the component `{name}` must be an object, but it is {}",
                                kind(value)
                            );
                            self.error(&entry, message, "write the component as a mapping");
                        }
                    }
                }
            }
        }
    }

    fn schema(&mut self, value: &Value, pointer: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let Value::Object(schema) = value else {
            let help = if value.is_boolean() {
                "`true` and `false` as schemas are JSON Schema, not OpenAPI 3.0; write `{}` for any value"
            } else {
                "write the schema as a mapping, such as `{type: string}`"
            };
            let message = format!(
                "a schema must be an object, but this one is {}",
                kind(value)
            );
            self.error(pointer, message, help);
            return;
        };
        if self.reference(schema, pointer) {
            return;
        }
        match schema.get("type") {
            None => {}
            Some(Value::String(t)) if SCHEMA_TYPES.contains(&t.as_str()) => {}
            Some(Value::String(t)) if t == "null" => self.error(
                &join(pointer, "type"),
                "`type: null` is OpenAPI 3.1; OpenAPI 3.0 has no null type",
                "give the schema its real type and add `nullable: true` (or declare the document `openapi: 3.1.0` if it follows OpenAPI 3.1)",
            ),
            Some(Value::String(t)) => {
                let suggestion = match t.to_ascii_lowercase().as_str() {
                    "int" | "int32" | "int64" | "long" => Some("integer"),
                    "str" | "text" | "date" | "datetime" | "date-time" | "uuid" => Some("string"),
                    "bool" => Some("boolean"),
                    "float" | "double" | "decimal" => Some("number"),
                    "list" => Some("array"),
                    "map" | "dict" | "json" => Some("object"),
                    "file" => Some("string"),
                    // A misspelling: one or two letters off.
                    other => SCHEMA_TYPES.iter().copied().find(|s| edit_distance(s, other) <= 2),
                };
                let lower = t.to_ascii_lowercase();
                let help = match suggestion {
                    _ if lower == "any" => "leave `type` out for a value of any type".to_owned(),
                    Some(s) if lower == "file" => format!("write `type: {s}` with `format: binary` for a file's content"),
                    Some(s) => format!("write `type: {s}`{}", if ["date", "datetime", "date-time", "uuid"].contains(&lower.as_str()) { format!(" with `format: {lower}`") } else { String::new() }),
                    None => "use one of `string`, `number`, `integer`, `boolean`, `array` or `object`".to_owned(),
                };
                // Parameters and headers travel as text, so text is their fallback.
                if travels_as_text(pointer) {
                    self.warn(&join(pointer, "type"), format!("`{t}` is not a schema type; the value is sent as text (`String`)"), help);
                    self.edits.push((join(pointer, "type"), Some(Value::String("string".to_owned()))));
                } else {
                    self.warn(&join(pointer, "type"), format!("`{t}` is not a schema type; the value is kept as `serde_json::Value`"), help);
                    self.unknown_types.push(pointer.to_owned());
                }
            }
            Some(Value::Array(_)) => self.error(
                &join(pointer, "type"),
                "a list of types is OpenAPI 3.1; OpenAPI 3.0 takes one type",
                "write one `type:`; for `[T, 'null']` write `type: T` with `nullable: true`, otherwise use `oneOf` (or declare the document `openapi: 3.1.0` if it follows OpenAPI 3.1)",
            ),
            Some(other) => {
                let message = format!("`type` must be a string such as `object`, but it is {}", kind(other));
                self.error(&join(pointer, "type"), message, "write `type: object` (or `string`, `integer`, ...)");
            }
        }
        for field in ["title", "description", "format", "pattern"] {
            self.string(schema, field, pointer, "this schema", false);
        }
        for field in [
            "nullable",
            "readOnly",
            "writeOnly",
            "deprecated",
            "uniqueItems",
        ] {
            self.boolean(schema, field, pointer);
        }
        for field in ["exclusiveMinimum", "exclusiveMaximum"] {
            if let Some(Value::Number(_)) = schema.get(field) {
                self.error(
                    &join(pointer, field),
                    format!("a number for `{field}` is OpenAPI 3.1; in OpenAPI 3.0 it is `true` or `false`"),
                    format!("write the bound as `{}:` and `{field}: true` (or declare the document `openapi: 3.1.0` if it follows OpenAPI 3.1)", if field == "exclusiveMinimum" { "minimum" } else { "maximum" }),
                );
            } else {
                self.boolean(schema, field, pointer);
            }
        }
        // Bounds and counts only constrain values; the generator does not check them, so one
        // it cannot read is dropped with a warning rather than stopping.
        let integer = schema.get("type").and_then(Value::as_str) == Some("integer");
        for field in ["minimum", "maximum", "multipleOf"] {
            let Some(v) = schema.get(field) else {
                continue;
            };
            let at = join(pointer, field);
            if !v.is_number() {
                // YAML reads a number beyond the float range (`1e400`) as text.
                let message = match v.as_str().filter(|t| t.parse::<f64>().is_ok()) {
                    Some(text) => format!(
                        "`{field}` is read as the text `{text}`, not a number; it is ignored"
                    ),
                    None => format!(
                        "`{field}` must be a number, but it is {}; it is ignored",
                        kind(v)
                    ),
                };
                self.warn(
                    &at,
                    message,
                    format!("write `{field}:` with a number, without quotes"),
                );
                self.edits.push((at, None));
            } else if integer && !v.is_i64() {
                match as_i64(v) {
                    Some(n) => self.edits.push((at, Some(Value::from(n)))),
                    // Values beyond 64 bits are allowed: read them as `f64` (whole numbers are
                    // exact up to 2^53), keeping the bound.
                    None if field != "multipleOf" => {
                        let message = format!(
                            "`{field}` of an integer schema is {}, beyond 64 bits; its values are read as `f64` (whole numbers exact up to 2^53)",
                            plain(v)
                        );
                        self.warn(
                            &at,
                            message,
                            format!(
                                "write `{field}:` with a whole number between -2^63 and 2^63 - 1 if the values fit in 64 bits"
                            ),
                        );
                        self.edits
                            .push((join(pointer, "type"), Some(Value::from("number"))));
                    }
                    None => {
                        let message = format!(
                            "`{field}` of an integer schema is {}, which is not a 64-bit integer; it is ignored",
                            plain(v)
                        );
                        self.warn(
                            &at,
                            message,
                            format!(
                                "write `{field}:` with a whole number between -2^63 and 2^63 - 1"
                            ),
                        );
                        self.edits.push((at, None));
                    }
                }
            }
        }
        if let (true, Some(Value::Array(values))) = (integer, schema.get("enum")) {
            for (i, v) in values.iter().enumerate().rev() {
                if v.is_i64() || v.is_null() {
                    continue;
                }
                let at = format!("{}/{i}", join(pointer, "enum"));
                match as_i64(v) {
                    Some(n) => self.edits.push((at, Some(Value::from(n)))),
                    None => {
                        let message = format!(
                            "the value {} of an integer enum is not a 64-bit integer; it is left out",
                            plain(v)
                        );
                        self.warn(
                            &at,
                            message,
                            "list whole numbers between -2^63 and 2^63 - 1",
                        );
                        self.edits.push((at, None));
                    }
                }
            }
        }
        for field in [
            "minLength",
            "maxLength",
            "minItems",
            "maxItems",
            "minProperties",
            "maxProperties",
        ] {
            if let Some(v) = schema.get(field).filter(|v| !v.is_u64()) {
                let at = join(pointer, field);
                match as_i64(v).and_then(|n| u64::try_from(n).ok()) {
                    Some(n) => self.edits.push((at, Some(Value::from(n)))),
                    None => {
                        let message = format!(
                            "`{field}` must be a whole number, zero or more, but it is {}; it is ignored",
                            plain(v)
                        );
                        self.warn(
                            &at,
                            message,
                            format!("write `{field}:` with a count, without quotes"),
                        );
                        self.edits.push((at, None));
                    }
                }
            }
        }
        match schema.get("required") {
            None => {}
            Some(Value::Bool(_)) => self.error(
                &join(pointer, "required"),
                "`required` in a schema lists property names; `true` or `false` does not fit here",
                "to make this property required, add its name to `required:` of the object that holds it",
            ),
            Some(Value::Array(names)) => {
                if let Some((i, other)) = names.iter().enumerate().find(|(_, n)| !n.is_string()) {
                    let message = format!("`required` lists property names, but item {i} is {}", kind(other));
                    self.error(&format!("{}/{i}", join(pointer, "required")), message, "write each required property's name");
                }
            }
            Some(other) => {
                let message = format!("`required` must be a list of property names, but it is {}", kind(other));
                self.error(&join(pointer, "required"), message, "write `required: [name, ...]`");
            }
        }
        if let Some(v) = schema.get("enum").filter(|v| !v.is_array()) {
            let message = format!("`enum` must be a list of values, but it is {}", kind(v));
            self.error(&join(pointer, "enum"), message, "write `enum: [a, b]`");
        }
        if let Some(properties) =
            self.object(schema, "properties", pointer, "property names to schemas")
        {
            let properties_pointer = join(pointer, "properties");
            for (name, property) in properties {
                self.schema(property, &join(&properties_pointer, name), depth + 1);
            }
        }
        match schema.get("items") {
            None => {}
            Some(Value::Array(_)) => self.error(
                &join(pointer, "items"),
                "a list of schemas under `items` (tuple validation) is not OpenAPI 3.0",
                "give `items` one schema; use `oneOf` inside it for items of several shapes",
            ),
            Some(items) => self.schema(items, &join(pointer, "items"), depth + 1),
        }
        match schema.get("additionalProperties") {
            None | Some(Value::Bool(_)) => {}
            Some(value) => self.schema(value, &join(pointer, "additionalProperties"), depth + 1),
        }
        if let Some(not) = schema.get("not") {
            self.schema(not, &join(pointer, "not"), depth + 1);
        }
        for field in ["allOf", "oneOf", "anyOf"] {
            if let Some(members) = self.list(schema, field, pointer, "schemas") {
                let list_pointer = join(pointer, field);
                for (i, member) in members.iter().enumerate() {
                    self.schema(member, &format!("{list_pointer}/{i}"), depth + 1);
                }
            }
        }
        if let Some(discriminator) = self.object(
            schema,
            "discriminator",
            pointer,
            "`propertyName` and `mapping`",
        ) {
            self.string(
                discriminator,
                "propertyName",
                &join(pointer, "discriminator"),
                "the discriminator",
                true,
            );
        }
    }
}

/// Whether a schema is (inside) a parameter's or a header's: a value that travels as text.
pub(super) fn travels_as_text(pointer: &str) -> bool {
    // `.../parameters/0/schema`, `.../headers/X-Rate/schema`, but not a property that happens
    // to be called `parameters`.
    let tokens: Vec<&str> = pointer.split('/').collect();
    tokens.windows(4).any(
        |w| matches!(w, [before, "parameters" | "headers", _, "schema"] if *before != "properties"),
    )
}

/// How many single-character edits turn `a` into `b` (Levenshtein).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = i;
        let mut left = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row.get(j + 1).copied().unwrap_or_default();
            let cost = usize::from(ca != *cb);
            let value = (diagonal + cost).min(above + 1).min(left + 1);
            diagonal = above;
            left = value;
            if let Some(slot) = row.get_mut(j + 1) {
                *slot = value;
            }
        }
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
    }
    row.last().copied().unwrap_or_default()
}

fn join(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape(token))
}

fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => format!("`{s}`"),
        other => format!("`{other}`"),
    }
}

/// `200`, `2XX` (any case) and `default`: the keys `openapiv3` reads as statuses.
fn is_status(key: &str) -> bool {
    if key == "default" {
        return true;
    }
    let bytes = key.as_bytes();
    match bytes {
        [first @ b'1'..=b'5', rest @ ..] if rest.len() == 2 => {
            let _ = first;
            rest.iter().all(u8::is_ascii_digit)
                || rest.iter().all(|b| b.eq_ignore_ascii_case(&b'x'))
        }
        _ => false,
    }
}

/// Turns a message of the `openapiv3` parser into OpenAPI's words, with what to do.
pub fn explain(message: &str, pointer: &str) -> (String, String) {
    let place = describe(pointer);
    if let Some(field) = between(message, "missing field `", "`") {
        return (
            format!("{place} has no `{field}`, which OpenAPI requires"),
            format!("add `{field}:`"),
        );
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            return (
                format!(
                    "{place} should be {}, but it is {found}",
                    expected.trim_start_matches("struct ")
                ),
                "fix the value so it has the type OpenAPI 3.0 gives this field".to_owned(),
            );
        }
    }
    if message.contains("did not match any variant of untagged enum ReferenceOr") {
        return (
            format!("{place} is neither a `$ref` nor a valid inline definition"),
            "compare it with the OpenAPI 3.0 specification for this kind of object".to_owned(),
        );
    }
    if let Some(variant) = between(message, "unknown variant `", "`") {
        let expected = message
            .split_once("expected ")
            .map(|(_, e)| e)
            .unwrap_or("one of the values OpenAPI allows");
        return (
            format!("`{variant}` is not allowed in {place}; expected {expected}"),
            "use one of the values listed".to_owned(),
        );
    }
    (
        format!("not a valid OpenAPI 3.0 document at {place}: {message}"),
        "fix the value at this place so it matches the OpenAPI 3.0 specification".to_owned(),
    )
}

fn between<'m>(message: &'m str, start: &str, end: &str) -> Option<&'m str> {
    let rest = message.split_once(start)?.1;
    Some(rest.split_once(end)?.0)
}

/// The thing a pointer names, in words: "the operation `GET /pets`", "the schema `Pet`".
pub fn describe(pointer: &str) -> String {
    let tokens: Vec<String> = pointer.split('/').skip(1).map(unescape).collect();
    let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
    match tokens.as_slice() {
        [] => "the document".to_owned(),
        ["paths", path] => format!("the path `{path}`"),
        ["paths", path, method] if METHODS.contains(method) => {
            format!("the operation `{} {path}`", method.to_ascii_uppercase())
        }
        ["components", "schemas", name] => format!("the schema `{name}`"),
        ["components", kind, name] => format!("the component `{kind}/{name}`"),
        [.., "properties", name] => format!("the property `{name}`"),
        [.., "parameters", _] => "this parameter".to_owned(),
        [.., "responses", status] => format!("the response `{status}`"),
        [.., last] => format!("`{last}`"),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        for ok in ["200", "2XX", "5xx", "default", "404"] {
            assert!(is_status(ok), "{ok}");
        }
        for bad in ["20", "600", "2X0", "ok", "2000", ""] {
            assert!(!is_status(bad), "{bad}");
        }
    }

    #[test]
    fn misspellings_are_a_few_edits_away() {
        assert_eq!(edit_distance("integer", "integr"), 1);
        assert_eq!(edit_distance("string", "strnig"), 2);
        assert_eq!(edit_distance("object", "objet"), 1);
        assert_eq!(edit_distance("array", "any"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn parser_messages_in_openapi_words() {
        let (message, _) = explain(
            "missing field `description`",
            "/paths/~1pets/get/responses/200",
        );
        assert_eq!(
            message,
            "the response `200` has no `description`, which OpenAPI requires"
        );
        let (message, _) = explain(
            "invalid type: integer `5`, expected a string",
            "/components/schemas/Pet/properties/name",
        );
        assert_eq!(
            message,
            "the property `name` should be a string, but it is integer `5`"
        );
    }
}
