//! Discriminators: which tag values select which schema, and inheritance.
//!
//! A `discriminator` on a `oneOf`/`anyOf` chooses among its members. On a schema that other
//! schemas extend with `allOf: [{$ref: Parent}, ...]`, it makes the parent polymorphic
//! (OpenAPI 3.0.3, "Discriminator Object", the `allOf` examples): wherever the parent is
//! referenced, the value is the child the tag names. The parent becomes an enum of its
//! children, chosen by the tag, and a last variant with the parent's own shape (a struct
//! named `<Parent>Base`) for a tag that names no child.
//!
//! The tag values of a schema are the `mapping` keys that point at it, or else its name
//! (the implicit mapping). A `mapping` value that names no schema under
//! `#/components/schemas` is warned about and ignored.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{Discriminator, ReferenceOr, Schema, SchemaKind};

use super::Lowerer;
use crate::diag::{escape, unescape};
use crate::ir::{Type, TypeDef, TypeKind, UnionVariant};
use crate::names::Namespace;

/// A parent schema's children, found by `allOf` and by `mapping`.
pub(super) struct Hierarchy {
    /// Each child's schema key and the tag values that select it, in document order.
    pub children: Vec<(String, Vec<String>)>,
    /// The tag values that name the parent itself.
    pub own_tags: Vec<String>,
}

impl Lowerer<'_, '_> {
    /// The `mapping` of a discriminator as (tag value, schema key), without the entries that
    /// name no schema under `#/components/schemas` (each warned about).
    pub(super) fn mapping(
        &mut self,
        discriminator: &Discriminator,
        pointer: &str,
    ) -> Vec<(String, String)> {
        let mut valid = Vec::new();
        for (value, target) in &discriminator.mapping {
            match self.mapped_schema(target) {
                Some(key) => valid.push((value.clone(), key)),
                None => self.warn(
                    &format!("{pointer}/discriminator/mapping/{}", escape(value)),
                    format!("the discriminator `mapping` sends `{value}` to `{target}`, which is not a schema under `#/components/schemas`; the entry is ignored"),
                    "map each value to `#/components/schemas/<Name>` or to a schema's name",
                ),
            }
        }
        valid
    }

    /// The schema key a `mapping` value names: a reference or a bare schema name.
    fn mapped_schema(&self, target: &str) -> Option<String> {
        let key = match target.strip_prefix("#/components/schemas/") {
            Some(name) if !name.contains('/') => unescape(name),
            Some(_) => return None,
            None if !target.contains(['#', '/']) => target.to_owned(),
            None => return None,
        };
        self.schema_names.contains_key(&key).then_some(key)
    }

    /// Every component schema with a `discriminator` (and no `oneOf`/`anyOf`) that other
    /// schemas extend, with its children: the schemas whose `allOf` takes it in, directly or
    /// through another child, and the schemas its `mapping` names.
    pub(super) fn hierarchies(&mut self) -> BTreeMap<String, Hierarchy> {
        let Some(components) = self.api.components.as_ref() else {
            return BTreeMap::new();
        };
        // Each schema's parents: the component schemas its `allOf` refers to.
        let mut parents: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (key, schema) in &components.schemas {
            if let ReferenceOr::Item(schema) = schema {
                parents.insert(key.as_str(), all_of_refs(schema));
            }
        }
        let mut found = BTreeMap::new();
        for (key, schema) in &components.schemas {
            let ReferenceOr::Item(schema) = schema else {
                continue;
            };
            let Some(discriminator) = &schema.schema_data.discriminator else {
                continue;
            };
            if matches!(
                schema.schema_kind,
                SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. }
            ) || matches!(&schema.schema_kind, SchemaKind::Any(a) if !a.one_of.is_empty() || !a.any_of.is_empty())
            {
                continue;
            }
            let pointer = format!("/components/schemas/{}", escape(key));
            let mapping = self.mapping(discriminator, &pointer);
            let mut own_tags = Vec::new();
            let mut children: Vec<(String, Vec<String>)> = Vec::new();
            // Mapped children first, in the mapping's order; then the rest in document order.
            for (value, target) in &mapping {
                if target == key {
                    own_tags.push(value.clone());
                } else if let Some((_, tags)) = children.iter_mut().find(|(k, _)| k == target) {
                    tags.push(value.clone());
                } else {
                    children.push((target.clone(), vec![value.clone()]));
                }
            }
            for candidate in components.schemas.keys() {
                if candidate != key
                    && descends(candidate, key, &parents)
                    && !children.iter().any(|(k, _)| k == candidate)
                {
                    children.push((candidate.clone(), vec![candidate.clone()]));
                }
            }
            if children.is_empty() {
                continue;
            }
            if own_tags.is_empty() {
                own_tags.push(key.clone());
            }
            found.insert(key.clone(), Hierarchy { children, own_tags });
        }
        found
    }

    /// Defines a parent schema as the enum of its children, with its own shape as the last
    /// variant, under the parent's name.
    pub(super) fn define_hierarchy(
        &mut self,
        key: &str,
        name: String,
        schema: &Schema,
        pointer: &str,
        hierarchy: &Hierarchy,
    ) {
        let slot = self.push_type(TypeDef {
            name: name.clone(),
            doc: super::schema_doc(schema),
            kind: TypeKind::Alias(Type::Json),
        });
        let base = self.claim_type(&format!("{key} Base"), pointer);
        let mut base_schema = schema.clone();
        base_schema.schema_data.description = Some(format!(
            "The fields of [`{name}`] itself: what a `{name}` is when its tag names none of its children."
        ));
        self.define(base.clone(), &base_schema, pointer);
        let mut variant_names = Namespace::default();
        let mut variants = Vec::new();
        for (child, tags) in &hierarchy.children {
            let Some(child_name) = self.schema_names.get(child).cloned() else {
                continue;
            };
            variants.push(UnionVariant {
                name: variant_names.claim(child_name.clone(), child).name,
                ty: Type::Named(child_name),
                tag_values: tags.clone(),
                boxed: false,
                adds_tag: false,
            });
        }
        variants.push(UnionVariant {
            name: variant_names.claim(name.clone(), key).name,
            ty: Type::Named(base),
            tag_values: hierarchy.own_tags.clone(),
            boxed: false,
            adds_tag: false,
        });
        let fallback = variants.len() - 1;
        let tag = schema
            .schema_data
            .discriminator
            .as_ref()
            .map(|d| d.property_name.clone());
        if let Some(def) = self.types.get_mut(slot) {
            def.kind = TypeKind::Union {
                variants,
                tag,
                fallback: Some(fallback),
            };
        }
    }
}

/// The component schemas a schema's `allOf` refers to directly.
fn all_of_refs(schema: &Schema) -> Vec<String> {
    let all_of = match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => all_of,
        SchemaKind::Any(any) => &any.all_of,
        _ => return Vec::new(),
    };
    all_of
        .iter()
        .filter_map(|member| match member {
            ReferenceOr::Reference { reference } => reference
                .strip_prefix("#/components/schemas/")
                .map(unescape),
            ReferenceOr::Item(_) => None,
        })
        .collect()
}

/// Whether `schema` takes in `ancestor` through a chain of `allOf` references.
fn descends(schema: &str, ancestor: &str, parents: &BTreeMap<&str, Vec<String>>) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![schema.to_owned()];
    while let Some(current) = stack.pop() {
        for parent in parents.get(current.as_str()).into_iter().flatten() {
            if parent == ancestor {
                return true;
            }
            if seen.insert(parent.clone()) {
                stack.push(parent.clone());
            }
        }
    }
    false
}

/// Marks the variants of tagged unions whose type may leave the tag out: any but a struct
/// with the discriminator property as a required field that is never null.
pub(super) fn mark_added_tags(types: &mut [TypeDef]) {
    let structs: BTreeMap<&str, &[crate::ir::Field]> = types
        .iter()
        .filter_map(|def| match &def.kind {
            TypeKind::Struct(fields) => Some((def.name.as_str(), fields.as_slice())),
            _ => None,
        })
        .collect();
    let holds_tag = |ty: &Type, tag: &str| match ty {
        Type::Named(name) => structs.get(name.as_str()).is_some_and(|fields| {
            fields
                .iter()
                .any(|f| f.wire == tag && f.required && !matches!(f.ty, Type::Nullable(_)))
        }),
        _ => false,
    };
    let marks: Vec<Vec<bool>> = types
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Union {
                variants,
                tag: Some(tag),
                ..
            } => variants
                .iter()
                .map(|v| !v.tag_values.is_empty() && !holds_tag(&v.ty, tag))
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    for (def, marks) in types.iter_mut().zip(marks) {
        if let TypeKind::Union { variants, .. } = &mut def.kind {
            for (variant, mark) in variants.iter_mut().zip(marks) {
                variant.adds_tag = mark;
            }
        }
    }
}
