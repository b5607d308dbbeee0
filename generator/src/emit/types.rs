//! `src/types.rs`: a Rust type per schema.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{docs, ident, type_tokens};
use crate::ir::{
    Access, Api, Constant, Field, Part, PartKind, Type, TypeDef, TypeKind, UnionVariant, Variant,
};

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
                TypeKind::Struct(fields) => fields.iter().any(|f| f.doc.deprecated.is_some()),
                TypeKind::Multipart(parts) => parts.iter().any(|(f, _)| f.doc.deprecated.is_some()),
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
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                pub struct #name {
                    #(#fields)*
                }
            }
        }
        TypeKind::Enum { variants } => string_enum(&name, &doc, variants),
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
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
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
            quote!(::std::option::Option<#inner>)
        }
        ty if boxed => {
            let ty = type_tokens(ty);
            quote!(::std::boxed::Box<#ty>)
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
    // OpenAPI 3.0.3, Schema Object: a `readOnly` property is never sent and a `writeOnly` one
    // never received, so neither is required of whoever builds the other direction.
    let required = field.required && field.access == Access::ReadWrite;
    let skip = if field.access == Access::ReadOnly {
        quote!(skip_serializing_if = "crate::runtime::read_only_skipped")
    } else {
        quote!(skip_serializing_if = "::std::option::Option::is_none")
    };
    let (ty, serde) = match (&field.ty, required) {
        (ty, true) => (held_type(ty, field.boxed), quote!()),
        (Type::Nullable(inner), false) => {
            let inner = held_type(inner, field.boxed);
            (
                quote!(::std::option::Option<::std::option::Option<#inner>>),
                quote!(#[serde(default, #skip, with = "crate::runtime::double_option")]),
            )
        }
        (ty, false) => {
            let ty = held_type(ty, field.boxed);
            (
                quote!(::std::option::Option<#ty>),
                quote!(#[serde(default, #skip)]),
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
        #[derive(Debug, Clone, Copy, PartialEq, #extra ::serde::Serialize, ::serde::Deserialize)]
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
            Other(::serde_json::Value),
        }
    });
    let wrap = |v: &UnionVariant| {
        let id = ident(&v.name);
        if v.boxed {
            quote!(|v| #name::#id(::std::boxed::Box::new(v)))
        } else {
            quote!(#name::#id)
        }
    };
    let derive_deserialize = tag.is_none().then(|| quote!(::serde::Deserialize,));
    let deserialize = tag.map(|tag| {
        let arms = variants
            .iter()
            .filter(|v| !v.tag_values.is_empty() && fallback.is_none_or(|f| f.name != v.name))
            .map(|v| {
                let values = &v.tag_values;
                let wrap = wrap(v);
                quote!(#(::std::option::Option::Some(#values))|* => crate::runtime::from_value(value).map(#wrap),)
            });
        let rest = match fallback {
            Some(v) => {
                let wrap = wrap(v);
                quote!(_ => crate::runtime::from_value(value).map(#wrap),)
            }
            None => quote!(_ => ::std::result::Result::Ok(#name::Other(value)),),
        };
        let arms: Vec<TokenStream> = arms.collect();
        // With no variant a tag selects, every value is the fallback (no `match` of one arm).
        let body = if arms.is_empty() {
            match fallback {
                Some(v) => {
                    let wrap = wrap(v);
                    quote!(crate::runtime::from_value(value).map(#wrap))
                }
                None => quote!(::std::result::Result::Ok(#name::Other(value))),
            }
        } else {
            quote! {
                let tag = value.get(#tag).and_then(::serde_json::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    #(#arms)*
                    #rest
                }
            }
        };
        quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                    #body
                }
            }
        }
    });
    // A variant whose type may leave the tag out gets it back when serialized, so what is
    // sent decodes as the same variant.
    let adds_tag = tag.is_some() && variants.iter().any(|v| v.adds_tag);
    let derive_serialize = (!adds_tag).then(|| quote!(::serde::Serialize,));
    let serialize = tag.filter(|_| adds_tag).map(|tag| {
        let arms = variants.iter().map(|v| {
            let id = ident(&v.name);
            match v.tag_values.first() {
                Some(value) if v.adds_tag => quote! {
                    #name::#id(v) => {
                        let mut value = ::serde_json::to_value(v).map_err(::serde::ser::Error::custom)?;
                        if let ::std::option::Option::Some(fields) = value.as_object_mut() {
                            fields.entry(#tag).or_insert_with(|| ::serde_json::Value::from(#value));
                        }
                        ::serde::Serialize::serialize(&value, serializer)
                    }
                },
                _ => quote!(#name::#id(v) => ::serde::Serialize::serialize(v, serializer),),
            }
        });
        let other = fallback
            .is_none()
            .then(|| quote!(#name::Other(v) => ::serde::Serialize::serialize(v, serializer),));
        quote! {
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
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

fn multipart(name: &Ident, doc: &TokenStream, parts: &[(Field, Part)]) -> TokenStream {
    let declarations = parts.iter().map(|(f, _)| {
        let doc = docs::outer(&f.doc);
        let id = ident(&f.name);
        let ty = type_tokens(&f.ty);
        if f.required {
            quote!(#doc pub #id: #ty,)
        } else {
            quote!(#doc pub #id: ::std::option::Option<#ty>,)
        }
    });
    let adds = parts.iter().map(|(f, part)| {
        let id = ident(&f.name);
        let wire = &f.wire;
        // OpenAPI 3.0.3's defaults: files are octets, objects JSON, primitives plain text (a
        // part without a `Content-Type` is text/plain, RFC 7578 section 4.4).
        let one = match (part.kind, &part.content_type) {
            (PartKind::File, content_type) => {
                let default = content_type
                    .as_deref()
                    .unwrap_or("application/octet-stream");
                quote!(form = form.part(#wire, value.into_part(#default)?);)
            }
            (PartKind::Text, None) => {
                quote!(form = form.text(#wire, crate::style::text(&value)?);)
            }
            (kind, content_type) => {
                let text = if kind == PartKind::Json {
                    quote!(::serde_json::to_string(&value).map_err(|e| e.to_string())?)
                } else {
                    quote!(crate::style::text(&value)?)
                };
                let content_type = content_type.as_deref().unwrap_or("application/json");
                quote! {
                    let part = ::reqwest::multipart::Part::text(#text)
                        .mime_str(#content_type)
                        .map_err(|e| e.to_string())?;
                    form = form.part(#wire, part);
                }
            }
        };
        let each = if part.repeated {
            quote!(for value in values { #one })
        } else {
            quote!({ let value = values; #one })
        };
        if f.required {
            quote!({ let values = self.#id; #each })
        } else {
            quote!(if let ::std::option::Option::Some(values) = self.#id { #each })
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name {
            #(#declarations)*
        }

        impl #name {
            /// The body as a form; fails on a value that cannot be written (an upload's
            /// malformed content type, say).
            pub(crate) fn into_form(self) -> ::std::result::Result<::reqwest::multipart::Form, ::std::string::String> {
                let mut form = ::reqwest::multipart::Form::new();
                #(#adds)*
                ::std::result::Result::Ok(form)
            }
        }
    }
}

/// A string enum; a value the spec does not list is kept in `Other`. Its serde impls are
/// written out rather than derived: a string is read and matched, which compiles to far less
/// than serde's derive (whose untagged `Other` buffers every value) and reads the same values.
fn string_enum(name: &Ident, doc: &TokenStream, variants: &[Variant]) -> TokenStream {
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
    let wires: Vec<&String> = variants.iter().map(|v| &v.wire).collect();
    let variant_docs: Vec<String> = wires
        .iter()
        .map(|w| format!(" {}", docs::code(w)))
        .collect();
    // With no value listed (`enum: [null]`), a `match` of one arm would be a lint.
    let read = if variants.is_empty() {
        quote!(::std::result::Result::Ok(#name::Other(value)))
    } else {
        quote! {
            match value.as_str() {
                #(#wires => ::std::result::Result::Ok(#name::#idents),)*
                _ => ::std::result::Result::Ok(#name::Other(value)),
            }
        }
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(
                #[doc = #variant_docs]
                #idents,
            )*
            /// A value the API description does not list, kept as it came.
            Other(::std::string::String),
        }

        impl #name {
            /// The value as it goes on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#name::#idents => #wires,)*
                    #name::Other(value) => value,
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                #read
            }
        }
    }
}
