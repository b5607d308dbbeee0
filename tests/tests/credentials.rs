//! Every kind of security scheme on the wire, shown on `credentials` (generated from
//! `fixtures/credentials.yaml`) against a local mock server: each credential goes exactly where
//! the operation's `security` asks (OpenAPI 3.0.3, Security Scheme and Security Requirement
//! Objects), alternatives and combinations included, and never shows in `Debug`, errors or
//! `tracing` output.

mod capture;

use credentials::{Client, Error};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

/// What one request carried: `Authorization`, `X-API-Key`, `Cookie`, and the query.
#[derive(Debug, PartialEq)]
struct Sent {
    authorization: Option<String>,
    api_key: Option<String>,
    cookie: Option<String>,
    query: Option<String>,
}

fn sent(request: &Request) -> Sent {
    let header = |name: &str| {
        request
            .headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    Sent {
        authorization: header("authorization"),
        api_key: header("x-api-key"),
        cookie: header("cookie"),
        query: request.url.query().map(str::to_owned),
    }
}

const NOTHING: Sent = Sent {
    authorization: None,
    api_key: None,
    cookie: None,
    query: None,
};

async fn last(server: &MockServer) -> Sent {
    sent(server.received_requests().await.unwrap().last().unwrap())
}

/// A client holding a credential for every scheme.
fn all_set(server: &MockServer) -> Client {
    Client::new()
        .with_base_url(server.uri())
        .with_bearer_auth("bt-secret")
        .with_header_key("hk-secret")
        .with_query_key("qk-secret")
        .with_cookie_key("ck-secret")
        // RFC 7617, section 2's example.
        .with_basic_auth("Aladdin", "open sesame")
        .with_oauth("oa-secret")
        .with_oidc("oi-secret")
}

#[tokio::test]
async fn each_scheme_sends_its_credential_where_it_says() {
    let server = server().await;
    let client = all_set(&server);
    let bearer = |t: &str| Some(format!("Bearer {t}"));

    client.get_default().send().await.unwrap();
    assert_eq!(
        last(&server).await,
        Sent {
            authorization: bearer("bt-secret"),
            ..NOTHING
        },
        "the document's security"
    );

    client.get_header_key().send().await.unwrap();
    assert_eq!(
        last(&server).await,
        Sent {
            api_key: Some("hk-secret".into()),
            ..NOTHING
        }
    );

    // The key's name holds a space: percent-encoded as every query parameter's is.
    client.get_query_key().q("x y").send().await.unwrap();
    assert_eq!(
        last(&server).await,
        Sent {
            query: Some("q=x%20y&api%20key=qk-secret".into()),
            ..NOTHING
        }
    );

    client.get_cookie_key().theme("dark").send().await.unwrap();
    assert_eq!(
        last(&server).await,
        Sent {
            cookie: Some("theme=dark; session=ck-secret".into()),
            ..NOTHING
        }
    );

    client.get_basic().send().await.unwrap();
    assert_eq!(
        last(&server).await,
        Sent {
            authorization: Some("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==".into()),
            ..NOTHING
        },
        "RFC 7617, section 2"
    );

    client.get_oauth().send().await.unwrap();
    assert_eq!(
        last(&server).await,
        Sent {
            authorization: bearer("oa-secret"),
            ..NOTHING
        },
        "an OAuth 2.0 access token is a bearer token (RFC 6750)"
    );

    client.get_oidc().send().await.unwrap();
    assert_eq!(
        last(&server).await,
        Sent {
            authorization: bearer("oi-secret"),
            ..NOTHING
        }
    );

    client.get_public().send().await.unwrap();
    assert_eq!(last(&server).await, NOTHING, "security: [] sends nothing");
}

#[tokio::test]
async fn alternatives_send_the_first_the_client_can_satisfy_and_combinations_send_all() {
    let server = server().await;
    let base = Client::new().with_base_url(server.uri());

    // `[{headerKey}, {basicAuth}]`: the first alternative when the client has its key...
    all_set(&server).get_either().send().await.unwrap();
    assert_eq!(
        last(&server).await,
        Sent {
            api_key: Some("hk-secret".into()),
            ..NOTHING
        }
    );
    // ...else the next one it can satisfy.
    base.clone()
        .with_basic_auth("Aladdin", "open sesame")
        .get_either()
        .send()
        .await
        .unwrap();
    assert_eq!(
        last(&server).await,
        Sent {
            authorization: Some("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==".into()),
            ..NOTHING
        }
    );

    // `[{bearerAuth}, {headerKey}]`: a bearer scheme the client has no token for is not
    // satisfied, so the key goes; a request's own token satisfies it.
    let keyed = base.clone().with_header_key("hk-secret");
    keyed.get_bearer_or_key().send().await.unwrap();
    assert_eq!(
        last(&server).await,
        Sent {
            api_key: Some("hk-secret".into()),
            ..NOTHING
        }
    );
    keyed
        .get_bearer_or_key()
        .bearer_token("per-request")
        .send()
        .await
        .unwrap();
    assert_eq!(
        last(&server).await,
        Sent {
            authorization: Some("Bearer per-request".into()),
            ..NOTHING
        }
    );

    // `[{headerKey, queryKey}]`: both together...
    all_set(&server).get_both().send().await.unwrap();
    assert_eq!(
        last(&server).await,
        Sent {
            api_key: Some("hk-secret".into()),
            query: Some("api%20key=qk-secret".into()),
            ..NOTHING
        }
    );
    // ...or, with one of them missing, neither.
    base.clone()
        .with_header_key("hk-secret")
        .get_both()
        .send()
        .await
        .unwrap();
    assert_eq!(last(&server).await, NOTHING);

    // `[{}, {bearerAuth}]`: optional; the token when the client has one.
    base.get_optional().send().await.unwrap();
    assert_eq!(last(&server).await, NOTHING);
    all_set(&server).get_optional().send().await.unwrap();
    assert_eq!(
        last(&server).await,
        Sent {
            authorization: Some("Bearer bt-secret".into()),
            ..NOTHING
        }
    );

    // A request's own bearer token satisfies a bearer alternative and wins over the client's.
    base.get_default()
        .bearer_token("per-request")
        .send()
        .await
        .unwrap();
    all_set(&server)
        .get_oauth()
        .bearer_token("per-request")
        .send()
        .await
        .unwrap();
    let all = server.received_requests().await.unwrap();
    for request in &all[all.len() - 2..] {
        assert_eq!(
            sent(request),
            Sent {
                authorization: Some("Bearer per-request".into()),
                ..NOTHING
            }
        );
    }

    all_set(&server)
        .without_credentials()
        .get_default()
        .send()
        .await
        .unwrap();
    assert_eq!(last(&server).await, NOTHING);
}

#[tokio::test]
async fn credentials_a_request_cannot_carry_are_refused_before_sending() {
    let server = server().await;
    let base = Client::new().with_base_url(server.uri());
    let err = base
        .clone()
        .with_header_key("k\r\nX-Injected: 1")
        .get_header_key()
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("X-API-Key")),
        "{err:?}"
    );
    // RFC 7617, section 2: a user-id cannot hold a colon.
    let err = base
        .clone()
        .with_basic_auth("a:b", "p")
        .get_basic()
        .send()
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest(_)), "{err:?}");
    let err = base.with_oauth("t\n").get_oauth().send().await.unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest(_)), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn no_credential_shows_in_debug_errors_or_tracing() {
    let (captured, _guard) = capture::capture();

    let server = server().await;
    let client = all_set(&server);
    client.get_query_key().send().await.unwrap();
    client.get_header_key().send().await.unwrap();
    client.get_basic().send().await.unwrap();
    client.get_cookie_key().send().await.unwrap();
    let shown = format!("{client:?}");
    // A refused connection: reqwest's error names the URL, which holds the query key.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = client
        .clone()
        .with_base_url(format!("http://127.0.0.1:{port}"))
        .get_query_key()
        .send()
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Transport(_)), "{err:?}");
    let log = captured.text();
    // The log has what the client, reqwest and hyper say at every level (which of their
    // events arrive depends on the other tests of this file, that run at the same time).
    assert!(log.contains("127.0.0.1"), "{log}");
    for text in [&shown, &format!("{err} {err:?}"), &log] {
        for secret in [
            "bt-secret",
            "hk-secret",
            "qk-secret",
            "ck-secret",
            "open sesame",
            "QWxhZGRpbjpvcGVuIHNlc2FtZQ",
            "oa-secret",
            "oi-secret",
        ] {
            assert!(!text.contains(secret), "{secret} shows in: {text}");
        }
    }
    assert!(shown.contains("\"queryKey\": <redacted>"), "{shown}");
}
