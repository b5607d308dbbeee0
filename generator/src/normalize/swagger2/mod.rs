//! Swagger 2.0 into OpenAPI 3.0 (the 3.0 specification's own list of changes, and what
//! converters such as swagger2openapi settled on).
//!
//! - `definitions`, `parameters`, `responses` and `securityDefinitions` move under
//!   `components` (in every file); references follow them.
//! - `host` + `basePath` + `schemes` become `servers` (`https` first; `https` when no scheme
//!   is given, with a warning).
//! - a parameter's `type`, `format`, `items`, `enum` and bounds become its `schema`;
//!   `collectionFormat` becomes `style`/`explode` (`csv`: `form`/`simple` unexploded, `ssv`:
//!   `spaceDelimited`, `pipes`: `pipeDelimited`, `multi`: exploded). `tsv`, and delimiters a
//!   place has no 3.0 style for, make the parameter one string the caller joins, with a
//!   warning. `x-example` is the parameter's `example`.
//! - the `in: body` parameter becomes `requestBody`, with one content entry per media type of
//!   `consumes` (`application/json` when there is none); `in: formData` parameters become the
//!   properties of one object body: `multipart/form-data` when a part is a file or `consumes`
//!   says so, else `application/x-www-form-urlencoded`.
//! - a response's `schema` goes under `content`, once per media type of `produces`; a
//!   response of `type: file` is bytes; `examples` are the contents' examples.
//! - `type: file` is `type: string, format: binary`; `x-nullable` is `nullable`; a
//!   `discriminator` is its `propertyName`.
//! - security definitions: `basic` is HTTP basic, `oauth2` flows get their 3.0 names, `apiKey`
//!   stays, except an `apiKey` in the `Authorization` header whose name or description says
//!   "bearer", which is read as HTTP bearer (2.0 has no other way to say it), with a warning.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

mod security;
mod values;

use super::refs::rebase;
use super::{Normalizer, Role, join};
use crate::diag::Location;
use crate::media::{essence, is_json};

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];
/// Parameter fields that describe the value, which 3.0 keeps under `schema`.
const SCHEMA_FIELDS: &[&str] = &[
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
];
const JSON: &str = "application/json";
const MULTIPART: &str = "multipart/form-data";
const FORM: &str = "application/x-www-form-urlencoded";
/// Containers of a 2.0 file and where 3.0 keeps them.
const CONTAINERS: &[(&str, &str)] = &[
    ("definitions", "/components/schemas"),
    ("parameters", "/components/parameters"),
    ("responses", "/components/responses"),
    ("securityDefinitions", "/components/securitySchemes"),
];

pub(super) fn normalize(n: &mut Normalizer<'_, '_>, files: &mut BTreeMap<String, Value>) {
    let root = n.root.clone();
    // Other files first: their containers move before anything refers into them.
    for (file, value) in files.iter_mut() {
        if *file != root {
            move_containers(n, file, value);
        }
    }
    let Some(original) = files.get(&root).cloned() else {
        return;
    };
    let mut convert = Convert {
        n: &mut *n,
        file: root.clone(),
        consumes: media_types(&original, "consumes"),
        produces: media_types(&original, "produces"),
    };
    let document = convert.document(&original);
    if let Some(slot) = files.get_mut(&root) {
        *slot = document;
    }
    let consumes = media_types(&original, "consumes");
    let produces = media_types(&original, "produces");
    n.drain_queue(files, |n, value, file, new, orig, role| {
        let mut convert = Convert {
            n,
            file: file.to_owned(),
            consumes: consumes.clone(),
            produces: produces.clone(),
        };
        let written = value.clone();
        *value = match role {
            Role::Schema => {
                let mut schema = written;
                convert.schema(&mut schema, new, orig);
                schema
            }
            Role::Parameter => match convert.parameter(&written, new, orig) {
                Some(parameter) => parameter,
                None => written,
            },
            Role::Response => convert.response(&written, new, orig, &produces),
            Role::PathItem => convert.path_item(&written, new, orig),
            Role::RequestBody | Role::Header => written,
        };
    });
}

/// `definitions` (and the other containers) of a file other than the root, where 3.0 keeps them.
fn move_containers(n: &mut Normalizer<'_, '_>, file: &str, value: &mut Value) {
    let Value::Object(document) = value else {
        return;
    };
    for (container, target) in CONTAINERS {
        // A path item's `parameters` is a list; only a mapping of named ones moves.
        if !document.get(*container).is_some_and(Value::is_object) {
            continue;
        }
        let Some(entries) = document.shift_remove(*container) else {
            continue;
        };
        let kind = target.rsplit('/').next().unwrap_or_default();
        let components = document
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(components) = components {
            components.insert(kind.to_owned(), entries);
        }
        let from = format!("/{container}");
        n.relocate(file, &from, target);
        n.moved(file, target, &from);
    }
}

/// The media types of `consumes` or `produces` at the document level.
fn media_types(document: &Value, field: &str) -> Vec<String> {
    document
        .get(field)
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// One file's conversion, with the document's default media types.
struct Convert<'c, 'm, 'd> {
    n: &'c mut Normalizer<'m, 'd>,
    file: String,
    consumes: Vec<String>,
    produces: Vec<String>,
}

/// A parameter as written: its value (references followed), and where it was written.
#[derive(Clone)]
struct Written {
    value: Map<String, Value>,
    at: Location,
}

/// A parameter as an operation or path item lists it: where, the entry itself (maybe a
/// `$ref`), and what it is.
#[derive(Clone)]
struct Listed {
    at: Location,
    entry: Value,
    written: Option<Written>,
}

impl Convert<'_, '_, '_> {
    /// Notes that the normalised value at `new` (in this file) was written at `origin`.
    fn moved(&mut self, new: &str, origin: &Location) {
        let file = self.file.clone();
        if origin.file == file {
            self.n.moved(&file, new, &origin.pointer);
        } else {
            self.n.moved_from(&file, new, origin.clone());
        }
    }

    fn here(&self, pointer: &str) -> Location {
        Location::new(self.file.as_str(), pointer)
    }

    fn document(&mut self, original: &Value) -> Value {
        let file = self.file.clone();
        let Value::Object(written) = original else {
            return original.clone();
        };
        let mut document = Map::new();
        document.insert("openapi".to_owned(), json!(super::TARGET));
        self.n.moved(&file, "/openapi", "/swagger");
        let mut components = Map::new();
        for (key, value) in written {
            match key.as_str() {
                "swagger" | "host" | "basePath" | "schemes" | "consumes" | "produces" => {}
                "paths" => {
                    let Value::Object(paths) = value else {
                        document.insert(key.clone(), value.clone());
                        continue;
                    };
                    let mut converted = Map::new();
                    for (path, item) in paths {
                        let at = join("/paths", path);
                        let item = if path.starts_with("x-") {
                            item.clone()
                        } else {
                            self.path_item(item, &at, &at)
                        };
                        converted.insert(path.clone(), item);
                    }
                    document.insert(key.clone(), Value::Object(converted));
                }
                "definitions" | "parameters" | "responses" | "securityDefinitions" => {
                    let kind = component_kind(key);
                    let Value::Object(entries) = value else {
                        self.n.error(
                            &file,
                            &format!("/{key}"),
                            format!(
                                "`{key}` must map names to {}, but it is {}",
                                container_items(key),
                                kind_of(value)
                            ),
                            "write one `Name:` key under it for each",
                        );
                        continue;
                    };
                    let converted = self.components(key, entries);
                    let from = format!("/{key}");
                    let to = format!("/components/{kind}");
                    self.n.relocate(&file, &from, &to);
                    self.n.moved(&file, &to, &from);
                    components.insert(kind.to_owned(), Value::Object(converted));
                }
                _ => {
                    document.insert(key.clone(), value.clone());
                }
            }
        }
        if let Some(servers) = self.servers(written) {
            document.insert("servers".to_owned(), servers);
        }
        if !components.is_empty() {
            document.insert("components".to_owned(), Value::Object(components));
        }
        Value::Object(document)
    }

    /// `host`, `basePath` and `schemes` as 3.0 servers.
    fn servers(&mut self, written: &Map<String, Value>) -> Option<Value> {
        let file = self.file.clone();
        let host = written.get("host").and_then(Value::as_str);
        let base = written
            .get("basePath")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let Some(host) = host else {
            if base.is_empty() {
                return None;
            }
            // A relative server: the client takes its base URL as an argument.
            self.n.moved(&file, "/servers/0/url", "/basePath");
            self.n.moved(&file, "/servers", "/basePath");
            return Some(json!([{ "url": base }]));
        };
        let mut schemes: Vec<&str> = written
            .get("schemes")
            .and_then(Value::as_array)
            .map(|s| s.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        schemes.retain(|s| ["http", "https"].contains(&s.to_ascii_lowercase().as_str()));
        if schemes.is_empty() {
            self.n.warn(
                &file,
                "/host",
                format!("`schemes` does not say whether `{host}` is reached by HTTP or HTTPS; HTTPS is used"),
                "add `schemes: [https]` (or `[http]`)",
            );
            schemes.push("https");
        }
        // The client's default is the first server: the secure one where there is a choice.
        schemes.sort_by_key(|s| !s.eq_ignore_ascii_case("https"));
        let servers: Vec<Value> = schemes
            .iter()
            .map(|scheme| json!({ "url": format!("{}://{host}{base}", scheme.to_ascii_lowercase()) }))
            .collect();
        self.n.moved(&file, "/servers", "/host");
        for i in 0..servers.len() {
            self.n.moved(&file, &format!("/servers/{i}"), "/host");
        }
        Some(Value::Array(servers))
    }

    /// The entries of a container of the root document, converted.
    fn components(&mut self, container: &str, entries: &Map<String, Value>) -> Map<String, Value> {
        let kind = component_kind(container);
        let mut converted = Map::new();
        for (name, value) in entries {
            let orig = join(&format!("/{container}"), name);
            let new = join(&format!("/components/{kind}"), name);
            let value = match container {
                "definitions" => {
                    let mut schema = value.clone();
                    self.schema(&mut schema, &new, &orig);
                    schema
                }
                "parameters" => {
                    let place = value.get("in").and_then(Value::as_str);
                    if matches!(place, Some("body" | "formData")) {
                        // Written into each operation that uses it; 3.0 has no such parameters.
                        continue;
                    }
                    match self.parameter(value, &new, &orig) {
                        Some(parameter) => parameter,
                        None => continue,
                    }
                }
                "responses" => {
                    let produces = self.produces.clone();
                    self.response(value, &new, &orig, &produces)
                }
                _ => self.security_scheme(name, value, &orig),
            };
            converted.insert(name.clone(), value);
        }
        converted
    }

    fn path_item(&mut self, item: &Value, new: &str, orig: &str) -> Value {
        let file = self.file.clone();
        let Value::Object(written) = item else {
            return item.clone();
        };
        if let Some(Value::String(reference)) = written.get("$ref") {
            self.n.follow(&file, reference, Role::PathItem);
            return item.clone();
        }
        let shared = self.parameter_list(written, orig);
        let mut converted = Map::new();
        for (key, value) in written {
            if key == "parameters" {
                let kept = self.plain_parameters(&shared, new);
                if !kept.is_empty() {
                    converted.insert(key.clone(), Value::Array(kept));
                }
            } else if METHODS.contains(&key.as_str()) {
                let op = self.operation(value, &shared, &join(new, key), &join(orig, key));
                converted.insert(key.clone(), op);
            } else {
                converted.insert(key.clone(), value.clone());
            }
        }
        Value::Object(converted)
    }

    /// The parameters listed under `owner`, references followed, each with where it was
    /// written and the index it was listed at.
    fn parameter_list(&mut self, owner: &Map<String, Value>, orig: &str) -> Vec<Listed> {
        let file = self.file.clone();
        let Some(Value::Array(list)) = owner.get("parameters") else {
            return Vec::new();
        };
        let list_at = join(orig, "parameters");
        list.iter()
            .enumerate()
            .map(|(i, parameter)| {
                let at = Location::new(file.as_str(), join(&list_at, &i.to_string()));
                let written = self
                    .n
                    .deref(&file, parameter)
                    .and_then(|(f, p, v)| match v {
                        Value::Object(value) => {
                            let at = if parameter.get("$ref").is_some() {
                                Location::new(f, p)
                            } else {
                                at.clone()
                            };
                            Some(Written { value, at })
                        }
                        _ => None,
                    });
                Listed {
                    at,
                    entry: parameter.clone(),
                    written,
                }
            })
            .collect()
    }

    /// The parameters of a list that stay parameters in 3.0 (not body, not form), converted.
    fn plain_parameters(&mut self, list: &[Listed], new: &str) -> Vec<Value> {
        let file = self.file.clone();
        let mut kept = Vec::new();
        for listed in list {
            if is_body(&listed.written) {
                continue;
            }
            let index = kept.len().to_string();
            let new = join(&join(new, "parameters"), &index);
            self.moved(&new, &listed.at);
            match (listed.entry.get("$ref"), &listed.written) {
                (Some(Value::String(reference)), _) => {
                    self.n.follow(&file, reference, Role::Parameter);
                    kept.push(listed.entry.clone());
                }
                (_, Some(_)) if listed.at.file == file => {
                    let orig = listed.at.pointer.clone();
                    if let Some(converted) = self.parameter(&listed.entry, &new, &orig) {
                        kept.push(converted);
                    }
                }
                _ => kept.push(listed.entry.clone()),
            }
        }
        kept
    }

    fn operation(&mut self, value: &Value, shared: &[Listed], new: &str, orig: &str) -> Value {
        let file = self.file.clone();
        let Value::Object(written) = value else {
            return value.clone();
        };
        let own = self.parameter_list(written, orig);
        // The operation's own parameters replace the path's of the same name and place.
        let key = |l: &Listed| {
            l.written
                .as_ref()
                .map(|w| (w.value.get("name").cloned(), w.value.get("in").cloned()))
        };
        // Path-level ones stay on the path item, but for its body and form ones.
        let mut list: Vec<Listed> = shared
            .iter()
            .filter(|l| is_body(&l.written))
            .filter(|l| !own.iter().any(|o| key(o).is_some() && key(o) == key(l)))
            .cloned()
            .collect();
        list.extend(own);
        let consumes =
            own_media_types(written, "consumes").unwrap_or_else(|| self.consumes.clone());
        let produces =
            own_media_types(written, "produces").unwrap_or_else(|| self.produces.clone());
        let mut converted = Map::new();
        for (key, field) in written {
            match key.as_str() {
                "consumes" | "produces" => {}
                "schemes" => {
                    let global = self.n.originals.get(&file).and_then(|d| d.get("schemes"));
                    if Some(field) != global {
                        self.n.warn(&file, &join(orig, "schemes"), "an operation's own `schemes` have no OpenAPI 3.0 form; it is sent to the document's server", "give the operation a server of its own with `servers:` in an OpenAPI 3 document");
                    }
                }
                "parameters" => {
                    let kept = self.plain_parameters(&list, new);
                    if !kept.is_empty() {
                        converted.insert(key.clone(), Value::Array(kept));
                    }
                }
                "responses" => {
                    let responses =
                        self.responses(field, &join(new, key), &join(orig, key), &produces);
                    converted.insert(key.clone(), responses);
                }
                _ => {
                    converted.insert(key.clone(), field.clone());
                }
            }
        }
        if let Some(body) = self.request_body(&list, &consumes, &join(new, "requestBody")) {
            converted.insert("requestBody".to_owned(), body);
        }
        Value::Object(converted)
    }

    /// The request body the operation's body or form parameters describe.
    fn request_body(&mut self, list: &[Listed], consumes: &[String], new: &str) -> Option<Value> {
        let file = self.file.clone();
        let mut body: Option<&Written> = None;
        let mut form: Vec<&Written> = Vec::new();
        for listed in list {
            let Some(written) = &listed.written else {
                continue;
            };
            match written.value.get("in").and_then(Value::as_str) {
                Some("body") if body.is_some() || !form.is_empty() => {
                    self.n.error(&written.at.file, &written.at.pointer, "an operation takes one body: this second `in: body` (or body beside `in: formData`) parameter is ignored", "describe the whole body with one `in: body` parameter, or with `in: formData` parameters only");
                }
                Some("body") => body = Some(written),
                Some("formData") if body.is_some() => {
                    self.n.error(&written.at.file, &written.at.pointer, "`in: formData` beside an `in: body` parameter: an operation takes one body, so this parameter is ignored", "describe the body either as one `in: body` parameter or as `in: formData` parameters");
                }
                Some("formData") => form.push(written),
                _ => {}
            }
        }
        if let Some(written) = body {
            let mut request = Map::new();
            if let Some(description) = written.value.get("description") {
                request.insert("description".to_owned(), description.clone());
            }
            if let Some(required) = written.value.get("required") {
                request.insert("required".to_owned(), required.clone());
            }
            self.moved(new, &written.at);
            let mut content = Map::new();
            let media: Vec<String> = if consumes.is_empty() {
                vec![JSON.to_owned()]
            } else {
                consumes.to_vec()
            };
            match written.value.get("schema") {
                Some(schema) => {
                    for media_type in media {
                        let mut schema = schema.clone();
                        rebase(&mut schema, &written.at.file, &file);
                        let schema_new = join(&join(&join(new, "content"), &media_type), "schema");
                        let schema_at = Location::new(
                            written.at.file.as_str(),
                            join(&written.at.pointer, "schema"),
                        );
                        self.moved(&schema_new, &schema_at);
                        self.schema_from(&mut schema, &schema_new, &schema_at);
                        content.insert(media_type, json!({ "schema": schema }));
                    }
                }
                None => {
                    self.n.error(&written.at.file, &written.at.pointer, "this `in: body` parameter has no `schema`, which Swagger 2.0 requires", "add `schema:` describing the body, such as `schema: {$ref: '#/definitions/Pet'}`");
                    return None;
                }
            }
            request.insert("content".to_owned(), Value::Object(content));
            return Some(Value::Object(request));
        }
        let first = form.first()?;
        self.moved(new, &first.at);
        let file_part = form
            .iter()
            .any(|w| w.value.get("type").and_then(Value::as_str) == Some("file"));
        let listed = |m: &str| consumes.iter().any(|c| essence(c) == m);
        let media_type = if file_part || (listed(MULTIPART) && !listed(FORM)) {
            MULTIPART
        } else {
            FORM
        };
        let content_at = join(&join(new, "content"), media_type);
        let schema_at = join(&content_at, "schema");
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut encoding = Map::new();
        for written in &form {
            let Some(name) = written.value.get("name").and_then(Value::as_str) else {
                self.n.error(
                    &written.at.file,
                    &written.at.pointer,
                    "this `in: formData` parameter has no `name`, which Swagger 2.0 requires",
                    "add `name:` with the form field's name",
                );
                continue;
            };
            let property_at = join(&join(&schema_at, "properties"), name);
            self.moved(&property_at, &written.at);
            let (schema, style) =
                self.value_schema(&written.value, &property_at, &written.at, "formData");
            if let Some((style, explode)) = style {
                if media_type == FORM {
                    encoding.insert(
                        name.to_owned(),
                        json!({ "style": style, "explode": explode }),
                    );
                }
            }
            properties.insert(name.to_owned(), schema);
            if written.value.get("required") == Some(&Value::Bool(true)) {
                required.push(Value::String(name.to_owned()));
            }
        }
        let mut schema = Map::new();
        schema.insert("type".to_owned(), json!("object"));
        schema.insert("properties".to_owned(), Value::Object(properties));
        if !required.is_empty() {
            schema.insert("required".to_owned(), Value::Array(required.clone()));
        }
        let mut media = Map::new();
        media.insert("schema".to_owned(), Value::Object(schema));
        if !encoding.is_empty() {
            media.insert("encoding".to_owned(), Value::Object(encoding));
        }
        let mut content = Map::new();
        content.insert(media_type.to_owned(), Value::Object(media));
        let mut request = Map::new();
        if !required.is_empty() {
            request.insert("required".to_owned(), Value::Bool(true));
        }
        request.insert("content".to_owned(), Value::Object(content));
        Some(Value::Object(request))
    }
}

/// Whether a parameter is a body or form parameter, which 3.0 makes the request body.
fn is_body(written: &Option<Written>) -> bool {
    matches!(
        written
            .as_ref()
            .and_then(|w| w.value.get("in"))
            .and_then(Value::as_str),
        Some("body" | "formData")
    )
}

/// What a 2.0 container holds, in words.
fn container_items(container: &str) -> &'static str {
    match container {
        "definitions" => "schemas",
        "parameters" => "parameters",
        "responses" => "responses",
        _ => "security schemes",
    }
}

/// What a JSON value is, in words.
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing (null)",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// The 3.0 component kind of a 2.0 container.
fn component_kind(container: &str) -> &'static str {
    CONTAINERS
        .iter()
        .find(|(c, _)| *c == container)
        .and_then(|(_, target)| target.rsplit('/').next())
        .unwrap_or("schemas")
}

/// An operation's own `consumes` or `produces`, which replace the document's.
fn own_media_types(operation: &Map<String, Value>, field: &str) -> Option<Vec<String>> {
    operation.get(field).and_then(Value::as_array).map(|list| {
        list.iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    })
}
