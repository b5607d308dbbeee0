//! How a request travels: timeouts, the opt-in retry policy, and one `tracing` span per call.
//! The same for every spec; the generator copies it into each crate it writes, so a crate
//! may leave parts of it unused.
#![allow(dead_code)]

use std::fmt;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use tracing::Instrument;

use crate::runtime::Error;

/// When a failed call is tried again. Off by default ([`RetryPolicy::none`]).
///
/// A `429 Too Many Requests` and a failure to connect are always retried; a `5xx` only for
/// idempotent methods (`GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS`, `TRACE`), since repeating a
/// `POST` could do its work twice. The wait is the server's `Retry-After` (seconds or an HTTP
/// date) when it sends one, else an exponential backoff with full jitter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first one included; 1 means no retry.
    pub max_attempts: u32,
    /// The backoff before the first retry; it doubles with each retry.
    pub initial_backoff: Duration,
    /// The longest backoff between two attempts.
    pub max_backoff: Duration,
    /// No retry starts once this much time has passed since the first attempt, counting the wait.
    pub max_elapsed: Duration,
}

impl RetryPolicy {
    /// No retries: each call is sent once.
    pub fn none() -> Self {
        RetryPolicy { max_attempts: 1, ..Self::standard() }
    }

    /// Up to 4 attempts, backoff from 500 ms up to 30 s, at most 2 minutes in all.
    pub fn standard() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_elapsed: Duration::from_secs(120),
        }
    }

    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    pub fn with_max_elapsed(mut self, max_elapsed: Duration) -> Self {
        self.max_elapsed = max_elapsed;
        self
    }

    /// Whether a call with `method` that ended in `status` (or, with `None`, in a failure to
    /// connect) may be tried again.
    pub fn is_retryable(method: &Method, status: Option<StatusCode>) -> bool {
        match status {
            None => true,
            Some(StatusCode::TOO_MANY_REQUESTS) => true,
            Some(status) if status.is_server_error() => is_idempotent(method),
            Some(_) => false,
        }
    }

    /// The wait before retry number `retry` (1 for the first) when the server sends no
    /// `Retry-After`: exponential backoff with full jitter, a duration drawn uniformly from zero
    /// up to `initial_backoff × 2^(retry − 1)`, capped at `max_backoff` ("Exponential Backoff
    /// And Jitter", AWS Architecture Blog, 2015).
    pub fn backoff(&self, retry: u32) -> Duration {
        Duration::from_secs_f64(self.backoff_cap(retry).as_secs_f64() * fastrand::f64())
    }

    /// The wait before retry number `retry` (1 for the first retry), without jitter.
    fn backoff_cap(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        self.initial_backoff.saturating_mul(factor).min(self.max_backoff)
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::none()
    }
}

fn is_idempotent(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE)
}

/// The server's `Retry-After`: a number of seconds, or an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}

/// Settings every call of a client shares.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// The base URL given to `Client::new`, which a relative server URL is resolved against.
    pub(crate) origin: String,
    pub(crate) base_url: String,
    /// The longest one attempt may take, from sending to the end of the body.
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: RetryPolicy,
}

/// What one request changes of the client's settings (the request builders' `timeout`,
/// `header`, `retry` and `bearer_token`).
#[derive(Clone, Default)]
pub(crate) struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) bearer: Option<crate::auth::Token>,
    /// The URL of a page the server linked to (`x-speakeasy-pagination`'s `nextUrl`), sent
    /// instead of the one the path and query parameters make.
    pub(crate) url: Option<String>,
}

/// Header values may be credentials: `Debug` shows their names only.
impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("headers", &names)
            .field("bearer", &self.bearer)
            .finish()
    }
}

/// Resolves a server URL against the base URL the user gave (RFC 3986, section 5.2): a
/// relative server URL such as `/api/v2` keeps its path after the user's origin. The base is
/// taken as a directory (`https://example.test/x` as `https://example.test/x/`). The result has
/// no trailing `/`.
pub(crate) fn resolve_url(base: &str, server: &str) -> String {
    let base = base.trim_end_matches('/');
    if server.is_empty() {
        return base.to_owned();
    }
    match reqwest::Url::parse(&format!("{base}/")).and_then(|b| b.join(server)) {
        Ok(url) => url.as_str().trim_end_matches('/').to_owned(),
        // Not a URL: the request fails when it is sent, saying so.
        Err(_) => format!("{base}/{}", server.trim_start_matches('/')),
    }
}

/// What the span of a call names: the operation, not the values of its parameters.
pub(crate) struct Call {
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    pub(crate) path: &'static str,
}

/// Sends the request with the credentials `auth` chose, retrying as the policy allows (and
/// once more after a 401 with a refreshed token), and reads the whole body once.
pub(crate) async fn send<E: fmt::Debug>(
    config: &Config,
    options: &RequestOptions,
    mut request: reqwest::RequestBuilder,
    call: Call,
    auth: &crate::auth::Chosen<'_>,
) -> Result<(StatusCode, HeaderMap, Bytes), Error<E>> {
    if let Some(url) = &options.url {
        let mut url = reqwest::Url::parse(url).map_err(|err| Error::InvalidRequest(format!("`{url}` is not a URL: {err}")))?;
        // The linked URL replaces the one that held the API keys of the query: they go on it.
        let mut query = url.query().unwrap_or_default().to_owned();
        let before = query.len();
        auth.query::<E>(&mut query)?;
        if query.len() != before {
            url.set_query(Some(&query));
        }
        let (client, built) = request.build_split();
        let mut built = built?;
        *built.url_mut() = url;
        request = reqwest::RequestBuilder::from_parts(client, built);
    }
    for (name, value) in &options.headers {
        let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::InvalidRequest(format!("`{name}` is not a header name")))?;
        let value = reqwest::header::HeaderValue::from_str(value).map_err(|_| {
            Error::InvalidRequest(format!("the `{name}` header value holds characters a header cannot carry (such as CR or LF)"))
        })?;
        request = request.header(name, value);
    }
    let span = tracing::info_span!(
        "http_call",
        operation = call.operation,
        method = %call.method,
        path = call.path,
        status = tracing::field::Empty,
        attempt = tracing::field::Empty,
    );
    let request = match options.timeout.or(config.timeout) {
        Some(timeout) => request.timeout(timeout),
        None => request,
    };
    let policy = options.retry.as_ref().unwrap_or(&config.retry);
    let send = |request| attempts(policy, request, &call.method, &span);
    let result = crate::auth::with_bearer(auth.bearer(), request, send).instrument(span.clone()).await;
    match result {
        // The URL holds an API key: the error must not show it.
        Err(Error::Transport(err)) if auth.in_url() => Err(Error::Transport(err.without_url())),
        other => other,
    }
}

async fn attempts<E: fmt::Debug>(
    policy: &RetryPolicy,
    mut request: reqwest::RequestBuilder,
    method: &Method,
    span: &tracing::Span,
) -> Result<(StatusCode, HeaderMap, Bytes), Error<E>> {
    let started = Instant::now();
    let mut attempt: u32 = 1;
    loop {
        span.record("attempt", attempt);
        // A streamed body cannot be sent twice: such a request is never retried.
        let spare = if attempt < policy.max_attempts { request.try_clone() } else { None };
        let result = request.send().await;
        let (status, wait, retryable) = match &result {
            Ok(response) => {
                let status = response.status();
                span.record("status", status.as_u16());
                (Some(status), retry_after(response.headers()), RetryPolicy::is_retryable(method, Some(status)))
            }
            Err(err) => (None, None, err.is_connect()),
        };
        if let (true, Some(next)) = (retryable, spare) {
            let delay = wait.unwrap_or_else(|| policy.backoff(attempt));
            if started.elapsed() + delay <= policy.max_elapsed {
                tracing::info!(delay_ms = delay.as_millis() as u64, "retrying after {}", status.map_or("a connection failure".to_owned(), |s| s.to_string()));
                tokio::time::sleep(delay).await;
                request = next;
                attempt += 1;
                continue;
            }
        }
        let mut response = result?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await?;
        return Ok((status, headers, body));
    }
}
