//! Stage 1½: apply Overlay documents to the spec before anything else reads it.
//!
//! Implements the [Overlay Specification 1.0.0](https://spec.openapis.org/overlay/v1.0.0.html):
//! - overlays apply in the order given, and the actions of each in their order, every action to
//!   the result of the one before; an overlay applies to the root document of the spec (its
//!   `extends` is not checked: it usually names the vendor's published URL);
//! - `target` is an RFC 9535 JSONPath query (`serde_json_path`) over the root document as
//!   written: it does not follow `$ref`s;
//! - `remove: true` removes each selected node from the object or array holding it (an
//!   `update` beside it is ignored, with a warning);
//! - `update` merges into each selected object; for a selected array, an array `update` is
//!   concatenated and any other value appended. Merging is recursive, by the rules Overlay
//!   1.1.0 spells out for 1.0.0's "recursively merged": a property only in the `update` is
//!   inserted, objects merge, arrays concatenate, a primitive replaces a primitive, and any
//!   other pairing (an object over a string, say) is an error;
//! - a selected primitive is an error for `update` (1.0.0: targets select objects or arrays);
//! - a `target` that selects nothing is a warning: the spec changed since the overlay was
//!   written, and the patch may be stale.
//!
//! Every value an `update` puts into the document is recorded in [`Origins`], as is every
//! array item a removal moves, so a diagnostic about a patched part points into the overlay
//! (or to the item's place in the spec as written): [`Origins::relocate`] runs on all
//! diagnostics before positions are found.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::{Map, Value};
use serde_json_path::JsonPath;

use crate::diag::{Cursor, Diagnostic, Diagnostics, Location, escape};
use crate::load::{self, Sources};

/// Applies the overlays at `overlays` to the root document in `sources`, and loads any file a
/// `$ref` they added refers to. The overlays' texts join `sources.texts`. When an overlay is
/// malformed, nothing is applied.
pub fn apply(sources: &mut Sources, overlays: &[PathBuf], diags: &mut Diagnostics) -> Origins {
    let root = sources.root.clone();
    let mut origins = Origins {
        root: root.clone(),
        places: BTreeMap::new(),
    };
    let errors_before = diags.error_count();
    let loaded: Vec<(String, Value)> = overlays
        .iter()
        .filter_map(|path| load::load_overlay(path, sources, diags))
        .collect();
    let parsed: Vec<(&str, Vec<Action<'_>>)> = loaded
        .iter()
        .filter_map(|(file, value)| Some((file.as_str(), actions(file, value, diags)?)))
        .collect();
    if diags.error_count() > errors_before {
        return origins;
    }
    let Some(document) = sources.files.get_mut(&root) else {
        return origins;
    };
    for (file, actions) in &parsed {
        for action in actions {
            apply_action(document, file, action, &mut origins, diags);
        }
    }
    if !overlays.is_empty() {
        load::load_new_refs(sources, &root, diags);
    }
    origins
}

/// Where the parts of the patched root document came from, for diagnostics.
#[derive(Debug, Default)]
pub struct Origins {
    root: String,
    /// A pointer into the patched root document, to the place its value came from: an
    /// `update` value in an overlay, or for an array item that a removal moved, its place in
    /// the spec as written. A pointer without an entry (nor one for any of its ancestors) is
    /// where it was in the spec.
    places: BTreeMap<String, Location>,
}

impl Origins {
    /// The place the value at `pointer` in the patched root document came from.
    pub fn locate(&self, pointer: &str) -> Location {
        let mut prefix = pointer;
        loop {
            if let Some(origin) = self.places.get(prefix) {
                let rest = pointer.get(prefix.len()..).unwrap_or_default();
                return Location::new(origin.file.as_str(), format!("{}{rest}", origin.pointer));
            }
            match prefix.rsplit_once('/') {
                Some((parent, _)) => prefix = parent,
                None => return Location::new(self.root.as_str(), pointer),
            }
        }
    }

    /// Points every diagnostic (and related place) about the patched root document at the
    /// place its subject came from. Positions a parser gave are about the text as written,
    /// and are kept.
    pub fn relocate(&self, diagnostics: &mut [Diagnostic]) {
        if self.places.is_empty() {
            return;
        }
        for d in diagnostics.iter_mut() {
            if d.file == self.root && d.line.is_none() {
                let place = self.locate(&d.pointer);
                d.file = place.file;
                d.pointer = place.pointer;
            }
            for r in d.related.iter_mut() {
                if r.file == self.root && r.line.is_none() {
                    let place = self.locate(&r.pointer);
                    r.file = place.file;
                    r.pointer = place.pointer;
                }
            }
        }
    }

    /// The value at `pointer` now comes from `origin`, and so does everything inside it.
    fn insert(&mut self, pointer: &str, origin: Location) {
        self.forget(pointer);
        self.places.insert(pointer.to_owned(), origin);
    }

    /// Drops what is known about `pointer` and everything inside it.
    fn forget(&mut self, pointer: &str) {
        let inside = format!("{pointer}/");
        self.places
            .retain(|key, _| key != pointer && !key.starts_with(&inside));
    }

    /// Item `index` of the array at `array` (which had `length` items) was removed: the items
    /// after it move up one place, and keep pointing where they came from.
    fn removed_item(&mut self, array: &str, index: usize, length: usize) {
        let mut moved = Vec::new();
        for old in index + 1..length {
            let from = format!("{array}/{old}");
            let to = format!("{array}/{}", old - 1);
            moved.push((to.clone(), self.locate(&from)));
            let inside = format!("{from}/");
            for (key, origin) in self.places.range(inside.clone()..) {
                let Some(rest) = key.strip_prefix(&inside) else {
                    break;
                };
                moved.push((format!("{to}/{rest}"), origin.clone()));
            }
        }
        for old in index..length {
            self.forget(&format!("{array}/{old}"));
        }
        self.places.extend(moved);
    }
}

/// One action of an overlay, checked.
struct Action<'a> {
    /// `/actions/3`.
    at: String,
    target: JsonPath,
    /// The query as written, for messages.
    query: &'a str,
    update: Option<&'a Value>,
    remove: bool,
}

const OVERLAY_FIELDS: &[&str] = &["overlay", "info", "extends", "actions"];
const INFO_FIELDS: &[&str] = &["title", "version"];
const ACTION_FIELDS: &[&str] = &["target", "description", "update", "remove"];

/// Checks the overlay's shape and returns its actions; `None` after any error.
fn actions<'a>(file: &str, overlay: &'a Value, diags: &mut Diagnostics) -> Option<Vec<Action<'a>>> {
    let errors_before = diags.error_count();
    let root = Location::new(file, "");
    let map = overlay.as_object()?;
    unknown_fields(map, OVERLAY_FIELDS, &root, "an Overlay document", diags);
    match map.get("overlay") {
        Some(Value::String(v)) if is_version_1_0(v) => {}
        Some(Value::String(v)) => diags.error(
            &root.join("overlay"),
            format!("this is an Overlay {v} document; only Overlay 1.0 is supported"),
            "use only `target`, `update` and `remove` in the actions and set `overlay: 1.0.0`",
        ),
        Some(other) => diags.error(
            &root.join("overlay"),
            format!("`overlay` is {}, not a version string", kind_of(other)),
            "quote the version: `overlay: \"1.0.0\"`",
        ),
        None => diags.error(
            &root.join("overlay"),
            "`overlay` is missing, so this is not an Overlay document",
            "start the file with `overlay: 1.0.0`, then `info` (`title`, `version`) and `actions`",
        ),
    }
    match map.get("info") {
        Some(Value::Object(info)) => {
            let at = root.join("info");
            unknown_fields(info, INFO_FIELDS, &at, "the Overlay's `info`", diags);
            for field in INFO_FIELDS {
                expect_string(info, field, true, &at, diags);
            }
        }
        Some(other) => diags.error(
            &root.join("info"),
            format!("`info` is {}, not an object", kind_of(other)),
            "give `info` a `title` and a `version`",
        ),
        None => diags.error(
            &root.join("info"),
            "`info` is missing",
            "add `info` with a `title` and a `version` (of the overlay)",
        ),
    }
    expect_string(map, "extends", false, &root, diags);
    let actions = match map.get("actions") {
        Some(Value::Array(items)) if !items.is_empty() => items,
        Some(Value::Array(_)) => {
            diags.error(
                &root.join("actions"),
                "`actions` is empty",
                "add at least one action (`target` with `update` or `remove: true`)",
            );
            return None;
        }
        Some(other) => {
            diags.error(
                &root.join("actions"),
                format!("`actions` is {}, not a list", kind_of(other)),
                "give `actions` as a list of actions, each with a `target`",
            );
            return None;
        }
        None => {
            diags.error(
                &root.join("actions"),
                "`actions` is missing",
                "add `actions`: a list of actions, each with a `target` and `update` or `remove: true`",
            );
            return None;
        }
    };
    let parsed: Vec<Action<'a>> = actions
        .iter()
        .enumerate()
        .filter_map(|(i, action)| {
            action_of(&root.join("actions").join(&i.to_string()), action, diags)
        })
        .collect();
    (diags.error_count() == errors_before).then_some(parsed)
}

fn action_of<'a>(at: &Location, action: &'a Value, diags: &mut Diagnostics) -> Option<Action<'a>> {
    let Value::Object(map) = action else {
        diags.error(
            at,
            format!("an action is {}, not an object", kind_of(action)),
            "give each action a `target` and `update` or `remove: true`",
        );
        return None;
    };
    unknown_fields(map, ACTION_FIELDS, at, "an action", diags);
    expect_string(map, "description", false, at, diags);
    let remove = match map.get("remove") {
        None => Some(false),
        Some(Value::Bool(remove)) => Some(*remove),
        Some(other) => {
            diags.error(
                &at.join("remove"),
                format!("`remove` is {}, not a boolean", kind_of(other)),
                "write `remove: true`, or leave it out",
            );
            None
        }
    };
    let update = map.get("update");
    match (remove, update) {
        (Some(true), Some(_)) => diags.warning(
            &at.join("update"),
            "`update` is ignored: the action has `remove: true`",
            "split it into two actions: one that removes, then one that updates",
        ),
        (Some(false), None) => diags.warning(
            at,
            "this action does nothing: it has neither `update` nor `remove: true`",
            "add the `update` to merge, or `remove: true`",
        ),
        _ => {}
    }
    let query = expect_string(map, "target", true, at, diags)?;
    let target = match JsonPath::parse(query) {
        Ok(target) => target,
        Err(err) => {
            diags.error(
                &at.join("target"),
                format!(
                    "`target` is not a JSONPath query (RFC 9535): {} (at character {})",
                    err.message(),
                    err.position()
                ),
                "a query starts with `$`; put names holding `/`, `{` or `.` in brackets: `$.paths['/pets/{id}'].get`",
            );
            return None;
        }
    };
    Some(Action {
        at: at.pointer.clone(),
        target,
        query,
        update,
        remove: remove.unwrap_or_default(),
    })
}

fn is_version_1_0(version: &str) -> bool {
    version
        .strip_prefix("1.0.")
        .is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit()))
}

/// The string at `map[field]`; reports it when it is not a string, or missing and `required`.
fn expect_string<'a>(
    map: &'a Map<String, Value>,
    field: &str,
    required: bool,
    at: &Location,
    diags: &mut Diagnostics,
) -> Option<&'a str> {
    match map.get(field) {
        Some(Value::String(s)) => Some(s),
        Some(other) => {
            diags.error(
                &at.join(field),
                format!("`{field}` is {}, not a string", kind_of(other)),
                format!("quote the value of `{field}`"),
            );
            None
        }
        None if required => {
            diags.error(
                &at.join(field),
                format!("`{field}` is missing"),
                format!("add `{field}`: the Overlay Specification requires it"),
            );
            None
        }
        None => None,
    }
}

/// Reports fields the Overlay Specification does not define (`x-` extensions aside): a
/// misspelt `remove` would otherwise do nothing without a word.
fn unknown_fields(
    map: &Map<String, Value>,
    allowed: &[&str],
    at: &Location,
    what: &str,
    diags: &mut Diagnostics,
) {
    for key in map.keys() {
        if !allowed.contains(&key.as_str()) && !key.starts_with("x-") {
            let names: Vec<String> = allowed.iter().map(|f| format!("`{f}`")).collect();
            diags.error(
                &at.join(key),
                format!("`{key}` is not a field of {what}"),
                format!(
                    "{what} has {} and `x-` extensions; check the spelling",
                    names.join(", ")
                ),
            );
        }
    }
}

/// One step of a path into the document, ordered so that sorting puts the items of an array
/// in order and a node before the nodes inside it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Index(usize),
    Key(String),
}

fn pointer_of(path: &[Step]) -> String {
    let mut pointer = String::new();
    for step in path {
        pointer.push('/');
        match step {
            Step::Index(i) => pointer.push_str(&i.to_string()),
            Step::Key(key) => pointer.push_str(&escape(key)),
        }
    }
    pointer
}

fn apply_action(
    document: &mut Value,
    file: &str,
    action: &Action<'_>,
    origins: &mut Origins,
    diags: &mut Diagnostics,
) {
    let at = Location::new(file, action.at.as_str());
    let mut selected: Vec<Vec<Step>> = action
        .target
        .query_located(document)
        .locations()
        .map(|path| {
            path.iter()
                .map(|step| match step.as_index() {
                    Some(i) => Step::Index(i),
                    None => Step::Key(step.as_name().unwrap_or_default().to_owned()),
                })
                .collect()
        })
        .collect();
    selected.sort();
    selected.dedup();
    if selected.is_empty() {
        diags.warning(
            &at.join("target"),
            format!("`target` `{}` selects nothing in `{}`", action.query, origins.root),
            "the spec may have changed since the overlay was written: check the query against it, or delete the action",
        );
        return;
    }
    if action.remove {
        // Last first, so removing an array item does not move the ones still to remove.
        for path in selected.iter().rev() {
            remove(document, path, &at, origins, diags);
        }
    } else if let Some(update) = action.update {
        for path in &selected {
            update_at(document, path, update, file, &at, origins, diags);
        }
    }
}

fn remove(
    document: &mut Value,
    path: &[Step],
    at: &Location,
    origins: &mut Origins,
    diags: &mut Diagnostics,
) {
    let Some((last, parent)) = path.split_last() else {
        diags.error(
            &at.join("target"),
            "`target` selects the whole document, which cannot be removed",
            "select the parts to remove, such as `$.paths['/internal']`",
        );
        return;
    };
    let parent = pointer_of(parent);
    match (document.pointer_mut(&parent), last) {
        (Some(Value::Object(map)), Step::Key(key)) => {
            map.shift_remove(key);
            origins.forget(&format!("{parent}/{}", escape(key)));
        }
        (Some(Value::Array(items)), Step::Index(index)) if *index < items.len() => {
            let length = items.len();
            items.remove(*index);
            origins.removed_item(&parent, *index, length);
        }
        // Already gone with a node that held it.
        _ => {}
    }
}

fn update_at(
    document: &mut Value,
    path: &[Step],
    update: &Value,
    file: &str,
    at: &Location,
    origins: &mut Origins,
    diags: &mut Diagnostics,
) {
    let pointer = pointer_of(path);
    let mut from = Cursor::new(&format!("{}/update", at.pointer));
    let mut to = Cursor::new(&pointer);
    match (document.pointer_mut(&pointer), update) {
        (Some(Value::Object(target)), Value::Object(update)) => {
            merge(target, update, &mut to, &mut from, file, origins, diags);
        }
        (Some(Value::Object(_)), other) => diags.error(
            &from.location(file),
            format!(
                "`update` is {}, but `target` selects an object (at `#{pointer}`) to merge it into",
                kind_of(other)
            ),
            "give the properties to merge as an object; to change one property, name it: `update: {description: ...}`",
        ),
        (Some(Value::Array(items)), Value::Array(added)) => {
            concatenate(items, added, &mut to, &mut from, file, origins);
        }
        (Some(Value::Array(items)), added) => {
            let mark = to.push_index(items.len());
            items.push(added.clone());
            origins.insert(to.as_str(), from.location(file));
            to.pop(mark);
        }
        (Some(other), _) => diags.error(
            &at.join("target"),
            format!(
                "`target` selects {} (at `#{pointer}`), but an Overlay 1.0 `update` applies to objects and arrays only",
                kind_of(other)
            ),
            "select the object that holds the value and name it in `update`: `target: $.info`, `update: {title: ...}`",
        ),
        (None, _) => {}
    }
}

/// Merges `update` into `target`; `to` and `from` point at the two, in the document and in
/// the overlay.
fn merge(
    target: &mut Map<String, Value>,
    update: &Map<String, Value>,
    to: &mut Cursor,
    from: &mut Cursor,
    file: &str,
    origins: &mut Origins,
    diags: &mut Diagnostics,
) {
    for (key, value) in update {
        let to_mark = to.push(key);
        let from_mark = from.push(key);
        match (target.get_mut(key), value) {
            (None, value) => {
                target.insert(key.clone(), value.clone());
                origins.insert(to.as_str(), from.location(file));
            }
            (Some(Value::Object(inner)), Value::Object(update)) => {
                merge(inner, update, to, from, file, origins, diags);
            }
            (Some(Value::Array(items)), Value::Array(added)) => {
                concatenate(items, added, to, from, file, origins);
            }
            (Some(old), value) if !is_container(old) && !is_container(value) => {
                *old = value.clone();
                origins.insert(to.as_str(), from.location(file));
            }
            (Some(old), value) => diags.error(
                &from.location(file),
                format!(
                    "`update` gives {} for `{key}`, where the document has {} (at `#{}`); Overlay merges objects into objects and arrays into arrays, and replaces only primitive values",
                    kind_of(value),
                    kind_of(old),
                    to.as_str()
                ),
                "to replace the value, remove it in an action before this one (`remove: true`), then add it with this `update`",
            ),
        }
        from.pop(from_mark);
        to.pop(to_mark);
    }
}

fn concatenate(
    items: &mut Vec<Value>,
    added: &[Value],
    to: &mut Cursor,
    from: &mut Cursor,
    file: &str,
    origins: &mut Origins,
) {
    for (i, item) in added.iter().enumerate() {
        let to_mark = to.push_index(items.len());
        let from_mark = from.push_index(i);
        items.push(item.clone());
        origins.insert(to.as_str(), from.location(file));
        from.pop(from_mark);
        to.pop(to_mark);
    }
}

fn is_container(value: &Value) -> bool {
    matches!(value, Value::Object(_) | Value::Array(_))
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn origins(places: &[(&str, &str, &str)]) -> Origins {
        Origins {
            root: "spec.yaml".into(),
            places: places
                .iter()
                .map(|(to, file, from)| ((*to).to_owned(), Location::new(*file, *from)))
                .collect(),
        }
    }

    #[test]
    fn a_pointer_is_located_by_its_longest_recorded_prefix() {
        let o = origins(&[("/a", "o.yaml", "/actions/0/update/a")]);
        assert_eq!(
            o.locate("/a/b/0"),
            Location::new("o.yaml", "/actions/0/update/a/b/0")
        );
        assert_eq!(o.locate("/ab"), Location::new("spec.yaml", "/ab"));
        assert_eq!(o.locate(""), Location::new("spec.yaml", ""));
    }

    #[test]
    fn removing_an_array_item_moves_the_places_after_it() {
        let mut o = origins(&[
            ("/list/1", "o.yaml", "/x"),
            ("/list/3/name", "o.yaml", "/y"),
        ]);
        o.removed_item("/list", 1, 4);
        // Item 2 of the spec moved to 1; the overlay's item 3 (with its name) to 2.
        assert_eq!(o.locate("/list/0"), Location::new("spec.yaml", "/list/0"));
        assert_eq!(
            o.locate("/list/1/a"),
            Location::new("spec.yaml", "/list/2/a")
        );
        assert_eq!(o.locate("/list/2"), Location::new("spec.yaml", "/list/3"));
        assert_eq!(o.locate("/list/2/name"), Location::new("o.yaml", "/y"));
        assert_eq!(o.locate("/list/3"), Location::new("spec.yaml", "/list/3"));
    }

    #[test]
    fn versions() {
        assert!(is_version_1_0("1.0.0") && is_version_1_0("1.0.12"));
        assert!(!is_version_1_0("1.0") && !is_version_1_0("1.1.0") && !is_version_1_0("1.0.x"));
    }
}
