//! Every page of `../shared/docs-pages/social-planner/` (scraped from HighLevel's docs site on
//! one day) checked against HighLevel's published spec of that API, a few months newer. Each
//! verdict below was found by reading the page and the spec side by side, not by running the
//! check: the index and overview pages are refused as such, pages of other APIs are not in
//! this spec, and of the Social Planner operation pages one has drifted.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use sdkdocs::report::Outcome;
use std::path::{Path, PathBuf};

const SPEC_DIR_VAR: &str = "HIGHLEVEL_API_DOCS";

fn pages_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/docs-pages/social-planner")
}

#[path = "../../tests/src/skip.rs"]
mod skip;

/// HighLevel's spec directory; without it the test is counted as skipped, and under CI it fails.
fn spec_dir() -> Option<PathBuf> {
    match std::env::var_os(SPEC_DIR_VAR) {
        Some(dir) => Some(PathBuf::from(dir)),
        None => {
            skip::skip(&format!(
                "HighLevel's spec for the real pages (set {SPEC_DIR_VAR} to HighLevel's spec directory)"
            ));
            None
        }
    }
}

const INDEX: &str = "refused: not an operation page";
const NO_DRIFT: &str = "no drift";

/// (file name without `ghl_social-planner_` and `_2025-10-11.md`, verdict).
const VERDICTS: [(&str, &str); 39] = [
    ("account", INDEX),
    ("attach-facebook-page-group", NO_DRIFT),
    ("attach-instagram-page-group", NO_DRIFT),
    ("attach-linkedin-page-profile", NO_DRIFT),
    ("attach-tiktok-profile", INDEX),
    // The API's overview page ("Social Media Posting API").
    ("bulk-delete-social-planner-posts", INDEX),
    ("category", INDEX),
    ("create-post", INDEX),
    ("csv", NO_DRIFT),
    ("delete-csv-post", NO_DRIFT),
    ("delete-csv", NO_DRIFT),
    ("delete-post", "not in the spec: GET /payments/coupon/list"),
    ("edit-post", INDEX),
    ("get-account", NO_DRIFT),
    ("get-categories-id", INDEX),
    ("get-categories-location-id", NO_DRIFT),
    (
        "get-csv-post",
        "not in the spec: POST /saas/bulk-enable-saas/{companyId}",
    ),
    ("get-facebook-page-group", NO_DRIFT),
    (
        "get-linkedin-page-profile",
        "not in the spec: POST /saas-api/public-api/enable-saas/{locationId}",
    ),
    ("get-post", NO_DRIFT),
    ("get-tags-by-ids", NO_DRIFT),
    ("get-tags-location-id", NO_DRIFT),
    ("get-tiktok-business-profile", NO_DRIFT),
    ("get-tiktok-profile", NO_DRIFT),
    ("oauth-google", NO_DRIFT),
    ("oauth-tiktok", INDEX),
    ("oauth-twitter", NO_DRIFT),
    ("post", NO_DRIFT),
    ("set-accounts", NO_DRIFT),
    ("set-google-locations", INDEX),
    // Bulk Delete Social Planner Posts: the page shows the bearer requirement (auth methods and
    // token type, and the explorer's Authorization box); the spec's operation has no
    // `security` and the document none either.
    (
        "social-media-posting-api",
        "drift: added security: auth methods OAuth Access Token, Private Integration Token; \
         token types Sub-Account Token",
    ),
    ("start-csv-finalize", NO_DRIFT),
    ("start-linkedin-oauth", NO_DRIFT),
    ("start-tiktok-business-oauth", NO_DRIFT),
    (
        "start-tiktok-oauth",
        "not in the spec: GET /payments/custom-provider/connect",
    ),
    ("start-twitter-oauth", NO_DRIFT),
    (
        "statistics",
        "not in the spec: POST /saas/update-rebilling/{companyId}",
    ),
    ("tag", NO_DRIFT),
    ("upload-csv", NO_DRIFT),
];

fn verdict(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Compared { changes, .. } if changes.is_empty() => NO_DRIFT.to_owned(),
        Outcome::Compared { changes, .. } => {
            let items: Vec<String> = changes
                .iter()
                .map(|c| {
                    let kind = serde_json::to_value(c.kind).unwrap_or_default();
                    let value = c.new.as_deref().or(c.old.as_deref()).unwrap_or_default();
                    let attribute = c
                        .attribute
                        .as_deref()
                        .map(|a| format!(" {a}"))
                        .unwrap_or_default();
                    format!(
                        "{} {}{attribute}: {value}",
                        kind.as_str().unwrap_or_default(),
                        c.subject
                    )
                })
                .collect();
            format!("drift: {}", items.join(" | "))
        }
        Outcome::NotInSpec { operation, .. } => format!("not in the spec: {operation}"),
        Outcome::Refused { reason, .. } => format!("refused: {reason}"),
    }
}

#[test]
fn every_real_page_gets_its_verdict() {
    let Some(dir) = spec_dir() else {
        return;
    };
    let specs = sdkdocs::load_spec(
        &dir.join("apps/social-media-posting.json"),
        "social-media-posting.json",
        &[],
    )
    .unwrap_or_else(|err| panic!("{err}"));
    let mut names: Vec<String> = std::fs::read_dir(pages_dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let found: Vec<(String, String)> = names
        .iter()
        .map(|name| {
            let path = pages_dir().join(name);
            let report = sdkdocs::check_file(&specs, path.to_str().unwrap());
            let short = name
                .trim_start_matches("ghl_social-planner_")
                .trim_end_matches("_2025-10-11.md")
                .to_owned();
            (short, verdict(&report.outcome))
        })
        .collect();
    let expected: Vec<(String, String)> = VERDICTS
        .iter()
        .map(|(name, verdict)| (name.to_string(), verdict.to_string()))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn the_drift_names_the_page_line_and_the_spec_place() {
    let Some(dir) = spec_dir() else {
        return;
    };
    let specs = sdkdocs::load_spec(
        &dir.join("apps/social-media-posting.json"),
        "social-media-posting.json",
        &[],
    )
    .unwrap_or_else(|err| panic!("{err}"));
    let page = pages_dir().join("ghl_social-planner_social-media-posting-api_2025-10-11.md");
    let report = sdkdocs::check_file(&specs, page.to_str().unwrap());
    let Outcome::Compared { spec, changes, .. } = &report.outcome else {
        panic!("{report:?}");
    };
    assert_eq!(
        spec,
        "social-media-posting.json#/paths/~1social-media-posting~1{locationId}~1posts~1bulk-delete/post"
    );
    let places: Vec<(Option<usize>, Option<&str>)> = changes
        .iter()
        .map(|c| (c.page_line, c.spec_at.as_deref()))
        .collect();
    // `### Requirements` on the page; where the operation's `security` would go.
    assert_eq!(
        places,
        vec![(
            Some(26),
            Some(
                "social-media-posting.json#/paths/~1social-media-posting~1{locationId}~1posts~1bulk-delete/post/security"
            )
        )]
    );
}
