//! The contract driver: a program that calls every operation of the generated crate once,
//! with every optional value set to its sample, through a recording proxy, and prints one JSON
//! line per call. `cargo xtask conformance` runs it against a mock server that validates each
//! request against the spec.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::requests::{Arg, signature};
use super::{ident, type_tokens};
use crate::Options;
use crate::ir::{Api, BodyKind, Operation, PartKind, SchemeKind, Type, TypeKind};

/// The driver's `main.rs`.
pub fn driver(api: &Api, options: &Options) -> TokenStream {
    let krate = format_ident!("{}", options.crate_name.replace('-', "_"));
    let constructor: Vec<TokenStream> = super::client::constructor_args(api)
        .iter()
        .map(|(name, _)| match *name {
            "base_url" => quote!(tap.url()),
            _ => quote!("token"),
        })
        .collect();
    // Every scheme gets a credential, so each operation sends what its `security` asks for.
    let credentials = api.security_schemes.iter().filter_map(|scheme| {
        let setter = ident(scheme.setter.as_deref()?);
        Some(match scheme.kind {
            SchemeKind::ApiKey { .. } => quote!(.#setter("key")),
            SchemeKind::Basic => quote!(.#setter("user", "password")),
            SchemeKind::Bearer(_) => quote!(.#setter("token")),
        })
    });
    let count = api.operations.len();
    let calls = api
        .operations
        .iter()
        .enumerate()
        .map(|(i, op)| call(api, op, i));
    let doc = format!(
        " Calls every operation of `{}` once against the server given as the first argument.",
        options.crate_name
    );
    quote! {
        #![doc = #doc]
        #![allow(clippy::all, unused_imports, deprecated)]

        mod support;

        use #krate as api;

        #[tokio::main(flavor = "current_thread")]
        async fn main() {
            let Some(upstream) = std::env::args().nth(1) else {
                eprintln!("usage: contract BASE_URL [FIRST] | contract --operations");
                std::process::exit(2);
            };
            if upstream == "--operations" {
                println!("{}", #count);
                return;
            }
            // The index of the first operation to call (after a server that stopped).
            let first: usize = std::env::args().nth(2).and_then(|n| n.parse().ok()).unwrap_or(0);
            let tap = match support::Tap::start(&upstream).await {
                Ok(tap) => tap,
                Err(err) => {
                    eprintln!("error: cannot listen on loopback: {err}");
                    std::process::exit(2);
                }
            };
            let client = api::Client::new(#(#constructor),*)
                .with_base_url(tap.url())
                .with_http_client(support::http_client())
                #(#credentials)*;
            #(#calls)*
        }
    }
}

/// One call: its values from their samples, then the outcome's line.
fn call(api: &Api, op: &Operation, index: usize) -> TokenStream {
    let method = ident(&op.method_name);
    let mut bindings = Vec::new();
    let mut required = Vec::new();
    let mut setters = Vec::new();
    for (i, arg) in signature(op).iter().enumerate() {
        let name = format_ident!("v{i}");
        let Some(value) = value(api, op, arg) else {
            continue;
        };
        bindings.push(quote!(let #name = #value;));
        if arg.required() {
            required.push(quote!(#name));
        } else {
            let setter = arg.name();
            setters.push(quote!(.#setter(#name)));
        }
    }
    let (id, http_method, path) = (&op.id, &op.http_method, &op.path_template);
    quote! {
        if first <= #index {
            let outcome = async {
                #(#bindings)*
                Ok::<_, String>(support::Outcome::of(client.#method(#(#required),*)#(#setters)*.send().await))
            }
            .await
            .unwrap_or_else(support::Outcome::invalid_sample);
            outcome.print(&tap, #index, #id, #http_method, #path);
        }
    }
}

/// The expression of one value from its sample; `None` for an optional value with no sample.
fn value(api: &Api, op: &Operation, arg: &Arg<'_>) -> Option<TokenStream> {
    match arg {
        Arg::Param(p) => {
            let sample = match &p.sample {
                Some(sample) => sample.to_string(),
                None if p.required => "null".to_owned(),
                None => return None,
            };
            let ty = driver_type(&p.ty);
            Some(quote!(support::sample::<#ty>(#sample)?))
        }
        Arg::Body { required } => {
            let body = op.body.as_ref()?;
            if !required && body.sample.is_none() {
                return None;
            }
            let sample = body.sample.clone().unwrap_or(serde_json::Value::Null);
            Some(match &body.kind {
                BodyKind::Json(ty) | BodyKind::Form(ty, _) => {
                    let ty = driver_type(ty);
                    let text = sample.to_string();
                    quote!(support::sample::<#ty>(#text)?)
                }
                BodyKind::Multipart(name) => multipart(api, name, &sample),
                BodyKind::Text => {
                    let text = match &sample {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    quote!(#text.to_owned())
                }
                BodyKind::Bytes => {
                    let text = match &sample {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    quote!(#text.as_bytes().to_vec())
                }
            })
        }
    }
}

/// A multipart body's struct: files from the sample's text, every other part from its sample.
fn multipart(api: &Api, name: &str, sample: &serde_json::Value) -> TokenStream {
    let Some(parts) = api
        .types
        .iter()
        .find(|t| t.name == name)
        .and_then(|t| match &t.kind {
            TypeKind::Multipart(parts) => Some(parts),
            _ => None,
        })
    else {
        return quote!(compile_error!("no multipart type"));
    };
    let ty = ident(name);
    let fields = parts.iter().map(|(field, part)| {
        let field_name = ident(&field.name);
        let part_sample = sample.get(&field.wire).cloned();
        let upload = |text: String| {
            quote!(api::Upload::new(#text.as_bytes().to_vec()).with_file_name("sample.bin"))
        };
        let text_of = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let value = match (part.kind, part.repeated) {
            (PartKind::File, false) => Some(upload(
                part_sample.as_ref().map(text_of).unwrap_or_else(|| "file".to_owned()),
            )),
            (PartKind::File, true) => {
                let one = upload(
                    part_sample
                        .as_ref()
                        .and_then(|s| s.as_array().and_then(|a| a.first()).map(text_of))
                        .unwrap_or_else(|| "file".to_owned()),
                );
                Some(quote!(vec![#one]))
            }
            _ => part_sample.map(|s| {
                let ty = driver_type(&field.ty);
                let text = s.to_string();
                quote!(support::sample::<#ty>(#text)?)
            }),
        };
        match (field.required, value) {
            (true, Some(value)) => quote!(#field_name: #value,),
            (true, None) => {
                let ty = driver_type(&field.ty);
                quote!(#field_name: support::sample::<#ty>("null")?,)
            }
            (false, Some(value)) => quote!(#field_name: Some(#value),),
            (false, None) => quote!(#field_name: None,),
        }
    });
    quote!(api::types::#ty { #(#fields)* })
}

/// A type as the driver, outside the crate, names it.
fn driver_type(ty: &Type) -> TokenStream {
    let text = type_tokens(ty).to_string().replace("crate ::", "api ::");
    text.parse().unwrap_or_else(|_| quote!(::serde_json::Value))
}
