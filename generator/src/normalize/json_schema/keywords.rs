//! The keywords of JSON Schema 2020-12 that have another form in OpenAPI 3.0, one function
//! each; [`super`] walks the schemas and calls them.

use serde_json::{Map, Value, json};

use super::{
    ARRAY_KEYWORDS, At, Children, Converter, MAX_TUPLE, NUMBER_KEYWORDS, OBJECT_KEYWORDS,
    STRING_KEYWORDS, TUPLE, path,
};
use crate::normalize::{Normalizer, join};

impl Converter {
    /// `type` as a list, or `"null"`.
    pub(super) fn types(
        &mut self,
        n: &mut Normalizer<'_, '_>,
        map: &mut Map<String, Value>,
        at: &At<'_>,
        children: &mut Children,
    ) {
        let declared = match map.get("type") {
            Some(Value::String(t)) if t == "null" => Vec::new(),
            // No type at all: any value.
            Some(Value::Array(list)) if list.is_empty() => {
                map.shift_remove("type");
                return;
            }
            Some(Value::Array(list)) => list.clone(),
            _ => return,
        };
        let type_at = join(&at.orig, "type");
        let null = declared.is_empty() || declared.iter().any(|t| t == "null");
        let mut names: Vec<(usize, Value)> = Vec::new();
        for (i, t) in declared.iter().enumerate() {
            if t != "null" && !names.iter().any(|(_, seen)| seen == t) {
                names.push((i, t.clone()));
            }
        }
        map.shift_remove("type");
        if null {
            map.insert("nullable".to_owned(), Value::Bool(true));
            n.moved(at.file, &join(&at.new, "nullable"), &type_at);
        }
        // Members are tried in order: a whole number must meet `integer` before `number`.
        if let (Some(i), Some(n)) = (
            names.iter().position(|(_, t)| t == "integer"),
            names.iter().position(|(_, t)| t == "number"),
        ) {
            if n < i {
                names.swap(i, n);
            }
        }
        // An enum decides which types are left: a type none of its values has is dropped.
        if let Some(Value::Array(values)) = map.get("enum") {
            names.retain(|(_, t)| {
                values
                    .iter()
                    .any(|v| fits(v, t.as_str().unwrap_or_default()))
            });
        }
        match names.as_slice() {
            [] => {
                if declared.is_empty() || declared.iter().all(|t| t == "null") {
                    n.warn(
                        at.file,
                        &type_at,
                        "`type: null` alone says the value is always null, which has no Rust type of its own; it is kept as `serde_json::Value`",
                        "describe the value it takes when it is not null, with `type: [T, 'null']`",
                    );
                }
            }
            [(i, only)] => {
                map.insert("type".to_owned(), only.clone());
                n.moved(
                    at.file,
                    &join(&at.new, "type"),
                    &join(&type_at, &i.to_string()),
                );
            }
            several => {
                if map.contains_key("oneOf") || map.contains_key("anyOf") {
                    n.warn(
                        at.file,
                        &type_at,
                        "a list of types beside `oneOf` or `anyOf` cannot be one Rust type; the `type` list is ignored",
                        "move the types into the `oneOf` members",
                    );
                    return;
                }
                let members: Vec<Value> = several
                    .iter()
                    .map(|(_, t)| Value::Object(member(map, t.as_str().unwrap_or_default())))
                    .collect();
                for keyword in STRING_KEYWORDS
                    .iter()
                    .chain(NUMBER_KEYWORDS)
                    .chain(ARRAY_KEYWORDS)
                    .chain(OBJECT_KEYWORDS)
                    .chain(&["format", "enum"])
                {
                    map.shift_remove(*keyword);
                }
                for i in 0..members.len() {
                    // Each member holds keywords written on the schema itself.
                    children.insert(path(&["oneOf", &i.to_string()]), at.orig.clone());
                }
                map.insert("oneOf".to_owned(), Value::Array(members));
            }
        }
    }

    /// Numeric `exclusiveMinimum`/`exclusiveMaximum` (JSON Schema) as the 3.0 pair.
    pub(super) fn bounds(
        &mut self,
        n: &mut Normalizer<'_, '_>,
        map: &mut Map<String, Value>,
        at: &At<'_>,
    ) {
        for (exclusive, inclusive) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            let Some(Value::Number(bound)) = map.get(exclusive).cloned() else {
                continue;
            };
            let lower = exclusive == "exclusiveMinimum";
            let stricter = match map.get(inclusive).and_then(Value::as_f64) {
                Some(existing) => {
                    let b = bound.as_f64().unwrap_or_default();
                    if lower { b >= existing } else { b <= existing }
                }
                None => true,
            };
            if stricter {
                map.insert(inclusive.to_owned(), Value::Number(bound));
                map.insert(exclusive.to_owned(), Value::Bool(true));
                n.moved(
                    at.file,
                    &join(&at.new, inclusive),
                    &join(&at.orig, exclusive),
                );
            } else {
                map.shift_remove(exclusive);
            }
        }
    }

    /// `prefixItems`: a tuple when its length is fixed, else a list of any value.
    pub(super) fn tuple(
        &mut self,
        n: &mut Normalizer<'_, '_>,
        map: &mut Map<String, Value>,
        at: &At<'_>,
        children: &mut Children,
    ) {
        // Draft 2019 and before wrote the tuple as a list under `items`.
        let (keyword, rest_keyword) = match map.get("items") {
            Some(Value::Array(_)) => ("items", "additionalItems"),
            _ => ("prefixItems", "items"),
        };
        let Some(Value::Array(members)) = map.get(keyword).cloned() else {
            if map.get("items") == Some(&Value::Bool(false)) {
                // No items at all: an empty list.
                map.shift_remove("items");
            }
            map.shift_remove("unevaluatedItems");
            return;
        };
        let rest = map
            .get(rest_keyword)
            .or_else(|| map.get("unevaluatedItems"))
            .cloned();
        let count = members.len();
        let number = |k: &str| map.get(k).and_then(Value::as_u64).map(|v| v as usize);
        let closed =
            rest == Some(Value::Bool(false)) || number("maxItems").is_some_and(|m| m <= count);
        let full = number("minItems").is_some_and(|m| m >= count);
        for k in [keyword, rest_keyword, "unevaluatedItems", "additionalItems"] {
            map.shift_remove(k);
        }
        map.insert("type".to_owned(), Value::String("array".to_owned()));
        let written = join(&at.orig, keyword);
        if closed && full && (1..=MAX_TUPLE).contains(&count) {
            for i in 0..count {
                let index = i.to_string();
                children.insert(path(&["items", "anyOf", &index]), join(&written, &index));
            }
            map.insert("items".to_owned(), json!({ "anyOf": members }));
            map.insert(TUPLE.to_owned(), Value::Bool(true));
            n.moved(at.file, &join(&at.new, "items"), &written);
            n.moved(at.file, &join(&at.new, TUPLE), &written);
            return;
        }
        let why = if count > MAX_TUPLE {
            format!("a tuple of {count} items is longer than the {MAX_TUPLE} Rust's traits cover")
        } else {
            format!("`{keyword}` describes a tuple whose length is not fixed at {count}")
        };
        n.warn(
            at.file,
            &written,
            format!("{why}; the array is kept as a list of `serde_json::Value`"),
            format!("to make it a Rust tuple, give it `minItems: {count}` and `items: false` (or `maxItems: {count}`)"),
        );
    }

    /// `if`/`then`/`else` and `dependentSchemas`: their properties join the schema's, optional.
    pub(super) fn conditions(
        &mut self,
        n: &mut Normalizer<'_, '_>,
        map: &mut Map<String, Value>,
        at: &At<'_>,
        children: &mut Children,
    ) {
        let mut sources: Vec<(Value, String)> = Vec::new();
        let conditional = ["if", "then", "else"].iter().any(|k| map.contains_key(*k));
        if conditional {
            let where_at = ["if", "then", "else"]
                .iter()
                .find(|k| map.contains_key(**k))
                .map(|k| join(&at.orig, k))
                .unwrap_or_default();
            for keyword in ["then", "else"] {
                if let Some(value) = map.get(keyword) {
                    sources.push((value.clone(), join(&at.orig, keyword)));
                }
            }
            n.warn(
                at.file,
                &where_at,
                "`if`/`then`/`else` has no Rust form: the properties `then` and `else` name are added as optional fields, and the condition is not checked",
                "to have the types tell the cases apart, describe them as `oneOf` members",
            );
            for keyword in ["if", "then", "else"] {
                map.shift_remove(keyword);
            }
        }
        if let Some(Value::Object(dependent)) = map.shift_remove("dependentSchemas") {
            let written = join(&at.orig, "dependentSchemas");
            for (key, value) in dependent {
                sources.push((value, join(&written, &key)));
            }
            n.warn(
                at.file,
                &written,
                "`dependentSchemas` has no Rust form: the properties they name are added as optional fields, and the dependencies are not checked",
                "describe the cases as `oneOf` members if the types should tell them apart",
            );
        }
        for (source, written) in sources {
            let Some(Value::Object(properties)) = source.get("properties") else {
                continue;
            };
            let target = map
                .entry("properties")
                .or_insert_with(|| Value::Object(Map::new()));
            let Value::Object(target) = target else {
                continue;
            };
            for (key, property) in properties {
                if !target.contains_key(key) {
                    target.insert(key.clone(), property.clone());
                    let orig = join(&join(&written, "properties"), key);
                    children.insert(vec!["properties".to_owned(), key.clone()], orig);
                }
            }
        }
    }
}

/// `$ref` with siblings: `allOf: [{$ref}]` beside them, where OpenAPI 3.0 would ignore them.
pub(super) fn wrap_reference(
    map: &mut Map<String, Value>,
    reference: String,
    at: &At<'_>,
    children: &mut Children,
) {
    map.shift_remove("$ref");
    let mut only = Map::new();
    only.insert("$ref".to_owned(), Value::String(reference));
    let mut members = vec![Value::Object(only)];
    if let Some(Value::Array(existing)) = map.shift_remove("allOf") {
        let written = join(&at.orig, "allOf");
        for (i, member) in existing.into_iter().enumerate() {
            children.insert(
                path(&["allOf", &(i + 1).to_string()]),
                join(&written, &i.to_string()),
            );
            members.push(member);
        }
    }
    // The reference now sits at `allOf/0/$ref`, written at `$ref`.
    children.insert(path(&["allOf", "0"]), at.orig.clone());
    map.insert("allOf".to_owned(), Value::Array(members));
}

/// One member of a `type` list's `oneOf`: the type and the keywords of the schema that apply
/// to it.
fn member(map: &Map<String, Value>, kind: &str) -> Map<String, Value> {
    let mut member = Map::new();
    member.insert("type".to_owned(), Value::String(kind.to_owned()));
    let own: &[&str] = match kind {
        "string" => STRING_KEYWORDS,
        "integer" | "number" => NUMBER_KEYWORDS,
        "array" => ARRAY_KEYWORDS,
        "object" => OBJECT_KEYWORDS,
        _ => &[],
    };
    for keyword in own {
        if let Some(value) = map.get(*keyword) {
            member.insert((*keyword).to_owned(), value.clone());
        }
    }
    if let Some(Value::String(format)) = map.get("format") {
        let numeric = ["int32", "int64", "float", "double"].contains(&format.as_str());
        if numeric == matches!(kind, "integer" | "number") && kind != "boolean" {
            member.insert("format".to_owned(), Value::String(format.clone()));
        }
    }
    if let Some(Value::Array(values)) = map.get("enum") {
        let values: Vec<Value> = values.iter().filter(|v| fits(v, kind)).cloned().collect();
        member.insert("enum".to_owned(), Value::Array(values));
    }
    member
}

/// Whether a JSON value has the schema type `kind`.
fn fits(value: &Value, kind: &str) -> bool {
    match (value, kind) {
        (Value::Number(n), "integer") => n.is_i64() || n.is_u64(),
        (Value::Number(_), "number") => true,
        (v, k) => json_type(v) == Some(k),
    }
}

/// The schema type of a JSON value (`integer` for whole numbers); `None` for null.
pub(super) fn json_type(value: &Value) -> Option<&'static str> {
    Some(match value {
        Value::String(_) => "string",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Null => return None,
    })
}

/// `contentEncoding` and `contentMediaType` as the 3.0 `format`.
pub(super) fn content(map: &mut Map<String, Value>) {
    let encoding = map.shift_remove("contentEncoding");
    let media = map.shift_remove("contentMediaType");
    if map.contains_key("format") {
        return;
    }
    let format = match (
        encoding.as_ref().and_then(Value::as_str),
        media.as_ref().and_then(Value::as_str),
    ) {
        (Some(e), _) if e.eq_ignore_ascii_case("base64") || e.eq_ignore_ascii_case("base64url") => {
            "byte"
        }
        (None, Some(m)) if !is_text(m) => "binary",
        _ => return,
    };
    map.insert("format".to_owned(), Value::String(format.to_owned()));
    map.entry("type")
        .or_insert_with(|| Value::String("string".to_owned()));
}

/// Whether a media type is text, as opposed to bytes.
fn is_text(media_type: &str) -> bool {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence.starts_with("text/")
        || essence.ends_with("+json")
        || essence.ends_with("+xml")
        || [
            "application/json",
            "application/xml",
            "application/x-www-form-urlencoded",
        ]
        .contains(&essence.as_str())
}

/// A `oneOf`/`anyOf` member that only allows `null`.
fn is_null(member: &Value) -> bool {
    let Value::Object(map) = member else {
        return false;
    };
    let null_type = match map.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(list)) => !list.is_empty() && list.iter().all(|t| t == "null"),
        _ => false,
    };
    let null_value =
        map.get("const") == Some(&Value::Null) || map.get("enum") == Some(&json!([null]));
    (null_type || null_value)
        && map
            .keys()
            .all(|k| ["type", "const", "enum", "description", "title"].contains(&k.as_str()))
}

/// `oneOf: [X, {type: null}]`: a nullable X.
pub(super) fn null_members(
    n: &mut Normalizer<'_, '_>,
    map: &mut Map<String, Value>,
    at: &At<'_>,
    children: &mut Children,
) {
    for keyword in ["oneOf", "anyOf"] {
        let Some(Value::Array(members)) = map.get(keyword) else {
            continue;
        };
        if !members.iter().any(is_null) {
            continue;
        }
        let written = join(&at.orig, keyword);
        let kept: Vec<(usize, Value)> = members
            .iter()
            .cloned()
            .enumerate()
            .filter(|(_, m)| !is_null(m))
            .collect();
        map.shift_remove(keyword);
        map.insert("nullable".to_owned(), Value::Bool(true));
        n.moved(at.file, &join(&at.new, "nullable"), &written);
        let target = if kept.len() == 1 && !map.contains_key("allOf") {
            "allOf"
        } else {
            keyword
        };
        if kept.is_empty() {
            continue;
        }
        for (new_index, (old_index, _)) in kept.iter().enumerate() {
            children.insert(
                path(&[target, &new_index.to_string()]),
                join(&written, &old_index.to_string()),
            );
        }
        map.insert(
            target.to_owned(),
            Value::Array(kept.into_iter().map(|(_, m)| m).collect()),
        );
    }
}

/// `patternProperties` and `unevaluatedProperties` as the values of a map.
pub(super) fn maps(
    n: &mut Normalizer<'_, '_>,
    map: &mut Map<String, Value>,
    at: &At<'_>,
    children: &mut Children,
) {
    if let Some(Value::Object(patterns)) = map.shift_remove("patternProperties") {
        let written = join(&at.orig, "patternProperties");
        let mut values: Vec<(Value, String)> = Vec::new();
        for (pattern, schema) in patterns {
            if !values.iter().any(|(v, _)| *v == schema) {
                values.push((schema, join(&written, &pattern)));
            }
        }
        match map.get("additionalProperties") {
            Some(Value::Bool(true)) => values.clear(),
            Some(other @ Value::Object(_)) if !values.iter().any(|(v, _)| v == other) => {
                values.push((other.clone(), join(&at.orig, "additionalProperties")));
            }
            _ => {}
        }
        match values.len() {
            0 => {}
            1 => {
                if let Some((value, orig)) = values.pop() {
                    map.insert("additionalProperties".to_owned(), value);
                    children.insert(path(&["additionalProperties"]), orig);
                }
            }
            _ => {
                let mut any_of = Vec::new();
                for (i, (value, orig)) in values.into_iter().enumerate() {
                    children.insert(
                        path(&["additionalProperties", "anyOf", &i.to_string()]),
                        orig,
                    );
                    any_of.push(value);
                }
                map.insert(
                    "additionalProperties".to_owned(),
                    json!({ "anyOf": any_of }),
                );
                n.moved(at.file, &join(&at.new, "additionalProperties"), &written);
            }
        }
    }
    if let Some(unevaluated) = map.shift_remove("unevaluatedProperties") {
        if !map.contains_key("additionalProperties") {
            if unevaluated.is_object() {
                children.insert(
                    path(&["additionalProperties"]),
                    join(&at.orig, "unevaluatedProperties"),
                );
            }
            map.insert("additionalProperties".to_owned(), unevaluated);
            n.moved(
                at.file,
                &join(&at.new, "additionalProperties"),
                &join(&at.orig, "unevaluatedProperties"),
            );
        }
    }
}
