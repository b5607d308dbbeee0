//! Adds entries to a YAML spec by editing its text: what is there stays byte for byte
//! (comments, quoting, folding), the new entries are written in the file's own indentation,
//! after the last entry of the mapping they join. Positions come from saphyr-parser's events.

use serde_json::Value;
use std::collections::HashMap;

use saphyr_parser::{Event, Parser};

/// A mapping or sequence of the document.
#[derive(Clone, Debug)]
pub struct Node {
    /// Byte offset of its first key, item or `{`.
    pub start: usize,
    /// Byte offset just past its last content.
    pub end: usize,
    /// Column (in characters) of its first key or `-`.
    pub column: usize,
    /// Written `{...}` or `[...]`.
    pub flow: bool,
    pub empty: bool,
    /// Line (1-based) of its start.
    pub line: usize,
}

enum Frame {
    Map {
        pointer: String,
        key: Option<String>,
        expecting_key: bool,
        node: Node,
    },
    Seq {
        pointer: String,
        index: usize,
        node: Node,
    },
}

impl Frame {
    fn node(&mut self) -> &mut Node {
        match self {
            Frame::Map { node, .. } | Frame::Seq { node, .. } => node,
        }
    }
}

/// Every mapping and sequence of the first document, by JSON pointer.
pub fn containers(text: &str) -> HashMap<String, Node> {
    // Markers count characters; edits need bytes.
    let bytes: Vec<usize> = text
        .char_indices()
        .map(|(at, _)| at)
        .chain([text.len()])
        .collect();
    let byte = |chars: usize| bytes.get(chars).copied().unwrap_or(text.len());
    let mut found = HashMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut started = false;
    for event in Parser::new_from_str(text) {
        let Ok((event, span)) = event else {
            break;
        };
        let (start, end) = (byte(span.start.index()), byte(span.end.index()));
        let is_node = matches!(
            event,
            Event::Scalar(..)
                | Event::Alias(_)
                | Event::MappingStart(..)
                | Event::SequenceStart(..)
        );
        if is_node {
            if started && stack.is_empty() {
                break;
            }
            started = true;
            for frame in &mut stack {
                let node = frame.node();
                node.end = node.end.max(end);
                node.empty = false;
            }
            let pointer = match stack.last_mut() {
                None => Some(String::new()),
                Some(Frame::Map {
                    pointer,
                    key,
                    expecting_key,
                    ..
                }) => {
                    if *expecting_key {
                        *key = match &event {
                            Event::Scalar(text, ..) => Some(text.to_string()),
                            _ => None,
                        };
                        *expecting_key = false;
                        None
                    } else {
                        let child = key.as_ref().map(|k| format!("{pointer}/{}", escape(k)));
                        *expecting_key = true;
                        child
                    }
                }
                Some(Frame::Seq { pointer, index, .. }) => {
                    let child = format!("{pointer}/{index}");
                    *index += 1;
                    Some(child)
                }
            };
            // A sequence written without indentation starts (for saphyr) at its first item's
            // content; its dash is what new items align with.
            let (start, column) = match event {
                Event::SequenceStart(..) => dash(text, start).unwrap_or((start, span.start.col())),
                _ => (start, span.start.col()),
            };
            let node = Node {
                start,
                end,
                column,
                flow: matches!(
                    text.get(start..).and_then(|t| t.chars().next()),
                    Some('{' | '[')
                ),
                empty: true,
                line: span.start.line(),
            };
            let pointer = pointer.unwrap_or_else(|| "\u{0}".to_owned());
            match event {
                Event::MappingStart(..) => stack.push(Frame::Map {
                    pointer,
                    key: None,
                    expecting_key: true,
                    node,
                }),
                Event::SequenceStart(..) => stack.push(Frame::Seq {
                    pointer,
                    index: 0,
                    node,
                }),
                _ => {}
            }
        } else if matches!(event, Event::MappingEnd | Event::SequenceEnd) {
            if let Some(mut frame) = stack.pop() {
                if frame.node().flow {
                    // A flow collection ends at its bracket.
                    frame.node().end = frame.node().end.max(end);
                }
                match frame {
                    Frame::Map { pointer, node, .. } | Frame::Seq { pointer, node, .. } => {
                        if let Some(parent) = stack.last_mut() {
                            let parent = parent.node();
                            parent.end = parent.end.max(node.end);
                        }
                        found.insert(pointer, node);
                    }
                }
            }
            if stack.is_empty() {
                break;
            }
        }
    }
    found
}

/// The `- ` that begins the block sequence item holding `at`, on the same line, and its
/// column.
fn dash(text: &str, at: usize) -> Option<(usize, usize)> {
    let line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let before = text.get(line_start..at)?;
    let offset = before.rfind("- ").filter(|&i| {
        before
            .get(..i)
            .is_some_and(|lead| lead.chars().all(|c| c == ' ' || c == '-'))
    })?;
    let column = before.get(..offset)?.chars().count();
    Some((line_start + offset, column))
}

/// Escapes a JSON pointer segment.
fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// How the file indents.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub unit: usize,
    /// `key:\n  - item` rather than `key:\n- item`.
    pub indent_sequences: bool,
}

/// The file's indentation: that of its first nested mapping, and of its sequences.
pub fn style(text: &str, nodes: &HashMap<String, Node>) -> Style {
    let root = nodes.get("").map_or(0, |n| n.column);
    let mut unit = 2;
    let mut indent_sequences = true;
    let mut children: Vec<(&String, &Node)> = nodes
        .iter()
        .filter(|(pointer, node)| {
            !node.flow && pointer.matches('/').count() == 1 && !pointer.is_empty()
        })
        .collect();
    children.sort_by_key(|(_, node)| node.start);
    if let Some((_, node)) = children
        .iter()
        .find(|(_, node)| !text.get(node.start..).unwrap_or_default().starts_with('-'))
    {
        if node.column > root {
            unit = node.column - root;
        }
    }
    if let Some((_, node)) = children
        .iter()
        .find(|(_, node)| text.get(node.start..).unwrap_or_default().starts_with('-'))
    {
        indent_sequences = node.column > root;
    }
    Style {
        unit,
        indent_sequences,
    }
}

/// What to add to a mapping: `key: value` entries.
pub fn insert_entries(
    text: &str,
    pointer: &str,
    entries: &[(String, Value)],
) -> Result<String, String> {
    let nodes = containers(text);
    let style = style(text, &nodes);
    if let Some(node) = nodes.get(pointer) {
        if node.flow {
            if !node.empty {
                return Err(format!(
                    "`{pointer}` is written in flow style (`{{...}}`); write it in block style \
                     to import into it"
                ));
            }
            // `paths: {}` becomes a block mapping.
            let parent_column = parent_column(&nodes, pointer);
            let column = parent_column + style.unit;
            let mut block = String::from("\n");
            for (key, value) in entries {
                block.push_str(&indent(&entry(key, value, style), column));
            }
            let block = block.trim_end_matches('\n').to_owned();
            let close = text
                .get(node.start..)
                .and_then(|t| t.find('}'))
                .map_or(node.end, |at| node.start + at + 1);
            // From just after `key:`, so no space is left at the end of that line.
            let from = text
                .get(..node.start)
                .map_or(node.start, |t| t.trim_end_matches(' ').len());
            return Ok(splice(text, from, close, &block));
        }
        let at = line_end(text, node.end);
        let mut block = String::new();
        if at > 0 && text.get(at - 1..at) != Some("\n") {
            block.push('\n');
        }
        for (key, value) in entries {
            block.push_str(&indent(&entry(key, value, style), node.column));
        }
        return Ok(splice(text, at, at, &block));
    }
    // The mapping is missing: add it to its parent, with the entries.
    let (parent, key) = match pointer.rsplit_once('/') {
        Some((parent, key)) => (parent, key.replace("~1", "/").replace("~0", "~")),
        None => return Err("the document is not a YAML mapping".to_owned()),
    };
    let value = Value::Object(entries.iter().cloned().collect());
    insert_entries(text, parent, &[(key, value)])
}

/// Adds an item to the sequence at `pointer` (creating it in its parent mapping if missing).
pub fn append_item(text: &str, pointer: &str, item: &Value) -> Result<String, String> {
    let nodes = containers(text);
    let style = style(text, &nodes);
    match nodes.get(pointer) {
        Some(node) if !node.flow => {
            let at = line_end(text, node.end);
            let mut block = String::new();
            if at > 0 && text.get(at - 1..at) != Some("\n") {
                block.push('\n');
            }
            block.push_str(&indent(&sequence_item(item, style), node.column));
            Ok(splice(text, at, at, &block))
        }
        Some(_) => Err(format!(
            "`{pointer}` is written in flow style (`[...]`); write it in block style to import into it"
        )),
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

fn parent_column(nodes: &HashMap<String, Node>, pointer: &str) -> usize {
    let parent = pointer.rsplit_once('/').map_or("", |(p, _)| p);
    nodes.get(parent).map_or(0, |n| n.column)
}

fn splice(text: &str, from: usize, to: usize, with: &str) -> String {
    let mut out = String::with_capacity(text.len() + with.len());
    out.push_str(text.get(..from).unwrap_or_default());
    out.push_str(with);
    out.push_str(text.get(to..).unwrap_or_default());
    out
}

/// Just past the line that holds the last non-blank byte before `end`.
fn line_end(text: &str, end: usize) -> usize {
    let before = text.get(..end).unwrap_or(text);
    let content_end = before.trim_end().len();
    match text.get(content_end..).and_then(|t| t.find('\n')) {
        Some(at) => content_end + at + 1,
        None => text.len(),
    }
}

fn indent(block: &str, column: usize) -> String {
    let pad = " ".repeat(column);
    block
        .lines()
        .map(|line| {
            if line.is_empty() {
                "\n".to_owned()
            } else {
                format!("{pad}{line}\n")
            }
        })
        .collect()
}

/// `key: value` at column 0, nested lines indented by the style's unit.
pub fn entry(key: &str, value: &Value, style: Style) -> String {
    let key = scalar_text(key, true);
    match value {
        Value::Object(map) if !map.is_empty() => {
            let mut out = format!("{key}:\n");
            for (k, v) in map {
                out.push_str(&indent(&entry(k, v, style), style.unit));
            }
            out
        }
        Value::Array(items) if !items.is_empty() => {
            let mut out = format!("{key}:\n");
            let column = if style.indent_sequences {
                style.unit
            } else {
                0
            };
            for item in items {
                out.push_str(&indent(&sequence_item(item, style), column));
            }
            out
        }
        Value::String(text) if text.contains('\n') => match block_scalar(text, style) {
            Some(block) => format!("{key}: {block}"),
            None => format!("{key}: {}\n", double_quoted(text)),
        },
        _ => format!("{key}: {}\n", inline(value)),
    }
}

/// `- item` at column 0.
fn sequence_item(item: &Value, style: Style) -> String {
    match item {
        Value::Object(map) if !map.is_empty() => {
            let mut out = String::new();
            for (index, (k, v)) in map.iter().enumerate() {
                let text = entry(k, v, style);
                if index == 0 {
                    // The first entry shares the dash's line; the rest align with it.
                    let mut lines = text.lines();
                    if let Some(first) = lines.next() {
                        out.push_str(&format!("- {first}\n"));
                    }
                    for line in lines {
                        out.push_str(&format!("  {line}\n"));
                    }
                } else {
                    out.push_str(&indent(&text, 2));
                }
            }
            out
        }
        Value::String(text) if text.contains('\n') => match block_scalar(text, style) {
            Some(block) => format!("- {block}"),
            None => format!("- {}\n", double_quoted(text)),
        },
        _ => format!("- {}\n", inline(item)),
    }
}

/// A value on one line: a scalar, `{}`, `[]`, or JSON flow for anything else.
fn inline(value: &Value) -> String {
    match value {
        Value::String(text) => scalar_text(text, false),
        Value::Object(map) if map.is_empty() => "{}".to_owned(),
        Value::Array(items) if items.is_empty() => "[]".to_owned(),
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

/// `|-` and the text's lines, one unit deeper; `None` when a literal block cannot hold it.
fn block_scalar(text: &str, style: Style) -> Option<String> {
    let awkward = text.starts_with([' ', '\t'])
        || text.lines().any(|line| line.ends_with([' ', '\t']))
        || text.chars().any(|c| c.is_control() && c != '\n')
        || text.ends_with("\n\n");
    if awkward {
        return None;
    }
    let chomp = if text.ends_with('\n') { "|" } else { "|-" };
    let pad = " ".repeat(style.unit);
    let mut out = format!("{chomp}\n");
    for line in text.trim_end_matches('\n').split('\n') {
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str(&format!("{pad}{line}\n"));
        }
    }
    Some(out)
}

/// A string as a one-line YAML scalar: plain where YAML reads it back as the same string,
/// else single-quoted, else double-quoted.
fn scalar_text(text: &str, key: bool) -> String {
    let plain_ok = !text.is_empty()
        && !text.contains(['\n', '\r', '\t'])
        && text.trim() == text
        && reads_back(text, key);
    if plain_ok {
        return text.to_owned();
    }
    if !text.chars().any(char::is_control) {
        return format!("'{}'", text.replace('\'', "''"));
    }
    double_quoted(text)
}

fn double_quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// Whether `text` written plain, as a key or as a value, reads back as that very string, in
/// YAML 1.2 and in the YAML 1.1 many tools still read (where `2021-07-28` is a date and `on`
/// a boolean).
fn reads_back(text: &str, key: bool) -> bool {
    let lower = text.to_ascii_lowercase();
    let yaml_1_1_word = matches!(
        lower.as_str(),
        "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null" | "~"
    );
    let starts_like_a_number_or_date = text
        .trim_start_matches(['-', '+', '.'])
        .starts_with(|c: char| c.is_ascii_digit());
    if yaml_1_1_word || starts_like_a_number_or_date {
        return false;
    }
    let document = if key {
        format!("{text}: x\n")
    } else {
        format!("k: {text}\n")
    };
    let Ok(Value::Object(map)) = serde_yaml::from_str::<Value>(&document) else {
        return false;
    };
    if map.len() != 1 {
        return false;
    }
    if key {
        map.get(text) == Some(&Value::String("x".to_owned()))
    } else {
        map.get("k") == Some(&Value::String(text.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SPEC: &str = "\
openapi: 3.0.3
# The paths.
paths:
  /a:
    get:
      summary: A # keep me
      tags:
        - x

# Shared parts.
components:
  schemas:
    A:
      type: object
";

    #[test]
    fn entries_go_after_the_last_one_in_the_file_s_style() {
        let out = insert_entries(
            SPEC,
            "/paths",
            &[(
                "/b/{id}".to_owned(),
                json!({"post": {"summary": "B: yes", "tags": ["y"], "description": "one\ntwo"}}),
            )],
        )
        .unwrap_or_default();
        assert_eq!(
            out,
            "\
openapi: 3.0.3
# The paths.
paths:
  /a:
    get:
      summary: A # keep me
      tags:
        - x
  /b/{id}:
    post:
      summary: 'B: yes'
      tags:
        - 'y'
      description: |-
        one
        two

# Shared parts.
components:
  schemas:
    A:
      type: object
"
        );
        let out = insert_entries(
            SPEC,
            "/components/schemas",
            &[(
                "B".to_owned(),
                json!({"type": "string", "enum": ["2021-07-28", "200"]}),
            )],
        )
        .unwrap_or_default();
        assert!(out.ends_with("    A:\n      type: object\n    B:\n      type: string\n      enum:\n        - '2021-07-28'\n        - '200'\n"), "{out}");
    }

    #[test]
    fn sequences_written_without_indentation_stay_so() {
        let text = "tags:\n- name: A\n  description: B\nsecurity:\n- bearer: []\npaths: {}\n";
        let out = append_item(text, "/tags", &json!({"name": "C"})).unwrap_or_default();
        assert_eq!(
            out,
            "tags:\n- name: A\n  description: B\n- name: C\nsecurity:\n- bearer: []\npaths: {}\n"
        );
        let out = insert_entries(
            text,
            "/paths",
            &[("/a".to_owned(), json!({"get": {"tags": ["x"]}}))],
        )
        .unwrap_or_default();
        assert!(
            out.ends_with("paths:\n  /a:\n    get:\n      tags:\n      - x\n"),
            "{out}"
        );
    }

    #[test]
    fn a_missing_mapping_is_added_to_its_parent_and_flow_empties_become_blocks() {
        let out = insert_entries(
            "openapi: 3.0.3\npaths: {}\n",
            "/paths",
            &[("/a".to_owned(), json!({"get": {"summary": "A"}}))],
        )
        .unwrap_or_default();
        assert_eq!(
            out,
            "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      summary: A\n"
        );
        let out = insert_entries(
            "openapi: 3.0.3\npaths: {}\n",
            "/components/schemas",
            &[("A".to_owned(), json!({"type": "object"}))],
        )
        .unwrap_or_default();
        assert_eq!(
            out,
            "openapi: 3.0.3\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n"
        );
    }
}
