//! Security schemes and requirements (OpenAPI 3.0.3, Security Scheme Object and Security
//! Requirement Object): what the client can send, the `Client` setter of each scheme, and each
//! operation's alternatives.
//!
//! Rules:
//! - `apiKey` (header, query, cookie), HTTP `basic`, HTTP `bearer`, `oauth2` and
//!   `openIdConnect` are sent; the last three as `Authorization: Bearer <token>` (RFC 6750),
//!   since what a client holds for them is an access token. Other HTTP schemes (`digest`, ...)
//!   need a challenge first: warned about, and an alternative that needs one is left out.
//! - `Client::new` takes the bearer token when every scheme is a bearer one; each scheme gets
//!   a setter, `with_<key>` in snake_case (but for a lone bearer scheme, which `new` sets),
//!   claimed before the operations' methods so no operation can hide it.
//! - An operation's `security` (or the document's) is a list of alternatives, each a set of
//!   schemes sent together; `security: []` sends nothing.

use indexmap::IndexMap;
use openapiv3::{APIKeyLocation, Components, Operation as Op, ReferenceOr, SecurityScheme as Spec};

use super::Lowerer;
use super::components::Component;
use crate::diag::escape;
use crate::ir::{BearerSource, ParamLocation, SchemeKind, SecurityScheme};
use crate::names::{self, Namespace};

impl Component for Spec {
    const KIND: &'static str = "securitySchemes";
    fn all(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.security_schemes
    }
}

impl Lowerer<'_, '_> {
    /// The schemes the client can send, and whether `Client::new` takes the bearer token.
    pub(super) fn security_schemes(&mut self) -> (Vec<SecurityScheme>, bool) {
        let api = self.api;
        let mut schemes = Vec::new();
        let all = api.components.iter().flat_map(|c| &c.security_schemes);
        for (key, scheme) in all {
            let pointer = format!("/components/securitySchemes/{}", escape(key));
            let Some(scheme) = self.deref(
                scheme,
                &pointer,
                (
                    "security scheme",
                    "a security scheme",
                    "operations that need only it are sent without credentials",
                ),
            ) else {
                continue;
            };
            let (kind, description) = match scheme {
                Spec::APIKey {
                    location,
                    name,
                    description,
                    ..
                } => {
                    let location = match location {
                        APIKeyLocation::Query => ParamLocation::Query,
                        APIKeyLocation::Header => ParamLocation::Header,
                        APIKeyLocation::Cookie => ParamLocation::Cookie,
                    };
                    (SchemeKind::ApiKey { location, name }, description)
                }
                Spec::HTTP {
                    scheme,
                    description,
                    ..
                } if scheme.eq_ignore_ascii_case("bearer") => {
                    (SchemeKind::Bearer(BearerSource::Http), description)
                }
                Spec::HTTP {
                    scheme,
                    description,
                    ..
                } if scheme.eq_ignore_ascii_case("basic") => (SchemeKind::Basic, description),
                Spec::HTTP { scheme, .. } => {
                    self.warn(
                        &format!("{pointer}/scheme"),
                        format!("the HTTP authentication scheme `{scheme}` of `{key}` needs a challenge from the server first, which the client does not answer; operations that need only it are sent without credentials"),
                        "use `basic` or `bearer` if the API accepts them, or add the header yourself with `Client::with_http_client`",
                    );
                    continue;
                }
                Spec::OAuth2 { description, .. } => {
                    (SchemeKind::Bearer(BearerSource::OAuth2), description)
                }
                Spec::OpenIDConnect { description, .. } => {
                    (SchemeKind::Bearer(BearerSource::OpenIdConnect), description)
                }
            };
            schemes.push(SecurityScheme {
                key: key.clone(),
                setter: None,
                kind,
                description,
            });
        }
        let token_argument = !schemes.is_empty()
            && schemes
                .iter()
                .all(|s| matches!(s.kind, SchemeKind::Bearer(_)));
        let mut setters = Namespace::default();
        for name in names::RESERVED_METHODS {
            setters.reserve(name);
        }
        let only_one = schemes.len() == 1;
        for scheme in &mut schemes {
            if token_argument && only_one {
                continue;
            }
            let base = names::snake(&scheme.key);
            let wanted = format!("with_{}", base.trim_start_matches("r#"));
            let claimed = setters.claim(wanted.clone(), &scheme.key);
            if let Some(first) = claimed.collided_with {
                let pointer = format!("/components/securitySchemes/{}", escape(&scheme.key));
                let owner = if first.starts_with('(') {
                    "a method the client has".to_owned()
                } else {
                    format!("the setter of `{first}`")
                };
                self.warn(
                    &pointer,
                    format!("the setter of the security scheme `{}` would be `{wanted}`, {owner}; it is named `{}`", scheme.key, claimed.name),
                    "rename the scheme in the spec to choose the name yourself",
                );
            }
            scheme.setter = Some(claimed.name);
        }
        (schemes, token_argument)
    }

    /// The operation's alternatives, as indexes into `schemes`; an alternative that names a
    /// scheme the client cannot send is left out, and so is the empty one (`{}`, optional
    /// credentials): with no other alternative the client can satisfy, nothing is sent anyway.
    pub(super) fn security(
        &mut self,
        op: &Op,
        schemes: &[SecurityScheme],
        pointer: &str,
    ) -> Vec<Vec<usize>> {
        let requirements = op.security.as_ref().or(self.api.security.as_ref());
        let has_schemes = self
            .api
            .components
            .as_ref()
            .is_some_and(|c| !c.security_schemes.is_empty());
        if requirements.is_none() && has_schemes {
            self.warn(pointer, "the operation names no `security`, and neither does the document; the client sends it without credentials", "add `security` to the operation (or `security: []` to say it needs none)");
        }
        let mut alternatives = Vec::new();
        for requirement in requirements.into_iter().flatten() {
            let mut indexes = Vec::new();
            let mut supported = true;
            for key in requirement.keys() {
                match schemes.iter().position(|s| &s.key == key) {
                    Some(i) => indexes.push(i),
                    None => {
                        let known = self
                            .api
                            .components
                            .as_ref()
                            .is_some_and(|c| c.security_schemes.contains_key(key));
                        if !known {
                            self.warn(&format!("{pointer}/security"), format!("the security requirement names `{key}`, which is not in `components/securitySchemes`"), "declare the scheme or fix its name");
                        }
                        supported = false;
                    }
                }
            }
            if supported && !indexes.is_empty() && !alternatives.contains(&indexes) {
                alternatives.push(indexes);
            }
        }
        alternatives
    }
}
