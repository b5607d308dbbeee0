//! Conformance against a server nobody here wrote: Prism mocks `spec/openapi.yaml` with request
//! validation on, and the generated client (and the example program) must satisfy it.
//!
//! Prism is installed into `tools/node` by `cargo xtask test` and `.ci/run`. Under CI a missing or
//! failing Prism fails the test; elsewhere, without it, the test is counted as skipped
//! (`tests/src/skip.rs`).

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use highlevel::{Client, Error, GetInstagramAccountsResponseDto, GetInstagramPageGroupError};

/// A running Prism, ended (by its process id) when dropped.
struct Prism {
    child: Child,
    base_url: String,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn prism_binary() -> Option<PathBuf> {
    let binary = tests::root().join("tools/node/node_modules/.bin/prism");
    if binary.exists() {
        return Some(binary);
    }
    tests::skip::skip(
        "Prism is not installed in tools/node (run `cargo xtask test`, which installs it with npm)",
    );
    None
}

fn start(binary: &Path) -> Prism {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let log_path = tests::root().join(format!("target/prism-{port}.log"));
    let log = std::fs::File::create(&log_path).unwrap();
    let child = Command::new(binary)
        .args([
            "mock",
            "--errors",
            "-h",
            "127.0.0.1",
            "-p",
            &port.to_string(),
        ])
        .arg(tests::root().join("spec/openapi.yaml"))
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .stdin(Stdio::null())
        .spawn()
        .expect("Prism starts");
    let mut prism = Prism {
        child,
        base_url: format!("http://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return prism;
        }
        let exited = prism.child.try_wait().unwrap();
        if exited.is_some() || Instant::now() > deadline {
            let log = std::fs::read_to_string(&log_path).unwrap_or_default();
            panic!("Prism did not start ({exited:?}):\n{log}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The spec's own example of the 200 body.
fn spec_example() -> GetInstagramAccountsResponseDto {
    let text = std::fs::read_to_string(tests::root().join("spec/openapi.yaml")).unwrap();
    let spec: serde_json::Value = serde_yaml::from_str(&text).unwrap();
    let example = spec
        .pointer("/paths/~1social-media-posting~1oauth~1{locationId}~1instagram~1accounts~1{accountId}/get/responses/200/content/application~1json/example")
        .unwrap()
        .clone();
    serde_json::from_value(example).unwrap()
}

fn asking_for(status: u16) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("prefer", format!("code={status}").parse().unwrap());
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_generated_client_conforms_to_prism() {
    let Some(binary) = prism_binary() else { return };
    let prism = start(&binary);
    let client = Client::new("a-token").with_base_url(&prism.base_url);

    // The plain call: 200, the spec's example, and no violation reported.
    let response = client
        .get_instagram_page_group("w37swmmLbA02zgqKPpxITe2", "w37swmmLbA02zgqKPpxITe")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers().get("sl-violations").is_none(),
        "{:?}",
        response.headers().get("sl-violations")
    );
    assert_eq!(*response.body(), spec_example());
    assert_eq!(response.documented_headers().x_rate_limit_max, Some(100));

    // Each documented error status decodes into its own type.
    for status in [400u16, 401, 422] {
        let client = client.clone().with_http_client(asking_for(status));
        let err = client
            .get_instagram_page_group("l", "a")
            .send()
            .await
            .unwrap_err();
        let Error::Api(response) = &err else {
            panic!("{status}: {err:?}")
        };
        assert_eq!(response.status(), status);
        assert!(response.headers().get("sl-violations").is_none());
        match (status, response.body()) {
            (400, GetInstagramPageGroupError::BadRequest(body)) => {
                assert_eq!(body.message.as_deref(), Some("Bad Request"))
            }
            (401, GetInstagramPageGroupError::Unauthorized(body)) => {
                assert_eq!(body.error.as_deref(), Some("Unauthorized"))
            }
            (422, GetInstagramPageGroupError::UnprocessableEntity(body)) => {
                assert_eq!(
                    body.message.as_deref(),
                    Some(&["Unprocessable Entity".to_owned()][..])
                )
            }
            (status, body) => panic!("{status} decoded as {body:?}"),
        }
    }

    // Validation is really on: no token, and a wrong Version, are what Prism rejects.
    let err = client
        .clone()
        .without_credentials()
        .get_instagram_page_group("l", "a")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401), "{err:?}");
    let wrong_version = reqwest::Client::new()
        .get(format!(
            "{}/social-media-posting/oauth/l/instagram/accounts/a",
            prism.base_url
        ))
        .bearer_auth("a-token")
        .header("Version", "1999-01-01")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_version.status(), 422);
    let violations = wrong_version.headers()["sl-violations"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(violations.contains("version"), "{violations}");

    // The example program prints the accounts as a table.
    let output = tests::run_example(
        &[
            "--location",
            "loc",
            "--account",
            "acc",
            "--base-url",
            &prism.base_url,
        ],
        Some("a-token"),
    );
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("PAGE ID")
            && stdout.contains("pidu37swmmLbA02zgqKPpxITe2")
            && stdout.contains("1 account(s)"),
        "{stdout}"
    );
}
