//! The shared scraped page against `spec/`, and copies of it changed one way each: every
//! change must be reported as exactly that change (the reports are insta snapshots), and
//! changes that alter nothing documented must be reported as no drift.

use crate::report::{self, Outcome, PageReport};
use crate::{check, spec};
use std::path::Path;

const PAGE: &str = "000_7db3e53499dac604.txt";

fn shared_page() -> String {
    // The workspace root is this crate's parent; `shared/` sits beside the workspace.
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/docs-pages/")
        .join(PAGE);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

fn specs() -> Vec<spec::SpecFile> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    spec::load(&root.join("spec"), "spec", &[]).unwrap_or_else(|err| panic!("{err}"))
}

fn check_text(text: &str) -> PageReport {
    check(&specs(), PAGE, text)
}

/// The page with `from` (which must occur exactly once) replaced by `to`.
fn mutated(from: &str, to: &str) -> String {
    let page = shared_page();
    assert_eq!(
        page.matches(from).count(),
        1,
        "expected `{from}` once on the page"
    );
    page.replacen(from, to, 1)
}

fn text_report(text: &str) -> String {
    report::text(&[check_text(text)])
}

fn assert_no_drift(text: &str) {
    let report = check_text(text);
    let rendered = report::text(std::slice::from_ref(&report));
    assert!(
        matches!(&report.outcome, Outcome::Compared { changes, .. } if changes.is_empty()),
        "{rendered}"
    );
    assert_eq!(report::exit_code(&[report]), 0);
}

/// A report with drift: exit code 1, and the snapshot says exactly what drifted.
fn drift_report(text: &str) -> String {
    let report = check_text(text);
    assert_eq!(report::exit_code(std::slice::from_ref(&report)), 1);
    report::text(&[report])
}

fn refused(text: &str) -> String {
    let report = check_text(text);
    assert!(matches!(report.outcome, Outcome::Refused { .. }));
    assert_eq!(report::exit_code(std::slice::from_ref(&report)), 2);
    report::text(&[report])
}

#[test]
fn the_shared_page_matches_the_spec() {
    let page = shared_page();
    assert_no_drift(&page);
    insta::assert_snapshot!(text_report(&page));
}

#[test]
fn a_field_added_to_a_response() {
    let page = mutated(
        "\\]\n\n```codeBlockLines_e6Vv",
        "**username** string\\\n\\\nExample:`insta_user`\\\n\\\n\\]\n\n```codeBlockLines_e6Vv",
    );
    insta::assert_snapshot!(drift_report(&page));
}

#[test]
fn a_type_changed() {
    let page = mutated(
        "**statusCode** numberrequired",
        "**statusCode** stringrequired",
    );
    insta::assert_snapshot!(drift_report(&page));
}

#[test]
fn an_array_became_a_single_value() {
    let page = mutated("**message** string\\[\\]", "**message** string");
    insta::assert_snapshot!(drift_report(&page));
}

#[test]
fn required_dropped() {
    let page = mutated("**success** booleanrequired", "**success** boolean");
    insta::assert_snapshot!(drift_report(&page));
}

#[test]
fn a_new_status() {
    let page = mutated("- 422\n", "- 422\n- 404\n");
    let block = "Not Found\n\n- application/json\n\n- Schema\n- Example (auto)\n\n**Schema**\n\n\
                 **statusCode** number\n\nExample:`404`\n\n**message** string\n\n\
                 Example:`Not Found`\n\n```codeBlockLines_e6Vv\n{\n  \"statusCode\": 404,\n  \
                 \"message\": \"Not Found\"\n}\n\n```\n\n## Share your feedback";
    assert_eq!(page.matches("## Share your feedback").count(), 1);
    let page = page.replacen("## Share your feedback", block, 1);
    insta::assert_snapshot!(drift_report(&page));
}

#[test]
fn a_path_parameter_renamed() {
    let url = "instagram/accounts/:accountId\n";
    let page = mutated(url, "instagram/accounts/:accountKey\n");
    assert_eq!(page.matches("**accountId** stringrequired").count(), 1);
    let page = page.replacen(
        "**accountId** stringrequired",
        "**accountKey** stringrequired",
        1,
    );
    insta::assert_snapshot!(drift_report(&page));
}

#[test]
fn a_second_version_value() {
    let page = mutated(
        "**Possible values:** \\[ `2021-07-28`\\]",
        "**Possible values:** \\[ `2021-07-28`, `2023-02-21`\\]",
    );
    insta::assert_snapshot!(drift_report(&page));
}

#[test]
fn a_parameter_example_changed() {
    let page = mutated("Example: w37swmmLbA02zgqKPpxITe\n", "Example: acc_123\n");
    insta::assert_snapshot!(drift_report(&page));
}

#[test]
fn an_example_body_value_changed() {
    let page = mutated("\"name\": \"Insta account\",", "\"name\": \"Insta\",");
    insta::assert_snapshot!(drift_report(&page));
}

#[test]
fn an_auth_method_dropped() {
    let page = mutated(
        "`OAuth Access Token` `Private Integration Token`",
        "`OAuth Access Token`",
    );
    insta::assert_snapshot!(drift_report(&page));
}

#[test]
fn the_summary_changed() {
    // The site's page title follows the summary.
    let page = mutated(
        "# Get Instagram Professional Accounts\n",
        "# Get Instagram Business Accounts\n",
    )
    .replace(
        "title: Get Instagram Professional Accounts |",
        "title: Get Instagram Business Accounts |",
    );
    insta::assert_snapshot!(drift_report(&page));
}

#[test]
fn a_moved_path_is_found_by_its_summary() {
    let page = mutated(
        "GET https://services.leadconnectorhq.com/social-media-posting/oauth/:locationId/instagram/accounts/:accountId\n",
        "GET https://services.leadconnectorhq.com/social-media-posting/oauth/:locationId/instagram-accounts/:accountId\n",
    );
    insta::assert_snapshot!(drift_report(&page));
}

#[test]
fn an_absent_section_documents_none_of_it() {
    let page = mutated(
        "### Header Parameters\n\n**Version** stringrequired\n\n**Possible values:** \\[ `2021-07-28`\\]\n\nAPI Version\n\n",
        "",
    );
    insta::assert_snapshot!(drift_report(&page));
}

#[test]
fn fields_reordered_is_no_drift() {
    let success = "**success** booleanrequired\n\nSuccess or Failure\n\nExample:`true`\n\n";
    let status = "**statusCode** numberrequired\n\nStatus Code\n\nExample:`200`\n\n";
    let page = mutated(&format!("{success}{status}"), &format!("{status}{success}"));
    let id = "**id** string\\\n\\\nExample:`idu37swmmLbA02zgqKPpxITe2`\\\n\\\n";
    let name = "**name** string\\\n\\\nExample:`Insta account`\\\n\\\n";
    assert_eq!(page.matches(&format!("{id}{name}")).count(), 1);
    let page = page.replacen(&format!("{id}{name}"), &format!("{name}{id}"), 1);
    // The example body's keys, too.
    let body = "  \"success\": true,\n  \"statusCode\": 200,\n";
    assert_eq!(page.matches(body).count(), 1);
    let page = page.replacen(body, "  \"statusCode\": 200,\n  \"success\": true,\n", 1);
    // And the parameters.
    let location = "**locationId** stringrequired\n\nAccount Location Id\n\nExample: w37swmmLbA02zgqKPpxITe2\n\n";
    let account =
        "**accountId** stringrequired\n\nAccount Id\n\nExample: w37swmmLbA02zgqKPpxITe\n\n";
    assert_eq!(page.matches(&format!("{location}{account}")).count(), 1);
    let page = page.replacen(
        &format!("{location}{account}"),
        &format!("{account}{location}"),
        1,
    );
    assert_ne!(page, shared_page());
    assert_no_drift(&page);
}

#[test]
fn escapes_removed_is_no_drift() {
    let page = shared_page().replace('\\', "");
    assert!(!page.contains("\\["));
    assert_no_drift(&page);
}

#[test]
fn windows_line_ends_are_no_drift() {
    let page = shared_page().replace('\n', "\r\n");
    assert_no_drift(&page);
}

#[test]
fn extra_sections_dropped_is_no_drift() {
    let page = shared_page();
    let tail = page.find("## Share your feedback").unwrap_or(page.len());
    let page = page.get(..tail).unwrap_or_default();
    assert_no_drift(page);
}

#[test]
fn an_operation_the_spec_lacks() {
    let page = mutated(
        "GET https://services.leadconnectorhq.com/social-media-posting/oauth/:locationId/instagram/accounts/:accountId\n",
        "GET https://services.leadconnectorhq.com/social-media-posting/oauth/:locationId/tiktok/accounts/:accountId\n",
    )
    .replace("Get Instagram Professional Accounts\n", "Get TikTok Accounts\n")
    .replace(
        "title: Get Instagram Professional Accounts |",
        "title: Get TikTok Accounts |",
    );
    let report = check_text(&page);
    assert!(matches!(report.outcome, Outcome::NotInSpec { .. }));
    insta::assert_snapshot!(drift_report(&page));
}

#[test]
fn the_json_report() {
    let page = mutated(
        "**statusCode** numberrequired",
        "**statusCode** stringrequired",
    );
    let json = report::json(&[check_text(&page)]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    assert_eq!(value["exit_code"], 1);
    insta::assert_snapshot!(json);
}

fn cut_before(marker: &str) -> String {
    let page = shared_page();
    let at = page
        .find(marker)
        .unwrap_or_else(|| panic!("no `{marker}` on the page"));
    page.get(..at).unwrap_or_default().to_owned()
}

#[test]
fn truncated_inside_the_example_body() {
    insta::assert_snapshot!(refused(&cut_before("\"isConnected\": true")));
}

#[test]
fn truncated_inside_an_array_of_fields() {
    insta::assert_snapshot!(refused(&cut_before("Example:`true`\\\n\\\n\\]")));
}

#[test]
fn truncated_after_the_status_list() {
    insta::assert_snapshot!(refused(&cut_before("Successful response")));
}

#[test]
fn truncated_inside_the_front_matter() {
    insta::assert_snapshot!(refused(&cut_before("title:")));
}

#[test]
fn truncated_inside_the_request_line() {
    insta::assert_snapshot!(refused(&cut_before(
        "```\n\nGet Instagram Professional Accounts\n\n###"
    )));
}

#[test]
fn garbage_pages() {
    let cases = [
        "",
        "hello world\nthis is not a docs page\n",
        "{\"json\": true}",
        "---\nsource: x\n---\n\nsome prose and no request line\n",
        "---\ntitle: x\n---\n# X\n\n```\nFETCH the thing\n```\n",
    ];
    let reports: Vec<String> = cases.iter().map(|text| refused(text)).collect();
    insta::assert_snapshot!(reports.join("\n"));
}

#[test]
fn a_field_without_a_type() {
    let page = mutated("**statusCode** numberrequired", "**statusCode** 42");
    insta::assert_snapshot!(refused(&page));
}

#[test]
fn an_example_body_that_is_not_json() {
    let page = mutated("\"statusCode\": 400,", "\"statusCode\": 400,,");
    insta::assert_snapshot!(refused(&page));
}

/// Scraped text can be cut or lose a line anywhere: whatever is left gets a report (no drift,
/// drift or unreadable), never a panic.
#[test]
fn cutting_or_dropping_any_line_never_panics() {
    let specs = specs();
    let page = shared_page();
    let lines: Vec<&str> = page.split_inclusive('\n').collect();
    let mut outcomes = [0usize; 3];
    for at in 0..lines.len() {
        let cut: String = lines.iter().take(at).copied().collect();
        let dropped: String = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != at)
            .map(|(_, line)| *line)
            .collect();
        for text in [cut, dropped] {
            let report = check(&specs, PAGE, &text);
            outcomes[usize::from(report::exit_code(&[report]))] += 1;
        }
    }
    // Each kind of result occurs: the checks above did run on meaningful pages.
    assert!(outcomes.iter().all(|&n| n > 0), "{outcomes:?}");
}
