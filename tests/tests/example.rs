//! The consumer example, `generated/examples/instagram_accounts.rs`: each failure is one clear
//! line on stderr and a non-zero exit.

use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn answering(status: u16, body: serde_json::Value, retry_after: Option<&str>) -> MockServer {
    let server = MockServer::start().await;
    let mut response = ResponseTemplate::new(status).set_body_json(body);
    if let Some(wait) = retry_after {
        response = response.insert_header("Retry-After", wait);
    }
    Mock::given(method("GET"))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

fn run(base_url: &str, token: Option<&str>) -> (i32, String) {
    let output = tests::run_example(
        &["--location", "l", "--account", "a", "--base-url", base_url],
        token,
    );
    let stderr = String::from_utf8_lossy(&output.stderr).trim().to_owned();
    (output.status.code().unwrap_or(-1), stderr)
}

#[tokio::test]
async fn failures_are_one_line_each_with_a_non_zero_exit() {
    let server = answering(
        401,
        serde_json::json!({"statusCode": 401, "message": "Invalid token: access token is invalid"}),
        None,
    )
    .await;
    let (code, stderr) = run(&server.uri(), Some("t"));
    assert_eq!(
        (code, stderr.as_str()),
        (
            1,
            "error: 401 Unauthorized: Invalid token: access token is invalid (check HIGHLEVEL_TOKEN)"
        )
    );

    let server = answering(422, serde_json::json!({"statusCode": 422, "message": ["locationId is invalid", "accountId is invalid"]}), None).await;
    let (code, stderr) = run(&server.uri(), Some("t"));
    assert_eq!(
        (code, stderr.as_str()),
        (
            1,
            "error: 422 Unprocessable Entity: locationId is invalid; accountId is invalid"
        )
    );

    // Retry-After beyond the example's retry budget: it gives up at once and says when to retry.
    let server = answering(429, serde_json::json!({}), Some("3600")).await;
    let (code, stderr) = run(&server.uri(), Some("t"));
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("error: 429 Too Many Requests") && stderr.ends_with("retry after 3600"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1);

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (code, stderr) = run(&format!("http://127.0.0.1:{port}"), Some("t"));
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        format!("error: cannot reach http://127.0.0.1:{port} (network failure)")
    );
}

#[test]
fn the_token_comes_only_from_the_environment() {
    let output = tests::run_example(&["--location", "l", "--account", "a"], None);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("HIGHLEVEL_TOKEN"));
    let output = tests::run_example(
        &["--token", "x", "--location", "l", "--account", "a"],
        Some("t"),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not from a flag"));
}
