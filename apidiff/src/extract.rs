//! The public API of a generated crate, read from its sources with `syn`:
//! - its public types: fields, variants, aliases, the traits they derive or implement;
//! - its operations: each `Client` method that returns a request builder, with the builder's
//!   setters (the optional values) and its other methods (`send`, per-request options);
//! - the other public methods (`Client::new`, `RetryPolicy::standard`, ...).
//!
//! Types are written as users write them (see [`normalise`]): a path the generator spells out
//! in full (`crate::types::Pet`, `::std::option::Option`) reads `Pet`, `Option`, so a change of
//! path alone is no change. "Public" follows the crate root: an item of a private module counts
//! when `lib.rs` re-exports it (`pub use client::*`).

use proc_macro2::{Group, Ident, Punct, Spacing, TokenStream, TokenTree};
use quote::ToTokens;
use std::collections::{BTreeMap, BTreeSet};
use syn::{Attribute, Fields, FnArg, ImplItem, Item, ReturnType, Type, UseTree, Visibility};

/// The public API: types, operations and other methods by name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Api {
    /// Public types by name (request builders are part of their operation instead).
    pub types: BTreeMap<String, TypeDef>,
    /// Operations by `Client` method name: `list_pets`.
    pub operations: BTreeMap<String, Operation>,
    /// Other public methods of public types: `Client::new`, `Upload::with_file_name`.
    pub methods: BTreeMap<String, Method>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TypeDef {
    pub shape: Shape,
    /// The traits it derives or implements, by name: `Clone`, `Default`, `Display`.
    pub traits: BTreeSet<String>,
    /// `#[non_exhaustive]`: users cannot build it with a literal nor match it exhaustively.
    pub non_exhaustive: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// Named public fields: name to type.
    Struct(BTreeMap<String, String>),
    /// A tuple struct: its public field types.
    Tuple(Vec<String>),
    /// Variants: name to payload (`(BadRequestDto)`, `{ a: String }`, or empty).
    Enum(BTreeMap<String, String>),
    Alias(String),
}

impl TypeDef {
    pub fn kind(&self) -> &'static str {
        match self.shape {
            Shape::Struct(_) | Shape::Tuple(_) => "struct",
            Shape::Enum(_) => "enum",
            Shape::Alias(_) => "type alias",
        }
    }

    /// The type texts it holds (field types, payloads, the aliased type).
    fn parts(&self) -> Vec<&str> {
        match &self.shape {
            Shape::Struct(fields) | Shape::Enum(fields) => {
                fields.values().map(String::as_str).collect()
            }
            Shape::Tuple(types) => types.iter().map(String::as_str).collect(),
            Shape::Alias(ty) => vec![ty.as_str()],
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Method {
    /// `self`, `&self`, `&mut self`; `None` for an associated function.
    pub receiver: Option<String>,
    pub is_async: bool,
    /// (name, type), the receiver left out.
    pub params: Vec<(String, String)>,
    pub output: String,
}

/// An operation: `client.list_pets(required...)`, then setters, then `.send().await`.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// The request builder's type: `ListPets`.
    pub builder: String,
    /// The `Client` method's arguments in order, `impl Into<T>` as `T`: the required values.
    pub required: Vec<(String, String)>,
    /// The builder's setters, each with the type it takes (`impl Into<T>` as `T`): the
    /// optional values. A setter is a method `name(self, value) -> Self` backed by a field of
    /// the builder of the same name; per-request options write elsewhere and are not setters.
    pub optional: BTreeMap<String, String>,
    /// The builder's other public methods: `send`, per-request options, and any other.
    pub methods: BTreeMap<String, Method>,
    /// The traits the builder implements: `IntoFuture`, `Clone`, ...
    pub traits: BTreeSet<String>,
}

impl Operation {
    /// `T` and `E` of what `send` returns, `Result<Response<T>, Error<E>>`, when it has that
    /// shape.
    pub fn outcome(&self) -> Option<(&str, &str)> {
        let output = &self.methods.get("send")?.output;
        let [ok, err] = generic_args(output, "Result")?.try_into().ok()?;
        let [success] = generic_args(ok, "Response")?.try_into().ok()?;
        let [error] = generic_args(err, "Error")?.try_into().ok()?;
        Some((success, error))
    }
}

/// The module an item lives in ("" for the crate root) and its name.
type Key = (String, String);

/// An item as read, before deciding what the API is made of.
struct Def {
    module: String,
    name: String,
    public: bool,
    def: TypeDef,
    /// Every named field, public or not: a builder's setters are backed by one.
    all_fields: BTreeSet<String>,
    methods: Vec<(String, Method)>,
}

/// Reads the public items of the crate's source files (path, text).
pub fn extract(files: &[(String, String)]) -> Result<Api, String> {
    let mut parsed = Vec::new();
    for (path, text) in files {
        let file = syn::parse_file(text).map_err(|err| format!("{path}: {err}"))?;
        parsed.push((module_of(path), file));
    }
    let root = Exports::of(parsed.iter().find(|(m, _)| m.is_empty()).map(|(_, f)| f));
    let mut defs: Vec<Def> = Vec::new();
    let mut impls = Vec::new();
    for (module, file) in &parsed {
        for item in &file.items {
            let (name, vis, attrs, shape, all_fields) = match item {
                Item::Struct(item) => {
                    let all_fields = item
                        .fields
                        .iter()
                        .filter_map(|f| Some(f.ident.as_ref()?.to_string()))
                        .collect();
                    let shape = match &item.fields {
                        Fields::Unnamed(unnamed) => Shape::Tuple(
                            unnamed
                                .unnamed
                                .iter()
                                .filter(|f| public(&f.vis))
                                .map(|f| show(&f.ty))
                                .collect(),
                        ),
                        fields => Shape::Struct(
                            fields
                                .iter()
                                .filter(|f| public(&f.vis))
                                .filter_map(|f| Some((f.ident.as_ref()?.to_string(), show(&f.ty))))
                                .collect(),
                        ),
                    };
                    (&item.ident, &item.vis, &item.attrs, shape, all_fields)
                }
                Item::Enum(item) => {
                    let variants = item
                        .variants
                        .iter()
                        .map(|v| (v.ident.to_string(), payload(&v.fields)))
                        .collect();
                    let shape = Shape::Enum(variants);
                    (&item.ident, &item.vis, &item.attrs, shape, BTreeSet::new())
                }
                Item::Type(item) => {
                    let shape = Shape::Alias(show(&item.ty));
                    (&item.ident, &item.vis, &item.attrs, shape, BTreeSet::new())
                }
                Item::Impl(item) => {
                    impls.push((module.clone(), item));
                    continue;
                }
                _ => continue,
            };
            let name = name.to_string();
            defs.push(Def {
                public: public(vis) && root.exports(module, &name),
                module: module.clone(),
                def: TypeDef {
                    shape,
                    traits: derives(attrs),
                    non_exhaustive: attrs.iter().any(|a| a.path().is_ident("non_exhaustive")),
                },
                name,
                all_fields,
                methods: Vec::new(),
            });
        }
    }
    for (module, item) in impls {
        let Some(owner) = path_of(&item.self_ty).and_then(|p| resolve(&defs, &module, &p)) else {
            continue;
        };
        let Some(def) = defs.get_mut(owner) else {
            continue;
        };
        if let Some((trait_path, _)) = &item.trait_ {
            if let Some(last) = trait_path.segments.last() {
                def.def.traits.insert(last.ident.to_string());
            }
            continue;
        }
        for item in &item.items {
            if let ImplItem::Fn(function) = item
                && public(&function.vis)
            {
                def.methods
                    .push((function.sig.ident.to_string(), method(&function.sig)));
            }
        }
    }
    Ok(assemble(&defs, &parsed))
}

/// Splits what was read into operations (with their builders), types and other methods.
fn assemble(defs: &[Def], parsed: &[(String, syn::File)]) -> Api {
    // Operations: the `Client` methods whose return type is a builder, found from the
    // signature's path (`crate::requests::ListPets<'_>`), as the compiler would.
    let mut builders = BTreeSet::new();
    let mut operations = BTreeMap::new();
    let mut client_operations = BTreeSet::new();
    let client_impls = parsed.iter().flat_map(|(module, file)| {
        file.items.iter().filter_map(move |item| match item {
            Item::Impl(item) if item.trait_.is_none() => Some((module, item)),
            _ => None,
        })
    });
    for (module, item) in client_impls {
        let owner = path_of(&item.self_ty).and_then(|p| resolve(defs, module, &p));
        if owner.and_then(|i| defs.get(i)).map(|d| d.name.as_str()) != Some("Client") {
            continue;
        }
        for item in &item.items {
            let ImplItem::Fn(function) = item else {
                continue;
            };
            let ReturnType::Type(_, returned) = &function.sig.output else {
                continue;
            };
            let builder = path_of(returned)
                .and_then(|p| resolve(defs, module, &p))
                .and_then(|i| Some((i, defs.get(i)?)))
                .filter(|(_, d)| is_builder(d));
            let (Some((index, builder)), true) = (builder, public(&function.vis)) else {
                continue;
            };
            let name = function.sig.ident.to_string();
            let required = method(&function.sig)
                .params
                .into_iter()
                .map(|(param, ty)| (param, into_target(ty)))
                .collect();
            operations.insert(name.clone(), operation(builder, required));
            builders.insert(index);
            client_operations.insert(name);
        }
    }
    let mut api = Api {
        operations,
        ..Api::default()
    };
    for (index, def) in defs.iter().enumerate() {
        if !def.public || builders.contains(&index) {
            continue;
        }
        let name = if api.types.contains_key(&def.name) {
            format!("{}::{}", def.module, def.name)
        } else {
            def.name.clone()
        };
        for (method_name, method) in &def.methods {
            if def.name == "Client" && client_operations.contains(method_name) {
                continue;
            }
            api.methods
                .insert(format!("{name}::{method_name}"), method.clone());
        }
        api.types.insert(name, def.def.clone());
    }
    api
}

/// A struct with a `send` method, or one of the `requests` module.
fn is_builder(def: &Def) -> bool {
    matches!(def.def.shape, Shape::Struct(_))
        && (def.module == "requests" || def.methods.iter().any(|(name, _)| name == "send"))
}

fn operation(builder: &Def, required: Vec<(String, String)>) -> Operation {
    let mut optional = BTreeMap::new();
    let mut methods = BTreeMap::new();
    for (name, method) in &builder.methods {
        let by_value = method.receiver.as_deref() == Some("self");
        let returns_self = method.output == "Self"
            || method.output == builder.name
            || method.output.starts_with(&format!("{}<", builder.name));
        match method.params.as_slice() {
            [(_, ty)] if by_value && returns_self && builder.all_fields.contains(name) => {
                optional.insert(name.clone(), into_target(ty.clone()));
            }
            _ => {
                methods.insert(name.clone(), method.clone());
            }
        }
    }
    Operation {
        builder: builder.name.clone(),
        required,
        optional,
        methods,
        traits: builder.def.traits.clone(),
    }
}

/// What the crate root makes public: its `mod` items and its `pub use` re-exports.
struct Exports {
    /// No crate root among the files: every `pub` item counts.
    known: bool,
    /// Module name to whether it is `pub mod`.
    modules: BTreeMap<String, bool>,
    /// (module, name) re-exported; name `*` for a glob.
    uses: BTreeSet<Key>,
}

impl Exports {
    fn of(root: Option<&syn::File>) -> Exports {
        let mut exports = Exports {
            known: root.is_some(),
            modules: BTreeMap::new(),
            uses: BTreeSet::new(),
        };
        for item in root.map(|f| f.items.as_slice()).unwrap_or_default() {
            match item {
                Item::Mod(item) => {
                    exports
                        .modules
                        .insert(item.ident.to_string(), public(&item.vis));
                }
                Item::Use(item) if public(&item.vis) => {
                    exports.collect(&item.tree, &mut Vec::new());
                }
                _ => {}
            }
        }
        exports
    }

    fn collect(&mut self, tree: &UseTree, prefix: &mut Vec<String>) {
        match tree {
            UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                self.collect(&path.tree, prefix);
                prefix.pop();
            }
            UseTree::Name(name) => self.add(prefix, name.ident.to_string()),
            UseTree::Rename(rename) => self.add(prefix, rename.ident.to_string()),
            UseTree::Glob(_) => self.add(prefix, "*".to_owned()),
            UseTree::Group(group) => {
                for tree in &group.items {
                    self.collect(tree, prefix);
                }
            }
        }
    }

    /// `name` (or `*`) of the module `prefix` names, re-exported.
    fn add(&mut self, prefix: &[String], name: String) {
        if let Some(module) = prefix
            .iter()
            .find(|s| !matches!(s.as_str(), "crate" | "self"))
        {
            self.uses.insert((module.clone(), name));
        }
    }

    /// Whether a `pub` item `name` of `module` can be named from outside the crate.
    fn exports(&self, module: &str, name: &str) -> bool {
        !self.known
            || module.is_empty()
            || self.modules.get(module).is_none_or(|public| *public)
            || self.uses.contains(&(module.to_owned(), "*".to_owned()))
            || self.uses.contains(&(module.to_owned(), name.to_owned()))
    }
}

/// `src/types.rs` is module `types`; `src/lib.rs` is the root ("").
fn module_of(path: &str) -> String {
    let stem = std::path::Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if matches!(stem.as_str(), "lib" | "main") {
        String::new()
    } else {
        stem
    }
}

/// The segments of a path type, `crate`/`self`/`super` and generics left out:
/// `crate::requests::ListPets<'_>` is `["requests", "ListPets"]`.
fn path_of(ty: &Type) -> Option<Vec<String>> {
    let Type::Path(path) = ty else {
        return None;
    };
    Some(
        path.path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .filter(|s| !matches!(s.as_str(), "crate" | "self" | "super"))
            .collect(),
    )
}

/// The item a path names, seen from `module`: `requests::ListPets` is that module's; a bare
/// `ListPets` is the current module's, else the only one of that name.
fn resolve(defs: &[Def], module: &str, path: &[String]) -> Option<usize> {
    let (name, within) = match path {
        [.., within, name] => (name, within.as_str()),
        [name] => (name, module),
        [] => return None,
    };
    defs.iter()
        .position(|d| &d.name == name && d.module == within)
        .or_else(|| defs.iter().position(|d| &d.name == name))
}

fn public(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn method(sig: &syn::Signature) -> Method {
    let mut receiver = None;
    let mut params = Vec::new();
    for arg in &sig.inputs {
        match arg {
            FnArg::Receiver(r) => {
                receiver = Some(match &r.kind {
                    syn::ReceiverKind::Reference(_, _, Some(_)) => "&mut self".to_owned(),
                    syn::ReceiverKind::Reference(..) => "&self".to_owned(),
                    syn::ReceiverKind::Typed(_, ty) => format!("self: {}", show(ty)),
                    _ => "self".to_owned(),
                });
            }
            FnArg::Typed(typed) => params.push((
                tidy(&typed.pat.to_token_stream().to_string()),
                show(&typed.ty),
            )),
        }
    }
    Method {
        receiver,
        is_async: sig.asyncness.is_some(),
        params,
        output: match &sig.output {
            ReturnType::Default => "()".to_owned(),
            ReturnType::Type(_, ty) => show(ty),
        },
    }
}

/// The traits of `#[derive(...)]` attributes, by name.
fn derives(attrs: &[Attribute]) -> BTreeSet<String> {
    let mut traits = BTreeSet::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let syn::Meta::List(list) = &attr.meta else {
            continue;
        };
        let mut last = None;
        for tree in list.tokens.clone() {
            match tree {
                TokenTree::Ident(ident) => last = Some(ident.to_string()),
                TokenTree::Punct(p) if p.as_char() == ',' => traits.extend(last.take()),
                _ => {}
            }
        }
        traits.extend(last);
    }
    traits
}

/// A variant's payload: `(BadRequestDto)`, `{ a: String, b: i64 }`, or empty.
fn payload(fields: &Fields) -> String {
    let types: Vec<String> = fields
        .iter()
        .map(|f| match &f.ident {
            Some(name) => format!("{name}: {}", show(&f.ty)),
            None => show(&f.ty),
        })
        .collect();
    match fields {
        Fields::Named(_) => format!("{{ {} }}", types.join(", ")),
        Fields::Unnamed(_) => format!("({})", types.join(", ")),
        Fields::Unit => String::new(),
    }
}

/// A type as users write it.
fn show(ty: &Type) -> String {
    tidy(&normalise(ty.to_token_stream()).to_string())
}

/// `T` for `impl Into<T>`; any other type as it is.
fn into_target(ty: String) -> String {
    match generic_args(&ty, "impl Into").as_deref() {
        Some([target]) => (*target).to_owned(),
        _ => ty,
    }
}

/// The generic arguments of `name<A, B>`, split at the top level: `["A", "B"]`.
pub fn generic_args<'a>(ty: &'a str, name: &str) -> Option<Vec<&'a str>> {
    let inner = ty
        .strip_prefix(name)?
        .strip_prefix('<')?
        .strip_suffix('>')?;
    let mut args = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '<' | '(' | '[' | '{' => depth += 1,
            '>' | ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                args.push(inner.get(start..i)?.trim());
                start = i + 1;
            }
            _ => {}
        }
        if depth < 0 {
            return None;
        }
    }
    args.push(inner.get(start..)?.trim());
    (depth == 0).then_some(args)
}

/// The names of the standard library's types users write unqualified. A crate type of one of
/// these names keeps its module (`types::Result`), so it never reads like the standard one.
const STD_NAMES: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "BTreeMap",
    "BTreeSet",
    "HashMap",
    "HashSet",
    "Duration",
    "Into",
    "From",
    "Future",
    "IntoFuture",
    "Pin",
    "Send",
    "Sync",
    "Default",
];

/// Keywords that can stand before a path (`impl ::std::convert::Into<T>`) and are not part
/// of it.
const KEYWORDS: &[&str] = &[
    "impl", "dyn", "mut", "as", "fn", "for", "where", "const", "unsafe", "extern", "async", "ref",
    "move", "in", "pub",
];

/// Every path in `tokens` written as users write it:
/// - the crate's own items by name: `crate::types::Pet` is `Pet`, `crate::Response` is
///   `Response` (one named like a standard type keeps its module: `types::Result`);
/// - the standard library's by name: `::std::option::Option` is `Option`,
///   `::std::collections::BTreeMap` is `BTreeMap`;
/// - other crates' without the leading `::`: `::serde_json::Value` is `serde_json::Value`.
pub fn normalise(tokens: TokenStream) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let colons = |i: usize| {
        matches!(
            (trees.get(i), trees.get(i + 1)),
            (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
                if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':'
        )
    };
    let mut out: Vec<TokenTree> = Vec::new();
    let mut i = 0;
    while let Some(tree) = trees.get(i) {
        let after_quote = matches!(out.last(), Some(TokenTree::Punct(p)) if p.as_char() == '\'');
        let first = if colons(i) { i + 2 } else { i };
        let path_start = match trees.get(first) {
            Some(TokenTree::Ident(ident)) if !after_quote => {
                !KEYWORDS.contains(&ident.to_string().as_str())
            }
            _ => false,
        };
        let trailing_comma = matches!(
            (tree, trees.get(i + 1)),
            (TokenTree::Punct(a), Some(TokenTree::Punct(b))) if a.as_char() == ',' && b.as_char() == '>'
        );
        if trailing_comma {
            // `Vec<T,>`, as a formatter leaves a generic list it broke over lines.
            i += 1;
            continue;
        }
        if !path_start {
            out.push(match tree {
                TokenTree::Group(group) => {
                    let mut new = Group::new(group.delimiter(), normalise(group.stream()));
                    new.set_span(group.span());
                    TokenTree::Group(new)
                }
                other => other.clone(),
            });
            i += 1;
            continue;
        }
        let mut segments: Vec<Ident> = Vec::new();
        let mut next = first;
        while let Some(TokenTree::Ident(ident)) = trees.get(next) {
            segments.push(ident.clone());
            next += 1;
            if !colons(next) || !matches!(trees.get(next + 2), Some(TokenTree::Ident(_))) {
                break;
            }
            next += 2;
        }
        for (n, segment) in short_path(&segments).into_iter().enumerate() {
            if n > 0 {
                out.push(TokenTree::Punct(Punct::new(':', Spacing::Joint)));
                out.push(TokenTree::Punct(Punct::new(':', Spacing::Alone)));
            }
            out.push(TokenTree::Ident(segment));
        }
        i = next;
    }
    out.into_iter().collect()
}

/// The segments of a path as users write it (see [`normalise`]).
fn short_path(segments: &[Ident]) -> Vec<Ident> {
    let Some(first) = segments.first().map(Ident::to_string) else {
        return Vec::new();
    };
    let last: Vec<Ident> = segments.last().cloned().into_iter().collect();
    match first.as_str() {
        "crate" | "self" | "super" => {
            let rest: Vec<Ident> = segments
                .iter()
                .filter(|s| !matches!(s.to_string().as_str(), "crate" | "self" | "super"))
                .cloned()
                .collect();
            let name = rest.last().map(Ident::to_string).unwrap_or_default();
            if STD_NAMES.contains(&name.as_str()) && rest.len() > 1 {
                rest
            } else {
                last
            }
        }
        "std" | "core" | "alloc" if segments.len() > 1 => last,
        _ => segments.to_vec(),
    }
}

/// Token text as a person writes it: `Option<Vec<String>>`, `&str`.
fn tidy(tokens: &str) -> String {
    let mut out = tokens.to_owned();
    for (from, to) in [
        (" < ", "<"),
        ("< ", "<"),
        (" <", "<"),
        (" >", ">"),
        (" ,", ","),
        (" :: ", "::"),
        (":: ", "::"),
        ("& ", "&"),
        ("( ", "("),
        (" )", ")"),
        (" :", ":"),
    ] {
        out = out.replace(from, to);
    }
    out
}

/// The type names a type text mentions: `Option<Vec<PostDto>>` mentions `Option`, `Vec`,
/// `PostDto`.
pub fn mentioned(ty: &str) -> Vec<String> {
    ty.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|word| word.starts_with(|c: char| c.is_ascii_uppercase()))
        .map(str::to_owned)
        .collect()
}

/// The types reachable from `roots` through fields, payloads and aliases.
pub fn reachable(api: &Api, roots: impl IntoIterator<Item = String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut queue: Vec<String> = roots.into_iter().collect();
    while let Some(name) = queue.pop() {
        let Some(def) = api.types.get(&name) else {
            continue;
        };
        if !seen.insert(name) {
            continue;
        }
        for part in def.parts() {
            queue.extend(mentioned(part));
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalised(ty: &str) -> String {
        show(&syn::parse_str::<Type>(ty).unwrap())
    }

    #[test]
    fn paths_read_as_users_write_them() {
        for (written, read) in [
            ("::std::option::Option<crate::types::Pet>", "Option<Pet>"),
            ("::std::string::String", "String"),
            ("::std::vec::Vec<crate::types::Pet>", "Vec<Pet>"),
            (
                "::std::collections::BTreeMap<::std::string::String, ::serde_json::Value>",
                "BTreeMap<String, serde_json::Value>",
            ),
            ("::serde_json::Value", "serde_json::Value"),
            ("serde_json::Value", "serde_json::Value"),
            ("crate::Response<()>", "Response<()>"),
            ("crate::requests::ListPets<'_>", "ListPets<'_>"),
            ("&'a crate::Client", "&'a Client"),
            (
                "impl ::std::convert::Into<::std::string::String>",
                "impl Into<String>",
            ),
            // A type of the crate named like a standard one keeps its module.
            ("crate::types::Result", "types::Result"),
            ("::std::vec::Vec<crate::types::Pet,>", "Vec<Pet>"),
            ("(i64,)", "(i64,)"),
            ("Option<String>", "Option<String>"),
        ] {
            assert_eq!(normalised(written), read, "{written}");
        }
    }

    #[test]
    fn generic_arguments_split_at_the_top_level() {
        assert_eq!(
            generic_args("Result<Response<Vec<Pet>>, Error<E>>", "Result"),
            Some(vec!["Response<Vec<Pet>>", "Error<E>"])
        );
        assert_eq!(generic_args("Option<Pet>", "Result"), None);
        assert_eq!(
            into_target("impl Into<Vec<String>>".to_owned()),
            "Vec<String>"
        );
        assert_eq!(into_target("&str".to_owned()), "&str");
    }

    /// One operation only: every builder method is on every builder, yet setters are told
    /// from per-request options by the field each setter fills.
    const CRATE: [(&str, &str); 4] = [
        (
            "src/lib.rs",
            "mod client; pub mod requests; mod runtime; pub mod types; mod style;
             pub use client::*; pub use runtime::{Error, Response}; pub use types::*;",
        ),
        (
            "src/client.rs",
            "pub struct Client { http: u8 }
             impl Client {
                 pub fn new(token: impl ::std::convert::Into<::std::string::String>) -> Self { todo!() }
                 pub fn list_pets(&self, owner: impl ::std::convert::Into<::std::string::String>) -> crate::requests::ListPets<'_> { todo!() }
                 fn private(&self) {}
             }
             #[derive(Debug, Clone)]
             pub enum ListPetsError { BadRequest(crate::types::Problem) }",
        ),
        (
            "src/requests.rs",
            "#[derive(Debug, Clone)]
             pub struct ListPets<'a> {
                 client: &'a crate::Client,
                 owner: ::std::string::String,
                 limit: ::std::option::Option<i64>,
                 options: crate::transport::RequestOptions,
             }
             impl<'a> ListPets<'a> {
                 pub(crate) fn new(client: &'a crate::Client) -> Self { todo!() }
                 pub fn limit(mut self, limit: impl ::std::convert::Into<i64>) -> Self { self }
                 pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self { self }
                 pub fn bearer_token(mut self, token: impl ::std::convert::Into<::std::string::String>) -> Self { self }
                 pub async fn send(self) -> ::std::result::Result<crate::Response<crate::types::PetList>, crate::Error<crate::ListPetsError>> { todo!() }
             }
             impl<'a> ::std::future::IntoFuture for ListPets<'a> { }",
        ),
        (
            "src/types.rs",
            "#[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
             pub struct PetList { pub items: ::std::option::Option<::std::vec::Vec<crate::types::Pet>>, hidden: u8 }
             pub struct Pet { pub id: ::std::string::String }
             #[non_exhaustive]
             pub enum Problem { Other(::serde_json::Value), Named { code: i64 } }
             pub type Pets = ::std::vec::Vec<Pet>;
             impl ::std::fmt::Display for Pet {}
             struct Private;",
        ),
    ];

    fn api() -> Api {
        let files: Vec<(String, String)> = CRATE
            .iter()
            .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
            .collect();
        extract(&files).unwrap()
    }

    #[test]
    fn an_operation_is_a_client_method_returning_a_builder() {
        let api = api();
        let op = api.operations.get("list_pets").unwrap();
        assert_eq!(op.builder, "ListPets");
        assert_eq!(op.required, [("owner".to_owned(), "String".to_owned())]);
        assert_eq!(
            op.optional,
            BTreeMap::from([("limit".to_owned(), "i64".to_owned())])
        );
        let methods: Vec<&str> = op.methods.keys().map(String::as_str).collect();
        assert_eq!(methods, ["bearer_token", "send", "timeout"]);
        assert_eq!(op.outcome(), Some(("PetList", "ListPetsError")));
        assert!(op.traits.contains("IntoFuture") && op.traits.contains("Clone"));
        // The builder is part of its operation, not a type; `Client::list_pets` is no
        // plain method.
        let types: Vec<&str> = api.types.keys().map(String::as_str).collect();
        assert_eq!(
            types,
            [
                "Client",
                "ListPetsError",
                "Pet",
                "PetList",
                "Pets",
                "Problem"
            ]
        );
        let methods: Vec<&str> = api.methods.keys().map(String::as_str).collect();
        assert_eq!(methods, ["Client::new"]);
    }

    #[test]
    fn types_keep_public_fields_payloads_and_traits() {
        let api = api();
        let list = api.types.get("PetList").unwrap();
        assert_eq!(
            list.shape,
            Shape::Struct(BTreeMap::from([(
                "items".to_owned(),
                "Option<Vec<Pet>>".to_owned()
            )]))
        );
        let traits: Vec<&str> = list.traits.iter().map(String::as_str).collect();
        assert_eq!(traits, ["Clone", "Debug", "PartialEq", "Serialize"]);
        let problem = api.types.get("Problem").unwrap();
        assert!(problem.non_exhaustive);
        assert_eq!(
            problem.shape,
            Shape::Enum(BTreeMap::from([
                ("Other".to_owned(), "(serde_json::Value)".to_owned()),
                ("Named".to_owned(), "{ code: i64 }".to_owned()),
            ]))
        );
        assert!(api.types.get("Pet").unwrap().traits.contains("Display"));
        let reached = reachable(&api, mentioned("Result<Response<PetList>, Error<E>>"));
        assert!(reached.contains("Pet") && reached.contains("PetList"));
    }

    #[test]
    fn a_pub_item_of_a_private_module_is_public_only_when_re_exported() {
        let files = [
            (
                "src/lib.rs",
                "mod hidden; mod shown; pub use shown::{Shown as _, Other};",
            ),
            ("src/hidden.rs", "pub struct Hidden;"),
            (
                "src/shown.rs",
                "pub struct Shown; pub struct Other; pub struct NotShown;",
            ),
        ]
        .map(|(p, t)| (p.to_owned(), t.to_owned()));
        let api = extract(&files).unwrap();
        let types: Vec<&str> = api.types.keys().map(String::as_str).collect();
        assert_eq!(types, ["Other", "Shown"]);
    }
}
