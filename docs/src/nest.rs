//! Places each field of a schema under its parent.
//!
//! The site shows a schema as nested, collapsible items; the scrape keeps the items in order
//! but loses the nesting, except for the `Array [` ... `]` around the fields of an array's
//! items. An `object` field's children follow it, and nothing marks where they end: after
//! `ogTagsDetails` (object), `metaImage`, `metaLink`, `type`, the page alone cannot say whether
//! `type` is a child or a sibling.
//!
//! Rule: a field goes to the innermost open object whose key list (the "oracle") still has
//! that name after the keys already placed there; objects opened inside the current
//! `Array [` are closed by doing so, never the bracket itself. The oracle is the page's own
//! example body (the site's "Example (auto)" lists every key of the schema, in schema order),
//! or, where the page has none, the spec's schema. A field no open object expects goes to the
//! innermost one, and is counted as a guess.

use crate::model::{Field, Mark, child_path};
use serde_json::Value;

/// The keys an example or schema holds, in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Tree {
    Object(Vec<(String, Tree)>),
    Array(Box<Tree>),
    #[default]
    Leaf,
}

impl Tree {
    /// The keys of an example value; an array's first item stands for all.
    pub fn of_example(value: &Value) -> Tree {
        match value {
            Value::Object(map) => Tree::Object(
                map.iter()
                    .map(|(key, value)| (key.clone(), Tree::of_example(value)))
                    .collect(),
            ),
            Value::Array(items) => Tree::Array(Box::new(
                items.first().map(Tree::of_example).unwrap_or_default(),
            )),
            _ => Tree::Leaf,
        }
    }
}

struct Scope<'t> {
    prefix: String,
    bracket: bool,
    node: Option<&'t Tree>,
    /// Keys before this index are placed.
    cursor: usize,
}

/// Sets the `path` of every field in `layout` order; returns how many were guessed.
pub fn nest(layout: &[Mark], fields: &mut [Field], oracle: Option<&Tree>) -> usize {
    let root_prefix = String::new();
    let mut scopes = vec![Scope {
        prefix: root_prefix,
        bracket: true,
        node: oracle,
        cursor: 0,
    }];
    let mut guessed = 0;
    // The field read last, and its oracle node, while nothing else came after it.
    let mut last: Option<(String, Option<&Tree>)> = None;
    for mark in layout {
        match mark {
            Mark::Open => {
                let (prefix, node) = match last.take() {
                    Some((path, node)) => (format!("{path}[]"), node),
                    None => {
                        let top = scopes.last();
                        (
                            format!("{}[]", top.map_or("", |s| s.prefix.as_str())),
                            top.and_then(|s| s.node),
                        )
                    }
                };
                let node = match node {
                    Some(Tree::Array(items)) => Some(items.as_ref()),
                    _ => None,
                };
                scopes.push(Scope {
                    prefix,
                    bracket: true,
                    node,
                    cursor: 0,
                });
            }
            Mark::Close => {
                last = None;
                while scopes.len() > 1 {
                    if scopes.pop().is_some_and(|scope| scope.bracket) {
                        break;
                    }
                }
            }
            Mark::Field(index) => {
                let Some(field) = fields.get_mut(*index) else {
                    continue;
                };
                let (depth, node) = match place(&mut scopes, &field.name) {
                    Some(found) => found,
                    None => {
                        guessed += 1;
                        (scopes.len() - 1, None)
                    }
                };
                scopes.truncate(depth + 1);
                let prefix = scopes.last().map_or("", |s| s.prefix.as_str());
                field.path = child_path(prefix, &field.name);
                if field.ty.is_object() {
                    scopes.push(Scope {
                        prefix: field.path.clone(),
                        bracket: false,
                        node,
                        cursor: 0,
                    });
                }
                last = Some((field.path.clone(), node));
            }
        }
    }
    guessed
}

/// The depth of the innermost open object (not past the innermost bracket) that expects
/// `name` next, and the oracle node of that key.
fn place<'t>(scopes: &mut [Scope<'t>], name: &str) -> Option<(usize, Option<&'t Tree>)> {
    for depth in (0..scopes.len()).rev() {
        let scope = scopes.get_mut(depth)?;
        if let Some(Tree::Object(keys)) = scope.node {
            let found = keys
                .iter()
                .enumerate()
                .skip(scope.cursor)
                .find(|(_, (key, _))| key == name);
            if let Some((at, (_, node))) = found {
                scope.cursor = at + 1;
                return Some((depth, Some(node)));
            }
        }
        if scope.bracket {
            break;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Type;
    use serde_json::json;

    fn field(name: &str, ty: &str) -> Field {
        let (base, array) = match ty.strip_suffix("[]") {
            Some(base) => (base, 1),
            None => (ty, 0),
        };
        Field {
            name: name.to_owned(),
            ty: Type {
                base: Some(base.to_owned()),
                format: None,
                array,
            },
            ..Field::default()
        }
    }

    fn paths(fields: &[Field]) -> Vec<&str> {
        fields.iter().map(|f| f.path.as_str()).collect()
    }

    #[test]
    fn the_example_says_where_an_object_ends() {
        let mut fields = vec![
            field("og", "object"),
            field("image", "string"),
            field("type", "object"),
            field("start", "object"),
            field("start", "object"),
            field("year", "number"),
            field("time", "object"),
            field("media", "object[]"),
            field("type", "string"),
        ];
        let layout: Vec<Mark> = (0..7)
            .map(Mark::Field)
            .chain([Mark::Field(7), Mark::Open, Mark::Field(8), Mark::Close])
            .collect();
        let example = json!({
            "og": {"image": "x"},
            "type": "post",
            "start": {"start": {"year": 1}, "time": {}},
            "media": [{"type": "video"}]
        });
        let guessed = nest(&layout, &mut fields, Some(&Tree::of_example(&example)));
        assert_eq!(guessed, 0);
        assert_eq!(
            paths(&fields),
            vec![
                "og",
                "og.image",
                "type",
                "start",
                "start.start",
                "start.start.year",
                "start.time",
                "media",
                "media[].type"
            ]
        );
    }

    #[test]
    fn without_an_example_objects_take_what_follows_and_brackets_hold() {
        let mut fields = vec![
            field("list", "object[]"),
            field("inner", "object"),
            field("a", "string"),
            field("after", "string"),
        ];
        let layout = vec![
            Mark::Field(0),
            Mark::Open,
            Mark::Field(1),
            Mark::Field(2),
            Mark::Close,
            Mark::Field(3),
        ];
        assert_eq!(nest(&layout, &mut fields, None), 4);
        assert_eq!(
            paths(&fields),
            vec!["list", "list[].inner", "list[].inner.a", "after"]
        );
    }
}
