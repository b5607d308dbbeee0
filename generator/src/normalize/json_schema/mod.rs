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

use serde_json::{Map, Value};

mod keywords;

use keywords::{content, json_type, maps, null_members, wrap_reference};

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
