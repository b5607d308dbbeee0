//! The README's claims about a generated client at run time, each tested on `client_behaviour`
//! (generated from `fixtures/client-behaviour.yaml`) so that it fails when the claim is broken.
//! Expected values come from the README, the fixture spec and the documents they cite
//! (OpenAPI 3.0.3, RFC 9110, the AWS Architecture Blog's "Exponential Backoff And Jitter"),
//! never from running the code.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use client_behaviour::{
    Client, Error, GetZooError, Item, ItemKind, Profile, RetryPolicy, Upload, UploadMultipart, Zoo,
    ZooCat, ZooDog, ZooLabels, ZooPet,
};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A listening socket whose accept queue is full, so a new connection to it never completes
/// (Linux drops the SYN of a connection the queue has no room for): a server that does not
/// answer, on loopback. The socket and the connections filling its queue live as long as the
/// returned value.
struct BlackHole {
    addr: SocketAddr,
    _listener: tokio::net::TcpListener,
    _filling: Vec<std::net::TcpStream>,
}

fn black_hole() -> BlackHole {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let addr = socket.local_addr().unwrap();
    let listener = socket.listen(0).unwrap();
    let mut filling = Vec::new();
    // Connect until a connection does not complete: the queue is full.
    for _ in 0..16 {
        match std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(300)) {
            Ok(stream) => filling.push(stream),
            Err(_) => {
                return BlackHole {
                    addr,
                    _listener: listener,
                    _filling: filling,
                };
            }
        }
    }
    panic!("the accept queue of {addr} never filled up");
}

/// "`.with_connect_timeout(...)`": a connection that does not complete fails after the
/// configured time, as a transport error of the connect kind.
#[tokio::test]
async fn the_connect_timeout_bounds_connecting() {
    let hole = black_hole();
    let started = Instant::now();
    let err = Client::new("t")
        .with_base_url(format!("http://{}", hole.addr))
        .with_timeout(None)
        .with_connect_timeout(Duration::from_millis(300))
        .health()
        .send()
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(
        matches!(&err, Error::Transport(e) if e.is_connect() && e.is_timeout()),
        "{err:?}"
    );
    // Generous bounds: at least the timeout, and far less than the 10 s default.
    assert!(
        elapsed >= Duration::from_millis(300) && elapsed < Duration::from_secs(6),
        "{elapsed:?}"
    );
}

/// "`.with_connect_timeout(Duration::from_secs(5))    // default 10 s`": without a setting, a
/// connection that does not complete fails after 10 s: not sooner, and well before 15 s (the
/// 30 s per-attempt timeout is turned off here).
#[tokio::test]
async fn the_default_connect_timeout_is_ten_seconds() {
    let hole = black_hole();
    let started = Instant::now();
    let err = Client::new("t")
        .with_base_url(format!("http://{}", hole.addr))
        .with_timeout(None)
        .health()
        .send()
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(
        matches!(&err, Error::Transport(e) if e.is_connect() && e.is_timeout()),
        "{err:?}"
    );
    assert!(
        elapsed >= Duration::from_millis(9_900) && elapsed < Duration::from_secs(15),
        "{elapsed:?}"
    );
}

/// Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): the wait before
/// retry `n` is uniform over `[0, min(cap, base × 2^(n−1))]`. Checked on 400 draws per
/// retry: every draw in range, draws near both ends (a fixed or "equal jitter" wait has none
/// below half the cap), a mean near half the cap, and many distinct values.
#[test]
fn the_backoff_is_exponential_with_full_jitter() {
    let policy = RetryPolicy::standard()
        .with_backoff(Duration::from_millis(100), Duration::from_millis(1_000));
    let caps = [100, 200, 400, 800, 1_000, 1_000, 1_000];
    for (retry, cap) in (1..).zip(caps) {
        let cap = Duration::from_millis(cap);
        let draws: Vec<Duration> = (0..400).map(|_| policy.backoff(retry)).collect();
        assert!(
            draws.iter().all(|d| *d <= cap),
            "retry {retry}: a wait above {cap:?}"
        );
        let low = draws.iter().filter(|d| **d < cap / 4).count();
        let high = draws.iter().filter(|d| **d > cap * 3 / 4).count();
        assert!(
            low > 40 && high > 40,
            "retry {retry}: {low} low, {high} high"
        );
        let mean = draws.iter().sum::<Duration>() / 400;
        assert!(
            mean > cap * 2 / 5 && mean < cap * 3 / 5,
            "retry {retry}: mean {mean:?} of cap {cap:?}"
        );
        let mut distinct = draws.clone();
        distinct.sort();
        distinct.dedup();
        assert!(
            distinct.len() > 300,
            "retry {retry}: {} distinct",
            distinct.len()
        );
    }
    // Far-off retries stay at the cap, with no overflow.
    for retry in [40, 1_000, u32::MAX] {
        assert!(policy.backoff(retry) <= Duration::from_millis(1_000));
    }
    // The first retry waits at most the initial backoff, whatever the cap.
    let policy =
        RetryPolicy::standard().with_backoff(Duration::from_millis(10), Duration::from_secs(60));
    assert!((0..200).all(|_| policy.backoff(1) <= Duration::from_millis(10)));
}

/// The wait the policy draws is the wait between attempts (no `Retry-After` sent): with a
/// 200 ms cap on every retry, seven retries wait 700 ms on average and at most 1.4 s in all
/// (plus the time the requests take: 2 s are allowed for it). Less than 100 ms in all has a
/// chance below 10⁻⁵ (`(100/200)^7 / 7!`): retries that do not wait.
#[tokio::test]
async fn retries_wait_the_jittered_backoff() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let policy = RetryPolicy::standard()
        .with_max_attempts(8)
        .with_backoff(Duration::from_millis(200), Duration::from_millis(200));
    let started = Instant::now();
    let err = Client::new("t")
        .with_base_url(server.uri())
        .with_retry(policy)
        .get_item("a")
        .send()
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 8);
    assert!(
        elapsed >= Duration::from_millis(100) && elapsed < Duration::from_millis(1_400 + 2_000),
        "{elapsed:?}"
    );
}

fn fast_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy::standard()
        .with_max_attempts(attempts)
        .with_backoff(Duration::from_millis(1), Duration::from_millis(5))
}

/// "A multipart upload (a streamed body) is sent once", even with retries on and an answer
/// (`429`) that is retried for every method; a JSON `POST` under the same policy is retried.
#[tokio::test]
async fn a_multipart_upload_is_sent_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429))
        .mount(&server)
        .await;
    let client = Client::new("t")
        .with_base_url(server.uri())
        .with_retry(fast_retries(3));
    let upload = UploadMultipart {
        file: Upload::new(&b"PNGDATA"[..]).with_file_name("a.png"),
        caption: None,
    };
    let err = client.upload(upload).send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 1, "the upload was sent again");
    assert_eq!(sent[0].url.path(), "/upload");

    let item: Item = serde_json::from_value(json!({"name": "box"})).unwrap();
    client.create_item(item).send().await.unwrap_err();
    let sent = server.received_requests().await.unwrap();
    assert_eq!(
        sent.iter().filter(|r| r.url.path() == "/items").count(),
        3,
        "a JSON body is retried under the same policy"
    );
}

/// "`type: string` enum → `enum` ... and `Other(String)` for values the spec does not list"
/// (`Item.kind` lists `small` and `large`).
#[test]
fn an_unlisted_enum_value_decodes_to_other_and_encodes_back() {
    let item: Item = serde_json::from_value(json!({"name": "a", "kind": "small"})).unwrap();
    assert_eq!(item.kind, Some(ItemKind::Small));
    let item: Item = serde_json::from_value(json!({"name": "a", "kind": "huge"})).unwrap();
    assert_eq!(item.kind, Some(ItemKind::Other("huge".to_owned())));
    assert_eq!(
        serde_json::to_value(&item).unwrap(),
        json!({"name": "a", "kind": "huge"})
    );
    assert_eq!(ItemKind::Large.as_str(), "large");
    assert_eq!(ItemKind::Other("huge".into()).to_string(), "huge");
    assert_eq!(
        serde_json::to_value(ItemKind::Large).unwrap(),
        json!("large")
    );
    // The enum is a string: a value of another JSON type is not one of its values.
    assert!(serde_json::from_value::<ItemKind>(json!(5)).is_err());
    assert!(serde_json::from_value::<ItemKind>(json!({"small": null})).is_err());
}

/// "`nullable: true` → required: `Option<T>` (sent as `null`); optional: `Option<Option<T>>`
/// (absent vs `null`)" (`Profile.nickname` is required, `Profile.bio` optional, both nullable).
#[test]
fn absent_and_null_are_told_apart_for_an_optional_nullable_field() {
    let decode = |value| serde_json::from_value::<Profile>(value).unwrap();
    let absent = decode(json!({"nickname": "n"}));
    let null = decode(json!({"nickname": "n", "bio": null}));
    let given = decode(json!({"nickname": null, "bio": "b"}));
    assert_eq!(absent.bio, None);
    assert_eq!(null.bio, Some(None));
    assert_eq!(given.bio, Some(Some("b".to_owned())));
    assert_eq!(given.nickname, None);
    // Encoding keeps the difference: absent stays absent, null is sent, and a required
    // nullable field is sent as `null`.
    assert_eq!(
        serde_json::to_value(&absent).unwrap(),
        json!({"nickname": "n"})
    );
    assert_eq!(
        serde_json::to_value(&null).unwrap(),
        json!({"nickname": "n", "bio": null})
    );
    assert_eq!(
        serde_json::to_value(&given).unwrap(),
        json!({"nickname": null, "bio": "b"})
    );
}

/// "`oneOf` with a `discriminator`, chosen by the tag (`mapping` or schema name)": `ZooPet` is
/// `oneOf: [ZooCat, ZooDog]` with `propertyName: kind` and no mapping, so the tag is the schema
/// name. A body that would also decode as the first member goes to the one its tag names.
#[test]
fn a_discriminator_tag_chooses_the_member() {
    let pet = |value| serde_json::from_value::<ZooPet>(value).unwrap();
    let dog = pet(json!({"kind": "ZooDog", "lives": 3, "toy": {"name": "ball"}}));
    assert_eq!(
        dog,
        ZooPet::ZooDog(ZooDog {
            kind: "ZooDog".into(),
            toy: client_behaviour::Toy {
                name: "ball".into(),
                squeaks: None,
            },
        })
    );
    let cat = pet(json!({"kind": "ZooCat", "lives": 9, "toy": {"name": "ball"}}));
    assert_eq!(
        cat,
        ZooPet::ZooCat(ZooCat {
            kind: "ZooCat".into(),
            lives: 9,
        })
    );
    // The tag is kept when encoding.
    assert_eq!(
        serde_json::to_value(&cat).unwrap(),
        json!({"kind": "ZooCat", "lives": 9})
    );
    // A tag that names no member is kept whole.
    let other = json!({"kind": "ZooBird", "wings": 2});
    assert_eq!(pet(other.clone()), ZooPet::Other(other));
}

/// "`additionalProperties: true` / schema → `#[serde(flatten)] additional_properties`":
/// `Zoo.labels` has a `color` property and integer additional properties; the keys the spec
/// does not list are kept, and encoded again.
#[test]
fn additional_properties_are_kept() {
    let zoo: Zoo = serde_json::from_value(
        json!({"pets": [], "labels": {"color": "red", "size": 3, "age": 7}}),
    )
    .unwrap();
    let labels: &ZooLabels = zoo.labels.as_ref().unwrap();
    assert_eq!(labels.color.as_deref(), Some("red"));
    assert_eq!(
        labels.additional_properties,
        [("age".to_owned(), 7), ("size".to_owned(), 3)]
            .into_iter()
            .collect()
    );
    assert_eq!(
        serde_json::to_value(labels).unwrap(),
        json!({"color": "red", "age": 7, "size": 3})
    );
}

/// README: "a body that does not decode (`Error::Decode`, raw body and serde error kept)",
/// for a documented error status too: `getZoo` documents `422` with a `Problem` body.
#[tokio::test]
async fn a_documented_error_status_whose_body_does_not_decode_is_a_decode_error() {
    for body in [r#"{"errors": "none"}"#, "<html>Bad gateway</html>"] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/zoo"))
            .respond_with(
                ResponseTemplate::new(422)
                    .insert_header("content-type", "application/json")
                    .set_body_string(body),
            )
            .mount(&server)
            .await;
        let err = Client::new("t")
            .with_base_url(server.uri())
            .get_zoo()
            .send()
            .await
            .unwrap_err();
        match &err {
            Error::Decode { response, .. } => {
                assert_eq!(response.status().as_u16(), 422);
                assert_eq!(response.raw_body().as_ref(), body.as_bytes());
                assert_eq!(response.body().as_ref(), body.as_bytes());
            }
            other => panic!("{body}: not a decode error: {other:?}"),
        }
    }
    // The same status with a body that decodes is the documented error.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({"errors": []})))
        .mount(&server)
        .await;
    let err = Client::new("t")
        .with_base_url(server.uri())
        .get_zoo()
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api(r) if matches!(r.body(), GetZooError::UnprocessableEntity(p) if p.errors.is_empty())),
        "{err:?}"
    );
}
