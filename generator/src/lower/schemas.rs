//! Schemas to types: structs, enums, aliases, and the inline types named after their place.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind};

use super::properties::Properties;
use super::{Lowerer, escape, schema_doc, unescape};
use crate::ir::{Doc, Field, Type, TypeDef, TypeKind, Variant};
use crate::names::{self, Namespace};

impl Lowerer<'_, '_> {
    /// Adds a named type for `schema`.
    pub(super) fn define(&mut self, name: String, schema: &Schema, pointer: &str) {
        let doc = schema_doc(schema);
        let kind = match self.kind_of(&name, schema, pointer) {
            Some(kind) => kind,
            None => TypeKind::Alias(self.type_of(schema, &name, pointer)),
        };
        self.types.push(TypeDef { name, doc, kind });
    }

    /// The kind of a type that needs a definition of its own: a struct or an enum.
    fn kind_of(&mut self, name: &str, schema: &Schema, pointer: &str) -> Option<TypeKind> {
        match &schema.schema_kind {
            SchemaKind::Type(openapiv3::Type::Object(object)) if !object.properties.is_empty() => {
                Some(TypeKind::Struct(self.fields(
                    name,
                    &object.properties,
                    &object.required,
                    pointer,
                )))
            }
            SchemaKind::Type(openapiv3::Type::String(string)) if !string.enumeration.is_empty() => {
                let values: Vec<String> = string.enumeration.iter().flatten().cloned().collect();
                Some(self.string_enum(&values, pointer))
            }
            SchemaKind::AllOf { all_of } if all_of.len() > 1 => {
                let mut properties = Properties::default();
                for (i, part) in all_of.iter().enumerate() {
                    let part_pointer = format!("{pointer}/allOf/{i}");
                    match self.deref_schema(part) {
                        Some((part, part_pointer)) => {
                            self.collect_properties(&part, &part_pointer, &mut properties)
                        }
                        None => self.warn(
                            &part_pointer,
                            "an `allOf` part that is not an object schema is not merged",
                            "make every `allOf` part an object schema",
                        ),
                    }
                }
                let fields = self.fields_from(name, &properties, pointer);
                Some(TypeKind::Struct(fields))
            }
            SchemaKind::Any(any) if !any.properties.is_empty() => Some(TypeKind::Struct(
                self.fields(name, &any.properties, &any.required, pointer),
            )),
            _ => None,
        }
    }

    fn collect_properties(&mut self, schema: &Schema, pointer: &str, into: &mut Properties) {
        let (properties, required) = match &schema.schema_kind {
            SchemaKind::Type(openapiv3::Type::Object(o)) => (&o.properties, &o.required),
            SchemaKind::Any(a) => (&a.properties, &a.required),
            SchemaKind::AllOf { all_of } => {
                for (i, part) in all_of.iter().enumerate() {
                    if let Some((part, part_pointer)) = self.deref_schema(part) {
                        self.collect_properties(&part, &part_pointer, into);
                    } else {
                        self.warn(
                            &format!("{pointer}/allOf/{i}"),
                            "an `allOf` part that is not an object schema is not merged",
                            "make every `allOf` part an object schema",
                        );
                    }
                }
                return;
            }
            _ => {
                self.warn(
                    pointer,
                    "an `allOf` part that is not an object schema is not merged",
                    "make every `allOf` part an object schema",
                );
                return;
            }
        };
        for (key, property) in properties {
            into.insert(
                key.clone(),
                property.clone(),
                required.contains(key),
                format!("{pointer}/properties/{}", escape(key)),
            );
        }
    }

    fn fields(
        &mut self,
        owner: &str,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        pointer: &str,
    ) -> Vec<Field> {
        let mut collected = Properties::default();
        for (key, property) in properties {
            collected.insert(
                key.clone(),
                property.clone(),
                required.contains(key),
                format!("{pointer}/properties/{}", escape(key)),
            );
        }
        for key in required {
            if !properties.contains_key(key) {
                self.warn(
                    &format!("{pointer}/required"),
                    format!("`{key}` is required but not among the properties; it is ignored"),
                    "add the property or remove it from `required`",
                );
            }
        }
        self.fields_from(owner, &collected, pointer)
    }

    fn fields_from(&mut self, owner: &str, properties: &Properties, _pointer: &str) -> Vec<Field> {
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
            fields.push(Field {
                name: claimed.name,
                wire: key.clone(),
                ty,
                required: *required,
                doc,
            });
        }
        fields
    }

    fn string_enum(&mut self, values: &[String], pointer: &str) -> TypeKind {
        let mut variant_names = Namespace::default();
        variant_names.reserve("Other");
        let mut variants: Vec<Variant> = Vec::new();
        for value in values {
            if variants.iter().any(|v| &v.wire == value) {
                self.warn(
                    &format!("{pointer}/enum"),
                    format!("the enum value `{value}` is listed twice; it is kept once"),
                    "remove the duplicate from `enum`",
                );
                continue;
            }
            let claimed = variant_names.claim(names::variant(value), value);
            variants.push(Variant {
                name: claimed.name,
                wire: value.clone(),
            });
        }
        TypeKind::Enum {
            variants,
            open: true,
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

    /// The type of a schema met inline; objects and enums become named types after `context`.
    fn type_of(&mut self, schema: &Schema, context: &str, pointer: &str) -> Type {
        let ty = self.type_of_non_null(schema, context, pointer);
        if schema.schema_data.nullable && ty != Type::Json {
            Type::Nullable(Box::new(ty))
        } else {
            ty
        }
    }

    fn type_of_non_null(&mut self, schema: &Schema, context: &str, pointer: &str) -> Type {
        use openapiv3::Type as T;
        match &schema.schema_kind {
            SchemaKind::Type(T::String(_))
            | SchemaKind::Type(T::Object(_))
            | SchemaKind::AllOf { .. }
            | SchemaKind::Any(_)
                if self.needs_definition(schema) =>
            {
                let name = self.claim_type(context, pointer);
                self.define(name.clone(), schema, pointer);
                Type::Named(name)
            }
            SchemaKind::Type(T::String(_)) => Type::String,
            SchemaKind::Type(T::Boolean(_)) => Type::Bool,
            SchemaKind::Type(T::Integer(_)) => Type::Integer,
            SchemaKind::Type(T::Number(_)) => Type::Number,
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
            SchemaKind::AllOf { all_of } => match all_of.first() {
                // A single-member `allOf` is how specs put a description beside a `$ref`.
                Some(only) if all_of.len() == 1 => {
                    self.type_of_ref_or(only, context, &format!("{pointer}/allOf/0"))
                }
                _ => Type::Json,
            },
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } | SchemaKind::Not { .. } => {
                self.warn(pointer, "`oneOf`, `anyOf` and `not` are not supported yet; the value is kept as `serde_json::Value`", "");
                Type::Json
            }
            SchemaKind::Any(any) => {
                if any.typ.is_some()
                    || !any.one_of.is_empty()
                    || !any.any_of.is_empty()
                    || !any.all_of.is_empty()
                {
                    self.warn(pointer, "this schema mixes keywords the generator cannot express; the value is kept as `serde_json::Value`", "give the schema one `type` that matches its other keywords");
                }
                Type::Json
            }
        }
    }

    fn needs_definition(&self, schema: &Schema) -> bool {
        use openapiv3::Type as T;
        match &schema.schema_kind {
            SchemaKind::Type(T::String(s)) => !s.enumeration.is_empty(),
            SchemaKind::Type(T::Object(o)) => !o.properties.is_empty(),
            SchemaKind::AllOf { all_of } => all_of.len() > 1,
            SchemaKind::Any(a) => !a.properties.is_empty(),
            _ => false,
        }
    }

    /// The schema a `$ref` or inline schema stands for, with its pointer (empty for inline).
    fn deref_schema(&self, schema: &ReferenceOr<Schema>) -> Option<(Schema, String)> {
        let mut current = schema.clone();
        // Bounded: a chain of references longer than the number of schemas is a loop.
        for _ in 0..=self.schema_names.len() {
            match current {
                ReferenceOr::Item(s) => return Some((s, String::new())),
                ReferenceOr::Reference { reference } => {
                    let key = unescape(reference.strip_prefix("#/components/schemas/")?);
                    let next = self.api.components.as_ref()?.schemas.get(&key)?.clone();
                    if let ReferenceOr::Item(s) = next {
                        return Some((s, format!("/components/schemas/{}", escape(&key))));
                    }
                    current = next;
                }
            }
        }
        None
    }
}
