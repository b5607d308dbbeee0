//! Where a recursive type needs a `Box`: a field or variant whose type contains, directly
//! (not through a `Vec` or a map, which already allocate), the type that holds it.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Type, TypeDef, TypeKind};

pub fn box_recursion(types: &mut [TypeDef]) {
    let edges: BTreeMap<String, Vec<String>> = types
        .iter()
        .map(|t| (t.name.clone(), direct_names(&t.kind)))
        .collect();
    let reaches = |from: &str, target: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_owned()];
        while let Some(name) = stack.pop() {
            if name == target {
                return true;
            }
            if seen.insert(name.clone()) {
                stack.extend(edges.get(&name).into_iter().flatten().cloned());
            }
        }
        false
    };
    for def in types.iter_mut() {
        let owner = def.name.clone();
        match &mut def.kind {
            TypeKind::Struct(fields) => {
                for field in fields {
                    field.boxed = direct_name(&field.ty).is_some_and(|n| reaches(n, &owner));
                }
            }
            TypeKind::Union { variants, .. } => {
                for variant in variants {
                    variant.boxed = direct_name(&variant.ty).is_some_and(|n| reaches(n, &owner));
                }
            }
            _ => {}
        }
    }
}

/// The named types a type's value holds inline.
fn direct_names(kind: &TypeKind) -> Vec<String> {
    let types: Vec<&Type> = match kind {
        TypeKind::Struct(fields) | TypeKind::Multipart(fields) => {
            fields.iter().map(|f| &f.ty).collect()
        }
        TypeKind::Union { variants, .. } => variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias(ty) => vec![ty],
        TypeKind::Enum { .. } | TypeKind::Constants { .. } => Vec::new(),
    };
    types
        .into_iter()
        .filter_map(direct_name)
        .map(str::to_owned)
        .collect()
}

fn direct_name(ty: &Type) -> Option<&str> {
    match ty {
        Type::Named(name) => Some(name),
        Type::Nullable(inner) => direct_name(inner),
        _ => None,
    }
}
