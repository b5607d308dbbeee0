//! The test support (the generated crates' `mock` feature), used the way a user's own tests
//! use it: the code under test takes a `Client`; the test answers the operations it calls with
//! typed values or documented errors, with no URL or JSON written by hand.

use highlevel::mock::MockServer;
use highlevel::{
    Client, Error, GetInstagramAccountsResponseDto, GetInstagramAccountsSchema,
    GetInstagramPageGroupError, InstagramAccountSchema, UnauthorizedDto,
};

/// The user's code under test: the names of the connected accounts, or a message.
async fn connected_accounts(client: &Client) -> Result<Vec<String>, String> {
    match client
        .get_instagram_page_group("loc-1", "acc-1")
        .send()
        .await
    {
        Ok(response) => Ok(response
            .results
            .iter()
            .flat_map(|r| r.accounts.iter().flatten())
            .filter(|a| a.is_connected == Some(true))
            .filter_map(|a| a.name.clone())
            .collect()),
        Err(Error::Api(response)) => match response.body() {
            GetInstagramPageGroupError::Unauthorized(body) => Err(format!(
                "sign in again: {}",
                body.message.as_deref().unwrap_or("")
            )),
            other => Err(format!("{other:?}")),
        },
        Err(other) => Err(other.to_string()),
    }
}

fn account(name: &str, connected: bool) -> InstagramAccountSchema {
    InstagramAccountSchema {
        id: Some(format!("id-{name}")),
        name: Some(name.to_owned()),
        avatar: None,
        page_id: None,
        is_connected: Some(connected),
    }
}

#[tokio::test]
async fn an_operation_answers_with_a_typed_value() {
    let server = MockServer::start().await;
    server
        .get_instagram_page_group()
        .responds(GetInstagramAccountsResponseDto {
            success: true,
            status_code: 200.0,
            message: "ok".to_owned(),
            results: Some(GetInstagramAccountsSchema {
                accounts: Some(vec![account("shop", true), account("old", false)]),
            }),
        })
        .await;

    let names = connected_accounts(&server.client()).await.unwrap();
    assert_eq!(names, ["shop"]);

    // What the code sent, as the spec says: the path with both ids, the `Version` header.
    let [request] = server.received_requests().await.try_into().unwrap();
    assert_eq!(
        request.url.path(),
        "/social-media-posting/oauth/loc-1/instagram/accounts/acc-1"
    );
    assert_eq!(request.headers["version"], "2021-07-28");
    assert_eq!(request.headers["authorization"], "Bearer mock-token");
}

#[tokio::test]
async fn an_operation_fails_with_a_documented_error() {
    let server = MockServer::start().await;
    server
        .get_instagram_page_group()
        .times(1)
        .expect(1)
        .fails(GetInstagramPageGroupError::Unauthorized(UnauthorizedDto {
            status_code: Some(401.0),
            message: Some("Invalid token".to_owned()),
            error: None,
        }))
        .await;
    let client = server.client();
    let message = connected_accounts(&client).await.unwrap_err();
    assert_eq!(message, "sign in again: Invalid token");
    let request = &server.received_requests().await[0];
    assert_eq!(
        request.url.path(),
        "/social-media-posting/oauth/loc-1/instagram/accounts/acc-1"
    );
    let err = client
        .get_instagram_page_group("l", "a")
        .send()
        .await
        .map(|_| ());
    assert!(
        matches!(&err, Err(Error::UnexpectedStatus(r)) if r.status() == 404),
        "answered once (`times(1)`); a second call finds no answer: {err:?}"
    );
}

#[tokio::test]
async fn answers_can_match_parameters_and_follow_a_relative_server() {
    use wiremock::matchers::query_param;
    let server = wire::mock::MockServer::start().await;
    // The spec's server is relative (`/api/{version}`): the mock's paths follow it.
    let client = server.client();
    server
        .list_items()
        .and(query_param("redirect", "/a"))
        .responds(vec!["matched".to_owned()])
        .await;
    server.list_items().responds(vec!["any".to_owned()]).await;
    let matched = client.list_items().redirect("/a").send().await.unwrap();
    let any = client.list_items().send().await.unwrap();
    assert_eq!(
        (matched.body(), any.body()),
        (&vec!["matched".to_owned()], &vec!["any".to_owned()])
    );
    assert_eq!(
        server.received_requests().await[0].url.path(),
        "/api/v2/items"
    );
}

#[tokio::test]
async fn bodies_go_in_the_media_type_and_with_the_read_only_properties_a_response_has() {
    let server = wire::mock::MockServer::start().await;
    let client = server.client();
    // readOnly properties are left out of requests but are part of a response.
    server
        .create_account()
        .responds(wire::Account {
            id: Some(7),
            created_at: Some("2024-01-01T00:00:00Z".to_owned()),
            title: "Main".to_owned(),
            secret: None,
        })
        .await;
    let created = client
        .create_account(wire::Account::new("Main", "s3"))
        .send()
        .await
        .unwrap();
    assert_eq!((created.id, created.title.as_str()), (Some(7), "Main"));
    assert_eq!(
        server.received_requests().await[0].body,
        br#"{"title":"Main","secret":"s3"}"#,
        "the request still leaves them out"
    );

    // An error documented in two media types: the variant says which.
    let scim = wire::CreateUserResponseV400Body::ScimJson(wire::CreateUserResponseV400ScimJson {
        detail: "taken".to_owned(),
        status: "400".to_owned(),
    });
    server
        .create_user()
        .fails(wire::CreateUserError::BadRequest(scim.clone()))
        .await;
    let err = client
        .create_user(wire::CreateUserBody::new("ann"))
        .send()
        .await
        .unwrap_err();
    let wire::Error::Api(response) = err else {
        panic!("{err:?}");
    };
    assert_eq!(response.status(), 400);
    assert_eq!(response.headers()["content-type"], "application/scim+json");
    assert_eq!(response.body(), &wire::CreateUserError::BadRequest(scim));

    // A text body and a binary one under `*/*`.
    server.get_note().responds("a note".to_owned()).await;
    server
        .download()
        .responds(bytes::Bytes::from_static(b"\x00\x01"))
        .await;
    assert_eq!(client.get_note().send().await.unwrap().body(), "a note");
    let file = client.download("f.bin").send().await.unwrap();
    assert_eq!(file.body().as_ref(), b"\x00\x01");
    assert_eq!(file.headers()["content-type"], "application/octet-stream");

    // JSON forms told apart by media type: a range (`*/*`) is answered with a type in it that
    // no form before it takes, so the client reads the form that was set up.
    use wire::{GetExportResponseV200, GetExportResponseV200Any, GetExportResponseV200Body};
    let any = GetExportResponseV200Any {
        blob: "b".to_owned(),
    };
    server
        .get_export()
        .times(1)
        .responds(GetExportResponseV200Body::Any(any.clone()))
        .await;
    let export = client.get_export("report").send().await.unwrap();
    assert_eq!(export.body(), &GetExportResponseV200Body::Any(any));
    assert_eq!(export.headers()["content-type"], "application/octet-stream");
    let json = GetExportResponseV200Body::Json(GetExportResponseV200 { rows: 3 });
    server.get_export().responds(json.clone()).await;
    let export = client.get_export("report").send().await.unwrap();
    assert_eq!(export.body(), &json);
}

/// A path template matches a parameter that a literal follows within its segment
/// (`/exports/{name}.txt`) only when the literal is there, as the server's own URL shows.
#[tokio::test]
async fn a_path_parameter_ends_where_the_literal_after_it_starts() {
    let server = wire::mock::MockServer::start().await;
    let rows = wire::GetExportResponseV200 { rows: 1 };
    server
        .get_export()
        .responds(wire::GetExportResponseV200Body::Json(rows))
        .await;
    let uri = server.uri();
    assert!(uri.starts_with("http://127.0.0.1:"), "{uri}");
    assert_eq!(server.client().base_url(), format!("{uri}/api/v2"));
    let get = |path: &'static str| {
        let url = format!("{uri}/api/v2{path}");
        async move { reqwest::get(url).await.unwrap().status().as_u16() }
    };
    assert_eq!(get("/exports/report.txt").await, 200);
    assert_eq!(get("/exports/report.csv").await, 404);
    assert_eq!(get("/exports/.txt").await, 404, "a parameter is not empty");
    assert_eq!(
        get("/exports/a/b.txt").await,
        404,
        "a parameter is one segment"
    );
}

#[tokio::test]
async fn a_literal_path_wins_over_a_template_that_also_matches_it() {
    use client_behaviour::Item;
    let server = client_behaviour::mock::MockServer::start().await;
    // `/items/{id}` is set up first, and `/items/featured` matches it too.
    server.get_item().responds(Item::new("by id")).await;
    server.get_featured().responds(Item::new("featured")).await;
    let client = server.client();
    assert_eq!(client.get_featured().send().await.unwrap().name, "featured");
    assert_eq!(client.get_item("7").send().await.unwrap().name, "by id");
    assert_eq!(
        client.get_item("featured").send().await.unwrap().name,
        "featured"
    );
}
