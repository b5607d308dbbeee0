//! Overlays (OpenAPI Overlay Specification 1.0.0) on a small vendor spec, `overlays/pets.yaml`:
//! what each action does to the document (the expected documents follow the specification's
//! rules: `update` merges into objects and appends to arrays, `remove` drops the selected
//! nodes, actions apply in order), what the generated crate becomes, and the diagnostics, whose
//! reports are snapshotted in `snapshots/overlays__*.snap` as a person reads them.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

const SPEC: &str = "overlays/pets.yaml";

fn options() -> sdkgen::Options {
    sdkgen::Options {
        crate_name: "pets".to_owned(),
        command: "cargo test -p tests --test overlays".to_owned(),
        standalone: true,
    }
}

fn overlays(names: &[&str]) -> Vec<PathBuf> {
    names
        .iter()
        .map(|name| Path::new("overlays").join(name))
        .collect()
}

/// The spec's document after the overlays, in order.
fn patched(names: &[&str]) -> Value {
    let text = std::fs::read_to_string(SPEC).unwrap();
    let mut document: Value = serde_yaml::from_str(&text).unwrap();
    let warnings = sdkgen::apply_overlays(SPEC, &mut document, &overlays(names))
        .unwrap_or_else(|failure| panic!("{failure}"));
    assert!(warnings.is_empty(), "{warnings:?}");
    document
}

fn generated(names: &[&str]) -> sdkgen::Generated {
    sdkgen::generate_with_overlays(Path::new(SPEC), &overlays(names), &options())
        .unwrap_or_else(|failure| panic!("{failure}"))
}

fn file<'a>(generated: &'a sdkgen::Generated, path: &str) -> &'a str {
    &generated
        .files
        .iter()
        .find(|f| f.path == path)
        .unwrap()
        .contents
}

#[test]
fn update_merges_into_objects_and_appends_to_arrays() {
    let document = patched(&["pets-update.yaml"]);
    let schemas = &document["components"]["schemas"];
    // A new property joins the object; the others stay.
    assert_eq!(
        schemas["Pet"]["properties"]["tag"],
        json!({"type": "string", "nullable": true})
    );
    // Objects merge key by key, arrays inside them are concatenated.
    assert_eq!(
        schemas["PetList"],
        json!({
            "type": "object",
            "required": ["pets", "meta"],
            "properties": {
                "pets": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}},
                "meta": {
                    "type": "object",
                    "required": ["startAfterId"],
                    "properties": {"startAfterId": {"type": "string", "nullable": true}}
                }
            }
        })
    );
    // A selected array gets the `update` value appended.
    let parameters = &document["paths"]["/pets"]["get"]["parameters"];
    assert_eq!(parameters.as_array().unwrap().len(), 4);
    assert_eq!(
        parameters[3],
        json!({"name": "startAfterId", "in": "query", "schema": {"type": "string"}})
    );
    // A primitive value is replaced; its neighbours are kept.
    assert_eq!(
        document["info"],
        json!({"title": "Pets (patched)", "version": "1.0"})
    );
}

#[test]
fn remove_drops_every_selected_node() {
    let document = patched(&["pets-remove.yaml"]);
    let paths: Vec<&String> = document["paths"].as_object().unwrap().keys().collect();
    assert_eq!(paths, ["/pets"]);
    let names: Vec<&Value> = document["paths"]["/pets"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["name"])
        .collect();
    assert_eq!(names, [&json!("limit"), &json!("session")]);
    let properties: Vec<&String> = document["components"]["schemas"]["Pet"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(properties, ["id", "name", "tag"]);
}

#[test]
fn several_nodes_of_one_array_go_and_a_wildcard_updates_each_match() {
    let document = patched(&["pets-no-query.yaml"]);
    assert_eq!(
        document["paths"]["/pets"]["get"]["parameters"],
        json!([{"name": "session", "in": "cookie", "schema": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}}}}}])
    );
    assert_eq!(document["paths"]["/pets"]["get"]["x-reviewed"], json!(true));
    assert_eq!(
        document["paths"]["/internal/reindex"]["post"]["x-reviewed"],
        json!(true)
    );
    // The cookie parameter, now item 0, is still reported at its own line in the spec.
    let generated = generated(&["pets-no-query.yaml"]);
    let [warning] = generated.warnings.as_slice() else {
        panic!("{:?}", generated.warnings);
    };
    assert_eq!(
        (warning.pointer.as_str(), warning.line),
        ("/paths/~1pets/get/parameters/2", Some((20, 11)))
    );
}

#[test]
fn overlays_apply_in_order_and_show_in_the_crate() {
    let generated = generated(&["pets-update.yaml", "pets-remove.yaml"]);
    let types = file(&generated, "src/types.rs");
    let client = file(&generated, "src/client.rs");
    let requests = file(&generated, "src/requests.rs");
    // `tag` is required and now nullable; `legacyCode` is gone.
    assert!(
        types.contains("pub tag: ::std::option::Option<::std::string::String>,"),
        "{types}"
    );
    assert!(!types.contains("legacy_code"), "{types}");
    assert!(
        types.contains("pub meta: crate::types::PetListMeta,"),
        "{types}"
    );
    assert!(
        types.contains("pub start_after_id: ::std::option::Option<::std::string::String>,"),
        "{types}"
    );
    // The appended parameter has a setter after `limit`; the removed one and the removed
    // path are gone.
    let limit = requests.find("pub fn limit(").expect("a `limit` setter");
    let start_after_id = requests
        .find("pub fn start_after_id(")
        .expect("a `start_after_id` setter");
    assert!(limit < start_after_id, "{requests}");
    assert!(!requests.contains("pub fn debug(") && !client.contains("fn reindex"));
}

#[test]
fn a_diagnostic_about_a_moved_array_item_points_where_the_spec_has_it() {
    // Removing `debug` moves the cookie parameter from item 2 to item 1; its warning still
    // shows the spec's own line for it.
    let generated = generated(&["pets-remove.yaml"]);
    let [warning] = generated.warnings.as_slice() else {
        panic!("{:?}", generated.warnings);
    };
    assert_eq!(warning.file, SPEC);
    assert_eq!(warning.pointer, "/paths/~1pets/get/parameters/2");
    assert_eq!(warning.line, Some((20, 11)));
}

#[test]
fn a_ref_an_overlay_adds_is_read_relative_to_the_spec() {
    let generated = generated(&["pets-cursor.yaml"]);
    let types = file(&generated, "src/types.rs");
    assert!(
        types.contains("pub cursor: ::std::option::Option<crate::types::Cursor>,"),
        "{types}"
    );
    assert!(types.contains("pub struct Cursor {"), "{types}");
    assert!(generated.sources.contains_key("overlays/shared.yaml"));
}

/// What a person sees: the report, then one line on the outcome.
fn rendered(names: &[&str]) -> (String, Vec<sdkgen::Diagnostic>) {
    match sdkgen::generate_with_overlays(Path::new(SPEC), &overlays(names), &options()) {
        Ok(generated) => (
            format!(
                "{}outcome: generated, with {} warning(s)\n",
                generated.report(false),
                generated.warnings.len()
            ),
            generated.warnings,
        ),
        Err(failure) => (
            format!("{}outcome: stopped\n", failure.report(false)),
            failure.diagnostics,
        ),
    }
}

#[test]
fn overlay_diagnostics_are_located() {
    for (name, overlay) in [
        // A target the vendor's file no longer has: a warning at that target, and the other
        // actions still apply.
        ("stale", "pets-stale.json"),
        // An `update` that inserts a schema the generator refuses: the error is in the overlay.
        ("bad-schema", "pets-bad-schema.yaml"),
        // Merges Overlay 1.0 cannot do.
        ("conflict", "pets-conflict.yaml"),
        // Not an Overlay 1.0 document in several ways, each reported where it is.
        ("malformed", "malformed.yaml"),
    ] {
        let (text, diagnostics) = rendered(&[overlay]);
        insta::with_settings!({ omit_expression => true }, {
            insta::assert_snapshot!(name, text);
        });
        let in_overlay = format!("overlays/{overlay}");
        assert!(
            diagnostics.iter().any(|d| d.file == in_overlay),
            "{name}: nothing points into the overlay:\n{text}"
        );
        for d in &diagnostics {
            assert!(d.line.is_some(), "{name}: no line for {d}");
        }
    }
}

#[test]
fn a_stale_target_is_a_warning_and_the_rest_applies() {
    let generated = generated(&["pets-stale.json"]);
    let stale = &generated.warnings[0];
    assert_eq!(stale.severity, sdkgen::Severity::Warning);
    assert_eq!(
        (stale.file.as_str(), stale.pointer.as_str()),
        ("overlays/pets-stale.json", "/actions/0/target")
    );
    assert!(
        file(&generated, "src/types.rs")
            .contains("pub tag: ::std::option::Option<::std::string::String>,")
    );
}

#[test]
fn an_unreadable_overlay_stops_generation() {
    let failure =
        sdkgen::generate_with_overlays(Path::new(SPEC), &overlays(&["missing.yaml"]), &options())
            .unwrap_err();
    let [error] = failure.diagnostics.as_slice() else {
        panic!("{failure}");
    };
    assert_eq!(error.file, "overlays/missing.yaml");
    assert!(
        error
            .message
            .starts_with("`overlays/missing.yaml` does not exist")
    );
    assert_eq!(error.help.as_deref(), Some("check the path of the overlay"));
}
