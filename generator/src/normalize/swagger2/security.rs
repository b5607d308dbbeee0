//! Swagger 2.0 security definitions as OpenAPI 3.0 security schemes.

use serde_json::{Map, Value, json};

use super::Convert;
use crate::normalize::join;

impl Convert<'_, '_, '_> {
    pub(super) fn security_scheme(&mut self, key: &str, value: &Value, orig: &str) -> Value {
        let file = self.file.clone();
        let new = join("/components/securitySchemes", key);
        let Value::Object(written) = value else {
            return value.clone();
        };
        let kind = written
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let mut converted = Map::new();
        let keep = |converted: &mut Map<String, Value>, fields: &[&str]| {
            for (field, v) in written {
                if fields.contains(&field.as_str()) || field.starts_with("x-") {
                    converted.insert(field.clone(), v.clone());
                }
            }
        };
        match kind {
            "basic" => {
                keep(&mut converted, &["description"]);
                converted.insert("type".to_owned(), json!("http"));
                converted.insert("scheme".to_owned(), json!("basic"));
                self.n
                    .moved(&file, &join(&new, "scheme"), &join(orig, "type"));
            }
            "apiKey" => {
                let in_header = written.get("in").and_then(Value::as_str) == Some("header");
                let authorization = written
                    .get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| n.eq_ignore_ascii_case("authorization"));
                let says_bearer = key.to_ascii_lowercase().contains("bearer")
                    || written
                        .get("description")
                        .and_then(Value::as_str)
                        .is_some_and(|d| d.to_ascii_lowercase().contains("bearer"));
                if in_header && authorization && says_bearer {
                    keep(&mut converted, &["description"]);
                    converted.insert("type".to_owned(), json!("http"));
                    converted.insert("scheme".to_owned(), json!("bearer"));
                    self.n
                        .moved(&file, &join(&new, "scheme"), &join(orig, "type"));
                    self.n.warn(&file, orig, format!("Swagger 2.0 has no bearer scheme; `{key}`, an `apiKey` in the `Authorization` header that speaks of bearer tokens, is read as HTTP bearer: the client sends `Authorization: Bearer <token>`"), "if the caller must give the header's whole value, do not call the scheme a bearer scheme; in OpenAPI 3 write `type: http, scheme: bearer`");
                } else {
                    keep(&mut converted, &["type", "name", "in", "description"]);
                }
            }
            "oauth2" => {
                keep(&mut converted, &["type", "description"]);
                let flow = match written.get("flow").and_then(Value::as_str) {
                    Some("implicit") => "implicit",
                    Some("password") => "password",
                    Some("application") => "clientCredentials",
                    Some("accessCode") => "authorizationCode",
                    _ => {
                        // The URLs it gives say which flow it can be.
                        let (flow, named) = match (
                            written.contains_key("authorizationUrl"),
                            written.contains_key("tokenUrl"),
                        ) {
                            (true, true) => ("authorizationCode", "accessCode"),
                            (false, true) => ("clientCredentials", "application"),
                            _ => ("implicit", "implicit"),
                        };
                        self.n.warn(&file, orig, format!("the `oauth2` scheme `{key}` names no `flow`; from the URLs it gives, it is read as `{named}`"), "add `flow:` (`implicit`, `password`, `application` or `accessCode`)");
                        flow
                    }
                };
                let mut details = Map::new();
                for field in ["authorizationUrl", "tokenUrl", "scopes"] {
                    if let Some(v) = written.get(field) {
                        details.insert(field.to_owned(), v.clone());
                    }
                }
                details.entry("scopes").or_insert_with(|| json!({}));
                let mut flows = Map::new();
                flows.insert(flow.to_owned(), Value::Object(details));
                converted.insert("flows".to_owned(), Value::Object(flows));
                self.n.moved(&file, &join(&new, "flows"), orig);
                self.n.moved(&file, &join(&join(&new, "flows"), flow), orig);
            }
            _ => return value.clone(),
        }
        Value::Object(converted)
    }
}
