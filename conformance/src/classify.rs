//! A driver's line per call, judged: pass, fail (with why) or skip (with Prism's reason).

use std::fmt;

use serde_json::Value;

/// One operation's call.
#[derive(Debug, Clone)]
pub struct Call {
    /// The operation's place in the driver's order.
    pub index: usize,
    pub operation: String,
    pub method: String,
    pub path: String,
    /// The request line the client sent (`GET /items?page=1 HTTP/1.1`), when it sent one.
    pub request: Option<String>,
    pub status: Option<u16>,
    pub verdict: Verdict,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// No violation, and the response decoded into its type.
    Pass,
    Fail(String),
    /// Prism cannot mock the operation; its reason.
    Skip(String),
}

/// Prism's own error types (`https://stoplight.io/prism/errors#...`) that say the request does
/// not match the spec: the client's fault.
const REQUEST_ERRORS: &[&str] = &[
    "NO_PATH_MATCHED_ERROR",
    "NO_METHOD_MATCHED_ERROR",
    "UNPROCESSABLE_ENTITY",
    "UNAUTHORIZED",
    "NOT_ACCEPTABLE",
    "INVALID_CONTENT_TYPE",
];

/// Judges one line the driver printed.
pub fn call(line: &str) -> Result<Call, String> {
    let value: Value = serde_json::from_str(line).map_err(|e| {
        format!("the contract driver printed a line that is not JSON ({e}): {line}")
    })?;
    let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
    let requests: Vec<String> = value
        .get("requests")
        .and_then(Value::as_array)
        .map(|r| {
            r.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let status = value
        .get("status")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok());
    let result = text("result").unwrap_or_default();
    // Prism's warnings (a deprecated parameter was sent) say nothing is wrong with the request.
    let violations = text("violations").filter(|v| {
        serde_json::from_str::<Vec<Value>>(v).map_or(!v.trim().is_empty(), |all| {
            all.iter()
                .any(|v| v.get("severity").and_then(Value::as_str) != Some("Warning"))
        })
    });
    let body = text("body").and_then(|body| serde_json::from_str::<Value>(&body).ok());
    let prism_error = body.as_ref().and_then(|body| {
        let kind = body.get("type")?.as_str()?;
        let kind = kind
            .strip_prefix("https://stoplight.io/prism/errors#")?
            .to_owned();
        let title = body
            .get("title")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let detail = body
            .get("detail")
            .and_then(Value::as_str)
            .unwrap_or_default();
        Some((kind, format!("{title}: {detail}")))
    });
    let findings = body.as_ref().map(validation).unwrap_or_default();
    let sent_as = |media: &str| {
        requests.first().is_some_and(|r| {
            r.to_ascii_lowercase()
                .contains(&format!("content-type: {media}"))
        })
    };
    let multipart = sent_as("multipart/");
    let form = sent_as("application/x-www-form-urlencoded");
    let reported: Vec<Value> = violations
        .as_deref()
        .and_then(|v| serde_json::from_str::<Vec<Value>>(v).ok())
        .unwrap_or_default();
    let about_response = |v: &Value| {
        v.get("location")
            .and_then(Value::as_array)
            .and_then(|l| l.first())
            .and_then(Value::as_str)
            == Some("response")
    };
    let verdict = if !reported.is_empty() && reported.iter().all(about_response) {
        // The request was right; the response Prism made from the spec breaks the spec's own
        // schema (an example that contradicts its schema, a `oneOf` whose members overlap), so
        // there is nothing right to decode.
        let messages: Vec<&str> = reported
            .iter()
            .filter_map(|v| v.get("message").and_then(Value::as_str))
            .collect();
        Verdict::Skip(format!(
            "the response Prism made from the spec does not fit the spec's own schema: {}",
            messages.join("; ")
        ))
    } else if let Some(violations) = violations {
        Verdict::Fail(format!("Prism reports violations: {violations}"))
    } else if text("body").is_some_and(|b| b.contains("{\"$ref\":null}"))
        && result.starts_with("decode-error")
    {
        Verdict::Skip(
            "Prism cannot make a value of a recursive schema (it writes `{\"$ref\": null}` where the schema recurses)".to_owned(),
        )
    } else if let Some(at) = text("body")
        .as_deref()
        .and_then(|body| cut_short_recursion(&result, body))
    {
        Verdict::Skip(format!(
            "Prism cuts a recursive schema short with an empty object (at `{at}`), which lacks the schema's required properties"
        ))
    } else if let Some((kind, reason)) = prism_error {
        if multipart
            && !findings.is_empty()
            && findings
                .iter()
                .all(|f| f.ends_with("must be object") || f.ends_with("must be array"))
        {
            // OpenAPI 3.0.3 sends an object part as JSON and an array as one part per item
            // ("Special Considerations for multipart Content"); Prism reads each part as text.
            Verdict::Skip(format!(
                "Prism reads each multipart part as text, not the JSON of an object part nor the repeated parts of an array: {}",
                findings.join("; ")
            ))
        } else if form
            && !findings.is_empty()
            && findings.iter().all(|f| f.ends_with("must be array"))
        {
            // OpenAPI 3.0.3, Encoding Object: a property with no Encoding Object is `form`,
            // exploded, so an array repeats its key; Prism applies no such default.
            Verdict::Skip(format!(
                "Prism reads a form property with no Encoding Object as one value, not the repeated keys of an array: {}",
                findings.join("; ")
            ))
        } else if !findings.is_empty() && findings.iter().all(|f| object_path_parameter(f)) {
            Verdict::Skip(format!(
                "Prism does not convert the values inside an object path parameter: {}",
                findings.join("; ")
            ))
        } else if REQUEST_ERRORS.contains(&kind.as_str()) {
            let why = if findings.is_empty() {
                reason
            } else {
                findings.join("; ")
            };
            Verdict::Fail(format!("Prism refused the request ({kind}): {why}"))
        } else {
            Verdict::Skip(format!("{kind}: {reason}"))
        }
    } else if requests.len() > 1 {
        Verdict::Fail(format!(
            "{} requests were sent for one call",
            requests.len()
        ))
    } else {
        match result.as_str() {
            "ok" | "documented-error" => Verdict::Pass,
            "undocumented-status" => {
                Verdict::Fail("the status is not one the operation documents".to_owned())
            }
            other => Verdict::Fail(other.to_owned()),
        }
    };
    Ok(Call {
        index: value.get("index").and_then(Value::as_u64).unwrap_or(0) as usize,
        operation: text("operation").unwrap_or_default(),
        method: text("method").unwrap_or_default(),
        path: text("path").unwrap_or_default(),
        request: requests.into_iter().next(),
        status,
        verdict,
    })
}

/// The path of a decode error that is a required property missing from an empty object
/// (`parent.parent: missing field `title``, where the body holds `"parent": {}`): where Prism
/// stops making a value of a recursive schema.
fn cut_short_recursion(result: &str, body: &str) -> Option<String> {
    let detail = result.strip_prefix("decode-error: ")?;
    let (_, located) = detail.split_once("documented type: ")?;
    let (path, error) = located.split_once(": ")?;
    if !error.starts_with("missing field") {
        return None;
    }
    let mut value = &serde_json::from_str::<Value>(body).ok()?;
    for step in path.split('.') {
        let (key, indices) = step.split_once('[').unwrap_or((step, ""));
        value = value.get(key)?;
        for index in indices.split('[').filter(|i| !i.is_empty()) {
            value = value.get(index.trim_end_matches(']').parse::<usize>().ok()?)?;
        }
    }
    (value.as_object()?.is_empty()).then(|| path.to_owned())
}

/// A finding about a property inside a path parameter (`path.color.R ...`): Prism reads such a
/// parameter's values as text (and stops on some of them).
fn object_path_parameter(finding: &str) -> bool {
    finding
        .split(' ')
        .next()
        .is_some_and(|location| location.starts_with("path.") && location.matches('.').count() >= 2)
}

/// The findings of Prism's request validation (`validation`: location and message).
fn validation(body: &Value) -> Vec<String> {
    body.get("validation")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|finding| {
            let location: Vec<&str> = finding
                .get("location")
                .and_then(Value::as_array)
                .map(|l| l.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let message = finding
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or_default();
            format!("{} {message}", location.join("."))
        })
        .collect()
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let word = match self.verdict {
            Verdict::Pass => "pass",
            Verdict::Fail(_) => "FAIL",
            Verdict::Skip(_) => "skip",
        };
        write!(
            f,
            "{word} {} {} ({})",
            self.method, self.path, self.operation
        )?;
        match &self.request {
            Some(request) => write!(f, " | sent `{request}`")?,
            None => write!(f, " | nothing sent")?,
        }
        if let Some(status) = self.status {
            write!(f, " | {status}")?;
        }
        match &self.verdict {
            Verdict::Pass => write!(f, " | no violations, decoded"),
            Verdict::Fail(why) => write!(f, " | {why}"),
            Verdict::Skip(why) => write!(f, " | skipped: {why}"),
        }
    }
}

/// `N operations: P passed, F failed, S skipped`.
pub fn summary(calls: &[Call]) -> String {
    let count = |want: fn(&Verdict) -> bool| calls.iter().filter(|c| want(&c.verdict)).count();
    format!(
        "{} operation(s): {} passed, {} failed, {} skipped",
        calls.len(),
        count(|v| *v == Verdict::Pass),
        count(|v| matches!(v, Verdict::Fail(_))),
        count(|v| matches!(v, Verdict::Skip(_))),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_violation_fails_and_a_prism_limit_skips() {
        let violation = r#"{"operation":"a","method":"GET","path":"/a","requests":["GET /a HTTP/1.1"],"status":422,"violations":"[{\"message\":\"x\"}]","result":"documented-error","body":null}"#;
        assert!(matches!(call(violation).unwrap().verdict, Verdict::Fail(_)));
        let limit = r#"{"operation":"b","method":"GET","path":"/b","requests":["GET /b HTTP/1.1"],"status":500,"violations":null,"result":"undocumented-status","body":"{\"type\":\"https://stoplight.io/prism/errors#NO_RESPONSE_DEFINED\",\"title\":\"No response\",\"detail\":\"none\"}"}"#;
        assert_eq!(
            call(limit).unwrap().verdict,
            Verdict::Skip("NO_RESPONSE_DEFINED: No response: none".to_owned())
        );
        let wrong_path = r#"{"operation":"c","method":"GET","path":"/c","requests":["GET /x HTTP/1.1"],"status":404,"violations":null,"result":"undocumented-status","body":"{\"type\":\"https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR\",\"title\":\"Route not resolved\",\"detail\":\"no path\"}"}"#;
        assert!(matches!(
            call(wrong_path).unwrap().verdict,
            Verdict::Fail(_)
        ));
        let cut = r#"{"operation":"e","method":"GET","path":"/e","requests":["GET /e HTTP/1.1"],"status":200,"violations":null,"result":"decode-error: the body of a 200 OK response does not match its documented type: items[1].parent: missing field `title`","body":"{\"items\":[{},{\"parent\":{}}]}"}"#;
        assert_eq!(
            call(cut).unwrap().verdict,
            Verdict::Skip("Prism cuts a recursive schema short with an empty object (at `items[1].parent`), which lacks the schema's required properties".to_owned())
        );
        let not_empty = cut.replace(r#"\"parent\":{}"#, r#"\"parent\":{\"a\":1}"#);
        assert!(matches!(
            call(&not_empty).unwrap().verdict,
            Verdict::Fail(_)
        ));
        let ok = r#"{"operation":"d","method":"GET","path":"/d","requests":["GET /d HTTP/1.1"],"status":200,"violations":null,"result":"ok","body":null}"#;
        assert_eq!(call(ok).unwrap().verdict, Verdict::Pass);
    }
}
