//! Pages written in the docs site's exact format for the constructs its renderer emits (query
//! parameters, request bodies and their media types, nested objects, arrays of objects,
//! `oneOf` / `anyOf`, "Possible values", defaults, constraints, several 2xx responses,
//! responses without schema or example, scopes, deprecation, long Markdown descriptions):
//! the model each is read into, as a snapshot.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;

fn read(name: &str) -> sdkdocs::page::Page {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/pages")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    sdkdocs::page::parse(&text).unwrap_or_else(|refusal| panic!("{name}: {refusal}"))
}

fn model(name: &str) -> String {
    serde_json::to_string_pretty(&read(name)).unwrap()
}

#[test]
fn a_get_with_query_parameters() {
    insta::assert_snapshot!(model("get-upload-status.md"));
}

#[test]
fn a_post_with_a_json_body() {
    insta::assert_snapshot!(model("get-posts.md"));
}

#[test]
fn a_delete_with_a_response_without_content() {
    insta::assert_snapshot!(model("delete-post.md"));
}

#[test]
fn one_of_and_any_of() {
    insta::assert_snapshot!(model("schedule-post.md"));
}

#[test]
fn media_types_several_successes_deprecation_and_a_long_description() {
    insta::assert_snapshot!(model("upload-media.md"));
}

/// What a fixture's snapshot shows, asserted where the page's own words give the answer.
#[test]
fn the_fixtures_read_as_their_pages_say() {
    let page = read("get-posts.md");
    let body = page.operation.body.unwrap();
    let paths: Vec<&str> = body.fields.iter().map(|f| f.path.as_str()).collect();
    // `includeUsers` follows the `sort` array and the `filters` object: top level, as the
    // page's body example shows.
    assert!(paths.contains(&"filters.tags") && paths.contains(&"sort[].direction"));
    assert!(paths.contains(&"includeUsers") && paths.contains(&"sort"));
    assert_eq!(body.guessed, 0);
    let page = read("upload-media.md");
    let operation = &page.operation;
    assert!(operation.deprecated);
    let statuses: Vec<&str> = operation
        .responses
        .iter()
        .map(|r| r.status.as_str())
        .collect();
    assert_eq!(statuses, ["200", "202", "400", "413"]);
    let no_content: Vec<&str> = operation
        .responses
        .iter()
        .filter(|r| r.content.is_none())
        .map(|r| r.status.as_str())
        .collect();
    assert_eq!(no_content, ["202", "413"]);
    let ok = operation.responses[0].content.as_ref().unwrap();
    assert_eq!(ok.media_types, ["application/json", "application/xml"]);
    assert_eq!(
        ok.example.as_ref().and_then(|e| e.get("thumbnailUrl")),
        Some(&serde_json::Value::Null)
    );
}
