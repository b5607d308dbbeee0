//! The change report on spec edits: the generated crate before and after each edit, compared,
//! each change with the verdict the rules give (see `apidiff::diff`).

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use apidiff::{Bump, Level};

const SPEC: &str = r#"openapi: 3.0.3
info:
  title: Pets
  version: '1'
servers:
  - url: https://api.example.com
paths:
  /pets:
    get:
      operationId: list-pets
      parameters:
        - name: limit
          in: query
          schema:
            type: integer
      responses:
        '200':
          description: The pets
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/PetList'
    post:
      operationId: create-pet
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/NewPet'
      responses:
        '201':
          description: Created
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Pet'
  /pets/{id}:
    delete:
      operationId: delete-pet
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: string
      responses:
        '204':
          description: Gone
components:
  schemas:
    PetList:
      type: object
      properties:
        items:
          type: array
          items:
            $ref: '#/components/schemas/Pet'
    Pet:
      type: object
      required: [id, name]
      properties:
        id:
          type: string
        name:
          type: string
        kind:
          type: string
          enum: [cat, dog]
    NewPet:
      type: object
      required: [name]
      properties:
        name:
          type: string
        size:
          type: string
          enum: [small, large]
"#;

fn sources(spec: &str) -> Vec<(String, String)> {
    let options = sdkgen::Options {
        crate_name: "pets".into(),
        command: "test".into(),
        standalone: false,
    };
    let generated = sdkgen::generate_from_str("pets.yaml", spec, &options)
        .unwrap_or_else(|failure| panic!("{failure}"));
    generated
        .files
        .into_iter()
        .filter(|f| f.path.ends_with(".rs"))
        .map(|f| (f.path, f.contents))
        .collect()
}

/// The spec with `from` (found exactly once) replaced by `to`.
fn edited(from: &str, to: &str) -> String {
    assert_eq!(SPEC.matches(from).count(), 1, "`{from}`");
    SPEC.replacen(from, to, 1)
}

fn report(spec: &str) -> apidiff::Report {
    apidiff::compare("pets", Some("0.1.0"), &sources(SPEC), &sources(spec)).unwrap()
}

/// (level, breaking, id, subject) of each change.
fn verdicts(report: &apidiff::Report) -> Vec<(Level, bool, &str, &str)> {
    report
        .changes
        .iter()
        .map(|c| (c.level, c.breaking, c.id, c.subject.as_str()))
        .collect()
}

#[test]
fn no_edit_no_change() {
    let report = report(SPEC);
    assert!(report.is_empty(), "{}", report.text());
    assert_eq!(report.bump, Bump::None);
}

#[test]
fn a_field_added_to_a_response_does_not_break() {
    let report = report(&edited(
        "        kind:\n          type: string\n          enum: [cat, dog]\n",
        "        kind:\n          type: string\n          enum: [cat, dog]\n        age:\n          type: integer\n",
    ));
    assert_eq!(
        verdicts(&report),
        [(Level::Info, false, "response-field-added", "Pet.age")]
    );
    assert_eq!(report.bump, Bump::Minor);
    assert_eq!(report.next_version.as_deref(), Some("0.1.1"));
}

#[test]
fn a_field_removed_from_a_response_breaks() {
    let report = report(&edited(
        "        kind:\n          type: string\n          enum: [cat, dog]\n",
        "",
    ));
    assert_eq!(
        verdicts(&report),
        [
            (Level::Err, true, "response-field-removed", "Pet.kind"),
            (Level::Err, true, "type-removed", "PetKind"),
        ]
    );
    assert_eq!(report.bump, Bump::Major);
    assert_eq!(report.next_version.as_deref(), Some("0.2.0"));
    insta::assert_snapshot!(report.text());
}

#[test]
fn a_required_field_added_to_a_request_breaks_an_optional_one_does_not() {
    let required = report(&edited(
        "      required: [name]\n      properties:\n        name:\n          type: string\n",
        "      required: [name, owner]\n      properties:\n        name:\n          type: string\n        owner:\n          type: string\n",
    ));
    assert_eq!(
        verdicts(&required),
        [(
            Level::Err,
            true,
            "request-required-field-added",
            "NewPet.owner"
        )]
    );
    assert_eq!(required.bump, Bump::Major);
    let optional = report(&edited(
        "      required: [name]\n      properties:\n        name:\n          type: string\n",
        "      required: [name]\n      properties:\n        name:\n          type: string\n        nickname:\n          type: string\n",
    ));
    assert_eq!(
        verdicts(&optional),
        [(
            Level::Info,
            false,
            "request-optional-field-added",
            "NewPet.nickname"
        )]
    );
    assert_eq!(optional.bump, Bump::Minor);
}

#[test]
fn a_type_changed_breaks() {
    let report = report(&edited(
        "        name:\n          type: string\n        kind:",
        "        name:\n          type: integer\n        kind:",
    ));
    assert_eq!(
        verdicts(&report),
        [(Level::Err, true, "field-type-changed", "Pet.name")]
    );
    assert_eq!(
        (
            report.changes[0].old.as_deref(),
            report.changes[0].new.as_deref()
        ),
        (Some("String"), Some("i64"))
    );
}

#[test]
fn an_operation_removed_breaks_one_added_does_not() {
    let removed = report(&edited(
        "  /pets/{id}:\n    delete:\n      operationId: delete-pet\n      parameters:\n        - name: id\n          in: path\n          required: true\n          schema:\n            type: string\n      responses:\n        '204':\n          description: Gone\n",
        "",
    ));
    let ids: Vec<_> = verdicts(&removed);
    assert!(
        ids.contains(&(Level::Err, true, "operation-removed", "Client::delete_pet")),
        "{}",
        removed.text()
    );
    assert!(
        ids.iter().all(|(level, ..)| *level == Level::Err),
        "{}",
        removed.text()
    );
    assert_eq!(removed.bump, Bump::Major);
    let added = report(&edited(
        "components:\n",
        "  /pets/{id}/photo:\n    get:\n      operationId: get-photo\n      parameters:\n        - name: id\n          in: path\n          required: true\n          schema:\n            type: string\n      responses:\n        '204':\n          description: The photo\ncomponents:\n",
    ));
    assert!(
        verdicts(&added).contains(&(Level::Info, false, "operation-added", "Client::get_photo")),
        "{}",
        added.text()
    );
    assert!(
        added.changes.iter().all(|c| !c.breaking),
        "{}",
        added.text()
    );
    assert_eq!(added.bump, Bump::Minor);
}

#[test]
fn enum_values_added_warn_in_responses_and_not_in_requests() {
    let response = report(&edited("enum: [cat, dog]", "enum: [cat, dog, bird]"));
    assert_eq!(
        verdicts(&response),
        [(
            Level::Warn,
            false,
            "response-variant-added",
            "PetKind::Bird"
        )]
    );
    assert_eq!(response.bump, Bump::Minor);
    let request = report(&edited(
        "enum: [small, large]",
        "enum: [small, medium, large]",
    ));
    assert_eq!(
        verdicts(&request),
        [(
            Level::Info,
            false,
            "request-variant-added",
            "NewPetSize::Medium"
        )]
    );
}

#[test]
fn a_parameter_added_to_an_operation_breaks_its_callers() {
    let report = report(&edited(
        "        - name: limit\n          in: query\n          schema:\n            type: integer\n",
        "        - name: limit\n          in: query\n          schema:\n            type: integer\n        - name: species\n          in: query\n          schema:\n            type: string\n",
    ));
    assert_eq!(
        verdicts(&report),
        [(
            Level::Err,
            true,
            "optional-parameter-added",
            "Client::list_pets"
        )]
    );
}

#[test]
fn the_json_report_names_levels_as_oasdiff_does() {
    let report = report(&edited("enum: [cat, dog]", "enum: [cat, dog, bird]"));
    let json: serde_json::Value = serde_json::from_str(&report.json()).unwrap();
    assert_eq!(json["crate"], "pets");
    assert_eq!(json["bump"], "minor");
    assert_eq!(json["next_version"], "0.1.1");
    assert_eq!(json["changes"][0]["level"], "WARN");
    assert_eq!(json["changes"][0]["breaking"], false);
    assert_eq!(json["changes"][0]["subject"], "PetKind::Bird");
}
