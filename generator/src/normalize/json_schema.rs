//! JSON Schema 2020-12 (the schemas of OpenAPI 3.1) into OpenAPI 3.0 schemas.
//!
//! The rules, each exact unless it says otherwise:
//! - `type: [T, "null"]` is `type: T` with `nullable: true`; several non-null types become a
//!   `oneOf` of one schema per type, each with the keywords that apply to it (an untagged
//!   union); `type: "null"` alone is any value, with a warning.
//! - a `oneOf`/`anyOf` member that is only `null` makes the schema `nullable`; one member
//!   left becomes `allOf: [member]` (a nullable reference).
//! - `const: v` is `enum: [v]`; `examples: [a, ...]` is `example: a`; numeric
//!   `exclusiveMinimum`/`exclusiveMaximum` are `minimum`/`maximum` with the boolean form.
//! - `contentEncoding: base64` is `format: byte`; a `contentMediaType` that is not text is
//!   `format: binary` (bytes, an upload in a multipart body).
//! - `true` is `{}`; `false` as a property removes it; `false` elsewhere is `{}` with a
//!   warning.
//! - `$ref` with sibling keywords becomes `allOf: [{$ref}]` plus the siblings, so a
//!   description, `nullable` or constraints beside a reference keep their meaning.
//! - `$defs` (and `definitions`) move to `components/schemas` of the same file, as do schemas
//!   that references reach by `$id` or `$anchor`; references follow them.
//! - `prefixItems` with a fixed length (`minItems` the count, `items: false` or `maxItems`
//!   the count, at most 12) is a tuple; other lengths are a list of any value, with a warning.
//! - `patternProperties` (and `unevaluatedProperties` where `additionalProperties` is absent)
//!   are the values of a map; several value schemas are their `anyOf`.
//! - `if`/`then`/`else` and `dependentSchemas` have no Rust form: their properties are added
//!   as optional fields and the conditions are not checked, with a warning.
//! - keywords that only validate or annotate (`$comment`, `contains`, `propertyNames`,
//!   `dependentRequired`, `contentSchema`, ...) are dropped.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::{Normalizer, Role, join};
use crate::diag::escape;

/// OpenAPI 3.0 has no tuples: a tuple is an array whose `items` are the `anyOf` of its
/// members, in order (what any 3.0 reader can use), marked `x-sdkgen-tuple: true` for the
/// lowering, which makes it a Rust tuple.
pub const TUPLE: &str = "x-sdkgen-tuple";
/// Serde and the standard traits the generated types derive stop at twelve-element tuples.
const MAX_TUPLE: usize = 12;

/// Keywords dropped without a word: they only validate or annotate, or were read already.
const DROPPED: &[&str] = &[
    "$schema",
    "$comment",
    "$vocabulary",
    "$id",
    "$anchor",
    "$dynamicAnchor",
    "contentSchema",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
    "dependentRequired",
];

/// Keywords that belong to one type, moved into that type's member when `type` is a list.
const STRING_KEYWORDS: &[&str] = &["minLength", "maxLength", "pattern"];
const NUMBER_KEYWORDS: &[&str] = &[
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
];
const ARRAY_KEYWORDS: &[&str] = &[
    "items",
    "prefixItems",
    "minItems",
    "maxItems",
    "uniqueItems",
    "unevaluatedItems",
];
const OBJECT_KEYWORDS: &[&str] = &[
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "unevaluatedProperties",
    "minProperties",
    "maxProperties",
    "dependentSchemas",
    "discriminator",
];

/// The schemas of one file that move to its `components/schemas`.
#[derive(Default)]
struct FileHoists {
    /// Names taken in `components/schemas`, with the value written under each (to share a name
    /// between equal `$defs`).
    taken: BTreeMap<String, Value>,
    /// Pointers (as written) that references reach by `$id` or `$anchor`, with a name for each.
    named: BTreeMap<String, String>,
    /// The moved schemas, normalised, by name.
    done: Vec<(String, Value)>,
}

/// Converts the schemas of 3.1 documents, file by file.
#[derive(Default)]
pub(super) struct Converter {
    files: BTreeMap<String, FileHoists>,
    /// Moved schemas waiting to be converted: (file, name, value, pointer as written).
    pending: Vec<(String, String, Value, String)>,
}

/// Where a schema is being converted: its file, where it is now and where it was written.
struct At<'a> {
    file: &'a str,
    new: String,
    orig: String,
}

/// The subschemas of one schema to convert next: their place under it (tokens) and the
/// pointer each was written at.
type Children = BTreeMap<Vec<String>, String>;

fn path(tokens: &[&str]) -> Vec<String> {
    tokens.iter().map(|t| (*t).to_owned()).collect()
}

impl Converter {
    /// Notes the schemas of `file` that references reach by `$id` or anchor, each with the name
    /// its component takes.
    pub fn name(&mut self, n: &Normalizer<'_, '_>, file: &str, pointer: String, name: String) {
        self.hoists(n, file).named.entry(pointer).or_insert(name);
    }

    /// Converts the schema `value`, now at `new` in `file` and written at `orig`.
    pub fn convert(
        &mut self,
        n: &mut Normalizer<'_, '_>,
        value: &mut Value,
        file: &str,
        new: &str,
        orig: &str,
    ) {
        n.moved(file, new, orig);
        let at = At {
            file,
            new: new.to_owned(),
            orig: orig.to_owned(),
        };
        self.schema(n, value, &at, 0);
        // Schemas moved to components on the way, and those they move in turn.
        while let Some((file, name, mut value, orig)) = self.pending.pop() {
            let new = format!("/components/schemas/{}", escape(&name));
            n.moved(&file, &new, &orig);
            let at = At {
                file: &file,
                new,
                orig,
            };
            self.schema(n, &mut value, &at, 0);
            self.files
                .entry(file.clone())
                .or_default()
                .done
                .push((name, value));
        }
    }

    /// Writes the moved schemas into `components/schemas` of their files.
    pub fn finish(self, files: &mut BTreeMap<String, Value>) {
        for (file, hoists) in self.files {
            if hoists.done.is_empty() {
                continue;
            }
            let Some(Value::Object(document)) = files.get_mut(&file) else {
                continue;
            };
            let components = document
                .entry("components")
                .or_insert_with(|| Value::Object(Map::new()));
            let Some(components) = components.as_object_mut() else {
                continue;
            };
            let schemas = components
                .entry("schemas")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(schemas) = schemas {
                for (name, value) in hoists.done {
                    schemas.insert(name, value);
                }
            }
        }
    }

    fn hoists(&mut self, n: &Normalizer<'_, '_>, file: &str) -> &mut FileHoists {
        self.files.entry(file.to_owned()).or_insert_with(|| {
            let taken = n
                .originals
                .get(file)
                .and_then(|d| d.pointer("/components/schemas"))
                .and_then(Value::as_object)
                .map(|schemas| {
                    schemas
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect()
                })
                .unwrap_or_default();
            FileHoists {
                taken,
                ..FileHoists::default()
            }
        })
    }

    /// Moves `value` (written at `orig`) to `components/schemas` of `file` under `name` (or
    /// `name2`, ...; an equal schema already there is shared), and returns the reference to it.
    fn hoist(
        &mut self,
        n: &mut Normalizer<'_, '_>,
        file: &str,
        name: &str,
        value: Value,
        orig: &str,
    ) -> String {
        let name = if name.is_empty() { "Schema" } else { name };
        let hoists = self.hoists(n, file);
        let mut candidate = name.to_owned();
        let mut count = 2;
        let shared = loop {
            match hoists.taken.get(&candidate) {
                Some(existing) if *existing == value => break true,
                Some(_) => {
                    candidate = format!("{name}{count}");
                    count += 1;
                }
                None => break false,
            }
        };
        if !shared {
            hoists.taken.insert(candidate.clone(), value.clone());
        }
        let pointer = format!("/components/schemas/{}", escape(&candidate));
        n.relocate(file, orig, &pointer);
        if !shared {
            self.pending
                .push((file.to_owned(), candidate, value, orig.to_owned()));
        }
        format!("#{pointer}")
    }

    fn schema(&mut self, n: &mut Normalizer<'_, '_>, value: &mut Value, at: &At<'_>, depth: usize) {
        // Deeper than any real schema; the shape checks stop at the same depth.
        if depth > 64 {
            return;
        }
        match value {
            Value::Bool(true) => *value = Value::Object(Map::new()),
            Value::Bool(false) => {
                n.warn(
                    at.file,
                    &at.orig,
                    "the schema `false` accepts no value at all, which no Rust type can say; any value is accepted here",
                    "remove what can never be valid, or describe the value it should be",
                );
                *value = Value::Object(Map::new());
            }
            Value::Object(map) => self.object(n, map, at, depth),
            _ => {}
        }
    }

    fn object(
        &mut self,
        n: &mut Normalizer<'_, '_>,
        map: &mut Map<String, Value>,
        at: &At<'_>,
        depth: usize,
    ) {
        if self.hoist_named(n, map, at) {
            return;
        }
        for keyword in DROPPED {
            map.shift_remove(*keyword);
        }
        for keyword in ["$defs", "definitions"] {
            if let Some(Value::Object(defs)) = map.shift_remove(keyword) {
                for (name, def) in defs {
                    let orig = join(&join(&at.orig, keyword), &name);
                    self.hoist(n, at.file, &name, def, &orig);
                }
            }
        }
        let mut children = Children::new();
        if let Some(Value::String(reference)) = map.get("$ref").cloned() {
            n.follow(at.file, &reference, Role::Schema);
            if map.len() == 1 {
                return;
            }
            wrap_reference(map, reference, at, &mut children);
        }
        if let Some(value) = map.shift_remove("const") {
            if !map.contains_key("type") {
                if let Some(kind) = json_type(&value) {
                    map.insert("type".to_owned(), Value::String(kind.to_owned()));
                }
            }
            map.insert("enum".to_owned(), Value::Array(vec![value]));
            n.moved(at.file, &join(&at.new, "enum"), &join(&at.orig, "const"));
        }
        if let Some(examples) = map.shift_remove("examples") {
            if let Some(first) = examples.as_array().and_then(|e| e.first()) {
                if !map.contains_key("example") {
                    map.insert("example".to_owned(), first.clone());
                    n.moved(
                        at.file,
                        &join(&at.new, "example"),
                        &format!("{}/examples/0", at.orig),
                    );
                }
            }
        }
        self.types(n, map, at, &mut children);
        self.bounds(n, map, at);
        content(map);
        self.tuple(n, map, at, &mut children);
        null_members(n, map, at, &mut children);
        self.conditions(n, map, at, &mut children);
        maps(n, map, at, &mut children);
        // Every other subschema stays where it was written.
        if let Some(Value::Object(properties)) = map.get_mut("properties") {
            // A property no value can have is one the type never holds.
            properties.retain(|_, v| v != &Value::Bool(false));
        }
        for key in keys(map, "properties") {
            let orig = join(&join(&at.orig, "properties"), &key);
            children
                .entry(vec!["properties".to_owned(), key])
                .or_insert(orig);
        }
        for keyword in ["items", "not", "additionalProperties"] {
            let is_schema = map.get(keyword).is_some_and(Value::is_object)
                || (keyword != "additionalProperties"
                    && map.get(keyword).is_some_and(Value::is_boolean));
            // Members placed under it already (`additionalProperties: {anyOf: ...}`) are
            // converted where they are; converting the whole again would do them twice.
            let placed = children
                .keys()
                .any(|k| k.len() > 1 && k.first().is_some_and(|f| f == keyword));
            if is_schema && !placed {
                children
                    .entry(path(&[keyword]))
                    .or_insert_with(|| join(&at.orig, keyword));
            }
        }
        for keyword in ["allOf", "oneOf", "anyOf"] {
            let count = map
                .get(keyword)
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            for i in 0..count {
                let index = i.to_string();
                children
                    .entry(path(&[keyword, &index]))
                    .or_insert_with(|| join(&join(&at.orig, keyword), &index));
            }
        }
        for (tokens, orig) in children {
            let mut new = at.new.clone();
            let mut implied = at.orig.clone();
            for token in &tokens {
                new = join(&new, token);
                implied = join(&implied, token);
            }
            if orig != implied {
                n.moved(at.file, &new, &orig);
            }
            let child = At {
                file: at.file,
                new,
                orig,
            };
            if let Some(slot) = slot(map, &tokens) {
                self.schema(n, slot, &child, depth + 1);
            }
        }
    }

    /// A schema that a reference reaches by `$id` or anchor moves to `components/schemas`
    /// under that name, unless it is a component already. True when it moved.
    fn hoist_named(
        &mut self,
        n: &mut Normalizer<'_, '_>,
        map: &mut Map<String, Value>,
        at: &At<'_>,
    ) -> bool {
        let Some(name) = self
            .files
            .get(at.file)
            .and_then(|f| f.named.get(&at.orig))
            .cloned()
        else {
            return false;
        };
        let is_component =
            at.new.starts_with("/components/schemas/") && at.new.matches('/').count() == 3;
        if is_component || at.orig.is_empty() {
            return false;
        }
        if let Some(hoists) = self.files.get_mut(at.file) {
            hoists.named.remove(&at.orig);
        }
        let value = Value::Object(std::mem::take(map));
        let reference = self.hoist(n, at.file, &name, value, &at.orig);
        map.insert("$ref".to_owned(), Value::String(reference));
        true
    }

    /// `type` as a list, or `"null"`.
    fn types(
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
    fn bounds(&mut self, n: &mut Normalizer<'_, '_>, map: &mut Map<String, Value>, at: &At<'_>) {
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
    fn tuple(
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
    fn conditions(
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
fn wrap_reference(
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
fn json_type(value: &Value) -> Option<&'static str> {
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
fn content(map: &mut Map<String, Value>) {
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
fn null_members(
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
fn maps(
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

fn keys(map: &Map<String, Value>, field: &str) -> Vec<String> {
    map.get(field)
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// The value at `tokens` under `map`.
fn slot<'v>(map: &'v mut Map<String, Value>, tokens: &[String]) -> Option<&'v mut Value> {
    let (first, rest) = tokens.split_first()?;
    let mut current = map.get_mut(first)?;
    for token in rest {
        current = match current {
            Value::Object(inner) => inner.get_mut(token)?,
            Value::Array(items) => items.get_mut(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(current)
}
