//! Stage 1½: bring a Swagger 2.0 or OpenAPI 3.1 document (and every file its `$ref`s reach)
//! into the OpenAPI 3.0 form the later stages read, so one IR and one emitter serve every
//! version.
//!
//! The rewriting happens on the JSON values of [`Sources`]; the texts are untouched. Every
//! value that moves is noted in [`Moves`], and at the end of the run every diagnostic raised
//! on the normalised documents is pointed back at the place the user wrote
//! ([`Moves::restore`]), so lines and columns come from the user's own text. Whatever has no
//! exact OpenAPI 3.0 form gets a located warning here, saying what was done instead.
//!
//! - [`swagger2`]: `definitions`, body and form parameters, `consumes`/`produces`, servers,
//!   `collectionFormat`, `type: file`, security definitions, `x-nullable`.
//! - [`v31`]: the document level of 3.1 (`webhooks`, `components/pathItems`, optional
//!   `paths`, ...) and, in [`json_schema`], JSON Schema 2020-12 schemas.
//! - [`ids`]: `$id` and `$anchor` references; [`refs`]: `$ref`s to values that moved.

pub mod ids;
mod json_schema;
mod moves;
mod refs;
mod swagger2;
mod v31;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

pub use json_schema::TUPLE;
pub use moves::Moves;
use moves::PrefixMap;

use crate::diag::{Diagnostics, Location, escape};
use crate::load::{self, Sources};

/// The version a document declares, once it is known to be one the generator reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V30,
    V31,
    Swagger2,
}

/// The version every normalised document declares.
const TARGET: &str = "3.0.3";

/// Rewrites the documents of `sources` into OpenAPI 3.0; `None` when the version is not one
/// the generator reads (reported).
pub fn normalize(sources: &mut Sources, diags: &mut Diagnostics) -> Option<Moves> {
    let root = sources.root.clone();
    let version = version(sources.files.get_mut(&root)?, &root, diags)?;
    let mut moves = Moves::default();
    if version != Version::V30 {
        let mut normalizer = Normalizer {
            root,
            originals: sources.files.clone(),
            moves: &mut moves,
            relocations: BTreeMap::new(),
            diags,
            queue: Vec::new(),
            done: BTreeSet::new(),
        };
        match version {
            Version::Swagger2 => swagger2::normalize(&mut normalizer, &mut sources.files),
            Version::V31 => v31::normalize(&mut normalizer, &mut sources.files),
            Version::V30 => {}
        }
        let relocations = std::mem::take(&mut normalizer.relocations);
        refs::relocate(
            &mut sources.files,
            &relocations,
            normalizer.moves,
            normalizer.diags,
        );
        if let Some(Value::Object(document)) = sources.files.get_mut(&sources.root) {
            document.insert("openapi".to_owned(), Value::String(TARGET.to_owned()));
        }
    }
    moves.from = diags.count();
    Some(moves)
}

/// What a value found at a `$ref` is, so it can be normalised as that kind of object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    Schema,
    Parameter,
    Response,
    RequestBody,
    Header,
    PathItem,
}

/// What the version-specific passes share: the documents as written (for following
/// references), the moves and relocations made so far, and the diagnostics.
struct Normalizer<'m, 'd> {
    root: String,
    /// Every file as the user wrote it, to follow references into.
    originals: BTreeMap<String, Value>,
    moves: &'m mut Moves,
    /// Per file: the pointer a value was written at, to the pointer it moved to.
    relocations: BTreeMap<String, PrefixMap<String>>,
    diags: &'d mut Diagnostics,
    /// Values in other files that `$ref`s reach, with the kind of object each is.
    queue: Vec<(String, String, Role)>,
    done: BTreeSet<(String, String)>,
}

impl Normalizer<'_, '_> {
    fn warn(
        &mut self,
        file: &str,
        pointer: &str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.diags
            .warning(&Location::new(file, pointer), message, help);
    }

    fn error(
        &mut self,
        file: &str,
        pointer: &str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.diags
            .error(&Location::new(file, pointer), message, help);
    }

    /// Notes that the normalised value at `pointer` of `file` was written at `origin` (same file).
    fn moved(&mut self, file: &str, pointer: &str, origin: &str) {
        if pointer != origin {
            self.moves.note(file, pointer, Location::new(file, origin));
        }
    }

    /// Notes that the normalised value at `pointer` of `file` comes from another place, maybe
    /// in another file.
    fn moved_from(&mut self, file: &str, pointer: &str, origin: Location) {
        self.moves.note(file, pointer, origin);
    }

    /// Notes that `$ref`s to `from` (and below) in `file` must now name `to`.
    fn relocate(&mut self, file: &str, from: &str, to: &str) {
        self.relocations
            .entry(file.to_owned())
            .or_default()
            .insert(from.to_owned(), to.to_owned());
    }

    /// Queues the value a `$ref` written in `file` names, when it lies outside the root
    /// document (whose walk meets everything in it), to be normalised as a `role`.
    fn follow(&mut self, file: &str, reference: &str, role: Role) {
        let Some((target_file, pointer)) = self.target(file, reference) else {
            return;
        };
        if target_file != self.root && self.done.insert((target_file.clone(), pointer.clone())) {
            self.queue.push((target_file, pointer, role));
        }
    }

    /// The file and pointer a `$ref` written in `file` names.
    fn target(&self, file: &str, reference: &str) -> Option<(String, String)> {
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if file_part.contains("://") {
            return None;
        }
        let target = if file_part.is_empty() {
            file.to_owned()
        } else {
            load::join(file, file_part)
        };
        Some((target, fragment.to_owned()))
    }

    /// The value a `$ref` written in `file` names, as the user wrote it, following chains of
    /// references; with its file and pointer.
    fn deref(&self, file: &str, value: &Value) -> Option<(String, String, Value)> {
        let mut file = file.to_owned();
        let mut pointer = String::new();
        let mut current = value.clone();
        for _ in 0..32 {
            let Some(reference) = current.get("$ref").and_then(Value::as_str) else {
                return Some((file, pointer, current));
            };
            let (target_file, target_pointer) = self.target(&file, reference)?;
            current = self
                .originals
                .get(&target_file)?
                .pointer(&target_pointer)?
                .clone();
            file = target_file;
            pointer = target_pointer;
        }
        None
    }

    /// Takes the queued values of other files one at a time, so each is normalised once:
    /// `each` gets the value, its file, where it is now and where it was written.
    fn drain_queue(
        &mut self,
        files: &mut BTreeMap<String, Value>,
        mut each: impl FnMut(&mut Self, &mut Value, &str, &str, &str, Role),
    ) {
        while let Some((file, orig, role)) = self.queue.pop() {
            // Its container may have moved already (`definitions` of a Swagger 2.0 file).
            let new = match self.relocations.get(&file).and_then(|m| m.find(&orig)) {
                Some((to, rest)) => format!("{to}{rest}"),
                None => orig.clone(),
            };
            let Some(value) = files.get_mut(&file).and_then(|d| d.pointer_mut(&new)) else {
                continue;
            };
            let mut taken = std::mem::take(value);
            each(self, &mut taken, &file, &new, &orig, role);
            if let Some(slot) = files.get_mut(&file).and_then(|d| d.pointer_mut(&new)) {
                *slot = taken;
            }
        }
    }
}

/// `pointer` one token deeper.
fn join(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape(token))
}

/// An object's entry, as an object.
fn object_mut<'v>(
    map: &'v mut Map<String, Value>,
    key: &str,
) -> Option<&'v mut Map<String, Value>> {
    map.get_mut(key).and_then(Value::as_object_mut)
}

/// Reads the version the document declares and says whether the generator reads it; a number
/// where a string belongs is read with a warning.
fn version(root: &mut Value, file: &str, diags: &mut Diagnostics) -> Option<Version> {
    const SUPPORTED: &str = "the generator reads OpenAPI 3.0 and 3.1, and Swagger 2.0";
    if let Some(declared) = root.get("swagger").cloned() {
        let at = Location::new(file, "/swagger");
        return match declared {
            Value::String(v) if v == "2.0" => Some(Version::Swagger2),
            Value::Number(n) if n.as_f64() == Some(2.0) => {
                diags.warning(
                    &at,
                    "`swagger` is the number 2.0, not a string; it is read as \"2.0\"",
                    "quote the version: `swagger: \"2.0\"`",
                );
                Some(Version::Swagger2)
            }
            other => {
                diags.error(
                    &at,
                    format!("this is a Swagger {} document; {SUPPORTED}", plain(&other)),
                    "convert it to Swagger 2.0 or OpenAPI 3 first (the Swagger Editor converts Swagger 1.x documents)",
                );
                None
            }
        };
    }
    if root.get("asyncapi").is_some() {
        diags.error(
            &Location::new(file, "/asyncapi"),
            "this is an AsyncAPI document, not an OpenAPI one",
            "give the generator an OpenAPI 3.0 or 3.1 (or Swagger 2.0) document",
        );
        return None;
    }
    let at = Location::new(file, "/openapi");
    let declared = root.get("openapi").cloned();
    let found = match &declared {
        Some(Value::String(v)) if v == "3.0" || v.starts_with("3.0.") => Version::V30,
        Some(Value::String(v)) if v == "3.1" || v.starts_with("3.1.") => Version::V31,
        Some(Value::String(v)) if v.starts_with('2') => {
            diags.error(
                &at,
                format!("`openapi: {v}` is not a version of OpenAPI; Swagger 2.0 documents begin with `swagger: \"2.0\"`"),
                "write `swagger: \"2.0\"` if the document follows Swagger 2.0, or `openapi: 3.0.3` if it follows OpenAPI 3.0",
            );
            return None;
        }
        Some(Value::String(v)) => {
            diags.error(
                &at,
                format!("unknown OpenAPI version `{v}`; {SUPPORTED}"),
                "set `openapi: 3.1.0` (or `3.0.3`) if the document follows that version",
            );
            return None;
        }
        // YAML reads `openapi: 3.0` as a number; the intent is plain, so go on with a word.
        Some(Value::Number(n)) if [Some(3.0), Some(3.1)].contains(&n.as_f64()) => {
            let (text, full, found) = if n.as_f64() == Some(3.0) {
                ("3.0", "3.0.3", Version::V30)
            } else {
                ("3.1", "3.1.0", Version::V31)
            };
            diags.warning(
                &at,
                format!("`openapi` is the number {text}, not a string; it is read as \"{text}\""),
                format!("quote the version: `openapi: \"{full}\"`"),
            );
            if let Some(map) = root.as_object_mut() {
                map.insert("openapi".to_owned(), Value::String(text.to_owned()));
            }
            found
        }
        Some(other) => {
            diags.error(
                &at,
                format!(
                    "unknown OpenAPI version {}; the version must be a string such as \"3.1.0\"",
                    plain(other)
                ),
                "set `openapi: \"3.1.0\"` (or \"3.0.3\") to the version the document follows",
            );
            return None;
        }
        None => {
            diags.error(
                &at,
                "the `openapi` field is missing, so this is not an OpenAPI document",
                "start the document with the version it follows: `openapi: 3.1.0`, `openapi: 3.0.3` or `swagger: \"2.0\"`",
            );
            return None;
        }
    };
    Some(found)
}

/// A value as the user wrote it: strings without their JSON quotes.
fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
