//! Sample values for parameters and bodies: the spec's own examples first, otherwise a value
//! made from the schema with every optional property set, so a call made with them exercises
//! every serialization path. The contract driver (`emit::contract`) sends them.
//!
//! Samples are read from the bundled document as JSON, following `$ref`s, so every keyword
//! counts (formats, bounds, enums, defaults) whatever the parsed model keeps.

use serde_json::{Map, Number, Value};

use super::Lowerer;

/// How deep optional properties are filled in; deeper, only required ones (recursive schemas
/// end there).
const OPTIONAL_DEPTH: usize = 4;
/// Deeper than this a value is `null`: a schema that requires itself has no finite value.
const MAX_DEPTH: usize = 12;

impl Lowerer<'_, '_> {
    /// The sample of the parameter, request body or media type object at `pointer` (an object
    /// with `example`, `examples` and `schema` or `content`).
    pub(super) fn sample_of(&self, pointer: &str) -> Option<Value> {
        let (object, _) = self.raw_item(pointer)?;
        // `content` (a parameter or a body): its first media type.
        let holder = match object.get("content").and_then(Value::as_object) {
            Some(content) if object.get("schema").is_none() => content.values().next()?,
            _ => object,
        };
        let example = example_of(object, |p| self.raw_item(p).map(|(v, _)| v))
            .or_else(|| example_of(holder, |p| self.raw_item(p).map(|(v, _)| v)));
        let Some(schema) = holder.get("schema") else {
            return example;
        };
        // An example that contradicts its schema (vendors write `10` for a string) is made
        // to fit, or replaced by a value made from the schema.
        Some(match example {
            Some(example) if self.accepts(schema, &example, 0) => example,
            Some(example) => self.fit(schema, example),
            None => self.sample(schema, 0),
        })
    }

    /// A value of the schema's type from an example of another: a number or boolean as the
    /// string a string schema wants, anything else a value made from the schema.
    fn fit(&self, schema: &Value, example: Value) -> Value {
        let as_string = match &example {
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        };
        match as_string {
            Some(text) if self.accepts(schema, &Value::String(text.clone()), 0) => {
                Value::String(text)
            }
            _ => self.sample(schema, 0),
        }
    }

    /// The value at `pointer`, following `$ref`s (bounded), with the pointer it was found at.
    fn raw_item(&self, pointer: &str) -> Option<(&Value, String)> {
        let mut pointer = pointer.to_owned();
        for _ in 0..16 {
            let value = self.doc.raw(&pointer)?;
            match value.get("$ref").and_then(Value::as_str) {
                Some(reference) => pointer = reference.strip_prefix('#')?.to_owned(),
                None => return Some((value, pointer)),
            }
        }
        None
    }

    fn sample(&self, schema: &Value, depth: usize) -> Value {
        let schema = match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => match reference.strip_prefix('#').and_then(|p| self.raw_item(p)) {
                Some((target, _)) => target,
                None => return Value::Null,
            },
            None => schema,
        };
        if depth >= OPTIONAL_DEPTH && schema.get("nullable") == Some(&Value::Bool(true)) {
            // Deep down, `null` is the least value of a nullable schema: it ends a recursion
            // through a required nullable property.
            return Value::Null;
        }
        if depth > MAX_DEPTH {
            // The least value of the type ends a recursion that requires itself.
            return match schema.get("type").and_then(Value::as_str) {
                Some("array") => Value::Array(Vec::new()),
                Some("object") => Value::Object(Map::new()),
                Some("string") => Value::String(String::new()),
                Some("integer" | "number") => Value::from(0),
                Some("boolean") => Value::Bool(false),
                _ if schema.get("properties").is_some() => Value::Object(Map::new()),
                _ => Value::Null,
            };
        }
        if let Some(example) = schema
            .get("example")
            .filter(|e| !e.is_null() && self.accepts_type(schema, e))
        {
            return example.clone();
        }
        if let Some(default) = schema.get("default").filter(|d| !d.is_null()) {
            return default.clone();
        }
        if let Some(first) = schema
            .get("enum")
            .and_then(Value::as_array)
            .and_then(|values| values.iter().find(|v| !v.is_null()))
        {
            return first.clone();
        }
        for keyword in ["oneOf", "anyOf"] {
            let Some(members) = schema.get(keyword).and_then(Value::as_array) else {
                continue;
            };
            // For `oneOf`, the first member's sample that no other member also accepts (a
            // plain string next to an enum of strings, say); for `anyOf`, the first.
            let samples: Vec<(&Value, Value)> = members
                .iter()
                .map(|member| {
                    let mut value = self.sample(member, depth + 1);
                    self.set_tag(schema, member, &mut value);
                    (member, value)
                })
                .collect();
            let only_one = |(i, (_, value)): &(usize, &(&Value, Value))| {
                keyword == "anyOf"
                    || samples
                        .iter()
                        .enumerate()
                        .all(|(j, (other, _))| j == *i || !self.accepts(other, value, 0))
            };
            let chosen = samples
                .iter()
                .enumerate()
                .find(only_one)
                .or_else(|| samples.iter().enumerate().next());
            if let Some((_, (_, value))) = chosen {
                return value.clone();
            }
        }
        if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
            let mut merged = Map::new();
            let mut other = None;
            for member in members {
                match self.sample(member, depth + 1) {
                    Value::Object(object) => merged.extend(object),
                    Value::Null => {}
                    value => other = Some(value),
                }
            }
            let own = self.object_sample(schema, depth);
            merged.extend(own);
            if merged.is_empty() {
                if let Some(value) = other {
                    return value;
                }
            }
            return Value::Object(merged);
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("string") => string_sample(schema),
            Some("integer") => Value::Number(Number::from(integer_sample(schema))),
            Some("number") => Number::from_f64(number_sample(schema))
                .map(Value::Number)
                .unwrap_or(Value::Null),
            Some("boolean") => Value::Bool(true),
            Some("array") => {
                let item = schema
                    .get("items")
                    .map(|items| self.sample(items, depth + 1))
                    .unwrap_or_else(|| Value::String("value".to_owned()));
                // Two items, so no reader can take the array for a single value; deep down,
                // as few as allowed, so a recursive schema ends.
                let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
                let max = schema.get("maxItems").and_then(Value::as_u64).unwrap_or(2);
                let count = if depth >= OPTIONAL_DEPTH {
                    min
                } else {
                    min.max(2).min(max.max(1))
                };
                Value::Array((0..count).map(|_| item.clone()).collect())
            }
            Some("object") | None if schema.get("properties").is_some() => {
                Value::Object(self.object_sample(schema, depth))
            }
            Some("object") => Value::Object(Map::new()),
            _ => Value::Null,
        }
    }

    /// Whether `value` fits `schema` as far as its type, enum and required properties tell: a
    /// rough check, enough to tell `oneOf` members apart.
    fn accepts(&self, schema: &Value, value: &Value, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return true;
        }
        let schema = match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => match reference.strip_prefix('#').and_then(|p| self.raw_item(p)) {
                Some((target, _)) => target,
                None => return true,
            },
            None => schema,
        };
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            return values.contains(value);
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(members) = schema.get(keyword).and_then(Value::as_array) {
                return members.iter().any(|m| self.accepts(m, value, depth + 1));
            }
        }
        if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
            return members.iter().all(|m| self.accepts(m, value, depth + 1));
        }
        let typed = match (schema.get("type").and_then(Value::as_str), value) {
            (None, _) => true,
            (Some("string"), Value::String(_))
            | (Some("boolean"), Value::Bool(_))
            | (Some("array"), Value::Array(_))
            | (Some("object"), Value::Object(_))
            | (Some("number"), Value::Number(_)) => true,
            (Some("integer"), Value::Number(n)) => n.is_i64() || n.is_u64(),
            (Some(_), Value::Null) => schema.get("nullable").and_then(Value::as_bool) == Some(true),
            _ => false,
        };
        let required = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .all(|name| value.get(name).is_some());
        typed && required
    }

    /// Whether `value` has the type the schema's own `type` names (any, without one).
    fn accepts_type(&self, schema: &Value, value: &Value) -> bool {
        let mut bare = serde_json::Map::new();
        for key in ["type", "nullable"] {
            if let Some(v) = schema.get(key) {
                bare.insert(key.to_owned(), v.clone());
            }
        }
        self.accepts(&Value::Object(bare), value, 0)
    }

    /// Every property of an object schema: required ones always, optional ones near the top.
    fn object_sample(&self, schema: &Value, depth: usize) -> Map<String, Value> {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut object = Map::new();
        for (name, property) in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if depth >= OPTIONAL_DEPTH && !required.contains(&name.as_str()) {
                continue;
            }
            let value = self.sample(property, depth + 1);
            if !value.is_null() || required.contains(&name.as_str()) {
                object.insert(name.clone(), value);
            }
        }
        object
    }

    /// With a discriminator, the sample of a union member carries the tag that selects it.
    fn set_tag(&self, union: &Value, member: &Value, value: &mut Value) {
        let Some(discriminator) = union.get("discriminator") else {
            return;
        };
        let Some(property) = discriminator.get("propertyName").and_then(Value::as_str) else {
            return;
        };
        let Some(reference) = member.get("$ref").and_then(Value::as_str) else {
            return;
        };
        let mapped = discriminator
            .get("mapping")
            .and_then(Value::as_object)
            .and_then(|mapping| {
                mapping
                    .iter()
                    .find(|(_, target)| target.as_str() == Some(reference))
                    .map(|(tag, _)| tag.clone())
            });
        let tag = mapped.or_else(|| reference.rsplit('/').next().map(crate::diag::unescape));
        if let (Some(tag), Value::Object(object)) = (tag, value) {
            object.insert(property.to_owned(), Value::String(tag));
        }
    }
}

/// The object's own `example`, or the first of its `examples` (Example Objects, maybe
/// `$ref`s, read with `resolve`).
fn example_of<'a>(object: &'a Value, resolve: impl Fn(&str) -> Option<&'a Value>) -> Option<Value> {
    if let Some(example) = object.get("example") {
        return Some(example.clone());
    }
    let (_, first) = object.get("examples")?.as_object()?.iter().next()?;
    let first = match first.get("$ref").and_then(Value::as_str) {
        Some(reference) => resolve(reference.strip_prefix('#')?)?,
        None => first,
    };
    first.get("value").cloned()
}

fn string_sample(schema: &Value) -> Value {
    let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
    let text = match format {
        "date-time" => "2024-01-02T03:04:05Z",
        "date" => "2024-01-02",
        "time" => "03:04:05",
        "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "email" => "user@example.com",
        "uri" | "url" => "https://example.com/path",
        "hostname" => "example.com",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "byte" => "aGVsbG8=",
        "binary" => "file contents",
        "password" => "secret",
        _ => "string",
    };
    let mut text = text.to_owned();
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = schema
        .get("maxLength")
        .and_then(Value::as_u64)
        .map(|m| m as usize);
    while text.chars().count() < min {
        text.push('x');
    }
    if let Some(max) = max {
        text = text.chars().take(max.max(min)).collect();
    }
    Value::String(text)
}

/// 1, moved into the schema's bounds (`minimum`, `maximum`, exclusive or not, `multipleOf`).
fn integer_sample(schema: &Value) -> i64 {
    let bound = |key: &str| schema.get(key).and_then(Value::as_f64);
    let exclusive = |key: &str| schema.get(key).and_then(Value::as_bool).unwrap_or(false);
    let mut value: i64 = 1;
    if let Some(min) = bound("minimum") {
        let min = if exclusive("exclusiveMinimum") {
            min.floor() as i64 + 1
        } else {
            min.ceil() as i64
        };
        value = value.max(min);
    }
    if let Some(max) = bound("maximum") {
        let max = if exclusive("exclusiveMaximum") {
            max.ceil() as i64 - 1
        } else {
            max.floor() as i64
        };
        value = value.min(max);
    }
    if let Some(step) = bound("multipleOf").filter(|s| *s >= 1.0).map(|s| s as i64) {
        value = (value / step).max(1) * step;
    }
    value
}

fn number_sample(schema: &Value) -> f64 {
    let bound = |key: &str| schema.get(key).and_then(Value::as_f64);
    let mut value = 1.5;
    if let Some(min) = bound("minimum") {
        value = f64::max(value, min + 0.5);
    }
    if let Some(max) = bound("maximum") {
        value = f64::min(value, max - 0.5);
    }
    if let Some(step) = bound("multipleOf").filter(|s| *s > 0.0) {
        value = (value / step).round().max(1.0) * step;
    }
    value
}
