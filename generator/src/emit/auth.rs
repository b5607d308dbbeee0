//! The client's credentials: the table of the spec's security schemes, the constructors and
//! setters that give them, and what each operation's request sends (`templates/auth.rs` does
//! the sending).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{docs, ident};
use crate::ir::{Api, BearerSource, Doc, Operation, ParamLocation, SchemeKind, SecurityScheme};

/// `const SCHEMES`, the table `Credentials` indexes (the order of `Api::security_schemes`).
pub fn schemes(api: &Api) -> Option<TokenStream> {
    if api.security_schemes.is_empty() {
        return None;
    }
    let entries = api.security_schemes.iter().map(|s| {
        let key = &s.key;
        let place = match &s.kind {
            SchemeKind::ApiKey { location, name } => match location {
                ParamLocation::Query => quote!(Query(#name)),
                ParamLocation::Cookie => quote!(Cookie(#name)),
                _ => quote!(Header(#name)),
            },
            SchemeKind::Basic => quote!(Basic),
            SchemeKind::Bearer(_) => quote!(Bearer),
        };
        quote!(crate::auth::Scheme { key: #key, place: crate::auth::Place::#place })
    });
    Some(quote! {
        /// The security schemes of the API description, in its order.
        const SCHEMES: &[crate::auth::Scheme] = &[#(#entries),*];
    })
}

/// The client's field.
pub fn field(api: &Api) -> Option<TokenStream> {
    (!api.security_schemes.is_empty()).then(|| {
        quote! {
            /// The credential of each security scheme.
            pub(crate) credentials: crate::auth::Credentials,
        }
    })
}

/// The field's value in `new`.
pub fn init(api: &Api) -> Option<TokenStream> {
    (!api.security_schemes.is_empty())
        .then(|| quote!(credentials: crate::auth::Credentials::new(SCHEMES),))
}

/// The statement of `new` that gives every bearer scheme the token it takes.
pub fn set_token(api: &Api) -> Option<TokenStream> {
    api.token_argument.then(|| {
        quote! {
            client.credentials.set_bearers(crate::auth::Credential::token(token.into()));
        }
    })
}

/// `with_token_source`, a setter per scheme and `without_credentials`. `base_url` is the
/// argument `new` takes before the token, when it takes one.
pub fn methods(api: &Api, base_url: Option<&TokenStream>) -> TokenStream {
    let has_bearer = api
        .security_schemes
        .iter()
        .any(|s| matches!(s.kind, SchemeKind::Bearer(_)));
    let source = quote!(crate::auth::Credential::source(source));
    let token_source = match (has_bearer, api.token_argument) {
        (false, _) => None,
        (true, true) => {
            let (param, arg) = match base_url {
                Some(param) => (Some(quote!(#param,)), Some(quote!(base_url,))),
                None => (None, None),
            };
            Some(quote! {
                /// A client that asks `source` for the bearer token before each call, and
                /// refreshes it once after a `401 Unauthorized` (see [`TokenSource`](crate::TokenSource)).
                pub fn with_token_source(#param source: impl crate::TokenSource) -> Self {
                    let mut client = Self::new(#arg "");
                    client.credentials.set_bearers(#source);
                    client
                }
            })
        }
        (true, false) => Some(quote! {
            /// Asks `source` for the bearer token of every bearer scheme (HTTP `bearer`,
            /// `oauth2`, `openIdConnect`) before each call, and refreshes it once after a
            /// `401 Unauthorized` (see [`TokenSource`](crate::TokenSource)).
            pub fn with_token_source(mut self, source: impl crate::TokenSource) -> Self {
                self.credentials.set_bearers(#source);
                self
            }
        }),
    };
    let setters = api
        .security_schemes
        .iter()
        .enumerate()
        .filter_map(|(i, s)| setter(i, s));
    let without = (!api.security_schemes.is_empty()).then(|| {
        quote! {
            /// Sends no credentials at all, whatever an operation's security asks for.
            pub fn without_credentials(mut self) -> Self {
                self.credentials.clear();
                self
            }
        }
    });
    quote! {
        #token_source
        #(#setters)*
        #without
    }
}

/// What a scheme is, in words, for docs.
pub fn describe(scheme: &SecurityScheme) -> String {
    match &scheme.kind {
        SchemeKind::ApiKey { location, name } => {
            let place = match location {
                ParamLocation::Query => "query parameter",
                ParamLocation::Cookie => "cookie",
                _ => "header",
            };
            format!("an API key, sent as the `{name}` {place}")
        }
        SchemeKind::Basic => "HTTP basic authentication: a user-id and a password".to_owned(),
        SchemeKind::Bearer(BearerSource::Http) => "a bearer token".to_owned(),
        SchemeKind::Bearer(BearerSource::OAuth2) => {
            "OAuth 2.0: an access token, sent as a bearer token".to_owned()
        }
        SchemeKind::Bearer(BearerSource::OpenIdConnect) => {
            "OpenID Connect: an access token, sent as a bearer token".to_owned()
        }
    }
}

fn setter(index: usize, scheme: &SecurityScheme) -> Option<TokenStream> {
    let name = ident(scheme.setter.as_deref()?);
    let index = Literal::usize_unsuffixed(index);
    let mut text = format!(
        "Sets the credential of the `{}` scheme ({}).",
        scheme.key,
        describe(scheme)
    );
    if let Some(description) = &scheme.description {
        text.push_str(&format!("\n\n{}", description.trim()));
    }
    let doc = docs::outer(&Doc {
        text: Some(text),
        ..Doc::default()
    });
    let (params, credential) = match &scheme.kind {
        SchemeKind::ApiKey { .. } => (
            quote!(key: impl Into<String>),
            quote!(crate::auth::Credential::key(key.into())),
        ),
        SchemeKind::Basic => (
            quote!(username: impl Into<String>, password: impl Into<String>),
            quote!(crate::auth::Credential::basic(
                username.into(),
                password.into()
            )),
        ),
        SchemeKind::Bearer(_) => (
            quote!(token: impl Into<String>),
            quote!(crate::auth::Credential::token(token.into())),
        ),
    };
    Some(quote! {
        #doc
        pub fn #name(mut self, #params) -> Self {
            self.credentials.set(#index, Some(#credential));
            self
        }
    })
}

/// Where an operation's credentials can go, over all its alternatives.
#[derive(Default)]
pub struct Places {
    pub query: bool,
    pub cookie: bool,
    /// Header API keys and `basic`.
    pub header: bool,
    pub bearer: bool,
}

pub fn places(api: &Api, op: &Operation) -> Places {
    let mut places = Places::default();
    let used = op.security.iter().flatten();
    for scheme in used.filter_map(|i| api.security_schemes.get(*i)) {
        match &scheme.kind {
            SchemeKind::ApiKey { location, .. } => match location {
                ParamLocation::Query => places.query = true,
                ParamLocation::Cookie => places.cookie = true,
                _ => places.header = true,
            },
            SchemeKind::Basic => places.header = true,
            SchemeKind::Bearer(_) => places.bearer = true,
        }
    }
    places
}

/// `let auth = ...;`: the credentials this call sends.
pub fn choose(op: &Operation) -> TokenStream {
    if op.security.is_empty() {
        return quote!(let auth = crate::auth::Chosen::NONE;);
    }
    let alternatives = op.security.iter().map(|alternative| {
        let indexes = alternative.iter().map(|i| Literal::usize_unsuffixed(*i));
        quote!(&[#(#indexes),*])
    });
    quote! {
        let auth = self.client.credentials.choose(&[#(#alternatives),*], self.options.bearer.as_ref());
    }
}
