//! `$ref`s to values that moved: `#/definitions/Pet` becomes `#/components/schemas/Pet`, a
//! reference into `$defs` follows the schema to `components/schemas`. Discriminator mappings
//! that are references follow too.

use std::collections::BTreeMap;

use serde_json::Value;

use super::moves::{Moves, PrefixMap};
use crate::diag::{Cursor, Diagnostics};
use crate::load;

/// Rewrites every reference, in every file, whose target was relocated (`relocations`: per
/// file, from the pointer written to the pointer now). A relocated reference whose target
/// does not exist is reported here, in the user's words, and replaced by an empty schema so
/// the reference check does not report it again in the rewritten words.
pub(super) fn relocate(
    files: &mut BTreeMap<String, Value>,
    relocations: &BTreeMap<String, PrefixMap<String>>,
    moves: &Moves,
    diags: &mut Diagnostics,
) {
    if relocations.values().all(PrefixMap::is_empty) {
        return;
    }
    let mut broken = Vec::new();
    for (file, value) in files.iter_mut() {
        walk(
            value,
            file,
            relocations,
            &mut Cursor::default(),
            &mut broken,
        );
    }
    for (file, pointer, written) in broken {
        let (target, fragment) = target_of(&file, &written);
        let exists = files.get(&target).is_some_and(|document| {
            document
                .pointer(&fragment_now(&target, &fragment, relocations))
                .is_some()
        });
        let loaded = files.contains_key(&target);
        if exists || !loaded {
            continue;
        }
        if let Some(Value::Object(holder)) =
            files.get_mut(&file).and_then(|d| d.pointer_mut(&pointer))
        {
            holder.shift_remove("$ref");
        }
        let at = moves.locate(&file, &format!("{pointer}/$ref"));
        diags.error(
            &at,
            format!("`$ref: {written}` points nowhere"),
            "fix the JSON pointer after `#` so it names an existing value",
        );
    }
}

/// The file and fragment a reference written in `file` names.
fn target_of(file: &str, reference: &str) -> (String, String) {
    let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    let target = if file_part.is_empty() {
        file.to_owned()
    } else {
        load::join(file, file_part)
    };
    (target, fragment.to_owned())
}

/// Where a fragment written for `target` points now.
fn fragment_now(
    target: &str,
    fragment: &str,
    relocations: &BTreeMap<String, PrefixMap<String>>,
) -> String {
    match relocations.get(target).and_then(|m| m.find(fragment)) {
        Some((to, rest)) => format!("{to}{rest}"),
        None => fragment.to_owned(),
    }
}

/// Rewrites the references under `value`; each one rewritten is noted in `rewritten` (its
/// file, the pointer of the object that holds it, the reference as written) to be checked.
fn walk(
    value: &mut Value,
    file: &str,
    relocations: &BTreeMap<String, PrefixMap<String>>,
    at: &mut Cursor,
    rewritten: &mut Vec<(String, String, String)>,
) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref") {
                if let Some(moved) = relocated(reference, file, relocations) {
                    let written = std::mem::replace(reference, moved);
                    rewritten.push((file.to_owned(), at.as_str().to_owned(), written));
                }
            }
            if let Some(Value::Object(mapping)) = map
                .get_mut("discriminator")
                .and_then(|d| d.get_mut("mapping"))
            {
                for target in mapping.values_mut() {
                    if let Value::String(reference) = target {
                        if reference.contains('#') {
                            if let Some(moved) = relocated(reference, file, relocations) {
                                *reference = moved;
                            }
                        }
                    }
                }
            }
            for (key, child) in map.iter_mut() {
                if matches!(child, Value::Object(_) | Value::Array(_)) {
                    let mark = at.push(key);
                    walk(child, file, relocations, at, rewritten);
                    at.pop(mark);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                if matches!(child, Value::Object(_) | Value::Array(_)) {
                    let mark = at.push_index(i);
                    walk(child, file, relocations, at, rewritten);
                    at.pop(mark);
                }
            }
        }
        _ => {}
    }
}

/// The reference as it must now be written, when its target moved.
fn relocated(
    reference: &str,
    file: &str,
    relocations: &BTreeMap<String, PrefixMap<String>>,
) -> Option<String> {
    let (file_part, fragment) = reference.split_once('#')?;
    if file_part.contains("://") {
        return None;
    }
    let target = if file_part.is_empty() {
        file.to_owned()
    } else {
        load::join(file, file_part)
    };
    let (to, rest) = relocations.get(&target)?.find(fragment)?;
    Some(format!("{file_part}#{to}{rest}"))
}

/// Rewrites the references of `value`, copied from the file `from` into the file `to`, so
/// they still name the same places.
pub(super) fn rebase(value: &mut Value, from: &str, to: &str) {
    if from == to {
        return;
    }
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref") {
                let (file_part, fragment) = match reference.split_once('#') {
                    Some((f, rest)) => (f.to_owned(), Some(rest.to_owned())),
                    None => (reference.clone(), None),
                };
                if !file_part.contains("://") {
                    let target = if file_part.is_empty() {
                        from.to_owned()
                    } else {
                        load::join(from, &file_part)
                    };
                    let file_part = if target == to {
                        String::new()
                    } else {
                        relative(to, &target)
                    };
                    *reference = match fragment {
                        Some(fragment) => format!("{file_part}#{fragment}"),
                        None => file_part,
                    };
                }
            }
            for child in map.values_mut() {
                rebase(child, from, to);
            }
        }
        Value::Array(items) => {
            for child in items {
                rebase(child, from, to);
            }
        }
        _ => {}
    }
}

/// The path of `target` relative to the directory of `from` (both display paths).
fn relative(from: &str, target: &str) -> String {
    let mut from_dir: Vec<&str> = from.split('/').collect();
    from_dir.pop();
    let target_parts: Vec<&str> = target.split('/').collect();
    let target_dir = target_parts.len().saturating_sub(1);
    let common = from_dir
        .iter()
        .zip(target_parts.iter().take(target_dir))
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<&str> = vec![".."; from_dir.len() - common];
    parts.extend(target_parts.iter().skip(common));
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::relative;

    #[test]
    fn relative_paths_between_display_paths() {
        assert_eq!(
            relative("spec/openapi.yaml", "spec/params.yaml"),
            "params.yaml"
        );
        assert_eq!(
            relative("spec/openapi.yaml", "spec/common/a.yaml"),
            "common/a.yaml"
        );
        assert_eq!(relative("spec/common/a.yaml", "spec/b.yaml"), "../b.yaml");
        assert_eq!(relative("openapi.yaml", "../b.yaml"), "../b.yaml");
    }
}
