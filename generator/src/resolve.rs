//! Stage 2: bundle every file into one document, check every `$ref`, and parse it.
//!
//! `resolve/bundle.rs` brings every file's parts into the root document, so later stages only
//! ever see local references; `resolve/check.rs` and `resolve/cycles.rs` check the result.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::diag::{Diagnostics, Location, escape};
use crate::load::Sources;

mod bundle;
mod check;
mod cycles;

/// The bundled document, and where its imported parts came from.
#[derive(Debug)]
pub struct Document {
    pub api: openapiv3::OpenAPI,
    /// The file name of the root document, without directories, for generated headers.
    pub display_path: String,
    root: String,
    /// Bundled pointer (`/components/schemas/Foo`) to the place it was copied from.
    origins: BTreeMap<String, Location>,
    /// Bundled pointers of references that could not be followed; each was reported, and
    /// the lowering skips them without a second word.
    pub unresolved: BTreeSet<String>,
}

impl Document {
    /// The place in the user's files that a pointer into the bundled document comes from.
    pub fn locate(&self, pointer: &str) -> Location {
        let found = self.origins.iter().rev().find(|(prefix, _)| {
            pointer == prefix.as_str() || pointer.starts_with(&format!("{prefix}/"))
        });
        match found {
            Some((prefix, origin)) => Location::new(
                origin.file.as_str(),
                format!(
                    "{}{}",
                    origin.pointer,
                    pointer.get(prefix.len()..).unwrap_or_default()
                ),
            ),
            None => Location::new(self.root.as_str(), pointer),
        }
    }
}

pub fn resolve(sources: &Sources, diags: &mut Diagnostics) -> Option<Document> {
    let mut root_value = sources.files.get(&sources.root)?.clone();
    check_version(&mut root_value, &sources.root, diags)?;
    let errors_before = diags.error_count();
    let bundle::Bundle {
        document: mut root_value,
        origins,
        unresolved,
    } = bundle::bundle(sources, root_value, diags);
    let mut document = Document {
        api: openapiv3::OpenAPI::default(),
        display_path: file_name(&sources.root),
        root: sources.root.clone(),
        origins,
        unresolved,
    };
    check::check(&mut root_value, &document, diags);
    cycles::check(&root_value, &document, diags);
    // One problem at a time would make the user fix and rerun once per mistake; the checks
    // above report them all, and the parse below only runs on a document they passed.
    if diags.error_count() > errors_before {
        return None;
    }
    match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(root_value) {
        Ok(api) => {
            document.api = api;
            Some(document)
        }
        Err(err) => {
            let pointer = path_to_pointer(err.path());
            let (message, help) = check::explain(&err.inner().to_string(), &pointer);
            diags.error(&document.locate(&pointer), message, help);
            None
        }
    }
}

fn check_version(root: &mut Value, file: &str, diags: &mut Diagnostics) -> Option<()> {
    let at = Location::new(file, "/openapi");
    if let Some(version) = root.get("swagger") {
        diags.error(
            &Location::new(file, "/swagger"),
            format!("this is a Swagger {} document; only OpenAPI 3.0 is supported", plain(version)),
            "convert it to OpenAPI 3.0 first (for example with swagger2openapi, or the Swagger Editor's conversion)",
        );
        return None;
    }
    if root.get("asyncapi").is_some() {
        diags.error(
            &Location::new(file, "/asyncapi"),
            "this is an AsyncAPI document, not an OpenAPI one",
            "give the generator an OpenAPI 3.0 document",
        );
        return None;
    }
    let version = root.get("openapi").cloned();
    match version {
        Some(Value::String(v)) if v == "3.0" || v.starts_with("3.0.") => Some(()),
        Some(Value::String(v)) if v == "3.1" || v.starts_with("3.1.") => {
            diags.error(
                &at,
                format!("this is an OpenAPI {v} document; only OpenAPI 3.0 is supported"),
                "describe the API in OpenAPI 3.0.3 (`nullable: true` instead of `type: [..., null]`, `example` instead of `examples` in schemas), or convert it with a 3.1-to-3.0 downgrade tool",
            );
            None
        }
        Some(Value::String(v)) if v.starts_with('2') => {
            diags.error(
                &at,
                format!(
                    "`openapi: {v}` names Swagger 2.0, which is not supported; only OpenAPI 3.0 is"
                ),
                "convert the document to OpenAPI 3.0 first, then set `openapi: 3.0.3`",
            );
            None
        }
        Some(Value::String(v)) => {
            diags.error(
                &at,
                format!("unknown OpenAPI version `{v}`; only OpenAPI 3.0 is supported"),
                "set `openapi: 3.0.3` if the document follows OpenAPI 3.0",
            );
            None
        }
        // YAML reads `openapi: 3.0` as a number; the intent is plain, so go on with a word.
        Some(Value::Number(n)) if n.as_f64() == Some(3.0) => {
            diags.warning(
                &at,
                "`openapi` is the number 3.0, not a string; it is read as \"3.0\"",
                "quote the version: `openapi: \"3.0.3\"`",
            );
            if let Some(map) = root.as_object_mut() {
                map.insert("openapi".to_owned(), Value::String("3.0".to_owned()));
            }
            Some(())
        }
        Some(other) => {
            diags.error(
                &at,
                format!(
                    "unknown OpenAPI version {}; the version must be a string such as \"3.0.3\"",
                    plain(&other)
                ),
                "set `openapi: \"3.0.3\"` if the document follows OpenAPI 3.0",
            );
            None
        }
        None => {
            diags.error(
                &at,
                "the `openapi` field is missing, so this is not an OpenAPI document",
                "start the document with `openapi: 3.0.3`",
            );
            None
        }
    }
}

/// A value as the user wrote it: strings without their JSON quotes.
fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        let token = match segment {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } | Segment::Enum { variant: key } => escape(key),
            Segment::Unknown => continue,
        };
        pointer.push('/');
        pointer.push_str(&token);
    }
    pointer
}

fn file_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_owned()
}
