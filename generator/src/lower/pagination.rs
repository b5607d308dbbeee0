//! An operation's `x-speakeasy-pagination` extension, checked against the operation and
//! lowered into how its pages are read.
//!
//! The extension is Speakeasy's (documented at speakeasy.com, "Adding pagination to SDKs"):
//! `type` is `offsetLimit`, `cursor` or `url`; `inputs` name the parameters or request-body
//! properties paging sets (`offset`, `page`, `limit`, `cursor`); `outputs` are JSONPaths into the
//! response body (`results`, `numPages`, `nextCursor`, `nextUrl`). Whatever does not fit the
//! operation (an input it does not have, an output that leads nowhere or to the wrong type)
//! is a warning at its place, and the operation gets no paging methods.

use openapiv3::{Operation as Op, PathItem, ReferenceOr, Schema, SchemaKind};
use serde_json::Value;

use super::Lowerer;
use super::body_path::layers;
use super::components::Component;
use crate::ir::{
    Access, BodyKind, BodyPath, Operation, PageInput, PageStyle, Pagination, ResponseBody, Scalar,
    Type,
};

/// The extension's key on an Operation Object.
pub const EXTENSION: &str = "x-speakeasy-pagination";

/// Why the extension does not fit, and where.
pub(super) struct Misfit {
    pub(super) pointer: String,
    pub(super) message: String,
    pub(super) help: String,
}

pub(super) fn misfit(pointer: &str, message: impl Into<String>, help: impl Into<String>) -> Misfit {
    Misfit {
        pointer: pointer.to_owned(),
        message: message.into(),
        help: help.into(),
    }
}

/// What an input is for (`inputs[].type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Offset,
    Page,
    Limit,
    Cursor,
}

impl Role {
    fn name(self) -> &'static str {
        match self {
            Role::Offset => "offset",
            Role::Page => "page",
            Role::Limit => "limit",
            Role::Cursor => "cursor",
        }
    }
}

/// The extension's inputs and outputs, read, and the response body the outputs read.
struct Parts<'a> {
    /// Each input's role, what it sets, and its pointer.
    inputs: Vec<(Role, PageInput, String)>,
    /// Each output's key and JSONPath.
    outputs: Vec<(String, String)>,
    body: Type,
    /// The extension's pointer.
    at: &'a str,
}

impl Parts<'_> {
    fn input(&self, role: Role) -> Option<(PageInput, String)> {
        self.inputs
            .iter()
            .find(|(r, _, _)| *r == role)
            .map(|(_, input, pointer)| (input.clone(), pointer.clone()))
    }

    fn output(&self, key: &str) -> Option<&str> {
        self.outputs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, path)| path.as_str())
    }
}

impl Lowerer<'_, '_> {
    /// The operation's paging, when it has the extension and the extension fits it.
    pub(super) fn pagination(
        &mut self,
        op: &Op,
        item: &PathItem,
        operation: &Operation,
        pointer: &str,
    ) -> Option<Pagination> {
        let value = op.extensions.get(EXTENSION)?;
        let at = format!("{pointer}/{EXTENSION}");
        match self.read_pagination(value, op, item, operation, &at) {
            Ok(pagination) => Some(pagination),
            Err(m) => {
                let method = operation.method_name.trim_start_matches("r#");
                self.warn(
                    &m.pointer,
                    format!(
                        "{}; `{method}` is generated without paging (no `pages` or `items`)",
                        m.message
                    ),
                    m.help,
                );
                None
            }
        }
    }

    fn read_pagination(
        &self,
        value: &Value,
        op: &Op,
        item: &PathItem,
        operation: &Operation,
        at: &str,
    ) -> Result<Pagination, Misfit> {
        let Value::Object(extension) = value else {
            return Err(misfit(
                at,
                format!("`{EXTENSION}` is not an object"),
                "give it `type`, `inputs` and `outputs`, as Speakeasy documents",
            ));
        };
        let kind = match extension.get("type") {
            Some(Value::String(kind)) => kind.as_str(),
            Some(_) => {
                return Err(misfit(
                    &format!("{at}/type"),
                    "the pagination `type` is not a string",
                    "use `offsetLimit`, `cursor` or `url`",
                ));
            }
            None => {
                return Err(misfit(
                    at,
                    "the pagination extension has no `type`",
                    "add `type: offsetLimit`, `cursor` or `url`",
                ));
            }
        };
        if !matches!(kind, "offsetLimit" | "cursor" | "url") {
            return Err(misfit(
                &format!("{at}/type"),
                format!("`type: {kind}` is not a pagination type Speakeasy defines"),
                "use `offsetLimit`, `cursor` or `url`",
            ));
        }
        let parts = Parts {
            inputs: self.inputs(extension.get("inputs"), op, item, operation, at)?,
            outputs: outputs(extension.get("outputs"), at)?,
            body: Type::Json,
            at,
        };
        let allowed: &[Role] = match kind {
            "offsetLimit" => &[Role::Offset, Role::Page, Role::Limit],
            "cursor" => &[Role::Cursor, Role::Limit],
            _ => &[Role::Limit],
        };
        if let Some((role, _, pointer)) = parts.inputs.iter().find(|(r, _, _)| !allowed.contains(r))
        {
            let allowed: Vec<String> = allowed.iter().map(|r| format!("`{}`", r.name())).collect();
            return Err(misfit(
                &format!("{pointer}/type"),
                format!(
                    "an input of `type: {}` has no meaning in `{kind}` pagination",
                    role.name()
                ),
                format!(
                    "`{kind}` takes inputs of type {}; remove this one",
                    allowed.join(", ")
                ),
            ));
        }
        let allowed: &[&str] = match kind {
            "offsetLimit" => &["results", "numPages"],
            "cursor" => &["results", "nextCursor"],
            _ => &["results", "nextUrl"],
        };
        if let Some((key, _)) = parts
            .outputs
            .iter()
            .find(|(k, _)| !allowed.contains(&k.as_str()))
        {
            return Err(misfit(
                &format!("{at}/outputs/{key}"),
                format!("the output `{key}` has no meaning in `{kind}` pagination"),
                format!("`{kind}` reads the outputs {}", allowed.join(", ")),
            ));
        }
        let parts = Parts {
            body: self.success_body(operation, at)?,
            ..parts
        };
        let results = match parts.output("results") {
            Some(path) => {
                let pointer = format!("{at}/outputs/results");
                let (steps, leaf) = self.walk(&parts.body, path, &pointer)?;
                let Type::Vec(item) = leaf else {
                    return Err(misfit(
                        &pointer,
                        format!(
                            "`results: {path}` leads to {} in the response body, not to an array of items",
                            self.describe(&leaf)
                        ),
                        "point `results` at the array that holds a page's items",
                    ));
                };
                Some((steps, *item))
            }
            None => None,
        };
        let style = match kind {
            "offsetLimit" => self.offset_limit(&parts, results.is_some())?,
            "cursor" => self.cursor(&parts)?,
            _ => self.next_url(&parts)?,
        };
        Ok(Pagination {
            style,
            results,
            limit: parts.input(Role::Limit).map(|(input, _)| input),
        })
    }

    /// `offsetLimit`: an `offset` input, or a `page` input (with `numPages` if any).
    fn offset_limit(&self, parts: &Parts, has_results: bool) -> Result<PageStyle, Misfit> {
        let at = parts.at;
        match (parts.input(Role::Offset), parts.input(Role::Page)) {
            (Some(_), Some((_, pointer))) => Err(misfit(
                &pointer,
                "the inputs name both an `offset` and a `page`",
                "keep the one the API counts pages by",
            )),
            (None, None) => Err(misfit(
                &format!("{at}/inputs"),
                "`offsetLimit` pagination needs an input of type `offset` or `page`",
                "name the parameter (or body property) that says where a page starts",
            )),
            (Some(_), None) if !has_results => Err(misfit(
                &format!("{at}/outputs"),
                "an `offset` input counts the items received, but `outputs` has no `results`",
                "add `results`, the JSONPath of the array of a page's items",
            )),
            (Some((input, _)), None) => Ok(PageStyle::Offset { input }),
            (None, Some((input, _))) => {
                let num_pages = self.scalar_output(
                    parts,
                    "numPages",
                    &[Scalar::Integer, Scalar::Number],
                    ("a number", "point `numPages` at the number of pages"),
                )?;
                if !has_results && num_pages.is_none() {
                    return Err(misfit(
                        &format!("{at}/outputs"),
                        "a `page` input needs `results` or `numPages` in `outputs` to know where the pages end",
                        "add `results` (the array of a page's items) or `numPages`",
                    ));
                }
                Ok(PageStyle::Page { input, num_pages })
            }
        }
    }

    /// `cursor`: a `cursor` input, set to `nextCursor`.
    fn cursor(&self, parts: &Parts) -> Result<PageStyle, Misfit> {
        let at = parts.at;
        let Some((input, input_pointer)) = parts.input(Role::Cursor) else {
            return Err(misfit(
                &format!("{at}/inputs"),
                "`cursor` pagination needs an input of type `cursor`",
                "name the parameter (or body property) the next page's cursor goes in",
            ));
        };
        let Some((next, output)) = self.scalar_output(
            parts,
            "nextCursor",
            &[Scalar::Integer, Scalar::String],
            (
                "a string or an integer",
                "point `nextCursor` at the value the next request sends",
            ),
        )?
        else {
            return Err(misfit(
                &format!("{at}/outputs"),
                "`cursor` pagination needs `nextCursor` in `outputs`",
                "add `nextCursor`, the JSONPath of the next page's cursor",
            ));
        };
        if input.kind == Scalar::Number {
            return Err(misfit(
                &format!("{input_pointer}/name"),
                format!(
                    "the cursor input `{}` is a number, which cannot be compared exactly to tell a repeated cursor",
                    input.wire
                ),
                "describe the cursor as a string or an integer",
            ));
        }
        if output == Scalar::String && input.kind == Scalar::Integer {
            return Err(misfit(
                &format!("{at}/outputs/nextCursor"),
                format!(
                    "`nextCursor: {}` is a string, but the cursor input `{}` takes an integer",
                    next.text, input.wire
                ),
                "make the two the same type",
            ));
        }
        Ok(PageStyle::Cursor {
            input,
            next,
            output,
        })
    }

    /// `url`: the next page at `nextUrl`.
    fn next_url(&self, parts: &Parts) -> Result<PageStyle, Misfit> {
        let found = self.scalar_output(
            parts,
            "nextUrl",
            &[Scalar::String],
            ("a string", "point `nextUrl` at the next page's URL"),
        )?;
        match found {
            Some((next, _)) => Ok(PageStyle::Url { next }),
            None => Err(misfit(
                &format!("{}/outputs", parts.at),
                "`url` pagination needs `nextUrl` in `outputs`",
                "add `nextUrl`, the JSONPath of the next page's URL",
            )),
        }
    }

    /// The output `key`, when there is one, with the scalar it leads to, which must be one
    /// of `allowed`; else a misfit saying it should be `wanted`, and what to do.
    fn scalar_output(
        &self,
        parts: &Parts,
        key: &str,
        allowed: &[Scalar],
        (wanted, help): (&str, &str),
    ) -> Result<Option<(BodyPath, Scalar)>, Misfit> {
        let Some(path) = parts.output(key) else {
            return Ok(None);
        };
        let pointer = format!("{}/outputs/{key}", parts.at);
        let (steps, leaf) = self.walk(&parts.body, path, &pointer)?;
        match self.scalar(&leaf) {
            Some(scalar) if allowed.contains(&scalar) => Ok(Some((steps, scalar))),
            _ => Err(misfit(
                &pointer,
                format!(
                    "`{key}: {path}` leads to {} in the response body, not to {wanted}",
                    self.describe(&leaf)
                ),
                help,
            )),
        }
    }

    /// Each input with its role and pointer, checked against the operation.
    fn inputs(
        &self,
        inputs: Option<&Value>,
        op: &Op,
        item: &PathItem,
        operation: &Operation,
        at: &str,
    ) -> Result<Vec<(Role, PageInput, String)>, Misfit> {
        let inputs = match inputs {
            None => return Ok(Vec::new()),
            Some(Value::Array(inputs)) => inputs,
            Some(_) => {
                return Err(misfit(
                    &format!("{at}/inputs"),
                    "`inputs` is not a list",
                    "list the inputs, each with `name`, `in` and `type`",
                ));
            }
        };
        let mut read: Vec<(Role, PageInput, String)> = Vec::new();
        for (i, input) in inputs.iter().enumerate() {
            let pointer = format!("{at}/inputs/{i}");
            let text = |key: &str| input.get(key).and_then(Value::as_str);
            let (Some(name), Some(place), Some(role)) = (text("name"), text("in"), text("type"))
            else {
                return Err(misfit(
                    &pointer,
                    "a pagination input needs `name`, `in` and `type`, each a string",
                    "write it as `{name: offset, in: parameters, type: offset}`",
                ));
            };
            let role = match role {
                "offset" => Role::Offset,
                "page" => Role::Page,
                "limit" => Role::Limit,
                "cursor" => Role::Cursor,
                other => {
                    return Err(misfit(
                        &format!("{pointer}/type"),
                        format!("`type: {other}` is not an input type Speakeasy defines"),
                        "use `offset`, `page`, `limit` or `cursor`",
                    ));
                }
            };
            if read.iter().any(|(r, _, _)| *r == role) {
                return Err(misfit(
                    &format!("{pointer}/type"),
                    format!("two inputs have `type: {}`", role.name()),
                    "keep one",
                ));
            }
            let input = match place {
                "parameters" => self.parameter_input(name, op, item, operation, &pointer)?,
                "requestBody" => self.body_input(name, op, operation, &pointer)?,
                other => {
                    return Err(misfit(
                        &format!("{pointer}/in"),
                        format!("`in: {other}` is not a place Speakeasy defines for an input"),
                        "use `parameters` or `requestBody`",
                    ));
                }
            };
            read.push((role, input, pointer));
        }
        Ok(read)
    }

    fn parameter_input(
        &self,
        name: &str,
        op: &Op,
        item: &PathItem,
        operation: &Operation,
        pointer: &str,
    ) -> Result<PageInput, Misfit> {
        let found: Vec<_> = operation.params.iter().filter(|p| p.wire == name).collect();
        let param = match found.as_slice() {
            [param] => *param,
            [] => {
                return Err(misfit(
                    &format!("{pointer}/name"),
                    format!("the operation has no parameter `{name}`"),
                    "name one of the operation's parameters, or say `in: requestBody` for a property of the body",
                ));
            }
            _ => {
                return Err(misfit(
                    &format!("{pointer}/name"),
                    format!("the operation has several parameters named `{name}`"),
                    "rename one of them",
                ));
            }
        };
        let kind = self.scalar(&param.ty).ok_or_else(|| {
            misfit(
                &format!("{pointer}/name"),
                format!(
                    "the parameter `{name}` is {}, where paging needs an integer, a number or a string",
                    self.describe(&param.ty)
                ),
                "give the parameter a `type: integer` or `string` schema",
            )
        })?;
        // The declared parameter's schema, for its `default`.
        let declared = item
            .parameters
            .iter()
            .chain(&op.parameters)
            .rev()
            .find_map(|p| {
                let p = quiet(self, p)?;
                let data = p.parameter_data_ref();
                (data.name == name).then(|| match &data.format {
                    openapiv3::ParameterSchemaOrContent::Schema(schema) => self
                        .deref_schema(schema, "")
                        .and_then(|(s, _)| whole_default(&s)),
                    openapiv3::ParameterSchemaOrContent::Content(_) => None,
                })
            });
        Ok(PageInput {
            wire: name.to_owned(),
            in_body: false,
            field: param.name.clone(),
            options: u8::from(!param.required),
            kind,
            default: declared.flatten(),
        })
    }

    fn body_input(
        &self,
        name: &str,
        op: &Op,
        operation: &Operation,
        pointer: &str,
    ) -> Result<PageInput, Misfit> {
        let at = format!("{pointer}/name");
        let body = operation.body.as_ref().ok_or_else(|| {
            misfit(
                &at,
                format!("the input `{name}` is in the request body, but the operation has none"),
                "say `in: parameters` for a parameter",
            )
        })?;
        let ty = match &body.kind {
            BodyKind::Json(ty) | BodyKind::Form(ty, _) => ty,
            _ => {
                return Err(misfit(
                    &at,
                    format!(
                        "the input `{name}` is in the request body, which is not JSON or a form"
                    ),
                    "paging sets properties of JSON and form bodies only",
                ));
            }
        };
        if !body.required {
            return Err(misfit(
                &at,
                format!("the input `{name}` is in the request body, which is optional"),
                "make the body `required: true` (in an overlay, if the spec is not yours)",
            ));
        }
        let Some(fields) = self.fields_of(ty) else {
            return Err(misfit(
                &at,
                format!(
                    "the input `{name}` is in the request body, which is {}, not an object",
                    self.describe(ty)
                ),
                "say `in: parameters` for a parameter",
            ));
        };
        let Some(field) = fields.iter().find(|f| f.wire == name && !f.flatten) else {
            return Err(misfit(
                &at,
                format!("the request body has no property `{name}`"),
                "name a property of the body's schema",
            ));
        };
        if field.access == Access::ReadOnly {
            return Err(misfit(
                &at,
                format!("the body property `{name}` is `readOnly`, so requests never send it"),
                "name a property requests send",
            ));
        }
        let (options, inner) = layers(field);
        let kind = self.scalar(inner).ok_or_else(|| {
            misfit(
                &at,
                format!(
                    "the body property `{name}` is {}, where paging needs an integer, a number or a string",
                    self.describe(inner)
                ),
                "name a property of `type: integer` or `string`",
            )
        })?;
        Ok(PageInput {
            wire: name.to_owned(),
            in_body: true,
            field: field.name.clone(),
            options,
            kind,
            default: self.body_default(op, name),
        })
    }

    /// The `default` of a top-level property of the request body's schema, as a whole number.
    fn body_default(&self, op: &Op, name: &str) -> Option<i64> {
        let body = quiet(self, op.request_body.as_ref()?)?;
        body.content.values().find_map(|media| {
            let (schema, _) = self.deref_schema(media.schema.as_ref()?, "")?;
            let SchemaKind::Type(openapiv3::Type::Object(object)) = &schema.schema_kind else {
                return None;
            };
            let property = match object.properties.get(name)? {
                ReferenceOr::Item(schema) => (**schema).clone(),
                ReferenceOr::Reference { reference } => {
                    let reference = ReferenceOr::Reference {
                        reference: reference.clone(),
                    };
                    self.deref_schema(&reference, "")?.0
                }
            };
            whole_default(&property)
        })
    }

    /// The type of the one body every success response has, which the outputs read.
    fn success_body(&self, operation: &Operation, at: &str) -> Result<Type, Misfit> {
        match operation.success.first().map(|r| &r.body) {
            // Without a success enum, every success status has this body.
            Some(ResponseBody::Json(ty)) if operation.success_name.is_none() => Ok(ty.clone()),
            _ => Err(misfit(
                at,
                "the operation's success responses have no single JSON body for the outputs to read",
                "page only operations whose 2xx responses share one JSON schema",
            )),
        }
    }
}

/// A schema's `default` as a whole number (a JSON integer, or a string of one).
fn whole_default(schema: &Schema) -> Option<i64> {
    match schema.schema_data.default.as_ref()? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A component `item` is or refers to, without a warning when it leads nowhere (the
/// operation's own lowering reported that already).
fn quiet<T: Component>(lowerer: &Lowerer<'_, '_>, item: &ReferenceOr<T>) -> Option<T> {
    let mut current = item;
    for _ in 0..8 {
        match current {
            ReferenceOr::Item(found) => return Some(found.clone()),
            ReferenceOr::Reference { reference } => {
                let key = reference.strip_prefix(&format!("#/components/{}/", T::KIND))?;
                current =
                    T::all(lowerer.api.components.as_ref()?).get(&crate::diag::unescape(key))?;
            }
        }
    }
    None
}

/// Each output (`outputs`) with its JSONPath text.
fn outputs(outputs: Option<&Value>, at: &str) -> Result<Vec<(String, String)>, Misfit> {
    let Some(outputs) = outputs else {
        return Ok(Vec::new());
    };
    let Value::Object(outputs) = outputs else {
        return Err(misfit(
            &format!("{at}/outputs"),
            "`outputs` is not an object",
            "map each output (`results`, `numPages`, `nextCursor`, `nextUrl`) to a JSONPath",
        ));
    };
    let mut read = Vec::new();
    for (key, value) in outputs {
        let pointer = format!("{at}/outputs/{}", crate::diag::escape(key));
        if !matches!(
            key.as_str(),
            "results" | "numPages" | "nextCursor" | "nextUrl"
        ) {
            return Err(misfit(
                &pointer,
                format!("`{key}` is not an output Speakeasy defines"),
                "use `results`, `numPages`, `nextCursor` or `nextUrl`",
            ));
        }
        let Value::String(path) = value else {
            return Err(misfit(
                &pointer,
                format!("the output `{key}` is not a JSONPath string"),
                "write it as `$.data.items`",
            ));
        };
        read.push((key.clone(), path.clone()));
    }
    Ok(read)
}
