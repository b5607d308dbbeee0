//! Paging, shown on `pagination` (generated from `fixtures/pagination.yaml`, whose operations
//! carry Speakeasy's `x-speakeasy-pagination`) against a local mock server: each style (offset,
//! page number, cursor, next link, offset in the request body) with the exact requests it sends,
//! the items it decodes, and every way paging ends.

use futures_util::StreamExt;
use pagination::{Book, Client, Error, Hit, ListBooksError, ScanBooksBody, Search};
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::new("secret").with_base_url(server.uri())
}

/// Books `ids`, as the server sends them.
fn books(ids: impl IntoIterator<Item = i64>) -> Vec<Value> {
    ids.into_iter()
        .map(|id| json!({"id": id, "title": format!("Book {id}")}))
        .collect()
}

/// Books `ids`, as the client decodes them.
fn decoded(ids: impl IntoIterator<Item = i64>) -> Vec<Book> {
    ids.into_iter()
        .map(|id| Book {
            id,
            title: format!("Book {id}"),
        })
        .collect()
}

/// A query parameter of a request.
fn param(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn number(request: &Request, name: &str) -> Option<i64> {
    param(request, name).map(|v| v.parse().unwrap())
}

/// More items than any test's server sends before paging should end: a test whose paging
/// does not end fails on its count instead of running forever.
const BOUND: usize = 100;

/// A server that answers every request with `respond`.
async fn serve(
    respond: impl Fn(&Request) -> ResponseTemplate + Send + Sync + 'static,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(respond)
        .mount(&server)
        .await;
    server
}

async fn sent(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

/// The path and query of each request.
async fn urls(server: &MockServer) -> Vec<String> {
    sent(server)
        .await
        .iter()
        .map(|r| match r.url.query() {
            Some(query) => format!("{}?{query}", r.url.path()),
            None => r.url.path().to_owned(),
        })
        .collect()
}

/// `list_books`: books `0..total` by `offset` and `limit` (all of them when no limit).
fn shelf(total: i64) -> impl Fn(&Request) -> ResponseTemplate {
    move |request| {
        let offset = number(request, "offset").unwrap_or(0);
        let limit = number(request, "limit").unwrap_or(i64::MAX);
        let end = offset.saturating_add(limit).min(total);
        ResponseTemplate::new(200)
            .set_body_json(json!({"data": {"books": books(offset..end)}, "total": total}))
    }
}

async fn all<T, E: std::fmt::Debug>(
    stream: impl futures_util::Stream<Item = Result<T, E>>,
) -> Vec<T> {
    // Bounded, so a pager that does not stop fails the test instead of hanging it.
    stream.take(BOUND).map(|item| item.unwrap()).collect().await
}

#[tokio::test]
async fn offset_pages_resend_every_other_parameter_and_end_on_a_short_page() {
    let server = serve(shelf(5)).await;
    let items = all(client(&server)
        .list_books("s 1")
        .limit(2)
        .tag(vec!["a".to_owned(), "b".to_owned()])
        .x_trace("t-1")
        .items())
    .await;
    assert_eq!(items, decoded(0..5));
    // The caller set no offset: the first page is the server's first; then 2 and 4, where
    // a page of one book, fewer than the limit of 2, is the last.
    assert_eq!(
        urls(&server).await,
        [
            "/shelves/s%201/books?limit=2&tag=a,b",
            "/shelves/s%201/books?offset=2&limit=2&tag=a,b",
            "/shelves/s%201/books?offset=4&limit=2&tag=a,b",
        ]
    );
    for request in sent(&server).await {
        assert_eq!(request.headers["x-trace"], "t-1");
        assert_eq!(request.headers["authorization"], "Bearer secret");
    }
}

#[tokio::test]
async fn offset_paging_starts_at_the_callers_offset_and_ends_on_an_empty_page() {
    let server = serve(shelf(6)).await;
    let pages = all(client(&server).list_books("s").offset(1).limit(3).pages()).await;
    let sizes: Vec<usize> = pages
        .iter()
        .map(|page| page.data.books.as_ref().map_or(0, Vec::len))
        .collect();
    // 1..4, 4..6 (short: the last), so no third request.
    assert_eq!(sizes, [3, 2]);
    assert_eq!(
        urls(&server).await,
        [
            "/shelves/s/books?offset=1&limit=3",
            "/shelves/s/books?offset=4&limit=3"
        ]
    );

    // Without a limit, only an empty page says the list is over; it is given too.
    let server = serve(|request: &Request| {
        let offset = number(request, "offset").unwrap_or(0);
        let ids = if offset < 4 { offset..offset + 2 } else { 0..0 };
        ResponseTemplate::new(200).set_body_json(json!({"data": {"books": books(ids)}}))
    })
    .await;
    let pages = all(client(&server).list_books("s").pages()).await;
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[2].data.books, Some(vec![]));
    assert_eq!(
        urls(&server).await,
        [
            "/shelves/s/books",
            "/shelves/s/books?offset=2",
            "/shelves/s/books?offset=4"
        ]
    );
}

#[tokio::test]
async fn a_page_without_its_items_ends_paging() {
    // `data.books` is optional: a page without it has no items.
    let server =
        serve(|_: &Request| ResponseTemplate::new(200).set_body_json(json!({"data": {}}))).await;
    let items = all(client(&server).list_books("s").items()).await;
    assert!(items.is_empty());
    assert_eq!(sent(&server).await.len(), 1);
}

#[tokio::test]
async fn an_error_page_is_the_last_item() {
    let server = serve(|request: &Request| match number(request, "offset") {
        Some(2) => ResponseTemplate::new(503),
        _ => ResponseTemplate::new(200).set_body_json(json!({"data": {"books": books(0..2)}})),
    })
    .await;
    let results: Vec<Result<Book, Error<ListBooksError>>> = client(&server)
        .list_books("s")
        .limit(2)
        .items()
        .collect()
        .await;
    assert_eq!(results.len(), 3);
    assert_eq!(results[0].as_ref().unwrap(), &decoded([0])[0]);
    assert_eq!(results[1].as_ref().unwrap(), &decoded([1])[0]);
    assert!(
        matches!(&results[2], Err(Error::Api(r)) if *r.body() == ListBooksError::ServiceUnavailable),
        "{:?}",
        results[2]
    );
    assert_eq!(sent(&server).await.len(), 2);

    // An undocumented status, on the first page: the stream's only item.
    let server = serve(|_: &Request| ResponseTemplate::new(500)).await;
    let results: Vec<_> = client(&server)
        .list_books("s")
        .pages()
        .take(BOUND)
        .collect()
        .await;
    assert_eq!(results.len(), 1);
    assert!(matches!(&results[0], Err(Error::UnexpectedStatus(r)) if r.status() == 500));
}

#[tokio::test]
async fn taking_items_fetches_no_page_past_the_last_one_read() {
    let server = serve(shelf(100)).await;
    let items = all(client(&server).list_books("s").limit(2).items().take(3)).await;
    assert_eq!(items, decoded(0..3));
    assert_eq!(sent(&server).await.len(), 2);

    let server = serve(shelf(100)).await;
    let items = all(client(&server).list_books("s").limit(2).items().take(4)).await;
    assert_eq!(items, decoded(0..4));
    assert_eq!(
        sent(&server).await.len(),
        2,
        "the 4th item is on the 2nd page"
    );

    let server = serve(shelf(100)).await;
    let pages = all(client(&server).list_books("s").limit(2).pages().take(1)).await;
    assert_eq!(pages.len(), 1);
    assert_eq!(sent(&server).await.len(), 1);
}

#[tokio::test]
async fn a_server_that_ignores_the_offset_cannot_make_paging_loop() {
    // The same full page, whatever the offset: the second is the first again, and ends paging.
    let server = serve(|_: &Request| {
        ResponseTemplate::new(200).set_body_json(json!({"data": {"books": books(0..2)}}))
    })
    .await;
    let items = all(client(&server).list_books("s").items()).await;
    assert_eq!(items, decoded(0..2));
    assert_eq!(sent(&server).await.len(), 2);
}

#[tokio::test]
async fn page_numbers_count_up_to_num_pages() {
    // Three pages of two books; the server numbers pages from 1.
    let server = serve(|request: &Request| {
        let page = number(request, "page").unwrap_or(1);
        let per_page = number(request, "per_page").unwrap();
        let first = (page - 1) * per_page;
        ResponseTemplate::new(200)
            .set_body_json(json!({"items": books(first..first + per_page), "numPages": 3}))
    })
    .await;
    let items = all(client(&server)
        .list_books_by_page()
        .per_page(2)
        .q("rust")
        .items())
    .await;
    assert_eq!(items, decoded(0..6));
    assert_eq!(
        urls(&server).await,
        [
            "/books?per_page=2&q=rust",
            "/books?page=2&per_page=2&q=rust",
            "/books?page=3&per_page=2&q=rust"
        ]
    );

    let server = serve(|request: &Request| {
        let page = number(request, "page").unwrap_or(1);
        ResponseTemplate::new(200).set_body_json(json!({"items": books([page]), "numPages": 3}))
    })
    .await;
    let items = all(client(&server).list_books_by_page().page(2).items()).await;
    assert_eq!(items, decoded([2, 3]));
    assert_eq!(urls(&server).await, ["/books?page=2", "/books?page=3"]);
}

#[tokio::test]
async fn page_numbers_end_on_an_empty_page_without_num_pages() {
    let server = serve(|request: &Request| {
        let page = number(request, "page").unwrap_or(1);
        let ids: Vec<i64> = if page <= 2 { vec![page] } else { vec![] };
        ResponseTemplate::new(200).set_body_json(json!({"items": books(ids)}))
    })
    .await;
    let items = all(client(&server).list_books_by_page().items()).await;
    assert_eq!(items, decoded([1, 2]));
    assert_eq!(
        urls(&server).await,
        ["/books", "/books?page=2", "/books?page=3"]
    );
}

/// Speakeasy's `offsetLimit` by page, with `results` and no `numPages`: the next page is asked
/// for until one has no items.
#[tokio::test]
async fn page_numbers_without_a_count_of_pages_go_on_until_a_page_is_empty() {
    let server = serve(|request: &Request| {
        let page = number(request, "page").unwrap_or(1);
        let ids: Vec<i64> = if page <= 3 {
            vec![page * 10, page * 10 + 1]
        } else {
            vec![]
        };
        ResponseTemplate::new(200).set_body_json(json!({"notes": books(ids)}))
    })
    .await;
    let items = all(client(&server).list_notes("s1").items()).await;
    assert_eq!(items, decoded([10, 11, 20, 21, 30, 31]));
    assert_eq!(
        urls(&server).await,
        [
            "/shelves/s1/notes",
            "/shelves/s1/notes?page=2",
            "/shelves/s1/notes?page=3",
            "/shelves/s1/notes?page=4"
        ]
    );
}

#[tokio::test]
async fn pages_counted_by_num_pages_alone() {
    // `list_chapters` names no items, so it has `pages` only; `page` is a required number.
    let server = serve(|request: &Request| {
        let page = param(request, "page").unwrap();
        ResponseTemplate::new(200)
            .set_body_json(json!({"chapters": [format!("at {page}")], "totalPages": 2}))
    })
    .await;
    let pages = all(client(&server).list_chapters(1.0).pages()).await;
    let chapters: Vec<Vec<String>> = pages.into_iter().map(|p| p.into_body().chapters).collect();
    // A number parameter is written as its JSON text (`2.0`).
    assert_eq!(
        chapters,
        [vec!["at 1.0".to_owned()], vec!["at 2.0".to_owned()]]
    );
    assert_eq!(
        urls(&server).await,
        ["/chapters?page=1.0", "/chapters?page=2.0"]
    );
}

/// A page that does not give the number of pages, of an operation with no `results`: nothing
/// says a next page exists, so paging stops after it.
#[tokio::test]
async fn a_page_without_its_number_of_pages_is_the_last() {
    let server = serve(|request: &Request| {
        let page = param(request, "page").unwrap();
        ResponseTemplate::new(200).set_body_json(json!({"chapters": [format!("at {page}")]}))
    })
    .await;
    let pages: Vec<_> = client(&server)
        .list_chapters(1.0)
        .pages()
        .take(3)
        .collect()
        .await;
    assert_eq!(pages.len(), 1);
    assert_eq!(urls(&server).await, ["/chapters?page=1.0"]);
}

#[tokio::test]
async fn cursors_are_sent_back_until_there_is_none() {
    let server = serve(|request: &Request| {
        let (ids, next): (&[i64], Value) = match param(request, "cursor").as_deref() {
            None => (&[1, 2], json!("c2")),
            Some("c2") => (&[3, 4], json!("c3")),
            Some("c3") => (&[5], Value::Null),
            other => panic!("no page for cursor {other:?}"),
        };
        ResponseTemplate::new(200)
            .set_body_json(json!({"items": books(ids.iter().copied()), "meta": {"next": next}}))
    })
    .await;
    let items = all(client(&server).list_feed().q("x").items()).await;
    assert_eq!(items, decoded(1..6));
    assert_eq!(
        urls(&server).await,
        ["/feed?q=x", "/feed?cursor=c2&q=x", "/feed?cursor=c3&q=x"]
    );
}

#[tokio::test]
async fn a_server_that_repeats_a_cursor_forever_cannot_make_paging_loop() {
    // Every page is new, but the cursor is always the same.
    let server = serve(|request: &Request| {
        let first = if param(request, "cursor").is_some() {
            3
        } else {
            1
        };
        ResponseTemplate::new(200)
            .set_body_json(json!({"items": books([first, first + 1]), "meta": {"next": "again"}}))
    })
    .await;
    let items = all(client(&server).list_feed().items()).await;
    assert_eq!(items, decoded(1..5));
    assert_eq!(urls(&server).await, ["/feed", "/feed?cursor=again"]);

    // A cycle of two cursors ends when it comes round.
    let server = serve(|request: &Request| {
        let (id, next) = match param(request, "cursor").as_deref() {
            None => (1, "a"),
            Some("a") => (2, "b"),
            Some("b") => (3, "a"),
            other => panic!("{other:?}"),
        };
        ResponseTemplate::new(200)
            .set_body_json(json!({"items": books([id]), "meta": {"next": next}}))
    })
    .await;
    let items = all(client(&server).list_feed().items()).await;
    assert_eq!(items, decoded(1..4));
    assert_eq!(
        urls(&server).await,
        ["/feed", "/feed?cursor=a", "/feed?cursor=b"]
    );

    // The caller's own cursor counts as used.
    let server = serve(|_: &Request| {
        ResponseTemplate::new(200)
            .set_body_json(json!({"items": books([7]), "meta": {"next": "mine"}}))
    })
    .await;
    let items = all(client(&server).list_feed().cursor("mine").items()).await;
    assert_eq!(items, decoded([7]));
    assert_eq!(urls(&server).await, ["/feed?cursor=mine"]);
}

#[tokio::test]
async fn an_empty_or_absent_cursor_and_a_short_page_end_paging() {
    for meta in [json!({"next": ""}), json!({}), Value::Null] {
        let body = match meta {
            Value::Null => json!({"items": books([1])}),
            meta => json!({"items": books([1]), "meta": meta}),
        };
        let server =
            serve(move |_: &Request| ResponseTemplate::new(200).set_body_json(body.clone())).await;
        let items = all(client(&server).list_feed().items()).await;
        assert_eq!(items, decoded([1]));
        assert_eq!(sent(&server).await.len(), 1);
    }
    // Two items where the limit asks for three: the last page, whatever the cursor says.
    let server = serve(|_: &Request| {
        ResponseTemplate::new(200)
            .set_body_json(json!({"items": books([1, 2]), "meta": {"next": "more"}}))
    })
    .await;
    let items = all(client(&server).list_feed().limit(3).items()).await;
    assert_eq!(items, decoded([1, 2]));
    assert_eq!(urls(&server).await, ["/feed?limit=3"]);
}

#[tokio::test]
async fn the_cursor_can_be_the_last_items_id() {
    // `nextCursor: $[-1].id`, sent back as the integer `after`, until a page is empty.
    let server = serve(|request: &Request| {
        let after = number(request, "after").unwrap_or(0);
        let ids: Vec<i64> = (after + 1..=(after + 2).min(5)).collect();
        ResponseTemplate::new(200).set_body_json(json!(books(ids)))
    })
    .await;
    let items = all(client(&server).list_since().q("x").items()).await;
    assert_eq!(items, decoded(1..6));
    assert_eq!(
        urls(&server).await,
        [
            "/since?q=x",
            "/since?after=2&q=x",
            "/since?after=4&q=x",
            "/since?after=5&q=x"
        ]
    );
}

#[tokio::test]
async fn a_cursor_in_the_request_body_from_the_last_items_field() {
    // Speakeasy's own example: `since` in the body, from `$.data.resultArray[-1].created_at`.
    // The items may be `null`; a last item that is `null` has no cursor, which ends paging.
    let server = serve(|request: &Request| {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let hits = match body.get("since").and_then(Value::as_str) {
            None => json!([{"id": 1, "created_at": "t1"}, {"id": 2, "created_at": "t2"}]),
            Some("t2") => json!([{"id": 3, "created_at": "t3"}, null]),
            other => panic!("{other:?}"),
        };
        ResponseTemplate::new(200).set_body_json(json!({"data": {"resultArray": hits}}))
    })
    .await;
    let scan = ScanBooksBody {
        query: Some("q".to_owned()),
        since: None,
        limit: Some("2".to_owned()),
    };
    let items = all(client(&server).scan_books(scan).items()).await;
    let hit = |id: i64| Hit {
        id,
        created_at: format!("t{id}"),
    };
    assert_eq!(items, [Some(hit(1)), Some(hit(2)), Some(hit(3)), None]);
    let bodies: Vec<Value> = sent(&server)
        .await
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(
        bodies,
        [
            json!({"query": "q", "limit": "2"}),
            json!({"query": "q", "since": "t2", "limit": "2"}),
        ]
    );
}

#[tokio::test]
async fn next_links_are_followed_with_the_same_headers_and_credentials() {
    let server = MockServer::start().await;
    let absolute = format!("{}/linked?page=2&q=x", server.uri());
    Mock::given(wiremock::matchers::any())
        .respond_with(move |request: &Request| {
            let (id, next) = match param(request, "page").as_deref() {
                None => (1, json!(absolute)),
                // An absolute path, then a query alone: both resolved against the page's URL.
                Some("2") => (2, json!("/linked?page=3&q=x")),
                Some("3") => (3, json!("?page=4")),
                Some("4") => (4, Value::Null),
                other => panic!("{other:?}"),
            };
            ResponseTemplate::new(200)
                .set_body_json(json!({"items": books([id]), "links": {"next": next}}))
        })
        .mount(&server)
        .await;
    let items = all(client(&server).list_linked().q("x").x_trace("t").items()).await;
    assert_eq!(items, decoded(1..5));
    assert_eq!(
        urls(&server).await,
        [
            "/linked?q=x",
            "/linked?page=2&q=x",
            "/linked?page=3&q=x",
            "/linked?page=4"
        ]
    );
    for request in sent(&server).await {
        assert_eq!(request.headers["x-trace"], "t");
        assert_eq!(request.headers["authorization"], "Bearer secret");
    }
}

#[tokio::test]
async fn a_next_link_fetched_already_ends_paging() {
    let server = serve(|request: &Request| {
        let id = if param(request, "page").is_some() {
            2
        } else {
            1
        };
        ResponseTemplate::new(200)
            .set_body_json(json!({"items": books([id]), "links": {"next": "/linked?page=2"}}))
    })
    .await;
    let items = all(client(&server).list_linked().items()).await;
    assert_eq!(items, decoded([1, 2]));
    assert_eq!(urls(&server).await, ["/linked", "/linked?page=2"]);

    // A link back to the first page is one fetched already, too.
    let server = serve(|request: &Request| {
        let (id, next) = if param(request, "page").is_some() {
            (2, "/linked")
        } else {
            (1, "/linked?page=2")
        };
        ResponseTemplate::new(200)
            .set_body_json(json!({"items": books([id]), "links": {"next": next}}))
    })
    .await;
    let items = all(client(&server).list_linked().items()).await;
    assert_eq!(items, decoded([1, 2]));
    assert_eq!(urls(&server).await, ["/linked", "/linked?page=2"]);
}

#[tokio::test]
async fn a_next_link_to_another_origin_is_an_error_and_is_not_followed() {
    let server = serve(|_: &Request| {
        ResponseTemplate::new(200).set_body_json(
            json!({"items": books([1]), "links": {"next": "http://elsewhere.test/linked?page=2"}}),
        )
    })
    .await;
    let results: Vec<_> = client(&server)
        .list_linked()
        .items()
        .take(BOUND)
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].as_ref().unwrap(), &decoded([1])[0]);
    match &results[1] {
        Err(Error::InvalidRequest(message)) => assert!(
            message.contains("http://elsewhere.test/linked?page=2")
                && message.contains("another origin"),
            "{message}"
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(sent(&server).await.len(), 1);
}

#[tokio::test]
async fn offsets_in_the_request_body_are_written_as_the_body_types_them() {
    // `skip` and `limit` are strings in the body's schema, as HighLevel's list of posts has them.
    let server = serve(|request: &Request| {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let skip: i64 = body["skip"].as_str().unwrap().parse().unwrap();
        let limit: i64 = body["limit"].as_str().unwrap().parse().unwrap();
        let end = (skip + limit).min(5);
        ResponseTemplate::new(201).set_body_json(json!({"found": {"books": books(skip..end)}}))
    })
    .await;
    let search = Search {
        query: Some("rust".to_owned()),
        skip: "0".to_owned(),
        limit: "2".to_owned(),
    };
    let items = all(client(&server).search_books(search).items()).await;
    assert_eq!(items, decoded(0..5));
    let bodies: Vec<Value> = sent(&server)
        .await
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(
        bodies,
        [
            json!({"query": "rust", "skip": "0", "limit": "2"}),
            json!({"query": "rust", "skip": "2", "limit": "2"}),
            json!({"query": "rust", "skip": "4", "limit": "2"}),
        ]
    );
    for request in sent(&server).await {
        assert_eq!(request.url.path(), "/search");
        assert_eq!(request.headers["content-type"], "application/json");
    }
}

#[tokio::test]
async fn an_offset_that_is_not_a_number_is_refused_before_anything_is_sent() {
    let server = serve(|_: &Request| ResponseTemplate::new(201).set_body_json(json!({}))).await;
    let search = Search {
        query: None,
        skip: "first".to_owned(),
        limit: "2".to_owned(),
    };
    let results: Vec<_> = client(&server)
        .search_books(search)
        .items()
        .take(BOUND)
        .collect()
        .await;
    assert_eq!(results.len(), 1);
    match &results[0] {
        Err(Error::InvalidRequest(message)) => {
            assert!(message.contains("`skip` is \"first\""), "{message}")
        }
        other => panic!("{other:?}"),
    }
    assert!(sent(&server).await.is_empty());
}

#[test]
fn an_extension_that_does_not_fit_gives_no_paging_methods() {
    // Every operation of this spec has a pagination extension that does not fit it, each in
    // its own way; the diagnostics test snapshots the warnings' text and places.
    let spec = std::path::Path::new("bad-specs/pagination-misfits.yaml");
    let text = std::fs::read_to_string(spec).unwrap();
    let document: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let operations: usize = document["paths"]
        .as_mapping()
        .unwrap()
        .values()
        .map(|item| item.as_mapping().unwrap().len())
        .sum();
    let generated = tests::generate("pagination-misfits", spec);
    assert_eq!(generated.warnings.len(), operations);
    for warning in &generated.warnings {
        assert!(
            warning
                .message
                .ends_with("is generated without paging (no `pages` or `items`)"),
            "{warning}"
        );
        assert!(
            warning.pointer.contains("/x-speakeasy-pagination"),
            "{warning}"
        );
    }
    assert!(
        generated
            .files
            .iter()
            .all(|f| f.path != "src/requests/pagination.rs" && f.path != "src/pages.rs")
    );
    let manifest = generated
        .files
        .iter()
        .find(|f| f.path == "Cargo.toml")
        .unwrap();
    assert!(!manifest.contents.contains("futures"));
}

#[test]
fn a_misfit_an_overlay_brings_is_reported_in_the_overlay() {
    let options = sdkgen::Options {
        crate_name: "pagination".to_owned(),
        command: "cargo test -p tests --test pagination".to_owned(),
        standalone: false,
    };
    let overlay = std::path::PathBuf::from("overlays/pagination-misfit.yaml");
    let generated = sdkgen::generate_with_overlays(
        std::path::Path::new("fixtures/pagination.yaml"),
        std::slice::from_ref(&overlay),
        &options,
    )
    .unwrap();
    assert_eq!(generated.warnings.len(), 1, "{}", generated.report(false));
    let warning = &generated.warnings[0];
    assert_eq!(warning.file, "overlays/pagination-misfit.yaml");
    // The line of `numPages: $.chapters` in the overlay.
    assert_eq!(warning.line.map(|(line, _)| line), Some(12));
    assert_eq!(
        warning.message,
        "`numPages: $.chapters` leads to an array in the response body, not to a number; \
         `list_chapters` is generated without paging (no `pages` or `items`)"
    );
    let paging = generated
        .files
        .iter()
        .find(|f| f.path == "src/requests/pagination.rs")
        .unwrap();
    assert!(!paging.contents.contains("ListChapters"));
    assert!(paging.contents.contains("impl<'a> super::ListBooks<'a> {"));
}

/// A next link is requested as it is written: one without `?` has no query component
/// (RFC 3986, section 3.4), and none is added to it, not even an empty one.
#[tokio::test]
async fn a_next_link_without_a_query_is_sent_without_one() {
    let server = serve(|request: &Request| {
        let (id, next) = if request.url.path() == "/linked" {
            (1, json!("/linked/2"))
        } else {
            (2, Value::Null)
        };
        ResponseTemplate::new(200)
            .set_body_json(json!({"items": books([id]), "links": {"next": next}}))
    })
    .await;
    let items = all(client(&server).list_linked().items()).await;
    assert_eq!(items, decoded([1, 2]));
    let queries: Vec<Option<String>> = sent(&server)
        .await
        .iter()
        .map(|r| r.url.query().map(str::to_owned))
        .collect();
    assert_eq!(queries, [None, None]);
}
