//! Checks on the raw documents for spec errors that parsing would silently drop: fields an
//! object may not have. Each becomes a warning, since the generator can go on without them.

use serde_json::Value;

use crate::diag::{Diagnostics, Location};
use crate::load::Sources;

/// The fields OpenAPI 3.0 allows on each type of security scheme (besides `x-` extensions).
const SECURITY_SCHEME_FIELDS: &[(&str, &[&str])] = &[
    ("apiKey", &["type", "description", "name", "in"]),
    ("http", &["type", "description", "scheme", "bearerFormat"]),
    ("oauth2", &["type", "description", "flows"]),
    (
        "openIdConnect",
        &["type", "description", "openIdConnectUrl"],
    ),
];

pub fn lint(sources: &Sources, diags: &mut Diagnostics) {
    for (file, document) in &sources.files {
        let Some(Value::Object(schemes)) = document.pointer("/components/securitySchemes") else {
            continue;
        };
        for (key, scheme) in schemes {
            let Value::Object(fields) = scheme else {
                continue;
            };
            let Some(kind) = fields.get("type").and_then(Value::as_str) else {
                continue;
            };
            let Some((_, allowed)) = SECURITY_SCHEME_FIELDS.iter().find(|(k, _)| *k == kind) else {
                continue;
            };
            let at = Location::new(file.as_str(), "/components/securitySchemes").join(key);
            for field in fields.keys() {
                if !allowed.contains(&field.as_str()) && !field.starts_with("x-") {
                    diags.warning(
                        &at.join(field),
                        format!(
                            "`{field}` is not allowed on an `{kind}` security scheme; it is ignored"
                        ),
                        format!(
                            "remove it: an `{kind}` scheme takes {}",
                            allowed
                                .iter()
                                .map(|f| format!("`{f}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                }
            }
        }
    }
}
