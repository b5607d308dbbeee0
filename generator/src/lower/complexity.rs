//! Types too deep to spell in place get a name (clippy's `type_complexity`).
//!
//! Clippy scores a type by its nesting: each path in it adds ten times its depth, and a score
//! over 250 is "very complex". A spec can nest maps and arrays as deep as it likes
//! (`Option<Option<BTreeMap<String, Vec<BTreeMap<String, Value>>>>>` scores 320), so where a
//! field, variant, parameter, body or response would score more than [`LIMIT`] as the crate
//! spells it, its type becomes a `pub type` named after its place (`Owner` + `field`), which
//! clippy does not score. A nullable field keeps its `Option` outside the alias, so `null` and
//! absent stay apart.

use crate::ir::{BodyKind, Doc, Operation, ResponseBody, Type, TypeDef, TypeKind};
use crate::names;

use super::Lowerer;

/// The highest score a spelled-out type may reach: clippy's threshold, less a margin for the
/// wrappers the emitter adds that are not modelled exactly.
const LIMIT: usize = 230;

/// Clippy's score of `ty` as the crate spells it, at nesting depth `nest` (1 at the top).
fn score(ty: &Type, nest: usize) -> usize {
    let own = 10 * nest;
    match ty {
        Type::Named(_)
        | Type::String
        | Type::Bool
        | Type::Integer
        | Type::Number
        | Type::Json
        | Type::Binary => own,
        Type::Vec(inner) | Type::Nullable(inner) | Type::Boxed(inner) => {
            own + score(inner, nest + 1)
        }
        // `std::collections::BTreeMap<String, T>`.
        Type::Map(inner) => own + 10 * (nest + 1) + score(inner, nest + 1),
        Type::Tuple(members) => own + members.iter().map(|m| score(m, nest + 1)).sum::<usize>(),
    }
}

impl Lowerer<'_, '_> {
    /// Names every type too complex to spell where it is used.
    pub(super) fn name_complex_types(&mut self, operations: &mut [Operation]) {
        for index in 0..self.types.len() {
            let Some(def) = self.types.get(index) else {
                continue;
            };
            let owner = def.name.clone();
            let mut kind = def.kind.clone();
            let changed = match &mut kind {
                TypeKind::Struct(_) | TypeKind::Multipart(_) => {
                    let fields: Vec<&mut crate::ir::Field> = match &mut kind {
                        TypeKind::Struct(fields) => fields.iter_mut().collect(),
                        TypeKind::Multipart(parts) => parts.iter_mut().map(|(f, _)| f).collect(),
                        _ => Vec::new(),
                    };
                    let mut changed = false;
                    for field in fields {
                        // `Option<...>` for an optional field, `Box<...>` for a boxed one.
                        let wrappers = usize::from(!field.required) + usize::from(field.boxed);
                        let context = format!("{owner}{}", names::camel(&field.wire));
                        changed |= self.name_if_complex(&mut field.ty, 1 + wrappers, &context);
                    }
                    changed
                }
                TypeKind::Union { variants, .. } => {
                    let mut changed = false;
                    for variant in variants.iter_mut() {
                        let context = format!("{owner}{}", variant.name);
                        changed |= self.name_if_complex(&mut variant.ty, 1, &context);
                    }
                    changed
                }
                TypeKind::Newtype { ty, .. } => {
                    self.name_if_complex(ty, 1, &format!("{owner}Value"))
                }
                _ => false,
            };
            if changed {
                if let Some(def) = self.types.get_mut(index) {
                    def.kind = kind;
                }
            }
        }
        for operation in operations.iter_mut() {
            let prefix = names::camel(&operation.method_name);
            for param in operation.params.iter_mut() {
                // `Option<&[T]>` at most.
                let context = format!("{prefix}{}", names::camel(&param.wire));
                self.name_if_complex(&mut param.ty, 3, &context);
            }
            if let Some(body) = operation.body.as_mut() {
                if let BodyKind::Json(ty) | BodyKind::Form(ty, _) = &mut body.kind {
                    // `Option<&T>` at most.
                    self.name_if_complex(ty, 3, &format!("{prefix}Body"));
                }
            }
            // A single success body is returned as `Result<Response<T>, Error<E>>`; the
            // others are variants of the success and error enums.
            let single = operation.success_name.is_none();
            let responses = operation
                .success
                .iter_mut()
                .map(|r| (r, single))
                .chain(operation.errors.iter_mut().map(|r| (r, false)));
            for (response, single) in responses {
                if let ResponseBody::Json(ty) = &mut response.body {
                    let context = format!("{prefix}Response{}", response.variant);
                    // The `Result`, `Response`, `Error` and the error enum around `T` score 80.
                    let nest = if single { 3 } else { 1 };
                    let extra = if single { 80 } else { 0 };
                    if extra + score(ty, nest) > LIMIT {
                        self.name_type(ty, &context);
                    }
                }
            }
        }
    }

    /// Replaces `ty` by a named alias when it scores over the limit at depth `nest`; a
    /// nullable type keeps its `Option` outside the alias. True when it did.
    fn name_if_complex(&mut self, ty: &mut Type, nest: usize, context: &str) -> bool {
        if score(ty, nest) <= LIMIT {
            return false;
        }
        match ty {
            Type::Nullable(inner) => self.name_type(inner, context),
            other => self.name_type(other, context),
        }
        true
    }

    fn name_type(&mut self, ty: &mut Type, context: &str) {
        let name = self.claim_type(context, "");
        let aliased = std::mem::replace(ty, Type::Named(name.clone()));
        self.push_type(TypeDef {
            name,
            doc: Doc::default(),
            kind: TypeKind::Alias(aliased),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::score;
    use crate::ir::Type;

    #[test]
    fn scores_as_clippy_counts() {
        let value = Type::Map(Box::new(Type::Json));
        // `Option<Option<BTreeMap<String, Vec<BTreeMap<String, Value>>>>>`
        let ty = Type::Nullable(Box::new(Type::Nullable(Box::new(Type::Map(Box::new(
            Type::Vec(Box::new(value)),
        ))))));
        assert_eq!(score(&ty, 1), 10 + 20 + 30 + 40 + 40 + 50 + 60 + 60);
        assert_eq!(score(&Type::Integer, 1), 10);
    }
}
