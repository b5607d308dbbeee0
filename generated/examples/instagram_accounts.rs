//! Lists the Instagram professional accounts of a location as a table.
//!
//! ```sh
//! HIGHLEVEL_TOKEN=... cargo run -p highlevel --example instagram_accounts -- \
//!     --location LOCATION_ID --account ACCOUNT_ID [--base-url URL]
//! ```
//!
//! The token is read from `HIGHLEVEL_TOKEN` only, never from a flag, so it stays out of shell
//! history and process lists. Hand-written: the generator never touches `examples/`.

use std::process::ExitCode;

use highlevel::{Client, Error, GetInstagramPageGroupError, RetryPolicy};

struct Args {
    location: String,
    account: String,
    base_url: Option<String>,
}

const USAGE: &str = "usage: instagram_accounts --location ID --account ID [--base-url URL]\n\
                     (the token comes from the HIGHLEVEL_TOKEN environment variable)";

fn parse_args() -> Result<Args, String> {
    let mut location = None;
    let mut account = None;
    let mut base_url = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let slot = match flag.as_str() {
            "--location" => &mut location,
            "--account" => &mut account,
            "--base-url" => &mut base_url,
            "--token" => {
                return Err("the token is read from HIGHLEVEL_TOKEN, not from a flag".to_owned());
            }
            other => return Err(format!("unknown argument `{other}`")),
        };
        *slot = Some(args.next().ok_or(format!("`{flag}` needs a value"))?);
    }
    Ok(Args {
        location: location.ok_or("`--location` is required")?,
        account: account.ok_or("`--account` is required")?,
        base_url,
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("error: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let Some(token) = std::env::var("HIGHLEVEL_TOKEN")
        .ok()
        .filter(|t| !t.is_empty())
    else {
        eprintln!(
            "error: set HIGHLEVEL_TOKEN to a Sub-Account access token or Private Integration Token"
        );
        return ExitCode::from(2);
    };
    let mut client = Client::new(token).with_retry(RetryPolicy::standard());
    if let Some(base_url) = &args.base_url {
        client = client.with_base_url(base_url);
    }
    match client
        .get_instagram_page_group(&args.location, &args.account)
        .send()
        .await
    {
        Ok(response) => {
            let accounts: Vec<_> = response
                .results
                .iter()
                .flat_map(|r| r.accounts.iter().flatten())
                .collect();
            println!("{:<28} {:<24} {:<28} CONNECTED", "ID", "NAME", "PAGE ID");
            for account in &accounts {
                let text = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_owned());
                let connected = account
                    .is_connected
                    .map_or("-", |c| if c { "yes" } else { "no" });
                println!(
                    "{:<28} {:<24} {:<28} {connected}",
                    text(&account.id),
                    text(&account.name),
                    text(&account.page_id)
                );
            }
            println!("{} account(s)", accounts.len());
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {}", explain(&err, client.base_url()));
            ExitCode::FAILURE
        }
    }
}

/// One line that says what went wrong and what to do.
fn explain(err: &Error<GetInstagramPageGroupError>, base_url: &str) -> String {
    match err {
        Error::Api(response) => match response.body() {
            GetInstagramPageGroupError::Unauthorized(body) => format!(
                "401 Unauthorized: {} (check HIGHLEVEL_TOKEN)",
                body.message.as_deref().unwrap_or("the token was refused")
            ),
            GetInstagramPageGroupError::UnprocessableEntity(body) => format!(
                "422 Unprocessable Entity: {}",
                body.message
                    .as_ref()
                    .map(|m| m.join("; "))
                    .unwrap_or_else(|| "the request was refused".to_owned())
            ),
            GetInstagramPageGroupError::BadRequest(body) => {
                format!(
                    "400 Bad Request: {}",
                    body.message.as_deref().unwrap_or("check the ids")
                )
            }
        },
        Error::UnexpectedStatus(response) if response.status() == 429 => {
            let wait = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("a while");
            format!(
                "429 Too Many Requests: rate limited (100 requests per 10 s, 200,000 per day); retry after {wait}"
            )
        }
        Error::UnexpectedStatus(response) => format!("the server answered {}", response.status()),
        Error::Transport(e) if e.is_timeout() => format!("{base_url} did not answer in time"),
        Error::Transport(_) => format!("cannot reach {base_url} (network failure)"),
        other => other.to_string(),
    }
}
