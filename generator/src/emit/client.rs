//! `src/lib.rs` and `src/client.rs`: the crate root and the `Client` with a method per operation.

use proc_macro2::Ident;
use proc_macro2::TokenStream;
use quote::quote;

use super::requests::{Arg, body_type_of, signature};
use super::{auth, docs, ident, type_tokens};
use crate::Options;
use crate::ir::{
    Api, BodyKind, MediaVariant, Operation, Param, Response, ResponseBody, Status, Type,
};

pub fn lib(api: &Api, _options: &Options) -> TokenStream {
    let types_glob = (!api.types.is_empty()).then(|| {
        quote!(
            pub use types::*;
        )
    });
    let pages = api.paged().then(|| {
        quote! {
            #[rustfmt::skip]
            mod pages;
        }
    });
    // A document with no operations (OpenAPI 3.1 allows one) makes a crate of types: the
    // client is there but unused (the runtime files allow that themselves).
    let unused = api
        .operations
        .is_empty()
        .then(|| quote!(#[allow(dead_code, unused_imports)]));
    // Methods take and return the types the spec deprecates; only users' uses should warn.
    let allow_deprecated = super::types::uses_deprecated(api).then(|| quote!(#[allow(deprecated)]));
    quote! {
        // The crate's guide for its users, whose examples are doctests.
        #![doc = include_str!("../README.md")]
        #![forbid(unsafe_code)]
        // Identifiers keep the spec's names, in whatever script they are written.
        #![allow(uncommon_codepoints, mixed_script_confusables, confusable_idents)]

        // The generator formats its output with prettyplease; rustfmt would format it differently.
        #[rustfmt::skip]
        #allow_deprecated
        #unused
        mod client;
        #pages
        #[rustfmt::skip]
        mod auth;
        #[rustfmt::skip]
        #allow_deprecated
        mod constructors;
        #[cfg(feature = "mock")]
        #[rustfmt::skip]
        pub mod mock;
        #[cfg(feature = "mock")]
        #[rustfmt::skip]
        #allow_deprecated
        mod mock_operations;
        #[rustfmt::skip]
        #allow_deprecated
        pub mod requests;
        #[rustfmt::skip]
        mod runtime;
        #[rustfmt::skip]
        mod style;
        #[rustfmt::skip]
        mod transport;
        #[rustfmt::skip]
        pub mod types;

        pub use auth::{TokenError, TokenSource};
        pub use client::*;
        pub use runtime::{Error, Response, Upload};
        pub use transport::RetryPolicy;
        #types_glob
    }
}

/// An operation's doc example: its builder with its required values and an optional one.
fn op_example(op: &Operation, krate: &str) -> Vec<String> {
    let (hidden, call) = call_example(op, krate);
    let hidden: String = hidden.iter().map(|h| format!(", {h}")).collect();
    let code = [
        "```no_run".to_owned(),
        format!(
            "# async fn example(client: &{krate}::Client{hidden}) -> Result<(), {krate}::Error<{krate}::{}>> {{",
            op.error_name
        ),
        format!("let response = {call};"),
        "# let _ = response;".to_owned(),
        "# Ok(())".to_owned(),
        "# }".to_owned(),
        "```".to_owned(),
    ];
    let mut lines = vec![" # Example".to_owned(), String::new()];
    lines.extend(code.into_iter().map(|l| format!(" {l}")));
    lines
}

/// `client.op(required...).setter(value).send().await?`, with the spec's examples where they
/// make a literal; other values are parameters of the example function (hidden lines), given
/// as `name: Type`.
pub(super) fn call_example(op: &Operation, krate: &str) -> (Vec<String>, String) {
    let mut hidden = Vec::new();
    let mut args = Vec::new();
    let mut setters = Vec::new();
    for arg in signature(op) {
        let name = arg.name().to_string();
        let plain = name.trim_start_matches("r#").to_owned();
        let literal = match &arg {
            Arg::Param(p) => example_literal(p),
            Arg::Body { .. } => None,
        };
        match (arg.required(), literal) {
            (true, Some(literal)) => args.push(literal),
            (true, None) => {
                hidden.push(format!("{plain}: {}", arg_type_text(op, &arg, krate)));
                args.push(plain);
            }
            (false, Some(literal)) if setters.len() < 2 => {
                setters.push(format!(".{name}({literal})"));
            }
            (false, _) => {}
        }
    }
    let call = format!(
        "client.{}({}){}.send().await?",
        op.method_name,
        args.join(", "),
        setters.concat()
    );
    (hidden, call)
}

/// A value's type as the example function's signature writes it.
fn arg_type_text(op: &Operation, arg: &Arg<'_>, krate: &str) -> String {
    let tokens = match arg {
        Arg::Param(p) => type_tokens(&p.ty),
        Arg::Body { .. } => match op.body.as_ref().map(|b| &b.kind) {
            Some(BodyKind::Json(ty) | BodyKind::Form(ty, _)) => type_tokens(ty),
            Some(BodyKind::Multipart(name)) => {
                let name = ident(name);
                quote!(crate::types::#name)
            }
            Some(BodyKind::Text) => quote!(String),
            _ => quote!(bytes::Bytes),
        },
    };
    // The example is outside the crate: `crate::` is the crate's name there.
    tokens
        .to_string()
        .replace(' ', "")
        .replace("crate::", &format!("{krate}::"))
}

/// A Rust literal for a parameter, from the spec's example, when its type has one.
fn example_literal(param: &Param) -> Option<String> {
    let example = param.doc.example.as_deref();
    match &param.ty {
        Type::String => Some(
            match example.and_then(|e| serde_json::from_str::<String>(e).ok()) {
                Some(s) => format!("{s:?}"),
                None => format!("\"<{}>\"", param.wire),
            },
        ),
        Type::Integer => Some(
            example
                .filter(|e| e.parse::<i64>().is_ok())
                .unwrap_or("0")
                .to_owned(),
        ),
        Type::Number => Some(
            example
                .filter(|e| e.parse::<f64>().is_ok())
                .map(|e| {
                    if e.contains('.') {
                        e.to_owned()
                    } else {
                        format!("{e}.0")
                    }
                })
                .unwrap_or_else(|| "0.0".to_owned()),
        ),
        Type::Bool => Some(
            example
                .filter(|e| *e == "true" || *e == "false")
                .unwrap_or("false")
                .to_owned(),
        ),
        _ => None,
    }
}

/// A client of the mock server at `uri` (the `mock` feature), with a placeholder token when
/// `new` takes one.
pub(super) fn mock_client(api: &Api) -> TokenStream {
    let token = api.token_argument.then(|| quote!("mock-token"));
    if api.server.as_ref().is_some_and(|s| s.absolute) {
        quote!(crate::Client::new(#token).with_base_url(uri))
    } else {
        let token = token.map(|t| quote!(, #t));
        quote!(crate::Client::new(uri #token))
    }
}

/// The constructor's arguments: the base URL when the spec names no absolute server (a
/// relative one is resolved against it), and a token when every scheme of the API is a bearer one.
pub(super) fn constructor_args(api: &Api) -> Vec<(&'static str, TokenStream)> {
    let mut args = Vec::new();
    if api.server.as_ref().is_none_or(|s| !s.absolute) {
        args.push(("base_url", quote!(base_url: impl Into<String>)));
    }
    if api.token_argument {
        args.push(("token", quote!(token: impl Into<String>)));
    }
    args
}

pub fn client(api: &Api, options: &Options) -> TokenStream {
    let krate = &options.crate_name.replace('-', "_");
    let args = constructor_args(api);
    let params: Vec<&TokenStream> = args.iter().map(|(_, tokens)| tokens).collect();
    let base_url_param = args
        .iter()
        .find(|(name, _)| *name == "base_url")
        .map(|(_, tokens)| tokens);
    let server = server_tokens(api);
    let origin_init = if api.server.as_ref().is_some_and(|s| s.absolute) {
        quote!(String::new())
    } else {
        quote!(base_url.trim_end_matches('/').to_owned())
    };
    let origin_binding = (!api.server.as_ref().is_some_and(|s| s.absolute))
        .then(|| quote!(let base_url: String = base_url.into();));
    let base_url_init = &server.init;
    let default_const = &server.constant;
    let new_doc = if api.token_argument {
        " A client that sends `token` as the bearer token wherever an operation asks for one."
    } else if api.security_schemes.is_empty() {
        " A client with default settings."
    } else {
        " A client with default settings and no credentials: give them with the setters below."
    };
    let credentials_field = auth::field(api);
    let credentials_init = auth::init(api);
    let credentials_debug = credentials_field
        .is_some()
        .then(|| quote!(.field("credentials", &self.credentials)));
    let schemes = auth::schemes(api);
    let client_value = quote! {
        Client {
            config: transport::Config {
                origin: #origin_init,
                base_url: #base_url_init,
                timeout: Some(Self::DEFAULT_TIMEOUT),
                retry: RetryPolicy::none(),
            },
            http: Self::http_client(Self::DEFAULT_CONNECT_TIMEOUT),
            #credentials_init
        }
    };
    let new_body = match auth::set_token(api) {
        Some(set_token) => quote! {
            let mut client = #client_value;
            #set_token
            client
        },
        None => client_value,
    };
    let credential_methods = auth::methods(api, base_url_param);
    let default_impl = (params.is_empty()).then(|| {
        quote! {
            impl Default for Client {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    let methods = api
        .operations
        .iter()
        .map(|op| operation(op, op_example(op, krate)));
    let enums = api.operations.iter().map(response_enums);
    let headers = response_headers(api);
    let server_setter = &server.setter;
    let server_struct = &server.variables;
    let client_doc = format!(
        " Client for {} {}.",
        super::docs::inline(&api.title),
        super::docs::inline(&api.version)
    );
    quote! {
        //! The client: one method per operation, and each operation's error statuses.

        use std::time::Duration;

        use crate::transport::{self, RetryPolicy};

        #[doc = #client_doc]
        ///
        /// Defaults: a 10 s connect timeout, a 30 s timeout for each attempt, no retries, and a
        /// user agent naming this crate and its version.
        #[derive(Clone)]
        pub struct Client {
            pub(crate) config: transport::Config,
            pub(crate) http: reqwest::Client,
            #credentials_field
        }

        impl std::fmt::Debug for Client {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("Client")
                    .field("config", &self.config)
                    #credentials_debug
                    .finish_non_exhaustive()
            }
        }

        #default_impl

        impl Client {
            #default_const

            /// The connect timeout of the HTTP client `new` builds.
            pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
            /// The time one attempt may take, from sending to the end of the body.
            pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

            #[doc = #new_doc]
            pub fn new(#(#params),*) -> Self {
                #origin_binding
                #new_body
            }

            fn http_client(connect_timeout: Duration) -> reqwest::Client {
                reqwest::Client::builder()
                    .user_agent(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")))
                    .connect_timeout(connect_timeout)
                    .build()
                    .unwrap_or_default()
            }

            /// Sends requests to `base_url` (for example a mock server) instead of the default.
            pub fn with_base_url(mut self, base_url: impl Into<String>) -> Self {
                self.config.base_url = base_url.into().trim_end_matches('/').to_owned();
                self
            }

            /// Sends requests through `http`, with its own proxies, TLS and connect settings.
            pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
                self.http = http;
                self
            }

            /// The time one attempt may take; `None` for no limit.
            pub fn with_timeout(mut self, timeout: Option<Duration>) -> Self {
                self.config.timeout = timeout;
                self
            }

            /// Rebuilds the HTTP client with this connect timeout (replacing one given to
            /// [`Client::with_http_client`]).
            pub fn with_connect_timeout(mut self, connect_timeout: Duration) -> Self {
                self.http = Self::http_client(connect_timeout);
                self
            }

            /// Retries failed calls as `policy` says; see [`RetryPolicy`].
            pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
                self.config.retry = policy;
                self
            }

            #credential_methods

            #server_setter

            pub fn base_url(&self) -> &str {
                &self.config.base_url
            }

            #(#methods)*
        }

        #(#enums)*

        #headers

        #server_struct

        #schemes
    }
}

/// What the client knows of the spec's server.
struct ServerTokens {
    /// The base URL `new` starts from.
    init: TokenStream,
    /// `DEFAULT_BASE_URL`, for an absolute server.
    constant: Option<TokenStream>,
    /// `with_server_variables`, when the server has variables.
    setter: Option<TokenStream>,
    /// The struct of the variables, with their defaults.
    variables: Option<TokenStream>,
}

/// The server URL with the variables' defaults, absolute or resolved against the base URL
/// given to `new`; with variables, a struct to set them (OpenAPI 3.0.3, Server Object).
fn server_tokens(api: &Api) -> ServerTokens {
    let Some(server) = &api.server else {
        return ServerTokens {
            init: quote!(base_url.trim_end_matches('/').to_owned()),
            constant: None,
            setter: None,
            variables: None,
        };
    };
    let mut with_defaults = server.url.clone();
    for variable in &server.variables {
        with_defaults = with_defaults.replace(&format!("{{{}}}", variable.wire), &variable.default);
    }
    let (init, constant) = if server.absolute {
        let constant = quote! {
            /// The server the API description names (`servers[0]`, its variables at their
            /// defaults), used unless [`Client::with_base_url`] says otherwise.
            pub const DEFAULT_BASE_URL: &'static str = #with_defaults;
        };
        (quote!(Self::DEFAULT_BASE_URL.to_owned()), Some(constant))
    } else {
        (
            quote!(transport::resolve_url(&base_url, #with_defaults)),
            None,
        )
    };
    let (Some(name), false) = (
        api.server_variables_name.as_deref(),
        server.variables.is_empty(),
    ) else {
        return ServerTokens {
            init,
            constant,
            setter: None,
            variables: None,
        };
    };
    let name = ident(name);
    let fields: Vec<Ident> = server.variables.iter().map(|v| ident(&v.name)).collect();
    let defaults = server.variables.iter().map(|v| &v.default);
    let wires = server.variables.iter().map(|v| format!("{{{}}}", v.wire));
    let docs = server.variables.iter().map(|v| {
        let mut doc = v.doc.clone();
        let mut note = format!("`{{{}}}`, by default `{}`", v.wire, v.default);
        if !v.values.is_empty() {
            let values: Vec<String> = v.values.iter().map(|x| format!("`{x}`")).collect();
            note.push_str(&format!("; one of {}", values.join(", ")));
        }
        note.push('.');
        doc.text = Some(match doc.text {
            Some(text) => format!("{text}\n\n{note}"),
            None => note,
        });
        docs::outer(&doc)
    });
    let template = &server.url;
    let resolve = if server.absolute {
        quote!(url)
    } else {
        quote!(transport::resolve_url(&self.config.origin, &url))
    };
    let setter = quote! {
        /// Sends requests to the spec's server with these variables in its URL.
        pub fn with_server_variables(mut self, variables: #name) -> Self {
            let url = variables.url();
            self.config.base_url = #resolve;
            self
        }
    };
    let doc = format!(" The variables of the server URL `{template}`.");
    let variables = quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct #name {
            #(#docs pub #fields: String,)*
        }

        impl Default for #name {
            fn default() -> Self {
                #name { #(#fields: #defaults.to_owned(),)* }
            }
        }

        impl #name {
            /// The server URL with these values.
            pub fn url(&self) -> String {
                let mut url = #template.to_owned();
                #(url = url.replace(#wires, &self.#fields);)*
                url.trim_end_matches('/').to_owned()
            }
        }
    };
    ServerTokens {
        init,
        constant,
        setter: Some(setter),
        variables: Some(variables),
    }
}

/// The struct of every documented response header, and the accessors on responses and errors.
fn response_headers(api: &Api) -> Option<TokenStream> {
    let name = ident(api.response_headers_name.as_deref()?);
    let fields: Vec<Ident> = api
        .response_headers
        .iter()
        .map(|h| ident(&h.name))
        .collect();
    let docs = api.response_headers.iter().map(|h| {
        let mut doc = h.doc.clone();
        let what = format!("`{}`", h.wire);
        doc.text = Some(match doc.text {
            Some(text) => format!("{what}: {text}"),
            None => what,
        });
        docs::outer(&doc)
    });
    let types = api.response_headers.iter().map(|h| type_tokens(&h.ty));
    let wires = api
        .response_headers
        .iter()
        .map(|h| h.wire.to_ascii_lowercase());
    let parses = api.response_headers.iter().map(|h| match h.ty {
        Type::String => quote!(.map(str::to_owned)),
        _ => quote!(.and_then(|v| v.trim().parse().ok())),
    });
    let doc = " The response headers the API description documents, typed; `None` when the server did not send one (or sent one that does not parse).";
    Some(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #name {
            #(#docs pub #fields: Option<#types>,)*
        }

        impl #name {
            pub fn from_headers(headers: &reqwest::header::HeaderMap) -> Self {
                #name {
                    #(#fields: headers.get(#wires).and_then(|v| v.to_str().ok())#parses,)*
                }
            }
        }

        impl<T> crate::Response<T> {
            /// The documented headers of this response, typed.
            pub fn documented_headers(&self) -> #name {
                #name::from_headers(self.headers())
            }
        }

        impl<E: std::fmt::Debug> crate::Error<E> {
            /// The documented headers of the response, when one arrived.
            pub fn documented_headers(&self) -> Option<#name> {
                self.headers().map(#name::from_headers)
            }
        }
    })
}

/// The `Client` method of an operation: it takes the required values and returns the
/// operation's request builder.
fn operation(op: &Operation, example: Vec<String>) -> TokenStream {
    let method = ident(&op.method_name);
    let request = ident(&op.request_name);
    let args = signature(op);
    let required: Vec<_> = args.iter().filter(|a| a.required()).collect();
    let params = required.iter().map(|arg| {
        let (name, input) = (arg.name(), arg.input(op));
        quote!(#name: #input)
    });
    let names = required.iter().map(|arg| arg.name());
    let mut doc = method_doc(op);
    doc.push(String::new());
    doc.extend(example);
    let deprecated = docs::deprecated(&op.doc);
    quote! {
        #(#[doc = #doc])*
        #deprecated
        pub fn #method(&self, #(#params),*) -> crate::requests::#request<'_> {
            crate::requests::#request::new(self, #(#names),*)
        }
    }
}

fn method_doc(op: &Operation) -> Vec<String> {
    let mut lines = docs::lines(&op.doc);
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(format!(
        " `{} {}` (operation `{}`)",
        op.http_method, op.path_template, op.id
    ));
    let documented: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.required && (p.doc.text.is_some() || p.doc.example.is_some()))
        .collect();
    if !documented.is_empty() {
        lines.push(String::new());
        lines.push(" Arguments:".to_owned());
        for p in documented {
            let mut line = format!(" - `{}`", p.name.trim_start_matches("r#"));
            if let Some(text) = &p.doc.text {
                line.push_str(&format!(": {}", docs::sanitize(text).join(" ")));
            }
            if let Some(example) = &p.doc.example {
                line.push_str(&format!(" (example: `{}`)", example.replace('`', "'")));
            }
            lines.push(line);
        }
    }
    let optional: Vec<String> = signature(op)
        .iter()
        .filter(|a| !a.required())
        .map(|a| {
            format!(
                "[`{}`](crate::requests::{}::{})",
                a.name().to_string().trim_start_matches("r#"),
                op.request_name,
                a.name().to_string().trim_start_matches("r#")
            )
        })
        .collect();
    lines.push(String::new());
    if optional.is_empty() {
        lines.push(format!(
            " Send it with [`send`](crate::requests::{}::send).",
            op.request_name
        ));
    } else {
        lines.push(format!(
            " Optional values are set on the returned [`{}`](crate::requests::{}): {}; then [`send`](crate::requests::{}::send) it.",
            op.request_name, op.request_name, optional.join(", "), op.request_name
        ));
    }
    lines
}

/// The operation's error enum, and its success enum when success statuses differ in body.
fn response_enums(op: &Operation) -> TokenStream {
    let error = ident(&op.error_name);
    let error_doc = format!(
        " The error statuses `{}` documents, each with its body.",
        op.id
    );
    let error_variants = op.errors.iter().map(variant);
    let success = op.success_name.as_deref().map(|name| {
        let name = ident(name);
        let doc = format!(
            " The success statuses `{}` documents, each with its body.",
            op.id
        );
        let variants = op.success.iter().map(variant);
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name {
                #(#variants)*
            }
        }
    });
    let by_type = op
        .success
        .iter()
        .chain(&op.errors)
        .filter_map(|r| match &r.body {
            ResponseBody::ByContentType { name, variants } => {
                Some(by_content_type(op, r, name, variants))
            }
            _ => None,
        });
    quote! {
        #[doc = #error_doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #error {
            #(#error_variants)*
        }

        #success

        #(#by_type)*
    }
}

/// The enum of a status whose media types have different bodies, one variant per media type.
fn by_content_type(
    op: &Operation,
    response: &Response,
    name: &str,
    variants: &[MediaVariant],
) -> TokenStream {
    let name = ident(name);
    let status = match response.status {
        Status::Code(code) => code.to_string(),
        Status::Range(digit) => format!("{digit}XX"),
        Status::Default => "default".to_owned(),
    };
    let doc = format!(
        " The `{status}` body of `{}`, by the response's `Content-Type`.",
        op.id
    );
    let variants = variants.iter().map(|v| {
        let v_ident = ident(&v.name);
        let ty = body_type_of(&v.body);
        let doc = format!(" `{}`", v.media_type);
        quote!(#[doc = #doc] #v_ident(#ty),)
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }
    }
}

fn variant(response: &Response) -> TokenStream {
    let name = ident(&response.variant);
    let status = match response.status {
        Status::Code(code) => code.to_string(),
        Status::Range(digit) => format!("{digit}XX"),
        Status::Default => "any other status (`default`)".to_owned(),
    };
    let doc = if response.description.trim().is_empty() {
        format!(" {status}.")
    } else {
        format!(
            " {status}: {}",
            docs::sanitize(&response.description).join(" ")
        )
    };
    match &response.body {
        ResponseBody::Empty => quote!(#[doc = #doc] #name,),
        body => {
            let ty = body_type_of(body);
            quote!(#[doc = #doc] #name(#ty),)
        }
    }
}
