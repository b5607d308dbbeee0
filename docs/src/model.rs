//! The operation model that both a docs page and the spec are read into, so that comparing
//! them is comparing plain data. It holds no spec types and no page syntax: what the site can
//! show of an operation, and where each item was found.

use crate::nest::Tree;
use serde::Serialize;
use serde_json::Value;
use std::fmt;

/// Where an item was found: a line of the page, or `file#/json/pointer` in a spec.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(untagged)]
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

    fn is_nowhere(&self) -> bool {
        *self == Loc::Nowhere
    }

    /// This place, or `other` where this is nowhere.
    pub fn or<'a>(&'a self, other: &'a Loc) -> &'a Loc {
        if self.is_nowhere() { other } else { self }
    }
}

/// One HTTP operation as documented.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Operation {
    /// Upper case: `GET`.
    pub method: String,
    /// The path after the host, parameters written `{name}`.
    pub path: String,
    /// Scheme and host the path is served from; the spec may list several servers.
    pub base_urls: Vec<String>,
    pub summary: Option<String>,
    /// Markdown.
    pub description: Option<String>,
    /// Where the page shows the summary (its title) and the description; the spec keeps
    /// both at the operation (`at`).
    #[serde(skip_serializing_if = "Loc::is_nowhere")]
    pub summary_at: Loc,
    #[serde(skip_serializing_if = "Loc::is_nowhere")]
    pub description_at: Loc,
    pub deprecated: bool,
    pub auth: Auth,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub responses: Vec<Response>,
    pub at: Loc,
}

/// A parameter (OpenAPI 3.0, "Parameter Object").
#[derive(Clone, Debug, Default, Serialize)]
pub struct Param {
    pub name: String,
    /// `header`, `path`, `query` or `cookie`.
    pub location: String,
    pub required: bool,
    pub deprecated: bool,
    pub ty: Type,
    #[serde(flatten)]
    pub values: Values,
    /// Markdown.
    pub description: Option<String>,
    pub example: Option<Value>,
    pub at: Loc,
}

/// What the site prints under "Possible values", "Default value" and "Constant value".
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Values {
    /// `enum` (or `const`) values as text, in the spec's order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub allowed: Vec<String>,
    /// The other qualifiers as the site words them: `>= 1`, `<= 100 characters`,
    /// `non-empty`, `Value must match regular expression ^a$`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
}

/// A schema's type as the site prints it: `string`, `date-time` (its format), `object[]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Type {
    /// `string`, `number`, `integer`, `boolean`, `object`, `array`; none when the schema has
    /// no type, or when the site printed only the format.
    pub base: Option<String>,
    pub format: Option<String>,
    /// How many `[]` follow: 0 for a scalar or object, 1 for an array of it.
    pub array: usize,
}

impl Type {
    pub fn is_object(&self) -> bool {
        self.base.as_deref() == Some("object") && self.array == 0
    }

    pub fn is_empty(&self) -> bool {
        self.base.is_none() && self.format.is_none() && self.array == 0
    }
}

impl fmt::Display for Type {
    /// As the site prints it: the format when there is one, else the type.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.format, &self.base) {
            (Some(format), _) => f.write_str(format)?,
            (None, Some(base)) => f.write_str(base)?,
            (None, None) => f.write_str("(no type)")?,
        }
        for _ in 0..self.array {
            f.write_str("[]")?;
        }
        Ok(())
    }
}

/// Security: the scopes an operation needs and the ways a caller authenticates, in the
/// site's words (`OAuth Access Token`, `Sub-Account Token`); each list sorted.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Auth {
    pub scopes: Vec<String>,
    pub methods: Vec<String>,
    pub token_types: Vec<String>,
    /// Where security is stated (the page's "Requirements", the spec's `security`).
    pub at: Loc,
}

impl Auth {
    pub fn is_empty(&self) -> bool {
        self.scopes.is_empty() && self.methods.is_empty() && self.token_types.is_empty()
    }
}

/// A request body, or a response's content.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Body {
    /// A request body's `required`.
    pub required: bool,
    /// In the spec's order; the fields are those of the first.
    pub media_types: Vec<String>,
    /// Markdown (a request body's own description).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The type of the body itself: `object`, `object[]`.
    pub ty: Type,
    pub fields: Vec<Field>,
    /// `oneOf` / `anyOf` groups.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<Variants>,
    /// The example the site shows as "Example" (the spec's own), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
    /// The "Example (auto)" the site makes from the schema.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_example: Option<Value>,
    #[serde(skip_serializing_if = "Loc::is_nowhere")]
    pub example_at: Loc,
    /// Fields whose parent the page does not show (see `nest`).
    #[serde(skip_serializing_if = "is_zero")]
    pub guessed: usize,
    /// The page's fields and array brackets in page order, for placing fields again.
    #[serde(skip)]
    pub layout: Vec<Mark>,
    /// The keys of the spec's schema, for placing a page's fields (spec side only).
    #[serde(skip)]
    pub tree: Option<Tree>,
    pub at: Loc,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// One entry of a schema as the page lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mark {
    /// The field at this index of `Body::fields`.
    Field(usize),
    /// `Array [`.
    Open,
    /// `]`.
    Close,
}

/// The alternatives of a `oneOf` or `anyOf`, by the labels of their tabs.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Variants {
    /// The field they belong to; empty for the body itself.
    pub path: String,
    /// `oneOf` or `anyOf`.
    pub kind: String,
    pub labels: Vec<String>,
    pub at: Loc,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Response {
    /// `200`, `4XX` or `default`.
    pub status: String,
    /// Markdown.
    pub description: Option<String>,
    pub content: Option<Body>,
    pub at: Loc,
}

/// One field of a body, flattened: `path` names it with its parents, an array's items
/// written `[]` (`results.accounts[].id`).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Field {
    pub path: String,
    pub name: String,
    pub ty: Type,
    pub required: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub nullable: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    #[serde(flatten)]
    pub values: Values,
    /// Markdown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
    pub at: Loc,
}

/// Joins a field's name to its parent's path.
pub fn child_path(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_owned()
    } else if parent.ends_with(']') && name.is_empty() {
        parent.to_owned()
    } else {
        format!("{parent}.{name}")
    }
}

/// Collapses runs of white space, so that a folded YAML string and a page paragraph compare.
pub fn normalize_text(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
