//! What every contract driver shares: a recording proxy between the client and the server, and
//! the line each call prints. Copied into each driver by `cargo xtask conformance`.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::api;

/// A loopback proxy that forwards bytes to the server and keeps each request's first line.
pub struct Tap {
    url: String,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Tap {
    /// Listens on loopback and forwards every connection to `upstream` (`http://host:port`).
    pub async fn start(upstream: &str) -> std::io::Result<Tap> {
        let upstream = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let lines = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&lines);
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let recorded = Arc::clone(&recorded);
                tokio::spawn(async move {
                    let _ = forward(client, &upstream, &recorded).await;
                });
            }
        });
        Ok(Tap { url, lines })
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// The request lines recorded since the last call, oldest first.
    pub fn take(&self) -> Vec<String> {
        self.lines
            .lock()
            .map(|mut lines| std::mem::take(&mut *lines))
            .unwrap_or_default()
    }
}

/// Copies the connection both ways, keeping the first line of the request.
async fn forward(mut client: TcpStream, upstream: &str, lines: &Mutex<Vec<String>>) -> std::io::Result<()> {
    let mut server = TcpStream::connect(upstream).await?;
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 65536 {
        let read = client.read(&mut buffer).await?;
        if read == 0 {
            return Ok(());
        }
        let chunk = buffer.get(..read).unwrap_or_default();
        head.extend_from_slice(chunk);
        server.write_all(chunk).await?;
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut head_lines = head.split("\r\n");
    let mut line = head_lines.next().unwrap_or_default().to_owned();
    // The request's media type matters to what the server can read of it.
    if let Some(content_type) = head_lines
        .take_while(|l| !l.is_empty())
        .find(|l| l.to_ascii_lowercase().starts_with("content-type:"))
    {
        line.push_str(&format!(" [{}]", content_type.trim()));
    }
    if let Ok(mut lines) = lines.lock() {
        lines.push(line);
    }
    tokio::io::copy_bidirectional(&mut client, &mut server).await?;
    Ok(())
}

/// An HTTP client that opens a connection per request, so the proxy sees each one's first line.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .no_proxy()
        .build()
        .unwrap_or_default()
}

/// A value of the crate's type from the sample's JSON text.
pub fn sample<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, String> {
    serde_json::from_str(json).map_err(|e| format!("the sample does not fit the generated type: {e}"))
}

/// What came back from one call.
pub struct Outcome {
    status: Option<u16>,
    violations: Option<String>,
    content_type: Option<String>,
    body: Option<Vec<u8>>,
    /// `ok`, `documented-error`, or what went wrong.
    result: String,
}

impl Outcome {
    pub fn of<T: std::fmt::Debug, E: std::fmt::Debug>(result: Result<api::Response<T>, api::Error<E>>) -> Outcome {
        let header = |headers: &reqwest::header::HeaderMap, name: &str| {
            headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
        };
        match result {
            Ok(response) => Outcome {
                status: Some(response.status().as_u16()),
                violations: header(response.headers(), "sl-violations"),
                content_type: header(response.headers(), "content-type"),
                body: None,
                result: "ok".to_owned(),
            },
            Err(err) => {
                let status = err.status().map(|s| s.as_u16());
                let headers = err.headers().cloned().unwrap_or_default();
                let (body, result) = match &err {
                    api::Error::Api(response) => (Some(response.raw_body().to_vec()), "documented-error".to_owned()),
                    api::Error::UnexpectedStatus(response) => (Some(response.body().to_vec()), "undocumented-status".to_owned()),
                    api::Error::Decode { response, .. } => (Some(response.body().to_vec()), format!("decode-error: {err}")),
                    other => (None, format!("not-sent: {other}")),
                };
                Outcome {
                    status,
                    violations: header(&headers, "sl-violations"),
                    content_type: header(&headers, "content-type"),
                    body,
                    result,
                }
            }
        }
    }

    /// A sample that does not fit its type: nothing was sent.
    pub fn invalid_sample(message: String) -> Outcome {
        Outcome { status: None, violations: None, content_type: None, body: None, result: format!("invalid-sample: {message}") }
    }

    /// One JSON line for the call of `operation`.
    pub fn print(self, tap: &Tap, index: usize, operation: &str, method: &str, path: &str) {
        let body = self.body.as_deref().map(|b| String::from_utf8_lossy(b).into_owned());
        let line = serde_json::json!({
            "index": index,
            "operation": operation,
            "method": method,
            "path": path,
            "requests": tap.take(),
            "status": self.status,
            "content_type": self.content_type,
            "violations": self.violations,
            "result": self.result,
            "body": body,
        });
        println!("{line}");
    }
}
