//! `src/types.rs`: a Rust type per schema.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident, type_tokens};
use crate::ir::{Api, Field, Type, TypeDef, TypeKind, Variant};

pub fn types(api: &Api) -> TokenStream {
    let defs = api.types.iter().map(type_def);
    quote! {
        //! Request and response types, one per schema of the API description.
        #(#defs)*
    }
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
        TypeKind::Alias(ty) => {
            let ty = type_tokens(ty);
            quote! {
                #doc
                pub type #name = #ty;
            }
        }
    }
}

fn field(field: &Field) -> TokenStream {
    let doc = docs::outer(&field.doc);
    let name = ident(&field.name);
    let wire = &field.wire;
    let rename =
        (field.name.trim_start_matches("r#") != wire).then(|| quote!(#[serde(rename = #wire)]));
    let (ty, serde) = match (&field.ty, field.required) {
        (ty, true) => (type_tokens(ty), quote!()),
        (Type::Nullable(inner), false) => {
            let inner = type_tokens(inner);
            (
                quote!(Option<Option<#inner>>),
                quote!(#[serde(default, skip_serializing_if = "Option::is_none", with = "crate::runtime::double_option")]),
            )
        }
        (ty, false) => {
            let ty = type_tokens(ty);
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

fn string_enum(
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    variants: &[Variant],
    open: bool,
) -> TokenStream {
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
    let wires: Vec<&String> = variants.iter().map(|v| &v.wire).collect();
    let variant_docs: Vec<String> = wires
        .iter()
        .map(|w| format!(" `{}`", w.replace('`', "'")))
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
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
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
