//! `$ref`s to values that moved: `#/definitions/Pet` becomes `#/components/schemas/Pet`, a
//! reference into `$defs` follows the schema to `components/schemas`. Discriminator mappings
//! that are references follow too.

use std::collections::BTreeMap;

use serde_json::Value;

use super::moves::PrefixMap;
use crate::load;

/// Rewrites every reference, in every file, whose target was relocated (`relocations`: per
/// file, from the pointer written to the pointer now).
pub(super) fn relocate(
    files: &mut BTreeMap<String, Value>,
    relocations: &BTreeMap<String, PrefixMap<String>>,
) {
    if relocations.values().all(PrefixMap::is_empty) {
        return;
    }
    for (file, value) in files.iter_mut() {
        walk(value, file, relocations);
    }
}

fn walk(value: &mut Value, file: &str, relocations: &BTreeMap<String, PrefixMap<String>>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref") {
                if let Some(moved) = relocated(reference, file, relocations) {
                    *reference = moved;
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
            for child in map.values_mut() {
                if matches!(child, Value::Object(_) | Value::Array(_)) {
                    walk(child, file, relocations);
                }
            }
        }
        Value::Array(items) => {
            for child in items {
                if matches!(child, Value::Object(_) | Value::Array(_)) {
                    walk(child, file, relocations);
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
