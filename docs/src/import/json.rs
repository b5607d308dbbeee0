//! Adds entries to a JSON spec by editing its text: what is there stays byte for byte, the
//! new entries are written in the file's own indentation after the last property of the
//! object they join. Positions come from jsonc-parser's syntax tree.

use jsonc_parser::ast::{Object, Value as Ast};
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};
use serde_json::Value;

/// An object of the document: its range, the start of its last property's end, and the
/// column its properties sit at.
struct Found {
    start: usize,
    end: usize,
    last_property_end: Option<usize>,
    column: Option<usize>,
}

fn find(text: &str, pointer: &str) -> Result<Option<Found>, String> {
    let parsed = parse_to_ast(text, &CollectOptions::default(), &ParseOptions::default())
        .map_err(|err| format!("not JSON: {err}"))?;
    let Some(mut current) = parsed.value else {
        return Err("the document is empty".to_owned());
    };
    let segments: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    for segment in segments {
        let Ast::Object(object) = current else {
            return Ok(None);
        };
        let Some(property) = object
            .properties
            .into_iter()
            .find(|p| p.name.as_str() == segment)
        else {
            return Ok(None);
        };
        current = property.value;
    }
    let Ast::Object(object) = current else {
        return Err(format!("`{pointer}` is not an object"));
    };
    Ok(Some(found(text, &object)))
}

fn found(text: &str, object: &Object<'_>) -> Found {
    let column = object
        .properties
        .first()
        .map(|p| column_of(text, p.range.start));
    Found {
        start: object.range.start,
        end: object.range.end,
        last_property_end: object.properties.last().map(|p| p.range.end),
        column,
    }
}

fn column_of(text: &str, at: usize) -> usize {
    let line_start = text
        .get(..at)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    text.get(line_start..at).map_or(0, |t| t.chars().count())
}

/// The line (1-based) where the object at `pointer` starts.
pub fn line_of(text: &str, pointer: &str) -> Option<usize> {
    let found = find(text, pointer).ok()??;
    Some(text.get(..found.start)?.matches('\n').count() + 1)
}

/// The file's indentation unit: the column of the root object's first property.
fn unit(text: &str) -> usize {
    match find(text, "") {
        Ok(Some(Found {
            column: Some(column),
            ..
        })) if column > 0 => column,
        _ => 2,
    }
}

/// Adds `entries` to the object at `pointer` (creating it in its parent if missing).
pub fn insert_entries(
    text: &str,
    pointer: &str,
    entries: &[(String, Value)],
) -> Result<String, String> {
    let unit = unit(text);
    let Some(object) = find(text, pointer)? else {
        let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
        let key = key.replace("~1", "/").replace("~0", "~");
        let value = Value::Object(entries.iter().cloned().collect());
        return insert_entries(text, parent, &[(key, value)]);
    };
    let depth_column = |fallback: usize| object.column.unwrap_or(fallback);
    let outer = column_of(text, object.start);
    let column = depth_column(outer + unit);
    let body: Vec<String> = entries
        .iter()
        .map(|(key, value)| {
            format!(
                "{}{}: {}",
                " ".repeat(column),
                serde_json::to_string(key).unwrap_or_default(),
                pretty(value, unit, column)
            )
        })
        .collect();
    match object.last_property_end {
        Some(at) => {
            let insert = format!(",\n{}", body.join(",\n"));
            Ok(splice(text, at, at, &insert))
        }
        None => {
            let insert = format!("{{\n{}\n{}}}", body.join(",\n"), " ".repeat(outer));
            Ok(splice(text, object.start, object.end, &insert))
        }
    }
}

/// Adds `item` to the end of the array at `pointer`, or creates the array.
pub fn append_item(text: &str, pointer: &str, item: &Value) -> Result<String, String> {
    let parsed = parse_to_ast(text, &CollectOptions::default(), &ParseOptions::default())
        .map_err(|err| format!("not JSON: {err}"))?;
    let unit = unit(text);
    let mut current = parsed.value;
    for segment in pointer.split('/').skip(1) {
        current = match current {
            Some(Ast::Object(object)) => object
                .properties
                .into_iter()
                .find(|p| p.name.as_str() == segment)
                .map(|p| p.value),
            _ => None,
        };
    }
    match current {
        Some(Ast::Array(array)) => {
            let outer = column_of(text, array.range.start);
            match array.elements.last() {
                Some(last) => {
                    let end = jsonc_parser::common::Ranged::range(last).end;
                    let column = array
                        .elements
                        .first()
                        .map(|e| column_of(text, jsonc_parser::common::Ranged::range(e).start))
                        .unwrap_or(outer + unit);
                    let insert = format!(",\n{}{}", " ".repeat(column), pretty(item, unit, column));
                    Ok(splice(text, end, end, &insert))
                }
                None => {
                    let column = outer + unit;
                    let insert = format!(
                        "[\n{}{}\n{}]",
                        " ".repeat(column),
                        pretty(item, unit, column),
                        " ".repeat(outer)
                    );
                    Ok(splice(text, array.range.start, array.range.end, &insert))
                }
            }
        }
        Some(_) => Err(format!("`{pointer}` is not an array")),
        None => {
            let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
            insert_entries(
                text,
                parent,
                &[(key.to_owned(), Value::Array(vec![item.clone()]))],
            )
        }
    }
}

/// `value` as pretty JSON with `unit` spaces per level, its lines after the first shifted to
/// `column`.
fn pretty(value: &Value, unit: usize, column: usize) -> String {
    let indent = " ".repeat(unit);
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(indent.as_bytes());
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    if serde::Serialize::serialize(value, &mut serializer).is_err() {
        return "null".to_owned();
    }
    let text = String::from_utf8(out).unwrap_or_default();
    let pad = " ".repeat(column);
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            if i == 0 {
                line.to_owned()
            } else {
                format!("{pad}{line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn splice(text: &str, from: usize, to: usize, with: &str) -> String {
    let mut out = String::with_capacity(text.len() + with.len());
    out.push_str(text.get(..from).unwrap_or_default());
    out.push_str(with);
    out.push_str(text.get(to..).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn entries_join_the_object_in_the_file_s_indentation() {
        let spec =
            "{\n    \"openapi\": \"3.0.0\",\n    \"paths\": {\n        \"/a\": {}\n    }\n}\n";
        let out = insert_entries(
            spec,
            "/paths",
            &[("/b".to_owned(), json!({"get": {"tags": ["x"]}}))],
        )
        .unwrap_or_default();
        assert_eq!(
            out,
            "{\n    \"openapi\": \"3.0.0\",\n    \"paths\": {\n        \"/a\": {},\n        \"/b\": {\n            \"get\": {\n                \"tags\": [\n                    \"x\"\n                ]\n            }\n        }\n    }\n}\n"
        );
        let out = insert_entries(
            spec,
            "/components/schemas",
            &[("A".to_owned(), json!({"type": "object"}))],
        )
        .unwrap_or_default();
        let value: Value = serde_json::from_str(&out).unwrap_or_default();
        assert_eq!(
            value.pointer("/components/schemas/A/type"),
            Some(&json!("object"))
        );
        let out = append_item(spec, "/tags", &json!({"name": "T"})).unwrap_or_default();
        let value: Value = serde_json::from_str(&out).unwrap_or_default();
        assert_eq!(value.pointer("/tags/0/name"), Some(&json!("T")));
    }
}
