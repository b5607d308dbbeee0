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

use super::refs::rebase;
use super::{Normalizer, Role, join};
use crate::diag::Location;

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

fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type);
    essence == JSON || essence.ends_with("+json")
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
                    let Value::Object(entries) = value else {
                        // Left for the shape checks to report, in its 3.0 place.
                        components.insert(component_kind(key).to_owned(), value.clone());
                        continue;
                    };
                    let kind = component_kind(key);
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

    /// A non-body parameter in its 3.0 form; `None` when it cannot be one (reported).
    fn parameter(&mut self, value: &Value, new: &str, orig: &str) -> Option<Value> {
        let file = self.file.clone();
        let Value::Object(written) = value else {
            return Some(value.clone());
        };
        if written.contains_key("$ref") {
            return Some(value.clone());
        }
        let origin = self.here(orig);
        let place = written
            .get("in")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let mut converted = Map::new();
        for (key, field) in written {
            match key.as_str() {
                "collectionFormat" | "x-example" | "x-nullable" => {}
                k if SCHEMA_FIELDS.contains(&k) => {}
                "allowEmptyValue" if place != "query" => {}
                _ => {
                    converted.insert(key.clone(), field.clone());
                }
            }
        }
        if written.get("type").is_none() && !written.contains_key("schema") {
            let name = written
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("this");
            self.n.error(&file, orig, format!("the parameter `{name}` has no `type`, which Swagger 2.0 requires of a parameter that is not `in: body`"), "add `type:` (`string`, `number`, `integer`, `boolean` or `array`)");
            converted.insert("schema".to_owned(), json!({}));
            return Some(Value::Object(converted));
        }
        if written.contains_key("schema") {
            return Some(Value::Object(converted));
        }
        let (schema, style) = self.value_schema(written, &join(new, "schema"), &origin, &place);
        converted.insert("schema".to_owned(), schema);
        self.moved(&join(new, "schema"), &origin);
        if let Some((style, explode)) = style {
            converted.insert("style".to_owned(), json!(style));
            converted.insert("explode".to_owned(), json!(explode));
            self.moved(
                &join(new, "style"),
                &Location::new(file.as_str(), join(orig, "collectionFormat")),
            );
            self.moved(
                &join(new, "explode"),
                &Location::new(file.as_str(), join(orig, "collectionFormat")),
            );
        }
        if let Some(example) = written.get("x-example") {
            converted.insert("example".to_owned(), example.clone());
            self.moved(
                &join(new, "example"),
                &Location::new(file.as_str(), join(orig, "x-example")),
            );
        }
        Some(Value::Object(converted))
    }

    /// The schema of a parameter, header or form field (`type`, `items`, ...), and the style
    /// and explode its `collectionFormat` means at `place`.
    fn value_schema(
        &mut self,
        written: &Map<String, Value>,
        new: &str,
        at: &Location,
        place: &str,
    ) -> (Value, Option<(&'static str, bool)>) {
        let mut schema = Map::new();
        for key in SCHEMA_FIELDS.iter().chain(&["x-nullable"]) {
            if let Some(value) = written.get(*key) {
                schema.insert((*key).to_owned(), value.clone());
            }
        }
        if let Some(description) = written.get("description").filter(|_| place == "formData") {
            schema.insert("description".to_owned(), description.clone());
        }
        if let Some(example) = written.get("x-example").filter(|_| place == "formData") {
            schema.insert("example".to_owned(), example.clone());
        }
        let mut schema = Value::Object(schema);
        // The schema's fields were written on the parameter itself.
        self.schema_from(&mut schema, new, at);
        let is_array = written.get("type").and_then(Value::as_str) == Some("array");
        if !is_array {
            return (schema, None);
        }
        if let Some(Value::Object(items)) = schema.get_mut("items") {
            if let Some(inner) = items.shift_remove("collectionFormat") {
                if inner != "csv" {
                    let pointer = join(&join(&at.pointer, "items"), "collectionFormat");
                    self.n.warn(&at.file, &pointer, "a `collectionFormat` inside `items` (an array of arrays) has no OpenAPI 3.0 form; the inner arrays are joined with commas", "flatten the parameter into one array if the API allows it");
                }
            }
        }
        let format = written
            .get("collectionFormat")
            .and_then(Value::as_str)
            .unwrap_or("csv");
        let style = match (place, format) {
            ("query" | "formData", "csv") => Some(("form", false)),
            ("query" | "formData", "multi") => Some(("form", true)),
            ("query" | "formData", "ssv") => Some(("spaceDelimited", false)),
            ("query" | "formData", "pipes") => Some(("pipeDelimited", false)),
            ("path" | "header", "csv") => Some(("simple", false)),
            ("path" | "header", "multi") => {
                let pointer = join(&at.pointer, "collectionFormat");
                self.n.warn(&at.file, &pointer, format!("`collectionFormat: multi` is only for query and form parameters; this `{place}` parameter is sent comma-separated (`csv`)"), "write `collectionFormat: csv`");
                Some(("simple", false))
            }
            _ => None,
        };
        if style.is_some() {
            return (schema, style);
        }
        let pointer = join(&at.pointer, "collectionFormat");
        self.n.warn(
            &at.file,
            &pointer,
            format!("`collectionFormat: {format}` has no OpenAPI 3.0 style for a `{place}` parameter; it is sent as one string, which the caller joins"),
            "join the values as the API expects (with tabs for `tsv`), or use a `collectionFormat` OpenAPI 3.0 can say (`csv`, `ssv`, `pipes`, `multi`)",
        );
        let mut fallback = Map::new();
        fallback.insert("type".to_owned(), json!("string"));
        if let Some(description) = schema.get("description") {
            fallback.insert("description".to_owned(), description.clone());
        }
        (Value::Object(fallback), None)
    }

    fn responses(&mut self, value: &Value, new: &str, orig: &str, produces: &[String]) -> Value {
        let Value::Object(written) = value else {
            return value.clone();
        };
        let mut converted = Map::new();
        for (status, response) in written {
            let at = |p: &str| join(p, status);
            let response = if status.starts_with("x-") {
                response.clone()
            } else {
                self.response(response, &at(new), &at(orig), produces)
            };
            converted.insert(status.clone(), response);
        }
        Value::Object(converted)
    }

    fn response(&mut self, value: &Value, new: &str, orig: &str, produces: &[String]) -> Value {
        let file = self.file.clone();
        let Value::Object(written) = value else {
            return value.clone();
        };
        if let Some(Value::String(reference)) = written.get("$ref") {
            self.n.follow(&file, reference, Role::Response);
            return value.clone();
        }
        let mut converted = Map::new();
        for (key, field) in written {
            match key.as_str() {
                "schema" | "examples" => {}
                "headers" => {
                    let Value::Object(headers) = field else {
                        converted.insert(key.clone(), field.clone());
                        continue;
                    };
                    let mut out = Map::new();
                    for (name, header) in headers {
                        let header_new = join(&join(new, "headers"), name);
                        let header_orig = join(&join(orig, "headers"), name);
                        out.insert(name.clone(), self.header(header, &header_new, &header_orig));
                    }
                    converted.insert(key.clone(), Value::Object(out));
                }
                _ => {
                    converted.insert(key.clone(), field.clone());
                }
            }
        }
        let Some(schema) = written.get("schema") else {
            return Value::Object(converted);
        };
        let file_body = schema.get("type").and_then(Value::as_str) == Some("file");
        let mut media: Vec<String> = if produces.is_empty() {
            vec![JSON.to_owned()]
        } else {
            produces.to_vec()
        };
        if file_body {
            // A file is bytes, whatever JSON the operation also produces.
            media.retain(|m| !is_json(m));
            if media.is_empty() {
                media.push("application/octet-stream".to_owned());
            }
        }
        let examples = written.get("examples").and_then(Value::as_object);
        let mut content = Map::new();
        for media_type in media {
            let content_new = join(&join(new, "content"), &media_type);
            let schema_new = join(&content_new, "schema");
            let mut converted_schema = schema.clone();
            self.n.moved(&file, &schema_new, &join(orig, "schema"));
            self.schema(&mut converted_schema, &schema_new, &join(orig, "schema"));
            let mut entry = Map::new();
            entry.insert("schema".to_owned(), converted_schema);
            if let Some(example) = examples.and_then(|e| e.get(&media_type)) {
                entry.insert("example".to_owned(), example.clone());
                let example_orig = join(&join(orig, "examples"), &media_type);
                self.n
                    .moved(&file, &join(&content_new, "example"), &example_orig);
            }
            content.insert(media_type, Value::Object(entry));
        }
        converted.insert("content".to_owned(), Value::Object(content));
        Value::Object(converted)
    }

    fn header(&mut self, value: &Value, new: &str, orig: &str) -> Value {
        let file = self.file.clone();
        let Value::Object(written) = value else {
            return value.clone();
        };
        let mut converted = Map::new();
        for (key, field) in written {
            if !SCHEMA_FIELDS.contains(&key.as_str())
                && !["collectionFormat", "x-example", "x-nullable"].contains(&key.as_str())
            {
                converted.insert(key.clone(), field.clone());
            }
        }
        let origin = self.here(orig);
        let (schema, style) = self.value_schema(written, &join(new, "schema"), &origin, "header");
        converted.insert("schema".to_owned(), schema);
        self.n.moved(&file, &join(new, "schema"), orig);
        if style.is_some_and(|(_, explode)| explode) {
            converted.insert("explode".to_owned(), Value::Bool(true));
        }
        if let Some(example) = written.get("x-example") {
            converted.insert("example".to_owned(), example.clone());
            self.n
                .moved(&file, &join(new, "example"), &join(orig, "x-example"));
        }
        Value::Object(converted)
    }

    fn security_scheme(&mut self, key: &str, value: &Value, orig: &str) -> Value {
        let file = self.file.clone();
        let new = join("/components/securitySchemes", key);
        let Value::Object(written) = value else {
            return value.clone();
        };
        let kind = written
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let mut converted = Map::new();
        let keep = |converted: &mut Map<String, Value>, fields: &[&str]| {
            for (field, v) in written {
                if fields.contains(&field.as_str()) || field.starts_with("x-") {
                    converted.insert(field.clone(), v.clone());
                }
            }
        };
        match kind {
            "basic" => {
                keep(&mut converted, &["description"]);
                converted.insert("type".to_owned(), json!("http"));
                converted.insert("scheme".to_owned(), json!("basic"));
                self.n
                    .moved(&file, &join(&new, "scheme"), &join(orig, "type"));
            }
            "apiKey" => {
                let in_header = written.get("in").and_then(Value::as_str) == Some("header");
                let authorization = written
                    .get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| n.eq_ignore_ascii_case("authorization"));
                let says_bearer = key.to_ascii_lowercase().contains("bearer")
                    || written
                        .get("description")
                        .and_then(Value::as_str)
                        .is_some_and(|d| d.to_ascii_lowercase().contains("bearer"));
                if in_header && authorization && says_bearer {
                    keep(&mut converted, &["description"]);
                    converted.insert("type".to_owned(), json!("http"));
                    converted.insert("scheme".to_owned(), json!("bearer"));
                    self.n
                        .moved(&file, &join(&new, "scheme"), &join(orig, "type"));
                    self.n.warn(&file, orig, format!("Swagger 2.0 has no bearer scheme; `{key}`, an `apiKey` in the `Authorization` header that speaks of bearer tokens, is read as HTTP bearer: the client sends `Authorization: Bearer <token>`"), "if the caller must give the header's whole value, do not call the scheme a bearer scheme; in OpenAPI 3 write `type: http, scheme: bearer`");
                } else {
                    keep(&mut converted, &["type", "name", "in", "description"]);
                }
            }
            "oauth2" => {
                keep(&mut converted, &["type", "description"]);
                let flow = match written.get("flow").and_then(Value::as_str) {
                    Some("implicit") => "implicit",
                    Some("password") => "password",
                    Some("application") => "clientCredentials",
                    Some("accessCode") => "authorizationCode",
                    _ => {
                        // The URLs it gives say which flow it can be.
                        let (flow, named) = match (
                            written.contains_key("authorizationUrl"),
                            written.contains_key("tokenUrl"),
                        ) {
                            (true, true) => ("authorizationCode", "accessCode"),
                            (false, true) => ("clientCredentials", "application"),
                            _ => ("implicit", "implicit"),
                        };
                        self.n.warn(&file, orig, format!("the `oauth2` scheme `{key}` names no `flow`; from the URLs it gives, it is read as `{named}`"), "add `flow:` (`implicit`, `password`, `application` or `accessCode`)");
                        flow
                    }
                };
                let mut details = Map::new();
                for field in ["authorizationUrl", "tokenUrl", "scopes"] {
                    if let Some(v) = written.get(field) {
                        details.insert(field.to_owned(), v.clone());
                    }
                }
                details.entry("scopes").or_insert_with(|| json!({}));
                let mut flows = Map::new();
                flows.insert(flow.to_owned(), Value::Object(details));
                converted.insert("flows".to_owned(), Value::Object(flows));
                self.n.moved(&file, &join(&new, "flows"), orig);
                self.n.moved(&file, &join(&join(&new, "flows"), flow), orig);
            }
            _ => return value.clone(),
        }
        Value::Object(converted)
    }

    /// A 2.0 schema of this file, now at `new` and written at `orig`.
    fn schema(&mut self, value: &mut Value, new: &str, orig: &str) {
        let origin = self.here(orig);
        self.schema_from(value, new, &origin);
    }

    /// A 2.0 schema (maybe copied from another file): `x-nullable`, `type: file`, a string
    /// `discriminator`; references in other files are queued.
    fn schema_from(&mut self, value: &mut Value, new: &str, origin: &Location) {
        let Value::Object(map) = value else {
            return;
        };
        if let Some(Value::String(reference)) = map.get("$ref").cloned() {
            let file = self.file.clone();
            let bare = !reference.contains(['#', '/', '.'])
                && self
                    .n
                    .originals
                    .get(&origin.file)
                    .and_then(|d| d.get("definitions"))
                    .is_some_and(|d| d.get(&reference).is_some());
            if bare {
                // Early 2.0 tools let a definition's bare name stand for its pointer.
                let pointer = format!("#/definitions/{}", super::escape(&reference));
                let written = join(&origin.pointer, "$ref");
                self.n.warn(&origin.file, &written, format!("`$ref: {reference}` is a bare name, which Swagger 2.0 reads as a file; it is taken to mean `{pointer}`"), format!("write `$ref: '{pointer}'`"));
                map.insert("$ref".to_owned(), Value::String(pointer));
                return;
            }
            self.n.follow(&file, &reference, Role::Schema);
            return;
        }
        if let Some(nullable) = map.shift_remove("x-nullable") {
            map.insert("nullable".to_owned(), nullable);
            let written = Location::new(origin.file.as_str(), join(&origin.pointer, "x-nullable"));
            self.moved(&join(new, "nullable"), &written);
        }
        if map.get("type").and_then(Value::as_str) == Some("file") {
            map.insert("type".to_owned(), json!("string"));
            map.insert("format".to_owned(), json!("binary"));
        }
        if let Some(Value::String(property)) = map.get("discriminator").cloned() {
            map.insert(
                "discriminator".to_owned(),
                json!({ "propertyName": property }),
            );
        }
        let mut children: Vec<(Vec<String>, &mut Value)> = Vec::new();
        for (key, child) in map.iter_mut() {
            match key.as_str() {
                "properties" => {
                    if let Value::Object(properties) = child {
                        for (name, property) in properties.iter_mut() {
                            children.push((vec![key.clone(), name.clone()], property));
                        }
                    }
                }
                "allOf" | "oneOf" | "anyOf" => {
                    if let Value::Array(members) = child {
                        for (i, member) in members.iter_mut().enumerate() {
                            children.push((vec![key.clone(), i.to_string()], member));
                        }
                    }
                }
                "items" | "additionalProperties" | "not" if child.is_object() => {
                    children.push((vec![key.clone()], child));
                }
                _ => {}
            }
        }
        for (tokens, child) in children {
            let mut child_new = new.to_owned();
            let mut child_orig = origin.pointer.clone();
            for token in &tokens {
                child_new = join(&child_new, token);
                child_orig = join(&child_orig, token);
            }
            let child_origin = Location::new(origin.file.as_str(), child_orig);
            // Bounded by the document: a schema cannot nest without end.
            self.schema_from(child, &child_new, &child_origin);
        }
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
