//! Large enum variants are boxed (clippy's `large_enum_variant`: the largest and the next
//! variant may differ by at most 200 bytes).
//!
//! The rule: a variant whose value may take more than [`MAX_INLINE`] bytes is boxed, in union
//! types and in an operation's success and error enums. Sizes are upper bounds estimated from
//! the IR (each field rounded up to 8 bytes, an `Option` adding 8, `serde_json::Value` at its
//! largest), so the variants left inline are at most [`MAX_INLINE`] bytes and no two of them
//! differ by more.

use std::collections::BTreeMap;

use crate::ir::{Operation, ResponseBody, Type, TypeDef, TypeKind};

/// The most bytes a variant may hold inline.
pub const MAX_INLINE: usize = 128;

/// Boxes the large variants of unions and of operations' response enums.
pub fn box_large_variants(types: &mut [TypeDef], operations: &mut [Operation]) {
    let mut sizes = Sizes::new(types);
    for def in types.iter() {
        sizes.named(&def.name, &mut Vec::new());
    }
    let mut boxed_responses = Vec::new();
    for (o, operation) in operations.iter().enumerate() {
        let enums = [
            (operation.success_name.is_some(), &operation.success),
            (true, &operation.errors),
        ];
        for (which, (is_enum, responses)) in enums.into_iter().enumerate() {
            for (r, response) in responses.iter().enumerate() {
                if let (true, ResponseBody::Json(ty)) = (is_enum, &response.body) {
                    if sizes.bounded(ty, &mut Vec::new()) > MAX_INLINE {
                        boxed_responses.push((o, which, r));
                    }
                }
            }
        }
    }
    let boxes = sizes.boxes;
    for def in types.iter_mut() {
        if let (TypeKind::Union { variants, .. }, Some(marks)) =
            (&mut def.kind, boxes.get(def.name.as_str()))
        {
            for (variant, mark) in variants.iter_mut().zip(marks) {
                variant.boxed |= *mark;
            }
        }
    }
    for (o, which, r) in boxed_responses {
        let responses = operations.get_mut(o).map(|op| {
            if which == 0 {
                &mut op.success
            } else {
                &mut op.errors
            }
        });
        if let Some(ResponseBody::Json(ty)) = responses
            .and_then(|responses| responses.get_mut(r))
            .map(|response| &mut response.body)
        {
            *ty = Type::Boxed(Box::new(ty.clone()));
        }
    }
}

/// Upper bounds of the sizes of the crate's types, and the union variants to box, decided
/// inner types first (a union's size depends on which of its variants are boxed).
struct Sizes<'t> {
    kinds: BTreeMap<&'t str, &'t TypeKind>,
    known: BTreeMap<&'t str, usize>,
    /// For each union, which variants to box.
    boxes: BTreeMap<String, Vec<bool>>,
}

/// `serde_json::Value` at its largest (an object backed by an `IndexMap`, should a dependency
/// turn on `preserve_order`).
const JSON: usize = 80;
/// `String`, `Vec` and `BTreeMap`: a pointer, a length and a capacity, or a root, a height and
/// a length.
const HEAP: usize = 24;

impl<'t> Sizes<'t> {
    fn new(types: &'t [TypeDef]) -> Self {
        Sizes {
            kinds: types.iter().map(|t| (t.name.as_str(), &t.kind)).collect(),
            known: BTreeMap::new(),
            boxes: BTreeMap::new(),
        }
    }

    /// `within` holds the named types being measured: one met again is recursive, and the
    /// recursion goes through a `Box` somewhere, so it counts as a pointer.
    fn bounded(&mut self, ty: &'t Type, within: &mut Vec<&'t str>) -> usize {
        match ty {
            Type::String | Type::Vec(_) | Type::Map(_) => HEAP,
            Type::Bool | Type::Integer | Type::Number | Type::Boxed(_) => 8,
            Type::Json => JSON,
            // `Upload`: bytes (32) and two optional strings.
            Type::Binary => 32 + 2 * HEAP,
            Type::Nullable(inner) => round(self.bounded(inner, within)) + 8,
            Type::Named(name) => self.named(name, within),
            Type::Tuple(members) => members
                .iter()
                .map(|m| round(self.bounded(m, within)))
                .sum::<usize>()
                .max(8),
        }
    }

    fn named(&mut self, name: &'t str, within: &mut Vec<&'t str>) -> usize {
        if let Some(size) = self.known.get(name) {
            return *size;
        }
        if within.contains(&name) {
            return 8;
        }
        let Some(kind) = self.kinds.get(name).copied() else {
            return JSON;
        };
        within.push(name);
        let size = self.kind(name, kind, within);
        within.pop();
        self.known.insert(name, size);
        size
    }

    fn held(&mut self, ty: &'t Type, boxed: bool, within: &mut Vec<&'t str>) -> usize {
        if boxed {
            8
        } else {
            round(self.bounded(ty, within))
        }
    }

    fn kind(&mut self, name: &str, kind: &'t TypeKind, within: &mut Vec<&'t str>) -> usize {
        match kind {
            TypeKind::Struct(_) | TypeKind::Multipart(_) => {
                let fields: Vec<&'t crate::ir::Field> = match kind {
                    TypeKind::Struct(fields) => fields.iter().collect(),
                    TypeKind::Multipart(parts) => parts.iter().map(|(f, _)| f).collect(),
                    _ => Vec::new(),
                };
                let mut total = 0;
                for f in fields {
                    total += self.held(&f.ty, f.boxed, within) + if f.required { 0 } else { 8 };
                }
                total.max(8)
            }
            TypeKind::Enum { .. } => HEAP + 8,
            TypeKind::Constants { .. } => 8,
            TypeKind::Union {
                variants, fallback, ..
            } => {
                let mut largest = if fallback.is_none() { JSON } else { 0 };
                let mut marks = Vec::new();
                for v in variants {
                    let size = self.held(&v.ty, v.boxed, within);
                    let boxed = size > MAX_INLINE;
                    marks.push(boxed);
                    largest = largest.max(if boxed { 8 } else { size });
                }
                self.boxes.insert(name.to_owned(), marks);
                largest + 8
            }
            TypeKind::Alias(ty) => self.bounded(ty, within),
            TypeKind::Newtype { ty, boxed } => self.held(ty, *boxed, within),
        }
    }
}

fn round(size: usize) -> usize {
    size.div_ceil(8) * 8
}
