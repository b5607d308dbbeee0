//! The intermediate model: what the client crate holds, in Rust terms, with no OpenAPI
//! types and no tokens. Every name here is already a valid, unique Rust identifier.

/// The whole API as the emitter sees it.
#[derive(Debug, Clone)]
pub struct Api {
    pub title: String,
    pub description: Option<String>,
    pub version: String,
    /// The first server's URL, the client's default base URL.
    pub base_url: Option<String>,
    pub bearer_schemes: Vec<BearerScheme>,
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
}

#[derive(Debug, Clone)]
pub struct BearerScheme {
    /// The key in `components/securitySchemes`.
    pub key: String,
    /// snake_case, for the client's field and setter.
    pub field: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct TypeDef {
    pub name: String,
    pub doc: Doc,
    pub kind: TypeKind,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Struct(Vec<Field>),
    /// A string enum; `open` adds a variant that keeps values the spec does not list.
    Enum {
        variants: Vec<Variant>,
        open: bool,
    },
    /// A name for another type.
    Alias(Type),
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    /// The JSON property name.
    pub wire: String,
    pub ty: Type,
    pub required: bool,
    pub doc: Doc,
}

#[derive(Debug, Clone)]
pub struct Variant {
    pub name: String,
    pub wire: String,
}

/// A Rust type as the generated code spells it.
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    Named(String),
    String,
    Bool,
    Integer,
    Number,
    Vec(Box<Type>),
    Map(Box<Type>),
    /// Any JSON value: the fallback for what the generator cannot express exactly.
    Json,
    /// `null` or the inner type.
    Nullable(Box<Type>),
}

/// Rustdoc for an item: its prose, and the example shown beneath it.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    pub text: Option<String>,
    pub example: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Operation {
    /// The spec's operationId, or the name derived from method and path.
    pub id: String,
    pub method_name: String,
    pub http_method: String,
    pub path: Vec<PathPart>,
    /// The path as the spec writes it, for docs.
    pub path_template: String,
    pub params: Vec<Param>,
    /// Headers with a single allowed value, sent on every call.
    pub fixed_headers: Vec<(String, String)>,
    pub body: Option<Body>,
    pub success: Vec<Response>,
    /// The success enum's name, when success statuses have different bodies.
    pub success_name: Option<String>,
    pub errors: Vec<Response>,
    /// The error enum's name.
    pub error_name: String,
    /// Alternatives of bearer schemes (indexes into `Api::bearer_schemes`); empty means none.
    pub security: Vec<Vec<usize>>,
    pub doc: Doc,
}

#[derive(Debug, Clone)]
pub enum PathPart {
    Literal(String),
    /// Index into `params`.
    Param(usize),
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub wire: String,
    pub location: ParamLocation,
    pub ty: Type,
    pub required: bool,
    pub doc: Doc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone)]
pub struct Body {
    pub ty: Type,
    pub required: bool,
    pub media_type: String,
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: Status,
    /// The error enum's variant for it (unused for a success).
    pub variant: String,
    pub body: ResponseBody,
    pub description: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Code(u16),
    /// `4XX`: the first digit.
    Range(u16),
    Default,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    Json(Type),
    /// Any other media type, kept as bytes.
    Bytes,
    Empty,
}
