//! Recursion the Rust types can hold. Two rules, in this order:
//!
//! 1. A type alias cannot name itself, whatever the path (`Tree = BTreeMap<String, Tree>`,
//!    `A = Vec<B>` with `B = BTreeMap<String, A>`): every alias on a cycle of aliases becomes a
//!    newtype struct, serialized as its one value, which may hold itself.
//! 2. A field, variant or newtype whose type contains, directly (not through a `Vec` or a
//!    map, which already allocate), the type that holds it needs a `Box`.

use std::collections::BTreeMap;

use crate::ir::{Type, TypeDef, TypeKind};

pub fn break_recursion(types: &mut [TypeDef]) {
    newtype_alias_cycles(types);
    box_recursion(types);
}

/// Rule 1: the aliases that reach themselves through other aliases (through any container)
/// become newtypes. A struct, enum or union on the way ends the cycle: they are types of
/// their own, which may hold themselves through a container.
fn newtype_alias_cycles(types: &mut [TypeDef]) {
    let index: BTreeMap<&str, usize> = types
        .iter()
        .enumerate()
        .filter(|(_, t)| matches!(t.kind, TypeKind::Alias(_)))
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| match &t.kind {
            TypeKind::Alias(ty) => {
                let mut names = Vec::new();
                all_names(ty, &mut names);
                names
                    .iter()
                    .filter_map(|n| index.get(n.as_str()).copied())
                    .collect()
            }
            _ => Vec::new(),
        })
        .collect();
    let component = components(&edges);
    let mut size = BTreeMap::new();
    for c in &component {
        *size.entry(*c).or_insert(0usize) += 1;
    }
    let cyclic: Vec<bool> = edges
        .iter()
        .enumerate()
        .map(|(i, out)| {
            let own = component.get(i);
            out.contains(&i) || own.and_then(|c| size.get(c)).is_some_and(|n| *n > 1)
        })
        .collect();
    for (def, cyclic) in types.iter_mut().zip(cyclic) {
        if let (true, TypeKind::Alias(ty)) = (cyclic, &def.kind) {
            def.kind = TypeKind::Newtype {
                ty: ty.clone(),
                boxed: false,
            };
        }
    }
}

/// Every named type a type mentions, through any container.
fn all_names(ty: &Type, out: &mut Vec<String>) {
    match ty {
        Type::Named(name) => out.push(name.clone()),
        Type::Vec(inner) | Type::Map(inner) | Type::Nullable(inner) | Type::Boxed(inner) => {
            all_names(inner, out)
        }
        Type::Tuple(members) => members.iter().for_each(|m| all_names(m, out)),
        Type::String | Type::Bool | Type::Integer | Type::Number | Type::Json | Type::Binary => {}
    }
}

/// Rule 2.
fn box_recursion(types: &mut [TypeDef]) {
    // A field of `A` whose type is `B` needs a `Box` exactly when `B` reaches back to `A`: when
    // both are in one strongly connected component of the "holds inline" graph.
    let index: BTreeMap<&str, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| {
            direct_names(&t.kind)
                .iter()
                .filter_map(|n| index.get(n.as_str()).copied())
                .collect()
        })
        .collect();
    let component = components(&edges);
    let component_of = |name: &str| index.get(name).and_then(|i| component.get(*i)).copied();
    let boxed: Vec<Vec<bool>> = types
        .iter()
        .enumerate()
        .map(|(i, def)| {
            let own = component.get(i).copied();
            let held: Vec<&Type> = match &def.kind {
                TypeKind::Struct(fields) => fields.iter().map(|f| &f.ty).collect(),
                TypeKind::Union { variants, .. } => variants.iter().map(|v| &v.ty).collect(),
                TypeKind::Newtype { ty, .. } => vec![ty],
                _ => Vec::new(),
            };
            held.into_iter()
                .map(|ty| direct_names_of(ty).iter().any(|n| component_of(n) == own))
                .collect()
        })
        .collect();
    for (def, boxed) in types.iter_mut().zip(boxed) {
        match &mut def.kind {
            TypeKind::Struct(fields) => fields.iter_mut().zip(boxed).for_each(|(f, b)| f.boxed = b),
            TypeKind::Union { variants, .. } => variants
                .iter_mut()
                .zip(boxed)
                .for_each(|(v, b)| v.boxed = b),
            TypeKind::Newtype { boxed: slot, .. } => *slot = boxed.first() == Some(&true),
            _ => {}
        }
    }
}

/// The strongly connected component of each node (Tarjan's algorithm, iterative so a deep
/// chain of types cannot overflow the stack). Linear in nodes and edges.
fn components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut order = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![UNSEEN; n];
    let mut stack = Vec::new();
    let mut next_order = 0;
    let mut next_component = 0;
    for root in 0..n {
        if order.get(root) != Some(&UNSEEN) {
            continue;
        }
        // Each frame: a node and how many of its edges have been followed.
        let mut frames = vec![(root, 0usize)];
        while let Some(&mut (node, ref mut followed)) = frames.last_mut() {
            if *followed == 0 && order.get(node) == Some(&UNSEEN) {
                set(&mut order, node, next_order);
                set(&mut low, node, next_order);
                next_order += 1;
                stack.push(node);
                set(&mut on_stack, node, true);
            }
            let next = edges.get(node).and_then(|e| e.get(*followed)).copied();
            *followed += 1;
            match next {
                Some(to) if order.get(to) == Some(&UNSEEN) => frames.push((to, 0)),
                Some(to) if on_stack.get(to) == Some(&true) => {
                    let lowest = get(&low, node).min(get(&order, to));
                    set(&mut low, node, lowest);
                }
                Some(_) => {}
                None => {
                    frames.pop();
                    if let Some(&(parent, _)) = frames.last() {
                        let lowest = get(&low, parent).min(get(&low, node));
                        set(&mut low, parent, lowest);
                    }
                    if get(&low, node) == get(&order, node) {
                        while let Some(member) = stack.pop() {
                            set(&mut on_stack, member, false);
                            set(&mut component, member, next_component);
                            if member == node {
                                break;
                            }
                        }
                        next_component += 1;
                    }
                }
            }
        }
    }
    component
}

fn get(values: &[usize], i: usize) -> usize {
    values.get(i).copied().unwrap_or_default()
}

fn set<T>(values: &mut [T], i: usize, value: T) {
    if let Some(slot) = values.get_mut(i) {
        *slot = value;
    }
}

/// The named types a type's value holds inline.
fn direct_names(kind: &TypeKind) -> Vec<String> {
    let types: Vec<&Type> = match kind {
        TypeKind::Struct(fields) => fields.iter().map(|f| &f.ty).collect(),
        TypeKind::Multipart(parts) => parts.iter().map(|(f, _)| &f.ty).collect(),
        TypeKind::Union { variants, .. } => variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias(ty) | TypeKind::Newtype { ty, .. } => vec![ty],
        TypeKind::Enum { .. } | TypeKind::Constants { .. } => Vec::new(),
    };
    types
        .into_iter()
        .flat_map(direct_names_of)
        .map(str::to_owned)
        .collect()
}

/// The named types a value of `ty` holds inline (a tuple holds each of its members).
fn direct_names_of(ty: &Type) -> Vec<&str> {
    match ty {
        Type::Named(name) => vec![name.as_str()],
        Type::Nullable(inner) => direct_names_of(inner),
        Type::Tuple(members) => members.iter().flat_map(direct_names_of).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::components;

    #[test]
    fn components_group_cycles_and_keep_the_rest_apart() {
        // 0 -> 1 -> 2 -> 0 is a cycle; 3 -> 3 holds itself; 4 -> 0 only leads in.
        let c = components(&[vec![1], vec![2], vec![0], vec![3], vec![0]]);
        assert!(c[0] == c[1] && c[1] == c[2]);
        assert!(c[3] != c[0] && c[4] != c[0] && c[4] != c[3]);
    }

    #[test]
    fn a_long_chain_does_not_overflow() {
        let edges: Vec<Vec<usize>> = (0..200_000)
            .map(|i| {
                if i + 1 < 200_000 {
                    vec![i + 1]
                } else {
                    vec![0]
                }
            })
            .collect();
        let c = components(&edges);
        assert!(c.iter().all(|x| *x == c[0]));
    }
}
