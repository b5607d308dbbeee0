//! Schemas to types: structs, enums, unions, aliases, and the inline types named after their
//! place (`Pet` + `owner` = `PetOwner`).

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind};

use super::properties::Properties;
use super::{Lowerer, schema_doc};
use crate::diag::{escape, unescape};
use crate::ir::{Access, Constant, Doc, Field, Type, TypeDef, TypeKind, UnionVariant, Variant};
use crate::names::{self, Namespace};
use crate::normalize::TUPLE;

/// How deep `allOf` members may nest before the generator stops following them.
const MAX_ALL_OF_DEPTH: usize = 32;

impl Lowerer<'_, '_> {
    /// Adds a named type for `schema`.
    pub(super) fn define(&mut self, name: String, schema: &Schema, pointer: &str) {
        // Take the slot first, so a type comes before the inline types made for its parts.
        let slot = self.push_type(TypeDef {
            name: name.clone(),
            doc: schema_doc(schema),
            kind: TypeKind::Alias(Type::Json),
        });
        let kind = match self.kind_of(&name, schema, pointer) {
            Some(kind) => kind,
            None => TypeKind::Alias(self.type_of(schema, &name, pointer)),
        };
        if let Some(def) = self.types.get_mut(slot) {
            def.kind = kind;
        }
    }

    /// Adds a struct for `schema`, with the properties its `allOf` members bring, even when
    /// it would otherwise only name another type: a child of a discriminated parent that adds
    /// nothing of its own (`allOf: [{$ref: Parent}]`) is still a child, not the parent.
    pub(super) fn define_struct(&mut self, name: String, schema: &Schema, pointer: &str) {
        let slot = self.push_type(TypeDef {
            name: name.clone(),
            doc: schema_doc(schema),
            kind: TypeKind::Alias(Type::Json),
        });
        let mut properties = Properties::default();
        self.collect_properties(schema, pointer, &mut properties, 0);
        let fields = self.fields_from(&name, &properties, additional(schema), pointer);
        if let Some(def) = self.types.get_mut(slot) {
            def.kind = TypeKind::Struct(fields);
        }
    }

    /// The kind of a type that needs a definition of its own; `None` for one that is only a
    /// name for another type. Kept in step with [`needs_definition`].
    fn kind_of(&mut self, name: &str, schema: &Schema, pointer: &str) -> Option<TypeKind> {
        use openapiv3::Type as T;
        if !needs_definition(schema) {
            return None;
        }
        Some(match &schema.schema_kind {
            SchemaKind::Type(T::String(string)) => self.string_enum(&string.enumeration, pointer),
            SchemaKind::Type(T::Integer(integer)) => {
                let values = integer
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|v| v.to_string())
                    .collect();
                self.constants(Type::Integer, values, pointer)
            }
            SchemaKind::Type(T::Number(number)) => {
                let values = number
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|v| format!("{v:?}"))
                    .collect();
                self.constants(Type::Number, values, pointer)
            }
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
                let keyword = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) {
                    "oneOf"
                } else {
                    "anyOf"
                };
                self.union(name, members, schema, &format!("{pointer}/{keyword}"))
            }
            SchemaKind::Any(any) if !any.one_of.is_empty() || !any.any_of.is_empty() => {
                let (members, keyword) = if any.one_of.is_empty() {
                    (&any.any_of, "anyOf")
                } else {
                    (&any.one_of, "oneOf")
                };
                // Members that extend this schema with `allOf` have its properties already.
                if !any.properties.is_empty() && !self.members_extend(members, pointer) {
                    self.warn(pointer, format!("properties beside `{keyword}` are not merged into its variants"), format!("move the shared properties into each `{keyword}` member, or use `allOf`"));
                }
                self.union(name, members, schema, &format!("{pointer}/{keyword}"))
            }
            _ => {
                let mut properties = Properties::default();
                self.collect_properties(schema, pointer, &mut properties, 0);
                TypeKind::Struct(self.fields_from(name, &properties, additional(schema), pointer))
            }
        })
    }

    /// Whether every member is a component schema whose `allOf` refers to the schema at
    /// `pointer` (the base of a `oneOf` its members extend).
    fn members_extend(&self, members: &[ReferenceOr<Schema>], pointer: &str) -> bool {
        let Some(key) = pointer.strip_prefix("/components/schemas/") else {
            return false;
        };
        let own = format!("#/components/schemas/{key}");
        members.iter().all(|member| {
            let Some((schema, _)) = self.deref_schema(member, "") else {
                return false;
            };
            let all_of = match &schema.schema_kind {
                SchemaKind::AllOf { all_of } => all_of,
                SchemaKind::Any(any) => &any.all_of,
                _ => return false,
            };
            all_of
                .iter()
                .any(|m| matches!(m, ReferenceOr::Reference { reference } if *reference == own))
        })
    }

    /// Gathers the properties of an object schema, following `allOf` members.
    fn collect_properties(
        &mut self,
        schema: &Schema,
        pointer: &str,
        into: &mut Properties,
        depth: usize,
    ) {
        if depth > MAX_ALL_OF_DEPTH {
            self.warn(
                pointer,
                "`allOf` members nest too deep (or loop); the rest are not merged",
                "flatten the `allOf` chain",
            );
            return;
        }
        let (properties, required, all_of): (_, &[String], &[ReferenceOr<Schema>]) = match &schema
            .schema_kind
        {
            SchemaKind::Type(openapiv3::Type::Object(o)) => (Some(&o.properties), &o.required, &[]),
            SchemaKind::Any(a) => (Some(&a.properties), &a.required, &a.all_of),
            SchemaKind::AllOf { all_of } => (None, &[], all_of),
            _ => {
                self.warn(
                    pointer,
                    "an `allOf` member that is not an object schema is not merged",
                    "make every `allOf` member an object schema",
                );
                return;
            }
        };
        for (i, member) in all_of.iter().enumerate() {
            let member_pointer = format!("{pointer}/allOf/{i}");
            match self.deref_schema(member, &member_pointer) {
                Some((member, member_pointer)) => {
                    self.collect_properties(&member, &member_pointer, into, depth + 1)
                }
                None => self.warn(
                    &member_pointer,
                    "this `allOf` member does not lead to a schema and is not merged",
                    "point it at `#/components/schemas/...`",
                ),
            }
        }
        for (key, property) in properties.into_iter().flatten() {
            into.insert(
                key.clone(),
                property.clone(),
                required.contains(key),
                format!("{pointer}/properties/{}", escape(key)),
            );
        }
        for key in required {
            if !into.contains(key) {
                self.warn(
                    &format!("{pointer}/required"),
                    format!("`{key}` is required but not among the properties; it is ignored"),
                    "add the property or remove it from `required`",
                );
            }
        }
    }

    fn fields_from(
        &mut self,
        owner: &str,
        properties: &Properties,
        additional: Option<AdditionalType<'_>>,
        pointer: &str,
    ) -> Vec<Field> {
        let mut field_names = Namespace::default();
        let mut fields = Vec::new();
        for (key, property, required, property_pointer) in properties.iter() {
            let claimed = field_names.claim(names::snake(key), key);
            if let Some(first) = &claimed.collided_with {
                self.warn(property_pointer, format!("properties `{first}` and `{key}` both become the Rust field `{}`; this one is named `{}`", names::snake(key), claimed.name), "the JSON names are kept exactly; only the Rust field names differ");
            }
            let context = format!("{owner}{}", names::camel(key));
            let ty = self.type_of_ref_or(property, &context, property_pointer);
            let doc = match property {
                ReferenceOr::Item(schema) => schema_doc(schema),
                ReferenceOr::Reference { .. } => Doc::default(),
            };
            let access = self.access(property);
            fields.push(Field {
                name: claimed.name,
                wire: key.clone(),
                ty,
                required: *required,
                flatten: false,
                boxed: false,
                access,
                doc,
            });
        }
        if let Some(additional) = additional {
            let value = match additional {
                AdditionalType::Any => Type::Json,
                AdditionalType::Schema(schema) => self.type_of_ref_or(
                    schema,
                    &format!("{owner}Value"),
                    &format!("{pointer}/additionalProperties"),
                ),
            };
            let name = field_names
                .claim("additional_properties".to_owned(), "additionalProperties")
                .name;
            let doc = Doc {
                text: Some("Properties the schema does not name.".to_owned()),
                ..Doc::default()
            };
            fields.push(Field {
                name,
                wire: String::new(),
                ty: Type::Map(Box::new(value)),
                required: true,
                flatten: true,
                boxed: false,
                access: Access::ReadWrite,
                doc,
            });
        }
        fields
    }

    /// A property's `readOnly`/`writeOnly`, on its own schema or the one its `$ref` names.
    fn access(&self, property: &ReferenceOr<Box<Schema>>) -> Access {
        let schema = match property {
            ReferenceOr::Item(schema) => Some(schema.as_ref().clone()),
            ReferenceOr::Reference { reference } => self
                .deref_schema(&ReferenceOr::ref_(reference), "")
                .map(|(schema, _)| schema),
        };
        match schema.map(|s| (s.schema_data.read_only, s.schema_data.write_only)) {
            Some((true, false)) => Access::ReadOnly,
            Some((false, true)) => Access::WriteOnly,
            _ => Access::ReadWrite,
        }
    }

    /// The parts of a `multipart/form-data` body: like struct fields, but binary strings are uploads.
    pub(super) fn multipart_fields(
        &mut self,
        owner: &str,
        schema: &ReferenceOr<Schema>,
        pointer: &str,
    ) -> Vec<Field> {
        let Some((schema, schema_pointer)) = self.deref_schema(schema, pointer) else {
            self.warn(
                pointer,
                "this multipart schema does not lead to a schema; the body has no parts",
                "give the `multipart/form-data` body an object schema whose properties are its parts",
            );
            return Vec::new();
        };
        let mut properties = Properties::default();
        self.collect_properties(&schema, &schema_pointer, &mut properties, 0);
        let mut fields = self.fields_from(owner, &properties, None, &schema_pointer);
        for (field, (_, property, _, _)) in fields.iter_mut().zip(properties.iter()) {
            let binary =
                |s: &ReferenceOr<Box<Schema>>| matches!(s, ReferenceOr::Item(s) if is_binary(s));
            if binary(property) {
                field.ty = Type::Binary;
            } else if let ReferenceOr::Item(s) = property {
                if let SchemaKind::Type(openapiv3::Type::Array(array)) = &s.schema_kind {
                    if array.items.as_ref().is_some_and(binary) {
                        field.ty = Type::Vec(Box::new(Type::Binary));
                    }
                }
            }
        }
        fields
    }

    fn string_enum(&mut self, values: &[Option<String>], pointer: &str) -> TypeKind {
        let mut variant_names = Namespace::default();
        variant_names.reserve("Other");
        let mut variants: Vec<Variant> = Vec::new();
        for (i, value) in values.iter().enumerate() {
            let Some(value) = value else { continue };
            if variants.iter().any(|v| &v.wire == value) {
                self.warn(
                    &format!("{pointer}/enum/{i}"),
                    format!("the enum value `{value}` is listed twice; it is kept once"),
                    "remove the duplicate from `enum`",
                );
                continue;
            }
            let claimed = variant_names.claim(names::variant(value), value);
            if let Some(first) = claimed.collided_with {
                self.warn(&format!("{pointer}/enum/{i}"), format!("enum values `{first}` and `{value}` both become the variant `{}`; this one is named `{}`", names::variant(value), claimed.name), "the wire values are kept exactly; only the Rust variant names differ");
            }
            variants.push(Variant {
                name: claimed.name,
                wire: value.clone(),
            });
        }
        TypeKind::Enum { variants }
    }

    fn constants(&mut self, base: Type, literals: Vec<String>, pointer: &str) -> TypeKind {
        let mut constant_names = Namespace::default();
        let mut values: Vec<Constant> = Vec::new();
        for literal in literals {
            if values.iter().any(|c| c.literal == literal) {
                self.warn(
                    &format!("{pointer}/enum"),
                    format!("the enum value `{literal}` is listed twice; it is kept once"),
                    "remove the duplicate from `enum`",
                );
                continue;
            }
            let name = constant_names
                .claim(names::constant(&literal), &literal)
                .name;
            values.push(Constant { name, literal });
        }
        TypeKind::Constants { base, values }
    }

    fn union(
        &mut self,
        name: &str,
        members: &[ReferenceOr<Schema>],
        schema: &Schema,
        pointer: &str,
    ) -> TypeKind {
        let discriminator = schema.schema_data.discriminator.as_ref();
        let owner = pointer.rsplit_once('/').map_or(pointer, |(owner, _)| owner);
        let mapping = discriminator
            .map(|d| self.mapping(d, owner))
            .unwrap_or_default();
        let member_keys: Vec<Option<String>> = members
            .iter()
            .map(|m| match m {
                ReferenceOr::Reference { reference } => reference
                    .strip_prefix("#/components/schemas/")
                    .map(unescape),
                ReferenceOr::Item(_) => None,
            })
            .collect();
        for (value, key) in &mapping {
            if !member_keys.iter().flatten().any(|k| k == key) {
                let keyword = pointer.rsplit('/').next().unwrap_or("oneOf");
                self.warn(
                    &format!("{owner}/discriminator/mapping/{}", escape(value)),
                    format!("the discriminator `mapping` sends `{value}` to `{key}`, which is not one of the `{keyword}` members; the entry is ignored"),
                    format!("add `{key}` to `{keyword}`, or remove the entry"),
                );
            }
        }
        let mut variant_names = Namespace::default();
        variant_names.reserve("Other");
        let mut variants = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let member_pointer = format!("{pointer}/{i}");
            let (candidate, ty) = match member {
                ReferenceOr::Reference { reference } => {
                    let ty = self.type_of_reference(reference, &member_pointer);
                    let candidate = match &ty {
                        Type::Named(n) => n.clone(),
                        _ => format!("Variant{}", i + 1),
                    };
                    (candidate, ty)
                }
                ReferenceOr::Item(member) => {
                    let ty =
                        self.type_of(member, &format!("{name}Variant{}", i + 1), &member_pointer);
                    (variant_name_for(&ty, i), ty)
                }
            };
            let claimed = variant_names.claim(candidate, &format!("member {i}"));
            let tag_values = match (discriminator, member) {
                (Some(_), ReferenceOr::Reference { reference }) => {
                    let key = member_keys.get(i).cloned().flatten().unwrap_or_else(|| {
                        reference
                            .rsplit('/')
                            .next()
                            .map(unescape)
                            .unwrap_or_default()
                    });
                    let mapped: Vec<String> = mapping
                        .iter()
                        .filter(|(_, target)| *target == key)
                        .map(|(value, _)| value.clone())
                        .collect();
                    if mapped.is_empty() { vec![key] } else { mapped }
                }
                (Some(d), ReferenceOr::Item(_)) => {
                    self.warn(&member_pointer, format!("an inline member cannot be chosen by the discriminator `{}`; it is never selected", d.property_name), "move the member into `#/components/schemas` and refer to it");
                    Vec::new()
                }
                (None, _) => Vec::new(),
            };
            variants.push(UnionVariant {
                name: claimed.name,
                ty,
                tag_values,
                boxed: false,
                adds_tag: false,
            });
        }
        TypeKind::Union {
            variants,
            tag: discriminator.map(|d| d.property_name.clone()),
            fallback: None,
        }
    }

    pub(super) fn type_of_ref_or<T: std::borrow::Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<T>,
        context: &str,
        pointer: &str,
    ) -> Type {
        match schema {
            ReferenceOr::Reference { reference } => self.type_of_reference(reference, pointer),
            ReferenceOr::Item(schema) => self.type_of(schema.borrow(), context, pointer),
        }
    }

    fn type_of_reference(&mut self, reference: &str, pointer: &str) -> Type {
        let key = reference
            .strip_prefix("#/components/schemas/")
            .map(unescape);
        match key.and_then(|k| self.schema_names.get(&k).cloned()) {
            Some(name) => Type::Named(name),
            None => {
                self.warn(pointer, format!("`$ref: {reference}` does not name a schema under `#/components/schemas`; the value is kept as `serde_json::Value`"), "point schema references at `#/components/schemas/...`");
                Type::Json
            }
        }
    }

    /// The type of a schema met inline; objects, enums and unions become named types after `context`.
    pub(super) fn type_of(&mut self, schema: &Schema, context: &str, pointer: &str) -> Type {
        let ty = self.type_of_non_null(schema, context, pointer);
        if schema.schema_data.nullable && ty != Type::Json {
            Type::Nullable(Box::new(ty))
        } else {
            ty
        }
    }

    fn type_of_non_null(&mut self, schema: &Schema, context: &str, pointer: &str) -> Type {
        use openapiv3::Type as T;
        if needs_definition(schema) {
            // One type per inline schema, however often it is reached: through `allOf` merges a
            // schema can hold itself, and this is where that recursion ends.
            if let Some(name) = self.inline_types.get(pointer) {
                return Type::Named(name.clone());
            }
            let name = self.claim_type(context, pointer);
            self.inline_types.insert(pointer.to_owned(), name.clone());
            self.define(name.clone(), schema, pointer);
            return Type::Named(name);
        }
        if let Some((declared, example)) = contradicting_example(schema) {
            // Real servers send what the example shows more often than what the type says.
            self.warn(
                pointer,
                format!("the schema says `type: {declared}` but its example is {example}; the value is kept as `serde_json::Value`"),
                "fix the `type` or the `example` so they agree",
            );
            return Type::Json;
        }
        match &schema.schema_kind {
            SchemaKind::Type(T::String(_)) => Type::String,
            SchemaKind::Type(T::Boolean(_)) => Type::Bool,
            SchemaKind::Type(T::Integer(_)) => Type::Integer,
            SchemaKind::Type(T::Number(_)) => Type::Number,
            SchemaKind::Type(T::Array(array))
                if schema.schema_data.extensions.contains_key(TUPLE) =>
            {
                self.tuple(array, context, pointer)
            }
            SchemaKind::Type(T::Array(array)) => {
                let item = match &array.items {
                    Some(items) => self.type_of_ref_or(
                        items,
                        &format!("{context}Item"),
                        &format!("{pointer}/items"),
                    ),
                    None => Type::Json,
                };
                Type::Vec(Box::new(item))
            }
            SchemaKind::Type(T::Object(object)) => match &object.additional_properties {
                Some(AdditionalProperties::Schema(value)) => {
                    let value = self.type_of_ref_or(
                        value,
                        &format!("{context}Value"),
                        &format!("{pointer}/additionalProperties"),
                    );
                    Type::Map(Box::new(value))
                }
                _ => Type::Map(Box::new(Type::Json)),
            },
            // `allOf` with one member (beside annotations such as `nullable`) is how specs put a
            // description or nullability beside a `$ref`.
            SchemaKind::AllOf { all_of } => match single_member(all_of) {
                Some((i, only, nullable)) => {
                    let ty = self.type_of_ref_or(only, context, &format!("{pointer}/allOf/{i}"));
                    if nullable && !matches!(ty, Type::Nullable(_) | Type::Json) {
                        Type::Nullable(Box::new(ty))
                    } else {
                        ty
                    }
                }
                None => Type::Json,
            },
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => Type::Json,
            SchemaKind::Not { .. } => {
                self.warn(pointer, "`not` cannot be expressed as a Rust type; the value is kept as `serde_json::Value`", "describe what the value is rather than what it is not");
                Type::Json
            }
            SchemaKind::Any(any) => {
                if let Some((i, only, _)) = single_member(&any.all_of) {
                    return self.type_of_ref_or(only, context, &format!("{pointer}/allOf/{i}"));
                }
                match any.typ.as_deref() {
                    Some("string") => return Type::String,
                    Some("integer") => return Type::Integer,
                    Some("number") => return Type::Number,
                    Some("boolean") => return Type::Bool,
                    Some("object") if any.all_of.is_empty() => {
                        return Type::Map(Box::new(Type::Json));
                    }
                    _ => {}
                }
                if *any != openapiv3::AnySchema::default() {
                    let typ = any
                        .typ
                        .as_deref()
                        .map(|t| format!(" (`type: {t}`)"))
                        .unwrap_or_default();
                    self.warn(pointer, format!("this schema{typ} mixes keywords the generator cannot express; the value is kept as `serde_json::Value`"), "give the schema one valid `type` that matches its other keywords");
                }
                Type::Json
            }
        }
    }

    /// A tuple (`prefixItems`): `normalize` wrote its members as the `anyOf` of `items` and
    /// marked the array [`TUPLE`]. Anything else under the mark is a list of any value.
    fn tuple(&mut self, array: &openapiv3::ArrayType, context: &str, pointer: &str) -> Type {
        let members = match array.items.as_ref() {
            Some(ReferenceOr::Item(items)) => match &items.schema_kind {
                SchemaKind::AnyOf { any_of } => any_of,
                _ => return Type::Vec(Box::new(Type::Json)),
            },
            _ => return Type::Vec(Box::new(Type::Json)),
        };
        let types = members
            .iter()
            .enumerate()
            .map(|(i, member)| {
                let member_context = format!("{context}{}", i + 1);
                let member_pointer = format!("{pointer}/items/anyOf/{i}");
                self.type_of_ref_or(member, &member_context, &member_pointer)
            })
            .collect();
        Type::Tuple(types)
    }

    /// The schema a `$ref` or inline schema stands for, with its pointer.
    pub(super) fn deref_schema(
        &self,
        schema: &ReferenceOr<Schema>,
        pointer: &str,
    ) -> Option<(Schema, String)> {
        let mut current = schema.clone();
        let mut current_pointer = pointer.to_owned();
        // Bounded: a chain of references longer than the number of schemas is a loop.
        for _ in 0..=self.schema_names.len() {
            match current {
                ReferenceOr::Item(s) => return Some((s, current_pointer)),
                ReferenceOr::Reference { reference } => {
                    let key = unescape(reference.strip_prefix("#/components/schemas/")?);
                    current = self.api.components.as_ref()?.schemas.get(&key)?.clone();
                    current_pointer = format!("/components/schemas/{}", escape(&key));
                }
            }
        }
        None
    }
}

/// What `additionalProperties` adds to a struct: any value, or values of one schema.
enum AdditionalType<'s> {
    Any,
    Schema(&'s ReferenceOr<Schema>),
}

fn additional(schema: &Schema) -> Option<AdditionalType<'_>> {
    let additional = match &schema.schema_kind {
        SchemaKind::Type(openapiv3::Type::Object(o)) => o.additional_properties.as_ref(),
        SchemaKind::Any(a) => a.additional_properties.as_ref(),
        _ => None,
    };
    match additional? {
        AdditionalProperties::Any(true) => Some(AdditionalType::Any),
        // `false` (and absent): no extra properties are kept; unknown ones are ignored on input.
        AdditionalProperties::Any(false) => None,
        AdditionalProperties::Schema(schema) => Some(AdditionalType::Schema(schema.as_ref())),
    }
}

/// Whether a schema becomes a named type of its own (a struct, enum or union) rather than a
/// plain Rust type. Kept in step with `Lowerer::kind_of`.
pub(super) fn needs_definition(schema: &Schema) -> bool {
    use openapiv3::Type as T;
    match &schema.schema_kind {
        SchemaKind::Type(T::String(s)) => !s.enumeration.is_empty(),
        SchemaKind::Type(T::Integer(i)) => !i.enumeration.is_empty(),
        SchemaKind::Type(T::Number(n)) => !n.enumeration.is_empty(),
        SchemaKind::Type(T::Object(o)) => !o.properties.is_empty(),
        SchemaKind::AllOf { all_of } => real_members(all_of) > 1,
        SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => true,
        SchemaKind::Any(a) => {
            !a.properties.is_empty()
                || !a.one_of.is_empty()
                || !a.any_of.is_empty()
                || real_members(&a.all_of) > 1
        }
        _ => false,
    }
}

/// The one member of an `allOf` whose other members only annotate it (`nullable: true`, a
/// `description`): its index, the member, and whether an annotation makes it nullable.
fn single_member(all_of: &[ReferenceOr<Schema>]) -> Option<(usize, &ReferenceOr<Schema>, bool)> {
    let mut real = all_of.iter().enumerate().filter(|(_, m)| !annotation(m));
    let (index, only) = real.next()?;
    if real.next().is_some() {
        return None;
    }
    let nullable = all_of
        .iter()
        .any(|m| matches!(m, ReferenceOr::Item(s) if annotation(m) && s.schema_data.nullable));
    Some((index, only, nullable))
}

/// An `allOf` member with no type or properties of its own: only `nullable`, a description...
fn annotation(member: &ReferenceOr<Schema>) -> bool {
    matches!(member, ReferenceOr::Item(s) if matches!(&s.schema_kind, SchemaKind::Any(a) if *a == openapiv3::AnySchema::default()))
}

/// The `allOf` members that bring a schema of their own.
fn real_members(all_of: &[ReferenceOr<Schema>]) -> usize {
    all_of.iter().filter(|m| !annotation(m)).count()
}

/// The declared type and the kind of example, when a schema's example is not of its type
/// (`type: object` with `example: "google"`).
fn contradicting_example(schema: &Schema) -> Option<(&'static str, &'static str)> {
    use openapiv3::Type as T;
    use serde_json::Value as V;
    let example = schema.schema_data.example.as_ref()?;
    let declared = match &schema.schema_kind {
        SchemaKind::Type(T::String(_)) => "string",
        SchemaKind::Type(T::Integer(_)) => "integer",
        SchemaKind::Type(T::Number(_)) => "number",
        SchemaKind::Type(T::Boolean(_)) => "boolean",
        SchemaKind::Type(T::Object(_)) => "object",
        SchemaKind::Type(T::Array(_)) => "array",
        _ => return None,
    };
    let fits = match (declared, example) {
        (_, V::Null) => true,
        ("string", V::String(_))
        | ("boolean", V::Bool(_))
        | ("object", V::Object(_))
        | ("array", V::Array(_)) => true,
        ("number", V::Number(_)) => true,
        // A long integer literal is read as a float with no fraction.
        ("integer", V::Number(n)) => {
            n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => false,
    };
    let kind = match example {
        V::String(_) => "a string",
        V::Number(_) => "a number",
        V::Bool(_) => "a boolean",
        V::Array(_) => "an array",
        V::Object(_) => "an object",
        V::Null => "null",
    };
    (!fits).then_some((declared, kind))
}

fn is_binary(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(openapiv3::Type::String(s)) => {
            matches!(
                &s.format,
                openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary)
            )
        }
        _ => false,
    }
}

/// A union variant's name for an inline member, after its Rust type.
fn variant_name_for(ty: &Type, index: usize) -> String {
    match ty {
        Type::Named(name) => name.clone(),
        Type::String => "String".to_owned(),
        Type::Bool => "Bool".to_owned(),
        Type::Integer => "Integer".to_owned(),
        Type::Number => "Number".to_owned(),
        Type::Vec(_) => "Array".to_owned(),
        Type::Map(_) => "Object".to_owned(),
        Type::Nullable(inner) | Type::Boxed(inner) => variant_name_for(inner, index),
        Type::Json | Type::Binary | Type::Tuple(_) => format!("Variant{}", index + 1),
    }
}
