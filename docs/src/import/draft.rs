//! A page's operation as OpenAPI 3.0 values: the operation object, and the component schemas
//! of its bodies, named after the operation (`GetPostsRequest`, `GetPostsResponse`).
//!
//! Rules, each the inverse of what the site prints (see `page`):
//! - type: the printed type, or the type a printed format implies (`date-time` is a string,
//!   `int64` an integer, `double` a number); `[]` is an array of it; no type prints nothing;
//! - "Possible values" `[...]` is `enum` (typed as the schema is); `>= N characters`,
//!   `<= N characters` and `non-empty` are `minLength` / `maxLength`; `>= N`, `> N`, `<= N`,
//!   `< N` are `minimum` / `maximum` (`exclusive...`) on numbers and `minItems` / `maxItems` on
//!   arrays; "Value must match regular expression" is `pattern`;
//! - a field named `property name*` is `additionalProperties`;
//! - `oneOf` / `anyOf`: an alternative whose tab label is a type is that type; the fields
//!   under the group go to the first object alternative (the page does not say which
//!   alternative a field belongs to);
//! - the operation's security is the spec's bearer scheme that stands for the page's auth
//!   methods and token types (see `spec`'s auth rule), with the page's scopes;
//! - the examples are the page's (its "Example", else its "Example (auto)").

use crate::model::{Body, Field, Operation, Param, Type, Values, Variants};
use crate::page::Page;
use serde_json::{Map, Value, json};

/// What an import adds to a spec.
pub struct Draft {
    /// The key under `paths`: `/social-media-posting/{locationId}/posts`.
    pub path: String,
    /// Lower case: `get`.
    pub method: String,
    pub operation: Value,
    /// New component schemas, by name.
    pub schemas: Vec<(String, Value)>,
    /// A tag to declare at the top level, when the spec does not have it.
    pub tag: Option<Value>,
    /// A security scheme to add, when the spec has none for the page's auth.
    pub scheme: Option<(String, Value)>,
}

/// What the draft needs to know of the spec it goes into.
pub struct Context<'a> {
    /// The spec as JSON.
    pub spec: &'a Value,
    /// Path prefix of the spec's first server (`/v1`), stripped from the page's path.
    pub server_prefix: String,
}

pub fn draft(page: &Page, context: &Context<'_>) -> Draft {
    let operation = &page.operation;
    let id = operation_id(page);
    let base = upper_camel(&id);
    let mut schemas: Vec<(String, Value)> = Vec::new();
    let mut op = Map::new();
    op.insert("operationId".into(), json!(id));
    if let Some(summary) = &operation.summary {
        op.insert("summary".into(), json!(summary));
    }
    if let Some(description) = &operation.description {
        // The site shows the summary where the spec has no description.
        if Some(description) != operation.summary.as_ref() {
            op.insert("description".into(), json!(description));
        }
    }
    let (tag, new_tag) = tag(page, context.spec);
    op.insert("tags".into(), json!([tag]));
    if operation.deprecated {
        op.insert("deprecated".into(), json!(true));
    }
    let (security, scheme) = security(operation, context.spec);
    if let Some(security) = security {
        op.insert("security".into(), security);
    }
    if !operation.params.is_empty() {
        let params: Vec<Value> = operation.params.iter().map(param).collect();
        op.insert("parameters".into(), Value::Array(params));
    }
    if let Some(body) = &operation.body {
        let schema = body_schema(body);
        let name = schema_name(context.spec, &schemas, &format!("{base}Request"), &schema);
        let reference = component(&mut schemas, name, schema);
        let mut request = Map::new();
        if let Some(description) = &body.description {
            request.insert("description".into(), json!(description));
        }
        request.insert("required".into(), json!(body.required));
        request.insert("content".into(), content(body, reference));
        op.insert("requestBody".into(), Value::Object(request));
    }
    let successes = operation
        .responses
        .iter()
        .filter(|r| r.status.starts_with('2'))
        .count();
    let mut responses = Map::new();
    for response in &operation.responses {
        let mut out = Map::new();
        out.insert(
            "description".into(),
            json!(response.description.clone().unwrap_or_default()),
        );
        if let Some(body) = &response.content {
            let schema = body_schema(body);
            let wanted = if successes == 1 && response.status.starts_with('2') {
                format!("{base}Response")
            } else {
                format!("{base}Response{}", response.status)
            };
            let name = schema_name(context.spec, &schemas, &wanted, &schema);
            let reference = component(&mut schemas, name, schema);
            out.insert("content".into(), content(body, reference));
        }
        responses.insert(response.status.clone(), Value::Object(out));
    }
    op.insert("responses".into(), Value::Object(responses));
    let path = operation
        .path
        .strip_prefix(&context.server_prefix)
        .filter(|p| p.starts_with('/'))
        .unwrap_or(&operation.path)
        .to_owned();
    Draft {
        path,
        method: operation.method.to_ascii_lowercase(),
        operation: Value::Object(op),
        schemas,
        tag: new_tag,
        scheme,
    }
}

/// The page's slug (`get-posts`), else its summary in kebab case.
pub fn operation_id(page: &Page) -> String {
    let source = page
        .slug
        .clone()
        .or_else(|| page.operation.summary.clone())
        .unwrap_or_else(|| format!("{} {}", page.operation.method, page.operation.path));
    let mut out = String::new();
    for c in source.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

fn upper_camel(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The page's section as a tag (`social-planner` is `Social Planner`), or the spec's tag of
/// that name; and the tag to declare when the spec has none.
fn tag(page: &Page, spec: &Value) -> (String, Option<Value>) {
    let category = page
        .category
        .clone()
        .unwrap_or_else(|| "default".to_owned());
    let wanted: String = category
        .split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .map(upper_camel)
        .collect::<Vec<_>>()
        .join(" ");
    let squash = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_lowercase()
    };
    let declared = spec
        .get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| t.get("name").and_then(Value::as_str));
    for name in declared {
        if squash(name) == squash(&wanted) {
            return (name.to_owned(), None);
        }
    }
    let new = json!({
        "name": wanted,
        "description": format!("Operations of the docs site's `{category}` section."),
    });
    (wanted, Some(new))
}

/// The operation's `security`, and a scheme to add when the spec has none that fits.
fn security(operation: &Operation, spec: &Value) -> (Option<Value>, Option<(String, Value)>) {
    let auth = &operation.auth;
    let has_global = spec.get("security").is_some();
    if auth.is_empty() {
        return (has_global.then(|| json!([])), None);
    }
    let schemes = spec
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object);
    let fits = |scheme: &Value| {
        let (methods, token_types) = crate::spec::auth_names(scheme);
        auth.methods.iter().all(|m| methods.contains(m))
            && auth.token_types.iter().all(|t| token_types.contains(t))
    };
    let found = schemes.and_then(|s| s.iter().find(|(_, scheme)| fits(scheme)));
    let (name, scheme) = match found {
        Some((name, _)) => (name.clone(), None),
        None => {
            let mut name = "bearer".to_owned();
            let mut n = 2;
            while schemes.is_some_and(|s| s.contains_key(&name)) {
                name = format!("bearer{n}");
                n += 1;
            }
            let description = format!(
                "A bearer token: {}, for a {}.",
                auth.methods.join(" or "),
                auth.token_types.join(" or ")
            );
            let scheme = json!({
                "type": "http",
                "scheme": "bearer",
                "description": description,
            });
            (name.clone(), Some((name, scheme)))
        }
    };
    (Some(json!([{ name: auth.scopes }])), scheme)
}

fn param(param: &Param) -> Value {
    let mut out = Map::new();
    out.insert("name".into(), json!(param.name));
    out.insert("in".into(), json!(param.location));
    if let Some(description) = &param.description {
        out.insert("description".into(), json!(description));
    }
    out.insert(
        "required".into(),
        json!(param.required || param.location == "path"),
    );
    if param.deprecated {
        out.insert("deprecated".into(), json!(true));
    }
    if let Some(example) = &param.example {
        out.insert("example".into(), typed(example, &param.ty));
    }
    let mut schema = type_schema(&param.ty);
    apply_values(&mut schema, &param.values, &param.ty);
    out.insert("schema".into(), Value::Object(schema));
    Value::Object(out)
}

fn content(body: &Body, schema: Value) -> Value {
    let mut media = Map::new();
    media.insert("schema".into(), schema);
    if let Some(example) = body.example.as_ref().or(body.auto_example.as_ref()) {
        media.insert("example".into(), example.clone());
    }
    let mut out = Map::new();
    for (index, name) in body.media_types.iter().enumerate() {
        let value = if index == 0 {
            Value::Object(media.clone())
        } else {
            json!({ "schema": media.get("schema").cloned().unwrap_or_default() })
        };
        out.insert(name.clone(), value);
    }
    if out.is_empty() {
        out.insert("application/json".into(), Value::Object(media));
    }
    Value::Object(out)
}

/// Adds `schema` under `name` (unless the spec already has it) and refers to it.
fn component(schemas: &mut Vec<(String, Value)>, name: Named, schema: Value) -> Value {
    let reference = json!({ "$ref": format!("#/components/schemas/{}", name.name) });
    if !name.existing {
        schemas.push((name.name, schema));
    }
    reference
}

struct Named {
    name: String,
    /// The spec already has this very schema under that name.
    existing: bool,
}

/// `wanted`, or an existing schema equal to `schema`, or `wanted2`, ... when taken.
fn schema_name(spec: &Value, drafted: &[(String, Value)], wanted: &str, schema: &Value) -> Named {
    let existing = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    if let Some((name, _)) = existing.and_then(|s| s.iter().find(|(_, v)| *v == schema)) {
        return Named {
            name: name.clone(),
            existing: true,
        };
    }
    let taken = |name: &str| {
        existing.is_some_and(|s| s.contains_key(name)) || drafted.iter().any(|(n, _)| n == name)
    };
    let mut name = wanted.to_owned();
    let mut n = 2;
    while taken(&name) {
        name = format!("{wanted}{n}");
        n += 1;
    }
    Named {
        name,
        existing: false,
    }
}

/// The schema of a body: its type, with the fields below it.
fn body_schema(body: &Body) -> Value {
    let mut ty = body.ty.clone();
    if ty.is_empty() && !body.fields.is_empty() {
        ty.base = Some("object".to_owned());
    }
    // A request body's own description goes on the request body, not its schema.
    Value::Object(schema_of(&ty, "", &body.fields, &body.variants))
}

/// A schema for type `ty` whose object part holds the fields under `path`.
fn schema_of(ty: &Type, path: &str, fields: &[Field], variants: &[Variants]) -> Map<String, Value> {
    if ty.array > 0 {
        let inner = Type {
            array: ty.array - 1,
            ..ty.clone()
        };
        let mut schema = Map::new();
        schema.insert("type".into(), json!("array"));
        let items = schema_of(&inner, &format!("{path}[]"), fields, variants);
        schema.insert("items".into(), Value::Object(items));
        return schema;
    }
    let mut schema = type_schema(ty);
    let children: Vec<&Field> = fields
        .iter()
        .filter(|f| parent_of(&f.path) == path)
        .collect();
    let group = variants.iter().find(|v| v.path == path);
    if children.is_empty() && group.is_none() {
        return schema;
    }
    if !schema.contains_key("type") {
        schema.insert("type".into(), json!("object"));
    }
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut additional = None;
    for child in children {
        let value = Value::Object(field_schema(child, fields, variants));
        if child.name == "property name*" {
            additional = Some(value);
            continue;
        }
        if child.required {
            required.push(json!(child.name));
        }
        properties.insert(child.name.clone(), value);
    }
    let object = |properties: Map<String, Value>, required: Vec<Value>| {
        let mut object = Map::new();
        object.insert("type".into(), json!("object"));
        if !required.is_empty() {
            object.insert("required".into(), Value::Array(required));
        }
        if !properties.is_empty() {
            object.insert("properties".into(), Value::Object(properties));
        }
        object
    };
    match group {
        Some(group) => {
            let mut arms = Vec::new();
            let mut rest = Some((properties, required));
            for label in &group.labels {
                let arm_type = crate::page::parse_type(label).filter(|t| !t.is_empty());
                match arm_type {
                    Some(t) if !t.is_object() => arms.push(Value::Object(type_schema(&t))),
                    _ => {
                        let (properties, required) = rest.take().unwrap_or_default();
                        arms.push(Value::Object(object(properties, required)));
                    }
                }
            }
            schema.remove("type");
            schema.insert(group.kind.clone(), Value::Array(arms));
        }
        None => {
            if !required.is_empty() {
                schema.insert("required".into(), Value::Array(required));
            }
            if !properties.is_empty() {
                schema.insert("properties".into(), Value::Object(properties));
            }
        }
    }
    if let Some(additional) = additional {
        schema.insert("additionalProperties".into(), additional);
    }
    schema
}

/// `a.b[].c` is under `a.b[]`; `a` under the body itself.
fn parent_of(path: &str) -> &str {
    let cut = path.rfind('.').unwrap_or(0);
    path.get(..cut).unwrap_or_default()
}

fn field_schema(field: &Field, fields: &[Field], variants: &[Variants]) -> Map<String, Value> {
    let mut schema = schema_of(&field.ty, &field.path, fields, variants);
    // Annotations go first, as a person writes them.
    let mut out = Map::new();
    if let Some(description) = &field.description {
        out.insert("description".into(), json!(description));
    }
    out.append(&mut schema);
    apply_values(&mut out, &field.values, &field.ty);
    if field.nullable {
        out.insert("nullable".into(), json!(true));
    }
    if field.deprecated {
        out.insert("deprecated".into(), json!(true));
    }
    if let Some(example) = &field.example {
        out.insert("example".into(), typed(example, &field.ty));
    }
    out
}

/// `type` and `format` of a scalar, an object without fields, or an array of them.
fn type_schema(ty: &Type) -> Map<String, Value> {
    let mut schema = Map::new();
    if ty.array > 0 {
        let inner = Type {
            array: ty.array - 1,
            ..ty.clone()
        };
        schema.insert("type".into(), json!("array"));
        schema.insert("items".into(), Value::Object(type_schema(&inner)));
        return schema;
    }
    match (&ty.base, &ty.format) {
        (Some(base), format) if base != "any" => {
            schema.insert("type".into(), json!(base));
            if let Some(format) = format {
                schema.insert("format".into(), json!(format));
            }
        }
        (_, Some(format)) => {
            let base = match format.as_str() {
                "int32" | "int64" => "integer",
                "float" | "double" => "number",
                _ => "string",
            };
            schema.insert("type".into(), json!(base));
            schema.insert("format".into(), json!(format));
        }
        _ => {}
    }
    schema
}

/// The scalar type an array holds, or the type itself.
fn scalar_base(ty: &Type) -> &str {
    match (&ty.base, &ty.format) {
        (Some(base), _) => base,
        (None, Some(format)) if matches!(format.as_str(), "int32" | "int64") => "integer",
        (None, Some(format)) if matches!(format.as_str(), "float" | "double") => "number",
        _ => "string",
    }
}

/// `enum`, `default` and the constraints the page prints, where the spec puts them.
fn apply_values(schema: &mut Map<String, Value>, values: &Values, ty: &Type) {
    let array = ty.array > 0;
    if !values.allowed.is_empty() {
        let allowed: Vec<Value> = values
            .allowed
            .iter()
            .map(|v| typed(&Value::String(v.clone()), ty))
            .collect();
        let target = if array {
            schema.get_mut("items").and_then(Value::as_object_mut)
        } else {
            Some(&mut *schema)
        };
        if let Some(target) = target {
            target.insert("enum".into(), Value::Array(allowed));
        }
    }
    for constraint in &values.constraints {
        let (key, value) = constraint_keyword(constraint, array);
        if let Some(key) = key {
            let number = value
                .as_deref()
                .and_then(|v| v.parse::<f64>().ok())
                .and_then(|n| {
                    if n.fract() == 0.0 {
                        Some(json!(n as i64))
                    } else {
                        serde_json::Number::from_f64(n).map(Value::Number)
                    }
                });
            match key {
                "pattern" => {
                    schema.insert("pattern".into(), json!(value.unwrap_or_default()));
                }
                "exclusiveMinimum" | "exclusiveMaximum" => {
                    let bound = if key == "exclusiveMinimum" {
                        "minimum"
                    } else {
                        "maximum"
                    };
                    if let Some(number) = number {
                        schema.insert(bound.into(), number);
                        schema.insert(key.into(), json!(true));
                    }
                }
                _ => {
                    if let Some(number) = number {
                        schema.insert(key.into(), number);
                    }
                }
            }
        }
    }
    if let Some(default) = &values.default {
        schema.insert("default".into(), typed(default, ty));
    }
}

/// The keyword a printed constraint stands for, and its operand.
fn constraint_keyword(text: &str, array: bool) -> (Option<&'static str>, Option<String>) {
    if let Some(pattern) = text.strip_prefix("Value must match regular expression ") {
        return (Some("pattern"), Some(pattern.trim().to_owned()));
    }
    if text == "non-empty" {
        return (Some("minLength"), Some("1".to_owned()));
    }
    let (op, rest) = match text.split_once(' ') {
        Some(parts) => parts,
        None => return (None, None),
    };
    let (operand, characters) = match rest.strip_suffix(" characters") {
        Some(operand) => (operand, true),
        None => (rest, false),
    };
    let key = match (op, characters, array) {
        (">=", true, _) => "minLength",
        ("<=", true, _) => "maxLength",
        (">=", false, true) => "minItems",
        ("<=", false, true) => "maxItems",
        (">=", false, false) => "minimum",
        ("<=", false, false) => "maximum",
        (">", false, false) => "exclusiveMinimum",
        ("<", false, false) => "exclusiveMaximum",
        _ => return (None, None),
    };
    (Some(key), Some(operand.trim().to_owned()))
}

/// A value the page printed as text, typed as the schema is: `100` for a number.
fn typed(value: &Value, ty: &Type) -> Value {
    let Value::String(text) = value else {
        // The page printed JSON: keep strings strings for a string schema.
        return match (scalar_base(ty), value) {
            ("string", Value::Number(n)) if ty.array == 0 => Value::String(n.to_string()),
            ("string", Value::Bool(b)) if ty.array == 0 => Value::String(b.to_string()),
            _ => value.clone(),
        };
    };
    match scalar_base(ty) {
        "number" | "integer" | "boolean" if ty.array == 0 => {
            serde_json::from_str::<Value>(text).unwrap_or_else(|_| value.clone())
        }
        _ => value.clone(),
    }
}
