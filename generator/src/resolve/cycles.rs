//! Loops that no type can be made from: `$ref`s that only lead to other `$ref`s and back,
//! and schemas that include themselves through `allOf`.
//!
//! A schema may refer to itself through a property (a tree of nodes), which is a recursive
//! type; but `A: {$ref: B}`, `B: {$ref: A}` says nothing about the value at all, and
//! `A: {allOf: [{$ref: B}]}`, `B: {allOf: [{$ref: A}]}` asks for a struct containing all of
//! its own fields forever. Both are errors here, so the lowering never meets them.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::Document;
use crate::diag::Diagnostics;
use crate::diag::{escape, unescape};
use crate::model::{self, Object};

pub fn check(root: &Value, document: &Document, diags: &mut Diagnostics) {
    ref_loops(root, document, diags);
    all_of_cycles(root, document, diags);
}

/// A pure reference: an object whose `$ref` is a local pointer (siblings are ignored, as
/// OpenAPI 3.0 ignores them).
fn target(value: &Value) -> Option<&str> {
    value.get("$ref")?.as_str()?.strip_prefix('#')
}

/// Every chain of `$ref`s that comes back to where it started.
fn ref_loops(root: &Value, document: &Document, diags: &mut Diagnostics) {
    let sites: Vec<String> = model::references(root, Object::Document)
        .into_iter()
        .map(|r| r.pointer)
        .collect();
    // Each site has one next site at most: follow, colouring by the walk that got there.
    let next: BTreeMap<&str, &str> = sites
        .iter()
        .filter_map(|site| {
            let fragment = target(root.pointer(site)?)?;
            root.pointer(fragment).and_then(target)?;
            Some((site.as_str(), fragment))
        })
        .collect();
    let mut walk_of: BTreeMap<&str, usize> = BTreeMap::new();
    for (walk, start) in sites.iter().enumerate() {
        let mut current = start.as_str();
        let mut path = Vec::new();
        loop {
            match walk_of.get(current) {
                Some(w) if *w == walk => {
                    // A loop: the part of the path from `current` on.
                    let from = path.iter().position(|p| *p == current).unwrap_or(0);
                    let members: Vec<&str> = path.get(from..).unwrap_or_default().to_vec();
                    report_ref_loop(&members, document, diags);
                    break;
                }
                Some(_) => break,
                None => {}
            }
            walk_of.insert(current, walk);
            path.push(current);
            match next.get(current) {
                Some(n) => current = n,
                None => break,
            }
        }
    }
}

fn report_ref_loop(members: &[&str], document: &Document, diags: &mut Diagnostics) {
    let Some(first) = members.first() else {
        return;
    };
    let chain: Vec<String> = members
        .iter()
        .chain(std::iter::once(first))
        .map(|p| short(p))
        .collect();
    let message = if members.len() == 1 {
        format!("`$ref` loop: {} refers to itself", short(first))
    } else {
        format!(
            "`$ref` loop: {} only refer to one another, so none of them says what the value is",
            chain.join(" -> ")
        )
    };
    diags.error(
        &document.locate(&format!("{first}/$ref")),
        message,
        "replace one of the references with the definition it stands for",
    );
}

/// A component schema's name and the `$ref` site through which `allOf` (or a plain `$ref`)
/// takes it in.
struct Edge {
    to: String,
    site: String,
}

/// Schemas that take themselves in through `allOf` members and plain `$ref`s.
fn all_of_cycles(root: &Value, document: &Document, diags: &mut Diagnostics) {
    let Some(Value::Object(schemas)) = root.pointer("/components/schemas") else {
        return;
    };
    let mut graph: BTreeMap<&str, Vec<Edge>> = BTreeMap::new();
    for (name, schema) in schemas {
        let mut edges = Vec::new();
        let pointer = format!("/components/schemas/{}", escape(name));
        included(schema, pointer.clone(), &mut edges, 0);
        edges.retain(|e| schemas.contains_key(&e.to));
        graph.insert(name.as_str(), edges);
    }
    // Depth-first search in document order; a grey node met again closes a cycle.
    let mut state: BTreeMap<&str, Colour> = BTreeMap::new();
    let mut reported: BTreeSet<Vec<String>> = BTreeSet::new();
    for name in schemas.keys() {
        let mut stack = Vec::new();
        visit(
            name,
            &graph,
            &mut state,
            &mut stack,
            &mut reported,
            document,
            diags,
        );
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Colour {
    Grey,
    Black,
}

/// One step of the search; `stack` holds the names on the path to `name`, each with the
/// `$ref` site of the edge taken out of it.
#[allow(clippy::too_many_arguments)]
fn visit<'g>(
    name: &'g str,
    graph: &'g BTreeMap<&'g str, Vec<Edge>>,
    state: &mut BTreeMap<&'g str, Colour>,
    stack: &mut Vec<(&'g str, &'g Edge)>,
    reported: &mut BTreeSet<Vec<String>>,
    document: &Document,
    diags: &mut Diagnostics,
) {
    if state.contains_key(name) {
        return;
    }
    state.insert(name, Colour::Grey);
    for edge in graph.get(name).into_iter().flatten() {
        let Some((to, _)) = graph.get_key_value(edge.to.as_str()) else {
            continue;
        };
        match state.get(to) {
            Some(Colour::Grey) => {
                // The path from `to` round to `name`, then this edge back to `to`.
                let from = stack
                    .iter()
                    .position(|(n, _)| n == to)
                    .unwrap_or(stack.len());
                let on_path = stack.get(from..).unwrap_or_default();
                let mut members: Vec<String> =
                    on_path.iter().map(|(n, _)| (*n).to_owned()).collect();
                members.push(name.to_owned());
                // A loop of plain `$ref`s alone is the `$ref` loop check's to report.
                let through_all_of = on_path
                    .iter()
                    .map(|(_, e)| e.site.as_str())
                    .chain(std::iter::once(edge.site.as_str()))
                    .any(|site| site.contains("/allOf/"));
                let mut key = members.clone();
                key.sort();
                if through_all_of && reported.insert(key) {
                    let chain: Vec<String> = members
                        .iter()
                        .chain(std::iter::once(&(*to).to_owned()))
                        .map(|n| format!("`{n}`"))
                        .collect();
                    let (message, help) = if members.len() == 1 {
                        (
                            format!("`allOf` cycle: the schema `{to}` includes itself"),
                            "`allOf` merges the fields of its parts, so a schema cannot include itself; refer to it from a property instead, which makes a recursive type",
                        )
                    } else {
                        (
                            format!("`allOf` cycle: {}", chain.join(" includes ")),
                            "`allOf` merges the fields of its parts, so a schema cannot include itself; refer to it from a property instead, which makes a recursive type",
                        )
                    };
                    diags.error(&document.locate(&edge.site), message, help);
                }
            }
            Some(Colour::Black) => {}
            None => {
                stack.push((name, edge));
                visit(to, graph, state, stack, reported, document, diags);
                stack.pop();
            }
        }
    }
    state.insert(name, Colour::Black);
}

/// The component schemas `schema` takes in whole: through a plain `$ref`, or through its
/// `allOf` members, followed into inline members.
fn included(schema: &Value, pointer: String, out: &mut Vec<Edge>, depth: usize) {
    if depth > 64 {
        return;
    }
    if let Some(fragment) = target(schema) {
        if let Some(name) = fragment.strip_prefix("/components/schemas/") {
            if !name.contains('/') {
                out.push(Edge {
                    to: unescape(name),
                    site: format!("{pointer}/$ref"),
                });
            }
        }
        return;
    }
    if let Some(Value::Array(members)) = schema.get("allOf") {
        for (i, member) in members.iter().enumerate() {
            included(member, format!("{pointer}/allOf/{i}"), out, depth + 1);
        }
    }
}

/// A short name for a pointer in a message: `Pet` for a component schema.
fn short(pointer: &str) -> String {
    match pointer.strip_prefix("/components/schemas/") {
        Some(name) if !name.contains('/') => format!("`{}`", unescape(name)),
        _ => format!("`#{pointer}`"),
    }
}
