//! `src/requests.rs`: a request builder per operation. Required values are the arguments of the
//! `Client` method that makes it, optional ones its setters; `send` writes the request by the
//! spec's rules and reads the response.
//!
//! Inside `send` the parameters are fields of `self`, so no spec name can meet a local.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{auth, docs, ident, type_tokens};
use crate::ir::{
    Api, BodyKind, Operation, Param, ParamLocation, PathPart, Response, ResponseBody, Status, Style,
};

pub fn requests(api: &Api) -> TokenStream {
    let builders = api.operations.iter().map(|op| builder(api, op));
    // The paging streams set the builders' fields, so they live in a child module.
    let pagination = api.paged().then(|| {
        quote! {
            #[rustfmt::skip]
            mod pagination;
        }
    });
    quote! {
        //! Request builders, one per operation: `client.operation(required...)`, then a setter per
        //! optional value and per-request option, then `.send().await`.

        #pagination

        #(#builders)*
    }
}

/// One value the builder holds, in the order the `Client` method takes the required ones.
pub(super) enum Arg<'a> {
    Param(&'a Param),
    Body { required: bool },
}

impl Arg<'_> {
    pub(super) fn required(&self) -> bool {
        match self {
            Arg::Param(p) => p.required,
            Arg::Body { required } => *required,
        }
    }

    pub(super) fn name(&self) -> Ident {
        match self {
            Arg::Param(p) => ident(&p.name),
            Arg::Body { .. } => format_ident!("body"),
        }
    }

    /// The type the builder holds.
    fn ty(&self, op: &Operation) -> TokenStream {
        match self {
            Arg::Param(p) => type_tokens(&p.ty),
            Arg::Body { .. } => op
                .body
                .as_ref()
                .map(|b| body_type(&b.kind))
                .unwrap_or_default(),
        }
    }

    /// What a setter or the `Client` method takes: `impl Into` of the held type.
    pub(super) fn input(&self, op: &Operation) -> TokenStream {
        let ty = self.ty(op);
        quote!(impl ::std::convert::Into<#ty>)
    }
}

/// Path parameters in path order (one argument for a parameter the template names twice,
/// as in `/a/{id}/b/{id}`), other required parameters, a required body, then the optional
/// parameters and an optional body.
pub(super) fn signature(op: &Operation) -> Vec<Arg<'_>> {
    let mut path_params: Vec<usize> = Vec::new();
    for part in &op.path {
        if let PathPart::Param(i) = part {
            if !path_params.contains(i) {
                path_params.push(*i);
            }
        }
    }
    let mut args: Vec<Arg> = path_params
        .iter()
        .filter_map(|i| op.params.get(*i).map(Arg::Param))
        .collect();
    args.extend(
        op.params
            .iter()
            .filter(|p| p.location != ParamLocation::Path && p.required)
            .map(Arg::Param),
    );
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
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
    if op.body.as_ref().is_some_and(|b| !b.required) {
        args.push(Arg::Body { required: false });
    }
    args
}

/// The body as the builder holds it: JSON and form bodies as their type, multipart parts as
/// their struct, text as a `String`, other media types as bytes.
fn body_type(kind: &BodyKind) -> TokenStream {
    match kind {
        BodyKind::Json(ty) | BodyKind::Form(ty, _) => type_tokens(ty),
        BodyKind::Multipart(name) => {
            let name = ident(name);
            quote!(crate::types::#name)
        }
        BodyKind::Text => quote!(::std::string::String),
        BodyKind::Bytes => quote!(::bytes::Bytes),
    }
}

fn builder(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.request_name);
    let error = ident(&op.error_name);
    let success = success_type(op);
    let args = signature(op);
    let fields = args.iter().map(|arg| {
        let (field, ty) = (arg.name(), arg.ty(op));
        if arg.required() {
            quote!(#field: #ty,)
        } else {
            quote!(#field: ::std::option::Option<#ty>,)
        }
    });
    let required: Vec<&Arg> = args.iter().filter(|a| a.required()).collect();
    let new_params = required.iter().map(|arg| {
        let (field, input) = (arg.name(), arg.input(op));
        quote!(#field: #input)
    });
    let inits = args.iter().map(|arg| {
        let field = arg.name();
        if arg.required() {
            quote!(#field: #field.into(),)
        } else {
            quote!(#field: ::std::option::Option::None,)
        }
    });
    let setters = args.iter().filter(|a| !a.required()).map(|arg| {
        let (field, input) = (arg.name(), arg.input(op));
        let (doc, deprecated) = match arg {
            Arg::Param(p) => (param_doc(p), docs::deprecated(&p.doc)),
            Arg::Body { .. } => (vec![" The request body.".to_owned()], quote!()),
        };
        quote! {
            #(#[doc = #doc])*
            #deprecated
            pub fn #field(mut self, #field: #input) -> Self {
                self.#field = ::std::option::Option::Some(#field.into());
                self
            }
        }
    });
    let bearer_override = auth::places(api, op).bearer.then(|| {
        quote! {
            /// Sends `token` as this request's bearer token, instead of the client's.
            pub fn bearer_token(mut self, token: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.options.bearer = ::std::option::Option::Some(crate::auth::Token::bearer(token.into()));
                self
            }
        }
    });
    let send = send(api, op, &error);
    let doc = format!(
        " The request of `{}` (`{} {}`), made by [`Client::{}`](crate::Client::{}).",
        op.id,
        op.http_method,
        op.path_template,
        op.method_name.trim_start_matches("r#"),
        op.method_name.trim_start_matches("r#"),
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent with `.send().await`"]
        pub struct #name<'a> {
            client: &'a crate::Client,
            #(#fields)*
            options: crate::transport::RequestOptions,
        }

        impl<'a> #name<'a> {
            pub(crate) fn new(client: &'a crate::Client, #(#new_params),*) -> Self {
                #name {
                    client,
                    #(#inits)*
                    options: ::std::default::Default::default(),
                }
            }

            #(#setters)*

            /// The longest this request may take (each attempt), instead of the client's timeout.
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.options.timeout = ::std::option::Option::Some(timeout);
                self
            }

            /// Adds a header to this request. A name or value a header cannot carry (CR or LF,
            /// say) fails the call with `Error::InvalidRequest`, before anything is sent.
            pub fn header(
                mut self,
                name: impl ::std::convert::Into<::std::string::String>,
                value: impl ::std::convert::Into<::std::string::String>,
            ) -> Self {
                self.options.headers.push((name.into(), value.into()));
                self
            }

            /// Retries this request as `policy` says, instead of as the client's policy does.
            pub fn retry(mut self, policy: crate::RetryPolicy) -> Self {
                self.options.retry = ::std::option::Option::Some(policy);
                self
            }

            #bearer_override

            #send
        }

        /// Awaiting the builder sends it, as [`send`](Self::send) does.
        impl<'a> ::std::future::IntoFuture for #name<'a> {
            type Output = ::std::result::Result<crate::Response<#success>, crate::Error<crate::#error>>;
            type IntoFuture = ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = Self::Output> + ::std::marker::Send + 'a>>;

            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.send())
            }
        }
    }
}

/// A setter's doc lines: the parameter's description and example.
fn param_doc(p: &Param) -> Vec<String> {
    let mut lines = docs::lines(&p.doc);
    if !lines.is_empty() {
        lines.push(String::new());
    }
    let location = match p.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    };
    lines.push(format!(
        " The {location} parameter {}.",
        super::docs::code(&p.wire)
    ));
    lines
}

/// `send`: the URL, headers, body and credentials, then the call and the response.
fn send(api: &Api, op: &Operation, error: &Ident) -> TokenStream {
    let success = success_type(op);
    let places = auth::places(api, op);
    let choose = auth::choose(op);
    let url = url_tokens(op, error, places.query);
    let http_method = format_ident!("{}", op.http_method);
    let fixed = op.fixed_headers.iter().map(
        |(name, value)| quote!(request = crate::runtime::header::<crate::#error>(request, #name, #value)?;),
    );
    let headers: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Header)
        .map(|p| {
            let (wire, rule) = (&p.wire, rule_tokens(p));
            bind(p, error, |value| {
                quote!(request = crate::style::header::<crate::#error>(request, #wire, #rule, #value)?;)
            })
        })
        .collect();
    let cookie_params: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Cookie)
        .map(|p| {
            let (wire, rule) = (&p.wire, rule_tokens(p));
            bind(p, error, |value| {
                quote!(crate::style::cookie::<crate::#error>(&mut cookies, #wire, #rule, #value)?;)
            })
        })
        .collect();
    let cookie_keys = places
        .cookie
        .then(|| quote!(auth.cookies::<crate::#error>(&mut cookies)?;));
    let cookies = (!cookie_params.is_empty() || places.cookie).then(|| {
        quote! {
            let mut cookies = ::std::string::String::new();
            #(#cookie_params)*
            #cookie_keys
            if !cookies.is_empty() {
                request = crate::runtime::header::<crate::#error>(request, "cookie", &cookies)?;
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
        .map(|accept| quote!(request = request.header(::reqwest::header::ACCEPT, #accept);));
    let body = op.body.as_ref().map(|b| {
        let media = &b.media_type;
        let set = match &b.kind {
            BodyKind::Json(_) => quote! {
                request = request
                    .header(::reqwest::header::CONTENT_TYPE, #media)
                    .body(crate::runtime::to_json::<_, crate::#error>(&body)?);
            },
            BodyKind::Form(_, encodings) => {
                let wires = encodings.iter().map(|e| &e.wire);
                let rules = encodings
                    .iter()
                    .map(|e| rule(e.style, e.explode, e.allow_reserved));
                quote! {
                    let form = crate::style::form::<crate::#error>(&body, &[#((#wires, #rules)),*])?;
                    request = request.header(::reqwest::header::CONTENT_TYPE, #media).body(form);
                }
            }
            BodyKind::Multipart(_) => quote! {
                request = request.multipart(body.into_form().map_err(crate::Error::<crate::#error>::InvalidRequest)?);
            },
            BodyKind::Text | BodyKind::Bytes => quote! {
                request = request.header(::reqwest::header::CONTENT_TYPE, #media).body(body);
            },
        };
        if b.required {
            quote!({ let body = self.body; #set })
        } else {
            quote!(if let ::std::option::Option::Some(body) = self.body { #set })
        }
    });
    let auth_headers = places
        .header
        .then(|| quote!(request = auth.headers::<crate::#error>(request)?;));
    let changes_request = !op.fixed_headers.is_empty()
        || !headers.is_empty()
        || cookies.is_some()
        || accept.is_some()
        || auth_headers.is_some()
        || body.is_some();
    let binding = if changes_request {
        quote!(mut request)
    } else {
        quote!(request)
    };
    let arms = arms(op);
    // An exact status (`404`) comes before the range it is in (`4XX`) on purpose.
    let statuses: Vec<Status> = op
        .success
        .iter()
        .chain(&op.errors)
        .map(|r| r.status)
        .collect();
    let overlapping = statuses
        .iter()
        .any(|s| matches!(s, Status::Code(code) if statuses.contains(&Status::Range(code / 100))))
        .then(|| quote!(#[allow(clippy::match_overlapping_arm)]));
    let op_id = &op.id;
    let path_template = &op.path_template;
    quote! {
        /// Sends the request and reads the response: the typed body of a success, or the
        /// error (see [`Error`](crate::Error)).
        #overlapping
        pub async fn send(self) -> ::std::result::Result<crate::Response<#success>, crate::Error<crate::#error>> {
            #choose
            #url
            let #binding = self.client.http.request(::reqwest::Method::#http_method, url);
            #(#fixed)*
            #(#headers)*
            #cookies
            #accept
            #auth_headers
            #body
            let call = crate::transport::Call {
                operation: #op_id,
                method: ::reqwest::Method::#http_method,
                path: #path_template,
            };
            let (status, headers, body) =
                crate::transport::send::<crate::#error>(&self.client.config, &self.options, request, call, &auth).await?;
            match status.as_u16() {
                #(#arms)*
            }
        }
    }
}

/// The statement `add` makes for a parameter's value (a reference to it, or to its JSON text
/// for a parameter described by JSON `content`): always for a required parameter, when it is
/// set for an optional one.
fn bind(p: &Param, error: &Ident, add: impl Fn(TokenStream) -> TokenStream) -> TokenStream {
    let name = ident(&p.name);
    let reference = if p.required {
        quote!(&self.#name)
    } else {
        quote!(value)
    };
    let statement = if p.json {
        add(quote!(&crate::style::json::<crate::#error>(#reference)?))
    } else {
        add(reference)
    };
    if p.required {
        statement
    } else {
        quote!(if let ::std::option::Option::Some(value) = &self.#name { #statement })
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

/// The URL: the base, the path with each parameter in its style, then the query.
/// `key_in_query`: API keys the operation sends in the query go in it (they need `auth`).
pub(super) fn url_tokens(op: &Operation, error: &Ident, key_in_query: bool) -> TokenStream {
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
                Some(PathPart::Literal(text)) => text.starts_with('/'),
                Some(PathPart::Param(_)) => false,
                None => true,
            };
            let whole = after_slash && before_slash;
            let (wire, rule) = (&p.wire, rule_tokens(p));
            bind(p, error, |value| {
                quote!(url.push_str(&crate::style::path::<crate::#error>(#wire, #rule, #whole, #value)?);)
            })
        }
    });
    let queries: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .map(|p| {
            let (wire, rule) = (&p.wire, rule_tokens(p));
            bind(p, error, |value| {
                quote!(crate::style::query::<crate::#error>(&mut query, #wire, #rule, #value)?;)
            })
        })
        .collect();
    let query_keys = key_in_query.then(|| quote!(auth.query::<crate::#error>(&mut query)?;));
    let query = (!queries.is_empty() || key_in_query).then(|| {
        quote! {
            let mut query = ::std::string::String::new();
            #(#queries)*
            #query_keys
            if !query.is_empty() {
                url.push('?');
                url.push_str(&query);
            }
        }
    });
    quote! {
        let mut url = self.client.config.base_url.clone();
        #(#pushes)*
        #query
    }
}

/// The type of a successful response body: one type, or an enum when statuses differ.
pub(super) fn success_type(op: &Operation) -> TokenStream {
    match &op.success_name {
        Some(name) => {
            let name = ident(name);
            quote!(crate::#name)
        }
        None => op
            .success
            .first()
            .map(|r| body_type_of(&r.body))
            .unwrap_or_else(|| quote!(())),
    }
}

/// A response body's type.
pub(super) fn body_type_of(body: &ResponseBody) -> TokenStream {
    match body {
        ResponseBody::Json(ty) => type_tokens(ty),
        ResponseBody::Text => quote!(::std::string::String),
        ResponseBody::Bytes => quote!(::bytes::Bytes),
        ResponseBody::Empty => quote!(()),
        ResponseBody::ByContentType { name, .. } => {
            let name = ident(name);
            quote!(crate::#name)
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
    let error_path = quote!(crate::#error);
    let success_enum = op.success_name.as_deref().map(|n| {
        let n = ident(n);
        quote!(crate::#n)
    });
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
            Some(&error_path)
        };
        let body = match &response.body {
            ResponseBody::ByContentType { name, variants } => {
                let by_type = ident(name);
                let wrap = |v: &Ident| match wrapper {
                    Some(w) => quote!(|value| #w::#variant(crate::#by_type::#v(value))),
                    None => quote!(crate::#by_type::#v),
                };
                let media = variants.iter().map(|v| &v.media_type);
                // The first (most specific) media type also reads a `Content-Type` none matches.
                let mut branches: Vec<TokenStream> = variants
                    .iter()
                    .enumerate()
                    .skip(1)
                    .map(|(i, v)| {
                        let call = read(&v.body, wrap(&ident(&v.name)), !is_success);
                        let i = proc_macro2::Literal::usize_unsuffixed(i);
                        quote!(::std::option::Option::Some(#i) => #call,)
                    })
                    .collect();
                if let Some(first) = variants.first() {
                    let call = read(&first.body, wrap(&ident(&first.name)), !is_success);
                    branches.push(quote!(_ => #call,));
                }
                quote! {
                    match crate::runtime::media_index(&headers, &[#(#media),*]) {
                        #(#branches)*
                    }
                }
            }
            ResponseBody::Json(_) if wrapper.is_none() => {
                quote!(crate::runtime::json(status, headers, body))
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
        arms.push(quote!(_ => crate::runtime::unexpected(status, headers, body),));
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
        quote!(::std::result::Result::Err(crate::runtime::#error_reader(status, headers, body, #into)))
    } else {
        quote!(crate::runtime::#reader(status, headers, body, #into))
    }
}
