//! `src/lib.rs` and `src/client.rs`: the crate root and the `Client` with a method per operation.

use proc_macro2::Ident;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{docs, ident, type_tokens};
use crate::Options;
use crate::ir::{
    Api, BodyKind, Doc, MediaVariant, Operation, Param, ParamLocation, PathPart, Response,
    ResponseBody, Status, Style, Type,
};

pub fn lib(api: &Api, options: &Options) -> TokenStream {
    let mut text = format!("# {} {}", api.title, api.version);
    if let Some(description) = &api.description {
        text.push_str(&format!("\n\n{description}"));
    }
    let mut lines = docs::lines(&Doc {
        text: Some(text),
        ..Doc::default()
    });
    lines.push(String::new());
    lines.push(format!(" Every operation is a method of [`Client`]; it returns a [`Response`] with the typed body, or an [`Error`] that tells a documented error status (decoded) from an undocumented one, a body that does not decode, and a transport failure. Regenerate with `{}`.", options.command));
    let types_glob = (!api.types.is_empty()).then(|| {
        quote!(
            pub use types::*;
        )
    });
    if let Some(example) = example(api, options) {
        lines.push(String::new());
        lines.extend(example);
    }
    quote! {
        #(#![doc = #lines])*
        #![forbid(unsafe_code)]

        // The generator formats its output with prettyplease; rustfmt would format it differently.
        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        mod runtime;
        #[rustfmt::skip]
        mod style;
        #[rustfmt::skip]
        mod transport;
        #[rustfmt::skip]
        pub mod types;

        pub use client::*;
        pub use runtime::{Error, Response, Upload};
        pub use transport::RetryPolicy;
        #types_glob
    }
}

/// A `no_run` doc example calling the first operation that needs no body, with the spec's
/// parameter examples as arguments.
fn example(api: &Api, options: &Options) -> Option<Vec<String>> {
    let op = api
        .operations
        .iter()
        .find(|op| op.body.as_ref().is_none_or(|b| !b.required))?;
    let krate = options.crate_name.replace('-', "_");
    let constructor = constructor_args(api)
        .iter()
        .map(|(name, _)| format!("\"<{name}>\""))
        .collect::<Vec<_>>()
        .join(", ");
    let args: Vec<String> = signature(op)
        .iter()
        .map(|arg| match arg {
            Arg::Param(p) if !p.required => "None".to_owned(),
            Arg::Param(p) => example_literal(p),
            Arg::Body { .. } => "None".to_owned(),
        })
        .collect();
    let code = [
        "```no_run".to_owned(),
        format!(
            "# async fn example() -> Result<(), {krate}::Error<{krate}::{}>> {{",
            op.error_name
        ),
        format!("let client = {krate}::Client::new({constructor});"),
        format!(
            "let response = client.{}({}).await?;",
            op.method_name.trim_start_matches("r#"),
            args.join(", ")
        ),
        "println!(\"{} {:?}\", response.status(), response.body());".to_owned(),
        "# Ok(())".to_owned(),
        "# }".to_owned(),
        "```".to_owned(),
    ];
    let mut lines = vec![" ## Example".to_owned(), String::new()];
    lines.extend(code.into_iter().map(|l| format!(" {l}")));
    Some(lines)
}

fn example_literal(param: &Param) -> String {
    let example = param.doc.example.as_deref();
    match &param.ty {
        Type::String => match example.and_then(|e| serde_json::from_str::<String>(e).ok()) {
            Some(s) => format!("{s:?}"),
            None => format!("\"<{}>\"", param.wire),
        },
        Type::Integer => example
            .filter(|e| e.parse::<i64>().is_ok())
            .unwrap_or("0")
            .to_owned(),
        Type::Number => example
            .filter(|e| e.parse::<f64>().is_ok())
            .map(|e| {
                if e.contains('.') {
                    e.to_owned()
                } else {
                    format!("{e}.0")
                }
            })
            .unwrap_or_else(|| "0.0".to_owned()),
        Type::Bool => example
            .filter(|e| *e == "true" || *e == "false")
            .unwrap_or("false")
            .to_owned(),
        Type::Vec(_) => "&[]".to_owned(),
        _ => "&Default::default()".to_owned(),
    }
}

/// The constructor's arguments: the base URL when the spec names no absolute server (a
/// relative one is resolved against it), and a token when the API has bearer schemes.
fn constructor_args(api: &Api) -> Vec<(&'static str, TokenStream)> {
    let mut args = Vec::new();
    if api.server.as_ref().is_none_or(|s| !s.absolute) {
        args.push(("base_url", quote!(base_url: impl Into<String>)));
    }
    if !api.bearer_schemes.is_empty() {
        args.push(("token", quote!(token: impl Into<String>)));
    }
    args
}

pub fn client(api: &Api) -> TokenStream {
    let token_fields: Vec<_> = api
        .bearer_schemes
        .iter()
        .map(|s| token_field(&s.field))
        .collect();
    let token_docs: Vec<String> = api
        .bearer_schemes
        .iter()
        .map(|s| match &s.description {
            Some(d) => format!(" Bearer token for the `{}` scheme: {}", s.key, d.trim()),
            None => format!(" Bearer token for the `{}` scheme.", s.key),
        })
        .collect();
    let params: Vec<TokenStream> = constructor_args(api)
        .into_iter()
        .map(|(_, tokens)| tokens)
        .collect();
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
    let token_init = if api.bearer_schemes.is_empty() {
        quote!()
    } else {
        quote!(let token = runtime::Secret::new(token.into());)
    };
    let new_doc = if api.bearer_schemes.is_empty() {
        " A client with default settings."
    } else {
        " A client that sends `token` as the bearer token wherever an operation asks for one."
    };
    let setters = (api.bearer_schemes.len() > 1).then(|| {
        let names: Vec<_> = token_fields
            .iter()
            .map(|f| format_ident!("with_{}", f))
            .collect();
        quote! {
            #(
                #[doc = #token_docs]
                pub fn #names(mut self, token: impl Into<String>) -> Self {
                    self.#token_fields = Some(runtime::Secret::new(token.into()));
                    self
                }
            )*
        }
    });
    let without_credentials = (!token_fields.is_empty()).then(|| {
        quote! {
            /// Sends no credentials at all, whatever an operation's security asks for.
            pub fn without_credentials(mut self) -> Self {
                #(self.#token_fields = None;)*
                self
            }
        }
    });
    let default_impl = (params.is_empty()).then(|| {
        quote! {
            impl Default for Client {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    let token_field_names: Vec<String> = token_fields.iter().map(|f| f.to_string()).collect();
    let methods = api.operations.iter().map(|op| operation(api, op));
    let enums = api.operations.iter().map(response_enums);
    let headers = response_headers(api);
    let server_setter = &server.setter;
    let server_struct = &server.variables;
    let client_doc = format!(" Client for {} {}.", api.title, api.version);
    quote! {
        //! The client: one method per operation, and each operation's error statuses.

        use std::time::Duration;

        use crate::runtime::{self, Error, Response};
        use crate::transport::{self, RetryPolicy};
        #[allow(unused_imports)]
        use crate::types::*;

        #[doc = #client_doc]
        ///
        /// Defaults: a 10 s connect timeout, a 30 s timeout for each attempt, no retries, and a
        /// user agent naming this crate and its version.
        #[derive(Clone)]
        pub struct Client {
            config: transport::Config,
            http: reqwest::Client,
            #(
                #[doc = #token_docs]
                #token_fields: Option<runtime::Secret>,
            )*
        }

        impl std::fmt::Debug for Client {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("Client")
                    .field("config", &self.config)
                    #(.field(#token_field_names, &self.#token_fields))*
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
                #token_init
                Client {
                    config: transport::Config {
                        origin: #origin_init,
                        base_url: #base_url_init,
                        timeout: Some(Self::DEFAULT_TIMEOUT),
                        retry: RetryPolicy::none(),
                    },
                    http: Self::http_client(Self::DEFAULT_CONNECT_TIMEOUT),
                    #(#token_fields: Some(token.clone()),)*
                }
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

            #setters

            #without_credentials

            #server_setter

            pub fn base_url(&self) -> &str {
                &self.config.base_url
            }

            #(#methods)*
        }

        #(#enums)*

        #headers

        #server_struct
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

        impl<T> Response<T> {
            /// The documented headers of this response, typed.
            pub fn documented_headers(&self) -> #name {
                #name::from_headers(self.headers())
            }
        }

        impl<E: std::fmt::Debug> Error<E> {
            /// The documented headers of the response, when one arrived.
            pub fn documented_headers(&self) -> Option<#name> {
                self.headers().map(#name::from_headers)
            }
        }
    })
}

/// The client's field for a scheme's token: `bearer` → `bearer_token`, `adminToken` → `admin_token`.
fn token_field(scheme_field: &str) -> Ident {
    let base = scheme_field.trim_start_matches("r#");
    if base.ends_with("token") {
        format_ident!("{base}")
    } else {
        format_ident!("{base}_token")
    }
}

/// One argument of an operation method, in signature order.
enum Arg<'a> {
    Param(&'a Param),
    Body { required: bool },
}

/// Path parameters in path order, other required parameters, the body, then optional ones.
fn signature(op: &Operation) -> Vec<Arg<'_>> {
    let mut args: Vec<Arg> = op
        .path
        .iter()
        .filter_map(|part| match part {
            PathPart::Param(i) => op.params.get(*i).map(Arg::Param),
            PathPart::Literal(_) => None,
        })
        .collect();
    args.extend(
        op.params
            .iter()
            .filter(|p| p.location != ParamLocation::Path && p.required)
            .map(Arg::Param),
    );
    if let Some(body) = &op.body {
        args.push(Arg::Body {
            required: body.required,
        });
    }
    args.extend(
        op.params
            .iter()
            .filter(|p| p.location != ParamLocation::Path && !p.required)
            .map(Arg::Param),
    );
    args
}

fn arg_type(ty: &Type) -> TokenStream {
    match ty {
        Type::String => quote!(&str),
        Type::Integer | Type::Number | Type::Bool => type_tokens(ty),
        Type::Vec(item) => {
            let item = type_tokens(item);
            quote!(&[#item])
        }
        Type::Nullable(inner) => arg_type(inner),
        other => {
            let ty = type_tokens(other);
            quote!(&#ty)
        }
    }
}

fn operation(api: &Api, op: &Operation) -> TokenStream {
    let method = ident(&op.method_name);
    let error = ident(&op.error_name);
    let success = success_type(op);
    let args = signature(op);
    let arg_tokens = args.iter().map(|arg| match arg {
        Arg::Param(p) => {
            let name = ident(&p.name);
            let ty = arg_type(&p.ty);
            if p.required {
                quote!(#name: #ty)
            } else {
                quote!(#name: Option<#ty>)
            }
        }
        Arg::Body { required } => {
            let ty = op
                .body
                .as_ref()
                .map(|b| body_arg_type(&b.kind))
                .unwrap_or_default();
            if *required {
                quote!(body: #ty)
            } else {
                quote!(body: Option<#ty>)
            }
        }
    });
    let too_many = (args.len() + 1 > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let url = url_tokens(op, &error);
    let http_method = format_ident!("{}", op.http_method);
    let invalid = quote!(map_err(Error::<#error>::InvalidRequest));
    let fixed = op
        .fixed_headers
        .iter()
        .map(|(name, value)| quote!(request = runtime::header::<#error>(request, #name, #value)?;));
    let headers: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Header)
        .map(|p| {
            let (wire, rule) = (&p.wire, rule_tokens(p));
            bind(p, &error, |value| quote!(request = crate::style::header::<#error>(request, #wire, #rule, #value)?;))
        })
        .collect();
    let cookie_params: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Cookie)
        .map(|p| {
            let (wire, rule) = (&p.wire, rule_tokens(p));
            bind(p, &error, |value| quote!(crate::style::cookie::<#error>(&mut cookies, #wire, #rule, #value)?;))
        })
        .collect();
    let cookies = (!cookie_params.is_empty()).then(|| {
        quote! {
            let mut cookies = String::new();
            #(#cookie_params)*
            if !cookies.is_empty() {
                request = runtime::header::<#error>(request, "cookie", &cookies)?;
            }
        }
    });
    let has_accept_param = op
        .params
        .iter()
        .any(|p| p.location == ParamLocation::Header && p.wire.eq_ignore_ascii_case("accept"))
        || op
            .fixed_headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("accept"));
    let accept = op
        .accept
        .as_ref()
        .filter(|_| !has_accept_param)
        .map(|accept| quote!(request = request.header(reqwest::header::ACCEPT, #accept);));
    let body = op.body.as_ref().map(|b| {
        let media = &b.media_type;
        let set = match &b.kind {
            BodyKind::Json(_) => quote! {
                request = request
                    .header(reqwest::header::CONTENT_TYPE, #media)
                    .body(runtime::to_json::<_, #error>(body)?);
            },
            BodyKind::Form(_, encodings) => {
                let wires = encodings.iter().map(|e| &e.wire);
                let rules = encodings.iter().map(|e| rule(e.style, e.explode, e.allow_reserved));
                quote! {
                    let form = crate::style::form::<#error>(body, &[#((#wires, #rules)),*])?;
                    request = request.header(reqwest::header::CONTENT_TYPE, #media).body(form);
                }
            }
            BodyKind::Multipart(_) => quote! {
                request = request.multipart(body.into_form().#invalid?);
            },
            BodyKind::Text => quote! {
                request = request.header(reqwest::header::CONTENT_TYPE, #media).body(body.to_owned());
            },
            BodyKind::Bytes => quote! {
                request = request.header(reqwest::header::CONTENT_TYPE, #media).body(body);
            },
        };
        if b.required {
            set
        } else {
            quote!(if let Some(body) = body { #set })
        }
    });
    let auth = auth_tokens(api, op, &error);
    let fixed: Vec<TokenStream> = fixed.collect();
    let changes_request = !fixed.is_empty()
        || !headers.is_empty()
        || cookies.is_some()
        || accept.is_some()
        || body.is_some()
        || !auth.is_empty();
    let request_binding = if changes_request {
        quote!(mut request)
    } else {
        quote!(request)
    };
    let arms = arms(op);
    let doc = method_doc(op);
    let op_id = &op.id;
    let path_template = &op.path_template;
    quote! {
        #(#[doc = #doc])*
        #too_many
        pub async fn #method(&self, #(#arg_tokens),*) -> Result<Response<#success>, Error<#error>> {
            #url
            let #request_binding = self.http.request(reqwest::Method::#http_method, url);
            #(#fixed)*
            #(#headers)*
            #cookies
            #accept
            #body
            #auth
            let call = transport::Call { operation: #op_id, method: reqwest::Method::#http_method, path: #path_template };
            let (status, headers, body) = transport::send::<#error>(&self.config, request, call).await?;
            match status.as_u16() {
                #(#arms)*
            }
        }
    }
}

/// The statement `add` makes for the parameter's value (a reference to it, or to its JSON text
/// for a parameter described by JSON `content`): once for a required parameter, when it is
/// `Some` for an optional one.
fn bind(p: &Param, error: &Ident, add: impl Fn(TokenStream) -> TokenStream) -> TokenStream {
    let name = ident(&p.name);
    let value = if p.json {
        quote!(&crate::style::json::<#error>(&#name)?)
    } else {
        quote!(&#name)
    };
    let statement = add(value);
    if p.required {
        statement
    } else {
        quote!(if let Some(#name) = #name { #statement })
    }
}

/// The style rule of a parameter, as the runtime's `style::Rule`.
fn rule_tokens(p: &Param) -> TokenStream {
    rule(p.style, p.explode, p.allow_reserved)
}

fn rule(style: Style, explode: bool, allow_reserved: bool) -> TokenStream {
    let style = format_ident!("{}", format!("{style:?}"));
    let base = quote!(crate::style::Rule::new(crate::style::Style::#style, #explode));
    if allow_reserved {
        quote!(#base.allow_reserved())
    } else {
        base
    }
}

/// How the method takes its body: JSON and form bodies by reference; multipart parts and raw
/// bytes by value, since the request owns them.
fn body_arg_type(kind: &BodyKind) -> TokenStream {
    match kind {
        BodyKind::Json(ty) | BodyKind::Form(ty, _) => {
            let ty = type_tokens(ty);
            quote!(&#ty)
        }
        BodyKind::Text => quote!(&str),
        BodyKind::Multipart(name) => {
            let name = ident(name);
            quote!(#name)
        }
        BodyKind::Bytes => quote!(bytes::Bytes),
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
        .filter(|p| p.doc.text.is_some() || p.doc.example.is_some())
        .collect();
    if !documented.is_empty() {
        lines.push(String::new());
        lines.push(" Parameters:".to_owned());
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
    lines
}

/// The URL: the base, the path with each parameter in its style, then the query.
fn url_tokens(op: &Operation, error: &proc_macro2::Ident) -> TokenStream {
    let pushes = op.path.iter().enumerate().map(|(i, part)| match part {
        PathPart::Literal(text) if text.chars().count() == 1 => {
            let c = text.chars().next().unwrap_or('/');
            quote!(url.push(#c);)
        }
        PathPart::Literal(text) => quote!(url.push_str(#text);),
        PathPart::Param(index) => {
            let Some(p) = op.params.get(*index) else {
                return quote!();
            };
            // A whole segment must not become `.` or `..`, which URL parsers fold away.
            let after_slash = match i.checked_sub(1).and_then(|j| op.path.get(j)) {
                Some(PathPart::Literal(text)) => text.ends_with('/'),
                _ => false,
            };
            let before_slash = match op.path.get(i + 1) {
                Some(PathPart::Literal(text)) => text.starts_with('/') || text.starts_with('?'),
                Some(PathPart::Param(_)) => false,
                None => true,
            };
            let whole = after_slash && before_slash;
            let (wire, rule) = (&p.wire, rule_tokens(p));
            bind(p, error, |value| quote!(url.push_str(&crate::style::path::<#error>(#wire, #rule, #whole, #value)?);))
        }
    });
    let queries: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .map(|p| {
            let (wire, rule) = (&p.wire, rule_tokens(p));
            bind(
                p,
                error,
                |value| quote!(crate::style::query::<#error>(&mut query, #wire, #rule, #value)?;),
            )
        })
        .collect();
    let query = (!queries.is_empty()).then(|| {
        quote! {
            let mut query = String::new();
            #(#queries)*
            if !query.is_empty() {
                url.push('?');
                url.push_str(&query);
            }
        }
    });
    quote! {
        let mut url = self.config.base_url.clone();
        #(#pushes)*
        #query
    }
}

fn auth_tokens(api: &Api, op: &Operation, error: &proc_macro2::Ident) -> TokenStream {
    let mut fields = Vec::new();
    for alternative in &op.security {
        let Some(first) = alternative.first() else {
            continue;
        };
        let Some(scheme) = api.bearer_schemes.get(*first) else {
            continue;
        };
        let field = token_field(&scheme.field);
        if !fields.contains(&field) {
            fields.push(field);
        }
    }
    let Some((first, rest)) = fields.split_first() else {
        return quote!();
    };
    quote! {
        if let Some(token) = self.#first.as_ref()#(.or(self.#rest.as_ref()))* {
            request = runtime::bearer::<#error>(request, token)?;
        }
    }
}

/// The type of a successful response body: one type, or an enum when statuses differ.
fn success_type(op: &Operation) -> TokenStream {
    match &op.success_name {
        Some(name) => {
            let name = ident(name);
            quote!(#name)
        }
        None => op
            .success
            .first()
            .map(|r| body_type(&r.body))
            .unwrap_or_else(|| quote!(())),
    }
}

fn body_type(body: &ResponseBody) -> TokenStream {
    match body {
        ResponseBody::Json(ty) => type_tokens(ty),
        ResponseBody::Text => quote!(String),
        ResponseBody::Bytes => quote!(bytes::Bytes),
        ResponseBody::Empty => quote!(()),
        ResponseBody::ByContentType { name, .. } => {
            let name = ident(name);
            quote!(#name)
        }
    }
}

fn status_pattern(status: Status) -> TokenStream {
    match status {
        Status::Code(code) => {
            let code = proc_macro2::Literal::u16_unsuffixed(code);
            quote!(#code)
        }
        Status::Range(digit) => {
            let low = proc_macro2::Literal::u16_unsuffixed(digit * 100);
            let high = proc_macro2::Literal::u16_unsuffixed(digit * 100 + 99);
            quote!(#low..=#high)
        }
        Status::Default => quote!(_),
    }
}

/// Match arms on the status: exact codes, then ranges, then the rest.
fn arms(op: &Operation) -> Vec<TokenStream> {
    let error = ident(&op.error_name);
    let success_enum = op.success_name.as_deref().map(ident);
    let mut ordered: Vec<(&Response, bool)> = op
        .success
        .iter()
        .map(|r| (r, true))
        .chain(op.errors.iter().map(|r| (r, false)))
        .collect();
    ordered.sort_by_key(|(r, _)| match r.status {
        Status::Code(_) => 0,
        Status::Range(_) => 1,
        Status::Default => 2,
    });
    let arms_iter = ordered.iter().map(|(response, is_success)| {
        let pattern = status_pattern(response.status);
        let variant = ident(&response.variant);
        let wrapper = if *is_success {
            success_enum.as_ref()
        } else {
            Some(&error)
        };
        let body = match &response.body {
            ResponseBody::ByContentType { name, variants } => {
                let by_type = ident(name);
                let media = variants.iter().map(|v| &v.media_type);
                let mut branches: Vec<TokenStream> = variants
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        let v_ident = ident(&v.name);
                        let into = match wrapper {
                            Some(w) => quote!(|value| #w::#variant(#by_type::#v_ident(value))),
                            None => quote!(#by_type::#v_ident),
                        };
                        let call = read(&v.body, into, !is_success);
                        let i = proc_macro2::Literal::usize_unsuffixed(i);
                        quote!(Some(#i) => #call,)
                    })
                    .collect();
                // The first (most specific) media type also reads a `Content-Type` none matches.
                if let Some(first) = variants.first() {
                    let v_ident = ident(&first.name);
                    let into = match wrapper {
                        Some(w) => quote!(|value| #w::#variant(#by_type::#v_ident(value))),
                        None => quote!(#by_type::#v_ident),
                    };
                    branches.remove(0);
                    let call = read(&first.body, into, !is_success);
                    branches.push(quote!(_ => #call,));
                }
                quote! {
                    match runtime::media_index(&headers, &[#(#media),*]) {
                        #(#branches)*
                    }
                }
            }
            ResponseBody::Json(_) if wrapper.is_none() => {
                quote!(runtime::json(status, headers, body))
            }
            body => {
                let into = match (wrapper, body) {
                    (Some(w), ResponseBody::Empty) => quote!(|_| #w::#variant),
                    (Some(w), _) => quote!(#w::#variant),
                    (None, ResponseBody::Empty) => quote!(|_| ()),
                    (None, _) => quote!(|value| value),
                };
                read(body, into, !is_success)
            }
        };
        quote!(#pattern => #body,)
    });
    let mut arms: Vec<TokenStream> = arms_iter.collect();
    if !op
        .errors
        .iter()
        .chain(&op.success)
        .any(|r| r.status == Status::Default)
    {
        arms.push(quote!(_ => runtime::unexpected(status, headers, body),));
    }
    arms
}

/// The call that reads a response body of one kind and wraps it with `into`: a success
/// (`Ok(Response)`) or, for an error status, `Err(Error::Api)`.
fn read(body: &ResponseBody, into: TokenStream, error: bool) -> TokenStream {
    let (reader, error_reader) = match body {
        ResponseBody::Json(_) => (quote!(json_as), quote!(json_error)),
        ResponseBody::Text => (quote!(text_as), quote!(text_error)),
        _ => (quote!(bytes_as), quote!(bytes_error)),
    };
    if error {
        quote!(Err(runtime::#error_reader(status, headers, body, #into)))
    } else {
        quote!(runtime::#reader(status, headers, body, #into))
    }
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
        let ty = body_type(&v.body);
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
            let ty = body_type(body);
            quote!(#[doc = #doc] #name(#ty),)
        }
    }
}
