//! The change report on spec edits: the generated crate before and after each edit, compared,
//! each change with the verdict the rules give (see `apidiff::diff`). In the generated crate an
//! operation is `client.op(required...)` returning a request builder with a setter per
//! optional value, and `send` returning `Result<Response<T>, Error<OpError>>`.

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

/// The `limit` query parameter of `list-pets`, as the spec has it.
const LIMIT: &str =
    "        - name: limit\n          in: query\n          schema:\n            type: integer\n";

/// The `delete-pet` operation, as the spec has it.
const DELETE_PET: &str = "  /pets/{id}:\n    delete:\n      operationId: delete-pet\n      parameters:\n        - name: id\n          in: path\n          required: true\n          schema:\n            type: string\n      responses:\n        '204':\n          description: Gone\n";

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

/// `spec` with `from` (found exactly once) replaced by `to`.
fn edit(spec: &str, from: &str, to: &str) -> String {
    assert_eq!(spec.matches(from).count(), 1, "`{from}`");
    spec.replacen(from, to, 1)
}

fn edited(from: &str, to: &str) -> String {
    edit(SPEC, from, to)
}

fn compare(old: &str, new: &str) -> apidiff::Report {
    apidiff::compare("pets", Some("0.1.0"), &sources(old), &sources(new)).unwrap()
}

fn report(spec: &str) -> apidiff::Report {
    compare(SPEC, spec)
}

/// (level, breaking, id, subject) of each change.
fn verdicts(report: &apidiff::Report) -> Vec<(Level, bool, &str, &str)> {
    report
        .changes
        .iter()
        .map(|c| (c.level, c.breaking, c.id, c.subject.as_str()))
        .collect()
}

/// (old, new) of the first change.
fn values(report: &apidiff::Report) -> (Option<&str>, Option<&str>) {
    let change = &report.changes[0];
    (change.old.as_deref(), change.new.as_deref())
}

#[test]
fn no_edit_no_change() {
    let report = report(SPEC);
    assert!(report.is_empty(), "{}", report.text());
    assert_eq!(report.bump, Bump::None);
    assert_eq!(report.next_version.as_deref(), Some("0.1.0"));
    assert_eq!(
        report.text(),
        "public API of `pets`: no change; semver: none\n"
    );
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
    assert_eq!(values(&report), (None, Some("Option<i64>")));
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
    // Types read as users write them, whatever paths the generated code spells out.
    assert_eq!(
        report.text(),
        "public API of `pets`: 2 change(s), 2 breaking; semver: major (0.1.0 -> 0.2.0)\n  \
         ERR  breaking Pet.kind: field removed from a response type: was `Option<PetKind>`  [response-field-removed]\n  \
         ERR  breaking PetKind: enum removed  [type-removed]\n"
    );
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
    assert_eq!(values(&required), (None, Some("String")));
    assert!(
        required.changes[0].text.contains("must give it"),
        "{}",
        required.text()
    );
    assert_eq!(required.bump, Bump::Major);
    assert_eq!(required.next_version.as_deref(), Some("0.2.0"));
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
    assert_eq!(values(&optional), (None, Some("Option<String>")));
    assert_eq!(optional.bump, Bump::Minor);
    assert_eq!(optional.next_version.as_deref(), Some("0.1.1"));
}

#[test]
fn a_field_removed_from_a_request_breaks() {
    let report = report(&edited(
        "        size:\n          type: string\n          enum: [small, large]\n",
        "",
    ));
    assert_eq!(
        verdicts(&report),
        [
            (Level::Err, true, "request-field-removed", "NewPet.size"),
            (Level::Err, true, "type-removed", "NewPetSize"),
        ]
    );
    assert_eq!(report.bump, Bump::Major);
}

#[test]
fn a_type_both_sent_and_received_follows_the_request_rule() {
    // `create-pet` takes a `Pet` and returns one: a required field added breaks senders.
    let both = edited(
        "              $ref: '#/components/schemas/NewPet'\n",
        "              $ref: '#/components/schemas/Pet'\n",
    );
    let report = compare(
        &both,
        &edit(
            &both,
            "      required: [id, name]\n",
            "      required: [id, name, age]\n",
        )
        .replacen(
            "        kind:\n",
            "        age:\n          type: integer\n        kind:\n",
            1,
        ),
    );
    assert_eq!(
        verdicts(&report),
        [(Level::Err, true, "request-required-field-added", "Pet.age")]
    );
    assert!(
        report.changes[0]
            .text
            .starts_with("required field added to a request and response type"),
        "{}",
        report.text()
    );
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
    assert_eq!(values(&report), (Some("String"), Some("i64")));
    assert_eq!(report.bump, Bump::Major);
}

#[test]
fn an_operation_removed_breaks() {
    let report = report(&edited(DELETE_PET, ""));
    assert_eq!(
        verdicts(&report),
        [
            (Level::Err, true, "operation-removed", "Client::delete_pet"),
            (Level::Err, true, "type-removed", "DeletePetError"),
        ]
    );
    assert_eq!(report.bump, Bump::Major);
    assert_eq!(report.next_version.as_deref(), Some("0.2.0"));
}

#[test]
fn an_operation_added_does_not_break() {
    let report = report(&edited(
        "components:\n",
        "  /pets/{id}/photo:\n    get:\n      operationId: get-photo\n      parameters:\n        - name: id\n          in: path\n          required: true\n          schema:\n            type: string\n      responses:\n        '204':\n          description: The photo\ncomponents:\n",
    ));
    assert_eq!(
        verdicts(&report),
        [
            (Level::Info, false, "operation-added", "Client::get_photo"),
            (Level::Info, false, "type-added", "GetPhotoError"),
        ]
    );
    assert!(
        values(&report)
            .1
            .unwrap()
            .starts_with("get_photo(id: String)"),
        "{}",
        report.text()
    );
    assert_eq!(report.bump, Bump::Minor);
    assert_eq!(report.next_version.as_deref(), Some("0.1.1"));
}

#[test]
fn an_optional_parameter_added_is_a_new_setter_and_does_not_break() {
    let report = report(&edited(
        LIMIT,
        &format!(
            "{LIMIT}        - name: species\n          in: query\n          schema:\n            type: string\n"
        ),
    ));
    assert_eq!(
        verdicts(&report),
        [(
            Level::Info,
            false,
            "optional-parameter-added",
            "Client::list_pets"
        )]
    );
    assert_eq!(values(&report), (None, Some("species: String")));
    assert_eq!(report.bump, Bump::Minor);
    assert_eq!(report.next_version.as_deref(), Some("0.1.1"));
}

#[test]
fn an_optional_parameter_removed_breaks() {
    let report = report(&edited(
        &format!("      operationId: list-pets\n      parameters:\n{LIMIT}"),
        "      operationId: list-pets\n",
    ));
    assert_eq!(
        verdicts(&report),
        [(
            Level::Err,
            true,
            "optional-parameter-removed",
            "Client::list_pets"
        )]
    );
    assert_eq!(values(&report), (Some("limit: i64"), None));
    assert_eq!(report.bump, Bump::Major);
}

#[test]
fn a_required_parameter_added_breaks() {
    let query = report(&edited(
        LIMIT,
        &format!(
            "{LIMIT}        - name: owner\n          in: query\n          required: true\n          schema:\n            type: string\n"
        ),
    ));
    assert_eq!(
        verdicts(&query),
        [(
            Level::Err,
            true,
            "required-parameter-added",
            "Client::list_pets"
        )]
    );
    assert_eq!(values(&query), (None, Some("owner: String")));
    assert_eq!(query.bump, Bump::Major);
    let header = report(&edited(
        "        - name: id\n          in: path\n",
        "        - name: X-Reason\n          in: header\n          required: true\n          schema:\n            type: string\n        - name: id\n          in: path\n",
    ));
    assert_eq!(
        verdicts(&header),
        [(
            Level::Err,
            true,
            "required-parameter-added",
            "Client::delete_pet"
        )]
    );
    assert_eq!(values(&header), (None, Some("x_reason: String")));
}

#[test]
fn a_parameter_s_type_changed_breaks() {
    let optional = report(&edited(
        LIMIT,
        "        - name: limit\n          in: query\n          schema:\n            type: string\n",
    ));
    assert_eq!(
        verdicts(&optional),
        [(
            Level::Err,
            true,
            "parameter-type-changed",
            "Client::list_pets"
        )]
    );
    assert_eq!(values(&optional), (Some("i64"), Some("String")));
    assert_eq!(optional.bump, Bump::Major);
    let required = report(&edited(
        "          in: path\n          required: true\n          schema:\n            type: string\n",
        "          in: path\n          required: true\n          schema:\n            type: integer\n",
    ));
    assert_eq!(
        verdicts(&required),
        [(
            Level::Err,
            true,
            "parameter-type-changed",
            "Client::delete_pet"
        )]
    );
    assert_eq!(values(&required), (Some("String"), Some("i64")));
}

#[test]
fn an_optional_parameter_made_required_breaks() {
    let report = report(&edited(
        LIMIT,
        "        - name: limit\n          in: query\n          required: true\n          schema:\n            type: integer\n",
    ));
    assert_eq!(
        verdicts(&report),
        [(
            Level::Err,
            true,
            "parameter-became-required",
            "Client::list_pets"
        )]
    );
    assert_eq!(values(&report), (Some("limit: i64"), Some("limit: i64")));
}

#[test]
fn a_required_parameter_only_renamed_does_not_break() {
    // Arguments are positional: callers of `delete_pet(id)` still compile.
    let report = report(&edited(
        "  /pets/{id}:\n    delete:\n      operationId: delete-pet\n      parameters:\n        - name: id\n",
        "  /pets/{petId}:\n    delete:\n      operationId: delete-pet\n      parameters:\n        - name: petId\n",
    ));
    assert_eq!(
        verdicts(&report),
        [(
            Level::Info,
            false,
            "parameter-renamed",
            "Client::delete_pet"
        )]
    );
    assert_eq!(
        values(&report),
        (Some("id: String"), Some("pet_id: String"))
    );
    assert_eq!(report.bump, Bump::Patch);
    assert_eq!(report.next_version.as_deref(), Some("0.1.1"));
}

#[test]
fn a_success_type_changed_breaks() {
    let report = report(&edited(
        "          description: Created\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Pet'\n",
        "          description: Created\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/PetList'\n",
    ));
    assert_eq!(
        verdicts(&report),
        [(
            Level::Err,
            true,
            "response-type-changed",
            "Client::create_pet"
        )]
    );
    assert_eq!(values(&report), (Some("Pet"), Some("PetList")));
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
    assert_eq!(request.bump, Bump::Minor);
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

/// The crate on disk is read with its nested modules (`src/requests/pagination.rs`, written
/// where an operation pages): the checked-in `pagination` crate compared with what its spec
/// generates is no change.
#[test]
fn a_crate_on_disk_is_read_with_its_nested_modules() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let options = sdkgen::Options {
        crate_name: "pagination".into(),
        command: "cargo xtask codegen".into(),
        standalone: false,
    };
    let generated = sdkgen::generate(&root.join("tests/fixtures/pagination.yaml"), &options)
        .unwrap_or_else(|failure| panic!("{failure}"));
    let files: Vec<(String, String)> = generated
        .files
        .into_iter()
        .map(|f| (f.path, f.contents))
        .collect();
    assert!(
        files
            .iter()
            .any(|(path, _)| path == "src/requests/pagination.rs"),
        "the fixture no longer pages"
    );
    let report =
        apidiff::compare_with_disk("pagination", &root.join("tests/pagination"), &files).unwrap();
    assert!(report.changes.is_empty(), "{:#?}", report.changes);
}
