//! Every fixture's generated crate, the project's own spec's, and HighLevel's published Social
//! Planner spec when its directory is given (as published, and patched by
//! `overlays/social-planner.yaml`), compiles with no warnings under `cargo clippy -- -D
//! warnings`, its features on (the test support included), and documents with no warnings
//! under `cargo doc` with `RUSTDOCFLAGS="-D warnings"`; so does the checked-in `generated/` crate.
//!
//! The crates are written as members of one scratch workspace under `target/`, so they share
//! one dependency build: affordable on a 2-core machine.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The directory holding HighLevel's `apps/` and `common/` spec folders.
const SPEC_DIR_VAR: &str = "HIGHLEVEL_API_DOCS";

fn write(dir: &Path, generated: &sdkgen::Generated) {
    for file in &generated.files {
        let path = dir.join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &file.contents).unwrap();
    }
}

/// The Social Planner spec, when `HIGHLEVEL_API_DOCS` names its directory. Without it the
/// calling test is counted as skipped (`tests/src/skip.rs`): under CI it fails instead.
fn real_world_spec() -> Option<PathBuf> {
    match std::env::var_os(SPEC_DIR_VAR) {
        Some(dir) => Some(PathBuf::from(dir).join("apps/social-media-posting.json")),
        None => {
            tests::skip::skip(&format!(
                "HighLevel's Social Planner spec (set {SPEC_DIR_VAR} to HighLevel's spec directory)"
            ));
            None
        }
    }
}

fn generate_real_world(spec: &Path) -> sdkgen::Generated {
    let options = sdkgen::Options {
        crate_name: "social_media_posting".into(),
        command: "cargo test -p tests --test compile".into(),
        standalone: false,
    };
    sdkgen::generate(spec, &options).unwrap_or_else(|f| panic!("{f}"))
}

/// The Social Planner crate with the overlay the README shows.
fn generate_social_planner(spec: &Path) -> sdkgen::Generated {
    let options = sdkgen::Options {
        crate_name: "social_planner".into(),
        command: "cargo test -p tests --test compile".into(),
        standalone: false,
    };
    let overlays = [PathBuf::from("overlays/social-planner.yaml")];
    sdkgen::generate_with_overlays(spec, &overlays, &options).unwrap_or_else(|f| panic!("{f}"))
}

/// Copies the checked-in crate (its manifest, README, sources and examples), so it is
/// documented with the others.
fn copy_checked_in(from: &Path, to: &Path) {
    for entry in walk(from) {
        let relative = entry.strip_prefix(from).unwrap();
        let first = relative.components().next().unwrap().as_os_str();
        if ["Cargo.toml", "README.md", "src", "examples"].contains(&first.to_str().unwrap_or("")) {
            let target = to.join(relative);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(&entry, target).unwrap();
        }
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "target") {
                files.extend(walk(&path));
            }
        } else {
            files.push(path);
        }
    }
    files
}

/// The scratch workspace, written once per run: every fixture's crate, the Social Planner
/// crate when its spec is there, and a copy of the checked-in `generated/` crate.
fn scratch() -> &'static Path {
    static SCRATCH: OnceLock<PathBuf> = OnceLock::new();
    SCRATCH.get_or_init(|| {
        let root = tests::root();
        let scratch = root.join("target/generated-crates");
        let _ = std::fs::remove_dir_all(scratch.join("crates"));
        let mut members = Vec::new();
        let project = ("spec".to_owned(), root.join("spec/openapi.yaml"));
        for (name, spec) in tests::fixtures().into_iter().chain([project]) {
            write(
                &scratch.join("crates").join(&name),
                &tests::generate(&name, &spec),
            );
            members.push(format!("crates/{name}"));
        }
        if let Some(spec) = real_world_spec() {
            write(
                &scratch.join("crates/social-media-posting"),
                &generate_real_world(&spec),
            );
            members.push("crates/social-media-posting".to_owned());
            write(
                &scratch.join("crates/social-planner"),
                &generate_social_planner(&spec),
            );
            write_readme_pagination_example(&scratch.join("crates/social-planner"));
            members.push("crates/social-planner".to_owned());
        }
        copy_checked_in(&root.join("generated"), &scratch.join("crates/highlevel"));
        members.push("crates/highlevel".to_owned());
        let manifest = format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members
                .iter()
                .map(|m| format!("{m:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        std::fs::write(scratch.join("Cargo.toml"), manifest).unwrap();
        // The project's lock file pins the same dependency versions the checked-in crate uses.
        std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();
        scratch
    })
}

/// Runs cargo in the scratch workspace (its own target directory, shared by every command);
/// fails on an error or any warning.
fn cargo(args: &[&str], rustdocflags: Option<&str>) {
    let scratch = scratch();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(args)
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", scratch.join("target"));
    if let Some(flags) = rustdocflags {
        command.env("RUSTDOCFLAGS", flags);
    }
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "`cargo {}` failed:\n{stderr}",
        args.join(" ")
    );
    assert!(!stderr.contains("warning"), "warnings:\n{stderr}");
}

/// The README's paging example, as an example program of the Social Planner crate, so the
/// clippy run below checks it.
fn write_readme_pagination_example(krate: &Path) {
    let readme = std::fs::read_to_string(tests::root().join("README.md")).unwrap();
    let section = &readme[readme
        .find("\n### Pagination\n")
        .expect("a Pagination section")..];
    let start = section.find("```rust\n").unwrap() + "```rust\n".len();
    let code = &section[start..start + section[start..].find("```").unwrap()];
    let program = format!(
        "#[tokio::main]\nasync fn main() -> Result<(), Box<dyn std::error::Error>> {{\n\
         let (token, location_id) = (\"token\", \"ve9EPM428h8vShlRW1KT\");\n{code}Ok(())\n}}\n"
    );
    let examples = krate.join("examples");
    std::fs::create_dir_all(&examples).unwrap();
    std::fs::write(examples.join("readme_pagination.rs"), program).unwrap();
}

#[test]
fn generated_crates_compile_without_warnings() {
    cargo(
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--keep-going",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ],
        None,
    );
}

/// rustdoc's lints (bare URLs, broken intra-doc links, HTML tags, code blocks) over every
/// generated crate; `--no-deps`, so only the crates' own docs are built.
#[test]
fn generated_crates_document_without_warnings() {
    cargo(
        &[
            "doc",
            "--workspace",
            "--no-deps",
            "--all-features",
            "--keep-going",
            "--quiet",
        ],
        Some("-D warnings"),
    );
}

/// The checked-in crate, as users read it on docs.rs or with `cargo doc`.
#[test]
fn checked_in_crate_documents_without_warnings() {
    cargo(
        &["doc", "-p", "highlevel", "--no-deps", "--quiet"],
        Some("-D warnings"),
    );
}

#[test]
fn every_social_planner_operation_and_schema_is_generated() {
    let Some(spec) = real_world_spec() else {
        return;
    };
    let generated = generate_real_world(&spec);
    let text: String = std::fs::read_to_string(&spec).unwrap();
    let document: serde_json::Value = serde_json::from_str(&text).unwrap();
    let client = &generated
        .files
        .iter()
        .find(|f| f.path == "src/client.rs")
        .unwrap()
        .contents;
    let types = &generated
        .files
        .iter()
        .find(|f| f.path == "src/types.rs")
        .unwrap()
        .contents;

    let mut operation_ids = Vec::new();
    for item in document["paths"].as_object().unwrap().values() {
        for operation in item.as_object().unwrap().values() {
            if let Some(id) = operation.get("operationId").and_then(|v| v.as_str()) {
                operation_ids.push(id.to_owned());
            }
        }
    }
    assert_eq!(operation_ids.len(), 40);
    let requests = &generated
        .files
        .iter()
        .find(|f| f.path == "src/requests.rs")
        .unwrap()
        .contents;
    assert_eq!(
        client.matches("> crate::requests::").count(),
        40,
        "one method per operation"
    );
    assert_eq!(
        requests.matches("pub async fn send(").count(),
        40,
        "one request builder per operation"
    );
    for id in &operation_ids {
        assert!(
            client.contains(&format!("(operation `{id}`)")),
            "no method for {id}"
        );
    }
    // Every schema the spec refers to has a type, under its converted name.
    let mut referenced: Vec<String> = text
        .split("\"$ref\": \"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter_map(|r| {
            r.rsplit_once("/components/schemas/")
                .map(|(_, name)| name.to_owned())
        })
        .collect();
    referenced.sort();
    referenced.dedup();
    assert!(referenced.len() > 50, "{referenced:?}");
    for name in referenced {
        let rust = heck::ToUpperCamelCase::to_upper_camel_case(name.as_str());
        assert!(
            types.contains(&format!("pub struct {rust} "))
                || types.contains(&format!("pub enum {rust} "))
                || types.contains(&format!("pub type {rust} ")),
            "no type for schema {name} ({rust})"
        );
    }
}

#[test]
fn the_readme_shows_the_social_planner_overlay() {
    let readme = std::fs::read_to_string(tests::root().join("README.md")).unwrap();
    let overlay = std::fs::read_to_string("overlays/social-planner.yaml").unwrap();
    let from_overlay_on = &overlay[overlay.find("\noverlay:").unwrap() + 1..];
    assert!(
        readme.contains(&format!("```yaml\n{from_overlay_on}```")),
        "README.md does not show overlays/social-planner.yaml as it is"
    );
}

#[test]
fn the_social_planner_overlay_shows_in_the_types() {
    let Some(spec) = real_world_spec() else {
        return;
    };
    let generated = generate_social_planner(&spec);
    // The overlay's actions all select something in the published file.
    assert!(
        generated
            .warnings
            .iter()
            .all(|w| w.file != "overlays/social-planner.yaml"),
        "{}",
        generated.report(false)
    );
    let types = &generated
        .files
        .iter()
        .find(|f| f.path == "src/types.rs")
        .unwrap()
        .contents;
    let type_body = |name: &str| {
        let start = types
            .find(&format!("pub struct {name} {{"))
            .unwrap_or_else(|| panic!("no struct {name}"));
        let rest = &types[start..];
        rest[..rest.find("\n}").unwrap()].to_owned()
    };
    // `error` is required in the spec; made nullable, it decodes `null`.
    assert!(
        type_body("GetPostFormattedSchema")
            .contains("\n    pub error: ::std::option::Option<::std::string::String>,"),
        "{}",
        type_body("GetPostFormattedSchema")
    );
    assert!(type_body("PostSuccessfulResponseSchema").contains(
        "pub meta: ::std::option::Option<crate::types::PostSuccessfulResponseSchemaMeta>,"
    ));
    let meta = type_body("PostSuccessfulResponseSchemaMeta");
    for field in [
        "#[serde(rename = \"startAfterId\")]",
        "pub start_after_id: ::std::option::Option<::std::string::String>,",
        "pub start_after: ::std::option::Option<i64>,",
        "pub total: ::std::option::Option<i64>,",
        "pub next_page_url: ::std::option::Option<\n        ::std::option::Option<::std::string::String>,\n    >,",
    ] {
        assert!(meta.contains(field), "{field} not in:\n{meta}");
    }
}

#[test]
fn the_social_planner_overlay_pages_the_list_of_posts() {
    let Some(spec) = real_world_spec() else {
        return;
    };
    let generated = generate_social_planner(&spec);
    let file = |path: &str| {
        &generated
            .files
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("no {path}"))
            .contents
    };
    let paging = file("src/requests/pagination.rs");
    // Only `get-posts` pages: the overlay's extension, and no other.
    assert_eq!(paging.matches("impl crate::pages::Paged for").count(), 1);
    for expected in [
        "impl crate::pages::Paged for super::GetPosts<'_> {",
        "type Item = crate::types::GetPostFormattedSchema;",
        // `skip` and `limit` are strings in `SearchPostDTO`: the offset goes as text.
        "self.body.skip = value.to_string();",
        "crate::pages::whole::<Self::Error>(\"limit\", &self.body.limit)?",
        "impl<'a> super::GetPosts<'a> {",
        "    pub fn pages(\n",
        "    pub fn items(\n",
    ] {
        assert!(paging.contains(expected), "{expected} not in:\n{paging}");
    }
    assert!(file("Cargo.toml").contains("futures-util"));
}
