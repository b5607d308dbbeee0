//! Stage 3: lower the parsed document into the intermediate model of types and operations.
//!
//! Everything the generator cannot express exactly becomes a warning with its JSON pointer
//! and a safe fallback (`serde_json::Value`, raw bytes); nothing is dropped without a word.

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind, VariantOrUnknownOrEmpty};

use crate::diag::{Diagnostics, escape};
use crate::ir::{Api, Deprecation, Doc, HeaderField, Server, ServerVariable, TypeDef, TypeKind};
use crate::names::{self, Namespace};
use crate::resolve::Document;

mod body_path;
mod complexity;
mod components;
mod cycles;
mod discriminator;
mod operations;
mod pagination;
mod properties;
mod samples;
mod schemas;
mod security;
mod sizes;
mod usage;

pub fn lower(doc: &Document, diags: &mut Diagnostics) -> Option<Api> {
    let mut lowerer = Lowerer {
        doc,
        api: &doc.api,
        diags,
        types: Vec::new(),
        type_names: Namespace::default(),
        schema_names: BTreeMap::new(),
        type_index: BTreeMap::new(),
        inline_types: BTreeMap::new(),
        response_headers: Vec::new(),
        header_names: Namespace::default(),
    };
    for name in names::RESERVED_TYPES {
        lowerer.type_names.reserve(name);
    }
    Some(lowerer.run())
}

struct Lowerer<'a, 'd> {
    doc: &'a Document,
    api: &'a OpenAPI,
    diags: &'d mut Diagnostics,
    types: Vec<TypeDef>,
    type_names: Namespace,
    /// Component schema key to its Rust type name.
    schema_names: BTreeMap<String, String>,
    /// Rust type name to its index in `types`.
    type_index: BTreeMap<String, usize>,
    /// Pointer of an inline schema to the type made for it.
    inline_types: BTreeMap<String, String>,
    /// Response headers met so far, and the names their fields took.
    response_headers: Vec<HeaderField>,
    header_names: Namespace,
}

impl Lowerer<'_, '_> {
    fn run(mut self) -> Api {
        let api = self.api;
        let schemas = api.components.as_ref().map(|c| &c.schemas);
        for key in schemas.into_iter().flat_map(|s| s.keys()) {
            let pointer = format!("/components/schemas/{}", escape(key));
            let name = self.claim_type(key, &pointer);
            self.schema_names.insert(key.clone(), name);
        }
        let hierarchies = self.hierarchies();
        let children: std::collections::BTreeSet<&String> = hierarchies
            .values()
            .flat_map(|h| h.children.iter().map(|(key, _)| key))
            .collect();
        for (key, schema) in schemas.into_iter().flatten() {
            let pointer = format!("/components/schemas/{}", escape(key));
            let name = self.schema_names.get(key).cloned().unwrap_or_default();
            match schema {
                ReferenceOr::Item(schema) => match hierarchies.get(key) {
                    Some(hierarchy) => {
                        self.define_hierarchy(key, name, schema, &pointer, hierarchy)
                    }
                    None if children.contains(key) && !schemas::needs_definition(schema) => {
                        self.define_struct(name, schema, &pointer)
                    }
                    None => self.define(name, schema, &pointer),
                },
                ReferenceOr::Reference { .. } => {
                    let ty = self.type_of_ref_or(schema, &name, &pointer);
                    self.push_type(TypeDef {
                        name,
                        doc: Doc::default(),
                        kind: TypeKind::Alias(ty),
                    });
                }
            }
        }
        let (security_schemes, token_argument) = self.security_schemes();
        let mut operations = self.operations(&security_schemes);
        discriminator::mark_added_tags(&mut self.types);
        self.name_complex_types(&mut operations);
        cycles::break_recursion(&mut self.types);
        sizes::box_large_variants(&mut self.types, &mut operations);
        let builders = usage::builders(&self.types, &operations);
        let server = self.server();
        let server_variables_name = server
            .as_ref()
            .filter(|s| !s.variables.is_empty())
            .map(|_| self.claim_type("Server Variables", "/servers/0/variables"));
        let response_headers_name = (!self.response_headers.is_empty())
            .then(|| self.claim_type("Response Headers", "/paths"));
        Api {
            title: api.info.title.clone(),
            description: api.info.description.clone(),
            version: api.info.version.clone(),
            server,
            server_variables_name,
            security_schemes,
            token_argument,
            builders,
            response_headers: self.response_headers,
            response_headers_name,
            types: self.types,
            operations,
        }
    }

    /// The first server: its URL template and variables (OpenAPI 3.0.3, Server Object).
    fn server(&mut self) -> Option<Server> {
        let server = self.api.servers.first()?;
        let mut variables = Vec::new();
        let mut names = Namespace::default();
        for (wire, variable) in server.variables.iter().flatten() {
            variables.push(ServerVariable {
                name: names.claim(names::snake(wire), wire).name,
                wire: wire.clone(),
                default: variable.default.clone(),
                values: variable.enumeration.clone(),
                doc: Doc {
                    text: variable.description.clone(),
                    ..Doc::default()
                },
            });
        }
        let mut url = server.url.trim_end_matches('/').to_owned();
        let mut rest = url.as_str();
        let mut undeclared = Vec::new();
        while let Some(start) = rest.find('{') {
            let Some(len) = rest.get(start..).and_then(|r| r.find('}')) else {
                break;
            };
            let name = rest.get(start + 1..start + len).unwrap_or_default();
            if !variables.iter().any(|v| v.wire == name) && !undeclared.contains(&name) {
                undeclared.push(name);
            }
            rest = rest.get(start + len + 1..).unwrap_or_default();
        }
        let undeclared: Vec<String> = undeclared.into_iter().map(str::to_owned).collect();
        for name in undeclared {
            self.warn("/servers/0/url", format!("the server URL has `{{{name}}}` but `variables` does not declare it; it is left out of the URL"), format!("declare `{name}` under `servers[0].variables` with a `default`"));
            url = url.replace(&format!("{{{name}}}"), "");
        }
        let mut with_defaults = url.clone();
        for variable in &variables {
            with_defaults =
                with_defaults.replace(&format!("{{{}}}", variable.wire), &variable.default);
        }
        // RFC 3986, section 3.1: a scheme, then `://` and a host.
        let scheme_len = with_defaults.find("://").unwrap_or(0);
        let absolute = scheme_len > 0
            && with_defaults.get(..scheme_len).is_some_and(|scheme| {
                scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                    && scheme
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            });
        Some(Server {
            url,
            absolute,
            variables,
        })
    }

    /// Adds a type; returns its index.
    fn push_type(&mut self, def: TypeDef) -> usize {
        let index = self.types.len();
        self.type_index.insert(def.name.clone(), index);
        self.types.push(def);
        index
    }

    fn type_named(&self, name: &str) -> Option<&TypeDef> {
        self.type_index.get(name).and_then(|i| self.types.get(*i))
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>, help: impl Into<String>) {
        let at = self.doc.locate(pointer);
        self.diags.warning(&at, message, help);
    }

    fn claim_type(&mut self, original: &str, pointer: &str) -> String {
        let claimed = self.type_names.claim(names::camel(original), original);
        if let Some(first) = claimed.collided_with {
            self.warn(
                pointer,
                format!("`{original}` and `{first}` both become the Rust type name `{}`; this one is named `{}`", names::camel(original), claimed.name),
                "rename one of them in the spec to choose the names yourself",
            );
        }
        claimed.name
    }
}

fn schema_doc(schema: &Schema) -> Doc {
    let data = &schema.schema_data;
    let format = match &schema.schema_kind {
        SchemaKind::Type(openapiv3::Type::String(s)) => match &s.format {
            VariantOrUnknownOrEmpty::Item(f) => Some(format!("{f:?}")),
            VariantOrUnknownOrEmpty::Unknown(f) => Some(f.clone()),
            VariantOrUnknownOrEmpty::Empty => None,
        },
        _ => None,
    };
    Doc {
        text: data.description.clone().or_else(|| data.title.clone()),
        example: data.example.as_ref().map(|e| e.to_string()),
        format: format.map(|f| heck::ToKebabCase::to_kebab_case(f.as_str())),
        deprecated: deprecation(data.deprecated, data.description.as_deref()),
    }
}

/// The deprecation of an item marked `deprecated: true`: the reason is the first sentence of
/// its description that speaks of it ("Deprecated: use `fullName`."), if any.
pub(crate) fn deprecation(deprecated: bool, description: Option<&str>) -> Option<Deprecation> {
    if !deprecated {
        return None;
    }
    let note = description.and_then(|text| {
        sentences(text)
            .find(|sentence| sentence.to_ascii_lowercase().contains("deprecat"))
            .map(str::to_owned)
    });
    Some(Deprecation { note })
}

/// The sentences of a text: each ends at a line break, or at a `.`, `!` or `?` followed by
/// white space (so a URL's dots do not end one).
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let mut chars = rest.char_indices().peekable();
        let end = loop {
            match chars.next() {
                None => break rest.len(),
                Some((i, '\n')) => break i + 1,
                Some((i, '.' | '!' | '?')) => {
                    if chars.peek().is_none_or(|(_, next)| next.is_whitespace()) {
                        break i + 1;
                    }
                }
                Some(_) => {}
            }
        };
        let (sentence, after) = rest.split_at(end);
        rest = after;
        (!sentence.is_empty()).then_some(sentence.trim())
    })
    .filter(|sentence| !sentence.is_empty())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::deprecation;

    #[test]
    fn the_note_is_the_sentence_about_the_deprecation() {
        let note = |text: &str| deprecation(true, Some(text)).unwrap().note;
        assert_eq!(
            note("The name. Deprecated since v2, see https://a.io/v2.html. Use `fullName`."),
            Some("Deprecated since v2, see https://a.io/v2.html.".to_owned())
        );
        assert_eq!(
            note("Old.\nDEPRECATED - use v3\nMore."),
            Some("DEPRECATED - use v3".to_owned())
        );
        assert_eq!(note("No reason given."), None);
        assert_eq!(deprecation(false, Some("Deprecated.")), None);
    }
}
