//! Stage 2: bundle every file into one document, check every `$ref`, and parse it.
//!
//! A `$ref` to `other.json#/components/schemas/Foo` brings `Foo` into the root's
//! `components/schemas` (renamed `Foo2`, ... when the root has a different `Foo`), so later
//! stages only ever see local references. Any other external target is inlined.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::diag::{Cursor, Diagnostics, Location, escape, unescape};
use crate::load::{self, Sources};

mod check;
mod cycles;

/// The bundled document, and where its imported parts came from.
#[derive(Debug)]
pub struct Document {
    pub api: openapiv3::OpenAPI,
    /// The file name of the root document, without directories, for generated headers.
    pub display_path: String,
    root: String,
    /// Bundled pointer (`/components/schemas/Foo`) to the place it was copied from.
    origins: BTreeMap<String, Location>,
    /// The bundled document as JSON, for what the parsed form does not keep (whether an
    /// optional field was written at all).
    raw: Value,
}

impl Document {
    /// The bundled document's value at `pointer`.
    pub fn raw(&self, pointer: &str) -> Option<&Value> {
        self.raw.pointer(pointer)
    }

    /// The place in the user's files that a pointer into the bundled document comes from.
    pub fn locate(&self, pointer: &str) -> Location {
        let found = self.origins.iter().rev().find(|(prefix, _)| {
            pointer == prefix.as_str() || pointer.starts_with(&format!("{prefix}/"))
        });
        match found {
            Some((prefix, origin)) => Location::new(
                origin.file.as_str(),
                format!(
                    "{}{}",
                    origin.pointer,
                    pointer.get(prefix.len()..).unwrap_or_default()
                ),
            ),
            None => Location::new(self.root.as_str(), pointer),
        }
    }
}

pub fn resolve(sources: &Sources, diags: &mut Diagnostics) -> Option<Document> {
    // The version was checked, and the document brought to OpenAPI 3.0, by `normalize`.
    let mut root_value = sources.files.get(&sources.root)?.clone();
    let errors_before = diags.error_count();
    let mut bundler = Bundler {
        sources,
        bundle: root_value.clone(),
        imported: BTreeMap::new(),
        inlining: BTreeSet::new(),
        origins: BTreeMap::new(),
        diags,
    };
    bundler.rewrite(&mut root_value, &sources.root, &mut Cursor::default());
    // Imported components were written into `bundle`; carry them over to the rewritten root.
    if let Some(Value::Object(components)) = bundler.bundle.get("components").cloned() {
        let target = root_value.as_object_mut().map(|root| {
            root.entry("components")
                .or_insert_with(|| Value::Object(Map::new()))
        });
        if let Some(Value::Object(target)) = target {
            for (kind, entries) in components {
                let Value::Object(entries) = entries else {
                    continue;
                };
                let slot = target
                    .entry(kind)
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(slot) = slot {
                    for (name, value) in entries {
                        slot.entry(name).or_insert(value);
                    }
                }
            }
        }
    }
    let origins = std::mem::take(&mut bundler.origins);
    let mut document = Document {
        api: openapiv3::OpenAPI::default(),
        display_path: file_name(&sources.root),
        root: sources.root.clone(),
        origins,
        raw: Value::Null,
    };
    check_local_refs(
        &root_value,
        &root_value,
        &mut Cursor::default(),
        &document,
        diags,
    );
    check::check(&mut root_value, &document, diags);
    cycles::check(&root_value, &document, diags);
    // One problem at a time would make the user fix and rerun once per mistake; the checks
    // above report them all, and the parse below only runs on a document they passed.
    if diags.error_count() > errors_before {
        return None;
    }
    match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&root_value) {
        Ok(api) => {
            document.api = api;
            document.raw = root_value;
            Some(document)
        }
        Err(err) => {
            let pointer = path_to_pointer(err.path());
            let (message, help) = check::explain(&err.inner().to_string(), &pointer);
            diags.error(&document.locate(&pointer), message, help);
            None
        }
    }
}

struct Bundler<'a, 'd> {
    sources: &'a Sources,
    /// The root document plus the components imported so far.
    bundle: Value,
    /// (file, pointer) of an imported component to its local `$ref`.
    imported: BTreeMap<(String, String), String>,
    /// (file, pointer) of targets being inlined, to stop a loop.
    inlining: BTreeSet<(String, String)>,
    origins: BTreeMap<String, Location>,
    diags: &'d mut Diagnostics,
}

impl Bundler<'_, '_> {
    fn rewrite(&mut self, value: &mut Value, file: &str, at: &mut Cursor) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref").cloned() {
                    let siblings: Vec<&String> = map.keys().filter(|k| *k != "$ref").collect();
                    if !siblings.is_empty() {
                        let names = siblings
                            .iter()
                            .map(|s| format!("`{s}`"))
                            .collect::<Vec<_>>()
                            .join(", ");
                        self.diags.warning(
                            &at.location(file),
                            format!("{names} beside `$ref` ignored: OpenAPI 3.0 ignores siblings of a `$ref`"),
                            "wrap the reference in `allOf: [{$ref: ...}]` to add to it",
                        );
                    }
                    let mark = at.push("$ref");
                    let ref_at = at.location(file);
                    at.pop(mark);
                    // A reference that cannot be followed was reported; an empty schema in its
                    // place keeps later checks from reporting it again as pointing nowhere.
                    *value = self
                        .reference(&reference, file, &ref_at)
                        .unwrap_or_else(|| Value::Object(Map::new()));
                    return;
                }
                for (key, child) in map.iter_mut() {
                    if matches!(child, Value::Object(_) | Value::Array(_)) {
                        let mark = at.push(key);
                        self.rewrite(child, file, at);
                        at.pop(mark);
                    }
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    if matches!(child, Value::Object(_) | Value::Array(_)) {
                        let mark = at.push_index(i);
                        self.rewrite(child, file, at);
                        at.pop(mark);
                    }
                }
            }
            _ => {}
        }
    }

    /// The value that replaces the `$ref` object: a local `$ref`, or the inlined target.
    fn reference(&mut self, reference: &str, file: &str, at: &Location) -> Option<Value> {
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let target_file = if file_part.is_empty() {
            file.to_owned()
        } else {
            load::join(file, file_part)
        };
        if target_file == self.sources.root {
            return Some(ref_value(&format!("#{fragment}")));
        }
        let key = (target_file.clone(), fragment.to_owned());
        if let Some(local) = self.imported.get(&key) {
            return Some(ref_value(local));
        }
        // A missing file was reported when loading.
        let target = self
            .sources
            .files
            .get(&target_file)?
            .pointer(fragment)
            .cloned();
        let Some(mut target) = target else {
            self.diags.error(
                at,
                format!("`$ref: {reference}` points nowhere: `{target_file}` has nothing at `#{fragment}`"),
                "fix the JSON pointer after `#` so it names an existing value",
            );
            return None;
        };
        let origin = Location::new(target_file.as_str(), fragment);
        let segments: Vec<&str> = fragment.split('/').collect();
        if let ["", "components", kind, name] = segments.as_slice() {
            let name = unescape(name);
            let local_name = self.local_name(kind, &name, &target);
            let local_pointer = format!("/components/{kind}/{}", escape(&local_name));
            let local = format!("#{local_pointer}");
            self.imported.insert(key, local.clone());
            self.origins.insert(local_pointer, origin.clone());
            self.rewrite(&mut target, &target_file, &mut Cursor::new(fragment));
            self.insert_component(kind, &local_name, target);
            return Some(ref_value(&local));
        }
        if !self.inlining.insert(key.clone()) {
            self.diags.error(
                at,
                format!("`$ref: {reference}` refers to itself through a loop"),
                "point the reference at a component under `#/components/` so it can be named",
            );
            return None;
        }
        self.rewrite(&mut target, &target_file, &mut Cursor::new(fragment));
        self.inlining.remove(&key);
        Some(target)
    }

    /// The root's name for an imported component: its own name, unless the root already
    /// has a different value under it.
    fn local_name(&self, kind: &str, name: &str, value: &Value) -> String {
        let existing = |n: &str| {
            self.bundle
                .pointer(&format!("/components/{kind}/{}", escape(n)))
                .cloned()
        };
        let mut candidate = name.to_owned();
        let mut n = 2;
        while let Some(other) = existing(&candidate) {
            if &other == value {
                break;
            }
            candidate = format!("{name}{n}");
            n += 1;
        }
        candidate
    }

    fn insert_component(&mut self, kind: &str, name: &str, value: Value) {
        let Some(root) = self.bundle.as_object_mut() else {
            return;
        };
        let components = root
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        let Some(components) = components.as_object_mut() else {
            return;
        };
        let entries = components
            .entry(kind)
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(entries) = entries.as_object_mut() {
            entries.insert(name.to_owned(), value);
        }
    }
}

/// Reports every local `$ref` whose target does not exist.
fn check_local_refs(
    value: &Value,
    root: &Value,
    at: &mut Cursor,
    document: &Document,
    diags: &mut Diagnostics,
) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                let fragment = reference.strip_prefix('#').unwrap_or(reference);
                if root.pointer(fragment).is_none() {
                    let mark = at.push("$ref");
                    diags.error(
                        &document.locate(at.as_str()),
                        format!("`$ref: {reference}` points nowhere"),
                        "fix the JSON pointer after `#` so it names an existing value",
                    );
                    at.pop(mark);
                }
            }
            for (key, child) in map {
                if matches!(child, Value::Object(_) | Value::Array(_)) {
                    let mark = at.push(key);
                    check_local_refs(child, root, at, document, diags);
                    at.pop(mark);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                if matches!(child, Value::Object(_) | Value::Array(_)) {
                    let mark = at.push_index(i);
                    check_local_refs(child, root, at, document, diags);
                    at.pop(mark);
                }
            }
        }
        _ => {}
    }
}

fn ref_value(reference: &str) -> Value {
    let mut map = Map::new();
    map.insert("$ref".to_owned(), Value::String(reference.to_owned()));
    Value::Object(map)
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        let token = match segment {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } | Segment::Enum { variant: key } => escape(key),
            Segment::Unknown => continue,
        };
        pointer.push('/');
        pointer.push_str(&token);
    }
    pointer
}

fn file_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_owned()
}
