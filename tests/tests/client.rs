//! The generated `highlevel` client against a local mock server: the exact request it sends,
//! and how each documented and undocumented answer decodes.

use highlevel::{Client, Error, GetInstagramPageGroupError};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "test-token";

async fn server_answering(status: u16, body: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::new(TOKEN).with_base_url(server.uri())
}

async fn only_request(server: &MockServer) -> Request {
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "exactly one request");
    requests.into_iter().next().unwrap()
}

fn page_example() -> serde_json::Value {
    json!({
        "success": true,
        "statusCode": 200,
        "message": "Fetched Instagram Account",
        "results": {
            "accounts": [{
                "id": "idu37swmmLbA02zgqKPpxITe2",
                "name": "Insta account",
                "avatar": "avau37swmmLbA02zgqKPpxITe2",
                "pageId": "pidu37swmmLbA02zgqKPpxITe2",
                "isConnected": true
            }]
        }
    })
}

#[tokio::test]
async fn sends_the_documented_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(
            "/social-media-posting/oauth/loc1/instagram/accounts/acc1",
        ))
        .and(header("authorization", "Bearer test-token"))
        .and(header("version", "2021-07-28"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_example()))
        .expect(1)
        .mount(&server)
        .await;
    let response = client(&server)
        .get_instagram_page_group("loc1", "acc1")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(
        request.headers.get_all("version").iter().count(),
        1,
        "Version sent once"
    );
}

#[tokio::test]
async fn path_parameters_cannot_change_the_path() {
    let server = server_answering(200, page_example()).await;
    client(&server)
        .get_instagram_page_group("a/b?c#d", "../x y%")
        .send()
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        request.url.path(),
        "/social-media-posting/oauth/a%2Fb%3Fc%23d/instagram/accounts/..%2Fx%20y%25"
    );
    assert_eq!(request.url.query(), None);
    assert_eq!(request.url.fragment(), None);
}

#[tokio::test]
async fn dot_segments_are_refused_before_sending() {
    let server = server_answering(200, page_example()).await;
    for bad in ["..", ".", ""] {
        let err = client(&server)
            .get_instagram_page_group("loc", bad)
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::InvalidRequest(m) if m.contains("accountId")),
            "{bad:?}: {err:?}"
        );
    }
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing was sent"
    );
}

#[tokio::test]
async fn decodes_200_into_the_typed_body() {
    let server = server_answering(200, page_example()).await;
    let response = client(&server)
        .get_instagram_page_group("loc", "acc")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.success);
    assert_eq!(response.status_code, 200.0);
    assert_eq!(response.message, "Fetched Instagram Account");
    let accounts = response
        .results
        .as_ref()
        .unwrap()
        .accounts
        .as_ref()
        .unwrap();
    assert_eq!(accounts.len(), 1);
    assert_eq!(
        accounts[0].page_id.as_deref(),
        Some("pidu37swmmLbA02zgqKPpxITe2")
    );
    assert_eq!(accounts[0].is_connected, Some(true));
    // Round trip: the typed body serializes to JSON that decodes to the same value, with the
    // same keys as the page's example (`statusCode` is a `number`, so 200 comes back as 200.0).
    let body = response.into_body();
    let json = serde_json::to_value(&body).unwrap();
    assert_eq!(
        serde_json::from_value::<highlevel::GetInstagramAccountsResponseDto>(json.clone()).unwrap(),
        body
    );
    assert_eq!(json["statusCode"].as_f64(), Some(200.0));
    assert_eq!(json["results"], page_example()["results"]);
}

#[tokio::test]
async fn tolerates_unknown_fields_and_absent_optional_ones() {
    let body = json!({"success": false, "statusCode": 200, "message": "m", "newField": {"x": 1}});
    let server = server_answering(200, body).await;
    let response = client(&server)
        .get_instagram_page_group("loc", "acc")
        .send()
        .await
        .unwrap();
    assert_eq!(response.results, None);
    assert!(!response.success);
}

#[tokio::test]
async fn each_documented_error_status_decodes_into_its_own_type() {
    let server = server_answering(400, json!({"statusCode": 400, "message": "Bad Request"})).await;
    match client(&server)
        .get_instagram_page_group("l", "a")
        .send()
        .await
        .unwrap_err()
    {
        Error::Api(response) => {
            assert_eq!(response.status(), 400);
            let GetInstagramPageGroupError::BadRequest(body) = response.body() else {
                panic!("{response:?}")
            };
            assert_eq!(body.message.as_deref(), Some("Bad Request"));
        }
        other => panic!("{other:?}"),
    }

    let server = server_answering(401, json!({"statusCode": 401, "message": "Invalid token: access token is invalid", "error": "Unauthorized"})).await;
    match client(&server)
        .get_instagram_page_group("l", "a")
        .send()
        .await
        .unwrap_err()
    {
        Error::Api(response) => {
            let GetInstagramPageGroupError::Unauthorized(body) = response.body() else {
                panic!("{response:?}")
            };
            assert_eq!(body.error.as_deref(), Some("Unauthorized"));
            assert_eq!(body.status_code, Some(401.0));
        }
        other => panic!("{other:?}"),
    }

    let server = server_answering(422, json!({"statusCode": 422, "message": ["Unprocessable Entity"], "error": "Unprocessable Entity"})).await;
    match client(&server)
        .get_instagram_page_group("l", "a")
        .send()
        .await
        .unwrap_err()
    {
        Error::Api(response) => {
            let GetInstagramPageGroupError::UnprocessableEntity(body) = response.body() else {
                panic!("{response:?}")
            };
            assert_eq!(
                body.message.as_deref(),
                Some(&["Unprocessable Entity".to_owned()][..])
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_undocumented_status_keeps_status_and_raw_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500).set_body_string("upstream exploded"))
        .mount(&server)
        .await;
    let err = client(&server)
        .get_instagram_page_group("l", "a")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    match err {
        Error::UnexpectedStatus(response) => {
            assert_eq!(response.status(), 500);
            assert_eq!(&response.body()[..], b"upstream exploded");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_malformed_200_body_keeps_the_raw_body_and_the_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"success": "yes"}"#))
        .mount(&server)
        .await;
    match client(&server)
        .get_instagram_page_group("l", "a")
        .send()
        .await
        .unwrap_err()
    {
        Error::Decode {
            response,
            path,
            source,
        } => {
            assert_eq!(response.status(), 200);
            assert_eq!(&response.body()[..], br#"{"success": "yes"}"#);
            assert_eq!(path, "success");
            assert!(
                source.to_string().contains("expected a boolean"),
                "{source}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    // Bind a port, then free it, so nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::new(TOKEN).with_base_url(format!("http://127.0.0.1:{port}"));
    let err = client
        .get_instagram_page_group("l", "a")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn a_token_with_a_line_break_is_refused_and_never_printed() {
    let server = server_answering(200, page_example()).await;
    let client = Client::new("abc\r\nX-Injected: 1").with_base_url(server.uri());
    let err = client
        .get_instagram_page_group("l", "a")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
    let shown = format!("{client:?}");
    assert!(
        !shown.contains("abc") && shown.contains("redacted"),
        "{shown}"
    );
}

#[test]
fn the_default_base_url_is_the_spec_server() {
    assert_eq!(
        Client::new(TOKEN).base_url(),
        "https://services.leadconnectorhq.com"
    );
    assert_eq!(
        Client::new(TOKEN).with_base_url("http://x/").base_url(),
        "http://x"
    );
}

#[tokio::test]
async fn rate_limit_headers_are_typed_on_success_and_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/social-media-posting/oauth/l/instagram/accounts/ok"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(page_example())
                .insert_header("X-RateLimit-Max", "100")
                .insert_header("X-RateLimit-Remaining", "97")
                .insert_header("X-RateLimit-Interval-Milliseconds", "10000")
                .insert_header("X-RateLimit-Limit-Daily", "200000")
                .insert_header("X-RateLimit-Daily-Remaining", "199990"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({}))
                .insert_header("X-RateLimit-Remaining", "0"),
        )
        .mount(&server)
        .await;
    let response = client(&server)
        .get_instagram_page_group("l", "ok")
        .send()
        .await
        .unwrap();
    let limits = response.documented_headers();
    assert_eq!(limits.x_rate_limit_max, Some(100));
    assert_eq!(limits.x_rate_limit_remaining, Some(97));
    assert_eq!(limits.x_rate_limit_interval_milliseconds, Some(10_000));
    assert_eq!(limits.x_rate_limit_limit_daily, Some(200_000));
    assert_eq!(limits.x_rate_limit_daily_remaining, Some(199_990));

    let err = client(&server)
        .get_instagram_page_group("l", "other")
        .send()
        .await
        .unwrap_err();
    let limits = err.documented_headers().unwrap();
    assert_eq!(limits.x_rate_limit_remaining, Some(0));
    assert_eq!(limits.x_rate_limit_max, None, "absent when not sent");
}
