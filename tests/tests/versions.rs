//! Every version of OpenAPI in use gives the same crate: the project's spec written in
//! OpenAPI 3.1 (`fixtures/spec-openapi-3-1/`) and in Swagger 2.0 (`fixtures/spec-swagger-2/`)
//! generates what the OpenAPI 3.0 original does, but for lines of documentation. The diff of
//! the generated sources is snapshotted (`snapshots/versions__*.snap`), so a reviewer sees it.
//!
//! And a diagnostic about a value the normalising moved (a Swagger 2.0 definition now under
//! `components/schemas`, a body parameter now a `requestBody`, a 3.1 `$defs` entry now a
//! component) points at the line the user wrote it on.

use std::path::Path;

use sdkgen::{Diagnostic, Options, Severity};

fn options() -> Options {
    Options {
        crate_name: "highlevel".to_owned(),
        command: "cargo xtask codegen".to_owned(),
        standalone: false,
    }
}

fn generate(spec: &Path) -> sdkgen::Generated {
    sdkgen::generate(spec, &options()).unwrap_or_else(|f| panic!("{}:\n{f}", spec.display()))
}

/// The unified diff of every generated file, and the lines it changes that are not
/// documentation (`///`, `//!`).
fn diff(original: &sdkgen::Generated, other: &sdkgen::Generated) -> (String, Vec<String>) {
    let mut text = String::new();
    let mut code = Vec::new();
    let paths: Vec<&str> = original.files.iter().map(|f| f.path.as_str()).collect();
    let other_paths: Vec<&str> = other.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, other_paths, "the crates have different files");
    for (a, b) in original.files.iter().zip(&other.files) {
        let diff = similar::TextDiff::from_lines(&a.contents, &b.contents);
        for change in diff.iter_all_changes() {
            if change.tag() == similar::ChangeTag::Equal {
                continue;
            }
            let line = change.value().trim();
            if !(line.starts_with("///") || line.starts_with("//!")) {
                code.push(format!("{}: {}{line}", a.path, change.tag()));
            }
        }
        let unified = diff
            .unified_diff()
            .header(&format!("3.0/{}", a.path), &format!("other/{}", b.path))
            .to_string();
        text.push_str(&unified);
    }
    if text.is_empty() {
        text.push_str("(no differences)\n");
    }
    (text, code)
}

fn warnings(generated: &sdkgen::Generated) -> Vec<String> {
    generated
        .warnings
        .iter()
        .map(|w| w.message.clone())
        .collect()
}

#[test]
fn the_spec_in_openapi_3_1_gives_the_same_crate() {
    let original = generate(Path::new("../spec/openapi.yaml"));
    let other = generate(Path::new("fixtures/spec-openapi-3-1/openapi.yaml"));
    let (text, code) = diff(&original, &other);
    assert!(code.is_empty(), "code differs:\n{}", code.join("\n"));
    assert!(
        other.warnings.is_empty(),
        "warnings: {:?}",
        warnings(&other)
    );
    insta::assert_snapshot!("spec-openapi-3-1-diff", text);
}

#[test]
fn the_spec_in_swagger_2_gives_the_same_crate() {
    let original = generate(Path::new("../spec/openapi.yaml"));
    let other = generate(Path::new("fixtures/spec-swagger-2/openapi.yaml"));
    let (text, code) = diff(&original, &other);
    assert!(code.is_empty(), "code differs:\n{}", code.join("\n"));
    // Swagger 2.0 cannot say "bearer"; the one warning says how the scheme was read.
    let [only] = warnings(&other)
        .try_into()
        .unwrap_or_else(|w: Vec<String>| panic!("expected one warning, got {w:?}"));
    assert!(only.contains("read as HTTP bearer"), "{only}");
    insta::assert_snapshot!("spec-swagger-2-diff", text);
}

/// The 1-based line of the first line of `text` that contains `marker`: where the user wrote
/// the value, found in the text itself rather than by the generator's own position finding.
fn line_of(text: &str, marker: &str) -> usize {
    text.lines()
        .position(|l| l.contains(marker))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("`{marker}` is not in the spec"))
}

/// Every diagnostic of a run, whether it generated or not.
fn diagnostics(name: &str, text: &str) -> Vec<Diagnostic> {
    let options = Options {
        standalone: true,
        ..options()
    };
    match sdkgen::generate_from_str(name, text, &options) {
        Ok(generated) => generated.warnings,
        Err(failure) => failure.diagnostics,
    }
}

/// The diagnostic whose message contains `message`.
fn find<'d>(all: &'d [Diagnostic], message: &str) -> &'d Diagnostic {
    all.iter()
        .find(|d| d.message.contains(message))
        .unwrap_or_else(|| panic!("no diagnostic says `{message}`: {all:#?}"))
}

#[test]
fn diagnostics_on_moved_swagger_2_values_point_at_the_users_lines() {
    let text = "\
swagger: '2.0'
info: {title: Pets, version: '1'}
host: pets.example.com
schemes: [https]
paths:
  /pets:
    post:
      operationId: addPet
      consumes: [application/json, application/xml]
      parameters:
        - name: limit
          in: query
          type: integer
        - name: pet
          in: body
          schema:
            $ref: '#/definitions/Pet'
      responses:
        '200':
          description: ok
          schema:
            $ref: '#/definitions/Pet'
definitions:
  Pet:
    type: object
    properties:
      kind:
        type: string
        enum: [cat, dog, cat]
";
    let all = diagnostics("pets.yaml", text);
    // The definition is `components/schemas/Pet` now; the lowering warns about its enum.
    let twice = find(&all, "the enum value `cat` is listed twice");
    assert_eq!(twice.pointer, "/definitions/Pet/properties/kind/enum/2");
    assert_eq!(
        twice.line.map(|l| l.0),
        Some(line_of(text, "enum: [cat, dog, cat]"))
    );
    // The body parameter is `requestBody` now; the shape check speaks of its schema's type.
    // (A schema type no one knows is a warning, about a document of its own.)
    let text = text.replace(
        "$ref: '#/definitions/Pet'\n      responses",
        "type: strin\n      responses",
    );
    let all = diagnostics("pets.yaml", &text);
    let bad_type = find(&all, "`strin` is not a schema type");
    assert_eq!(bad_type.severity, Severity::Warning);
    // Written once, under two media types now: reported once.
    let count = all.iter().filter(|d| d.message == bad_type.message).count();
    assert_eq!(count, 1, "{all:#?}");
    assert_eq!(
        bad_type.pointer,
        "/paths/~1pets/post/parameters/1/schema/type"
    );
    assert_eq!(
        bad_type.line.map(|l| l.0),
        Some(line_of(&text, "type: strin"))
    );
}

#[test]
fn diagnostics_on_moved_openapi_3_1_values_point_at_the_users_lines() {
    let text = "\
openapi: 3.1.0
info: {title: Pets, version: '1'}
paths:
  /pets:
    $ref: '#/components/pathItems/Pets'
components:
  pathItems:
    Pets:
      get:
        operationId: listPets
        responses:
          '200':
            description: ok
            content:
              application/json:
                schema: {$ref: '#/components/schemas/Pet'}
          teapot: {description: not a status}
  schemas:
    Pet:
      type: object
      properties:
        owner: {$ref: '#/components/schemas/Pet/$defs/Owner'}
        size:
          type: [integer, 'null']
      $defs:
        Owner:
          type: object
          properties:
            kind:
              enum: [a, b, a]
              type: string
";
    let all = diagnostics("pets.yaml", text);
    // The path item was written in place of its `$ref`; the check speaks of the original.
    let status = find(&all, "`teapot` is not a status code");
    assert_eq!(
        status.pointer,
        "/components/pathItems/Pets/get/responses/teapot"
    );
    assert_eq!(status.line.map(|l| l.0), Some(line_of(text, "teapot:")));
    // `$defs/Owner` moved to `components/schemas/Owner`.
    let twice = find(&all, "the enum value `a` is listed twice");
    assert_eq!(
        twice.pointer,
        "/components/schemas/Pet/$defs/Owner/properties/kind/enum/2"
    );
    assert_eq!(
        twice.line.map(|l| l.0),
        Some(line_of(text, "enum: [a, b, a]"))
    );
    // `[integer, 'null']` is `type: integer` now; an error points into the list.
    let text = text.replace("[integer, 'null']", "[integr, 'null']");
    let all = diagnostics("pets.yaml", &text);
    let bad_type = find(&all, "`integr` is not a schema type");
    assert_eq!(
        bad_type.pointer,
        "/components/schemas/Pet/properties/size/type/0"
    );
    assert_eq!(
        bad_type.line.map(|l| l.0),
        Some(line_of(&text, "[integr, 'null']"))
    );
}
