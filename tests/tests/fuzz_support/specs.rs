//! Specs made up from scratch by proptest: paths with every parameter location and style,
//! bodies of every media type the generator tells apart, responses by status, range and
//! `default`, and component schemas that nest objects, arrays, maps, enums, `oneOf`/`anyOf`
//! (with and without a discriminator) and `allOf`, referring to each other (loops included),
//! under names that collide after conversion or are Rust keywords. Most are valid, so they
//! reach every stage; some have a piece of YAML or JSON spliced into their text.

use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Names chosen to collide after case conversion, shadow what generated code uses, or need
/// escaping.
const NAMES: &[&str] = &[
    "Pet",
    "pet",
    "PET",
    "pet_2",
    "Pet2",
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "match",
    "async",
    "r#type",
    "Result",
    "Option",
    "String",
    "Box",
    "Vec",
    "Client",
    "Error",
    "Response",
    "Upload",
    "send",
    "new",
    "default",
    "id",
    "_id",
    "__id",
    "123",
    "1st",
    "a-b",
    "a b",
    "a.b",
    "x-y_z",
    "Ünïcödé",
    "日本",
    "_",
    "-",
];

/// The component schemas every made-up spec defines (and refers to, so loops form).
const COMPONENTS: &[&str] = &["Pet", "pet", "Owner", "Result", "type"];

fn name() -> impl Strategy<Value = String> {
    prop::sample::select(NAMES).prop_map(str::to_owned)
}

fn reference_to(components: &'static [&'static str]) -> impl Strategy<Value = Value> {
    prop::sample::select(components)
        .prop_map(|c| json!({"$ref": format!("#/components/schemas/{}", c.replace('/', "~1"))}))
}

fn reference() -> impl Strategy<Value = Value> {
    reference_to(COMPONENTS)
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!({"type": "string"})),
        prop::sample::select(&["date-time", "date", "uuid", "byte", "binary", "email"][..])
            .prop_map(|f| json!({"type": "string", "format": f})),
        prop::collection::vec(name(), 1..4)
            .prop_map(|values| json!({"type": "string", "enum": values})),
        Just(json!({"type": "integer", "format": "int32"})),
        Just(json!({"type": "integer", "enum": [1, 2, 3]})),
        Just(json!({"type": "number", "minimum": 0})),
        Just(json!({"type": "boolean"})),
        Just(json!({})),
        Just(json!({"type": "object"})),
        Just(json!({"type": "string", "nullable": true})),
    ]
}

/// An object with `properties` of `value`, some required, maybe `additionalProperties`.
fn object(value: BoxedStrategy<Value>) -> impl Strategy<Value = Value> {
    (
        prop::collection::btree_map(name(), value.clone(), 0..5),
        any::<u8>(),
        prop::option::of(prop_oneof![Just(json!(true)), value]),
        any::<bool>(),
    )
        .prop_map(|(properties, required, additional, nullable)| {
            let required: Vec<&String> = properties
                .keys()
                .enumerate()
                .filter(|(i, _)| required >> (i % 8) & 1 == 1)
                .map(|(_, k)| k)
                .collect();
            let mut object = json!({"type": "object", "properties": properties});
            if !required.is_empty() {
                object["required"] = json!(required);
            }
            if let Some(additional) = additional {
                object["additionalProperties"] = additional;
            }
            if nullable {
                object["nullable"] = json!(true);
            }
            object
        })
}

/// A schema held by a property, an array or a map: it may refer to any component, itself
/// included (recursion through a container is allowed).
fn contained() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![3 => scalar(), 1 => reference()];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            object(inner.clone()),
            inner
                .clone()
                .prop_map(|items| json!({"type": "array", "items": items})),
            (
                prop::sample::select(&["oneOf", "anyOf"][..]),
                prop::collection::vec(inner, 1..4),
            )
                .prop_map(|(key, members)| json!({ key: members })),
        ]
    })
    .boxed()
}

/// A schema anywhere else (a parameter, a body): it may refer to any component.
fn schema() -> BoxedStrategy<Value> {
    contained()
}

/// The schema of component `index`: its `allOf`, `oneOf` and `anyOf` members, and a bare
/// `$ref`, refer only to the components after it, so no schema includes itself (which the
/// generator rightly refuses); through properties and items it may refer to any.
fn component(index: usize) -> BoxedStrategy<Value> {
    let later: &'static [&'static str] = &COMPONENTS[index + 1..];
    let member = if later.is_empty() {
        prop_oneof![scalar(), object(contained().boxed())].boxed()
    } else {
        prop_oneof![
            2 => reference_to(later),
            1 => scalar(),
            1 => object(contained()),
        ]
        .boxed()
    };
    let mut choices: Vec<(u32, BoxedStrategy<Value>)> = vec![
        (2, scalar().boxed()),
        (4, object(contained()).boxed()),
        (
            1,
            contained()
                .prop_map(|items| json!({"type": "array", "items": items}))
                .boxed(),
        ),
        (
            2,
            (
                prop::sample::select(&["oneOf", "anyOf", "allOf"][..]),
                prop::collection::vec(member.clone(), 1..4),
            )
                .prop_map(|(key, members)| json!({ key: members }))
                .boxed(),
        ),
    ];
    if !later.is_empty() {
        choices.push((1, reference_to(later).boxed()));
        choices.push((
            1,
            (prop::collection::vec(reference_to(later), 1..3), name())
                .prop_map(|(members, tag)| {
                    json!({"oneOf": members, "discriminator": {"propertyName": tag}})
                })
                .boxed(),
        ));
        choices.push((
            1,
            (reference_to(later), object(contained()))
                .prop_map(|(parent, own)| json!({"allOf": [parent, own]}))
                .boxed(),
        ));
    }
    prop::strategy::Union::new_weighted(choices).boxed()
}

/// A parameter's schema: a scalar, an array of scalars, or a flat object (OpenAPI serializes
/// no deeper).
fn parameter_schema() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => scalar(),
        1 => scalar().prop_map(|items| json!({"type": "array", "items": items})),
        1 => object(scalar().boxed()),
    ]
}

/// Each location with a style it allows (OpenAPI 3.0.3, "Style Values"), or none.
const PLACES: &[(&str, Option<&str>)] = &[
    ("query", None),
    ("query", Some("form")),
    ("query", Some("spaceDelimited")),
    ("query", Some("pipeDelimited")),
    ("header", None),
    ("header", Some("simple")),
    ("cookie", None),
    ("cookie", Some("form")),
];

fn parameter() -> impl Strategy<Value = Value> {
    (
        name(),
        prop::sample::select(PLACES),
        any::<bool>(),
        prop::option::of(any::<bool>()),
        parameter_schema(),
    )
        .prop_map(|(name, (place, style), required, explode, schema)| {
            let mut parameter =
                json!({"name": name, "in": place, "required": required, "schema": schema});
            if let Some(style) = style {
                parameter["style"] = json!(style);
            }
            if let Some(explode) = explode {
                parameter["explode"] = json!(explode);
            }
            parameter
        })
}

fn content() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(
            &[
                "application/json",
                "application/x-www-form-urlencoded",
                "multipart/form-data",
                "text/plain",
                "application/octet-stream",
                "application/problem+json",
                "*/*",
            ][..],
        ),
        schema(),
    )
        .prop_map(|(media, schema)| json!({ media: {"schema": schema} }))
}

fn operation(path_parameters: Vec<String>) -> impl Strategy<Value = Value> {
    (
        prop::option::of(name()),
        prop::collection::vec(parameter(), 0..4),
        prop::option::of((content(), any::<bool>())),
        prop::collection::btree_map(
            prop::sample::select(&["200", "201", "204", "400", "404", "4XX", "500", "default"][..]),
            prop::option::of(content()),
            1..4,
        ),
        prop::option::of(prop_oneof![Just(json!([])), Just(json!([{"bearer": []}]))]),
    )
        .prop_map(move |(id, mut parameters, body, responses, security)| {
            for name in &path_parameters {
                parameters.push(json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}));
            }
            let responses: Map<String, Value> = responses
                .into_iter()
                .map(|(status, content)| {
                    let mut response = json!({"description": "d"});
                    if let Some(content) = content {
                        response["content"] = content;
                    }
                    (status.to_owned(), response)
                })
                .collect();
            let mut operation = json!({"parameters": parameters, "responses": responses});
            if let Some(id) = id {
                operation["operationId"] = json!(id);
            }
            if let Some((content, required)) = body {
                operation["requestBody"] = json!({"content": content, "required": required});
            }
            if let Some(security) = security {
                operation["security"] = security;
            }
            operation
        })
}

/// Paths, each with the names of its template variables.
const PATHS: &[(&str, &[&str])] = &[
    ("/pets", &[]),
    ("/pets/{id}", &["id"]),
    ("/a/{type}/b/{self}", &["type", "self"]),
    ("/{Pet}", &["Pet"]),
    ("/items/{item-id}.json", &["item-id"]),
];

fn path_item() -> impl Strategy<Value = (String, Value)> {
    (
        prop::sample::select(PATHS),
        prop::collection::btree_map(
            prop::sample::select(&["get", "post", "put", "delete", "patch"][..]),
            Just(()),
            1..3,
        ),
    )
        .prop_flat_map(|((path, variables), methods)| {
            let variables: Vec<String> = variables.iter().map(|v| (*v).to_owned()).collect();
            let operations: Vec<_> = methods
                .keys()
                .map(|m| (Just((*m).to_owned()), operation(variables.clone())))
                .collect();
            (Just(path.to_owned()), operations)
        })
        .prop_map(|(path, operations)| {
            let item: Map<String, Value> = operations.into_iter().collect();
            (path, Value::Object(item))
        })
}

/// A whole made-up spec, as a value.
pub fn spec() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(&["3.0.3", "3.0.0", "3.1.0"][..]),
        prop::collection::vec(path_item(), 0..4),
        (0..COMPONENTS.len()).map(component).collect::<Vec<_>>(),
    )
        .prop_map(|(version, paths, schemas)| {
            let mut paths: Map<String, Value> = paths.into_iter().collect();
            // Two operations with one id is an error by design; ids that collide only after
            // conversion (`pet`, `Pet`) stay, to be told apart.
            let mut ids = std::collections::BTreeSet::new();
            for item in paths.values_mut() {
                for operation in item
                    .as_object_mut()
                    .into_iter()
                    .flat_map(|i| i.values_mut())
                {
                    let id = operation.get("operationId").map(Value::to_string);
                    if let (Some(id), Some(operation)) = (id, operation.as_object_mut()) {
                        if !ids.insert(id) {
                            operation.remove("operationId");
                        }
                    }
                }
            }
            let schemas: Map<String, Value> = COMPONENTS
                .iter()
                .map(|c| (*c).to_owned())
                .zip(schemas)
                .collect();
            json!({
                "openapi": version,
                "info": {"title": "Made up", "version": "1.0.0"},
                "servers": [{"url": "https://api.example.test/v1"}],
                "paths": paths,
                "components": {
                    "schemas": schemas,
                    "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}
                }
            })
        })
}

/// A made-up spec as text (`json` picks JSON or YAML), with `splices` (a line number and a
/// piece of text) inserted at line starts.
pub fn text(spec: &Value, json: bool, splices: &[(usize, &str)]) -> (&'static str, String) {
    let (name, text) = if json {
        (
            "spec.json",
            serde_json::to_string_pretty(spec).unwrap_or_default(),
        )
    } else {
        ("spec.yaml", serde_yaml::to_string(spec).unwrap_or_default())
    };
    if splices.is_empty() {
        return (name, text);
    }
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for (at, piece) in splices {
        let at = at % (lines.len() + 1);
        lines.insert(at, piece.trim_end_matches('\n').to_owned());
    }
    (name, lines.join("\n"))
}
