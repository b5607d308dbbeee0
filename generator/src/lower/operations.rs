//! Paths to operations: parameters, bodies, responses and security, one method each.

use openapiv3::{
    Operation as Op, Parameter, ParameterSchemaOrContent, PathItem, PathStyle, QueryStyle,
    ReferenceOr, SchemaKind, StatusCode,
};

use super::Lowerer;
use crate::diag::escape;
use crate::ir::{
    Body, BodyKind, Doc, FormEncoding, MediaVariant, Operation, Param, ParamLocation, Part,
    PartKind, PathPart, Response, ResponseBody, SecurityScheme, Status, Style, Type, TypeKind,
};
use crate::media::{essence, is_json};
use crate::names::{self, Namespace};

impl Lowerer<'_, '_> {
    pub(super) fn operations(&mut self, schemes: &[SecurityScheme]) -> Vec<Operation> {
        let api = self.api;
        let mut methods = Namespace::default();
        let setters = schemes.iter().filter_map(|s| s.setter.as_deref());
        for name in names::RESERVED_METHODS.iter().copied().chain(setters) {
            methods.reserve(name);
        }
        let mut requests = Namespace::default();
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
                    (&mut methods, &mut requests),
                    schemes,
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
        (methods, requests): (&mut Namespace, &mut Namespace),
        schemes: &[SecurityScheme],
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
        let (success, errors, accept) = self.responses(op, &type_prefix, pointer);
        let first_body = success.first().map(|r| &r.body);
        let success_name = success
            .iter()
            .any(|r| Some(&r.body) != first_body)
            .then(|| self.claim_type(&format!("{id} Success"), pointer));
        let security = self.security(op, schemes, pointer);
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
        let request_name = requests.claim(names::camel(&claimed.name), &id).name;
        let mut operation = Operation {
            id,
            method_name: claimed.name,
            request_name,
            http_method: method.to_uppercase(),
            path: path_parts,
            path_template: path.to_owned(),
            params: params.into_iter().map(|(p, _)| p).collect(),
            accept,
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
            pagination: None,
        };
        operation.pagination = self.pagination(op, item, &operation, pointer);
        operation
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
        for reserved in names::RESERVED_BUILDER {
            names.reserve(reserved);
        }
        let mut params: Vec<(Param, Option<String>)> = Vec::new();
        for (param, param_pointer) in declared {
            let Some(param) = self.deref(
                param,
                &param_pointer,
                ("parameter", "a parameter", "the parameter is skipped"),
            ) else {
                continue;
            };
            let (data, location, style, allow_reserved) = match &param {
                Parameter::Query {
                    parameter_data,
                    style,
                    allow_reserved,
                    ..
                } => {
                    let style = match style {
                        QueryStyle::Form => Style::Form,
                        QueryStyle::SpaceDelimited => Style::SpaceDelimited,
                        QueryStyle::PipeDelimited => Style::PipeDelimited,
                        QueryStyle::DeepObject => Style::DeepObject,
                    };
                    (parameter_data, ParamLocation::Query, style, *allow_reserved)
                }
                Parameter::Header { parameter_data, .. } => {
                    (parameter_data, ParamLocation::Header, Style::Simple, false)
                }
                Parameter::Path {
                    parameter_data,
                    style,
                } => {
                    let style = match style {
                        PathStyle::Simple => Style::Simple,
                        PathStyle::Label => Style::Label,
                        PathStyle::Matrix => Style::Matrix,
                    };
                    (parameter_data, ParamLocation::Path, style, false)
                }
                Parameter::Cookie { parameter_data, .. } => {
                    (parameter_data, ParamLocation::Cookie, Style::Form, false)
                }
            };
            // OpenAPI 3.0.3, Parameter Object: a header parameter named `Accept`,
            // `Content-Type` or `Authorization` "SHALL be ignored"; the media types and the
            // security schemes say what those headers carry.
            if location == ParamLocation::Header
                && ["accept", "content-type", "authorization"]
                    .iter()
                    .any(|h| data.name.eq_ignore_ascii_case(h))
            {
                self.warn(
                    &param_pointer,
                    format!(
                        "header parameter `{}` is ignored, as OpenAPI says: `content` and `responses` decide `Content-Type` and `Accept`, `security` decides `Authorization`",
                        data.name
                    ),
                    "remove the parameter; describe the credential as a security scheme",
                );
                continue;
            }
            // OpenAPI 3.0.3, Parameter Object: `explode` defaults to true for `form` only.
            let explode = data.explode.unwrap_or(style == Style::Form);
            let replaces = params
                .iter()
                .position(|(p, _)| p.wire == data.name && p.location == location);
            let context = format!("{type_prefix}{}", names::camel(&data.name));
            let (ty, fixed, json) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => (
                    self.type_of_ref_or(schema, &context, &format!("{param_pointer}/schema")),
                    single_value(schema),
                    false,
                ),
                ParameterSchemaOrContent::Content(content) => {
                    let Some((media_type, media)) = content.first() else {
                        self.warn(
                            &format!("{param_pointer}/content"),
                            format!(
                                "parameter `{}` has an empty `content`; it is skipped",
                                data.name
                            ),
                            "give `content` one media type with a schema",
                        );
                        continue;
                    };
                    let media_pointer =
                        format!("{param_pointer}/content/{}/schema", escape(media_type));
                    let ty = match &media.schema {
                        Some(schema) => self.type_of_ref_or(schema, &context, &media_pointer),
                        None => Type::Json,
                    };
                    (ty, None, is_json(media_type))
                }
            };
            let mut required = data.required;
            if location == ParamLocation::Path && !required {
                self.warn(&format!("{param_pointer}/required"), format!("path parameter `{}` is not marked `required: true`; it is treated as required", data.name), "add `required: true`: OpenAPI requires it for path parameters");
                required = true;
            }
            let style = if json {
                style
            } else {
                self.check_style(
                    &ty,
                    style,
                    &format!("parameter `{}`", data.name),
                    &param_pointer,
                )
            };
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
                ty: match ty {
                    // An absent optional parameter is `None` already; `null` is not sent.
                    Type::Nullable(inner) => *inner,
                    ty => ty,
                },
                required,
                style,
                explode,
                allow_reserved,
                json,
                sample: self.sample_of(&param_pointer),
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

    /// The style a value is sent in, with a warning where its shape has no serialization in
    /// `style`: OpenAPI 3.0.3 defines styles for primitives, arrays of primitives and objects
    /// of primitives, and `deepObject` for objects only, so `deepObject` on anything else is
    /// sent as `form` (decided here, so the runtime only sees `deepObject` on objects).
    /// Anything nested deeper is sent as its JSON text.
    fn check_style(&mut self, ty: &Type, style: Style, subject: &str, pointer: &str) -> Style {
        let shape = self.shape(ty, 0);
        if style == Style::DeepObject && shape != Shape::Object {
            self.warn(pointer, format!("`style: deepObject` applies to objects, but {subject} is not one; it is sent in the `form` style"), "use `style: form` for primitives and arrays");
            return Style::Form;
        }
        if shape == Shape::Nested && style != Style::DeepObject {
            self.warn(pointer, format!("{subject} holds arrays or objects inside its items or properties, for which OpenAPI defines no `{}` serialization; they are sent as their JSON text", style_name(style)), "describe the parameter with `content: {application/json: ...}` to send the whole value as JSON");
        }
        style
    }

    /// The type of property `wire` of the struct `ty` names, through aliases.
    fn property_type(&self, ty: &Type, wire: &str) -> Option<Type> {
        let mut ty = ty;
        // Bounded like `shape`: lowering makes alias cycles newtypes, but a bound costs nothing.
        for _ in 0..16 {
            match ty {
                Type::Nullable(inner) | Type::Boxed(inner) => ty = inner,
                Type::Named(name) => match &self.type_named(name)?.kind {
                    TypeKind::Struct(fields) => {
                        return fields.iter().find(|f| f.wire == wire).map(|f| f.ty.clone());
                    }
                    TypeKind::Alias(aliased) => ty = aliased,
                    _ => return None,
                },
                _ => return None,
            }
        }
        None
    }

    /// The shape of a parameter's values, as the style rules see it.
    fn shape(&self, ty: &Type, depth: usize) -> Shape {
        match ty {
            Type::Nullable(inner) => self.shape(inner, depth),
            Type::Vec(item) => match self.shape(item, depth + 1) {
                Shape::Primitive => Shape::Array,
                _ => Shape::Nested,
            },
            Type::Map(value) => match self.shape(value, depth + 1) {
                Shape::Primitive => Shape::Object,
                _ => Shape::Nested,
            },
            Type::Named(name) if depth < 16 => match self.type_named(name).map(|d| &d.kind) {
                Some(TypeKind::Alias(aliased)) => self.shape(aliased, depth + 1),
                Some(TypeKind::Struct(fields)) => {
                    let nested = fields
                        .iter()
                        .any(|f| self.shape(&f.ty, depth + 1) != Shape::Primitive);
                    if nested { Shape::Nested } else { Shape::Object }
                }
                Some(TypeKind::Union { variants, .. }) => {
                    // Whichever variant the value is, it is sent in its own shape, so
                    // `oneOf: [string, string[]]` has a serialization for every value.
                    let shapes: Vec<Shape> = variants
                        .iter()
                        .map(|v| self.shape(&v.ty, depth + 1))
                        .collect();
                    let first = shapes.first().copied().unwrap_or(Shape::Primitive);
                    if shapes.contains(&Shape::Nested) {
                        Shape::Nested
                    } else if shapes.iter().all(|s| *s == first) {
                        first
                    } else {
                        Shape::Mixed
                    }
                }
                _ => Shape::Primitive,
            },
            _ => Shape::Primitive,
        }
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
                    for reserved in names::RESERVED_BUILDER {
                        namespace.reserve(reserved);
                    }
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
                            style: Style::Simple,
                            explode: false,
                            allow_reserved: false,
                            json: false,
                            sample: Some(serde_json::Value::String("value".to_owned())),
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
        let request_body = op.request_body.as_ref()?;
        let body_pointer = format!("{pointer}/requestBody");
        // Where the body's raw text is, for what the parsed form cannot tell (an absent
        // `explode`): the component a `$ref` names, or the operation's own.
        let source_pointer = match request_body {
            ReferenceOr::Reference { reference } => reference.trim_start_matches('#').to_owned(),
            ReferenceOr::Item(_) => body_pointer.clone(),
        };
        let body = self.deref(
            request_body,
            &body_pointer,
            (
                "request body",
                "a body",
                "the operation is generated without a body",
            ),
        )?;
        let chosen = body
            .content
            .iter()
            .find(|(m, _)| is_json(m))
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
        let media_pointer = format!("{body_pointer}/content/{}", escape(media_type));
        let schema_pointer = format!("{media_pointer}/schema");
        let essence = essence(media_type);
        let (kind, sent_as) = match (essence.as_str(), &media.schema) {
            ("multipart/form-data", Some(schema)) => {
                let name = self.claim_type(&format!("{type_prefix} Multipart"), &schema_pointer);
                let fields = self.multipart_fields(&name, schema, &schema_pointer);
                let parts = fields
                    .into_iter()
                    .map(|field| {
                        let part = self.part(&field, media.encoding.get(&field.wire));
                        (field, part)
                    })
                    .collect();
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
                    kind: TypeKind::Multipart(parts),
                });
                (BodyKind::Multipart(name), media_type.clone())
            }
            ("application/x-www-form-urlencoded", Some(schema)) => {
                let ty =
                    self.type_of_ref_or(schema, &format!("{type_prefix}Form"), &schema_pointer);
                let source = format!("{source_pointer}/content/{}/encoding", escape(media_type));
                let encodings = self.form_encodings(&media.encoding, &source, &ty);
                (BodyKind::Form(ty, encodings), media_type.clone())
            }
            (_, Some(schema))
                if is_json(&essence)
                    || (is_wildcard(&essence) && !self.is_string_schema(schema)) =>
            {
                let ty =
                    self.type_of_ref_or(schema, &format!("{type_prefix}Body"), &schema_pointer);
                let sent_as = if is_wildcard(&essence) {
                    "application/json".to_owned()
                } else {
                    media_type.clone()
                };
                (BodyKind::Json(ty), sent_as)
            }
            (_, None) if is_json(&essence) => (BodyKind::Json(Type::Json), media_type.clone()),
            (e, schema)
                if e.starts_with("text/")
                    && !schema.as_ref().is_some_and(|s| self.is_binary_schema(s)) =>
            {
                let sent_as = if e == "text/*" {
                    "text/plain".to_owned()
                } else {
                    media_type.clone()
                };
                (BodyKind::Text, sent_as)
            }
            _ => {
                // A media range cannot be a `Content-Type`; bytes of unknown type are octets.
                let sent_as = if essence.contains('*') {
                    "application/octet-stream".to_owned()
                } else {
                    media_type.clone()
                };
                (BodyKind::Bytes, sent_as)
            }
        };
        let sample = self.sample_of(&format!("{source_pointer}/content/{}", escape(media_type)));
        Some(Body {
            kind,
            required: body.required,
            media_type: sent_as,
            sample,
        })
    }

    /// The Encoding Objects of a form body that differ from the default (`form`, exploded).
    fn form_encodings(
        &mut self,
        encodings: &indexmap::IndexMap<String, openapiv3::Encoding>,
        source: &str,
        body: &Type,
    ) -> Vec<FormEncoding> {
        let mut out = Vec::new();
        for (property, encoding) in encodings {
            let style = match encoding.style {
                None | Some(QueryStyle::Form) => Style::Form,
                Some(QueryStyle::SpaceDelimited) => Style::SpaceDelimited,
                Some(QueryStyle::PipeDelimited) => Style::PipeDelimited,
                Some(QueryStyle::DeepObject) => Style::DeepObject,
            };
            let style = match self.property_type(body, property) {
                Some(ty) => {
                    let pointer = format!("{source}/{}", escape(property));
                    self.check_style(&ty, style, &format!("form property `{property}`"), &pointer)
                }
                None => style,
            };
            // The parsed `explode` is false when absent; OpenAPI's default is true for `form`.
            let explicit = self
                .doc
                .raw(&format!("{source}/{}/explode", escape(property)))
                .and_then(serde_json::Value::as_bool);
            let explode = explicit.unwrap_or(style == Style::Form);
            if style == Style::Form && explode && !encoding.allow_reserved {
                continue;
            }
            out.push(FormEncoding {
                wire: property.clone(),
                style,
                explode,
                allow_reserved: encoding.allow_reserved,
            });
        }
        out
    }

    /// How a multipart property becomes parts (OpenAPI 3.0.3, "Special Considerations for
    /// `multipart` Content"): files as octets, primitives as text, anything else as JSON; an
    /// array as one part per item.
    fn part(&mut self, field: &crate::ir::Field, encoding: Option<&openapiv3::Encoding>) -> Part {
        let (item, repeated) = match &field.ty {
            Type::Vec(item) => (item.as_ref(), true),
            other => (other, false),
        };
        let kind = if *item == Type::Binary {
            PartKind::File
        } else if self.shape(item, 0) == Shape::Primitive {
            PartKind::Text
        } else {
            PartKind::Json
        };
        // A list or a range (`image/png, image/jpeg`, `image/*`) says what is accepted, not
        // what to send: the upload's own content type, or the default, is sent then.
        let content_type = encoding
            .and_then(|e| e.content_type.as_deref())
            .map(str::trim)
            .filter(|c| !c.contains(',') && !c.contains('*'))
            .map(str::to_owned);
        Part {
            kind,
            content_type,
            repeated,
        }
    }

    fn responses(
        &mut self,
        op: &Op,
        type_prefix: &str,
        pointer: &str,
    ) -> (Vec<Response>, Vec<Response>, Option<String>) {
        let mut variants = Namespace::default();
        let mut success = Vec::new();
        let mut errors = Vec::new();
        let mut accepted: Vec<String> = Vec::new();
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
            let variant = variants
                .claim(names::camel(&status_name(status)), &key)
                .name;
            let context = format!("{type_prefix}Response{}", names::camel(&key));
            let body = self.response_body(&response, &context, &response_pointer, &mut accepted);
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
            // OpenAPI 3.0.3, Responses Object: `default` covers every status not listed, so
            // with no 2xx listed it describes the successes too.
            match errors.iter().find(|r| r.status == Status::Default) {
                Some(default) => success.push(Response {
                    status: Status::Range(2),
                    variant: "Success".to_owned(),
                    body: default.body.clone(),
                    description: default.description.clone(),
                }),
                None => {
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
            }
        }
        let accept = (!accepted.is_empty()).then(|| accepted.join(", "));
        (success, errors, accept)
    }

    /// A response's body as the client reads it, and the media types it reads it in (added to
    /// `accepted`, for the `Accept` header).
    ///
    /// JSON media types (`application/json`, every `+json`, and `*/*` with a non-string
    /// schema) are decoded; `text/*` is text; anything else is bytes. When a status has a JSON
    /// form, its other forms (XML, say) are not read: the client asks for JSON. JSON forms with
    /// different schemas are told apart by the response's `Content-Type`.
    fn response_body(
        &mut self,
        response: &openapiv3::Response,
        context: &str,
        pointer: &str,
        accepted: &mut Vec<String>,
    ) -> ResponseBody {
        if response.content.is_empty() {
            return ResponseBody::Empty;
        }
        let mut json = Vec::new();
        let mut others = Vec::new();
        for (media_type, media) in &response.content {
            let essence = essence(media_type);
            let schema = media.schema.as_ref();
            let decodes = is_json(&essence)
                || (is_wildcard(&essence) && schema.is_some_and(|s| !self.is_string_schema(s)));
            if decodes {
                json.push((media_type, essence, schema));
            } else if essence.starts_with("text/")
                && !schema.is_some_and(|s| self.is_binary_schema(s))
            {
                others.push((essence, ResponseBody::Text));
            } else {
                others.push((essence, ResponseBody::Bytes));
            }
        }
        if json.is_empty() {
            let body = if others.iter().all(|(_, b)| *b == ResponseBody::Text) {
                ResponseBody::Text
            } else {
                ResponseBody::Bytes
            };
            for (essence, _) in others {
                accept(accepted, essence);
            }
            return body;
        }
        // The most specific media type first, so a `Content-Type` finds its own entry before
        // a range that also matches it (OpenAPI 3.0.3, Response Object: "only the most
        // specific key is applicable").
        json.sort_by_key(|(_, essence, _)| specificity(essence));
        let mut variants = Vec::new();
        let mut variant_names = Namespace::default();
        for (i, (media_type, essence, schema)) in json.iter().enumerate() {
            let ty = match schema {
                Some(schema) => {
                    let context = if i == 0 {
                        context.to_owned()
                    } else {
                        format!("{context} {}", media_name(essence))
                    };
                    let schema_pointer = format!("{pointer}/content/{}/schema", escape(media_type));
                    self.type_of_ref_or(schema, &context, &schema_pointer)
                }
                None => Type::Json,
            };
            accept(accepted, essence.clone());
            variants.push(MediaVariant {
                name: variant_names.claim(media_name(essence), essence).name,
                media_type: essence.clone(),
                body: ResponseBody::Json(ty),
            });
        }
        let first = variants
            .first()
            .map(|v| v.body.clone())
            .unwrap_or(ResponseBody::Empty);
        if variants.iter().all(|v| v.body == first) {
            return first;
        }
        let name = self.claim_type(&format!("{context} Body"), pointer);
        ResponseBody::ByContentType { name, variants }
    }

    /// Whether a schema (following `$ref`s) is a string: such a body under `*/*` is a file.
    fn is_string_schema(&self, schema: &ReferenceOr<openapiv3::Schema>) -> bool {
        match self.deref_schema(schema, "") {
            Some((schema, _)) => matches!(
                schema.schema_kind,
                SchemaKind::Type(openapiv3::Type::String(_))
            ),
            None => false,
        }
    }

    /// Whether a schema is `type: string, format: binary`: octets, whatever the media type.
    fn is_binary_schema(&self, schema: &ReferenceOr<openapiv3::Schema>) -> bool {
        match self.deref_schema(schema, "") {
            Some((schema, _)) => matches!(
                &schema.schema_kind,
                SchemaKind::Type(openapiv3::Type::String(s))
                    if matches!(s.format, openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary))
            ),
            None => false,
        }
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

/// The shape of a parameter's values: what the style rules can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Primitive,
    Array,
    Object,
    /// Arrays or objects inside the items or properties.
    Nested,
    /// A union whose variants have different shapes, none nested: each value is sent in
    /// its own.
    Mixed,
}

/// The `style` value as the spec writes it.
fn style_name(style: Style) -> &'static str {
    match style {
        Style::Simple => "simple",
        Style::Label => "label",
        Style::Matrix => "matrix",
        Style::Form => "form",
        Style::SpaceDelimited => "spaceDelimited",
        Style::PipeDelimited => "pipeDelimited",
        Style::DeepObject => "deepObject",
    }
}

/// A media range (`*/*`, `application/*`): the body's type is whatever the server sends.
fn is_wildcard(essence: &str) -> bool {
    essence == "*/*" || essence == "application/*"
}

/// Exact media types before ranges of a type (`text/*`) before `*/*`.
fn specificity(essence: &str) -> u8 {
    if essence == "*/*" {
        2
    } else if essence.ends_with("/*") {
        1
    } else {
        0
    }
}

/// A variant name for a media type, after its subtype: `application/scim+json` is `ScimJson`.
fn media_name(essence: &str) -> String {
    match essence.split_once('/') {
        Some((_, "*")) | None => "Any".to_owned(),
        Some((_, subtype)) => names::camel(subtype),
    }
}

/// Adds a media type to the `Accept` list once.
fn accept(accepted: &mut Vec<String>, essence: String) {
    if !accepted.contains(&essence) {
        accepted.push(essence);
    }
}
