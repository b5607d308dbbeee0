//! The operation model that both a docs page and the spec are read into, so that comparing
//! them is comparing plain data. It holds no `openapiv3` types and no page syntax.

use serde_json::Value;
use std::fmt;

/// Where an item was found: a line of the page, or a JSON pointer into a spec file.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Loc {
    #[default]
    Nowhere,
    Line(usize),
    Spec(String),
}

impl Loc {
    pub fn line(&self) -> Option<usize> {
        match self {
            Loc::Line(line) => Some(*line),
            _ => None,
        }
    }

    pub fn spec(&self) -> Option<&str> {
        match self {
            Loc::Spec(at) => Some(at),
            _ => None,
        }
    }
}

/// One HTTP operation as documented.
#[derive(Clone, Debug, Default)]
pub struct Operation {
    /// Upper case: `GET`.
    pub method: String,
    /// The full path after the host, parameters written `{name}`.
    pub path: String,
    /// Scheme and host the path is served from (`https://services.leadconnectorhq.com`);
    /// the spec may list several servers.
    pub base_urls: Vec<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub params: Vec<Param>,
    pub auth: Auth,
    pub responses: Vec<Response>,
    pub at: Loc,
}

#[derive(Clone, Debug, Default)]
pub struct Param {
    pub name: String,
    /// `header`, `path`, `query` or `cookie`.
    pub location: String,
    pub required: bool,
    pub ty: Option<Type>,
    /// Allowed values as text, sorted; empty when any value goes.
    pub allowed: Vec<String>,
    pub example: Option<Value>,
    pub description: Option<String>,
    pub at: Loc,
}

/// A schema type as the docs print it: `string`, `string<date-time>`, `object[]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Type {
    pub base: String,
    pub format: Option<String>,
    /// How many `[]` follow: 0 for a scalar or object, 1 for an array of it.
    pub array: usize,
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.base)?;
        if let Some(format) = &self.format {
            write!(f, "<{format}>")?;
        }
        for _ in 0..self.array {
            f.write_str("[]")?;
        }
        Ok(())
    }
}

/// The ways a caller may authenticate, in the docs' words
/// (`OAuth Access Token`, `Sub-Account Token`), each list sorted.
#[derive(Clone, Debug, Default)]
pub struct Auth {
    pub methods: Vec<String>,
    pub token_types: Vec<String>,
    /// Where the methods are stated; where the token types are, when apart.
    pub at: Loc,
    pub token_types_at: Loc,
}

#[derive(Clone, Debug, Default)]
pub struct Response {
    /// `200`, `4XX` or `default`.
    pub status: String,
    pub description: Option<String>,
    /// Sorted.
    pub media_types: Vec<String>,
    pub fields: Vec<Field>,
    pub example: Option<Value>,
    pub example_at: Loc,
    pub at: Loc,
}

/// One field of a response body, flattened: `path` names it with its parents, an array's
/// items written `[]` (`results.accounts[].id`).
#[derive(Clone, Debug, Default)]
pub struct Field {
    pub path: String,
    pub ty: Type,
    pub required: bool,
    pub description: Option<String>,
    pub example: Option<Value>,
    pub allowed: Vec<String>,
    pub at: Loc,
}

/// Joins a field's name to its parent's path.
pub fn child_path(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_owned()
    } else {
        format!("{parent}.{name}")
    }
}

/// Collapses runs of white space, so that a folded YAML string and a page paragraph compare.
pub fn normalize_text(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
