//! Structured mutations of a spec, driven by bytes, shared by the proptest harness
//! (`tests/tests/fuzz.rs`) and the cargo-fuzz target (`fuzz/fuzz_targets/`).
//!
//! Random bytes rarely get past the YAML parser; these mutations start from a real document
//! and break it the way people do: a field removed or of the wrong type, a `$ref` aimed
//! anywhere (itself included), an `allOf` wrapped round a schema, keys renamed.

use serde_json::{Map, Value};

/// Keys and strings that mean something to the generator, so mutations hit real paths.
const WORDS: &[&str] = &[
    "$ref",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "type",
    "items",
    "properties",
    "required",
    "additionalProperties",
    "enum",
    "nullable",
    "discriminator",
    "in",
    "name",
    "schema",
    "content",
    "application/json",
    "multipart/form-data",
    "responses",
    "parameters",
    "requestBody",
    "operationId",
    "paths",
    "components",
    "schemas",
    "openapi",
    "swagger",
    "get",
    "post",
    "200",
    "2XX",
    "default",
    "object",
    "string",
    "integer",
    "array",
    "path",
    "query",
    "header",
    "cookie",
    "3.0.3",
    "3.1.0",
    "",
    "{id}",
    "/pets/{id}",
    "x-extension",
    "self",
    "type",
    "r#type",
    "0",
    "Ünïcödé",
    "a b-c_d",
    // OpenAPI 3.1 (JSON Schema 2020-12) and Swagger 2.0.
    "null",
    "const",
    "examples",
    "$defs",
    "$id",
    "$anchor",
    "#a",
    "prefixItems",
    "patternProperties",
    "unevaluatedProperties",
    "if",
    "then",
    "exclusiveMinimum",
    "contentMediaType",
    "webhooks",
    "pathItems",
    "2.0",
    "definitions",
    "body",
    "formData",
    "file",
    "consumes",
    "collectionFormat",
    "tsv",
    "multi",
    "x-nullable",
    "securityDefinitions",
    "host",
];

/// Bytes read one at a time; zeros once they run out.
pub struct Bytes<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Bytes { data, pos: 0 }
    }

    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        let v = (usize::from(self.byte()) << 8) | usize::from(self.byte());
        v % n
    }

    fn done(&self) -> bool {
        self.pos >= self.data.len()
    }

    fn word(&mut self) -> &'static str {
        WORDS.get(self.below(WORDS.len())).copied().unwrap_or("")
    }
}

/// Every pointer in `value`, in document order.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                pointers(
                    v,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Applies mutations read from `data` to `spec`, at most `limit` of them.
pub fn mutate(spec: &mut Value, data: &[u8], limit: usize) {
    let mut bytes = Bytes::new(data);
    for _ in 0..limit {
        if bytes.done() {
            break;
        }
        let mut all = Vec::new();
        pointers(spec, String::new(), &mut all);
        let mut target = all.get(bytes.below(all.len())).cloned().unwrap_or_default();
        let other = all.get(bytes.below(all.len())).cloned().unwrap_or_default();
        let other_value = spec.pointer(&other).cloned().unwrap_or(Value::Null);
        let op = bytes.byte() % 16;
        let word = bytes.word();
        let plausible = bytes.byte() % 4 != 0;
        // Three in four changes keep to what a spec that still reads could hold, the edits
        // people make, so the later stages see them: a value retyped keeps its kind (another
        // string, number or flag; a key added to an object, an item to a list), and what
        // makes a schema (`allOf`, `$ref`) goes round the object that holds a plain value.
        let is_object = |spec: &Value, at: &str| spec.pointer(at).is_some_and(Value::is_object);
        if plausible && matches!(op, 9 | 10 | 13 | 15) && !is_object(spec, &target) {
            if let Some((parent, _)) = target.rsplit_once('/') {
                target = parent.to_owned();
            }
        }
        let Some(node) = spec.pointer_mut(&target) else {
            continue;
        };
        let same_kind = std::mem::discriminant(&*node) == std::mem::discriminant(&other_value);
        let op = match (op, &*node) {
            (1..=7, _) if op == 7 && same_kind => 7,
            (1..=7, Value::String(_) | Value::Null) if plausible => 2,
            (1..=7, Value::Number(_)) if plausible => 3,
            (1..=7, Value::Bool(_)) if plausible => 4,
            (1..=7, Value::Object(_)) if plausible => 8,
            (1..=7, Value::Array(_)) if plausible => 12,
            _ => op,
        };
        match op {
            0 => remove(spec, &target),
            1 => *node = Value::Null,
            2 => *node = Value::String(word.to_owned()),
            3 => *node = Value::from(i64::from(bytes.byte()) - 100),
            4 => *node = Value::Bool(bytes.byte() % 2 == 0),
            5 => *node = Value::Object(Map::new()),
            6 => *node = Value::Array(Vec::new()),
            7 => *node = other_value,
            8 => {
                if let Value::Object(map) = node {
                    map.insert(word.to_owned(), other_value);
                }
            }
            9 => {
                let inner = std::mem::take(node);
                let mut map = Map::new();
                map.insert("allOf".to_owned(), Value::Array(vec![inner, other_value]));
                *node = Value::Object(map);
            }
            10 => {
                let mut map = Map::new();
                map.insert("$ref".to_owned(), Value::String(format!("#{other}")));
                *node = Value::Object(map);
            }
            11 => {
                if let Value::Object(map) = node {
                    let index = bytes.below(map.len());
                    let key = map.keys().nth(index).cloned();
                    if let Some(key) = key {
                        if let Some(v) = map.remove(&key) {
                            map.insert(word.to_owned(), v);
                        }
                    }
                }
            }
            12 => {
                if let Value::Array(items) = node {
                    items.push(other_value);
                }
            }
            14 => {
                // A list of types, as OpenAPI 3.1 writes a nullable one.
                let inner = std::mem::take(node);
                *node = Value::Array(vec![inner, Value::String(word.to_owned())]);
            }
            15 => {
                // A `$ref` with a sibling, which 3.1 keeps and 3.0 ignores.
                if let Value::Object(map) = node {
                    map.insert("$ref".to_owned(), Value::String(format!("#{other}")));
                }
            }
            _ => {
                // A reference to a component by name: the way loops and cycles are made, in
                // the places 3.0, 2.0 and 3.1 (`$defs`) keep them.
                let name = if word.is_empty() { "Pet" } else { word };
                let kind = [
                    "components/schemas",
                    "components/parameters",
                    "components/responses",
                    "components/requestBodies",
                    "definitions",
                    "parameters",
                    "components/schemas/Pet/$defs",
                    "components/pathItems",
                ]
                .get(bytes.below(8))
                .copied()
                .unwrap_or("components/schemas");
                let mut map = Map::new();
                let reference = format!("#/{kind}/{}", name.replace('/', "~1"));
                map.insert("$ref".to_owned(), Value::String(reference));
                *node = Value::Object(map);
            }
        }
    }
}

fn remove(spec: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = last.replace("~1", "/").replace("~0", "~");
    match spec.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = key.parse::<usize>() {
                if i < items.len() {
                    items.remove(i);
                }
            }
        }
        _ => {}
    }
}

/// The mutated spec as text: JSON or YAML, by the first byte of `data`.
pub fn mutated_text(base: &Value, data: &[u8]) -> (&'static str, String) {
    let mut spec = base.clone();
    let (first, rest) = data.split_first().map_or((0, data), |(f, r)| (*f, r));
    // One to four mutations: more rarely leave anything the later stages would see.
    mutate(&mut spec, rest, 1 + usize::from(first / 2 % 4));
    if first % 2 == 0 {
        (
            "spec.json",
            serde_json::to_string_pretty(&spec).unwrap_or_default(),
        )
    } else {
        (
            "spec.yaml",
            serde_yaml::to_string(&spec).unwrap_or_default(),
        )
    }
}
