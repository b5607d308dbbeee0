//! `src/lib.rs` and `src/client.rs`: the crate root and the `Client` with a method per operation.

use proc_macro2::Ident;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{docs, ident, type_tokens};
use crate::Options;
use crate::ir::{
    Api, BodyKind, Doc, Operation, Param, ParamLocation, PathPart, Response, ResponseBody, Status,
    Type,
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
    // A spec without operations (only schemas) leaves the client's plumbing unused.
    let unused = api
        .operations
        .is_empty()
        .then(|| quote!(#[allow(dead_code, unused_imports)]));
    // Methods take and return the types the spec deprecates; only users' uses should warn.
    let allow_deprecated = super::types::uses_deprecated(api).then(|| quote!(#[allow(deprecated)]));
    if let Some(example) = example(api, options) {
        lines.push(String::new());
        lines.extend(example);
    }
    quote! {
        #(#![doc = #lines])*
        #![forbid(unsafe_code)]

        // The generator formats its output with prettyplease; rustfmt would format it differently.
        #[rustfmt::skip]
        #allow_deprecated
        #unused
        mod client;
        #[rustfmt::skip]
        mod runtime;
        #[rustfmt::skip]
        #unused
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

/// The constructor's arguments: the base URL when the spec names no absolute server, and a
/// token when the API has bearer schemes.
fn constructor_args(api: &Api) -> Vec<(&'static str, TokenStream)> {
    let mut args = Vec::new();
    if api.base_url.is_none() {
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
    let base_url_init = match &api.base_url {
        Some(_) => quote!(Self::DEFAULT_BASE_URL.to_owned()),
        None => quote!(base_url.into().trim_end_matches('/').to_owned()),
    };
    let default_const = api.base_url.as_ref().map(|url| {
        quote! {
            /// The server the API description names, used unless [`Client::with_base_url`] says otherwise.
            pub const DEFAULT_BASE_URL: &'static str = #url;
        }
    });
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
                #token_init
                Client {
                    config: transport::Config {
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

            pub fn base_url(&self) -> &str {
                &self.config.base_url
            }

            #(#methods)*
        }

        #(#enums)*

        #headers
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
    // An exact status (`404`) comes before the range it is in (`4XX`) on purpose.
    let statuses: Vec<Status> = op
        .success
        .iter()
        .chain(&op.errors)
        .map(|r| r.status)
        .collect();
    let overlapping = statuses
        .iter()
        .any(|s| matches!(s, Status::Code(code) if statuses.contains(&Status::Range(code / 100))));
    let overlapping = overlapping.then(|| quote!(#[allow(clippy::match_overlapping_arm)]));
    let url = url_tokens(op, &error);
    let http_method = format_ident!("{}", op.http_method);
    let fixed = op
        .fixed_headers
        .iter()
        .map(|(name, value)| quote!(request = runtime::header::<#error>(request, #name, #value)?;));
    let params = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|p| param_tokens(p, &error));
    let body = op.body.as_ref().map(|b| {
        let media = &b.media_type;
        let set = match &b.kind {
            BodyKind::Json(_) => quote! {
                request = request
                    .header(reqwest::header::CONTENT_TYPE, #media)
                    .body(runtime::to_json::<_, #error>(body)?);
            },
            BodyKind::Form(_) => quote!(request = request.form(body);),
            BodyKind::Multipart(_) => quote! {
                request = request.multipart(body.into_form().map_err(Error::<#error>::InvalidRequest)?);
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
    let params: Vec<TokenStream> = params.collect();
    let changes_request =
        !fixed.is_empty() || !params.is_empty() || body.is_some() || !auth.is_empty();
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
        #overlapping
        pub async fn #method(&self, #(#arg_tokens),*) -> Result<Response<#success>, Error<#error>> {
            #url
            let #request_binding = self.http.request(reqwest::Method::#http_method, url);
            #(#fixed)*
            #(#params)*
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

/// How the method takes its body: JSON and form bodies by reference; multipart parts and raw
/// bytes by value, since the request owns them.
fn body_arg_type(kind: &BodyKind) -> TokenStream {
    match kind {
        BodyKind::Json(ty) | BodyKind::Form(ty) => {
            let ty = type_tokens(ty);
            quote!(&#ty)
        }
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

fn url_tokens(op: &Operation, error: &proc_macro2::Ident) -> TokenStream {
    let pushes = op.path.iter().map(|part| match part {
        // One character is pushed as a `char` (clippy's `single_char_add_str`).
        PathPart::Literal(text) => match text.chars().collect::<Vec<_>>().as_slice() {
            [c] => quote!(url.push(#c);),
            _ => quote!(url.push_str(#text);),
        },
        PathPart::Param(i) => {
            let Some(p) = op.params.get(*i) else {
                return quote!();
            };
            let name = ident(&p.name);
            let wire = &p.wire;
            let value = if p.ty == Type::String {
                quote!(#name)
            } else {
                quote!(&#name.to_string())
            };
            quote!(url.push_str(&runtime::path_segment::<#error>(#wire, #value)?);)
        }
    });
    quote! {
        let mut url = self.config.base_url.clone();
        #(#pushes)*
    }
}

fn param_tokens(p: &Param, error: &proc_macro2::Ident) -> TokenStream {
    let name = ident(&p.name);
    let wire = &p.wire;
    let item = match &p.ty {
        Type::Vec(item) => Some(item.as_ref()),
        _ => None,
    };
    // What one value is sent as: query values serialize as they are (JSON values as their
    // text); header values are text.
    let send = |value: TokenStream, ty: &Type| match p.location {
        ParamLocation::Query if *ty == Type::Json => {
            quote!(request = request.query(&[(#wire, #value.to_string())]);)
        }
        ParamLocation::Query => quote!(request = request.query(&[(#wire, #value)]);),
        _ if *ty == Type::String => {
            quote!(request = runtime::header::<#error>(request, #wire, #value)?;)
        }
        _ => quote!(request = runtime::header::<#error>(request, #wire, &#value.to_string())?;),
    };
    let body = match item {
        Some(item) if p.location == ParamLocation::Query && p.explode => {
            let one = send(quote!(value), item);
            quote!(for value in values { #one })
        }
        Some(_) => {
            let one = send(quote!(joined), &Type::String);
            quote! {
                let joined = values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(",");
                let joined = joined.as_str();
                #one
            }
        }
        None => send(quote!(value), &p.ty),
    };
    let binding = if item.is_some() {
        quote!(values)
    } else {
        quote!(value)
    };
    if p.required {
        quote! { { let #binding = #name; #body } }
    } else {
        quote! { if let Some(#binding) = #name { #body } }
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
        ResponseBody::Bytes => quote!(bytes::Bytes),
        ResponseBody::Empty => quote!(()),
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
        // What turns the decoded body into the enum variant (none for a plain success body).
        let into = wrapper.map(|wrapper| match &response.body {
            ResponseBody::Empty => quote!(|_| #wrapper::#variant),
            _ => quote!(#wrapper::#variant),
        });
        let body = match (&response.body, is_success, into) {
            (ResponseBody::Json(_), true, None) => quote!(runtime::json(status, headers, body)),
            (ResponseBody::Json(_), true, Some(into)) => {
                quote!(runtime::json_as(status, headers, body, #into))
            }
            (ResponseBody::Json(_), false, Some(into)) => {
                quote!(Err(runtime::json_error(status, headers, body, #into)))
            }
            (_, true, None) if response.body == ResponseBody::Empty => {
                quote!(runtime::bytes_as(status, headers, body, |_| ()))
            }
            (_, true, None) => quote!(runtime::bytes_as(status, headers, body, |bytes| bytes)),
            (_, true, Some(into)) => quote!(runtime::bytes_as(status, headers, body, #into)),
            (_, false, into) => quote!(Err(runtime::bytes_error(status, headers, body, #into))),
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
    quote! {
        #[doc = #error_doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #error {
            #(#error_variants)*
        }

        #success
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
