//! The values Swagger 2.0 describes beside `in` (parameters, headers, form fields) and its
//! schemas and responses, in their OpenAPI 3.0 forms.

use serde_json::{Map, Value, json};

use super::{Convert, JSON, SCHEMA_FIELDS, is_json};
use crate::diag::Location;
use crate::normalize::{Role, join};

impl Convert<'_, '_, '_> {
    /// A non-body parameter in its 3.0 form; `None` when it cannot be one (reported).
    pub(super) fn parameter(&mut self, value: &Value, new: &str, orig: &str) -> Option<Value> {
        let file = self.file.clone();
        let Value::Object(written) = value else {
            return Some(value.clone());
        };
        if written.contains_key("$ref") {
            return Some(value.clone());
        }
        let origin = self.here(orig);
        let place = written
            .get("in")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let mut converted = Map::new();
        for (key, field) in written {
            match key.as_str() {
                "collectionFormat" | "x-example" | "x-nullable" => {}
                k if SCHEMA_FIELDS.contains(&k) => {}
                "allowEmptyValue" if place != "query" => {}
                _ => {
                    converted.insert(key.clone(), field.clone());
                }
            }
        }
        if written.get("type").is_none() && !written.contains_key("schema") {
            let name = written
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("this");
            self.n.error(&file, orig, format!("the parameter `{name}` has no `type`, which Swagger 2.0 requires of a parameter that is not `in: body`"), "add `type:` (`string`, `number`, `integer`, `boolean` or `array`)");
            converted.insert("schema".to_owned(), json!({}));
            return Some(Value::Object(converted));
        }
        if written.contains_key("schema") {
            return Some(Value::Object(converted));
        }
        let (schema, style) = self.value_schema(written, &join(new, "schema"), &origin, &place);
        converted.insert("schema".to_owned(), schema);
        self.moved(&join(new, "schema"), &origin);
        if let Some((style, explode)) = style {
            converted.insert("style".to_owned(), json!(style));
            converted.insert("explode".to_owned(), json!(explode));
            self.moved(
                &join(new, "style"),
                &Location::new(file.as_str(), join(orig, "collectionFormat")),
            );
            self.moved(
                &join(new, "explode"),
                &Location::new(file.as_str(), join(orig, "collectionFormat")),
            );
        }
        if let Some(example) = written.get("x-example") {
            converted.insert("example".to_owned(), example.clone());
            self.moved(
                &join(new, "example"),
                &Location::new(file.as_str(), join(orig, "x-example")),
            );
        }
        Some(Value::Object(converted))
    }

    /// The schema of a parameter, header or form field (`type`, `items`, ...), and the style
    /// and explode its `collectionFormat` means at `place`.
    pub(super) fn value_schema(
        &mut self,
        written: &Map<String, Value>,
        new: &str,
        at: &Location,
        place: &str,
    ) -> (Value, Option<(&'static str, bool)>) {
        let mut schema = Map::new();
        for key in SCHEMA_FIELDS.iter().chain(&["x-nullable"]) {
            if let Some(value) = written.get(*key) {
                schema.insert((*key).to_owned(), value.clone());
            }
        }
        if let Some(description) = written.get("description").filter(|_| place == "formData") {
            schema.insert("description".to_owned(), description.clone());
        }
        if let Some(example) = written.get("x-example").filter(|_| place == "formData") {
            schema.insert("example".to_owned(), example.clone());
        }
        let mut schema = Value::Object(schema);
        // The schema's fields were written on the parameter itself.
        self.schema_from(&mut schema, new, at);
        let is_array = written.get("type").and_then(Value::as_str) == Some("array");
        if !is_array {
            return (schema, None);
        }
        if let Some(Value::Object(items)) = schema.get_mut("items") {
            if let Some(inner) = items.shift_remove("collectionFormat") {
                if inner != "csv" {
                    let pointer = join(&join(&at.pointer, "items"), "collectionFormat");
                    self.n.warn(&at.file, &pointer, "a `collectionFormat` inside `items` (an array of arrays) has no OpenAPI 3.0 form; the inner arrays are joined with commas", "flatten the parameter into one array if the API allows it");
                }
            }
        }
        let format = written
            .get("collectionFormat")
            .and_then(Value::as_str)
            .unwrap_or("csv");
        let style = match (place, format) {
            ("query" | "formData", "csv") => Some(("form", false)),
            ("query" | "formData", "multi") => Some(("form", true)),
            ("query" | "formData", "ssv") => Some(("spaceDelimited", false)),
            ("query" | "formData", "pipes") => Some(("pipeDelimited", false)),
            ("path" | "header", "csv") => Some(("simple", false)),
            ("path" | "header", "multi") => {
                let pointer = join(&at.pointer, "collectionFormat");
                self.n.warn(&at.file, &pointer, format!("`collectionFormat: multi` is only for query and form parameters; this `{place}` parameter is sent comma-separated (`csv`)"), "write `collectionFormat: csv`");
                Some(("simple", false))
            }
            _ => None,
        };
        if style.is_some() {
            return (schema, style);
        }
        let pointer = join(&at.pointer, "collectionFormat");
        self.n.warn(
            &at.file,
            &pointer,
            format!("`collectionFormat: {format}` has no OpenAPI 3.0 style for a `{place}` parameter; it is sent as one string, which the caller joins"),
            "join the values as the API expects (with tabs for `tsv`), or use a `collectionFormat` OpenAPI 3.0 can say (`csv`, `ssv`, `pipes`, `multi`)",
        );
        let mut fallback = Map::new();
        fallback.insert("type".to_owned(), json!("string"));
        if let Some(description) = schema.get("description") {
            fallback.insert("description".to_owned(), description.clone());
        }
        (Value::Object(fallback), None)
    }

    pub(super) fn responses(
        &mut self,
        value: &Value,
        new: &str,
        orig: &str,
        produces: &[String],
    ) -> Value {
        let Value::Object(written) = value else {
            return value.clone();
        };
        let mut converted = Map::new();
        for (status, response) in written {
            let at = |p: &str| join(p, status);
            let response = if status.starts_with("x-") {
                response.clone()
            } else {
                self.response(response, &at(new), &at(orig), produces)
            };
            converted.insert(status.clone(), response);
        }
        Value::Object(converted)
    }

    pub(super) fn response(
        &mut self,
        value: &Value,
        new: &str,
        orig: &str,
        produces: &[String],
    ) -> Value {
        let file = self.file.clone();
        let Value::Object(written) = value else {
            return value.clone();
        };
        if let Some(Value::String(reference)) = written.get("$ref") {
            self.n.follow(&file, reference, Role::Response);
            return value.clone();
        }
        let mut converted = Map::new();
        for (key, field) in written {
            match key.as_str() {
                "schema" | "examples" => {}
                "headers" => {
                    let Value::Object(headers) = field else {
                        converted.insert(key.clone(), field.clone());
                        continue;
                    };
                    let mut out = Map::new();
                    for (name, header) in headers {
                        let header_new = join(&join(new, "headers"), name);
                        let header_orig = join(&join(orig, "headers"), name);
                        out.insert(name.clone(), self.header(header, &header_new, &header_orig));
                    }
                    converted.insert(key.clone(), Value::Object(out));
                }
                _ => {
                    converted.insert(key.clone(), field.clone());
                }
            }
        }
        let Some(schema) = written.get("schema") else {
            return Value::Object(converted);
        };
        let file_body = schema.get("type").and_then(Value::as_str) == Some("file");
        let mut media: Vec<String> = if produces.is_empty() {
            vec![JSON.to_owned()]
        } else {
            produces.to_vec()
        };
        if file_body {
            // A file is bytes, whatever JSON the operation also produces.
            media.retain(|m| !is_json(m));
            if media.is_empty() {
                media.push("application/octet-stream".to_owned());
            }
        }
        let examples = written.get("examples").and_then(Value::as_object);
        let mut content = Map::new();
        for media_type in media {
            let content_new = join(&join(new, "content"), &media_type);
            let schema_new = join(&content_new, "schema");
            let mut converted_schema = schema.clone();
            self.n.moved(&file, &schema_new, &join(orig, "schema"));
            self.schema(&mut converted_schema, &schema_new, &join(orig, "schema"));
            let mut entry = Map::new();
            entry.insert("schema".to_owned(), converted_schema);
            if let Some(example) = examples.and_then(|e| e.get(&media_type)) {
                entry.insert("example".to_owned(), example.clone());
                let example_orig = join(&join(orig, "examples"), &media_type);
                self.n
                    .moved(&file, &join(&content_new, "example"), &example_orig);
            }
            content.insert(media_type, Value::Object(entry));
        }
        converted.insert("content".to_owned(), Value::Object(content));
        Value::Object(converted)
    }

    pub(super) fn header(&mut self, value: &Value, new: &str, orig: &str) -> Value {
        let file = self.file.clone();
        let Value::Object(written) = value else {
            return value.clone();
        };
        let mut converted = Map::new();
        for (key, field) in written {
            if !SCHEMA_FIELDS.contains(&key.as_str())
                && !["collectionFormat", "x-example", "x-nullable"].contains(&key.as_str())
            {
                converted.insert(key.clone(), field.clone());
            }
        }
        let origin = self.here(orig);
        let (schema, style) = self.value_schema(written, &join(new, "schema"), &origin, "header");
        converted.insert("schema".to_owned(), schema);
        self.n.moved(&file, &join(new, "schema"), orig);
        if style.is_some_and(|(_, explode)| explode) {
            converted.insert("explode".to_owned(), Value::Bool(true));
        }
        if let Some(example) = written.get("x-example") {
            converted.insert("example".to_owned(), example.clone());
            self.n
                .moved(&file, &join(new, "example"), &join(orig, "x-example"));
        }
        Value::Object(converted)
    }

    /// A 2.0 schema of this file, now at `new` and written at `orig`.
    pub(super) fn schema(&mut self, value: &mut Value, new: &str, orig: &str) {
        let origin = self.here(orig);
        self.schema_from(value, new, &origin);
    }

    /// A 2.0 schema (maybe copied from another file): `x-nullable`, `type: file`, a string
    /// `discriminator`; references in other files are queued.
    pub(super) fn schema_from(&mut self, value: &mut Value, new: &str, origin: &Location) {
        let Value::Object(map) = value else {
            return;
        };
        if let Some(Value::String(reference)) = map.get("$ref").cloned() {
            let file = self.file.clone();
            let bare = !reference.contains(['#', '/', '.'])
                && self
                    .n
                    .originals
                    .get(&origin.file)
                    .and_then(|d| d.get("definitions"))
                    .is_some_and(|d| d.get(&reference).is_some());
            if bare {
                // Early 2.0 tools let a definition's bare name stand for its pointer.
                let pointer = format!("#/definitions/{}", crate::diag::escape(&reference));
                let written = join(&origin.pointer, "$ref");
                self.n.warn(&origin.file, &written, format!("`$ref: {reference}` is a bare name, which Swagger 2.0 reads as a file; it is taken to mean `{pointer}`"), format!("write `$ref: '{pointer}'`"));
                map.insert("$ref".to_owned(), Value::String(pointer));
                return;
            }
            self.n.follow(&file, &reference, Role::Schema);
            return;
        }
        if let Some(nullable) = map.shift_remove("x-nullable") {
            map.insert("nullable".to_owned(), nullable);
            let written = Location::new(origin.file.as_str(), join(&origin.pointer, "x-nullable"));
            self.moved(&join(new, "nullable"), &written);
        }
        if map.get("type").and_then(Value::as_str) == Some("file") {
            map.insert("type".to_owned(), json!("string"));
            map.insert("format".to_owned(), json!("binary"));
        }
        if let Some(Value::String(property)) = map.get("discriminator").cloned() {
            map.insert(
                "discriminator".to_owned(),
                json!({ "propertyName": property }),
            );
        }
        let mut children: Vec<(Vec<String>, &mut Value)> = Vec::new();
        for (key, child) in map.iter_mut() {
            match key.as_str() {
                "properties" => {
                    if let Value::Object(properties) = child {
                        for (name, property) in properties.iter_mut() {
                            children.push((vec![key.clone(), name.clone()], property));
                        }
                    }
                }
                "allOf" | "oneOf" | "anyOf" => {
                    if let Value::Array(members) = child {
                        for (i, member) in members.iter_mut().enumerate() {
                            children.push((vec![key.clone(), i.to_string()], member));
                        }
                    }
                }
                "items" | "additionalProperties" | "not" if child.is_object() => {
                    children.push((vec![key.clone()], child));
                }
                _ => {}
            }
        }
        for (tokens, child) in children {
            let mut child_new = new.to_owned();
            let mut child_orig = origin.pointer.clone();
            for token in &tokens {
                child_new = join(&child_new, token);
                child_orig = join(&child_orig, token);
            }
            let child_origin = Location::new(origin.file.as_str(), child_orig);
            // Bounded by the document: a schema cannot nest without end.
            self.schema_from(child, &child_new, &child_origin);
        }
    }
}
