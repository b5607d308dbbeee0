//! Media types as OpenAPI keys them: compared by their essence (RFC 9110, section 8.3.1),
//! JSON whichever `+json` suffix they carry (RFC 6839).

/// A media type without its parameters, lowercased: `Application/JSON; charset=utf-8` is
/// `application/json`.
pub fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Whether a media type is JSON: `application/json` or any `+json` type.
pub fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type);
    essence == "application/json" || essence.ends_with("+json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_by_essence_and_suffix() {
        assert_eq!(
            essence(" Application/JSON ; charset=utf-8"),
            "application/json"
        );
        assert!(is_json("application/scim+json"));
        assert!(is_json("application/vnd.api+json; ext=bulk"));
        assert!(!is_json("application/jsonl"));
        assert!(!is_json("text/plain"));
    }
}
