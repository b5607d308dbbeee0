//! The runtime behaviour every generated client shares, shown on `client_behaviour` (generated
//! from `fixtures/client-behaviour.yaml`) against a local mock server: retries and their
//! limits, security per operation, parameters and bodies on the wire, timeouts, tracing.

mod capture;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use client_behaviour::{
    Client, CreateItemError, Error, GetItemError, Item, RetryPolicy, Upload, UploadMultipart,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn item() -> serde_json::Value {
    serde_json::json!({"name": "box", "kind": "large"})
}

fn client(server: &MockServer) -> Client {
    Client::new("user-secret").with_base_url(server.uri())
}

/// Retries with waits short enough for a test.
fn fast_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy::standard()
        .with_max_attempts(attempts)
        .with_backoff(Duration::from_millis(1), Duration::from_millis(5))
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

#[tokio::test]
async fn retries_are_off_by_default() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429))
        .mount(&server)
        .await;
    let err = client(&server).get_item("a").send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn a_429_is_retried_after_retry_after_seconds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(item()))
        .mount(&server)
        .await;
    let started = Instant::now();
    let response = client(&server)
        .with_retry(fast_retries(3))
        .get_item("a")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.name, "box");
    assert_eq!(requests(&server).await.len(), 2);
    // The backoff is at most 5 ms: waiting a second is the server's Retry-After.
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let server = MockServer::start().await;
    let at = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(2));
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", at.as_str()))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(item()))
        .mount(&server)
        .await;
    let started = Instant::now();
    client(&server)
        .with_retry(fast_retries(3))
        .get_item("a")
        .send()
        .await
        .unwrap();
    assert_eq!(requests(&server).await.len(), 2);
    // The date has whole seconds, so the wait is between one and two seconds.
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_503_is_retried_for_get_but_not_for_post() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = client(&server).with_retry(fast_retries(3));

    let err = client.get_item("a").send().await.unwrap_err();
    assert!(
        matches!(&err, Error::Api(r) if matches!(r.body(), GetItemError::ServiceUnavailable)),
        "{err:?}"
    );
    let body: Item = serde_json::from_value(item()).unwrap();
    let err = client.create_item(body.clone()).send().await.unwrap_err();
    assert!(
        matches!(&err, Error::UnexpectedStatus(r) if r.status() == 503),
        "{err:?}"
    );

    let all = requests(&server).await;
    assert_eq!(
        all.iter().filter(|r| r.method.as_str() == "GET").count(),
        3,
        "GET tried max_attempts times"
    );
    assert_eq!(
        all.iter().filter(|r| r.method.as_str() == "POST").count(),
        1,
        "POST never repeated"
    );
    assert!(!RetryPolicy::is_retryable(
        &reqwest::Method::POST,
        Some(reqwest::StatusCode::SERVICE_UNAVAILABLE)
    ));
    assert!(RetryPolicy::is_retryable(
        &reqwest::Method::POST,
        Some(reqwest::StatusCode::TOO_MANY_REQUESTS)
    ));
    assert!(
        RetryPolicy::is_retryable(&reqwest::Method::POST, None),
        "a failure to connect sent nothing"
    );
    assert!(!RetryPolicy::is_retryable(
        &reqwest::Method::GET,
        Some(reqwest::StatusCode::BAD_REQUEST)
    ));
}

#[tokio::test]
async fn retries_stop_at_the_attempt_cap_and_the_time_cap() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429))
        .mount(&server)
        .await;
    let err = client(&server)
        .with_retry(fast_retries(4))
        .get_item("a")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(requests(&server).await.len(), 4);

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "30"))
        .mount(&server)
        .await;
    let policy = fast_retries(4).with_max_elapsed(Duration::from_millis(500));
    let started = Instant::now();
    let err = client(&server)
        .with_retry(policy)
        .get_item("a")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(
        requests(&server).await.len(),
        1,
        "a wait past the time cap is not started"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn status_and_headers_come_with_success_and_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Request-Id", "r1")
                .set_body_json(item()),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(418).insert_header("X-Request-Id", "r2"))
        .mount(&server)
        .await;
    let response = client(&server).get_item("a").send().await.unwrap();
    assert_eq!(response.headers()["x-request-id"], "r1");
    let body: Item = serde_json::from_value(item()).unwrap();
    let err = client(&server)
        .create_item(body.clone())
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(418));
    assert_eq!(err.headers().unwrap()["x-request-id"], "r2");
    let _: Option<CreateItemError> = None;
}

#[tokio::test]
async fn each_operation_sends_the_token_its_security_asks_for() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items/a"))
        .respond_with(ResponseTemplate::new(200).set_body_json(item()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::new("shared").with_base_url(server.uri());
    client.health().send().await.unwrap();
    client.get_item("a").send().await.unwrap();
    client
        .clone()
        .with_admin_token("admin-only")
        .get_admin()
        .send()
        .await
        .unwrap();
    client
        .clone()
        .with_user_token("user-only")
        .get_admin()
        .send()
        .await
        .unwrap();

    let auth: Vec<Option<String>> = requests(&server)
        .await
        .iter()
        .map(|r| {
            r.headers
                .get("authorization")
                .map(|v| v.to_str().unwrap().to_owned())
        })
        .collect();
    assert_eq!(
        auth,
        [
            None,
            Some("Bearer shared".into()),
            Some("Bearer admin-only".into()),
            Some("Bearer shared".into())
        ],
        "security: [] sends nothing; the first alternative with a token wins"
    );
}

#[tokio::test]
async fn query_arrays_headers_and_bodies_go_on_the_wire_as_the_spec_says() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(item()))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/upload"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/login"))
        .respond_with(ResponseTemplate::new(200).set_body_string("tok"))
        .mount(&server)
        .await;
    let client = client(&server);
    client
        .get_item("a b")
        .tag(vec!["x".to_owned(), "y".to_owned()])
        .ids(vec![1, 2, 3])
        .x_trace("trace-1")
        .send()
        .await
        .unwrap();
    let upload = UploadMultipart {
        file: Upload::new(&b"PNGDATA"[..])
            .with_file_name("a.png")
            .with_content_type("image/png"),
        caption: Some("hi".into()),
    };
    client.upload(upload).send().await.unwrap();
    let token = client
        .login(client_behaviour::LoginForm {
            user: "me & you".into(),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(token.body(), "tok");

    let all = requests(&server).await;
    assert_eq!(all[0].url.path(), "/items/a%20b");
    // OpenAPI 3.0.3, Style Examples: `form`, exploded and not.
    assert_eq!(all[0].url.query(), Some("tag=x&tag=y&ids=1,2,3"));
    assert_eq!(all[0].headers["x-trace"], "trace-1");

    let content_type = all[1].headers["content-type"].to_str().unwrap();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let body = String::from_utf8_lossy(&all[1].body);
    assert!(
        body.contains("name=\"file\"; filename=\"a.png\"")
            && body.contains("PNGDATA")
            && body.contains("image/png"),
        "{body}"
    );
    assert!(
        body.contains("name=\"caption\"") && body.contains("hi"),
        "{body}"
    );

    assert_eq!(
        all[2].headers["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert_eq!(all[2].body, b"user=me+%26+you");
    assert!(
        all[2].headers.get("authorization").is_none(),
        "login has security: []"
    );
}

#[tokio::test]
async fn a_header_value_with_a_line_break_is_refused_before_sending() {
    let server = MockServer::start().await;
    let err = client(&server)
        .get_item("a")
        .x_trace("x\r\nInjected: 1")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("X-Trace")),
        "{err:?}"
    );
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn the_timeout_bounds_each_attempt_and_the_user_agent_names_the_crate() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(item())
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    let started = Instant::now();
    let err = client(&server)
        .with_timeout(Some(Duration::from_millis(200)))
        .get_item("a")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport(e) if e.is_timeout()),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
    let agent = requests(&server).await[0].headers["user-agent"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(agent, "client_behaviour/0.1.0");
    assert_eq!(Client::DEFAULT_TIMEOUT, Duration::from_secs(30));
}

#[tokio::test]
async fn each_call_has_a_span_that_never_shows_the_token_or_the_path_values() {
    let (captured, _guard) = capture::capture();

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(item()))
        .mount(&server)
        .await;
    client(&server)
        .with_retry(fast_retries(2))
        .get_item("secret-id-42")
        .send()
        .await
        .unwrap();

    let log = captured.text();
    assert!(log.contains("operation=\"getItem\""), "{log}");
    assert!(log.contains("method=GET"), "{log}");
    assert!(log.contains("path=\"/items/{id}\""), "{log}");
    assert!(
        log.contains("status=200") && log.contains("attempt=2"),
        "{log}"
    );
    assert!(log.contains("retrying after 503"), "{log}");
    assert!(!log.contains("secret-id-42"), "a path value leaked: {log}");
    assert!(!log.contains("user-secret"), "the token leaked: {log}");
}

#[test]
fn debug_output_redacts_every_token() {
    let client = Client::new("user-secret").with_admin_token("admin-secret");
    let shown = format!("{client:?}");
    assert!(!shown.contains("secret"), "{shown}");
    assert!(
        shown.contains("<redacted>") && shown.contains("base_url"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_refused_connection_is_retried_then_reported() {
    let (captured, _guard) = capture::capture();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::new("t")
        .with_base_url(format!("http://127.0.0.1:{port}"))
        .with_retry(fast_retries(3));
    let err = client.health().send().await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(e) if e.is_connect()),
        "{err:?}"
    );
    let log = captured.text();
    assert_eq!(
        log.matches("retrying after a connection failure").count(),
        2,
        "{log}"
    );
}

/// A token source that counts what it is asked: its token is stale until it is refreshed.
#[derive(Default)]
struct Counts {
    current: Mutex<Option<String>>,
    asked: std::sync::atomic::AtomicUsize,
    refreshed: std::sync::atomic::AtomicUsize,
}

struct Rotating(Arc<Counts>);

impl client_behaviour::TokenSource for Rotating {
    async fn token(&self) -> Result<String, client_behaviour::TokenError> {
        self.0
            .asked
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let current = self.0.current.lock().unwrap().clone();
        Ok(current.unwrap_or_else(|| "stale".to_owned()))
    }

    async fn refresh(&self) -> Result<String, client_behaviour::TokenError> {
        let n = self
            .0
            .refreshed
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        // A slow token endpoint: calls that fail meanwhile must wait for this refresh.
        tokio::time::sleep(Duration::from_millis(100)).await;
        let fresh = format!("fresh-{}", n + 1);
        *self.0.current.lock().unwrap() = Some(fresh.clone());
        Ok(fresh)
    }
}

/// 200 for `Bearer fresh-1`, 401 for anything else.
async fn refusing_stale_tokens() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::header(
            "authorization",
            "Bearer fresh-1",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(item()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_401_refreshes_the_token_once_for_many_concurrent_calls() {
    let server = refusing_stale_tokens().await;
    let counts = Arc::new(Counts::default());
    let client = Client::with_token_source(Rotating(counts.clone())).with_base_url(server.uri());
    let calls: Vec<_> = (0..32)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move { client.get_item(format!("item-{i}")).send().await })
        })
        .collect();
    for call in calls {
        let response = call.await.unwrap().unwrap();
        assert_eq!(response.name, "box");
    }
    let ordering = std::sync::atomic::Ordering::SeqCst;
    assert_eq!(counts.refreshed.load(ordering), 1, "one refresh for all");
    assert_eq!(counts.asked.load(ordering), 32, "asked before each call");
    let all = requests(&server).await;
    let stale = all
        .iter()
        .filter(|r| r.headers["authorization"] == "Bearer stale")
        .count();
    assert!(stale >= 1, "no call met the stale token");
    assert_eq!(all.len(), 32 + stale, "each refused call is sent once more");

    // A later call asks the source, which now gives the fresh token: no 401, no refresh.
    client.get_item("later").send().await.unwrap();
    assert_eq!(counts.refreshed.load(ordering), 1);
    assert_eq!(requests(&server).await.len(), 33 + stale);
    assert!(!format!("{client:?}").contains("fresh"), "{client:?}");
}

#[tokio::test]
async fn a_refreshed_token_that_is_refused_too_ends_the_call() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let counts = Arc::new(Counts::default());
    let client = Client::with_token_source(Rotating(counts.clone())).with_base_url(server.uri());
    let err = client.get_item("a").send().await.unwrap_err();
    assert!(
        matches!(&err, Error::UnexpectedStatus(r) if r.status() == 401),
        "{err:?}"
    );
    let ordering = std::sync::atomic::Ordering::SeqCst;
    assert_eq!(counts.refreshed.load(ordering), 1);
    let auth: Vec<_> = requests(&server)
        .await
        .iter()
        .map(|r| r.headers["authorization"].to_str().unwrap().to_owned())
        .collect();
    assert_eq!(auth, ["Bearer stale", "Bearer fresh-1"]);

    // A fixed token is not refreshed: one request, the 401 returned.
    let fixed = Client::new("fixed").with_base_url(server.uri());
    let err = fixed.get_item("a").send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(requests(&server).await.len(), 3);
}

struct Failing;

impl client_behaviour::TokenSource for Failing {
    async fn token(&self) -> Result<String, client_behaviour::TokenError> {
        Err(client_behaviour::TokenError::new(
            "the refresh token expired",
        ))
    }
}

#[tokio::test]
async fn a_token_source_that_fails_sends_nothing() {
    let server = MockServer::start().await;
    let client = Client::with_token_source(Failing).with_base_url(server.uri());
    let err = client.get_item("a").send().await.unwrap_err();
    assert!(matches!(&err, Error::TokenSource(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "the token source gave no token: the refresh token expired"
    );
    // The source's own error is kept: the `TokenError` is the error's source, and the error
    // given to `TokenError::new` is its source in turn; `Debug` shows it.
    let token_error = std::error::Error::source(&err).expect("a TokenError");
    assert_eq!(token_error.to_string(), "the refresh token expired");
    let cause = std::error::Error::source(token_error).expect("the source's own error");
    assert_eq!(cause.to_string(), "the refresh token expired");
    assert_eq!(
        format!("{err:?}"),
        "TokenSource(\"the refresh token expired\")"
    );
    assert!(requests(&server).await.is_empty());
    // An operation with `security: []` does not ask it.
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    client.health().send().await.unwrap();
}

#[tokio::test]
async fn a_builder_sends_every_kind_of_parameter_and_a_constructed_body() {
    use client_behaviour::{Draft, Settings};
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "id": 7, "title": "t", "tags": [], "parent": null
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server);

    // Required values only: the constructor takes the properties the request requires
    // (`id` is readOnly, so not among them; `password` is writeOnly and required).
    let draft = Draft::new("pw", "Title", vec!["a".to_owned()], None);
    let stored = client
        .put_draft(7, "v1", "req-1", "s1", draft)
        .send()
        .await
        .unwrap();
    assert_eq!(stored.id, Some(7), "readOnly comes back in the response");
    // Everything: the optional parameters by name, the body's optional properties by setter.
    let parent = Draft::new("pw0", "Parent", Vec::<String>::new(), None);
    let draft = Draft::new("pw", "Title", vec!["a".to_owned()], parent)
        .note("n")
        .with_new("named like new")
        .with_next(Draft::new("pw2", "Next", vec![], None))
        .settings(Settings::default().color("red"))
        .extra([("k".to_owned(), "v".to_owned())]);
    client
        .put_draft(7, "v1", "req-1", "s1", draft)
        .limit(10)
        .x_dry_run(true)
        .theme("dark")
        .send()
        .await
        .unwrap();
    client.post_settings().send().await.unwrap();
    client
        .post_settings()
        .body(Settings::default().volume(3))
        .send()
        .await
        .unwrap();

    let all = requests(&server).await;
    let [bare, full, no_body, with_body] = all.as_slice() else {
        panic!("{all:?}");
    };
    assert_eq!(bare.url.path(), "/drafts/7");
    assert_eq!(bare.url.query(), Some("version=v1"));
    assert_eq!(bare.headers["x-request-id"], "req-1");
    assert!(bare.headers.get("x-dry-run").is_none());
    assert_eq!(bare.headers["cookie"], "session=s1");
    let body = |r: &Request| serde_json::from_slice::<serde_json::Value>(&r.body).unwrap();
    assert_eq!(
        body(bare),
        serde_json::json!({"password": "pw", "title": "Title", "tags": ["a"], "parent": null})
    );
    assert_eq!(full.url.query(), Some("version=v1&limit=10"));
    assert_eq!(full.headers["x-dry-run"], "true");
    assert_eq!(full.headers["cookie"], "session=s1; theme=dark");
    assert_eq!(
        body(full),
        serde_json::json!({
            "password": "pw", "title": "Title", "tags": ["a"],
            "parent": {"password": "pw0", "title": "Parent", "tags": [], "parent": null},
            "note": "n", "new": "named like new",
            "next": {"password": "pw2", "title": "Next", "tags": [], "parent": null},
            "settings": {"color": "red"}, "extra": {"k": "v"}
        })
    );
    assert!(no_body.body.is_empty() && no_body.headers.get("content-type").is_none());
    assert_eq!(body(with_body), serde_json::json!({"volume": 3}));

    // Types used only in responses have no constructor or setters.
    let constructors = include_str!("../client-behaviour/src/constructors.rs");
    for response_only in ["Zoo", "Problem", "Cat", "Toy"] {
        assert!(
            !constructors.contains(&format!("crate::types::{response_only} ")),
            "{response_only}"
        );
    }
}

#[tokio::test]
async fn per_request_options_override_the_clients_settings() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items/slow"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(item())
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/items/flaky"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(item()))
        .mount(&server)
        .await;
    // The client: a long timeout, no retries, a token.
    let client = client(&server).with_timeout(Some(Duration::from_secs(20)));

    let started = Instant::now();
    let err = client
        .get_item("slow")
        .timeout(Duration::from_millis(200))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport(e) if e.is_timeout()),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));

    client
        .get_item("flaky")
        .retry(fast_retries(3))
        .send()
        .await
        .unwrap_err();
    client.get_item("flaky").send().await.unwrap_err();

    client
        .get_item("a")
        .header("X-Extra", "1")
        .bearer_token("for-this-call")
        .send()
        .await
        .unwrap();
    client.get_item("a").send().await.unwrap();

    let all = requests(&server).await;
    let flaky = all
        .iter()
        .filter(|r| r.url.path() == "/items/flaky")
        .count();
    assert_eq!(
        flaky,
        3 + 1,
        "3 attempts with the request's policy, 1 with the client's"
    );
    let [.., overridden, plain] = all.as_slice() else {
        panic!("{all:?}");
    };
    assert_eq!(overridden.headers["x-extra"], "1");
    assert_eq!(overridden.headers["authorization"], "Bearer for-this-call");
    assert!(plain.headers.get("x-extra").is_none());
    assert_eq!(plain.headers["authorization"], "Bearer user-secret");

    let err = client
        .get_item("a")
        .header("X-Extra", "1\r\nInjected: 1")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest(_)), "{err:?}");
    assert_eq!(requests(&server).await.len(), all.len());
}

/// The retry policies as their docs give them: `standard` is "up to 4 attempts, backoff from
/// 500 ms up to 30 s, at most 2 minutes in all", `none` sends each call once and is the
/// default, and each `with_` setter changes its own field and keeps the others.
#[test]
fn retry_policies_are_what_their_docs_say() {
    let standard = RetryPolicy {
        max_attempts: 4,
        initial_backoff: Duration::from_millis(500),
        max_backoff: Duration::from_secs(30),
        max_elapsed: Duration::from_secs(120),
    };
    assert_eq!(RetryPolicy::standard(), standard);
    assert_eq!(
        RetryPolicy::none(),
        RetryPolicy {
            max_attempts: 1,
            ..standard.clone()
        }
    );
    assert_eq!(RetryPolicy::default(), RetryPolicy::none());
    let policy = RetryPolicy::standard()
        .with_max_attempts(7)
        .with_backoff(Duration::from_millis(2), Duration::from_millis(9))
        .with_max_elapsed(Duration::from_secs(5));
    assert_eq!(
        policy,
        RetryPolicy {
            max_attempts: 7,
            initial_backoff: Duration::from_millis(2),
            max_backoff: Duration::from_millis(9),
            max_elapsed: Duration::from_secs(5),
        }
    );
    // "1 means no retry": fewer attempts than one are one; the longest backoff is never
    // shorter than the first.
    assert_eq!(RetryPolicy::standard().with_max_attempts(0).max_attempts, 1);
    let policy =
        RetryPolicy::standard().with_backoff(Duration::from_secs(2), Duration::from_secs(1));
    assert_eq!(policy.max_backoff, Duration::from_secs(2));
}

/// OpenAPI 3.0.3, Schema Object, `readOnly`: the property "SHOULD NOT be sent as part of the
/// request"; a response carries it. `Draft.id` is `readOnly`: left out of a request body even
/// when set, and written by the test support's server, so the client reads it back.
#[tokio::test]
async fn a_read_only_property_is_left_out_of_requests_and_kept_in_responses() {
    use client_behaviour::Draft;
    let server = client_behaviour::mock::MockServer::start().await;
    let mut stored = Draft::new("pw", "Title", Vec::<String>::new(), None);
    stored.id = Some(7);
    server.put_draft().responds(stored).await;
    let mut draft = Draft::new("pw", "Title", Vec::<String>::new(), None);
    draft.id = Some(7);
    let response = server
        .client()
        .put_draft(7, "v1", "req-1", "s1", draft)
        .send()
        .await
        .unwrap();
    assert_eq!(response.id, Some(7));
    let answered: serde_json::Value = serde_json::from_slice(response.raw_body()).unwrap();
    assert_eq!(answered["id"], 7, "{answered}");
    let sent = server.received_requests().await;
    let sent: serde_json::Value = serde_json::from_slice(&sent[0].body).unwrap();
    assert_eq!(
        sent,
        serde_json::json!({"password": "pw", "title": "Title", "tags": [], "parent": null})
    );
}

/// `Debug` of a request shows the names of the headers it adds, never their values (they
/// may be credentials); `Debug` of a response shows its status and body, and its raw bytes
/// by their count.
#[tokio::test]
async fn debug_output_of_requests_and_responses() {
    let server = MockServer::start().await;
    let sent = serde_json::to_vec(&item()).unwrap();
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(sent.clone(), "application/json"))
        .mount(&server)
        .await;
    let client = client(&server);
    let request = client.get_item("a").header("X-Api-Secret", "hunter2");
    let shown = format!("{request:?}");
    assert!(
        shown.contains("X-Api-Secret") && !shown.contains("hunter2"),
        "{shown}"
    );
    // A request's own bearer token shows as redacted.
    let with_token = format!("{:?}", request.clone().bearer_token("hunter3"));
    assert!(
        with_token.contains("bearer: Some(<redacted>)") && !with_token.contains("hunter3"),
        "{with_token}"
    );
    let response = request.send().await.unwrap();
    let shown = format!("{response:?}");
    assert!(
        shown.contains("200") && shown.contains("\"box\""),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("<{} bytes>", sent.len())),
        "{shown}"
    );
}

/// A transport error of a call with no credential in its URL keeps the URL, so it says
/// where the call went (one with an API key in the query drops it: the README's "Auth").
#[tokio::test]
async fn a_transport_error_names_the_url_when_no_key_is_in_it() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = Client::new("t")
        .with_base_url(format!("http://127.0.0.1:{port}"))
        .health()
        .send()
        .await
        .unwrap_err();
    let Error::Transport(err) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(
        err.url().map(|u| u.as_str().to_owned()),
        Some(format!("http://127.0.0.1:{port}/health"))
    );
}
