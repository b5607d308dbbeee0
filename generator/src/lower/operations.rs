//! Paths to operations: parameters, bodies, responses and security, one method each.

use openapiv3::{
    MediaType, Operation as Op, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr,
    SchemaKind, SecurityScheme, StatusCode,
};

use super::{Lowerer, RESERVED_METHODS};
use crate::diag::escape;
use crate::ir::{
    BearerScheme, Body, BodyKind, Doc, Operation, Param, ParamLocation, PathPart, Response,
    ResponseBody, Status, Type, TypeKind,
};
use crate::names::{self, Namespace};

impl Lowerer<'_, '_> {
    pub(super) fn bearer_schemes(&mut self) -> Vec<BearerScheme> {
        let api = self.api;
        let mut fields = Namespace::default();
        let mut schemes = Vec::new();
        let all = api.components.iter().flat_map(|c| &c.security_schemes);
        for (key, scheme) in all {
            let pointer = format!("/components/securitySchemes/{}", escape(key));
            match scheme {
                ReferenceOr::Item(SecurityScheme::HTTP { scheme, description, .. }) if scheme.eq_ignore_ascii_case("bearer") => {
                    let field = fields.claim(names::snake(key), key).name;
                    schemes.push(BearerScheme { key: key.clone(), field, description: description.clone() });
                }
                _ => self.warn(
                    &pointer,
                    format!("the security scheme `{key}` is not an HTTP bearer scheme, which is all the client supports yet; calls that need only it are sent without credentials"),
                    "set the credential yourself with a `reqwest::Client` that adds it (`Client::with_http_client`)",
                ),
            }
        }
        schemes
    }

    pub(super) fn operations(&mut self, bearer: &[BearerScheme]) -> Vec<Operation> {
        let api = self.api;
        let mut methods = Namespace::default();
        for name in RESERVED_METHODS {
            methods.reserve(name);
        }
        let mut operations = Vec::new();
        for (path, item) in &api.paths.paths {
            let pointer = format!("/paths/{}", escape(path));
            let ReferenceOr::Item(item) = item else {
                self.warn(
                    &pointer,
                    "a `$ref` path item is not supported; its operations are skipped",
                    "write the path item inline",
                );
                continue;
            };
            for (method, op) in item.iter() {
                let op_pointer = format!("{pointer}/{method}");
                operations.push(self.operation(
                    path,
                    method,
                    item,
                    op,
                    &op_pointer,
                    &mut methods,
                    bearer,
                ));
            }
        }
        operations
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        path: &str,
        method: &str,
        item: &PathItem,
        op: &Op,
        pointer: &str,
        methods: &mut Namespace,
        bearer: &[BearerScheme],
    ) -> Operation {
        let id = match &op.operation_id {
            Some(id) => id.clone(),
            None => format!("{method} {path}"),
        };
        let claimed = methods.claim(names::snake(&id), &id);
        let type_prefix = names::camel(&id);
        let error_name = match claimed.collided_with {
            Some(first) => {
                self.warn(&format!("{pointer}/operationId"), format!("operations `{first}` and `{id}` both become the method `{}`; this one is named `{}`", names::snake(&id), claimed.name), "give every operation a distinct `operationId`");
                // Its types collide too; that is the same problem, already reported.
                self.type_names
                    .claim(names::camel(&format!("{id} Error")), &id)
                    .name
            }
            None => self.claim_type(&format!("{id} Error"), pointer),
        };

        let mut params = self.params(item, op, &type_prefix, pointer);
        let fixed_headers = take_fixed_headers(&mut params);
        let path_parts = self.path_parts(path, &mut params, pointer);
        let body = self.body(op, &type_prefix, pointer);
        let (success, errors) = self.responses(op, &type_prefix, pointer);
        let first_body = success.first().map(|r| &r.body);
        let success_name = success
            .iter()
            .any(|r| Some(&r.body) != first_body)
            .then(|| self.claim_type(&format!("{id} Success"), pointer));
        let security = self.security(op, bearer, pointer);
        let mut text = op.summary.clone().unwrap_or_default();
        if let Some(description) = &op.description {
            if description.trim() != text.trim() {
                text = if text.is_empty() {
                    description.clone()
                } else {
                    format!("{text}\n\n{description}")
                };
            }
        }
        Operation {
            id,
            method_name: claimed.name,
            http_method: method.to_uppercase(),
            path: path_parts,
            path_template: path.to_owned(),
            params: params.into_iter().map(|(p, _)| p).collect(),
            fixed_headers,
            body,
            success,
            success_name,
            errors,
            error_name,
            security,
            doc: Doc {
                deprecated: super::deprecation(op.deprecated, op.description.as_deref()),
                text: (!text.is_empty()).then_some(text),
                ..Doc::default()
            },
        }
    }

    /// The operation's parameters, path-level ones first, each with its pointer; an
    /// operation-level parameter replaces a path-level one of the same name and place.
    fn params(
        &mut self,
        item: &PathItem,
        op: &Op,
        type_prefix: &str,
        pointer: &str,
    ) -> Vec<(Param, Option<String>)> {
        let path_pointer = pointer
            .rsplit_once('/')
            .map(|(p, _)| p.to_owned())
            .unwrap_or_default();
        let declared = item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, format!("{path_pointer}/parameters/{i}")))
            .chain(
                op.parameters
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p, format!("{pointer}/parameters/{i}"))),
            );
        let mut names = Namespace::default();
        names.reserve("body");
        let mut params: Vec<(Param, Option<String>)> = Vec::new();
        for (param, param_pointer) in declared {
            let Some(param) = self.deref(
                param,
                &param_pointer,
                ("parameter", "a parameter", "the parameter is skipped"),
            ) else {
                continue;
            };
            let (data, location) = match &param {
                Parameter::Query { parameter_data, .. } => (parameter_data, ParamLocation::Query),
                Parameter::Header { parameter_data, .. } => (parameter_data, ParamLocation::Header),
                Parameter::Path { parameter_data, .. } => (parameter_data, ParamLocation::Path),
                Parameter::Cookie { parameter_data, .. } => {
                    self.warn(
                        &param_pointer,
                        format!(
                            "cookie parameter `{}` is not supported yet and is not sent",
                            parameter_data.name
                        ),
                        "set the cookie yourself on a `reqwest::Client` given to `Client::with_http_client`",
                    );
                    continue;
                }
            };
            let explode = match &param {
                Parameter::Query { style, .. } => {
                    if !matches!(style, openapiv3::QueryStyle::Form) {
                        self.warn(&param_pointer, format!("query style `{style:?}` is not supported yet; `{}` is sent in the default `form` style", data.name), "write `style: form` (with `explode` as needed) to have it sent as described");
                    }
                    data.explode.unwrap_or(true)
                }
                _ => data.explode.unwrap_or(false),
            };
            let replaces = params
                .iter()
                .position(|(p, _)| p.wire == data.name && p.location == location);
            let (ty, fixed) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    let context = format!("{type_prefix}{}", names::camel(&data.name));
                    (
                        self.type_of_ref_or(schema, &context, &format!("{param_pointer}/schema")),
                        single_value(schema),
                    )
                }
                ParameterSchemaOrContent::Content(_) => {
                    self.warn(
                        &param_pointer,
                        format!(
                            "parameter `{}` described by `content` is sent as a JSON string",
                            data.name
                        ),
                        "describe the parameter with `schema`",
                    );
                    (Type::Json, None)
                }
            };
            let mut required = data.required;
            if location == ParamLocation::Path && !required {
                self.warn(&format!("{param_pointer}/required"), format!("path parameter `{}` is not marked `required: true`; it is treated as required", data.name), "add `required: true`: OpenAPI requires it for path parameters");
                required = true;
            }
            let ty = self.param_type(ty, &data.name, &param_pointer);
            let name = match replaces.and_then(|i| params.get(i)) {
                Some((replaced, _)) => replaced.name.clone(),
                None => names.claim(names::snake(&data.name), &data.name).name,
            };
            let doc = Doc {
                text: data.description.clone(),
                example: data.example.as_ref().map(|e| e.to_string()),
                deprecated: super::deprecation(
                    data.deprecated == Some(true),
                    data.description.as_deref(),
                ),
                ..Doc::default()
            };
            let param = Param {
                name,
                wire: data.name.clone(),
                location,
                ty,
                required,
                explode,
                doc,
            };
            let fixed = fixed.filter(|_| location == ParamLocation::Header && required);
            match replaces.and_then(|i| params.get_mut(i)) {
                Some(slot) => *slot = (param, fixed),
                None => params.push((param, fixed)),
            }
        }
        params
    }

    /// Parameters travel as text: scalars, enums and arrays of them. Anything else is sent as
    /// its JSON text, with a warning.
    fn param_type(&mut self, ty: Type, name: &str, pointer: &str) -> Type {
        fn scalar(t: &Type, lowerer: &Lowerer<'_, '_>, depth: usize) -> bool {
            match t {
                Type::String | Type::Bool | Type::Integer | Type::Number | Type::Json => true,
                Type::Named(n) if depth < 16 => match lowerer.type_named(n).map(|d| &d.kind) {
                    Some(TypeKind::Enum { .. } | TypeKind::Constants { .. }) => true,
                    Some(TypeKind::Alias(aliased)) => scalar(aliased, lowerer, depth + 1),
                    _ => false,
                },
                _ => false,
            }
        }
        let inner = match &ty {
            Type::Nullable(inner) => inner.as_ref(),
            other => other,
        };
        let ok = match inner {
            Type::Vec(item) => scalar(item, self, 0),
            other => scalar(other, self, 0),
        };
        if ok {
            return inner.clone();
        }
        self.warn(
            pointer,
            format!("parameter `{name}` is an object; it is sent as its JSON text"),
            "describe the parameter as a scalar, an enum or an array of them",
        );
        Type::Json
    }

    fn path_parts(
        &mut self,
        path: &str,
        params: &mut Vec<(Param, Option<String>)>,
        pointer: &str,
    ) -> Vec<PathPart> {
        let mut parts = Vec::new();
        let mut rest = path;
        let mut used = Vec::new();
        while let Some(start) = rest.find('{') {
            let Some(len) = rest.get(start..).and_then(|r| r.find('}')) else {
                break;
            };
            let literal = rest.get(..start).unwrap_or_default();
            let name = rest.get(start + 1..start + len).unwrap_or_default();
            if !literal.is_empty() {
                parts.push(PathPart::Literal(literal.to_owned()));
            }
            let index = params
                .iter()
                .position(|(p, _)| p.location == ParamLocation::Path && p.wire == name);
            let index = match index {
                Some(i) => i,
                None => {
                    self.warn(pointer, format!("the path has `{{{name}}}` but the operation declares no path parameter `{name}`; it is added as a required string"), format!("declare `{name}` with `in: path` and `required: true`"));
                    let taken: Vec<String> = params.iter().map(|(p, _)| p.name.clone()).collect();
                    let mut namespace = Namespace::default();
                    namespace.reserve("body");
                    for t in &taken {
                        namespace.reserve(t);
                    }
                    let claimed = namespace.claim(names::snake(name), name);
                    params.push((
                        Param {
                            name: claimed.name,
                            wire: name.to_owned(),
                            location: ParamLocation::Path,
                            ty: Type::String,
                            required: true,
                            explode: false,
                            doc: Doc::default(),
                        },
                        None,
                    ));
                    params.len() - 1
                }
            };
            used.push(index);
            parts.push(PathPart::Param(index));
            rest = rest.get(start + len + 1..).unwrap_or_default();
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_owned()));
        }
        let unused: Vec<usize> = (0..params.len())
            .filter(|i| {
                params
                    .get(*i)
                    .is_some_and(|(p, _)| p.location == ParamLocation::Path)
                    && !used.contains(i)
            })
            .collect();
        for &i in unused.iter().rev() {
            if let Some((param, _)) = params.get(i) {
                let message = format!(
                    "path parameter `{}` does not appear in the path `{path}`; it is ignored",
                    param.wire
                );
                self.warn(
                    pointer,
                    message,
                    "remove the parameter or add it to the path",
                );
            }
        }
        // Drop unused path parameters and renumber the parts that point past them.
        for &i in unused.iter().rev() {
            params.remove(i);
            for part in &mut parts {
                if let PathPart::Param(index) = part {
                    if *index > i {
                        *index -= 1;
                    }
                }
            }
        }
        parts
    }

    fn body(&mut self, op: &Op, type_prefix: &str, pointer: &str) -> Option<Body> {
        let body_pointer = format!("{pointer}/requestBody");
        let body = self.deref(
            op.request_body.as_ref()?,
            &body_pointer,
            (
                "request body",
                "a body",
                "the operation is generated without a body",
            ),
        )?;
        let essence = |m: &str| {
            m.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        };
        let chosen = json_media(&body.content)
            .or_else(|| {
                body.content
                    .iter()
                    .find(|(m, _)| essence(m) == "application/x-www-form-urlencoded")
            })
            .or_else(|| {
                body.content
                    .iter()
                    .find(|(m, _)| essence(m) == "multipart/form-data")
            })
            .or_else(|| body.content.first());
        let Some((media_type, media)) = chosen else {
            self.warn(
                &body_pointer,
                "the request body lists no media type; the operation is generated without a body",
                "add a `content` entry",
            );
            return None;
        };
        let schema_pointer = format!("{body_pointer}/content/{}/schema", escape(media_type));
        let kind = match (essence(media_type).as_str(), &media.schema) {
            ("multipart/form-data", Some(schema)) => {
                let name = self.claim_type(&format!("{type_prefix} Multipart"), &schema_pointer);
                let fields = self.multipart_fields(&name, schema, &schema_pointer);
                let doc = Doc {
                    text: Some(format!(
                        "The parts of the `multipart/form-data` body of `{}`.",
                        type_prefix
                    )),
                    ..Doc::default()
                };
                self.push_type(crate::ir::TypeDef {
                    name: name.clone(),
                    doc,
                    kind: TypeKind::Multipart(fields),
                });
                BodyKind::Multipart(name)
            }
            ("application/x-www-form-urlencoded", Some(schema)) => BodyKind::Form(
                self.type_of_ref_or(schema, &format!("{type_prefix}Form"), &schema_pointer),
            ),
            (_, Some(schema)) if json_media(&body.content).is_some() => BodyKind::Json(
                self.type_of_ref_or(schema, &format!("{type_prefix}Body"), &schema_pointer),
            ),
            (_, None) if json_media(&body.content).is_some() => BodyKind::Json(Type::Json),
            _ => BodyKind::Bytes,
        };
        Some(Body {
            kind,
            required: body.required,
            media_type: media_type.clone(),
        })
    }

    fn responses(
        &mut self,
        op: &Op,
        type_prefix: &str,
        pointer: &str,
    ) -> (Vec<Response>, Vec<Response>) {
        let mut variants = Namespace::default();
        let mut success = Vec::new();
        let mut errors = Vec::new();
        let listed = op.responses.responses.iter().map(|(code, r)| {
            let status = match code {
                StatusCode::Code(c) => Status::Code(*c),
                StatusCode::Range(r) => Status::Range(*r),
            };
            (status, code.to_string(), r)
        });
        let all: Vec<_> = listed
            .chain(
                op.responses
                    .default
                    .iter()
                    .map(|r| (Status::Default, "default".to_owned(), r)),
            )
            .collect();
        for (status, key, response) in all {
            let response_pointer = format!("{pointer}/responses/{key}");
            let Some(response) = self.deref(
                response,
                &response_pointer,
                (
                    "response",
                    "a response",
                    "the status is treated as undocumented",
                ),
            ) else {
                continue;
            };
            self.collect_headers(&response, &response_pointer);
            let body = match json_media(&response.content) {
                Some((media_type, media)) => match &media.schema {
                    Some(schema) => {
                        let context = format!("{type_prefix}Response{}", names::camel(&key));
                        ResponseBody::Json(self.type_of_ref_or(
                            schema,
                            &context,
                            &format!("{response_pointer}/content/{}/schema", escape(media_type)),
                        ))
                    }
                    None => ResponseBody::Json(Type::Json),
                },
                None if response.content.is_empty() => ResponseBody::Empty,
                None => ResponseBody::Bytes,
            };
            let variant = variants
                .claim(names::camel(&status_name(status)), &key)
                .name;
            let entry = Response {
                status,
                variant,
                body,
                description: response.description.clone(),
            };
            let is_success = match status {
                Status::Code(c) => (200..300).contains(&c),
                Status::Range(r) => r == 2,
                Status::Default => false,
            };
            if is_success {
                success.push(entry)
            } else {
                errors.push(entry)
            }
        }
        if success.is_empty() {
            self.warn(
                &format!("{pointer}/responses"),
                "the operation documents no 2xx response; any 2xx status is returned as raw bytes",
                "document the success response",
            );
            success.push(Response {
                status: Status::Range(2),
                variant: "Success".to_owned(),
                body: ResponseBody::Bytes,
                description: String::new(),
            });
        }
        (success, errors)
    }

    /// Adds the response's documented headers (other than `Content-Type`, which the client
    /// reads itself) to the crate's `ResponseHeaders`, once per header name.
    fn collect_headers(&mut self, response: &openapiv3::Response, pointer: &str) {
        for (name, header) in &response.headers {
            let header_pointer = format!("{pointer}/headers/{}", escape(name));
            if name.eq_ignore_ascii_case("content-type")
                || self
                    .response_headers
                    .iter()
                    .any(|h| h.wire.eq_ignore_ascii_case(name))
            {
                continue;
            }
            let what = ("header", "a header", "it is not typed");
            let Some(header) = self.deref(header, &header_pointer, what) else {
                continue;
            };
            let ty = match &header.format {
                ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => {
                    match &schema.schema_kind {
                        SchemaKind::Type(openapiv3::Type::Integer(_)) => Type::Integer,
                        SchemaKind::Type(openapiv3::Type::Number(_)) => Type::Number,
                        SchemaKind::Type(openapiv3::Type::Boolean(_)) => Type::Bool,
                        _ => Type::String,
                    }
                }
                _ => Type::String,
            };
            let field = self.header_names.claim(names::snake(name), name).name;
            let doc = Doc {
                text: header.description.clone(),
                example: header.example.as_ref().map(|e| e.to_string()),
                ..Doc::default()
            };
            self.response_headers.push(crate::ir::HeaderField {
                name: field,
                wire: name.clone(),
                ty,
                doc,
            });
        }
    }

    fn security(&mut self, op: &Op, bearer: &[BearerScheme], pointer: &str) -> Vec<Vec<usize>> {
        let requirements = op.security.as_ref().or(self.api.security.as_ref());
        let has_schemes = self
            .api
            .components
            .as_ref()
            .is_some_and(|c| !c.security_schemes.is_empty());
        if requirements.is_none() && has_schemes {
            self.warn(pointer, "the operation names no `security`, and neither does the document; the client sends it without credentials", "add `security` to the operation (or `security: []` to say it needs none)");
        }
        let mut alternatives = Vec::new();
        for requirement in requirements.into_iter().flatten() {
            let mut schemes = Vec::new();
            let mut supported = true;
            for key in requirement.keys() {
                match bearer.iter().position(|b| &b.key == key) {
                    Some(i) => schemes.push(i),
                    None => {
                        let known = self
                            .api
                            .components
                            .as_ref()
                            .is_some_and(|c| c.security_schemes.contains_key(key));
                        if !known {
                            self.warn(&format!("{pointer}/security"), format!("the security requirement names `{key}`, which is not in `components/securitySchemes`"), "declare the scheme or fix its name");
                        }
                        supported = false;
                    }
                }
            }
            if supported {
                alternatives.push(schemes);
            }
        }
        alternatives
    }
}

/// The one value a header may take, when its schema allows exactly one.
fn single_value(schema: &ReferenceOr<openapiv3::Schema>) -> Option<String> {
    let ReferenceOr::Item(schema) = schema else {
        return None;
    };
    match &schema.schema_kind {
        SchemaKind::Type(openapiv3::Type::String(s)) => match s.enumeration.as_slice() {
            [Some(only)] => Some(only.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// Moves required headers that allow one value out of the parameters: the client sends them.
fn take_fixed_headers(params: &mut Vec<(Param, Option<String>)>) -> Vec<(String, String)> {
    let mut fixed = Vec::new();
    params.retain(|(param, value)| match value {
        Some(value) => {
            fixed.push((param.wire.clone(), value.clone()));
            false
        }
        None => true,
    });
    fixed
}

/// The first JSON media type of a body (`application/json`, `application/*+json`).
fn json_media(content: &indexmap::IndexMap<String, MediaType>) -> Option<(&String, &MediaType)> {
    content.iter().find(|(media_type, _)| {
        let essence = media_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        essence == "application/json" || essence.ends_with("+json") || essence == "*/*"
    })
}

/// A name for a status: its reason phrase where HTTP has one.
fn status_name(status: Status) -> String {
    match status {
        Status::Code(code) => http::StatusCode::from_u16(code)
            .ok()
            .and_then(|s| s.canonical_reason())
            .map(str::to_owned)
            .unwrap_or_else(|| format!("Status {code}")),
        Status::Range(digit) => format!("Status {digit}xx"),
        Status::Default => "Default".to_owned(),
    }
}
