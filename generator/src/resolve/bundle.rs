//! Every file into one document, every reference checked.
//!
//! A `$ref` to `other.json#/components/schemas/Foo` brings `Foo` into the root's
//! `components/schemas` (renamed `Foo2`, ... when the root has a different `Foo`), so later
//! stages only ever see local references. Any other external target is inlined. References
//! are found by walking the OpenAPI object model ([`crate::model`]), never inside literal
//! values.
//!
//! A reference that cannot be followed (a remote document, a file that cannot be read, a
//! pointer to nothing) is a warning where it stands, and generation goes on with a safe
//! fallback: a schema becomes `{}` (any value, `serde_json::Value`; a parameter's or header's
//! becomes a string, since it travels as text), a path item has no
//! operations, and any other object keeps its `$ref`, listed in [`Bundle::unresolved`], so the
//! lowering skips it without a second word. A Swagger 2.0 pointer (`#/definitions/Pet`)
//! whose OpenAPI 3.0 place (`#/components/schemas/Pet`) exists is followed there, with a
//! warning.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::diag::{Diagnostics, Location, escape};
use crate::load::{self, Sources};
use crate::model::{self, Object};

/// The root document with every reference local, and what bundling learnt on the way.
pub struct Bundle {
    pub document: Value,
    /// Bundled pointer (`/components/schemas/Foo`) to the place it was copied from.
    pub origins: BTreeMap<String, Location>,
    /// Bundled pointers of references that were reported as broken and left in place.
    pub unresolved: BTreeSet<String>,
}

pub fn bundle(sources: &Sources, mut root: Value, diags: &mut Diagnostics) -> Bundle {
    let mut bundler = Bundler {
        sources,
        imported: BTreeMap::new(),
        components: Map::new(),
        inlining: BTreeSet::new(),
        origins: BTreeMap::new(),
        unresolved: BTreeSet::new(),
        diags,
    };
    bundler.rewrite(&mut root, Object::Document, &sources.root, "", "");
    // Imported components were gathered apart; add them to the root's, never replacing one.
    if let Value::Object(root) = &mut root {
        let target = root
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(target) = target {
            for (kind, entries) in std::mem::take(&mut bundler.components) {
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
    Bundle {
        document: root,
        origins: bundler.origins,
        unresolved: bundler.unresolved,
    }
}

struct Bundler<'a, 'd> {
    sources: &'a Sources,
    /// (file, pointer) of an imported component to its local `$ref`.
    imported: BTreeMap<(String, String), String>,
    /// The imported components, by kind and local name.
    components: Map<String, Value>,
    /// (file, pointer) of targets being inlined, to stop a loop.
    inlining: BTreeSet<(String, String)>,
    origins: BTreeMap<String, Location>,
    unresolved: BTreeSet<String>,
    diags: &'d mut Diagnostics,
}

/// Where a reference stands: its file and pointer there, and its pointer in the bundle.
struct Site<'s> {
    file: &'s str,
    /// The `$ref` itself, in `file`.
    at: Location,
    bundled: String,
    object: Object,
    /// A discriminator `mapping` value, not a Reference Object.
    mapping: bool,
}

impl Bundler<'_, '_> {
    /// Replaces every reference in `value` (an `object` that sits at `origin` in `file`
    /// and at `bundled` in the bundle) by a local reference or its target.
    fn rewrite(
        &mut self,
        value: &mut Value,
        object: Object,
        file: &str,
        origin: &str,
        bundled: &str,
    ) {
        for reference in model::references(value, object) {
            if reference.mapping {
                self.mapping(value, &reference, file, origin, bundled);
                continue;
            }
            let Some(slot) = value.pointer_mut(&reference.pointer) else {
                continue;
            };
            let origin_pointer = format!("{origin}{}", reference.pointer);
            if let Value::Object(map) = slot {
                let siblings: Vec<String> = map
                    .keys()
                    .filter(|k| *k != "$ref")
                    .map(|k| format!("`{k}`"))
                    .collect();
                if !siblings.is_empty() {
                    self.diags.warning(
                        &Location::new(file, origin_pointer.as_str()),
                        format!(
                            "{} beside `$ref` ignored: OpenAPI 3.0 ignores siblings of a `$ref`",
                            siblings.join(", ")
                        ),
                        "wrap the reference in `allOf: [{$ref: ...}]` to add to it",
                    );
                }
            }
            let site = Site {
                file,
                at: Location::new(file, format!("{origin_pointer}/$ref")),
                bundled: format!("{bundled}{}", reference.pointer),
                object: reference.object,
                mapping: false,
            };
            *slot = self.reference(&reference.target, &site);
        }
    }

    /// A discriminator `mapping` value that leaves the root document names its schema by the
    /// local reference of the imported component. One that cannot be followed is reported
    /// and its entry removed; one in the root is the lowering's to check.
    fn mapping(
        &mut self,
        value: &mut Value,
        reference: &model::Reference,
        file: &str,
        origin: &str,
        bundled: &str,
    ) {
        let (file_part, _) = reference
            .target
            .split_once('#')
            .unwrap_or((&reference.target, ""));
        if file_part.is_empty() && file == self.sources.root {
            return;
        }
        let site = Site {
            file,
            at: Location::new(file, format!("{origin}{}", reference.pointer)),
            bundled: format!("{bundled}{}", reference.pointer),
            object: Object::Schema,
            mapping: true,
        };
        let replacement = self.reference(&reference.target, &site);
        let Some((parent, key)) = reference.pointer.rsplit_once('/') else {
            return;
        };
        let key = crate::diag::unescape(key);
        let Some(Value::Object(entries)) = value.pointer_mut(parent) else {
            return;
        };
        match replacement.get("$ref").and_then(Value::as_str) {
            Some(local) if local.starts_with('#') => {
                entries.insert(key, Value::String(local.to_owned()));
            }
            // Broken, and reported: nothing a tag can select.
            _ if replacement.as_object().is_some_and(Map::is_empty) => {
                entries.shift_remove(&key);
            }
            _ => {
                entries.shift_remove(&key);
                self.diags.warning(
                    &site.at,
                    format!("the discriminator `mapping` value `{}` is not a schema under `#/components/schemas`; the entry is ignored", reference.target),
                    "point it at a component schema",
                );
            }
        }
    }

    /// The value that replaces the `$ref` object: a local `$ref`, the inlined target, or the
    /// fallback for a reference that cannot be followed.
    fn reference(&mut self, reference: &str, site: &Site<'_>) -> Value {
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if file_part.contains("://") {
            return self.broken(
                reference,
                site,
                "remote documents are not fetched",
                "download the document next to the spec and refer to it by a relative path",
            );
        }
        let target_file = if file_part.is_empty() {
            site.file.to_owned()
        } else {
            load::join(site.file, file_part)
        };
        let Some(document) = self.sources.files.get(&target_file) else {
            return match self.sources.unreadable.get(&target_file) {
                Some(reason) => self.broken(
                    reference,
                    site,
                    &format!("`{target_file}` {reason}"),
                    "fix the path, relative to the file that holds the reference",
                ),
                // It was read but did not parse, which is an error of its own.
                None => fallback(site.object, reference),
            };
        };
        let (target, fragment) = match model::lookup(document, fragment) {
            Some(found) => found,
            None => match swagger_2_place(document, fragment) {
                Some((target, moved)) => {
                    self.diags.warning(
                        &site.at,
                        format!("`$ref: {reference}` points nowhere, but `#{moved}` exists; it is used"),
                        format!("point the reference at `#{moved}`: OpenAPI 3.0 keeps components under `#/components/`"),
                    );
                    (target, moved)
                }
                None => {
                    let file = if file_part.is_empty() {
                        "this file".to_owned()
                    } else {
                        format!("`{target_file}`")
                    };
                    return self.broken(
                        reference,
                        site,
                        &format!("{file} has nothing at `#{fragment}`"),
                        "fix the JSON pointer after `#` so it names an existing value",
                    );
                }
            },
        };
        if target_file == self.sources.root {
            return ref_value(&format!("#{fragment}"));
        }
        let key = (target_file.clone(), fragment.clone());
        if let Some(local) = self.imported.get(&key) {
            return ref_value(local);
        }
        let mut target = target.clone();
        if let Some((kind, name)) = model::component(&fragment) {
            let local_name = self.local_name(kind, &name, &target);
            let local_pointer = format!("/components/{kind}/{}", escape(&local_name));
            let local = format!("#{local_pointer}");
            self.imported.insert(key, local.clone());
            self.origins.insert(
                local_pointer.clone(),
                Location::new(target_file.as_str(), fragment.as_str()),
            );
            self.rewrite(
                &mut target,
                site.object,
                &target_file,
                &fragment,
                &local_pointer,
            );
            self.insert_component(kind, &local_name, target);
            return ref_value(&local);
        }
        if !self.inlining.insert(key.clone()) {
            self.diags.error(
                &site.at,
                format!("`$ref: {reference}` refers to itself through a loop"),
                "point the reference at a component under `#/components/` so it can be named",
            );
            return fallback(site.object, reference);
        }
        self.rewrite(
            &mut target,
            site.object,
            &target_file,
            &fragment,
            &site.bundled,
        );
        self.inlining.remove(&key);
        target
    }

    /// Reports a reference that cannot be followed and gives its fallback.
    fn broken(&mut self, reference: &str, site: &Site<'_>, why: &str, help: &str) -> Value {
        let text = site.object == Object::Schema && super::check::travels_as_text(&site.bundled);
        let consequence = match site.object {
            _ if site.mapping => "the mapping entry is ignored",
            Object::Schema if text => "the value is sent as text (`String`)",
            Object::Schema => "the value is kept as `serde_json::Value`",
            Object::PathItem => "the path's operations are skipped",
            Object::Parameter => "the parameter is skipped",
            Object::RequestBody => "the operation is generated without a body",
            Object::Response => "the status is treated as undocumented",
            Object::Header => "the header is not typed",
            _ => "it is ignored",
        };
        let what = if site.mapping {
            format!("the discriminator `mapping` value `{reference}`")
        } else {
            format!("`$ref: {reference}`")
        };
        self.diags.warning(
            &site.at,
            format!("{what} cannot be followed: {why}; {consequence}"),
            help,
        );
        if !site.mapping && !matches!(site.object, Object::Schema | Object::PathItem) {
            self.unresolved.insert(site.bundled.clone());
        }
        if text {
            // A parameter's or header's value travels as text.
            let mut string = Map::new();
            string.insert("type".to_owned(), Value::String("string".to_owned()));
            return Value::Object(string);
        }
        fallback(site.object, reference)
    }

    /// The root's name for an imported component: its own name, unless the root already
    /// has a different value under it.
    fn local_name(&self, kind: &str, name: &str, value: &Value) -> String {
        let root = self.sources.files.get(&self.sources.root);
        let existing = |n: &str| {
            let pointer = format!("/components/{kind}/{}", escape(n));
            root.and_then(|r| r.pointer(&pointer))
                .or_else(|| self.components.get(kind).and_then(|c| c.get(n)))
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
        let entries = self
            .components
            .entry(kind)
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(entries) = entries.as_object_mut() {
            entries.insert(name.to_owned(), value);
        }
    }
}

/// What stands in for a reference that cannot be followed: any value for a schema, no
/// operations for a path item, and the reference itself for the rest, which the lowering
/// skips.
fn fallback(object: Object, reference: &str) -> Value {
    match object {
        Object::Schema | Object::PathItem => Value::Object(Map::new()),
        _ => ref_value(reference),
    }
}

/// A Swagger 2.0 pointer's place in OpenAPI 3.0 (`/definitions/Pet` is
/// `/components/schemas/Pet`), when something is there.
fn swagger_2_place<'v>(document: &'v Value, fragment: &str) -> Option<(&'v Value, String)> {
    let (section, rest) = fragment.strip_prefix('/')?.split_once('/')?;
    let kind = match section {
        "definitions" => "schemas",
        "parameters" => "parameters",
        "responses" => "responses",
        _ => return None,
    };
    model::lookup(document, &format!("/components/{kind}/{rest}"))
}

fn ref_value(reference: &str) -> Value {
    let mut map = Map::new();
    map.insert("$ref".to_owned(), Value::String(reference.to_owned()));
    Value::Object(map)
}
