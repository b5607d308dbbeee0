//! What every operation shares: the response and error types, and the request plumbing.
//! The same for every spec; the generator copies it into each crate it writes, so a crate
//! may leave parts of it unused.
#![allow(dead_code)]

use std::fmt;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};

/// A response the client understood: its status, headers, typed body, and the bytes that
/// body was decoded from.
///
/// Derefs to the body, so `response.field` reads the body's fields.
#[derive(Clone, PartialEq)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
    raw_body: Bytes,
}

impl<T> Response<T> {
    /// A response with no raw bytes behind its body (for tests and mocks; see
    /// [`Response::with_raw_body`]).
    pub fn new(status: StatusCode, headers: HeaderMap, body: T) -> Self {
        Response { status, headers, body, raw_body: Bytes::new() }
    }

    /// The same response, with `raw_body` as the bytes its body was decoded from.
    pub fn with_raw_body(self, raw_body: Bytes) -> Self {
        Response { raw_body, ..self }
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    pub fn body(&self) -> &T {
        &self.body
    }

    /// The body's bytes as they came from the server, before decoding: a field the API
    /// description does not list can still be read from them. Shared with the client's read
    /// buffer, not copied (`Bytes` is reference-counted); empty for a response made with
    /// [`Response::new`].
    pub fn raw_body(&self) -> &Bytes {
        &self.raw_body
    }

    pub fn into_body(self) -> T {
        self.body
    }

    /// The same response with its body changed by `f`; the raw bytes are kept.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response { status: self.status, headers: self.headers, body: f(self.body), raw_body: self.raw_body }
    }
}

impl<T: fmt::Debug> fmt::Debug for Response<T> {
    // The raw bytes by their length: the body shows what they hold.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &self.body)
            .field("raw_body", &format_args!("<{} bytes>", self.raw_body.len()))
            .finish()
    }
}

impl<T> std::ops::Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

/// Why a call did not return its success body. `E` is the operation's own enum of the
/// error statuses its spec documents, each with its body type.
///
/// Responses are boxed so the error stays small on the stack.
#[derive(Debug, thiserror::Error)]
pub enum Error<E: fmt::Debug> {
    /// The server answered with an error status the spec documents; the body is decoded.
    #[error("the server answered {} (a documented error status)", .0.status())]
    Api(Box<Response<E>>),
    /// The server answered with a status the spec does not document; the raw body is kept.
    #[error("the server answered {}, a status the API description does not document", .0.status())]
    UnexpectedStatus(Box<Response<Bytes>>),
    /// The body of a documented status did not decode into its type; the raw body is kept.
    /// Shown as the path of the value that failed, then what was expected and found:
    /// `results.accounts[3].isConnected: invalid type: string "yes", expected a boolean`.
    #[error("the body of a {} response does not match its documented type: {}", .response.status(), decode_message(.path, .source))]
    Decode {
        response: Box<Response<Bytes>>,
        /// Where in the body the value that failed is: keys joined by `.`, list items as
        /// `[i]` (`results.accounts[3].isConnected`); empty when the body as a whole failed
        /// (not JSON, say).
        path: String,
        /// serde's account of what was expected and found, with the line and column in the body.
        #[source]
        source: serde_json::Error,
    },
    /// The request was not sent, or no complete response came back.
    #[error("the request failed before a response arrived: {0}")]
    Transport(#[from] reqwest::Error),
    /// The arguments cannot make a valid request; nothing was sent.
    #[error("invalid request, nothing was sent: {0}")]
    InvalidRequest(String),
    /// The [`TokenSource`](crate::TokenSource) gave no token; nothing was sent.
    #[error("the token source gave no token: {0}")]
    TokenSource(#[source] crate::auth::TokenError),
}

impl<E: fmt::Debug> Error<E> {
    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(response) => Some(response.status()),
            Error::UnexpectedStatus(response) | Error::Decode { response, .. } => Some(response.status()),
            Error::Transport(err) => err.status(),
            Error::InvalidRequest(_) | Error::TokenSource(_) => None,
        }
    }

    /// The headers, when a response arrived.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api(response) => Some(response.headers()),
            Error::UnexpectedStatus(response) | Error::Decode { response, .. } => Some(response.headers()),
            Error::Transport(_) | Error::InvalidRequest(_) | Error::TokenSource(_) => None,
        }
    }
}

/// Adds a header the caller supplied, refusing values a header cannot carry.
pub(crate) fn header<E: fmt::Debug>(
    request: reqwest::RequestBuilder,
    name: &'static str,
    value: &str,
) -> Result<reqwest::RequestBuilder, Error<E>> {
    let value = HeaderValue::from_str(value).map_err(|_| {
        Error::InvalidRequest(format!("the `{name}` header value holds characters a header cannot carry (such as CR or LF)"))
    })?;
    Ok(request.header(name, value))
}

/// Decodes a JSON body from the received bytes, keeping them when they do not decode.
pub(crate) fn json<T: serde::de::DeserializeOwned, E: fmt::Debug>(
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response<T>, Error<E>> {
    json_as(status, headers, body, |value| value)
}

/// Decodes a JSON body and wraps it with `into` (a variant of the operation's enum).
pub(crate) fn json_as<T: serde::de::DeserializeOwned, U, E: fmt::Debug>(
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    into: impl FnOnce(T) -> U,
) -> Result<Response<U>, Error<E>> {
    match serde_json::from_slice(&body) {
        Ok(value) => Ok(Response { status, headers, body: into(value), raw_body: body }),
        Err(first) => {
            let (path, source) = failed_at::<T>(&body, first);
            Err(Error::Decode { response: Box::new(Response { status, headers, body: body.clone(), raw_body: body }), path, source })
        }
    }
}

/// Where a body that did not decode into `T` failed: it is decoded again with the path
/// tracked (`serde_path_to_error`), so the common case, a body that decodes, pays nothing for
/// the tracking. A failure inside a discriminated union's variant carries its own path in its
/// message (see [`from_value`]), which is joined on.
fn failed_at<T: serde::de::DeserializeOwned>(body: &[u8], first: serde_json::Error) -> (String, serde_json::Error) {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(err) => {
            let path = relative(&err.path().to_string());
            let source = err.into_inner();
            let path = match nested(&message_of(&source)) {
                Some((inner, _)) => format!("{path}{inner}"),
                None => path,
            };
            (path.strip_prefix('.').unwrap_or(&path).to_owned(), source)
        }
        // Trailing bytes after the value: only the first decode checks for them.
        Ok(_) => (String::new(), first),
    }
}

/// A `serde_path_to_error` path (`a.b[2]`, `.` for none) as a suffix to join onto another
/// (`.a.b[2]`, empty for none).
fn relative(path: &str) -> String {
    match path {
        "." => String::new(),
        p if p.starts_with('[') => p.to_owned(),
        p => format!(".{p}"),
    }
}

/// The path and the rest of a message [`from_value`] made (`.age: invalid type: ...`).
fn nested(message: &str) -> Option<(&str, &str)> {
    if !message.starts_with(['.', '[']) {
        return None;
    }
    message.split_once(": ")
}

/// serde_json's message without the ` at line L column C` it ends with: the path says where.
fn message_of(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let position = format!(" at line {} column {}", err.line(), err.column());
    text.strip_suffix(&position).unwrap_or(&text).to_owned()
}

/// `Error::Decode`'s account: the path, then what was expected and found.
fn decode_message(path: &str, source: &serde_json::Error) -> String {
    if path.is_empty() {
        // Not JSON, or the body as a whole: the line and column are the only place to give.
        return source.to_string();
    }
    let message = message_of(source);
    let message = nested(&message).map_or(message.as_str(), |(_, rest)| rest);
    format!("{path}: {message}")
}

/// Decodes a value that a hand-written `Deserialize` impl has buffered (the variant of a
/// discriminated union). serde loses the path inside such a value, so on failure the message
/// starts with it (`.age: invalid type: ...`), and [`failed_at`] joins it to the path outside.
pub(crate) fn from_value<T: serde::de::DeserializeOwned, E: serde::de::Error>(value: serde_json::Value) -> Result<T, E> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = relative(&err.path().to_string());
        let message = message_of(err.inner());
        match nested(&message) {
            Some((inner, rest)) => E::custom(format_args!("{path}{inner}: {rest}")),
            None if path.is_empty() => E::custom(message),
            None => E::custom(format_args!("{path}: {message}")),
        }
    })
}

/// A body kept as bytes, wrapped with `into`.
pub(crate) fn bytes_as<U, E: fmt::Debug>(
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    into: impl FnOnce(Bytes) -> U,
) -> Result<Response<U>, Error<E>> {
    Ok(Response { status, headers, body: into(body.clone()), raw_body: body })
}

/// A documented error status with a JSON body: `Error::Api`, or `Error::Decode` when the
/// body does not match.
pub(crate) fn json_error<T: serde::de::DeserializeOwned, E: fmt::Debug>(
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    into: impl FnOnce(T) -> E,
) -> Error<E> {
    match json_as(status, headers, body, into) {
        Ok(response) => Error::Api(Box::new(response)),
        Err(err) => err,
    }
}

/// A documented error status whose body is kept as bytes, or has none (`into` ignores it).
pub(crate) fn bytes_error<E: fmt::Debug>(
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    into: impl FnOnce(Bytes) -> E,
) -> Error<E> {
    Error::Api(Box::new(Response { status, headers, body: into(body.clone()), raw_body: body }))
}

/// A `text/*` body as a `String` (bytes that are not UTF-8 become U+FFFD), wrapped with `into`.
pub(crate) fn text_as<U, E: fmt::Debug>(
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    into: impl FnOnce(String) -> U,
) -> Result<Response<U>, Error<E>> {
    let text = String::from_utf8_lossy(&body).into_owned();
    Ok(Response::new(status, headers, into(text)))
}

/// A documented error status with a `text/*` body.
pub(crate) fn text_error<E: fmt::Debug>(
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    into: impl FnOnce(String) -> E,
) -> Error<E> {
    let text = String::from_utf8_lossy(&body).into_owned();
    Error::Api(Box::new(Response::new(status, headers, into(text))))
}

/// Which of `media_types` (exact types first, then ranges such as `text/*` and `*/*`) the
/// response's `Content-Type` is; `None` without a match.
pub(crate) fn media_index(headers: &HeaderMap, media_types: &[&str]) -> Option<usize> {
    let content_type = headers.get(reqwest::header::CONTENT_TYPE)?.to_str().ok()?;
    let essence = content_type.split(';').next()?.trim().to_ascii_lowercase();
    let (kind, _) = essence.split_once('/')?;
    media_types.iter().position(|candidate| match candidate.split_once('/') {
        Some(("*", "*")) => true,
        Some((range, "*")) => range == kind,
        _ => *candidate == essence,
    })
}

/// A status the spec does not document.
pub(crate) fn unexpected<T, E: fmt::Debug>(
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
) -> Result<T, Error<E>> {
    Err(Error::UnexpectedStatus(Box::new(Response { status, headers, body: body.clone(), raw_body: body })))
}

/// Serializes a JSON request body.
pub(crate) fn to_json<T: serde::Serialize, E: fmt::Debug>(body: &T) -> Result<Vec<u8>, Error<E>> {
    serde_json::to_vec(body).map_err(|err| Error::InvalidRequest(format!("the body cannot be written as JSON: {err}")))
}

/// A file for a `multipart/form-data` part: its bytes, and optionally a file name and a
/// content type.
#[derive(Debug, Clone, PartialEq)]
pub struct Upload {
    pub bytes: Bytes,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
}

impl Upload {
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        Upload { bytes: bytes.into(), file_name: None, content_type: None }
    }

    pub fn with_file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The part, with the upload's content type, or else `default` (the Encoding Object's
    /// `contentType`, or `application/octet-stream`).
    pub(crate) fn into_part(self, default: &str) -> Result<reqwest::multipart::Part, String> {
        let length = self.bytes.len() as u64;
        let mut part = reqwest::multipart::Part::stream_with_length(self.bytes, length);
        if let Some(file_name) = self.file_name {
            part = part.file_name(file_name);
        }
        let content_type = self.content_type.as_deref().unwrap_or(default);
        part.mime_str(content_type).map_err(|e| format!("content type `{content_type}`: {e}"))
    }
}

thread_local! {
    /// Set while the test support writes a response body.
    static RESPONDING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether to leave out a `readOnly` property: always in requests (OpenAPI 3.0.3, Schema
/// Object), never in the responses the test support writes, and when it is unset.
pub(crate) fn read_only_skipped<T>(value: &Option<T>) -> bool {
    value.is_none() || !RESPONDING.with(std::cell::Cell::get)
}

/// Runs `write` as the writer of a response body: `readOnly` properties are written.
pub(crate) fn responding<T>(write: impl FnOnce() -> T) -> T {
    RESPONDING.with(|flag| flag.set(true));
    let written = write();
    RESPONDING.with(|flag| flag.set(false));
    written
}

/// `Option<Option<T>>` for a property that may be absent (outer `None`) or `null` (inner `None`).
pub(crate) mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(value: &Option<Option<T>>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}
