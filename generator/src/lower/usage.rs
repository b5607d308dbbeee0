//! Which types users build, and how: a struct that travels in a request (a body, a parameter,
//! or something one of them holds) gets `new` with the fields the request requires and a
//! setter for each other field it sends; `Default` when `new` would take nothing. A type used
//! only in responses gets neither: users read it, they do not make it.
//!
//! A `readOnly` property is never sent (OpenAPI 3.0.3, Schema Object), so it is neither an
//! argument nor a setter, and what only it holds is not a request type; a required
//! `writeOnly` property is an argument of `new` (a request needs it), though the struct holds
//! it as an `Option` so responses decode without it.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Access, BodyKind, Operation, Type, TypeBuilder, TypeDef, TypeKind};
use crate::names::{self, Namespace};

pub(super) fn builders(types: &[TypeDef], operations: &[Operation]) -> Vec<TypeBuilder> {
    let by_name: BTreeMap<&str, &TypeDef> = types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut sent = BTreeSet::new();
    let mut pending: Vec<&Type> = Vec::new();
    for op in operations {
        pending.extend(op.params.iter().map(|p| &p.ty));
        match op.body.as_ref().map(|b| &b.kind) {
            Some(BodyKind::Json(ty) | BodyKind::Form(ty, _)) => pending.push(ty),
            Some(BodyKind::Multipart(name)) if sent.insert(name.as_str()) => {
                if let Some(def) = by_name.get(name.as_str()) {
                    held(def, &mut pending);
                }
            }
            _ => {}
        }
    }
    while let Some(ty) = pending.pop() {
        match ty {
            Type::Named(name) => {
                if let Some(def) = by_name.get(name.as_str()) {
                    if sent.insert(def.name.as_str()) {
                        held(def, &mut pending);
                    }
                }
            }
            Type::Vec(inner) | Type::Map(inner) | Type::Nullable(inner) | Type::Boxed(inner) => {
                pending.push(inner)
            }
            Type::Tuple(members) => pending.extend(members),
            _ => {}
        }
    }
    types
        .iter()
        .filter(|def| sent.contains(def.name.as_str()))
        .filter_map(builder)
        .collect()
}

/// The types a value of `def` sends along.
fn held<'a>(def: &'a TypeDef, pending: &mut Vec<&'a Type>) {
    match &def.kind {
        TypeKind::Struct(fields) => pending.extend(
            fields
                .iter()
                .filter(|f| f.access != Access::ReadOnly)
                .map(|f| &f.ty),
        ),
        TypeKind::Multipart(parts) => pending.extend(parts.iter().map(|(f, _)| &f.ty)),
        TypeKind::Union { variants, .. } => pending.extend(variants.iter().map(|v| &v.ty)),
        TypeKind::Alias(ty) | TypeKind::Newtype { ty, .. } => pending.push(ty),
        TypeKind::Enum { .. } | TypeKind::Constants { .. } => {}
    }
}

fn builder(def: &TypeDef) -> Option<TypeBuilder> {
    // Each field's index, whether `new` takes it, and its name; `readOnly` fields are not sent.
    let fields: Vec<(usize, bool, &str)> = match &def.kind {
        TypeKind::Struct(fields) => fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.access != Access::ReadOnly || f.flatten)
            .map(|(i, f)| (i, f.required && !f.flatten, f.name.as_str()))
            .collect(),
        TypeKind::Multipart(parts) => parts
            .iter()
            .enumerate()
            .map(|(i, (f, _))| (i, f.required, f.name.as_str()))
            .collect(),
        _ => return None,
    };
    let mut methods = Namespace::default();
    for name in names::RESERVED_TYPE_METHODS {
        methods.reserve(name);
    }
    for (_, _, name) in &fields {
        methods.reserve(name);
    }
    let mut required = Vec::new();
    let mut setters = Vec::new();
    for (index, is_required, name) in fields {
        if is_required {
            required.push(index);
            continue;
        }
        // A field named like a method every struct has (`new`, `clone`) gets `with_` before it.
        let setter = if names::RESERVED_TYPE_METHODS.contains(&name.trim_start_matches("r#")) {
            methods.claim(format!("with_{name}"), name).name
        } else {
            name.to_owned()
        };
        setters.push((index, setter));
    }
    Some(TypeBuilder {
        type_name: def.name.clone(),
        required,
        setters,
    })
}
