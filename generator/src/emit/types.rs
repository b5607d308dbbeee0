//! `src/types.rs`: a Rust type per schema.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{docs, ident, type_tokens};
use crate::ir::{Api, Constant, Field, Type, TypeDef, TypeKind, UnionVariant, Variant};

pub fn types(api: &Api) -> TokenStream {
    let defs = api.types.iter().map(type_def);
    // The types refer to one another, deprecated or not; only users' uses should warn.
    let allow = uses_deprecated(api).then(|| quote!(#![allow(deprecated)]));
    quote! {
        //! Request and response types, one per schema of the API description.
        #allow
        #(#defs)*
    }
}

/// Whether a type or field is `#[deprecated]`, so the crate's own code that touches it must
/// allow it.
pub fn uses_deprecated(api: &Api) -> bool {
    api.types.iter().any(|def| {
        def.doc.deprecated.is_some()
            || match &def.kind {
                TypeKind::Struct(fields) | TypeKind::Multipart(fields) => {
                    fields.iter().any(|f| f.doc.deprecated.is_some())
                }
                _ => false,
            }
    })
}

fn type_def(def: &TypeDef) -> TokenStream {
    let doc = docs::outer(&def.doc);
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct(fields) => {
            let fields = fields.iter().map(field);
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                pub struct #name {
                    #(#fields)*
                }
            }
        }
        TypeKind::Enum { variants, open } => string_enum(&name, &doc, variants, *open),
        TypeKind::Constants { base, values } => {
            let doc = docs::outer_with_note(
                &def.doc,
                "The listed values are constants; other values still decode.",
            );
            constants(&name, &doc, base, values)
        }
        TypeKind::Union {
            variants,
            tag,
            fallback,
        } => {
            let fallback = fallback.and_then(|i| variants.get(i));
            let note = match (tag, fallback) {
                (Some(tag), Some(fallback)) => format!(
                    "The variant is chosen by the `{tag}` property; a value whose tag names no other variant is a [`{}::{}`].",
                    def.name, fallback.name
                ),
                (Some(tag), None) => format!("The variant is chosen by the `{tag}` property."),
                (None, _) => "The first variant the value decodes as is chosen.".to_owned(),
            };
            union(
                &name,
                &docs::outer_with_note(&def.doc, &note),
                variants,
                tag.as_deref(),
                fallback,
            )
        }
        TypeKind::Multipart(fields) => multipart(&name, &doc, fields),
        TypeKind::Alias(ty) => {
            let ty = type_tokens(ty);
            quote! {
                #doc
                pub type #name = #ty;
            }
        }
        TypeKind::Newtype { ty, boxed } => {
            let ty = held_type(ty, *boxed);
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #ty);
            }
        }
    }
}

/// The type as a field or variant holds it: boxed where it would contain itself.
fn held_type(ty: &Type, boxed: bool) -> TokenStream {
    match ty {
        Type::Nullable(inner) if boxed => {
            let inner = held_type(inner, true);
            quote!(Option<#inner>)
        }
        ty if boxed => {
            let ty = type_tokens(ty);
            quote!(Box<#ty>)
        }
        ty => type_tokens(ty),
    }
}

fn field(field: &Field) -> TokenStream {
    let doc = docs::outer(&field.doc);
    let name = ident(&field.name);
    if field.flatten {
        let ty = type_tokens(&field.ty);
        return quote! {
            #doc
            #[serde(flatten)]
            pub #name: #ty,
        };
    }
    let wire = &field.wire;
    let rename =
        (field.name.trim_start_matches("r#") != wire).then(|| quote!(#[serde(rename = #wire)]));
    let (ty, serde) = match (&field.ty, field.required) {
        (ty, true) => (held_type(ty, field.boxed), quote!()),
        (Type::Nullable(inner), false) => {
            let inner = held_type(inner, field.boxed);
            (
                quote!(Option<Option<#inner>>),
                quote!(#[serde(default, skip_serializing_if = "Option::is_none", with = "crate::runtime::double_option")]),
            )
        }
        (ty, false) => {
            let ty = held_type(ty, field.boxed);
            (
                quote!(Option<#ty>),
                quote!(#[serde(default, skip_serializing_if = "Option::is_none")]),
            )
        }
    };
    quote! {
        #doc
        #rename
        #serde
        pub #name: #ty,
    }
}

fn constants(name: &Ident, doc: &TokenStream, base: &Type, values: &[Constant]) -> TokenStream {
    let base_tokens = type_tokens(base);
    let extra = (*base == Type::Integer).then(|| quote!(Eq, Hash,));
    let consts = values.iter().filter_map(|c| {
        let value: TokenStream = c.literal.parse().ok()?;
        let const_name = ident(&c.name);
        let const_doc = format!(" `{}`", c.literal);
        Some(quote! {
            #[doc = #const_doc]
            pub const #const_name: #name = #name(#value);
        })
    });
    // The values are the spec's: one that happens to be close to π is not a typo for it.
    let allow = (*base == Type::Number).then(|| quote!(#[allow(clippy::approx_constant)]));
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, #extra serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct #name(pub #base_tokens);

        #allow
        impl #name {
            #(#consts)*
        }
    }
}

fn union(
    name: &Ident,
    doc: &TokenStream,
    variants: &[UnionVariant],
    tag: Option<&str>,
    fallback: Option<&UnionVariant>,
) -> TokenStream {
    let idents: Vec<Ident> = variants.iter().map(|v| ident(&v.name)).collect();
    let types = variants.iter().map(|v| held_type(&v.ty, v.boxed));
    let other = fallback.is_none().then(|| {
        quote! {
            /// A value that matches no variant the API description lists, kept as it came.
            Other(serde_json::Value),
        }
    });
    let wrap = |v: &UnionVariant| {
        let id = ident(&v.name);
        if v.boxed {
            quote!(|v| #name::#id(Box::new(v)))
        } else {
            quote!(#name::#id)
        }
    };
    let derive_deserialize = tag.is_none().then(|| quote!(serde::Deserialize,));
    let deserialize = tag.map(|tag| {
        let arms = variants
            .iter()
            .filter(|v| !v.tag_values.is_empty() && fallback.is_none_or(|f| f.name != v.name))
            .map(|v| {
                let values = &v.tag_values;
                let wrap = wrap(v);
                quote!(#(Some(#values))|* => serde_json::from_value(value).map(#wrap).map_err(serde::de::Error::custom),)
            });
        let rest = match fallback {
            Some(v) => {
                let wrap = wrap(v);
                quote!(_ => serde_json::from_value(value).map(#wrap).map_err(serde::de::Error::custom),)
            }
            None => quote!(_ => Ok(#name::Other(value)),),
        };
        let arms: Vec<TokenStream> = arms.collect();
        // With no variant a tag selects, every value is the fallback (no `match` of one arm).
        let body = if arms.is_empty() {
            match fallback {
                Some(v) => {
                    let wrap = wrap(v);
                    quote!(serde_json::from_value(value).map(#wrap).map_err(serde::de::Error::custom))
                }
                None => quote!(Ok(#name::Other(value))),
            }
        } else {
            quote! {
                let tag = value.get(#tag).and_then(serde_json::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    #(#arms)*
                    #rest
                }
            }
        };
        quote! {
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = serde_json::Value::deserialize(deserializer)?;
                    #body
                }
            }
        }
    });
    // A variant whose type may leave the tag out gets it back when serialized, so what is
    // sent decodes as the same variant.
    let adds_tag = tag.is_some() && variants.iter().any(|v| v.adds_tag);
    let derive_serialize = (!adds_tag).then(|| quote!(serde::Serialize,));
    let serialize = tag.filter(|_| adds_tag).map(|tag| {
        let arms = variants.iter().map(|v| {
            let id = ident(&v.name);
            match v.tag_values.first() {
                Some(value) if v.adds_tag => quote! {
                    #name::#id(v) => {
                        let mut value = serde_json::to_value(v).map_err(serde::ser::Error::custom)?;
                        if let Some(fields) = value.as_object_mut() {
                            fields.entry(#tag).or_insert_with(|| serde_json::Value::from(#value));
                        }
                        serde::Serialize::serialize(&value, serializer)
                    }
                },
                _ => quote!(#name::#id(v) => serde::Serialize::serialize(v, serializer),),
            }
        });
        let other = fallback
            .is_none()
            .then(|| quote!(#name::Other(v) => serde::Serialize::serialize(v, serializer),));
        quote! {
            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    match self {
                        #(#arms)*
                        #other
                    }
                }
            }
        }
    });
    let untagged = (derive_serialize.is_some() || derive_deserialize.is_some())
        .then(|| quote!(#[serde(untagged)]));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #derive_serialize #derive_deserialize)]
        #untagged
        pub enum #name {
            #(#idents(#types),)*
            #other
        }

        #deserialize
        #serialize
    }
}

fn multipart(name: &Ident, doc: &TokenStream, fields: &[Field]) -> TokenStream {
    let declarations = fields.iter().map(|f| {
        let doc = docs::outer(&f.doc);
        let id = ident(&f.name);
        let ty = type_tokens(&f.ty);
        if f.required {
            quote!(#doc pub #id: #ty,)
        } else {
            quote!(#doc pub #id: Option<#ty>,)
        }
    });
    let parts = fields.iter().map(|f| {
        let id = ident(&f.name);
        let wire = &f.wire;
        let add = match &f.ty {
            Type::Binary => quote!(form = form.part(#wire, value.into_part()?);),
            Type::Vec(item) if **item == Type::Binary => {
                quote!(for upload in value { form = form.part(#wire, upload.into_part()?); })
            }
            Type::String => quote!(form = form.text(#wire, value);),
            Type::Integer | Type::Number | Type::Bool => quote!(form = form.text(#wire, value.to_string());),
            _ => quote!(form = form.text(#wire, serde_json::to_string(&value).map_err(|e| e.to_string())?);),
        };
        if f.required {
            quote!({ let value = self.#id; #add })
        } else {
            quote!(if let Some(value) = self.#id { #add })
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name {
            #(#declarations)*
        }

        impl #name {
            /// The body as a form; fails only on an upload's malformed content type.
            pub(crate) fn into_form(self) -> Result<reqwest::multipart::Form, String> {
                let mut form = reqwest::multipart::Form::new();
                #(#parts)*
                Ok(form)
            }
        }
    }
}

fn string_enum(name: &Ident, doc: &TokenStream, variants: &[Variant], open: bool) -> TokenStream {
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
    let wires: Vec<&String> = variants.iter().map(|v| &v.wire).collect();
    let variant_docs: Vec<String> = wires
        .iter()
        .map(|w| format!(" {}", docs::code(w)))
        .collect();
    let other = open.then(|| {
        quote! {
            /// A value the API description does not list, kept as it came.
            #[serde(untagged)]
            Other(String),
        }
    });
    let other_str = open.then(|| quote!(#name::Other(value) => value,));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum #name {
            #(
                #[doc = #variant_docs]
                #[serde(rename = #wires)]
                #idents,
            )*
            #other
        }

        impl #name {
            /// The value as it goes on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#name::#idents => #wires,)*
                    #other_str
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}
