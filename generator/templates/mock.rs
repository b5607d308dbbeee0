//! Test support (the `mock` feature): a local mock server that answers this crate's
//! operations with typed values, so your own tests need no network and no hand-written URLs
//! or JSON. Built on [`wiremock`].
//!
//! ```ignore
//! let server = MockServer::start().await;
//! server.get_pet().responds(Pet::new("Rex")).await;
//! server.delete_pet().fails(DeletePetError::NotFound(problem)).await;
//! let client = server.client(); // a `Client` that sends its requests to the server
//! ```
//!
//! Each operation's method on [`MockServer`] (named as on `Client`) sets up how the server
//! answers that operation's method and path, whatever the parameters' values: a success
//! value is sent with the operation's documented success status, a documented error with
//! its own status (a `4XX` range as 400, `5XX` and `default` as 500), each body as the
//! client reads it (JSON, text or bytes, with its `Content-Type`). A request that matches
//! no operation set up gets a `404`.
//!
//! The same for every spec; the generator copies it into each crate it writes.
#![allow(dead_code)]

use bytes::Bytes;

/// A local HTTP server answering this crate's operations. Drop it at the end of the test:
/// expectations set with [`OperationMock::expect`] are checked then.
pub struct MockServer {
    server: wiremock::MockServer,
    /// The path every operation's path follows (the server URL's own path).
    prefix: String,
}

impl MockServer {
    /// Starts a server on a free port of `127.0.0.1`.
    pub async fn start() -> Self {
        let server = wiremock::MockServer::start().await;
        let mut mock = MockServer { server, prefix: String::new() };
        let base = mock.client().base_url().to_owned();
        mock.prefix = reqwest::Url::parse(&base).map(|url| url.path().trim_end_matches('/').to_owned()).unwrap_or_default();
        mock
    }

    /// The server's base URL (`http://127.0.0.1:PORT`).
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// A client that sends its requests to this server (with a placeholder credential where
    /// `Client::new` needs one). Configure it further as any other.
    pub fn client(&self) -> crate::Client {
        crate::mock_operations::mock_client(&self.server.uri())
    }

    /// The requests the server received, in order, to assert on what your code sent.
    pub async fn received_requests(&self) -> Vec<wiremock::Request> {
        self.server.received_requests().await.unwrap_or_default()
    }

    /// The underlying `wiremock` server, to mount answers of your own.
    pub fn wiremock(&self) -> &wiremock::MockServer {
        &self.server
    }
}

/// A part of an operation's path template.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Piece {
    Literal(&'static str),
    /// A path parameter: a non-empty part of one segment.
    Param,
}

/// Matches a request whose path follows an operation's path template.
struct PathTemplate {
    prefix: String,
    pieces: &'static [Piece],
}

impl wiremock::Match for PathTemplate {
    fn matches(&self, request: &wiremock::Request) -> bool {
        let Some(mut rest) = request.url.path().strip_prefix(self.prefix.as_str()) else {
            return false;
        };
        let mut pieces = self.pieces.iter().peekable();
        while let Some(piece) = pieces.next() {
            match piece {
                Piece::Literal(text) => match rest.strip_prefix(text) {
                    Some(after) => rest = after,
                    None => return false,
                },
                Piece::Param => {
                    let segment = rest.find('/').unwrap_or(rest.len());
                    // The value ends where the next literal starts, within its segment.
                    let end = match pieces.peek() {
                        Some(Piece::Literal(next)) if !next.starts_with('/') => {
                            match rest.get(..segment).and_then(|s| s.find(next)) {
                                Some(end) => end,
                                None => return false,
                            }
                        }
                        _ => segment,
                    };
                    if end == 0 {
                        return false;
                    }
                    rest = rest.get(end..).unwrap_or_default();
                }
            }
        }
        rest.is_empty()
    }
}

/// A response as the server sends it.
pub(crate) struct Reply {
    status: u16,
    content_type: Option<String>,
    body: Bytes,
}

impl Reply {
    pub(crate) fn empty(status: u16) -> Self {
        Reply { status, content_type: None, body: Bytes::new() }
    }

    /// A JSON body, with the `readOnly` properties a request would leave out.
    pub(crate) fn json(status: u16, content_type: &str, value: &impl serde::Serialize) -> Self {
        let body = crate::runtime::responding(|| serde_json::to_vec(value))
            .unwrap_or_else(|err| panic!("the mock's answer cannot be written as JSON: {err}"));
        Reply { status, content_type: Some(content_type.to_owned()), body: body.into() }
    }

    pub(crate) fn text(status: u16, content_type: &str, text: String) -> Self {
        Reply { status, content_type: Some(content_type.to_owned()), body: text.into() }
    }

    pub(crate) fn bytes(status: u16, content_type: &str, bytes: Bytes) -> Self {
        Reply { status, content_type: Some(content_type.to_owned()), body: bytes }
    }

    fn template(self) -> wiremock::ResponseTemplate {
        let template = wiremock::ResponseTemplate::new(self.status);
        match self.content_type {
            Some(content_type) => template.set_body_raw(self.body.to_vec(), &content_type),
            None => template,
        }
    }
}

/// How one operation answers, being set up: finish with [`responds`](Self::responds) or
/// [`fails`](Self::fails).
#[must_use = "an answer is set up only when `.responds(value)` or `.fails(error)` is awaited"]
pub struct OperationMock<'a, T, E> {
    server: &'a MockServer,
    method: &'static str,
    pieces: &'static [Piece],
    success: fn(T) -> Reply,
    error: fn(E) -> Reply,
    matchers: Vec<Box<dyn wiremock::Match>>,
    expected: Option<u64>,
    times: Option<u64>,
}

impl<'a, T, E> OperationMock<'a, T, E> {
    pub(crate) fn new(
        server: &'a MockServer,
        method: &'static str,
        pieces: &'static [Piece],
        success: fn(T) -> Reply,
        error: fn(E) -> Reply,
    ) -> Self {
        OperationMock { server, method, pieces, success, error, matchers: Vec::new(), expected: None, times: None }
    }

    /// Answers only requests that `matcher` also accepts (any `wiremock` matcher, such as
    /// `wiremock::matchers::query_param("limit", "10")`); the first answer set up that
    /// matches a request is sent.
    pub fn and(mut self, matcher: impl wiremock::Match + 'static) -> Self {
        self.matchers.push(Box::new(matcher));
        self
    }

    /// Fails the test (when the server is dropped) unless the operation is called exactly
    /// `calls` times.
    pub fn expect(mut self, calls: u64) -> Self {
        self.expected = Some(calls);
        self
    }

    /// Answers only the first `calls` requests; later ones fall through to what was set up
    /// before, or a `404`.
    pub fn times(mut self, calls: u64) -> Self {
        self.times = Some(calls);
        self
    }

    /// Answers with `value`, the operation's success body, under its documented status.
    pub async fn responds(self, value: T) {
        let reply = (self.success)(value);
        self.mount(reply).await;
    }

    /// Answers with `error`, one of the operation's documented error statuses and its body.
    pub async fn fails(self, error: E) {
        let reply = (self.error)(error);
        self.mount(reply).await;
    }

    async fn mount(self, reply: Reply) {
        let params = self.pieces.iter().filter(|p| matches!(p, Piece::Param)).count();
        let path = PathTemplate { prefix: self.server.prefix.clone(), pieces: self.pieces };
        let mut builder = wiremock::Mock::given(wiremock::matchers::method(self.method)).and(path);
        for matcher in self.matchers {
            builder = builder.and(Boxed(matcher));
        }
        // A path with fewer parameters is more specific: `/pets/mine` before `/pets/{id}`.
        let priority = u8::try_from(params + 1).unwrap_or(u8::MAX);
        let mut mock = builder.respond_with(reply.template()).with_priority(priority);
        if let Some(calls) = self.expected {
            mock = mock.expect(calls);
        }
        if let Some(calls) = self.times {
            mock = mock.up_to_n_times(calls);
        }
        mock.mount(&self.server.server).await;
    }
}

struct Boxed(Box<dyn wiremock::Match>);

impl wiremock::Match for Boxed {
    fn matches(&self, request: &wiremock::Request) -> bool {
        self.0.matches(request)
    }
}
