//! Reads the spec files, finds the operation a page documents, and lowers it into the same
//! operation model the page is read into. Local `#/components/...` refs are resolved here;
//! each item keeps a JSON pointer to where the spec declares it.
//!
//! Auth rule: the docs name auth methods and token types that OpenAPI has no words for, so
//! they are read from the operation's security schemes (its own `security`, else the spec's):
//! - auth method `OAuth Access Token`: an `oauth2` or `openIdConnect` scheme, or an `http`
//!   `bearer` scheme whose description is empty or mentions "access token";
//! - auth method `Private Integration Token`: a scheme whose description mentions
//!   "private integration";
//! - token types `Sub-Account Token` and `Agency Token`: a scheme whose description mentions
//!   "sub-account" or "agency".
//!
//! All mentions are case-insensitive.

use crate::model::{self, Auth, Field, Loc, Param, Response, Type, child_path};
use crate::page::split_url;
use openapiv3::{
    Components, OpenAPI, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, Schema,
    SchemaKind, SecurityScheme, VariantOrUnknownOrEmpty,
};
use std::fmt;
use std::path::Path;

/// One parsed spec file, with the name it is reported under.
pub struct SpecFile {
    pub name: String,
    api: OpenAPI,
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
pub fn load(path: &Path, name: &str) -> Result<Vec<SpecFile>, SpecError> {
    let fail = |file: &str, message: String| SpecError {
        file: file.to_owned(),
        message,
    };
    if !path.is_dir() {
        return Ok(vec![load_file(path, name)?]);
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
            load_file(file, &format!("{}/{file_name}", name.trim_end_matches('/')))
        })
        .collect()
}

fn load_file(path: &Path, name: &str) -> Result<SpecFile, SpecError> {
    let fail = |message: String| SpecError {
        file: name.to_owned(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|err| fail(err.to_string()))?;
    let api = serde_yaml::from_str::<OpenAPI>(&text).map_err(|err| match err.location() {
        Some(at) => fail(format!(
            "line {}, column {}: not an OpenAPI 3.0 document: {err}",
            at.line(),
            at.column()
        )),
        None => fail(format!("not an OpenAPI 3.0 document: {err}")),
    })?;
    Ok(SpecFile {
        name: name.to_owned(),
        api,
    })
}

/// The operation a page documents.
pub struct Found {
    pub operation: model::Operation,
    /// `spec/openapi.yaml#/paths/~1a~1{id}/get`.
    pub location: String,
}

/// Finds the operation with `method` and `path` (parameter names aside); failing that, the one
/// operation whose summary is `summary`, so that a moved or renamed endpoint is still compared.
pub fn find(files: &[SpecFile], method: &str, path: &str, summary: Option<&str>) -> Option<Found> {
    let mut by_summary = Vec::new();
    for file in files {
        for (key, item) in &file.api.paths.paths {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            for (verb, op) in item.iter() {
                let servers = servers(&file.api, item, op);
                let lower = Lower {
                    api: &file.api,
                    file: &file.name,
                };
                let matching_server = servers.iter().find(|(_, prefix)| {
                    verb.eq_ignore_ascii_case(method)
                        && shape(&format!("{prefix}{key}")) == shape(path)
                });
                if let Some((_, prefix)) = matching_server {
                    return Some(lower.operation(verb, key, prefix, item, op, &servers));
                }
                let same_summary = match (summary, &op.summary) {
                    (Some(page), Some(spec)) => model::normalize_text(page)
                        .eq_ignore_ascii_case(&model::normalize_text(spec)),
                    _ => false,
                };
                if same_summary {
                    let prefix = servers.first().map(|s| s.1.clone()).unwrap_or_default();
                    by_summary.push(lower.operation(verb, key, &prefix, item, op, &servers));
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

/// The operation's servers as (base URL, path prefix), nearest declaration first.
fn servers(api: &OpenAPI, item: &PathItem, op: &openapiv3::Operation) -> Vec<(String, String)> {
    let declared = [&op.servers, &item.servers, &api.servers]
        .into_iter()
        .find(|servers| !servers.is_empty());
    let mut out: Vec<(String, String)> = declared
        .map(|servers| {
            servers
                .iter()
                .map(|server| {
                    let (base, path) = split_url(server.url.trim_end_matches('/'));
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
fn shape(path: &str) -> String {
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
fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Components that a `$ref` can name.
trait Component: Sized {
    const KIND: &'static str;
    fn get<'c>(components: &'c Components, name: &str) -> Option<&'c ReferenceOr<Self>>;
}

impl Component for Schema {
    const KIND: &'static str = "schemas";
    fn get<'c>(components: &'c Components, name: &str) -> Option<&'c ReferenceOr<Self>> {
        components.schemas.get(name)
    }
}

impl Component for Parameter {
    const KIND: &'static str = "parameters";
    fn get<'c>(components: &'c Components, name: &str) -> Option<&'c ReferenceOr<Self>> {
        components.parameters.get(name)
    }
}

impl Component for openapiv3::Response {
    const KIND: &'static str = "responses";
    fn get<'c>(components: &'c Components, name: &str) -> Option<&'c ReferenceOr<Self>> {
        components.responses.get(name)
    }
}

impl Component for SecurityScheme {
    const KIND: &'static str = "securitySchemes";
    fn get<'c>(components: &'c Components, name: &str) -> Option<&'c ReferenceOr<Self>> {
        components.security_schemes.get(name)
    }
}

impl Component for openapiv3::Example {
    const KIND: &'static str = "examples";
    fn get<'c>(components: &'c Components, name: &str) -> Option<&'c ReferenceOr<Self>> {
        components.examples.get(name)
    }
}

/// Lowers operations of one spec file.
struct Lower<'a> {
    api: &'a OpenAPI,
    file: &'a str,
}

impl<'a> Lower<'a> {
    fn loc(&self, pointer: &str) -> Loc {
        Loc::Spec(format!("{}{pointer}", self.file))
    }

    /// Follows `$ref`s to a component (a few hops at most); `None` for a ref that is not local
    /// or names nothing. Returns the item and the pointer to where it is declared.
    fn resolve<T: Component>(
        &self,
        item: &'a ReferenceOr<T>,
        pointer: String,
    ) -> Option<(&'a T, String)> {
        let mut current = item;
        let mut pointer = pointer;
        for _ in 0..16 {
            match current {
                ReferenceOr::Item(item) => return Some((item, pointer)),
                ReferenceOr::Reference { reference } => {
                    let (next, at) = self.named::<T>(reference)?;
                    current = next;
                    pointer = at;
                }
            }
        }
        None
    }

    fn named<T: Component>(&self, reference: &str) -> Option<(&'a ReferenceOr<T>, String)> {
        let name = reference.strip_prefix(&format!("#/components/{}/", T::KIND))?;
        let item = T::get(self.api.components.as_ref()?, name)?;
        Some((item, format!("#/components/{}/{}", T::KIND, escape(name))))
    }

    fn resolve_boxed(
        &self,
        item: &'a ReferenceOr<Box<Schema>>,
        pointer: String,
    ) -> Option<(&'a Schema, String)> {
        match item {
            ReferenceOr::Item(schema) => Some((schema, pointer)),
            ReferenceOr::Reference { reference } => {
                let (named, at) = self.named::<Schema>(reference)?;
                self.resolve(named, at)
            }
        }
    }

    fn operation(
        &self,
        method: &str,
        key: &str,
        prefix: &str,
        item: &'a PathItem,
        op: &'a openapiv3::Operation,
        servers: &[(String, String)],
    ) -> Found {
        let pointer = format!("#/paths/{}/{method}", escape(key));
        let mut base_urls: Vec<String> = servers
            .iter()
            .map(|(base, _)| base.clone())
            .filter(|base| !base.is_empty())
            .collect();
        base_urls.sort();
        base_urls.dedup();
        let operation = model::Operation {
            method: method.to_ascii_uppercase(),
            path: format!("{prefix}{key}"),
            base_urls,
            summary: op.summary.clone(),
            description: op.description.clone(),
            params: self.params(key, item, op, &pointer),
            auth: self.auth(op, &pointer),
            responses: self.responses(op, &pointer),
            at: self.loc(&pointer),
        };
        Found {
            operation,
            location: format!("{}{pointer}", self.file),
        }
    }

    /// Path-item parameters, overridden by the operation's own of the same name and location.
    fn params(
        &self,
        key: &str,
        item: &'a PathItem,
        op: &'a openapiv3::Operation,
        pointer: &str,
    ) -> Vec<Param> {
        let shared = item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, format!("#/paths/{}/parameters/{i}", escape(key))));
        let own = op
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, format!("{pointer}/parameters/{i}")));
        let mut params: Vec<Param> = Vec::new();
        for (param, at) in shared.chain(own) {
            let Some(param) = self.param(param, at) else {
                continue;
            };
            params.retain(|p| !(p.name == param.name && p.location == param.location));
            params.push(param);
        }
        params
    }

    fn param(&self, param: &'a ReferenceOr<Parameter>, pointer: String) -> Option<Param> {
        let (param, pointer) = self.resolve(param, pointer)?;
        let (location, data) = match param {
            Parameter::Query { parameter_data, .. } => ("query", parameter_data),
            Parameter::Header { parameter_data, .. } => ("header", parameter_data),
            Parameter::Path { parameter_data, .. } => ("path", parameter_data),
            Parameter::Cookie { parameter_data, .. } => ("cookie", parameter_data),
        };
        let schema = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                self.resolve(schema, format!("{pointer}/schema"))
            }
            ParameterSchemaOrContent::Content(content) => {
                content.iter().find_map(|(media, content)| {
                    let at = format!("{pointer}/content/{}/schema", escape(media));
                    self.resolve(content.schema.as_ref()?, at)
                })
            }
        };
        let ty = schema
            .as_ref()
            .map(|(schema, at)| self.schema_type(schema, at.clone()).0);
        let schema = schema.map(|(schema, _)| schema);
        let example = data
            .example
            .clone()
            .or_else(|| schema.and_then(|s| s.schema_data.example.clone()));
        Some(Param {
            name: data.name.clone(),
            location: location.to_owned(),
            required: data.required,
            ty,
            allowed: schema.map(enum_values).unwrap_or_default(),
            example,
            description: data.description.clone(),
            at: self.loc(&pointer),
        })
    }

    fn auth(&self, op: &'a openapiv3::Operation, pointer: &str) -> Auth {
        let (security, at) = match (&op.security, &self.api.security) {
            (Some(own), _) => (own, format!("{pointer}/security")),
            (None, Some(global)) => (global, "#/security".to_owned()),
            (None, None) => return Auth::default(),
        };
        let mut auth = Auth {
            at: self.loc(&at),
            token_types_at: self.loc(&at),
            ..Auth::default()
        };
        let schemes = security.iter().flat_map(|requirement| requirement.keys());
        for name in schemes {
            let reference = format!("#/components/securitySchemes/{name}");
            let Some((scheme, _)) = self
                .named::<SecurityScheme>(&reference)
                .and_then(|(scheme, at)| self.resolve(scheme, at))
            else {
                continue;
            };
            let (methods, token_types) = auth_names(scheme);
            auth.methods.extend(methods);
            auth.token_types.extend(token_types);
        }
        for list in [&mut auth.methods, &mut auth.token_types] {
            list.sort();
            list.dedup();
        }
        auth
    }

    fn responses(&self, op: &'a openapiv3::Operation, pointer: &str) -> Vec<Response> {
        let codes = op
            .responses
            .responses
            .iter()
            .map(|(code, response)| (code.to_string(), response));
        let default = op
            .responses
            .default
            .iter()
            .map(|response| ("default".to_owned(), response));
        let mut out = Vec::new();
        for (status, response) in codes.chain(default) {
            let at = format!("{pointer}/responses/{}", escape(&status));
            let Some((response, at)) = self.resolve(response, at) else {
                continue;
            };
            out.push(self.response(status, response, &at));
        }
        out
    }

    fn response(&self, status: String, response: &'a openapiv3::Response, at: &str) -> Response {
        let mut media_types: Vec<String> = response.content.keys().cloned().collect();
        media_types.sort();
        // The docs show the JSON body; other media types are only listed.
        let media = response
            .content
            .get_key_value("application/json")
            .or_else(|| response.content.first());
        let mut fields = Vec::new();
        let mut example = None;
        let mut example_at = Loc::Nowhere;
        if let Some((name, media)) = media {
            let media_at = format!("{at}/content/{}", escape(name));
            if let Some(schema) = &media.schema {
                if let Some((schema, schema_at)) =
                    self.resolve(schema, format!("{media_at}/schema"))
                {
                    let (ty, inner, inner_at) = self.schema_type(schema, schema_at);
                    if ty.base == "object" {
                        let prefix = "[]".repeat(ty.array);
                        self.fields(inner, inner_at, &prefix, &mut Vec::new(), &mut fields);
                    }
                }
            }
            if let Some(value) = &media.example {
                example = Some(value.clone());
                example_at = self.loc(&format!("{media_at}/example"));
            } else if let Some((name, first)) = media.examples.first() {
                let at = format!("{media_at}/examples/{}", escape(name));
                if let Some((first, at)) = self.resolve(first, at) {
                    example = first.value.clone();
                    example_at = self.loc(&format!("{at}/value"));
                }
            }
        }
        Response {
            status,
            description: Some(response.description.clone()),
            media_types,
            fields,
            example,
            example_at,
            at: self.loc(at),
        }
    }

    /// Flattens the properties of `schema` into `out`, children after their parent. `seen`
    /// holds the schemas being expanded, so that a recursive schema stops at its first repeat.
    fn fields(
        &self,
        schema: &'a Schema,
        pointer: String,
        prefix: &str,
        seen: &mut Vec<String>,
        out: &mut Vec<Field>,
    ) {
        if seen.contains(&pointer) {
            return;
        }
        seen.push(pointer.clone());
        for (name, property, required, at) in self.properties(schema, &pointer, 0) {
            let Some((resolved, resolved_at)) = self.resolve_boxed(property, at.clone()) else {
                continue;
            };
            let (ty, inner, inner_at) = self.schema_type(resolved, resolved_at);
            let path = child_path(prefix, name);
            let mut allowed = enum_values(resolved);
            if allowed.is_empty() {
                allowed = enum_values(inner);
            }
            let descend = ty.base == "object";
            let child_prefix = format!("{path}{}", "[]".repeat(ty.array));
            out.push(Field {
                path,
                ty,
                required,
                description: resolved.schema_data.description.clone(),
                example: resolved.schema_data.example.clone(),
                allowed,
                at: self.loc(&at),
            });
            if descend {
                self.fields(inner, inner_at, &child_prefix, seen, out);
            }
        }
        seen.pop();
    }

    /// The properties of an object schema (merging `allOf` parts) as
    /// (name, schema, required, pointer).
    #[allow(clippy::type_complexity)]
    fn properties(
        &self,
        schema: &'a Schema,
        pointer: &str,
        depth: usize,
    ) -> Vec<(&'a str, &'a ReferenceOr<Box<Schema>>, bool, String)> {
        let own =
            |properties: &mut dyn Iterator<Item = (&'a String, &'a ReferenceOr<Box<Schema>>)>,
             required: &'a [String]| {
                properties
                    .map(|(name, property)| {
                        (
                            name.as_str(),
                            property,
                            required.contains(name),
                            format!("{pointer}/properties/{}", escape(name)),
                        )
                    })
                    .collect::<Vec<_>>()
            };
        match &schema.schema_kind {
            SchemaKind::Type(openapiv3::Type::Object(object)) => {
                own(&mut object.properties.iter(), &object.required)
            }
            SchemaKind::Any(any) => own(&mut any.properties.iter(), &any.required),
            SchemaKind::AllOf { all_of } if depth < 16 => all_of
                .iter()
                .enumerate()
                .filter_map(|(i, part)| self.resolve(part, format!("{pointer}/allOf/{i}")))
                .flat_map(|(part, at)| self.properties(part, &at, depth + 1))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The type the docs would print for `schema`, following array items; also the innermost
    /// item schema and its pointer, whose properties are the children.
    fn schema_type(&self, schema: &'a Schema, pointer: String) -> (Type, &'a Schema, String) {
        let mut current = (schema, pointer);
        let mut array = 0;
        for _ in 0..16 {
            let (schema, pointer) = &current;
            let items = match &schema.schema_kind {
                SchemaKind::Type(openapiv3::Type::Array(array)) => array.items.as_ref(),
                SchemaKind::Any(any) if any.typ.as_deref() == Some("array") => any.items.as_ref(),
                _ => {
                    let (base, format) = base_type(schema);
                    let ty = Type {
                        base,
                        format,
                        array,
                    };
                    return (ty, current.0, current.1);
                }
            };
            array += 1;
            let next =
                items.and_then(|items| self.resolve_boxed(items, format!("{pointer}/items")));
            match next {
                Some(next) => current = next,
                None => break,
            }
        }
        let ty = Type {
            base: "any".to_owned(),
            format: None,
            array,
        };
        (ty, current.0, current.1)
    }
}

/// The base type name and format of a schema that is not an array.
fn base_type(schema: &Schema) -> (String, Option<String>) {
    use openapiv3::Type as T;
    fn format<F: serde::Serialize>(format: &VariantOrUnknownOrEmpty<F>) -> Option<String> {
        match format {
            VariantOrUnknownOrEmpty::Item(item) => serde_json::to_value(item)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned)),
            VariantOrUnknownOrEmpty::Unknown(name) => Some(name.clone()),
            VariantOrUnknownOrEmpty::Empty => None,
        }
    }
    let (base, format) = match &schema.schema_kind {
        SchemaKind::Type(T::String(s)) => ("string", format(&s.format)),
        SchemaKind::Type(T::Number(n)) => ("number", format(&n.format)),
        SchemaKind::Type(T::Integer(i)) => ("integer", format(&i.format)),
        SchemaKind::Type(T::Boolean(_)) => ("boolean", None),
        SchemaKind::Type(T::Object(_)) | SchemaKind::AllOf { .. } => ("object", None),
        SchemaKind::Type(T::Array(_)) => ("array", None),
        SchemaKind::Any(any) => {
            let base = match any.typ.as_deref() {
                Some(typ) => typ,
                None if !any.properties.is_empty() => "object",
                None => "any",
            };
            return (base.to_owned(), any.format.clone());
        }
        SchemaKind::OneOf { .. } => ("oneOf", None),
        SchemaKind::AnyOf { .. } => ("anyOf", None),
        SchemaKind::Not { .. } => ("any", None),
    };
    (base.to_owned(), format)
}

/// A schema's `enum` as sorted text.
fn enum_values(schema: &Schema) -> Vec<String> {
    use openapiv3::Type as T;
    let mut values: Vec<String> = match &schema.schema_kind {
        SchemaKind::Type(T::String(s)) => s.enumeration.iter().flatten().cloned().collect(),
        SchemaKind::Type(T::Number(n)) => {
            n.enumeration.iter().flatten().map(f64::to_string).collect()
        }
        SchemaKind::Type(T::Integer(i)) => {
            i.enumeration.iter().flatten().map(i64::to_string).collect()
        }
        SchemaKind::Type(T::Boolean(b)) => b
            .enumeration
            .iter()
            .flatten()
            .map(bool::to_string)
            .collect(),
        SchemaKind::Any(any) => any
            .enumeration
            .iter()
            .filter(|v| !v.is_null())
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    values.sort();
    values.dedup();
    values
}

/// The auth methods and token types a scheme stands for (see the module's auth rule).
fn auth_names(scheme: &SecurityScheme) -> (Vec<String>, Vec<String>) {
    let (oauth, description) = match scheme {
        SecurityScheme::HTTP {
            scheme,
            description,
            ..
        } => {
            let description = description.as_deref().unwrap_or_default().to_lowercase();
            let bearer = scheme.eq_ignore_ascii_case("bearer");
            (
                bearer && (description.is_empty() || description.contains("access token")),
                description,
            )
        }
        SecurityScheme::OAuth2 { description, .. }
        | SecurityScheme::OpenIDConnect { description, .. } => (
            true,
            description.as_deref().unwrap_or_default().to_lowercase(),
        ),
        SecurityScheme::APIKey { description, .. } => (
            false,
            description.as_deref().unwrap_or_default().to_lowercase(),
        ),
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
