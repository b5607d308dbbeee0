//! The intermediate model: what the client crate holds, in Rust terms, with no OpenAPI
//! types and no tokens. Every name here is already a valid, unique Rust identifier.

/// The whole API as the emitter sees it.
#[derive(Debug, Clone)]
pub struct Api {
    pub title: String,
    pub description: Option<String>,
    pub version: String,
    /// The first server, the client's default base URL.
    pub server: Option<Server>,
    /// The name of the struct of the server's variables, when it has any.
    pub server_variables_name: Option<String>,
    /// The security schemes the client can send, in the order of `components/securitySchemes`.
    pub security_schemes: Vec<SecurityScheme>,
    /// `Client::new` takes the bearer token: every scheme is a bearer one.
    pub token_argument: bool,
    /// The types users build (request bodies, parameters and what they hold), with their
    /// constructors and setters; types used only in responses are not here.
    pub builders: Vec<TypeBuilder>,
    /// Every response header the spec documents, once each, typed.
    pub response_headers: Vec<HeaderField>,
    /// The name of the struct that holds them, when there are any.
    pub response_headers_name: Option<String>,
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
}

/// A Server Object: a URL template, absolute or relative to where the API is served.
#[derive(Debug, Clone)]
pub struct Server {
    /// The URL with `{variable}` placeholders, without a trailing `/`.
    pub url: String,
    /// Whether the URL (with the variables' defaults) has a scheme and a host. A relative URL
    /// is resolved against the base URL the user gives (RFC 3986, section 5.2).
    pub absolute: bool,
    pub variables: Vec<ServerVariable>,
}

#[derive(Debug, Clone)]
pub struct ServerVariable {
    /// snake_case, for the field of the variables struct.
    pub name: String,
    /// The placeholder's name in the URL.
    pub wire: String,
    pub default: String,
    /// The values the spec allows (`enum`), when it lists them.
    pub values: Vec<String>,
    pub doc: Doc,
}

#[derive(Debug, Clone)]
pub struct HeaderField {
    pub name: String,
    /// The header name as the spec writes it.
    pub wire: String,
    /// `String`, `Integer`, `Number` or `Bool`.
    pub ty: Type,
    pub doc: Doc,
}

/// A security scheme the client sends (OpenAPI 3.0.3, Security Scheme Object).
#[derive(Debug, Clone)]
pub struct SecurityScheme {
    /// The key in `components/securitySchemes`.
    pub key: String,
    /// The `Client` method that sets its credential (`with_api_key`); `None` when
    /// `Client::new` takes it (the only scheme, a bearer one).
    pub setter: Option<String>,
    pub kind: SchemeKind,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SchemeKind {
    /// `apiKey`: the key as the value of `name`, in a header, the query or a cookie.
    ApiKey {
        location: ParamLocation,
        name: String,
    },
    /// HTTP `basic`: a user-id and a password (RFC 7617).
    Basic,
    /// `Authorization: Bearer <token>` (RFC 6750).
    Bearer(BearerSource),
}

/// What kind of scheme a bearer token stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BearerSource {
    /// HTTP `bearer`.
    Http,
    /// An `oauth2` access token.
    OAuth2,
    /// An `openIdConnect` access token.
    OpenIdConnect,
}

/// How users build a struct they send: `new` with the fields a request requires, a setter
/// for each other field, and `Default` when `new` would take nothing.
#[derive(Debug, Clone)]
pub struct TypeBuilder {
    /// The struct (a `Struct` or `Multipart` in `Api::types`).
    pub type_name: String,
    /// The arguments of `new`, as indexes into the struct's fields.
    pub required: Vec<usize>,
    /// The setters: a field's index and the method's name.
    pub setters: Vec<(usize, String)>,
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
    /// A string enum, with a variant that keeps values the spec does not list.
    Enum {
        variants: Vec<Variant>,
    },
    /// An integer or number enum: a newtype with a constant per listed value, so values the
    /// spec does not list still decode.
    Constants {
        base: Type,
        values: Vec<Constant>,
    },
    /// `oneOf`/`anyOf`: one variant per member, tried in order, or chosen by the value of the
    /// discriminator property `tag`; also a parent schema whose children extend it by `allOf`,
    /// chosen by the tag.
    Union {
        variants: Vec<UnionVariant>,
        tag: Option<String>,
        /// The variant a value whose tag selects no other decodes as (a parent's own shape).
        /// `None`: a last variant `Other(serde_json::Value)` keeps any other value.
        fallback: Option<usize>,
    },
    /// The parts of a `multipart/form-data` body, each with how it is written.
    Multipart(Vec<(Field, Part)>),
    /// A name for another type.
    Alias(Type),
    /// A struct around one value, serialized as that value: what an alias becomes when it
    /// would name itself (`Tree = BTreeMap<String, Tree>`), which a type alias cannot.
    Newtype {
        ty: Type,
        /// Boxed because the type contains the newtype itself.
        boxed: bool,
    },
}

#[derive(Debug, Clone)]
pub struct Constant {
    pub name: String,
    /// The value as a Rust literal of the base type.
    pub literal: String,
}

#[derive(Debug, Clone)]
pub struct UnionVariant {
    pub name: String,
    pub ty: Type,
    /// The discriminator values that select this variant.
    pub tag_values: Vec<String>,
    /// Boxed because the variant's type contains the union.
    pub boxed: bool,
    /// The variant's type does not always hold the discriminator property (it is optional,
    /// or not declared), so serializing adds the first tag value.
    pub adds_tag: bool,
}

/// How one property of a `multipart/form-data` body becomes parts (OpenAPI 3.0.3, "Special
/// Considerations for `multipart` Content", and the Encoding Object's `contentType`).
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub kind: PartKind,
    /// Each part's `Content-Type`, when the Encoding Object names one (a single media type).
    pub content_type: Option<String>,
    /// An array: one part per item, all under the property's name.
    pub repeated: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    /// A file (`format: binary`): an `Upload`.
    File,
    /// A primitive as text (default `text/plain`).
    Text,
    /// An object as JSON text (default `application/json`).
    Json,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    /// The JSON property name.
    pub wire: String,
    pub ty: Type,
    pub required: bool,
    /// Holds the properties the schema does not name (`additionalProperties`).
    pub flatten: bool,
    /// Boxed because the field's type contains the struct.
    pub boxed: bool,
    /// `readOnly` / `writeOnly`: which direction the property travels in.
    pub access: Access,
    pub doc: Doc,
}

/// OpenAPI 3.0.3's `readOnly` and `writeOnly` (Schema Object, "Fixed Fields").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Access {
    #[default]
    ReadWrite,
    /// Sent only in responses: never serialized, never required.
    ReadOnly,
    /// Sent only in requests: never required when decoding.
    WriteOnly,
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
    /// A JSON array of fixed length, one type per position (`prefixItems`).
    Tuple(Vec<Type>),
    /// A file to upload, in a multipart body.
    Binary,
    /// The inner type behind a pointer: a large variant of an enum (see `lower/sizes.rs`).
    Boxed(Box<Type>),
}

/// Rustdoc for an item: its prose, and the example shown beneath it.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    pub text: Option<String>,
    pub example: Option<String>,
    /// The schema's `format`, where the Rust type does not show it (`date-time`).
    pub format: Option<String>,
    /// `deprecated: true` on the schema, property, operation or parameter.
    pub deprecated: Option<Deprecation>,
}

/// Why an item is deprecated, as far as the description says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Deprecation {
    /// The sentence of the description that speaks of the deprecation, if one does.
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Operation {
    /// The spec's operationId, or the name derived from method and path.
    pub id: String,
    pub method_name: String,
    /// The request builder's name, in the crate's `requests` module.
    pub request_name: String,
    pub http_method: String,
    pub path: Vec<PathPart>,
    /// The path as the spec writes it, for docs.
    pub path_template: String,
    pub params: Vec<Param>,
    /// The media types the client can read for this operation, for the `Accept` header.
    pub accept: Option<String>,
    /// Headers with a single allowed value, sent on every call.
    pub fixed_headers: Vec<(String, String)>,
    pub body: Option<Body>,
    pub success: Vec<Response>,
    /// The success enum's name, when success statuses have different bodies.
    pub success_name: Option<String>,
    pub errors: Vec<Response>,
    /// The error enum's name.
    pub error_name: String,
    /// The security requirement's alternatives, each a set of schemes sent together (indexes
    /// into `Api::security_schemes`); empty means none is sent.
    pub security: Vec<Vec<usize>>,
    pub doc: Doc,
    /// How the operation's list is read across pages, when its pagination extension fits it.
    pub pagination: Option<Pagination>,
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
    pub style: Style,
    /// Arrays and objects as one `name=value` per item or property (true), or one value.
    pub explode: bool,
    /// Query values keep RFC 3986's reserved characters unencoded.
    pub allow_reserved: bool,
    /// Sent as the value's JSON text: a parameter described by `content` with a JSON media type.
    pub json: bool,
    /// A valid value: the spec's example, or one made from the schema.
    pub sample: Option<serde_json::Value>,
    pub doc: Doc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

/// OpenAPI 3.0.3's parameter `style` values (Parameter Object, "Style Values").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Simple,
    Label,
    Matrix,
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

/// How one property of an `application/x-www-form-urlencoded` body is written, when its
/// Encoding Object says something other than the default (`form`, exploded).
#[derive(Debug, Clone, PartialEq)]
pub struct FormEncoding {
    pub wire: String,
    pub style: Style,
    pub explode: bool,
    pub allow_reserved: bool,
}

#[derive(Debug, Clone)]
pub struct Body {
    pub kind: BodyKind,
    pub required: bool,
    pub media_type: String,
    /// A valid body: the spec's example, or one made from the schema with every property set.
    pub sample: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    Json(Type),
    /// `application/x-www-form-urlencoded`, from a struct, with the properties' encodings.
    Form(Type, Vec<FormEncoding>),
    /// `multipart/form-data`, from a `TypeKind::Multipart` type.
    Multipart(String),
    /// `text/*`, sent as the caller's text.
    Text,
    /// Any other media type, sent as the caller's bytes.
    Bytes,
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
    /// `text/*`: the body as a `String`.
    Text,
    /// Any other media type, kept as bytes.
    Bytes,
    Empty,
    /// Several media types with different bodies, told apart by the response's `Content-Type`:
    /// an enum named `name` with a variant per media type.
    ByContentType {
        name: String,
        variants: Vec<MediaVariant>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct MediaVariant {
    pub name: String,
    /// The media type or range as the spec writes it, lowercased, without parameters.
    pub media_type: String,
    /// `Json`, `Text` or `Bytes`.
    pub body: ResponseBody,
}

/// How a list operation is read page after page, as Speakeasy's `x-speakeasy-pagination`
/// extension describes it (`type`, `inputs`, `outputs`), checked against the operation.
#[derive(Debug, Clone)]
pub struct Pagination {
    pub style: PageStyle,
    /// Where a page's items are (`outputs.results`), and their type.
    pub results: Option<(BodyPath, Type)>,
    /// The input that sets the page size (`type: limit`): a page with fewer items is the last.
    pub limit: Option<PageInput>,
}

#[derive(Debug, Clone)]
pub enum PageStyle {
    /// `offsetLimit` with an `offset` input: the next page starts after this page's items.
    Offset { input: PageInput },
    /// `offsetLimit` with a `page` input: pages are numbered, and there are at most
    /// `outputs.numPages` of them when the operation says where that number is.
    Page {
        input: PageInput,
        num_pages: Option<(BodyPath, Scalar)>,
    },
    /// `cursor`: the next page is asked for with the cursor this page gives (`outputs.nextCursor`).
    Cursor {
        input: PageInput,
        next: BodyPath,
        /// The type of the cursor in the response body.
        output: Scalar,
    },
    /// `url`: the next page is at the URL this page gives (`outputs.nextUrl`).
    Url { next: BodyPath },
}

/// A value the paging sets on each request: a parameter, or a property of the JSON body.
#[derive(Debug, Clone)]
pub struct PageInput {
    /// The parameter's or property's name as the spec writes it.
    pub wire: String,
    /// A property of the request body (`in: requestBody`), not a parameter.
    pub in_body: bool,
    /// The Rust field: the builder's (a parameter), or the body struct's.
    pub field: String,
    /// The `Option`s around the field's value: 0, 1 (optional or nullable) or 2 (both).
    pub options: u8,
    pub kind: Scalar,
    /// The schema's `default`, as a whole number: where paging starts when the caller sets
    /// no value (the first page is then the server's default).
    pub default: Option<i64>,
}

/// The type of a value paging reads or writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    Integer,
    Number,
    /// A string; page numbers, offsets and sizes in one are decimal text.
    String,
}

/// A JSONPath of the extension (`$.data.items[-1].id`) as steps through the generated types.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BodyPath {
    /// The JSONPath as the spec writes it, for docs.
    pub text: String,
    pub steps: Vec<PathStep>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PathStep {
    /// A struct field by its Rust name, with the `Option`s around its value (0 to 2).
    Field { name: String, options: u8 },
    /// A value that may be `null` (`Type::Nullable`): one `Option`.
    Nullable,
    /// An array item: from the start (0 is the first) or, negative, from the end (-1 the last).
    Index(i64),
}

impl Api {
    /// Whether any operation is read across pages (the crate then has its paging files).
    pub fn paged(&self) -> bool {
        self.operations.iter().any(|op| op.pagination.is_some())
    }
}
