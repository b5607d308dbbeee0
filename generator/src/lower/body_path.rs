//! A JSONPath of the pagination extension's outputs (`$.data.items[-1].id`), followed through
//! the types generated for the response body: the steps the generated code takes, and the type
//! the path leads to.

use super::Lowerer;
use super::pagination::{Misfit, misfit};
use crate::ir::{Access, BodyPath, PathStep, Scalar, Type, TypeKind};

/// One step of a singular JSONPath.
#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Name(String),
    Index(i64),
}

impl Lowerer<'_, '_> {
    /// Follows a JSONPath through the response body's types: its steps and the type it
    /// leads to (aliases and `null` unwrapped).
    pub(super) fn walk(
        &self,
        root: &Type,
        path: &str,
        pointer: &str,
    ) -> Result<(BodyPath, Type), Misfit> {
        let segments = singular(path).map_err(|reason| {
            misfit(
                pointer,
                format!("`{path}` {reason}"),
                "write a path of names and indexes from the response body's root: `$.data.items`, `$.links.next`, `$.items[-1].id`",
            )
        })?;
        let mut steps = Vec::new();
        let mut ty = self.unwrap(root, &mut steps);
        let mut walked = String::from("$");
        for segment in segments {
            match segment {
                Segment::Name(key) => {
                    let field = self
                        .fields_of(&ty)
                        .and_then(|fields| fields.iter().find(|f| f.wire == key && !f.flatten));
                    let Some(field) = field else {
                        let what = match self.fields_of(&ty) {
                            Some(_) => format!("an object with no property `{key}`"),
                            None => {
                                format!("{}, so it has no property `{key}`", self.describe(&ty))
                            }
                        };
                        return Err(misfit(
                            pointer,
                            format!(
                                "`{path}` does not lead anywhere in the response body: `{walked}` is {what}"
                            ),
                            "follow the properties of the success response's schema",
                        ));
                    };
                    let (options, inner) = layers(field);
                    steps.push(PathStep::Field {
                        name: field.name.clone(),
                        options,
                    });
                    ty = self.unwrap(inner, &mut steps);
                    walked.push_str(&format!(".{key}"));
                }
                Segment::Index(index) => {
                    let Type::Vec(item) = &ty else {
                        return Err(misfit(
                            pointer,
                            format!(
                                "`{path}` does not lead anywhere in the response body: `{walked}` is {}, not an array, so it has no `[{index}]`",
                                self.describe(&ty)
                            ),
                            "follow the properties of the success response's schema",
                        ));
                    };
                    steps.push(PathStep::Index(index));
                    ty = self.unwrap(item, &mut steps);
                    walked.push_str(&format!("[{index}]"));
                }
            }
        }
        Ok((
            BodyPath {
                text: path.to_owned(),
                steps,
            },
            ty,
        ))
    }

    /// The type behind aliases, with a step for each `null` it may be.
    pub(super) fn unwrap(&self, ty: &Type, steps: &mut Vec<PathStep>) -> Type {
        let mut ty = ty.clone();
        // Bounded: an alias chain longer than the number of types is a loop.
        for _ in 0..=self.types.len() {
            match ty {
                Type::Nullable(inner) => {
                    steps.push(PathStep::Nullable);
                    ty = *inner;
                }
                // A box and a newtype are the value itself on the wire.
                Type::Boxed(inner) => ty = *inner,
                Type::Named(ref name) => match self.type_named(name).map(|d| &d.kind) {
                    Some(TypeKind::Alias(aliased)) => ty = aliased.clone(),
                    Some(TypeKind::Newtype { ty: inner, .. }) => ty = inner.clone(),
                    _ => return ty,
                },
                other => return other,
            }
        }
        ty
    }

    /// The fields of a struct type (behind aliases).
    pub(super) fn fields_of(&self, ty: &Type) -> Option<&[crate::ir::Field]> {
        let mut ty = ty;
        for _ in 0..=self.types.len() {
            let Type::Named(name) = ty else {
                return None;
            };
            match &self.type_named(name)?.kind {
                TypeKind::Struct(fields) => return Some(fields),
                TypeKind::Alias(aliased) => ty = aliased,
                _ => return None,
            }
        }
        None
    }

    /// The scalar a type is (behind aliases and `null`), if it is one paging can count with.
    pub(super) fn scalar(&self, ty: &Type) -> Option<Scalar> {
        match self.unwrap(ty, &mut Vec::new()) {
            Type::Integer => Some(Scalar::Integer),
            Type::Number => Some(Scalar::Number),
            Type::String => Some(Scalar::String),
            _ => None,
        }
    }

    /// What a type is, in a message.
    pub(super) fn describe(&self, ty: &Type) -> String {
        match self.unwrap(ty, &mut Vec::new()) {
            Type::String => "a string".to_owned(),
            Type::Integer => "an integer".to_owned(),
            Type::Number => "a number".to_owned(),
            Type::Bool => "a boolean".to_owned(),
            Type::Vec(_) | Type::Tuple(_) => "an array".to_owned(),
            Type::Map(_) => "an object of any properties".to_owned(),
            Type::Json => "any JSON value (its schema has no exact Rust type)".to_owned(),
            Type::Binary => "a file".to_owned(),
            Type::Nullable(_) => "a nullable value".to_owned(),
            Type::Boxed(inner) => self.describe(&inner),
            Type::Named(name) => match self.type_named(&name).map(|d| &d.kind) {
                Some(TypeKind::Struct(_)) => "an object".to_owned(),
                Some(TypeKind::Enum { .. }) => "a string enum".to_owned(),
                Some(TypeKind::Constants { .. }) => "a numeric enum".to_owned(),
                Some(TypeKind::Union { .. }) => {
                    "one of several schemas (`oneOf`/`anyOf`)".to_owned()
                }
                _ => format!("`{name}`"),
            },
        }
    }
}

/// The `Option`s around a struct field's value, and the type inside them, as
/// `emit/types.rs` writes the field: a field is optional unless it is required and travels
/// both ways; a nullable one adds an `Option`.
pub(super) fn layers(field: &crate::ir::Field) -> (u8, &Type) {
    let required = field.required && field.access == Access::ReadWrite;
    let (nullable, inner) = match &field.ty {
        Type::Nullable(inner) => (true, &**inner),
        ty => (false, ty),
    };
    (u8::from(!required) + u8::from(nullable), inner)
}

/// The names and indexes of a singular JSONPath query (RFC 9535, section 2.3.1 and 2.3.3):
/// `$.a.b[0]`, `$['a'][-1]`. The syntax is checked by `serde_json_path`; what it accepts
/// beyond a singular query (wildcards, slices, filters, several selectors, descendants)
/// selects any number of values, and is refused here with the reason.
fn singular(path: &str) -> Result<Vec<Segment>, String> {
    serde_json_path::JsonPath::parse(path)
        .map_err(|err| format!("is not a JSONPath (RFC 9535): {err}"))?;
    let mut rest = path
        .strip_prefix('$')
        .ok_or("is a path relative to the current node (`@`), not to the body's root (`$`)")?;
    let many = "selects any number of values (a wildcard, slice, filter, several selectors or descendants), where paging needs one";
    let mut segments = Vec::new();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return Ok(segments);
        }
        if let Some(after) = rest.strip_prefix('.') {
            let end = after
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || !c.is_ascii()))
                .unwrap_or(after.len());
            let name = after.get(..end).unwrap_or_default();
            if name.is_empty() {
                return Err(many.to_owned());
            }
            segments.push(Segment::Name(name.to_owned()));
            rest = after.get(end..).unwrap_or_default();
        } else if let Some(after) = rest.strip_prefix('[') {
            let after = after.trim_start();
            let (segment, tail) = match after.chars().next() {
                Some(quote @ ('\'' | '"')) => string_literal(after, quote).ok_or(many)?,
                Some(c) if c == '-' || c.is_ascii_digit() => {
                    let end = after
                        .char_indices()
                        .skip(1)
                        .find(|(_, c)| !c.is_ascii_digit())
                        .map_or(after.len(), |(i, _)| i);
                    let index = after.get(..end).and_then(|n| n.parse().ok()).ok_or(many)?;
                    (Segment::Index(index), after.get(end..).unwrap_or_default())
                }
                _ => return Err(many.to_owned()),
            };
            rest = tail.trim_start().strip_prefix(']').ok_or(many)?;
            segments.push(segment);
        } else {
            return Err(many.to_owned());
        }
    }
}

/// A quoted member name (`'a b'`, `"a\"b"`) at the start of `text`, and what follows it.
fn string_literal(text: &str, quote: char) -> Option<(Segment, &str)> {
    let mut name = String::new();
    let mut chars = text.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            c if c == quote => return Some((Segment::Name(name), text.get(i + 1..)?)),
            '\\' => {
                let (_, escaped) = chars.next()?;
                name.push(match escaped {
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'u' => {
                        let hex: String = (0..4)
                            .filter_map(|_| chars.next().map(|(_, c)| c))
                            .collect();
                        char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?
                    }
                    other => other,
                });
            }
            c => name.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{Segment, singular};

    #[test]
    fn singular_paths_are_read_as_names_and_indexes() {
        assert_eq!(
            singular("$.data.items[-1]['created at'][\"x\\\"y\"]"),
            Ok(vec![
                Segment::Name("data".into()),
                Segment::Name("items".into()),
                Segment::Index(-1),
                Segment::Name("created at".into()),
                Segment::Name("x\"y".into()),
            ])
        );
        assert_eq!(singular("$"), Ok(vec![]));
        for many in [
            "$.items[*]",
            "$..id",
            "$.items[0:2]",
            "$.items[?@.a]",
            "$['a','b']",
        ] {
            assert!(singular(many).unwrap_err().contains("any number"), "{many}");
        }
        assert!(singular("$.").unwrap_err().contains("RFC 9535"));
    }
}
