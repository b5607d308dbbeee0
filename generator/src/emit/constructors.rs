//! `src/constructors.rs`: how users build what they send. For each `TypeBuilder` of the model,
//! `new` with the fields a request requires (each `impl Into` of its type), a setter per other
//! field, and `Default` when `new` would take nothing.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{docs, ident, type_tokens};
use crate::ir::{Access, Api, Field, Type, TypeBuilder, TypeKind};

pub fn constructors(api: &Api) -> TokenStream {
    let impls = api.builders.iter().filter_map(|b| builder(api, b));
    quote! {
        //! Constructors and setters of the types a request sends.

        #(#impls)*
    }
}

/// How a field is held: the value itself, or an `Option` of it (optional, or missing in one
/// direction). A multipart part's field is never boxed and has no direction.
struct Held<'a> {
    field: &'a Field,
    optional: bool,
}

fn builder(api: &Api, builder: &TypeBuilder) -> Option<TokenStream> {
    let def = api.types.iter().find(|t| t.name == builder.type_name)?;
    let held: Vec<Held> = match &def.kind {
        // As `emit::types` declares them: required only when sent both ways.
        TypeKind::Struct(fields) => fields
            .iter()
            .map(|f| Held {
                field: f,
                optional: !(f.flatten || f.required && f.access == Access::ReadWrite),
            })
            .collect(),
        TypeKind::Multipart(parts) => parts
            .iter()
            .map(|(f, _)| Held {
                field: f,
                optional: !f.required,
            })
            .collect(),
        _ => return None,
    };
    let name = ident(&def.name);
    let args: Vec<&Held> = builder
        .required
        .iter()
        .filter_map(|i| held.get(*i))
        .collect();
    let inits = held.iter().enumerate().map(|(i, h)| {
        let field = ident(&h.field.name);
        let value = if !builder.required.contains(&i) {
            if h.field.flatten {
                quote!(::std::default::Default::default())
            } else {
                quote!(::std::option::Option::None)
            }
        } else {
            let value = converted(h.field, &field);
            if h.optional {
                quote!(::std::option::Option::Some(#value))
            } else {
                value
            }
        };
        quote!(#field: #value,)
    });
    let constructor = if args.is_empty() {
        // Written here rather than derived, so `emit::types` stays the types' one author.
        quote! {
            #[allow(clippy::derivable_impls)]
            impl ::std::default::Default for crate::types::#name {
                fn default() -> Self {
                    crate::types::#name { #(#inits)* }
                }
            }
        }
    } else {
        let params = args.iter().map(|h| {
            let field = ident(&h.field.name);
            let ty = argument_type(&h.field.ty);
            quote!(#field: impl ::std::convert::Into<#ty>)
        });
        let many = (args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        let doc = " With the properties a request requires; set the others with the methods below.";
        quote! {
            #[doc = #doc]
            #many
            pub fn new(#(#params),*) -> Self {
                crate::types::#name { #(#inits)* }
            }
        }
    };
    let setters = builder.setters.iter().filter_map(|(i, setter)| {
        let h = held.get(*i)?;
        Some(set(h, &ident(setter)))
    });
    let (inherent, default) = if args.is_empty() {
        (None, Some(constructor))
    } else {
        (Some(constructor), None)
    };
    Some(quote! {
        impl crate::types::#name {
            #inherent
            #(#setters)*
        }

        #default
    })
}

/// A setter: the property's docs, then `self.field = value`.
fn set(h: &Held, setter: &Ident) -> TokenStream {
    let field = ident(&h.field.name);
    let mut lines = docs::lines(&h.field.doc);
    if !lines.is_empty() {
        lines.push(String::new());
    }
    let mut note = format!(" Sets `{}`.", h.field.wire);
    let (ty, value) = match (&h.field.ty, h.optional) {
        _ if h.field.flatten => (type_tokens(&h.field.ty), quote!(#field.into())),
        // `Option<Option<T>>`: absent or `null`; the setter sends a value.
        (Type::Nullable(inner), true) => {
            note = format!(
                " Sets `{}`; to send `null`, set the field to `Some(None)`.",
                h.field.wire
            );
            let value = boxed(h.field, quote!(#field.into()));
            (
                type_tokens(inner),
                quote!(::std::option::Option::Some(::std::option::Option::Some(#value))),
            )
        }
        (ty, true) => {
            let value = converted(h.field, &field);
            (
                argument_type(ty),
                quote!(::std::option::Option::Some(#value)),
            )
        }
        (ty, false) => (argument_type(ty), converted(h.field, &field)),
    };
    lines.push(note);
    // Setting a deprecated property warns as using it does.
    let deprecated = docs::deprecated(&h.field.doc);
    quote! {
        #(#[doc = #lines])*
        #deprecated
        pub fn #setter(mut self, #field: impl ::std::convert::Into<#ty>) -> Self {
            self.#field = #value;
            self
        }
    }
}

/// What a constructor argument or setter takes: the property's type (`Option<T>` for a
/// nullable one).
fn argument_type(ty: &Type) -> TokenStream {
    type_tokens(ty)
}

/// The argument `name`, converted and boxed as the field holds it (a nullable boxed field
/// holds `Option<Box<T>>`).
fn converted(field: &Field, name: &Ident) -> TokenStream {
    match &field.ty {
        Type::Nullable(_) if field.boxed => {
            let ty = type_tokens(&field.ty);
            quote!({
                let value: #ty = #name.into();
                value.map(::std::boxed::Box::new)
            })
        }
        _ => boxed(field, quote!(#name.into())),
    }
}

fn boxed(field: &Field, value: TokenStream) -> TokenStream {
    if field.boxed {
        quote!(::std::boxed::Box::new(#value))
    } else {
        value
    }
}
