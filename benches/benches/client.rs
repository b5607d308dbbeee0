//! Generated-client overhead: `highlevel::Client::get_instagram_page_group` against a
//! hand-written reqwest + serde_json call that sends the same request and decodes the same
//! body into hand-written structs, both against one loopback server, interleaved.
//!
//! Run: `cargo bench -p benches --bench client`
//!
//! Baseline measured in the same run: the hand-written call. Also counts the bytes each
//! call allocates, so an extra copy of the body would show as about one body size more.

use std::sync::Arc;
use std::time::Instant;

use benches::measure::{self, bytes, median_secs, secs, verdict};
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[global_allocator]
static ALLOC: benches::alloc::Counting = benches::alloc::Counting;

const LOCATION: &str = "w37swmmLbA02zgqKPpxITe2";
const ACCOUNT: &str = "w37swmmLbA02zgqKPpxITe";
const TOKEN: &str = "bench-token";
const USER_AGENT: &str = "highlevel/0.1.0";

/// What a person would write by hand for the same body.
#[derive(Deserialize)]
#[allow(dead_code)]
struct Accounts {
    success: bool,
    #[serde(rename = "statusCode")]
    status_code: f64,
    message: String,
    results: Option<Results>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Results {
    accounts: Option<Vec<Account>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Account {
    id: Option<String>,
    name: Option<String>,
    avatar: Option<String>,
    #[serde(rename = "pageId")]
    page_id: Option<String>,
    #[serde(rename = "isConnected")]
    is_connected: Option<bool>,
}

/// A loopback HTTP/1.1 server that answers every request on a kept-alive connection with
/// the same 200 JSON response. Binds 127.0.0.1 on a free port. One thread serves every
/// connection (a single-threaded tokio runtime), so both clients meet the same server; the
/// thread ends with the process.
fn serve(body: Vec<u8>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    listener
        .set_nonblocking(true)
        .expect("non-blocking listener");
    let addr = listener.local_addr().expect("local address");
    let mut response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(&body);
    let response: Arc<[u8]> = response.into();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("server runtime");
        rt.block_on(async move {
            let listener = TcpListener::from_std(listener).expect("tokio listener");
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(answer(stream, Arc::clone(&response)));
            }
        });
    });
    format!("http://{addr}")
}

async fn answer(mut stream: TcpStream, response: Arc<[u8]>) {
    let _ = stream.set_nodelay(true);
    let mut buf = vec![0u8; 16 * 1024];
    let mut filled = 0;
    loop {
        // Requests are GETs without a body: one ends at the blank line after its headers.
        match stream.read(&mut buf[filled..]).await {
            Ok(0) | Err(_) => return,
            Ok(n) => filled += n,
        }
        while let Some(end) = buf[..filled].windows(4).position(|w| w == b"\r\n\r\n") {
            if stream.write_all(&response).await.is_err() {
                return;
            }
            buf.copy_within(end + 4..filled, 0);
            filled -= end + 4;
        }
        if filled == buf.len() {
            return;
        }
    }
}

async fn generated(client: &highlevel::Client) -> usize {
    let response = client
        .get_instagram_page_group(LOCATION, ACCOUNT)
        .send()
        .await
        .expect("generated client call");
    response
        .results
        .as_ref()
        .and_then(|r| r.accounts.as_ref())
        .map_or(0, Vec::len)
}

async fn hand_written(http: &reqwest::Client, base: &str) -> usize {
    let url = format!("{base}/social-media-posting/oauth/{LOCATION}/instagram/accounts/{ACCOUNT}");
    let response = http
        .get(url)
        .header("Version", "2021-07-28")
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("hand-written call");
    assert_eq!(response.status(), 200);
    let body = response.bytes().await.expect("body");
    let decoded: Accounts = serde_json::from_slice(&body).expect("decode");
    decoded
        .results
        .and_then(|r| r.accounts)
        .map_or(0, |a| a.len())
}

struct Figures {
    accounts: usize,
    body: usize,
    rounds: usize,
    per_call: usize,
    generated: f64,
    baseline: f64,
    per_round_ratio: f64,
    alloc_generated: f64,
    alloc_baseline: f64,
}

fn run(rt: &tokio::runtime::Runtime, accounts: usize, rounds: usize, per_call: usize) -> Figures {
    let body = benches::body::accounts(accounts);
    let body_len = body.len();
    let base = serve(body);
    let client = highlevel::Client::new(TOKEN).with_base_url(base.clone());
    let http = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .build()
        .expect("reqwest client");
    rt.block_on(async {
        // Warm both connection pools and check both decode all accounts.
        for _ in 0..20 {
            assert_eq!(generated(&client).await, accounts);
            assert_eq!(hand_written(&http, &base).await, accounts);
        }
    });
    let mut calls_generated = Vec::with_capacity(rounds * per_call);
    let mut calls_baseline = Vec::with_capacity(rounds * per_call);
    let mut alloc_generated = (0usize, 0usize);
    let mut alloc_baseline = (0usize, 0usize);
    let (rounds_generated, rounds_baseline) = measure::interleaved(
        rounds,
        || {
            rt.block_on(async {
                let before = benches::alloc::total_allocated();
                let start = Instant::now();
                for _ in 0..per_call {
                    let t = Instant::now();
                    std::hint::black_box(generated(&client).await);
                    calls_generated.push(t.elapsed());
                }
                let took = start.elapsed();
                alloc_generated.0 += benches::alloc::total_allocated() - before;
                alloc_generated.1 += per_call;
                took
            })
        },
        || {
            rt.block_on(async {
                let before = benches::alloc::total_allocated();
                let start = Instant::now();
                for _ in 0..per_call {
                    let t = Instant::now();
                    std::hint::black_box(hand_written(&http, &base).await);
                    calls_baseline.push(t.elapsed());
                }
                let took = start.elapsed();
                alloc_baseline.0 += benches::alloc::total_allocated() - before;
                alloc_baseline.1 += per_call;
                took
            })
        },
    );
    let ratios: Vec<f64> = rounds_generated
        .iter()
        .zip(&rounds_baseline)
        .map(|(g, b)| g.as_secs_f64() / b.as_secs_f64())
        .collect();
    Figures {
        accounts,
        body: body_len,
        rounds,
        per_call,
        generated: median_secs(&calls_generated),
        baseline: median_secs(&calls_baseline),
        per_round_ratio: measure::median(&ratios),
        alloc_generated: alloc_generated.0 as f64 / alloc_generated.1 as f64,
        alloc_baseline: alloc_baseline.0 as f64 / alloc_baseline.1 as f64,
    }
}

fn main() {
    // The client side runs on one thread; the server answers from its own threads.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    if !benches::bench_mode() {
        let f = run(&rt, 1, 2, 2);
        println!(
            "client overhead: ok ({} and {} per call)",
            secs(f.generated),
            secs(f.baseline)
        );
        return;
    }
    println!("{}", measure::machine());
    println!(
        "generated client vs hand-written reqwest + serde_json, one loopback server, interleaved rounds"
    );
    let mut all = Vec::new();
    for (accounts, rounds, per_call) in [(1, 4_000, 2), (100, 3_000, 2), (10_000, 200, 1)] {
        let f = run(&rt, accounts, rounds, per_call);
        println!(
            "\n{} account(s), body {} ({} rounds x {} calls each)",
            f.accounts,
            bytes(f.body as f64),
            f.rounds,
            f.per_call
        );
        println!(
            "  median per call: generated {}  hand-written {}  ratio {:.3}  (median per-round ratio {:.3})",
            secs(f.generated),
            secs(f.baseline),
            f.generated / f.baseline,
            f.per_round_ratio
        );
        println!(
            "  allocated per call: generated {}  hand-written {}  difference {} ({:.2} body sizes)",
            bytes(f.alloc_generated),
            bytes(f.alloc_baseline),
            bytes(f.alloc_generated - f.alloc_baseline),
            (f.alloc_generated - f.alloc_baseline) / f.body as f64
        );
        all.push(f);
    }
    println!("\nsummary");
    for f in &all {
        let ratio = f.generated / f.baseline;
        println!(
            "  {:>6} accounts: per-call ratio {:.3} (target at most 1.02: {}); extra allocated per call {}",
            f.accounts,
            ratio,
            verdict(ratio <= 1.02),
            bytes(f.alloc_generated - f.alloc_baseline),
        );
    }
    // A second copy of the body would add about one body size per call at every size; a
    // constant difference is request plumbing, not a copy.
    if let Some(largest) = all.iter().max_by_key(|f| f.body) {
        let extra = (largest.alloc_generated - largest.alloc_baseline) / largest.body as f64;
        println!(
            "  extra allocation at the largest body: {extra:.2} body sizes (no extra copy of the body: {})",
            verdict(extra < 0.5)
        );
    }
}
