//! Stage 4: turn the intermediate model into the crate's files, as tokens (Rust sources) or
//! text (the manifest and the shared runtime). No decisions about names or types are made here.

mod auth;
mod client;
mod constructors;
pub mod contract;
mod docs;
mod manifest;
mod markdown;
mod mock;
mod pagination;
mod readme;
mod requests;
mod types;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::Options;
use crate::ir::{Api, Type};

/// The crate before rendering.
pub struct CrateTokens {
    pub rust: Vec<(&'static str, TokenStream)>,
    pub text: Vec<(&'static str, String)>,
}

const RUNTIME: &str = include_str!("../../templates/runtime.rs");
const TRANSPORT: &str = include_str!("../../templates/transport.rs");
const STYLE: &str = include_str!("../../templates/style.rs");
const AUTH: &str = include_str!("../../templates/auth.rs");
const MOCK: &str = include_str!("../../templates/mock.rs");
/// The contract driver's support module.
pub const CONTRACT_SUPPORT: &str = include_str!("../../templates/contract_support.rs");
const PAGES: &str = include_str!("../../templates/pages.rs");

/// Makes the tokens of one Rust file of the crate.
pub type RustEmitter = fn(&Api, &Options) -> TokenStream;

/// The crate's Rust files, each with the function that makes it. Each can run on its own
/// thread (tokens cannot cross threads, the model can).
pub const RUST_FILES: [(&str, RustEmitter); 6] = [
    ("src/lib.rs", client::lib),
    ("src/types.rs", |api, _| types::types(api)),
    ("src/constructors.rs", |api, _| {
        constructors::constructors(api)
    }),
    ("src/client.rs", client::client),
    ("src/requests.rs", |api, _| requests::requests(api)),
    ("src/mock_operations.rs", |api, _| {
        mock::mock_operations(api)
    }),
];

/// The paging streams, in a crate where an operation pages.
const PAGINATION_FILE: (&str, RustEmitter) = ("src/requests/pagination.rs", |api, _| {
    pagination::pagination(api)
});

/// The crate's Rust files: [`RUST_FILES`], and the paging streams when an operation pages.
pub fn rust_files(api: &Api) -> Vec<(&'static str, RustEmitter)> {
    let mut files = RUST_FILES.to_vec();
    if api.paged() {
        files.push(PAGINATION_FILE);
    }
    files
}

/// The crate's other files, as text.
pub fn text_files(api: &Api, options: &Options) -> Vec<(&'static str, String)> {
    let mut files = vec![
        ("Cargo.toml", manifest::manifest(api, options)),
        ("README.md", readme::readme(api, options)),
        ("src/runtime.rs", RUNTIME.to_owned()),
        ("src/transport.rs", TRANSPORT.to_owned()),
        ("src/style.rs", STYLE.to_owned()),
        ("src/auth.rs", AUTH.to_owned()),
        ("src/mock.rs", MOCK.to_owned()),
    ];
    if api.paged() {
        files.push(("src/pages.rs", PAGES.to_owned()));
    }
    files
}

/// The whole crate, one file after another.
pub fn emit(api: &Api, options: &Options) -> CrateTokens {
    CrateTokens {
        rust: rust_files(api)
            .iter()
            .map(|(path, make)| (*path, make(api, options)))
            .collect(),
        text: text_files(api, options),
    }
}

/// An identifier from a name the lowering made (`r#type` becomes a raw identifier).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// A type as generated code spells it: by its full path, so no schema name (`Result`,
/// `String`, `Option`) can change what it means.
pub fn type_tokens(ty: &Type) -> TokenStream {
    match ty {
        Type::Named(name) => {
            let name = ident(name);
            quote!(crate::types::#name)
        }
        Type::String => quote!(::std::string::String),
        Type::Bool => quote!(bool),
        Type::Integer => quote!(i64),
        Type::Number => quote!(f64),
        Type::Vec(item) => {
            let item = type_tokens(item);
            quote!(::std::vec::Vec<#item>)
        }
        Type::Map(value) => {
            let value = type_tokens(value);
            quote!(::std::collections::BTreeMap<::std::string::String, #value>)
        }
        Type::Json => quote!(::serde_json::Value),
        Type::Nullable(inner) => {
            let inner = type_tokens(inner);
            quote!(::std::option::Option<#inner>)
        }
        Type::Binary => quote!(crate::runtime::Upload),
        Type::Tuple(members) => {
            let members = members.iter().map(type_tokens);
            quote!((#(#members,)*))
        }
        Type::Boxed(inner) => {
            let inner = type_tokens(inner);
            quote!(::std::boxed::Box<#inner>)
        }
    }
}
