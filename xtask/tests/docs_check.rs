//! `cargo xtask docs-check` as a user runs it: the binary, its output and its exit codes.

use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "../../tests/src/skip.rs"]
mod skip;

fn shared_page() -> PathBuf {
    // The workspace root is this crate's parent; `shared/` sits beside the workspace.
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/docs-pages/000_7db3e53499dac604.txt")
}

/// A real index page of the same site (it lists links to operation pages).
fn index_page() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/docs-pages/social-planner/ghl_social-planner_account_2025-10-11.md")
}

/// Writes `contents` to a scratch file named `name` for this test run.
fn scratch(name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("docs-check");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

/// Runs `xtask docs-check ARGS`; returns the exit code and stdout.
fn docs_check(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("docs-check")
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    (output.status.code().unwrap_or(-1), stdout, stderr)
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn the_shared_page_has_no_drift() {
    let page = shared_page();
    let (code, stdout, _) = docs_check(&[path_str(&page)]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains(": no drift\n"), "{stdout}");
    assert!(
        stdout.ends_with("summary: 1 page checked: 1 without drift\n"),
        "{stdout}"
    );
}

#[test]
fn drift_exits_1() {
    let text = std::fs::read_to_string(shared_page()).unwrap();
    let page = scratch(
        "drift.txt",
        text.replace("**success** booleanrequired", "**success** boolean"),
    );
    let (code, stdout, _) = docs_check(&[path_str(&page)]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("response 200 field `success`: required"),
        "{stdout}"
    );
}

#[test]
fn json_report() {
    let page = shared_page();
    let (code, stdout, _) = docs_check(&["--json", path_str(&page)]);
    assert_eq!(code, 0, "{stdout}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["pages"][0]["status"], "no-drift");
    assert_eq!(report["summary"]["without_drift"], 1);
    assert_eq!(report["exit_code"], 0);
}

/// The one line a refused page gets.
fn refusal_line(stdout: &str) -> &str {
    stdout.lines().next().unwrap_or_default()
}

#[test]
fn a_truncated_page_exits_2_with_the_line() {
    let text = std::fs::read_to_string(shared_page()).unwrap();
    let cut = text.find("\"isConnected\": true").unwrap();
    let page = scratch("truncated.txt", text.get(..cut).unwrap());
    let (code, stdout, _) = docs_check(&[path_str(&page)]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        refusal_line(&stdout).ends_with(
            "truncated.txt: refused (truncated): line 117: the example body that starts here is \
             never closed by ``` (the page looks truncated)"
        ),
        "{stdout}"
    );
}

#[test]
fn an_index_page_exits_2_as_not_an_operation_page() {
    let (code, stdout, _) = docs_check(&[path_str(&index_page())]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        refusal_line(&stdout).ends_with(
            "account_2025-10-11.md: refused (not an operation page): line 12: this is an index \
             page (links to 3 other pages), not an operation page"
        ),
        "{stdout}"
    );
}

#[test]
fn a_page_of_another_operation_than_its_front_matter_exits_2() {
    let text = std::fs::read_to_string(shared_page()).unwrap();
    let page = scratch(
        "mixed.txt",
        text.replace(
            "title: Get Instagram Professional Accounts |",
            "title: Get Twitter profile |",
        ),
    );
    let (code, stdout, _) = docs_check(&[path_str(&page)]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        refusal_line(&stdout).ends_with(
            "mixed.txt: refused (a different operation than its front matter says): line 9: \
             the page documents `Get Instagram Professional Accounts` but its front matter's \
             title says `Get Twitter profile | HighLevel API`: the scrape mixed two pages"
        ),
        "{stdout}"
    );
}

#[test]
fn an_html_page_exits_2_as_another_format() {
    let page = scratch(
        "page.html",
        "\n<!DOCTYPE html>\n<html><body><h1>Get Instagram Professional Accounts</h1></body></html>\n",
    );
    let (code, stdout, _) = docs_check(&[path_str(&page)]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        refusal_line(&stdout).ends_with(
            "page.html: refused (not a page of the docs site): line 2: this is an HTML page; \
             expected the site's page scraped to Markdown"
        ),
        "{stdout}"
    );
}

#[test]
fn a_binary_page_exits_2() {
    let page = scratch("garbage.txt", b"---\nsource: x\n\xff\xfe\x00garbage");
    let (code, stdout, _) = docs_check(&[path_str(&page)]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        refusal_line(&stdout).ends_with(
            "garbage.txt: refused (not a page of the docs site): line 3: expected UTF-8 text \
             (a scraped docs page); found bytes that are not"
        ),
        "{stdout}"
    );
}

#[test]
fn a_missing_page_exits_2() {
    let (code, stdout, _) = docs_check(&["no/such/page.txt"]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stdout.starts_with("no/such/page.txt: refused (unreadable): cannot open it"),
        "{stdout}"
    );
}

#[test]
fn one_bad_page_does_not_hide_the_others() {
    let good = shared_page();
    let text = std::fs::read_to_string(&good).unwrap();
    let drifted = scratch(
        "drifted.txt",
        text.replace("**success** booleanrequired", "**success** boolean"),
    );
    let bad = scratch("not-a-page.txt", "hello\n");
    let pages = [&good, &bad, &drifted, &index_page()].map(|p| path_str(p).to_owned());
    let args: Vec<&str> = pages.iter().map(String::as_str).collect();
    let (code, stdout, _) = docs_check(&args);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stdout.contains("000_7db3e53499dac604.txt: no drift\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("not-a-page.txt: refused (not a page of the docs site)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("drifted.txt: drift (0 added, 0 removed, 1 changed)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("response 200 field `success`: required"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(
            "summary: 4 pages checked: 1 without drift, 1 with drift (0 added, 0 removed, 1 \
             changed), 2 refused\n"
        ),
        "{stdout}"
    );
}

#[test]
fn bad_arguments_exit_2_with_usage() {
    for args in [&[][..], &["--frobnicate", "page.txt"][..], &["--spec"][..]] {
        let (code, _, stderr) = docs_check(args);
        assert_eq!(code, 2, "{args:?}");
        assert!(stderr.contains("usage: cargo xtask docs-check"), "{stderr}");
    }
}

#[test]
fn an_unreadable_spec_exits_2() {
    let spec = scratch("broken.yaml", "openapi: [not, a, spec\n");
    let (code, _, stderr) = docs_check(&["--spec", path_str(&spec), path_str(&shared_page())]);
    assert_eq!(code, 2);
    assert!(stderr.contains("error: cannot read the spec:"), "{stderr}");
}

/// Runs `xtask docs-import ARGS`; returns the exit code, stdout and stderr.
fn docs_import(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("docs-import")
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    (output.status.code().unwrap_or(-1), stdout, stderr)
}

fn fixture_page(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../docs/tests/pages")
        .join(name)
}

#[test]
fn import_refuses_an_operation_the_spec_has_and_points_at_it() {
    let original =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/openapi.yaml"))
            .unwrap();
    let spec = scratch("conflict.yaml", &original);
    let (code, _, stderr) = docs_import(&["--spec", path_str(&spec), path_str(&shared_page())]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "the spec already has `GET /social-media-posting/oauth/{{locationId}}/instagram/accounts/{{accountId}}` \
             at {}:22 (#/paths/~1social-media-posting~1oauth~1{{locationId}}~1instagram~1accounts~1{{accountId}}/get)",
            spec.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("error: nothing was imported\n"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&spec).unwrap(), original);
}

#[test]
fn import_of_a_refused_page_writes_nothing() {
    let original =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/openapi.yaml"))
            .unwrap();
    let spec = scratch("refused.yaml", &original);
    let (code, _, stderr) = docs_import(&[
        "--spec",
        path_str(&spec),
        path_str(&fixture_page("delete-post.md")),
        path_str(&index_page()),
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(
            "account_2025-10-11.md: refused (not an operation page): line 12: this is an index page"
        ),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&spec).unwrap(), original);
}

/// HighLevel's own JSON spec (which refers to `../common/`), copied with its layout.
fn highlevel_copy(name: &str) -> Option<PathBuf> {
    let Some(dir) = std::env::var_os("HIGHLEVEL_API_DOCS") else {
        skip::skip("HighLevel's spec (set HIGHLEVEL_API_DOCS to HighLevel's spec directory)");
        return None;
    };
    let dir = PathBuf::from(dir);
    let copy = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    for sub in ["apps", "common"] {
        std::fs::create_dir_all(copy.join(sub)).unwrap();
    }
    for file in [
        "apps/social-media-posting.json",
        "common/common-schemas.json",
    ] {
        std::fs::copy(dir.join(file), copy.join(file)).unwrap();
    }
    Some(copy.join("apps/social-media-posting.json"))
}

#[test]
fn import_into_a_json_spec_keeps_its_text_and_finds_its_operations() {
    let Some(spec) = highlevel_copy("highlevel-import") else {
        return;
    };
    let original = std::fs::read_to_string(&spec).unwrap();
    // HighLevel's spec has "Get posts" already.
    let (code, _, stderr) = docs_import(&[
        "--spec",
        path_str(&spec),
        path_str(&fixture_page("get-posts.md")),
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr
            .contains("the spec already has `POST /social-media-posting/{locationId}/posts/list`"),
        "{stderr}"
    );
    let (code, stdout, stderr) = docs_import(&[
        "--spec",
        path_str(&spec),
        path_str(&fixture_page("schedule-post.md")),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with(
            "added PUT /social-media-posting/{locationId}/posts/{id}/schedule (schedule-post): \
             schemas SchedulePostRequest, SchedulePostResponse"
        ),
        "{stdout}"
    );
    let imported = std::fs::read_to_string(&spec).unwrap();
    // Every line that was there is there, in order.
    let mut rest = imported.lines();
    for line in original.lines() {
        assert!(rest.any(|l| l == line), "lost or changed: {line}");
    }
    // HighLevel's error schemas (in `../common/`) are not copied: the import writes its own
    // into this file, and the page reads the same either way.
    let (code, stdout, _) = docs_check(&[
        "--spec",
        path_str(&spec),
        path_str(&fixture_page("schedule-post.md")),
    ]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("schedule-post.md: no drift"), "{stdout}");
}
