//! Exact bytes on the wire, shown on `wire` (generated from `fixtures/wire.yaml`) against a local
//! server. Expected values come from the OpenAPI specification and the RFCs it cites, never
//! from running the code: the Style Examples table of OpenAPI 3.0.3 row by row, RFC 1866's form
//! encoding, RFC 3986's resolution of a relative server URL.

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use wire::{
    Account, Client, Color, CreateHookForm, CreateHookFormMeta, CreateRedirectForm,
    CreateUploadMultipart, CreateUploadMultipartMeta, CreateUserBody, CreateUserError,
    CreateUserResponseV400Body, Error, GetStatusError, ListItemsCoordinates, ListItemsFilter,
    ListItemsPage, ListItemsSort, ListItemsXPriority, ServerVariables, Upload,
};

/// A server that answers every request with `response`.
async fn server(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

/// A client for the relative server `/api/{version}`, resolved against the mock's origin.
fn client(server: &MockServer) -> Client {
    Client::new(server.uri())
}

async fn last(server: &MockServer) -> Request {
    server
        .received_requests()
        .await
        .unwrap()
        .pop()
        .expect("no request arrived")
}

/// The request target after the server's base path: path, then `?query` when there is one.
fn target(request: &Request) -> String {
    let path = request
        .url
        .path()
        .strip_prefix("/api/v2")
        .unwrap_or_else(|| panic!("not under the server's base path: {}", request.url));
    match request.url.query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_owned(),
    }
}

fn header(request: &Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
}

fn blue() -> String {
    "blue".to_owned()
}

fn colors() -> Vec<String> {
    vec!["blue".into(), "black".into(), "brown".into()]
}

fn rgb() -> Color {
    Color {
        r: Some(100),
        g: Some(200),
        b: Some(150),
    }
}

/// OpenAPI 3.0.3, "Style Examples", for `color` = "blue", ["blue","black","brown"] and
/// {"R": 100, "G": 200, "B": 150}. Two cells of 3.0.3's table are corrected as OpenAPI 3.0.4 (its
/// errata release) corrects them: `label` not exploded separates with commas, as RFC 6570
/// section 3.2.5 (which the table cites) defines (`.blue,black,brown`, `.R,100,G,200,B,150`),
/// and the `pipeDelimited` object reads `B|150`, not `G|150`. Delimiters that 3.0.3 writes
/// unencoded (`|`, `[`, `]`, `,`) stay so.
#[tokio::test]
async fn the_style_examples_table_row_by_row() {
    let server = server(ResponseTemplate::new(200)).await;
    let client = client(&server);
    let (s, a, o) = (blue(), colors(), rgb());
    macro_rules! row {
        ($call:expr, $path:expr) => {{
            $call.send().await.unwrap();
            assert_eq!(target(&last(&server).await), $path, "{}", stringify!($call));
        }};
    }
    // matrix: `;color` follows the segment it belongs to.
    row!(
        client.path_matrix_flat_string(s.clone()),
        "/styles/path/matrix/flat/string;color=blue"
    );
    row!(
        client.path_matrix_flat_array(a.clone()),
        "/styles/path/matrix/flat/array;color=blue,black,brown"
    );
    row!(
        client.path_matrix_flat_object(o.clone()),
        "/styles/path/matrix/flat/object;color=R,100,G,200,B,150"
    );
    row!(
        client.path_matrix_exploded_string(s.clone()),
        "/styles/path/matrix/exploded/string;color=blue"
    );
    row!(
        client.path_matrix_exploded_array(a.clone()),
        "/styles/path/matrix/exploded/array;color=blue;color=black;color=brown"
    );
    row!(
        client.path_matrix_exploded_object(o.clone()),
        "/styles/path/matrix/exploded/object;R=100;G=200;B=150"
    );
    // label
    row!(
        client.path_label_flat_string(s.clone()),
        "/styles/path/label/flat/string.blue"
    );
    row!(
        client.path_label_flat_array(a.clone()),
        "/styles/path/label/flat/array.blue,black,brown"
    );
    row!(
        client.path_label_flat_object(o.clone()),
        "/styles/path/label/flat/object.R,100,G,200,B,150"
    );
    row!(
        client.path_label_exploded_string(s.clone()),
        "/styles/path/label/exploded/string.blue"
    );
    row!(
        client.path_label_exploded_array(a.clone()),
        "/styles/path/label/exploded/array.blue.black.brown"
    );
    row!(
        client.path_label_exploded_object(o.clone()),
        "/styles/path/label/exploded/object.R=100.G=200.B=150"
    );
    // simple, in a path
    row!(
        client.path_simple_flat_string(s.clone()),
        "/styles/path/simple/flat/string/blue"
    );
    row!(
        client.path_simple_flat_array(a.clone()),
        "/styles/path/simple/flat/array/blue,black,brown"
    );
    row!(
        client.path_simple_flat_object(o.clone()),
        "/styles/path/simple/flat/object/R,100,G,200,B,150"
    );
    row!(
        client.path_simple_exploded_string(s.clone()),
        "/styles/path/simple/exploded/string/blue"
    );
    row!(
        client.path_simple_exploded_array(a.clone()),
        "/styles/path/simple/exploded/array/blue,black,brown"
    );
    row!(
        client.path_simple_exploded_object(o.clone()),
        "/styles/path/simple/exploded/object/R=100,G=200,B=150"
    );
    // form
    row!(
        client.query_form_flat_string(s.clone()),
        "/styles/query/form/flat/string?color=blue"
    );
    row!(
        client.query_form_flat_array(a.clone()),
        "/styles/query/form/flat/array?color=blue,black,brown"
    );
    row!(
        client.query_form_flat_object(o.clone()),
        "/styles/query/form/flat/object?color=R,100,G,200,B,150"
    );
    row!(
        client.query_form_exploded_string(s.clone()),
        "/styles/query/form/exploded/string?color=blue"
    );
    row!(
        client.query_form_exploded_array(a.clone()),
        "/styles/query/form/exploded/array?color=blue&color=black&color=brown"
    );
    row!(
        client.query_form_exploded_object(o.clone()),
        "/styles/query/form/exploded/object?R=100&G=200&B=150"
    );
    // spaceDelimited, pipeDelimited, deepObject
    row!(
        client.query_space_delimited_flat_array(a.clone()),
        "/styles/query/spaceDelimited/flat/array?color=blue%20black%20brown"
    );
    row!(
        client.query_space_delimited_flat_object(o.clone()),
        "/styles/query/spaceDelimited/flat/object?color=R%20100%20G%20200%20B%20150"
    );
    row!(
        client.query_pipe_delimited_flat_array(a.clone()),
        "/styles/query/pipeDelimited/flat/array?color=blue|black|brown"
    );
    row!(
        client.query_pipe_delimited_flat_object(o.clone()),
        "/styles/query/pipeDelimited/flat/object?color=R|100|G|200|B|150"
    );
    row!(
        client.query_deep_object_exploded_object(o.clone()),
        "/styles/query/deepObject/exploded/object?color[R]=100&color[G]=200&color[B]=150"
    );
}

/// The `empty` column: an empty string.
#[tokio::test]
async fn the_style_examples_empty_values() {
    let server = server(ResponseTemplate::new(200)).await;
    let client = client(&server);
    client.path_matrix_flat_string("").send().await.unwrap();
    assert_eq!(
        target(&last(&server).await),
        "/styles/path/matrix/flat/string;color"
    );
    client.path_label_flat_string("").send().await.unwrap();
    assert_eq!(
        target(&last(&server).await),
        "/styles/path/label/flat/string."
    );
    client.query_form_flat_string("").send().await.unwrap();
    assert_eq!(
        target(&last(&server).await),
        "/styles/query/form/flat/string?color="
    );
    // A whole path segment that is empty would change the path: refused, nothing sent.
    let err = client.path_simple_flat_string("").send().await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

/// RFC 6570, section 2.3: a list with zero members, or an associative array whose members are
/// all undefined, is undefined, and section 3.2.8 (form-style query expansion) sends nothing for
/// an undefined variable: no `color=` at all.
#[tokio::test]
async fn empty_lists_and_objects_are_not_sent() {
    let server = server(ResponseTemplate::new(200)).await;
    let client = client(&server);
    client
        .query_form_flat_array(Vec::<String>::new())
        .send()
        .await
        .unwrap();
    assert_eq!(
        target(&last(&server).await),
        "/styles/query/form/flat/array"
    );
    client
        .query_form_flat_object(Color::default())
        .send()
        .await
        .unwrap();
    assert_eq!(
        target(&last(&server).await),
        "/styles/query/form/flat/object"
    );
    client
        .query_form_exploded_object(Color::default())
        .send()
        .await
        .unwrap();
    assert_eq!(
        target(&last(&server).await),
        "/styles/query/form/exploded/object"
    );
}

/// A header value is not percent-encoded: RFC 9110, section 5.5, lets a field value carry
/// visible characters and spaces as they are, and OpenAPI's `simple` style for headers adds
/// only its `,` delimiters.
#[tokio::test]
async fn header_values_are_sent_as_they_are() {
    let server = server(ResponseTemplate::new(200)).await;
    let client = client(&server);
    client
        .header_simple_flat_string("navy blue/2?x=1&y=%")
        .await
        .unwrap();
    assert_eq!(
        header(&last(&server).await, "color").as_deref(),
        Some("navy blue/2?x=1&y=%")
    );
}

/// Header `simple` (the table's `simple` rows) and cookie `form` (its `form` rows, pairs
/// separated as a `Cookie` header separates them).
#[tokio::test]
async fn headers_and_cookies_by_style() {
    let server = server(ResponseTemplate::new(200)).await;
    let client = client(&server);
    let (s, a, o) = (blue(), colors(), rgb());
    client.header_simple_flat_string(s.clone()).await.unwrap();
    assert_eq!(
        header(&last(&server).await, "color").as_deref(),
        Some("blue")
    );
    client.header_simple_flat_array(a.clone()).await.unwrap();
    assert_eq!(
        header(&last(&server).await, "color").as_deref(),
        Some("blue,black,brown")
    );
    client.header_simple_flat_object(o.clone()).await.unwrap();
    assert_eq!(
        header(&last(&server).await, "color").as_deref(),
        Some("R,100,G,200,B,150")
    );
    client
        .header_simple_exploded_object(o.clone())
        .await
        .unwrap();
    assert_eq!(
        header(&last(&server).await, "color").as_deref(),
        Some("R=100,G=200,B=150")
    );

    client.cookie_form_flat_string(s.clone()).await.unwrap();
    assert_eq!(
        header(&last(&server).await, "cookie").as_deref(),
        Some("color=blue")
    );
    client.cookie_form_flat_array(a.clone()).await.unwrap();
    assert_eq!(
        header(&last(&server).await, "cookie").as_deref(),
        Some("color=blue,black,brown")
    );
    client.cookie_form_exploded_array(a.clone()).await.unwrap();
    assert_eq!(
        header(&last(&server).await, "cookie").as_deref(),
        Some("color=blue; color=black; color=brown")
    );
    client.cookie_form_exploded_object(o.clone()).await.unwrap();
    assert_eq!(
        header(&last(&server).await, "cookie").as_deref(),
        Some("R=100; G=200; B=150")
    );
}

/// Parameters take their generated types: an object without a style is `form` exploded, a
/// `deepObject` writes brackets, a union of an enum and strings is the plain string, an integer
/// enum header is its number, a JSON `content` parameter its JSON text, and `allowReserved`
/// keeps RFC 3986's reserved characters.
#[tokio::test]
async fn parameters_take_their_types() {
    let server = server(ResponseTemplate::new(200).set_body_json(["a"])).await;
    let client = client(&server);
    let page = ListItemsPage {
        page: Some(1),
        size: Some(20),
    };
    let filter = ListItemsFilter {
        min: Some(1),
        max: Some(2),
    };
    let sort = ListItemsSort::String("price desc".into());
    let coordinates = ListItemsCoordinates {
        lat: 1.5,
        long: -2.25,
    };
    let items = client
        .list_items()
        .page(page)
        .filter(filter)
        .sort(sort)
        .x_priority(ListItemsXPriority::V2)
        .coordinates(coordinates)
        .redirect("/a/b?c")
        .send()
        .await
        .unwrap();
    assert_eq!(items.body(), &vec!["a".to_owned()]);
    let request = last(&server).await;
    assert_eq!(
        target(&request),
        "/items?page=1&size=20&filter[min]=1&filter[max]=2&sort=price%20desc\
         &coordinates=%7B%22lat%22%3A1.5%2C%22long%22%3A-2.25%7D&redirect=/a/b?c"
    );
    assert_eq!(header(&request, "x-priority").as_deref(), Some("2"));
    assert_eq!(
        header(&request, "accept").as_deref(),
        Some("application/json")
    );

    // Nothing optional given: no query at all.
    client.list_items().send().await.unwrap();
    assert_eq!(target(&last(&server).await), "/items");

    client.get_articles(vec![1, 2, 3]).send().await.unwrap();
    assert_eq!(target(&last(&server).await), "/articles/1,2,3");
}

/// A form body: arrays repeat their key (the Encoding Object's default, `form` exploded), an
/// Encoding Object's `explode: false` joins with commas and `deepObject` writes brackets; the
/// text is then written as the media type writes a form (WHATWG URL Standard,
/// application/x-www-form-urlencoded): everything but letters, digits and `*-._` is
/// percent-encoded, the comma and brackets included, and spaces are `+`.
#[tokio::test]
async fn form_bodies_follow_the_encoding_object() {
    let server = server(ResponseTemplate::new(204)).await;
    let client = client(&server);
    let form = CreateHookForm {
        url: "https://example.test/h?x=1".into(),
        events: vec!["a.created".into(), "a.deleted".into()],
        labels: Some(vec!["x y".into(), "z".into()]),
        meta: Some(CreateHookFormMeta {
            team: Some("core".into()),
            tier: Some(2),
        }),
    };
    client.create_hook(form).send().await.unwrap();
    let request = last(&server).await;
    assert_eq!(
        header(&request, "content-type").as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        String::from_utf8(request.body).unwrap(),
        "url=https%3A%2F%2Fexample.test%2Fh%3Fx%3D1&events=a.created&events=a.deleted\
         &labels=x+y%2Cz&meta%5Bteam%5D=core&meta%5Btier%5D=2"
    );
}

/// Values OpenAPI's table has no entry for, sent without a warning: a free-form parameter
/// (`schema: {}`) is `form` exploded like any other, and an array or object inside it goes as its
/// JSON text (RFC 8259), percent-encoded (RFC 3986, section 2.1); `null` list items are undefined
/// and skipped (RFC 6570, section 2.3), so a list of nothing but `null` sends nothing.
#[tokio::test]
async fn nested_values_go_as_json_text_and_null_items_are_skipped() {
    let server = server(ResponseTemplate::new(204)).await;
    let client = client(&server);
    client
        .get_values()
        .any(serde_json::json!([[1, null], {"a": "x\"y", "b": true, "c": false}, null, "s"]))
        .sparse(vec![Some(1), None, Some(2)])
        .send()
        .await
        .unwrap();
    assert_eq!(
        target(&last(&server).await),
        "/values?any=%5B1%2Cnull%5D\
         &any=%7B%22a%22%3A%22x%5C%22y%22%2C%22b%22%3Atrue%2C%22c%22%3Afalse%7D&any=s\
         &sparse=1&sparse=2"
    );
    // An object: one pair per member, a nested value as its JSON text.
    client
        .get_values()
        .any(serde_json::json!({"a": 1, "b": [2, "3"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        target(&last(&server).await),
        "/values?a=1&b=%5B2%2C%223%22%5D"
    );
    client
        .get_values()
        .any(serde_json::json!([null, {"a": null}]))
        .sparse(vec![None, None])
        .send()
        .await
        .unwrap();
    assert_eq!(target(&last(&server).await), "/values");
}

/// A header object's keys go as they are, like its values (RFC 9110, section 5.5), in `simple`
/// exploded form (`key=value`, comma-separated).
#[tokio::test]
async fn header_object_keys_are_sent_as_they_are() {
    let server = server(ResponseTemplate::new(204)).await;
    let client = client(&server);
    let labels: std::collections::BTreeMap<String, String> = [("R&D", "a b"), ("x/y", "1")]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .into();
    client.get_values().x_labels(labels).send().await.unwrap();
    assert_eq!(
        header(&last(&server).await, "x-labels").as_deref(),
        Some("R&D=a b,x/y=1")
    );
}

/// `spaceDelimited` and `pipeDelimited` are defined for arrays and objects not exploded (the
/// Style Examples table's other cells are "n/a"); exploded, or on a primitive, the parameter is
/// sent as `form` would send it, the README's stated fallback.
#[tokio::test]
async fn delimited_styles_without_an_entry_are_sent_as_form() {
    let server = server(ResponseTemplate::new(204)).await;
    let client = client(&server);
    client
        .get_delimited()
        .space_one(5)
        .space_many(vec!["a b".to_owned(), "c".to_owned()])
        .pipe_one("x|y")
        .pipe_many(vec!["a".to_owned(), "b".to_owned()])
        .send()
        .await
        .unwrap();
    assert_eq!(
        target(&last(&server).await),
        "/delimited?spaceOne=5&spaceMany=a%20b&spaceMany=c&pipeOne=x%7Cy&pipeMany=a&pipeMany=b"
    );
}

/// An Encoding Object's `allowReserved` in a form body keeps RFC 3986's reserved characters of
/// that property (OpenAPI 3.0.3, Encoding Object), except those that would end the pair (`&`,
/// `=`); the property without it is encoded as the media type encodes a form.
#[tokio::test]
async fn allow_reserved_in_a_form_body_is_per_property() {
    let server = server(ResponseTemplate::new(204)).await;
    let client = client(&server);
    let form = CreateRedirectForm {
        to: "/a b?c=1&d:e".into(),
        from: "/a b?c=1&d:e".into(),
    };
    client.create_redirect(form).send().await.unwrap();
    assert_eq!(
        String::from_utf8(last(&server).await.body).unwrap(),
        "to=/a+b?c%3D1%26d:e&from=%2Fa+b%3Fc%3D1%26d%3Ae"
    );
}

/// Multipart (OpenAPI 3.0.3, "Special Considerations for multipart Content"): an array is one
/// part per item, an object is a JSON part, a file takes the Encoding Object's `contentType`.
#[tokio::test]
async fn multipart_parts_by_kind() {
    let server = server(ResponseTemplate::new(201)).await;
    let client = client(&server);
    let body = CreateUploadMultipart {
        file: Upload::new(&b"PNG"[..]).with_file_name("a.png"),
        tags: Some(vec!["x".into(), "y".into()]),
        meta: Some(CreateUploadMultipartMeta {
            source: Some("cam".into()),
        }),
        note: Some("# hi".into()),
    };
    client.create_upload(body).send().await.unwrap();
    let request = last(&server).await;
    let content_type = header(&request, "content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap();
    let parts: Vec<String> = String::from_utf8(request.body)
        .unwrap()
        .split(&format!("--{boundary}"))
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty() && p != "--")
        .collect();
    assert_eq!(
        parts,
        [
            "Content-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\nPNG",
            "Content-Disposition: form-data; name=\"tags\"\r\n\r\nx",
            "Content-Disposition: form-data; name=\"tags\"\r\n\r\ny",
            "Content-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"source\":\"cam\"}",
            "Content-Disposition: form-data; name=\"note\"\r\nContent-Type: text/markdown\r\n\r\n# hi",
        ]
    );
}

/// `readOnly` properties are not sent and need not be given; `writeOnly` ones need not be in
/// a response.
#[tokio::test]
async fn read_only_and_write_only_properties() {
    let created =
        serde_json::json!({"id": 7, "createdAt": "2024-01-01T00:00:00Z", "title": "Main"});
    let server = server(ResponseTemplate::new(201).set_body_json(&created)).await;
    let client = client(&server);
    let account = Account {
        id: Some(99),
        created_at: None,
        title: "Main".into(),
        secret: Some("s3".into()),
    };
    let response = client.create_account(account).send().await.unwrap();
    let sent: serde_json::Value = serde_json::from_slice(&last(&server).await.body).unwrap();
    assert_eq!(sent, serde_json::json!({"title": "Main", "secret": "s3"}));
    assert_eq!(
        response.body(),
        &Account {
            id: Some(7),
            created_at: Some("2024-01-01T00:00:00Z".into()),
            title: "Main".into(),
            secret: None,
        }
    );
}

/// A `default` response is the success when no 2xx is listed, and still the error otherwise.
#[tokio::test]
async fn a_default_response_is_the_success_without_a_2xx() {
    let server =
        server(ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": true}))).await;
    let status = client(&server).get_status().send().await.unwrap();
    assert!(status.ok);

    let server = server_with(500, "application/json", r#"{"ok": false}"#).await;
    match client(&server).get_status().send().await.unwrap_err() {
        Error::Api(response) => match response.body() {
            GetStatusError::Default(body) => assert!(!body.ok),
        },
        other => panic!("{other:?}"),
    }
}

async fn server_with(status: u16, content_type: &str, body: &str) -> MockServer {
    server(ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), content_type)).await
}

/// `*/*` with a binary schema is bytes, whatever they are; `text/plain` is text.
#[tokio::test]
async fn non_json_responses_are_bytes_or_text() {
    let server = server_with(200, "image/png", "\u{89}PNG not JSON").await;
    let file = client(&server).download("a.png").send().await.unwrap();
    assert_eq!(&file.body()[..], "\u{89}PNG not JSON".as_bytes());
    assert_eq!(
        header(&last(&server).await, "accept").as_deref(),
        Some("*/*")
    );

    let server = server_with(200, "text/plain; charset=utf-8", "größe: 2").await;
    let note = client(&server).get_note().send().await.unwrap();
    assert_eq!(note.body(), "größe: 2");
}

/// Two JSON media types with different schemas on one status are told apart by the
/// response's `Content-Type`; every `+json` type is JSON.
#[tokio::test]
async fn media_types_are_told_apart_by_content_type() {
    let body = CreateUserBody {
        user_name: "ada".into(),
    };
    let server = server_with(
        400,
        "application/scim+json",
        r#"{"detail": "taken", "status": "400"}"#,
    )
    .await;
    let err = client(&server)
        .create_user(body.clone())
        .send()
        .await
        .unwrap_err();
    let request = last(&server).await;
    assert_eq!(
        header(&request, "content-type").as_deref(),
        Some("application/scim+json")
    );
    assert_eq!(
        header(&request, "accept").as_deref(),
        Some("application/scim+json, application/json")
    );
    match err {
        Error::Api(response) => match response.body() {
            CreateUserError::BadRequest(CreateUserResponseV400Body::ScimJson(scim)) => {
                assert_eq!(
                    (scim.detail.as_str(), scim.status.as_str()),
                    ("taken", "400")
                )
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }

    let server = server_with(
        400,
        "application/json; charset=utf-8",
        r#"{"message": "no"}"#,
    )
    .await;
    match client(&server)
        .create_user(body.clone())
        .send()
        .await
        .unwrap_err()
    {
        Error::Api(response) => match response.body() {
            CreateUserError::BadRequest(CreateUserResponseV400Body::Json(plain)) => {
                assert_eq!(plain.message, "no")
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }

    let server = server_with(201, "application/scim+json", r#"{"id": "u1"}"#).await;
    let created = client(&server).create_user(body).send().await.unwrap();
    assert_eq!(created.id, "u1");
}

/// A relative server URL is resolved against the base URL the user gives (RFC 3986, section
/// 5.2), with its variables at their defaults or as set.
#[tokio::test]
async fn a_relative_server_keeps_its_path_and_variables() {
    let server = server(ResponseTemplate::new(200).set_body_json(["a"])).await;
    let client = Client::new(format!("{}/ignored/path", server.uri()));
    assert_eq!(client.base_url(), format!("{}/api/v2", server.uri()));
    client.get_articles(vec![1]).send().await.unwrap();
    assert_eq!(last(&server).await.url.path(), "/api/v2/articles/1");

    let v1 = Client::new(server.uri()).with_server_variables(ServerVariables {
        version: "v1".into(),
    });
    assert_eq!(v1.base_url(), format!("{}/api/v1", server.uri()));
    v1.get_articles(vec![1]).send().await.unwrap();
    assert_eq!(last(&server).await.url.path(), "/api/v1/articles/1");
    assert_eq!(ServerVariables::default().version, "v2");
}
