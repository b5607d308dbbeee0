//! Reads spec files (with the generator's loader: YAML or JSON, and every file their `$ref`s
//! reach), finds the operation a page documents, and lowers it into the operation model the
//! way the docs site renders it. Every item keeps `file#/json/pointer` of where the spec
//! declares it, following `$ref`s into other files.
//!
//! What the site shows of a schema (docusaurus-plugin-openapi-docs, `schema.ts` and the
//! theme's `Schema`): the type is the format when there is one, `object` for `allOf`,
//! `oneOf` and `anyOf`, an array's item type with `[]`; the qualifier lists `enum` values,
//! length, range and pattern constraints and `minItems`/`maxItems` (an array without those
//! shows its items' qualifier); `readOnly` properties are not shown in requests, `writeOnly`
//! ones not in responses; `allOf` members are merged.
//!
//! Auth rule: the site names auth methods and token types that OpenAPI has no words for, so
//! they are read from the operation's security schemes (its own `security`, else the spec's):
//! - auth method `OAuth Access Token`: an `oauth2` or `openIdConnect` scheme, or an `http`
//!   `bearer` scheme whose description is empty or mentions "access token";
//! - auth method `Private Integration Token`: a scheme whose description mentions
//!   "private integration";
//! - token types `Sub-Account Token` and `Agency Token`: a scheme whose description mentions
//!   "sub-account" or "agency".
//!
//! All mentions are case-insensitive. Scopes are the requirements' scopes.

use crate::model::{
    self, Auth, Body, Field, Loc, Operation, Param, Response, Type, Values, Variants, child_path,
};
use crate::nest::Tree;
use crate::page::split_url;
use serde_json::{Map, Value};
use std::fmt;
use std::path::{Component, Path, PathBuf};

/// One spec document (its root file and every file it refers to).
pub struct SpecFile {
    /// How the root file is shown in reports.
    pub name: String,
    sources: sdkgen::load::Sources,
}

#[derive(Debug)]
pub struct SpecError {
    pub file: String,
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

/// Reads `path`: one spec file, or every `.yaml`, `.yml` and `.json` file in a directory.
/// `name` is how `path` is shown in reports.
pub fn load(path: &Path, name: &str, overlays: &[PathBuf]) -> Result<Vec<SpecFile>, SpecError> {
    let fail = |file: &str, message: String| SpecError {
        file: file.to_owned(),
        message,
    };
    if !path.is_dir() {
        return Ok(vec![load_file(path, name, overlays)?]);
    }
    let entries = std::fs::read_dir(path).map_err(|err| fail(name, err.to_string()))?;
    let mut files = Vec::new();
    for entry in entries {
        let file = entry.map_err(|err| fail(name, err.to_string()))?.path();
        let is_spec = file
            .extension()
            .is_some_and(|ext| ext == "yaml" || ext == "yml" || ext == "json");
        if is_spec {
            files.push(file);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(fail(name, "no .yaml, .yml or .json spec in it".to_owned()));
    }
    files
        .iter()
        .map(|file| {
            let file_name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            load_file(
                file,
                &format!("{}/{file_name}", name.trim_end_matches('/')),
                overlays,
            )
        })
        .collect()
}

fn load_file(path: &Path, name: &str, overlays: &[PathBuf]) -> Result<SpecFile, SpecError> {
    let mut diags = sdkgen::Diagnostics::default();
    let sources = sdkgen::load::load(path, &mut diags);
    match sources {
        Some(mut sources) => {
            if !overlays.is_empty() {
                // The generator's own overlay stage, so both read the same patched spec.
                let root = sources.root.clone();
                if let Some(document) = sources.files.get_mut(&root) {
                    let warnings =
                        sdkgen::apply_overlays(&root, document, overlays).map_err(|failure| {
                            SpecError {
                                file: name.to_owned(),
                                message: format!(
                                    "an overlay does not apply:\n{}",
                                    failure.report(false)
                                ),
                            }
                        })?;
                    for warning in warnings {
                        eprintln!("{warning}");
                    }
                }
            }
            Ok(SpecFile {
                name: name.to_owned(),
                sources,
            })
        }
        None => {
            let diagnostics = diags.into_vec();
            let first = diagnostics
                .first()
                .map(|d| match d.line {
                    Some((line, column)) => format!("line {line}, column {column}: {}", d.message),
                    None => d.message.clone(),
                })
                .unwrap_or_else(|| "cannot be read".to_owned());
            Err(SpecError {
                file: name.to_owned(),
                message: first,
            })
        }
    }
}

/// The operation a page documents.
pub struct Found {
    pub operation: Operation,
    /// `spec/openapi.yaml#/paths/~1a~1{id}/get`.
    pub location: String,
    /// Its `operationId`.
    pub id: Option<String>,
}

const VERBS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Finds the operation with `method` and `path` (parameter names aside); failing that, the one
/// operation whose summary is `summary`, so that a moved or renamed endpoint is still compared.
pub fn find(files: &[SpecFile], method: &str, path: &str, summary: Option<&str>) -> Option<Found> {
    let mut by_summary = Vec::new();
    for file in files {
        let lower = Lower { spec: file };
        let root = file.root_value()?;
        let Some(paths) = root.get("paths").and_then(Value::as_object) else {
            continue;
        };
        for (key, item) in paths {
            let item_pointer = format!("/paths/{}", escape(key));
            let (item_file, _, item) = lower.deref(file.root(), item, item_pointer.clone());
            let Some(item_map) = item.as_object() else {
                continue;
            };
            for verb in VERBS {
                let Some(op) = item_map.get(verb) else {
                    continue;
                };
                let servers = servers(root, item, op);
                let matching_server = servers.iter().find(|(_, prefix)| {
                    verb.eq_ignore_ascii_case(method)
                        && shape(&format!("{prefix}{key}")) == shape(path)
                });
                let site = Site {
                    file: &item_file,
                    key,
                    verb,
                    item,
                    op,
                    servers: &servers,
                };
                if let Some((_, prefix)) = matching_server {
                    return Some(lower.operation(&site, prefix));
                }
                let op_summary = op.get("summary").and_then(Value::as_str);
                let same_summary = match (summary, op_summary) {
                    (Some(page), Some(spec)) => model::normalize_text(page)
                        .eq_ignore_ascii_case(&model::normalize_text(spec)),
                    _ => false,
                };
                if same_summary {
                    let prefix = servers.first().map(|s| s.1.clone()).unwrap_or_default();
                    by_summary.push(lower.operation(&site, &prefix));
                }
            }
        }
    }
    // A summary shared by several operations identifies none of them.
    if by_summary.len() == 1 {
        by_summary.pop()
    } else {
        None
    }
}

impl SpecFile {
    fn root(&self) -> &str {
        &self.sources.root
    }

    fn root_value(&self) -> Option<&Value> {
        self.sources.files.get(&self.sources.root)
    }

    /// How `file` (a loader key) is shown: the root under its given name, the others
    /// relative to it.
    fn display(&self, file: &str) -> String {
        if file == self.sources.root {
            return self.name.clone();
        }
        let root_dir = Path::new(&self.sources.root)
            .parent()
            .unwrap_or(Path::new(""));
        let relative = relative_path(root_dir, Path::new(file));
        sdkgen::load::join(&self.name, &relative.to_string_lossy().replace('\\', "/"))
    }
}

/// `to` relative to the directory `from`, with `..` where needed.
fn relative_path(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for part in to.iter().skip(common) {
        out.push(part.as_os_str());
    }
    out
}

/// Where an operation sits in the spec.
struct Site<'a> {
    file: &'a str,
    key: &'a str,
    verb: &'a str,
    item: &'a Value,
    op: &'a Value,
    servers: &'a [(String, String)],
}

/// The operation's servers as (base URL, path prefix), nearest declaration first.
fn servers(root: &Value, item: &Value, op: &Value) -> Vec<(String, String)> {
    let declared = [op, item, root]
        .into_iter()
        .filter_map(|v| v.get("servers").and_then(Value::as_array))
        .find(|servers| !servers.is_empty());
    let mut out: Vec<(String, String)> = declared
        .map(|servers| {
            servers
                .iter()
                .filter_map(|server| server.get("url").and_then(Value::as_str))
                .map(|url| {
                    let (base, path) = split_url(url.trim_end_matches('/'));
                    (base, path.trim_end_matches('/').to_owned())
                })
                .collect()
        })
        .unwrap_or_default();
    if out.is_empty() {
        out.push((String::new(), String::new()));
    }
    out
}

/// A path with its parameter names left out: `/a/{}/b`.
pub fn shape(path: &str) -> String {
    path.trim_end_matches('/')
        .split('/')
        .map(|segment| {
            if segment.starts_with('{') && segment.ends_with('}') {
                "{}"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Escapes a JSON pointer segment.
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Whether a schema is shown in a request or a response.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

/// A value with the file and pointer it was found at (after following `$ref`s), and where it
/// was declared (before).
#[derive(Clone)]
struct At<'a> {
    file: String,
    pointer: String,
    value: &'a Value,
    declared: (String, String),
    /// A wrapper whose annotations (`description`, `example`, ...) win: `$ref` with
    /// siblings, or `allOf` with one member.
    outer: Option<&'a Value>,
}

impl<'a> At<'a> {
    fn new(file: &str, pointer: String, value: &'a Value) -> At<'a> {
        At {
            file: file.to_owned(),
            declared: (file.to_owned(), pointer.clone()),
            pointer,
            value,
            outer: None,
        }
    }

    /// A key of the schema, its wrapper's annotation first.
    fn get(&self, key: &str) -> Option<&'a Value> {
        if is_annotation(key) {
            if let Some(value) = self.outer.and_then(|outer| outer.get(key)) {
                return Some(value);
            }
        }
        self.value.get(key)
    }

    fn flag(&self, key: &str) -> bool {
        self.get(key).and_then(Value::as_bool).unwrap_or(false)
    }

    fn text(&self, key: &str) -> Option<String> {
        self.get(key).and_then(Value::as_str).map(str::to_owned)
    }
}

/// A schema with its `allOf` members merged, as the site shows it.
#[derive(Default)]
struct Merged<'a> {
    properties: Vec<(String, At<'a>)>,
    required: Vec<String>,
}

/// Lowers the operations of one spec document.
struct Lower<'a> {
    spec: &'a SpecFile,
}

impl<'a> Lower<'a> {
    fn loc(&self, file: &str, pointer: &str) -> Loc {
        Loc::Spec(format!("{}#{pointer}", self.spec.display(file)))
    }

    /// Where an item is declared: a property in its parent, not the schema it refers to.
    fn at_loc(&self, at: &At<'_>) -> Loc {
        self.loc(&at.declared.0, &at.declared.1)
    }

    /// Follows `$ref`s (into other files too) to a value; returns its file, pointer and value.
    /// A ref that names nothing stays as it is.
    fn deref(&self, file: &str, value: &'a Value, pointer: String) -> (String, String, &'a Value) {
        let mut current = (file.to_owned(), pointer, value);
        for _ in 0..32 {
            let Some(reference) = current.2.get("$ref").and_then(Value::as_str) else {
                break;
            };
            let (target_file, target_pointer) = match reference.split_once('#') {
                Some(("", pointer)) => (current.0.clone(), pointer.to_owned()),
                Some((path, pointer)) => (sdkgen::load::join(&current.0, path), pointer.to_owned()),
                None => (sdkgen::load::join(&current.0, reference), String::new()),
            };
            let Some(document) = self.spec.sources.files.get(&target_file) else {
                break;
            };
            let Some(target) = document.pointer(&target_pointer) else {
                break;
            };
            current = (target_file, target_pointer, target);
        }
        current
    }

    fn deref_at(&self, at: &At<'a>) -> At<'a> {
        let (file, pointer, value) = self.deref(&at.file, at.value, at.pointer.clone());
        let extended =
            at.value.get("$ref").is_some() && at.value.as_object().is_some_and(|m| m.len() > 1);
        At {
            file,
            pointer,
            value,
            declared: at.declared.clone(),
            outer: if extended { Some(at.value) } else { at.outer },
        }
    }

    fn child(&self, at: &At<'a>, key: &str) -> Option<At<'a>> {
        let value = match at.value {
            Value::Array(items) => items.get(key.parse::<usize>().ok()?)?,
            _ => at.value.get(key)?,
        };
        Some(self.deref_at(&At::new(
            &at.file,
            format!("{}/{}", at.pointer, escape(key)),
            value,
        )))
    }

    fn operation(&self, site: &Site<'a>, prefix: &str) -> Found {
        let pointer = format!("/paths/{}/{}", escape(site.key), site.verb);
        let op_at = At::new(site.file, pointer.clone(), site.op);
        let mut base_urls: Vec<String> = site
            .servers
            .iter()
            .map(|(base, _)| base.clone())
            .filter(|base| !base.is_empty())
            .collect();
        base_urls.sort();
        base_urls.dedup();
        let text = |key: &str| site.op.get(key).and_then(Value::as_str).map(str::to_owned);
        // The site's title is the summary, else the operationId; its description, the
        // description, else the title (docusaurus-plugin-openapi-docs, `createItems`).
        let summary = text("summary").or_else(|| text("operationId"));
        let description = match site.op.get("description") {
            Some(description) => description.as_str().map(str::to_owned),
            None => summary.clone(),
        };
        let operation = Operation {
            method: site.verb.to_ascii_uppercase(),
            path: format!("{prefix}{}", site.key),
            base_urls,
            summary,
            description,
            summary_at: Loc::Nowhere,
            description_at: Loc::Nowhere,
            deprecated: flag(site.op, "deprecated"),
            auth: self.auth(&op_at),
            params: self.params(site, &op_at),
            body: self
                .child(&op_at, "requestBody")
                .map(|body| self.request_body(&body)),
            responses: self.responses(&op_at),
            at: self.at_loc(&op_at),
        };
        Found {
            operation,
            location: format!("{}#{pointer}", self.spec.display(site.file)),
            id: text("operationId"),
        }
    }

    /// Path-item parameters, overridden by the operation's own of the same name and location.
    fn params(&self, site: &Site<'a>, op: &At<'a>) -> Vec<Param> {
        let item_at = At::new(site.file, format!("/paths/{}", escape(site.key)), site.item);
        let mut params: Vec<Param> = Vec::new();
        for owner in [&item_at, op] {
            let Some(list) = self.child(owner, "parameters") else {
                continue;
            };
            let count = list.value.as_array().map_or(0, Vec::len);
            for index in 0..count {
                let Some(param) = self.child(&list, &index.to_string()) else {
                    continue;
                };
                let Some(param) = self.param(&param) else {
                    continue;
                };
                params.retain(|p| !(p.name == param.name && p.location == param.location));
                params.push(param);
            }
        }
        params
    }

    fn param(&self, at: &At<'a>) -> Option<Param> {
        let value = at.value;
        let name = value.get("name")?.as_str()?.to_owned();
        let location = value.get("in")?.as_str()?.to_owned();
        let schema = self.child(at, "schema").or_else(|| {
            let content = self.child(at, "content")?;
            let (media, _) = content.value.as_object()?.iter().next()?;
            let media = self.child(&content, media)?;
            self.child(&media, "schema")
        });
        let (ty, values, schema_example) = match &schema {
            Some(schema) => {
                let merged = self.merge_all_of(schema);
                let ty = schema_type(&merged);
                let mut values = self.qualifier(&merged);
                let items_default = self
                    .child(&merged, "items")
                    .and_then(|items| items.get("default").cloned());
                values.default = match merged.value.get("items") {
                    Some(_) => items_default,
                    None => merged.get("default").cloned(),
                };
                (ty, values, merged.get("example").cloned())
            }
            None => (Type::default(), Values::default(), None),
        };
        Some(Param {
            name,
            location,
            required: flag(value, "required"),
            deprecated: flag(value, "deprecated"),
            ty,
            values,
            description: text(value, "description"),
            example: value.get("example").cloned().or(schema_example),
            at: self.at_loc(at),
        })
    }

    fn auth(&self, op: &At<'a>) -> Auth {
        let root = self.spec.root_value();
        let (security, at) = match (
            op.value.get("security"),
            root.and_then(|r| r.get("security")),
        ) {
            (Some(own), _) => (own, self.loc(&op.file, &format!("{}/security", op.pointer))),
            (None, Some(global)) => (global, self.loc(self.spec.root(), "/security")),
            (None, None) => {
                // Where security would go: the page's may be added there.
                return Auth {
                    at: self.loc(&op.file, &format!("{}/security", op.pointer)),
                    ..Auth::default()
                };
            }
        };
        let mut auth = Auth {
            at,
            ..Auth::default()
        };
        let requirements = security.as_array().map(Vec::as_slice).unwrap_or_default();
        let schemes_at = root.and_then(|r| r.pointer("/components/securitySchemes"));
        for requirement in requirements {
            let Some(requirement) = requirement.as_object() else {
                continue;
            };
            for (name, scopes) in requirement {
                auth.scopes.extend(
                    scopes
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .map(str::to_owned),
                );
                let Some(scheme) = schemes_at.and_then(|s| s.get(name)) else {
                    continue;
                };
                let pointer = format!("/components/securitySchemes/{}", escape(name));
                let (_, _, scheme) = self.deref(self.spec.root(), scheme, pointer);
                let (methods, token_types) = auth_names(scheme);
                auth.methods.extend(methods);
                auth.token_types.extend(token_types);
            }
        }
        for list in [&mut auth.scopes, &mut auth.methods, &mut auth.token_types] {
            list.sort();
            list.dedup();
        }
        auth
    }

    fn request_body(&self, at: &At<'a>) -> Body {
        let mut body = self.content(at, Side::Request);
        body.required = flag(at.value, "required");
        body.description = text(at.value, "description");
        body
    }

    fn responses(&self, op: &At<'a>) -> Vec<Response> {
        let Some(responses) = self.child(op, "responses") else {
            return Vec::new();
        };
        let Some(map) = responses.value.as_object() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for status in map.keys() {
            if status.starts_with("x-") {
                continue;
            }
            let Some(response) = self.child(&responses, status) else {
                continue;
            };
            let has_content = response
                .value
                .get("content")
                .and_then(Value::as_object)
                .is_some_and(|c| !c.is_empty());
            out.push(Response {
                status: status.clone(),
                description: text(response.value, "description"),
                content: has_content.then(|| self.content(&response, Side::Response)),
                at: self.at_loc(&response),
            });
        }
        out
    }

    /// A request body's or response's `content`: its media types, and the first one's schema
    /// and example.
    fn content(&self, at: &At<'a>, side: Side) -> Body {
        let mut body = Body {
            at: self.at_loc(at),
            ..Body::default()
        };
        let Some(content) = self.child(at, "content") else {
            return body;
        };
        let Some(map) = content.value.as_object() else {
            return body;
        };
        body.media_types = map.keys().cloned().collect();
        let Some(first) = map.keys().next() else {
            return body;
        };
        let Some(media) = self.child(&content, first) else {
            return body;
        };
        if let Some(example) = media.value.get("example") {
            body.example = Some(example.clone());
            body.example_at = self.loc(&media.file, &format!("{}/example", media.pointer));
        } else if let Some(examples) = self.child(&media, "examples") {
            let first = examples.value.as_object().and_then(|m| m.keys().next());
            if let Some(example) = first.and_then(|name| self.child(&examples, name)) {
                if let Some(value) = example.get("value") {
                    body.example = Some(value.clone());
                    body.example_at =
                        self.loc(&example.file, &format!("{}/value", example.pointer));
                }
            }
        }
        let Some(schema) = self.child(&media, "schema") else {
            return body;
        };
        let merged = self.merge_all_of(&schema);
        body.ty = schema_type(&merged);
        let mut out = Output::default();
        let tree = self.children(&merged, "", side, &mut Vec::new(), &mut out);
        body.fields = out.fields;
        body.variants = out.variants;
        body.tree = Some(tree);
        body
    }

    /// The fields under a (merged) schema, children after their parent; returns the key tree.
    /// `seen` holds the schemas being expanded, so a recursive schema stops at its repeat.
    fn children(
        &self,
        schema: &At<'a>,
        prefix: &str,
        side: Side,
        seen: &mut Vec<(String, String)>,
        out: &mut Output,
    ) -> Tree {
        let key = (schema.file.clone(), schema.pointer.clone());
        if seen.contains(&key) || seen.len() > 32 {
            return Tree::Leaf;
        }
        seen.push(key);
        let tree = self.children_inner(schema, prefix, side, seen, out);
        seen.pop();
        tree
    }

    fn children_inner(
        &self,
        schema: &At<'a>,
        prefix: &str,
        side: Side,
        seen: &mut Vec<(String, String)>,
        out: &mut Output,
    ) -> Tree {
        if let Some(items) = self.child(schema, "items") {
            let items = self.merge_all_of(&items);
            let inner = self.children(&items, &format!("{prefix}[]"), side, seen, out);
            return Tree::Array(Box::new(inner));
        }
        let mut keys: Vec<(String, Tree)> = Vec::new();
        for kind in ["oneOf", "anyOf"] {
            let Some(arms) = self.child(schema, kind) else {
                continue;
            };
            let count = arms.value.as_array().map_or(0, Vec::len);
            let mut labels = Vec::new();
            for index in 0..count {
                let Some(arm) = self.child(&arms, &index.to_string()) else {
                    continue;
                };
                let arm = self.merge_all_of(&arm);
                labels.push(arm_label(&arm, index));
                let before = out.fields.len();
                let tree = self.children(&arm, prefix, side, seen, out);
                // The arms' fields together: a name already listed is listed once.
                let mut seen_paths: Vec<String> = out
                    .fields
                    .get(..before)
                    .unwrap_or_default()
                    .iter()
                    .map(|f| f.path.clone())
                    .collect();
                let mut index = before;
                while index < out.fields.len() {
                    let path = out
                        .fields
                        .get(index)
                        .map(|f| f.path.clone())
                        .unwrap_or_default();
                    if seen_paths.contains(&path) {
                        out.fields.remove(index);
                    } else {
                        seen_paths.push(path);
                        index += 1;
                    }
                }
                if let Tree::Object(arm_keys) = tree {
                    for (name, node) in arm_keys {
                        if !keys.iter().any(|(k, _)| *k == name) {
                            keys.push((name, node));
                        }
                    }
                }
            }
            out.variants.push(Variants {
                path: prefix.to_owned(),
                kind: kind.to_owned(),
                labels,
                at: self.loc(&arms.file, &arms.pointer),
            });
        }
        let merged = self.properties(schema, 0);
        for (name, property) in merged.properties {
            let property = self.merge_all_of(&property);
            let hidden = match side {
                Side::Request => property.flag("readOnly"),
                Side::Response => property.flag("writeOnly"),
            };
            if hidden {
                continue;
            }
            let path = child_path(prefix, &name);
            let mut values = self.qualifier(&property);
            values.default = property.get("default").cloned();
            out.fields.push(Field {
                path: path.clone(),
                name: name.clone(),
                ty: schema_type(&property),
                required: merged.required.contains(&name),
                nullable: property.flag("nullable"),
                deprecated: property.flag("deprecated"),
                values,
                description: property.text("description"),
                example: property.get("example").cloned(),
                at: self.at_loc(&property),
            });
            let tree = self.children(&property, &path, side, seen, out);
            keys.push((name, tree));
        }
        if let Some(additional) = self.child(schema, "additionalProperties") {
            if additional.value != &Value::Bool(false) {
                let name = "property name*";
                let path = child_path(prefix, name);
                let additional = self.merge_all_of(&additional);
                let ty = match additional.value {
                    Value::Bool(true) => Type {
                        base: Some("any".to_owned()),
                        ..Type::default()
                    },
                    _ if additional.value.as_object().is_some_and(Map::is_empty) => Type {
                        base: Some("any".to_owned()),
                        ..Type::default()
                    },
                    _ => schema_type(&additional),
                };
                out.fields.push(Field {
                    path: path.clone(),
                    name: name.to_owned(),
                    ty,
                    description: additional.text("description"),
                    at: self.at_loc(&additional),
                    ..Field::default()
                });
                self.children(&additional, &path, side, seen, out);
            }
        }
        if keys.is_empty() && !is_object_like(schema.value) {
            return Tree::Leaf;
        }
        Tree::Object(keys)
    }

    /// An `allOf` with one member and nothing but annotations beside it (the usual way to put
    /// a description beside a `$ref`) stands for that member, its annotations winning.
    /// Other `allOf`s stay: their members' properties are merged where they are listed.
    fn merge_all_of(&self, at: &At<'a>) -> At<'a> {
        let members = at.value.get("allOf").and_then(Value::as_array);
        let Some([only]) = members.map(Vec::as_slice) else {
            return at.clone();
        };
        let annotations_only = at
            .value
            .as_object()
            .is_some_and(|m| m.keys().all(|k| k == "allOf" || is_annotation(k)));
        if !annotations_only {
            return at.clone();
        }
        let member = self.deref_at(&At::new(&at.file, format!("{}/allOf/0", at.pointer), only));
        let member = self.merge_all_of(&member);
        At {
            declared: at.declared.clone(),
            outer: Some(at.value),
            ..member
        }
    }

    /// Properties and `required` of a schema, `allOf` members merged, in order.
    fn properties(&self, at: &At<'a>, depth: usize) -> Merged<'a> {
        let mut merged = Merged::default();
        if depth > 16 {
            return merged;
        }
        if let Some(members) = self.child(at, "allOf") {
            let count = members.value.as_array().map_or(0, Vec::len);
            for index in 0..count {
                if let Some(member) = self.child(&members, &index.to_string()) {
                    let inner = self.properties(&member, depth + 1);
                    for (name, property) in inner.properties {
                        merged.properties.retain(|(n, _)| *n != name);
                        merged.properties.push((name, property));
                    }
                    merged.required.extend(inner.required);
                }
            }
        }
        if let Some(properties) = self.child(at, "properties") {
            if let Some(map) = properties.value.as_object() {
                for name in map.keys() {
                    if let Some(property) = self.child(&properties, name) {
                        merged.properties.retain(|(n, _)| n != name);
                        merged.properties.push((name.clone(), property));
                    }
                }
            }
        }
        merged.required.extend(
            at.value
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned),
        );
        merged
    }

    /// What the site prints under "Possible values" (`getQualifierMessage`).
    fn qualifier(&self, at: &At<'a>) -> Values {
        let schema = at.value;
        let has = |key: &str| schema.get(key).is_some();
        if has("items") && !has("minItems") && !has("maxItems") {
            if let Some(items) = self.child(at, "items") {
                let items = self.merge_all_of(&items);
                return self.qualifier(&items);
            }
        }
        let mut values = Values::default();
        let number = |key: &str| schema.get(key).and_then(number_text);
        if let Some(items) = self.child(at, "items") {
            values.allowed.extend(enum_texts(items.value));
        }
        let min_length = schema.get("minLength").and_then(Value::as_f64);
        let max_length = schema.get("maxLength").and_then(Value::as_f64);
        let min = match (min_length, number("minLength")) {
            (Some(n), Some(text)) if n > 1.0 => Some(format!(">= {text} characters")),
            (Some(1.0), _) => Some("non-empty".to_owned()),
            _ => None,
        };
        let max = match (max_length, number("maxLength")) {
            (Some(n), Some(text)) if n > 0.0 => Some(format!("<= {text} characters")),
            _ => None,
        };
        values.constraints.extend(min.into_iter().chain(max));
        let exclusive_min = schema.get("exclusiveMinimum");
        let exclusive_max = schema.get("exclusiveMaximum");
        let minimum = match (exclusive_min.and_then(number_text), number("minimum")) {
            (Some(n), _) if exclusive_min.is_some_and(Value::is_number) => Some(format!("> {n}")),
            (_, Some(n)) if exclusive_min == Some(&Value::Bool(true)) => Some(format!("> {n}")),
            (_, Some(n)) => Some(format!(">= {n}")),
            _ => None,
        };
        let maximum = match (exclusive_max.and_then(number_text), number("maximum")) {
            (Some(n), _) if exclusive_max.is_some_and(Value::is_number) => Some(format!("< {n}")),
            (_, Some(n)) if exclusive_max == Some(&Value::Bool(true)) => Some(format!("< {n}")),
            (_, Some(n)) => Some(format!("<= {n}")),
            _ => None,
        };
        values
            .constraints
            .extend(minimum.into_iter().chain(maximum));
        if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
            values
                .constraints
                .push(format!("Value must match regular expression {pattern}"));
        }
        values.allowed.extend(enum_texts(schema));
        if let Some(n) = number("minItems") {
            values.constraints.push(format!(">= {n}"));
        }
        if let Some(n) = number("maxItems") {
            values.constraints.push(format!("<= {n}"));
        }
        values
    }
}

/// The fields and `oneOf` groups of a body being lowered.
#[derive(Default)]
struct Output {
    fields: Vec<Field>,
    variants: Vec<Variants>,
}

/// The type as the site prints it (`getSchemaName`).
fn schema_type(at: &At<'_>) -> Type {
    let schema = at.value;
    let mut ty = pretty(schema);
    if let Some(items) = schema.get("items") {
        ty = pretty(items);
        ty.array += 1;
        if items.get("items").is_some() {
            ty.base = Some("array".to_owned());
            ty.format = None;
        }
    }
    ty
}

fn pretty(schema: &Value) -> Type {
    let text = |key: &str| schema.get(key).and_then(Value::as_str).map(str::to_owned);
    let base = text("type").or_else(|| {
        if ["allOf", "oneOf", "anyOf", "properties"]
            .iter()
            .any(|k| schema.get(*k).is_some())
        {
            Some("object".to_owned())
        } else if schema.get("items").is_some() {
            Some("array".to_owned())
        } else if schema.get("$ref").is_some() {
            // A reference that names nothing: shown as an object.
            Some("object".to_owned())
        } else {
            None
        }
    });
    Type {
        base,
        format: text("format"),
        array: 0,
    }
}

fn is_object_like(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("object")
        || [
            "properties",
            "allOf",
            "oneOf",
            "anyOf",
            "additionalProperties",
        ]
        .iter()
        .any(|k| schema.get(*k).is_some())
}

/// Keys that annotate a schema without changing it.
fn is_annotation(key: &str) -> bool {
    matches!(
        key,
        "description"
            | "title"
            | "example"
            | "examples"
            | "deprecated"
            | "nullable"
            | "readOnly"
            | "writeOnly"
            | "default"
    ) || key.starts_with("x-")
}

/// A `oneOf` alternative's tab label: its title, its type name, or `MOD1`.
fn arm_label(arm: &At<'_>, index: usize) -> String {
    if let Some(title) = arm.value.get("title").and_then(Value::as_str) {
        return title.to_owned();
    }
    let ty = schema_type(arm);
    if ty.is_empty() {
        format!("MOD{}", index + 1)
    } else {
        ty.to_string()
    }
}

fn flag(value: &Value, key: &str) -> bool {
    value.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn text(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// A number as JavaScript prints it: `1`, not `1.0`.
fn number_text(value: &Value) -> Option<String> {
    let number = value.as_f64()?;
    if number.fract() == 0.0 && number.abs() < 1e15 {
        Some(format!("{}", number as i64))
    } else {
        Some(number.to_string())
    }
}

/// A schema's `enum` values as the site prints them.
fn enum_texts(schema: &Value) -> Vec<String> {
    schema
        .get("enum")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|value| match value {
            Value::String(text) => text.clone(),
            Value::Number(_) => number_text(value).unwrap_or_default(),
            other => other.to_string(),
        })
        .collect()
}

/// The auth methods and token types a scheme stands for (see the module's auth rule).
pub fn auth_names(scheme: &Value) -> (Vec<String>, Vec<String>) {
    let kind = scheme
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let description = scheme
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_lowercase();
    let oauth = match kind {
        "http" => {
            let bearer = scheme
                .get("scheme")
                .and_then(Value::as_str)
                .is_some_and(|s| s.eq_ignore_ascii_case("bearer"));
            bearer && (description.is_empty() || description.contains("access token"))
        }
        "oauth2" | "openIdConnect" => true,
        _ => false,
    };
    let mut methods = Vec::new();
    if oauth {
        methods.push("OAuth Access Token".to_owned());
    }
    if description.contains("private integration") {
        methods.push("Private Integration Token".to_owned());
    }
    let mut token_types = Vec::new();
    if description.contains("sub-account") {
        token_types.push("Sub-Account Token".to_owned());
    }
    if description.contains("agency") {
        token_types.push("Agency Token".to_owned());
    }
    (methods, token_types)
}
