//! How a generated client reports a body that does not match its documented type, and the
//! raw bytes every response keeps, against a local mock server.
//!
//! `Error::Decode` names the value that failed by its path into the body, then says what was
//! expected and found (serde's words): `results.accounts[3].isConnected: invalid type: string
//! "yes", expected a boolean`. Shown on `highlevel` (nested objects and arrays, success and
//! error bodies) and on `client_behaviour`'s `getZoo`, whose body holds the shapes serde
//! decodes by buffering: an untagged union, a discriminated union (decoded by a hand-written
//! `Deserialize`) and a struct with `additionalProperties` (`#[serde(flatten)]`).

use bytes::Bytes;
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server answering every request with `status` and exactly `body`.
async fn answering(status: u16, body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(status)
                .insert_header("content-type", "application/json")
                .set_body_string(body),
        )
        .mount(&server)
        .await;
    server
}

fn accounts(is_connected_of_the_fourth: serde_json::Value) -> String {
    let account = |id: &str, connected: serde_json::Value| json!({"id": id, "name": "n", "pageId": "p", "isConnected": connected});
    json!({
        "success": true,
        "statusCode": 200,
        "message": "Fetched Instagram Account",
        "results": {"accounts": [
            account("a0", json!(true)),
            account("a1", json!(false)),
            account("a2", json!(true)),
            account("a3", is_connected_of_the_fourth),
        ]}
    })
    .to_string()
}

async fn highlevel_error(
    status: u16,
    body: &str,
) -> highlevel::Error<highlevel::GetInstagramPageGroupError> {
    let server = answering(status, body).await;
    highlevel::Client::new("t")
        .with_base_url(server.uri())
        .get_instagram_page_group("l", "a")
        .await
        .unwrap_err()
}

/// The path and message of a decode error, and its status.
fn decode_parts<E: std::fmt::Debug>(err: &highlevel::Error<E>) -> (u16, String, String) {
    match err {
        highlevel::Error::Decode { response, path, .. } => {
            let shown = err.to_string();
            let (_, message) = shown
                .split_once("does not match its documented type: ")
                .unwrap();
            (response.status().as_u16(), path.clone(), message.to_owned())
        }
        other => panic!("not a decode error: {other:?}"),
    }
}

#[tokio::test]
async fn a_value_in_an_array_in_an_object_is_named_by_its_path() {
    let err = highlevel_error(200, &accounts(json!("yes"))).await;
    assert_eq!(
        decode_parts(&err),
        (
            200,
            "results.accounts[3].isConnected".to_owned(),
            r#"results.accounts[3].isConnected: invalid type: string "yes", expected a boolean"#
                .to_owned()
        )
    );
    assert_eq!(
        err.to_string(),
        r#"the body of a 200 OK response does not match its documented type: results.accounts[3].isConnected: invalid type: string "yes", expected a boolean"#
    );
}

#[tokio::test]
async fn a_missing_required_field_is_named_with_the_object_that_lacks_it() {
    let err = highlevel_error(200, r#"{"success": true, "statusCode": 200}"#).await;
    assert_eq!(
        decode_parts(&err).2,
        "missing field `message` at line 1 column 36"
    );
    let err = highlevel_error(
        200,
        r#"{"success": true, "statusCode": 200, "message": "m", "results": {"accounts": {"id": "x"}}}"#,
    )
    .await;
    assert_eq!(
        decode_parts(&err).2,
        "results.accounts: invalid type: map, expected a sequence"
    );
}

#[tokio::test]
async fn an_error_body_that_does_not_match_is_named_the_same_way() {
    // 422's documented body has `message: [string]`.
    let err = highlevel_error(422, r#"{"statusCode": 422, "message": ["too short", 5]}"#).await;
    assert_eq!(
        decode_parts(&err),
        (
            422,
            "message[1]".to_owned(),
            "message[1]: invalid type: integer `5`, expected a string".to_owned()
        )
    );
}

#[tokio::test]
async fn a_body_that_is_not_json_keeps_the_line_and_column() {
    let err = highlevel_error(200, "<html>Bad gateway</html>").await;
    assert_eq!(
        decode_parts(&err),
        (
            200,
            String::new(),
            "expected value at line 1 column 1".to_owned()
        )
    );
    // Cut short: the path says where.
    let err = highlevel_error(200, r#"{"success": tru"#).await;
    assert_eq!(
        decode_parts(&err),
        (
            200,
            "success".to_owned(),
            "success: EOF while parsing a value".to_owned()
        )
    );
}

async fn zoo(status: u16, body: &str) -> client_behaviour::Error<client_behaviour::GetZooError> {
    let server = answering(status, body).await;
    client_behaviour::Client::new("t")
        .with_base_url(server.uri())
        .get_zoo()
        .await
        .unwrap_err()
}

fn zoo_decode(err: &client_behaviour::Error<client_behaviour::GetZooError>) -> (String, String) {
    match err {
        client_behaviour::Error::Decode { path, .. } => {
            let shown = err.to_string();
            let (_, message) = shown
                .split_once("does not match its documented type: ")
                .unwrap();
            (path.clone(), message.to_owned())
        }
        other => panic!("not a decode error: {other:?}"),
    }
}

#[tokio::test]
async fn the_path_goes_on_inside_a_discriminated_union() {
    // serde loses the path inside a value a `Deserialize` impl buffered; the variant's own
    // path is carried in its message and joined on.
    let err = zoo(
        200,
        r#"{"pets": [{"kind": "ZooCat", "lives": 9}, {"kind": "ZooDog", "toy": {"name": "ball", "squeaks": "loud"}}]}"#,
    )
    .await;
    assert_eq!(
        zoo_decode(&err),
        (
            "pets[1].toy.squeaks".to_owned(),
            r#"pets[1].toy.squeaks: invalid type: string "loud", expected a boolean"#.to_owned()
        )
    );
    let err = zoo(200, r#"{"pets": [{"kind": "ZooDog"}]}"#).await;
    assert_eq!(
        zoo_decode(&err),
        (
            "pets[0]".to_owned(),
            "pets[0]: missing field `toy`".to_owned()
        )
    );
}

#[tokio::test]
async fn an_untagged_union_never_fails_and_the_paths_after_it_still_hold() {
    // No variant matches `"x"`: it is kept as `Other`; the failure after it is still named.
    let err = zoo(
        200,
        r#"{"anything": "x", "pets": [{"kind": "ZooCat", "lives": "nine"}]}"#,
    )
    .await;
    assert_eq!(
        zoo_decode(&err).1,
        r#"pets[0].lives: invalid type: string "nine", expected i64"#
    );
    let server = answering(200, r#"{"anything": "x", "pets": []}"#).await;
    let zoo = client_behaviour::Client::new("t")
        .with_base_url(server.uri())
        .get_zoo()
        .await
        .unwrap();
    assert_eq!(
        zoo.anything,
        Some(client_behaviour::ZooAnything::Other(json!("x")))
    );
}

#[tokio::test]
async fn inside_a_flattened_map_the_path_stops_at_the_object() {
    // `#[serde(flatten)]` buffers the whole object: serde cannot say which key failed, so the
    // path names the object and the message what it expected.
    let err = zoo(
        200,
        r#"{"pets": [], "labels": {"color": "red", "size": "big"}}"#,
    )
    .await;
    assert_eq!(
        zoo_decode(&err),
        (
            "labels".to_owned(),
            r#"labels: invalid type: string "big", expected i64"#.to_owned()
        )
    );
}

#[tokio::test]
async fn a_documented_error_body_is_named_too() {
    let err = zoo(422, r#"{"errors": [{"field": "name"}, {"field": 5}]}"#).await;
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422));
    assert_eq!(
        zoo_decode(&err).1,
        "errors[1].field: invalid type: integer `5`, expected a string"
    );
}

#[tokio::test]
async fn every_response_keeps_the_bytes_it_was_decoded_from() {
    // An undocumented field (`meta`) stays readable from the raw body.
    let body =
        r#"{"success": true, "statusCode": 200, "message": "m", "meta": {"startAfterId": "a9"}}"#;
    let server = answering(200, body).await;
    let response = highlevel::Client::new("t")
        .with_base_url(server.uri())
        .get_instagram_page_group("l", "a")
        .await
        .unwrap();
    assert_eq!(response.message, "m");
    assert_eq!(response.raw_body(), &Bytes::from(body));
    let raw: serde_json::Value = serde_json::from_slice(response.raw_body()).unwrap();
    assert_eq!(raw["meta"]["startAfterId"], "a9");

    // A documented error status, decoded.
    let body = r#"{"statusCode": 401, "message": "Invalid token", "error": "Unauthorized"}"#;
    match highlevel_error(401, body).await {
        highlevel::Error::Api(response) => {
            assert!(matches!(
                response.body(),
                highlevel::GetInstagramPageGroupError::Unauthorized(_)
            ));
            assert_eq!(response.raw_body(), &Bytes::from(body));
        }
        other => panic!("{other:?}"),
    }

    // An undocumented status, and a body that does not decode: the body is the raw bytes,
    // the same buffer, not a copy.
    for (status, body) in [(500, "upstream exploded"), (200, r#"{"success": "yes"}"#)] {
        match highlevel_error(status, body).await {
            highlevel::Error::UnexpectedStatus(response)
            | highlevel::Error::Decode { response, .. } => {
                assert_eq!(response.raw_body(), &Bytes::from(body));
                assert_eq!(response.body().as_ptr(), response.raw_body().as_ptr());
            }
            other => panic!("{other:?}"),
        }
    }
}

#[tokio::test]
async fn a_response_without_content_keeps_its_empty_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let response = client_behaviour::Client::new("t")
        .with_base_url(server.uri())
        .health()
        .await
        .unwrap();
    assert!(response.raw_body().is_empty());
}

/// `Response::new` has no raw bytes behind its body ("empty for a response made with
/// `Response::new`"); `with_raw_body` gives it some, and `map` keeps them with the status.
#[test]
fn a_response_made_by_hand_takes_its_raw_bytes_from_with_raw_body() {
    use client_behaviour::Response;
    let response = Response::new(
        reqwest::StatusCode::CREATED,
        reqwest::header::HeaderMap::new(),
        5,
    );
    assert!(response.raw_body().is_empty());
    let response = response.with_raw_body(Bytes::from_static(b"5"));
    assert_eq!(response.raw_body().as_ref(), b"5");
    assert_eq!((response.status().as_u16(), *response.body()), (201, 5));
    let mapped = response.map(|n| n * 2);
    assert_eq!(
        (
            mapped.status().as_u16(),
            *mapped.body(),
            mapped.raw_body().as_ref()
        ),
        (201, 10, &b"5"[..])
    );
}
