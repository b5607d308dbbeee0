//! Credentials: what each security scheme of the API description sends, and where (OpenAPI
//! 3.0.3, Security Scheme Object), and the token source that supplies and refreshes bearer
//! tokens. The same for every spec; the generator copies it into each crate it writes, so a
//! crate may leave parts of it unused.
//!
//! No credential shows in `Debug` output, in errors or in `tracing` events: header values are
//! marked sensitive, `Debug` prints `<redacted>`, and a transport error of a call with an API
//! key in its query drops the URL.
#![allow(dead_code)]

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use reqwest::header::HeaderValue;

use crate::runtime::Error;

/// Why a [`TokenSource`] gave no token: the source's own error, kept as the
/// [`source`](std::error::Error::source) of [`Error::TokenSource`](crate::Error::TokenSource).
pub struct TokenError(Box<dyn std::error::Error + Send + Sync>);

impl TokenError {
    /// Wraps any error (or a message: `TokenError::new("the refresh token expired")`).
    pub fn new(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        TokenError(error.into())
    }
}

impl fmt::Debug for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for TokenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

/// Bearer tokens that expire (OAuth 2.0 access tokens, say), supplied by your code.
///
/// The client asks [`token`](TokenSource::token) before every call that sends a bearer token.
/// When the server answers `401 Unauthorized`, it asks [`refresh`](TokenSource::refresh) and
/// sends the call once more with the new token. Refreshes run one at a time: calls that
/// failed with the same token wait for a refresh already running and reuse its token, so many
/// concurrent calls refresh once. The tokens never show in `Debug` output, errors or
/// `tracing` events.
///
/// Implement it with `async fn`:
///
/// ```ignore
/// struct Tokens { /* your OAuth client, the current and refresh tokens */ }
///
/// impl TokenSource for Tokens {
///     async fn token(&self) -> Result<String, TokenError> {
///         Ok(self.current.lock().unwrap().clone())
///     }
///
///     async fn refresh(&self) -> Result<String, TokenError> {
///         let fresh = self.exchange_refresh_token().await.map_err(TokenError::new)?;
///         *self.current.lock().unwrap() = fresh.clone();
///         Ok(fresh)
///     }
/// }
/// ```
pub trait TokenSource: Send + Sync + 'static {
    /// The token to send now, without the `Bearer ` prefix. Asked before every call, so keep
    /// it cheap: return the token you hold.
    fn token(&self) -> impl Future<Output = Result<String, TokenError>> + Send;

    /// A new token, after the server refused the last one with `401 Unauthorized`; `token`
    /// should return it from then on. Never called twice at a time (calls of the client that
    /// meet a 401 meanwhile wait for it, so it must not make such a call itself). By default,
    /// asks `token` again (for a source that always reads the newest token from elsewhere).
    fn refresh(&self) -> impl Future<Output = Result<String, TokenError>> + Send {
        self.token()
    }
}

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// [`TokenSource`] as a trait object: its futures boxed.
trait DynTokenSource: Send + Sync {
    fn token(&self) -> BoxFuture<'_, Result<String, TokenError>>;
    fn refresh(&self) -> BoxFuture<'_, Result<String, TokenError>>;
}

impl<S: TokenSource> DynTokenSource for S {
    fn token(&self) -> BoxFuture<'_, Result<String, TokenError>> {
        Box::pin(TokenSource::token(self))
    }

    fn refresh(&self) -> BoxFuture<'_, Result<String, TokenError>> {
        Box::pin(TokenSource::refresh(self))
    }
}

/// A bearer token as its `Authorization` header value, built once and marked sensitive so
/// it is never logged; `None` for a token a header cannot carry, refused when it is sent.
#[derive(Clone, PartialEq)]
pub(crate) struct Token(Option<HeaderValue>);

impl Token {
    pub(crate) fn bearer(token: String) -> Self {
        Token(HeaderValue::from_str(&format!("Bearer {token}")).ok().map(|mut value| {
            value.set_sensitive(true);
            value
        }))
    }

    fn add<E: fmt::Debug>(&self, request: reqwest::RequestBuilder) -> Result<reqwest::RequestBuilder, Error<E>> {
        match &self.0 {
            Some(value) => Ok(request.header(reqwest::header::AUTHORIZATION, value.clone())),
            None => Err(Error::InvalidRequest(
                "the bearer token holds characters a header cannot carry (such as CR or LF)".to_owned(),
            )),
        }
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A token source shared by a client and its clones, refreshed one call at a time.
pub(crate) struct Tokens {
    source: Box<dyn DynTokenSource>,
    /// The token the last refresh gave. The lock is held through a refresh, so refreshes run
    /// one at a time and a call that waited finds the token the one before it got.
    refreshed: tokio::sync::Mutex<Option<Token>>,
}

impl Tokens {
    pub(crate) fn new(source: impl TokenSource) -> Arc<Self> {
        Arc::new(Tokens { source: Box::new(source), refreshed: tokio::sync::Mutex::new(None) })
    }

    async fn current<E: fmt::Debug>(&self) -> Result<Token, Error<E>> {
        let token = self.source.token().await.map_err(Error::TokenSource)?;
        Ok(Token::bearer(token))
    }

    /// The token to retry with after the server refused `rejected`: the one a refresh gave
    /// since `rejected` was handed out, or else a new refresh.
    async fn refresh<E: fmt::Debug>(&self, rejected: &Token) -> Result<Token, Error<E>> {
        let mut last = self.refreshed.lock().await;
        if let Some(token) = last.as_ref().filter(|t| *t != rejected) {
            return Ok(token.clone());
        }
        let token = Token::bearer(self.source.refresh().await.map_err(Error::TokenSource)?);
        *last = Some(token.clone());
        Ok(token)
    }
}

/// Where a scheme's credential goes, as its Security Scheme Object says.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Place {
    /// `apiKey` in a header of this name.
    Header(&'static str),
    /// `apiKey` in a query parameter of this name.
    Query(&'static str),
    /// `apiKey` in a cookie of this name.
    Cookie(&'static str),
    /// HTTP `basic` (RFC 7617).
    Basic,
    /// HTTP `bearer`, and the access token of `oauth2` and `openIdConnect` (RFC 6750).
    Bearer,
}

/// A security scheme of the API description.
#[derive(Debug)]
pub(crate) struct Scheme {
    /// Its key in `components/securitySchemes`.
    pub(crate) key: &'static str,
    pub(crate) place: Place,
}

/// What the client holds for one scheme.
#[derive(Clone)]
pub(crate) enum Credential {
    /// An API key.
    Key(Arc<str>),
    /// A user-id and a password.
    Basic(Arc<(String, String)>),
    /// A fixed bearer token.
    Token(Token),
    /// Bearer tokens from a [`TokenSource`].
    Source(Arc<Tokens>),
}

impl Credential {
    pub(crate) fn key(key: String) -> Self {
        Credential::Key(key.into())
    }

    pub(crate) fn basic(user: String, password: String) -> Self {
        Credential::Basic(Arc::new((user, password)))
    }

    pub(crate) fn token(token: String) -> Self {
        Credential::Token(Token::bearer(token))
    }

    pub(crate) fn source(source: impl TokenSource) -> Self {
        Credential::Source(Tokens::new(source))
    }
}

/// The credential of each scheme, as the client holds them.
#[derive(Clone)]
pub(crate) struct Credentials {
    schemes: &'static [Scheme],
    held: Vec<Option<Credential>>,
}

impl Credentials {
    pub(crate) fn new(schemes: &'static [Scheme]) -> Self {
        Credentials { schemes, held: vec![None; schemes.len()] }
    }

    /// Sets (or, with `None`, removes) the credential of scheme number `scheme`.
    pub(crate) fn set(&mut self, scheme: usize, credential: Option<Credential>) {
        if let Some(slot) = self.held.get_mut(scheme) {
            *slot = credential;
        }
    }

    /// Sets the credential of every bearer scheme.
    pub(crate) fn set_bearers(&mut self, credential: Credential) {
        for (scheme, slot) in self.schemes.iter().zip(&mut self.held) {
            if matches!(scheme.place, Place::Bearer) {
                *slot = Some(credential.clone());
            }
        }
    }

    pub(crate) fn clear(&mut self) {
        self.held.iter_mut().for_each(|slot| *slot = None);
    }

    /// What one call sends: the first of the operation's `alternatives` (each a set of scheme
    /// numbers sent together) whose every scheme has a credential, counting this request's
    /// bearer token (`bearer`) for the bearer schemes; nothing when none has.
    pub(crate) fn choose<'a>(&'a self, alternatives: &'a [&'a [usize]], bearer: Option<&'a Token>) -> Chosen<'a> {
        let has = |scheme: &usize| match (self.schemes.get(*scheme), self.held.get(*scheme)) {
            (Some(Scheme { place: Place::Bearer, .. }), _) if bearer.is_some() => true,
            (_, Some(held)) => held.is_some(),
            _ => false,
        };
        let schemes = alternatives.iter().find(|alternative| alternative.iter().all(has)).copied().unwrap_or_default();
        Chosen { credentials: Some(self), schemes, bearer }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let held = self.schemes.iter().zip(&self.held).filter(|(_, held)| held.is_some());
        f.debug_map().entries(held.map(|(scheme, _)| (scheme.key, format_args!("<redacted>")))).finish()
    }
}

/// The credentials one call sends.
pub(crate) struct Chosen<'a> {
    credentials: Option<&'a Credentials>,
    schemes: &'a [usize],
    bearer: Option<&'a Token>,
}

/// How one call sends its bearer token.
pub(crate) enum Bearer<'a> {
    Token(&'a Token),
    Source(&'a Tokens),
}

impl<'a> Chosen<'a> {
    /// A call that sends no credentials.
    pub(crate) const NONE: Chosen<'static> = Chosen { credentials: None, schemes: &[], bearer: None };

    fn each(&self) -> impl Iterator<Item = (Place, Option<&'a Credential>)> + '_ {
        let credentials = self.credentials;
        self.schemes.iter().filter_map(move |i| {
            let credentials = credentials?;
            Some((credentials.schemes.get(*i)?.place, credentials.held.get(*i)?.as_ref()))
        })
    }

    /// Whether an API key goes in the URL, which errors must then not show.
    pub(crate) fn in_url(&self) -> bool {
        self.each().any(|(place, _)| matches!(place, Place::Query(_)))
    }

    /// Adds the API keys that go in the query, written as every other query parameter is
    /// (`form`, percent-encoded).
    pub(crate) fn query<E: fmt::Debug>(&self, query: &mut String) -> Result<(), Error<E>> {
        for (place, credential) in self.each() {
            if let (Place::Query(name), Some(Credential::Key(key))) = (place, credential) {
                let rule = crate::style::Rule::new(crate::style::Style::Form, true);
                crate::style::query(query, name, rule, &**key)?;
            }
        }
        Ok(())
    }

    /// Adds the API keys that go in cookies to the `Cookie` header's value.
    pub(crate) fn cookies<E: fmt::Debug>(&self, cookies: &mut String) -> Result<(), Error<E>> {
        for (place, credential) in self.each() {
            if let (Place::Cookie(name), Some(Credential::Key(key))) = (place, credential) {
                let rule = crate::style::Rule::new(crate::style::Style::Form, true);
                crate::style::cookie(cookies, name, rule, &**key)?;
            }
        }
        Ok(())
    }

    /// Adds the API keys that go in headers and the `basic` credentials; the bearer token is
    /// added as the request is sent ([`Chosen::bearer`]).
    pub(crate) fn headers<E: fmt::Debug>(
        &self,
        mut request: reqwest::RequestBuilder,
    ) -> Result<reqwest::RequestBuilder, Error<E>> {
        for (place, credential) in self.each() {
            match (place, credential) {
                (Place::Header(name), Some(Credential::Key(key))) => {
                    let mut value = HeaderValue::from_str(key).map_err(|_| {
                        Error::InvalidRequest(format!("the API key for the `{name}` header holds characters a header cannot carry (such as CR or LF)"))
                    })?;
                    value.set_sensitive(true);
                    request = request.header(name, value);
                }
                (Place::Basic, Some(Credential::Basic(pair))) => {
                    let (user, password) = &**pair;
                    // RFC 7617, section 2: the user-id cannot hold a colon.
                    if user.contains(':') || user.chars().chain(password.chars()).any(char::is_control) {
                        return Err(Error::InvalidRequest(
                            "the basic credentials hold a colon in the user-id, or a control character".to_owned(),
                        ));
                    }
                    request = request.basic_auth(user, Some(password));
                }
                _ => {}
            }
        }
        Ok(request)
    }

    /// The bearer token the call sends: this request's own, else the client's.
    pub(crate) fn bearer(&self) -> Option<Bearer<'a>> {
        self.each().find_map(|(place, credential)| match (place, self.bearer, credential) {
            (Place::Bearer, Some(token), _) => Some(Bearer::Token(token)),
            (Place::Bearer, None, Some(Credential::Token(token))) => Some(Bearer::Token(token)),
            (Place::Bearer, None, Some(Credential::Source(tokens))) => Some(Bearer::Source(tokens)),
            _ => None,
        })
    }
}

/// Sends `request` with the bearer token, if any, through `attempts`; with a token source, a
/// `401 Unauthorized` refreshes the token and sends the call once more.
pub(crate) async fn with_bearer<E: fmt::Debug, F, Fut>(
    bearer: Option<Bearer<'_>>,
    request: reqwest::RequestBuilder,
    attempts: F,
) -> Result<(reqwest::StatusCode, reqwest::header::HeaderMap, bytes::Bytes), Error<E>>
where
    F: Fn(reqwest::RequestBuilder) -> Fut,
    Fut: Future<Output = Result<(reqwest::StatusCode, reqwest::header::HeaderMap, bytes::Bytes), Error<E>>>,
{
    let tokens = match bearer {
        None => return attempts(request).await,
        Some(Bearer::Token(token)) => return attempts(token.add(request)?).await,
        Some(Bearer::Source(tokens)) => tokens,
    };
    let token = tokens.current().await?;
    // A streamed body cannot be sent twice: such a call is not repeated after a 401.
    let spare = request.try_clone();
    let answer = attempts(token.add(request)?).await?;
    match spare {
        Some(spare) if answer.0 == reqwest::StatusCode::UNAUTHORIZED => {
            tracing::info!("the server refused the bearer token (401); refreshing it and sending the call once more");
            let fresh = tokens.refresh(&token).await?;
            attempts(fresh.add(spare)?).await
        }
        _ => Ok(answer),
    }
}
