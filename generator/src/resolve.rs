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
    /// The bundled document as JSON, for what the parsed form does not keep (whether an
    /// optional field was written at all).
    raw: Value,
}

impl Document {
    /// The bundled document's value at `pointer`.
    pub fn raw(&self, pointer: &str) -> Option<&Value> {
        self.raw.pointer(pointer)
    }

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
    let root_value = sources.files.get(&sources.root)?.clone();
    // The version was checked, and the document brought to OpenAPI 3.0, by `normalize`.
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
        raw: Value::Null,
    };
    check::check(&mut root_value, &document, diags);
    cycles::check(&root_value, &document, diags);
    // One problem at a time would make the user fix and rerun once per mistake; the checks
    // above report them all, and the parse below only runs on a document they passed.
    if diags.error_count() > errors_before {
        return None;
    }
    match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&root_value) {
        Ok(api) => {
            document.api = api;
            document.raw = root_value;
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
