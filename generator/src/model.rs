//! The OpenAPI object model, as far as `$ref`s go: which fields of which object hold other
//! objects, and so where a Reference Object can stand.
//!
//! A walk follows the model from a known object (the document, or whatever a `$ref` points
//! at) and never looks inside literal values: `example`, `examples`' `value`, `default`,
//! `enum`, `const`, `x-` extensions, a Link's `parameters`. A `$ref` key there is data, not a
//! reference (a JSON Schema stored as an example, say), so it is never followed or rewritten.
//! Every stage that looks for references (loading, bundling, the loop checks) walks this way.
//!
//! The model is OpenAPI 3.0's, with the fields OpenAPI 3.1 (JSON Schema 2020-12) and Swagger
//! 2.0 add: walking a field a document does not use costs nothing.

use serde_json::Value;

use crate::diag::{Cursor, unescape};

/// The objects of the model that hold other objects or may be a Reference Object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Object {
    Document,
    Paths,
    Components,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    MediaType,
    Encoding,
    Responses,
    Response,
    Header,
    Example,
    Link,
    Callback,
    Schema,
    SecurityScheme,
}

/// How a field holds its objects.
#[derive(Clone, Copy)]
enum Shape {
    /// One object (or, where a list is written instead, each of its items).
    One,
    /// A map of names to objects.
    Map,
    /// A list of objects.
    List,
}

/// The fields of `object` that hold other objects.
fn fields(object: Object) -> &'static [(&'static str, Shape, Object)] {
    use Object as O;
    use Shape::{List, Map, One};
    match object {
        O::Document => &[
            ("paths", One, O::Paths),
            ("components", One, O::Components),
            ("webhooks", Map, O::PathItem),
            // Swagger 2.0.
            ("definitions", Map, O::Schema),
            ("parameters", Map, O::Parameter),
            ("responses", Map, O::Response),
        ],
        O::Components => &[
            ("schemas", Map, O::Schema),
            ("responses", Map, O::Response),
            ("parameters", Map, O::Parameter),
            ("examples", Map, O::Example),
            ("requestBodies", Map, O::RequestBody),
            ("headers", Map, O::Header),
            ("securitySchemes", Map, O::SecurityScheme),
            ("links", Map, O::Link),
            ("callbacks", Map, O::Callback),
            ("pathItems", Map, O::PathItem),
        ],
        O::PathItem => &[
            ("get", One, O::Operation),
            ("put", One, O::Operation),
            ("post", One, O::Operation),
            ("delete", One, O::Operation),
            ("options", One, O::Operation),
            ("head", One, O::Operation),
            ("patch", One, O::Operation),
            ("trace", One, O::Operation),
            ("parameters", List, O::Parameter),
        ],
        O::Operation => &[
            ("parameters", List, O::Parameter),
            ("requestBody", One, O::RequestBody),
            ("responses", One, O::Responses),
            ("callbacks", Map, O::Callback),
        ],
        O::Parameter | O::Header => &[
            ("schema", One, O::Schema),
            ("content", Map, O::MediaType),
            ("examples", Map, O::Example),
            // Swagger 2.0's `items` of a non-body parameter.
            ("items", One, O::Schema),
        ],
        O::RequestBody => &[("content", Map, O::MediaType)],
        O::MediaType => &[
            ("schema", One, O::Schema),
            ("examples", Map, O::Example),
            ("encoding", Map, O::Encoding),
        ],
        O::Encoding => &[("headers", Map, O::Header)],
        O::Response => &[
            ("headers", Map, O::Header),
            ("content", Map, O::MediaType),
            ("links", Map, O::Link),
            // Swagger 2.0.
            ("schema", One, O::Schema),
        ],
        O::Schema => &[
            ("allOf", List, O::Schema),
            ("oneOf", List, O::Schema),
            ("anyOf", List, O::Schema),
            ("not", One, O::Schema),
            ("items", One, O::Schema),
            ("additionalProperties", One, O::Schema),
            ("properties", Map, O::Schema),
            // JSON Schema, as OpenAPI 3.1 has it.
            ("prefixItems", List, O::Schema),
            ("contains", One, O::Schema),
            ("if", One, O::Schema),
            ("then", One, O::Schema),
            ("else", One, O::Schema),
            ("propertyNames", One, O::Schema),
            ("unevaluatedItems", One, O::Schema),
            ("unevaluatedProperties", One, O::Schema),
            ("contentSchema", One, O::Schema),
            ("patternProperties", Map, O::Schema),
            ("dependentSchemas", Map, O::Schema),
            ("$defs", Map, O::Schema),
            ("definitions", Map, O::Schema),
        ],
        // Their other fields are literal values or plain strings.
        O::Paths | O::Responses | O::Callback => &[],
        O::Example | O::Link | O::SecurityScheme => &[],
    }
}

/// Objects whose fields are patterned (every key but `x-` extensions names a child): the
/// paths of a Paths Object or a Callback, the statuses of a Responses Object.
fn patterned(object: Object) -> Option<Object> {
    match object {
        Object::Paths | Object::Callback => Some(Object::PathItem),
        Object::Responses => Some(Object::Response),
        _ => None,
    }
}

/// A Reference Object met in a walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The JSON pointer of the object holding `$ref`, relative to where the walk started.
    pub pointer: String,
    /// The `$ref` value as written.
    pub target: String,
    /// The object the reference stands for, by its place.
    pub object: Object,
    /// A discriminator `mapping` value (a string naming a schema) rather than a Reference
    /// Object; `pointer` is then the mapping entry's.
    pub mapping: bool,
}

/// Walks deeper than this are cut short; no real document nests so far, and the parsers
/// refuse much deeper ones.
const MAX_DEPTH: usize = 256;

/// Every Reference Object in `value`, which is an `object`, in document order. A Reference
/// Object is not walked into (OpenAPI 3.0 ignores a `$ref`'s siblings).
pub fn references(value: &Value, object: Object) -> Vec<Reference> {
    let mut out = Vec::new();
    walk(value, object, &mut Cursor::default(), &mut out, 0);
    out
}

fn walk(value: &Value, object: Object, at: &mut Cursor, out: &mut Vec<Reference>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let map = match value {
        Value::Object(map) => map,
        // A list where one object belongs (`items: [...]` in older JSON Schema): each item.
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let mark = at.push_index(i);
                walk(item, object, at, out, depth + 1);
                at.pop(mark);
            }
            return;
        }
        _ => return,
    };
    if let Some(Value::String(target)) = map.get("$ref") {
        out.push(Reference {
            pointer: at.as_str().to_owned(),
            target: target.clone(),
            object,
            mapping: false,
        });
        return;
    }
    if object == Object::Schema {
        let mapping = map.get("discriminator").and_then(|d| d.get("mapping"));
        if let Some(Value::Object(mapping)) = mapping {
            for (value, target) in mapping {
                let Value::String(target) = target else {
                    continue;
                };
                if is_schema_name(target) {
                    continue;
                }
                let mark = at.push("discriminator");
                let inner = at.push("mapping");
                let entry = at.push(value);
                out.push(Reference {
                    pointer: at.as_str().to_owned(),
                    target: target.clone(),
                    object: Object::Schema,
                    mapping: true,
                });
                at.pop(entry);
                at.pop(inner);
                at.pop(mark);
            }
        }
    }
    if let Some(child) = patterned(object) {
        for (key, value) in map {
            if key.starts_with("x-") {
                continue;
            }
            let mark = at.push(key);
            walk(value, child, at, out, depth + 1);
            at.pop(mark);
        }
        return;
    }
    // In document order, so diagnostics come out in the order a reader meets them.
    for (field, value) in map {
        let Some((_, shape, child)) = fields(object).iter().find(|(f, _, _)| f == field) else {
            continue;
        };
        let mark = at.push(field);
        match (shape, value) {
            (Shape::Map, Value::Object(entries)) => {
                for (name, entry) in entries {
                    let mark = at.push(name);
                    walk(entry, *child, at, out, depth + 1);
                    at.pop(mark);
                }
            }
            (Shape::One | Shape::List, _) => walk(value, *child, at, out, depth + 1),
            (Shape::Map, _) => {}
        }
        at.pop(mark);
    }
}

/// The value a `$ref` fragment (`/components/schemas/Pet`, without the `#`) names in
/// `document`, and the fragment as a plain JSON pointer. A fragment is a URI fragment, so
/// it may be percent-encoded (`/paths/~1pets~1%7Bid%7D`); the raw form is tried first.
pub fn lookup<'v>(document: &'v Value, fragment: &str) -> Option<(&'v Value, String)> {
    if let Some(found) = document.pointer(fragment) {
        return Some((found, fragment.to_owned()));
    }
    let decoded = percent_decode(fragment)?;
    document.pointer(&decoded).map(|found| (found, decoded))
}

/// `%XX` escapes decoded; `None` when there are none or they do not make UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return None;
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Whether a discriminator `mapping` value is a schema's name (`Dog`) rather than a reference
/// (`#/components/schemas/Dog`, `dog.yaml`): no `#`, no `/`, no file extension.
fn is_schema_name(target: &str) -> bool {
    !target.contains(['#', '/'])
        && ![".json", ".yaml", ".yml"]
            .iter()
            .any(|extension| target.to_ascii_lowercase().ends_with(extension))
}

/// The component a fragment names, when it is `/components/<kind>/<name>`: kind and name.
pub fn component(fragment: &str) -> Option<(&str, String)> {
    let rest = fragment.strip_prefix("/components/")?;
    let (kind, name) = rest.split_once('/')?;
    (!name.contains('/')).then(|| (kind, unescape(name)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pointers(value: &Value) -> Vec<(String, Object)> {
        references(value, Object::Document)
            .into_iter()
            .map(|r| (r.pointer, r.object))
            .collect()
    }

    #[test]
    fn literal_values_are_not_walked() {
        let document = json!({
            "paths": {
                "/a": {
                    "x-extension": {"$ref": "remote://nowhere"},
                    "get": {
                        "parameters": [{"$ref": "#/components/parameters/P"}],
                        "responses": {
                            "200": {
                                "description": "ok",
                                "content": {"application/json": {
                                    "schema": {"$ref": "#/components/schemas/S"},
                                    "example": {"$ref": "not/a/reference"},
                                    "examples": {"e": {"value": {"$ref": "data"}}}
                                }},
                                "links": {"l": {"operationId": "x", "parameters": {"p": {"$ref": "data"}}}}
                            },
                            "x-more": {"$ref": "data"}
                        }
                    }
                }
            },
            "components": {"schemas": {"S": {
                "type": "object",
                "default": {"$ref": "data"},
                "enum": [{"$ref": "data"}],
                "properties": {
                    "$ref": {"type": "string"},
                    "default": {"$ref": "#/components/schemas/T"},
                    "example": {"items": {"$ref": "#/components/schemas/T"}}
                }
            }}}
        });
        assert_eq!(
            pointers(&document),
            [
                ("/paths/~1a/get/parameters/0".to_owned(), Object::Parameter),
                (
                    "/paths/~1a/get/responses/200/content/application~1json/schema".to_owned(),
                    Object::Schema
                ),
                (
                    "/components/schemas/S/properties/default".to_owned(),
                    Object::Schema
                ),
                (
                    "/components/schemas/S/properties/example/items".to_owned(),
                    Object::Schema
                ),
            ]
        );
    }

    #[test]
    fn fragments_may_be_percent_encoded() {
        let document = json!({"paths": {"/pets/{id}": {"get": {}}}});
        let (_, plain) = lookup(&document, "/paths/~1pets~1%7Bid%7D").unwrap();
        assert_eq!(plain, "/paths/~1pets~1{id}");
        assert!(lookup(&document, "/paths/~1cats").is_none());
    }
}
