//! The public API of a generated crate, read from its source with `syn`: its public types
//! (struct fields, enum variants, aliases) and the public methods of its types (`Client`'s
//! operations, and any builder's), each as plain text. Nothing here depends on how the
//! generator shapes a method: a parameter is a name and a type, whatever the style.

use quote::ToTokens;
use std::collections::BTreeMap;
use syn::{Fields, FnArg, ImplItem, Item, ReturnType, Type, Visibility};

/// The public API: types and methods by name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Api {
    pub types: BTreeMap<String, TypeDef>,
    /// `Client::get_posts`.
    pub methods: BTreeMap<String, Method>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeDef {
    /// Named fields: name to type.
    Struct(BTreeMap<String, String>),
    /// A tuple struct: its field types.
    Tuple(Vec<String>),
    /// Variants: name to payload (`(BadRequestDto)`, `{ a: String }`, or empty).
    Enum(BTreeMap<String, String>),
    Alias(String),
}

impl TypeDef {
    pub fn kind(&self) -> &'static str {
        match self {
            TypeDef::Struct(_) | TypeDef::Tuple(_) => "struct",
            TypeDef::Enum(_) => "enum",
            TypeDef::Alias(_) => "type alias",
        }
    }

    /// The type texts it holds (field types, payloads, the aliased type).
    fn parts(&self) -> Vec<&str> {
        match self {
            TypeDef::Struct(fields) | TypeDef::Enum(fields) => {
                fields.values().map(String::as_str).collect()
            }
            TypeDef::Tuple(types) => types.iter().map(String::as_str).collect(),
            TypeDef::Alias(ty) => vec![ty.as_str()],
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Method {
    pub is_async: bool,
    /// (name, type), `self` left out.
    pub params: Vec<(String, String)>,
    pub output: String,
}

/// Reads the public items of the crate's source files (path, text).
pub fn extract(files: &[(String, String)]) -> Result<Api, String> {
    let mut api = Api::default();
    let mut impls: Vec<(String, ImplItem)> = Vec::new();
    for (path, text) in files {
        let file = syn::parse_file(text).map_err(|err| format!("{path}: {err}"))?;
        for item in file.items {
            match item {
                Item::Struct(item) if public(&item.vis) => {
                    let def = match item.fields {
                        Fields::Named(named) => TypeDef::Struct(
                            named
                                .named
                                .iter()
                                .filter(|f| public(&f.vis))
                                .filter_map(|f| Some((f.ident.as_ref()?.to_string(), show(&f.ty))))
                                .collect(),
                        ),
                        Fields::Unnamed(unnamed) => TypeDef::Tuple(
                            unnamed
                                .unnamed
                                .iter()
                                .filter(|f| public(&f.vis))
                                .map(|f| show(&f.ty))
                                .collect(),
                        ),
                        Fields::Unit => TypeDef::Struct(BTreeMap::new()),
                    };
                    api.types.insert(item.ident.to_string(), def);
                }
                Item::Enum(item) if public(&item.vis) => {
                    let variants = item
                        .variants
                        .iter()
                        .map(|v| {
                            let payload = match &v.fields {
                                Fields::Unit => String::new(),
                                fields => tidy(&fields.to_token_stream().to_string()),
                            };
                            (v.ident.to_string(), payload)
                        })
                        .collect();
                    api.types
                        .insert(item.ident.to_string(), TypeDef::Enum(variants));
                }
                Item::Type(item) if public(&item.vis) => {
                    api.types
                        .insert(item.ident.to_string(), TypeDef::Alias(show(&item.ty)));
                }
                Item::Impl(item) if item.trait_.is_none() => {
                    let owner = show(&item.self_ty);
                    impls.extend(item.items.into_iter().map(|i| (owner.clone(), i)));
                }
                _ => {}
            }
        }
    }
    for (owner, item) in impls {
        let ImplItem::Fn(function) = item else {
            continue;
        };
        // Methods of public types only: `Client`, builders, the runtime's types.
        if !public(&function.vis) || !api.types.contains_key(&owner) {
            continue;
        }
        let sig = &function.sig;
        let params = sig
            .inputs
            .iter()
            .filter_map(|arg| match arg {
                FnArg::Typed(typed) => Some((
                    tidy(&typed.pat.to_token_stream().to_string()),
                    show(&typed.ty),
                )),
                FnArg::Receiver(_) => None,
            })
            .collect();
        let output = match &sig.output {
            ReturnType::Default => "()".to_owned(),
            ReturnType::Type(_, ty) => show(ty),
        };
        api.methods.insert(
            format!("{owner}::{}", sig.ident),
            Method {
                is_async: sig.asyncness.is_some(),
                params,
                output,
            },
        );
    }
    Ok(api)
}

fn public(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn show(ty: &Type) -> String {
    tidy(&ty.to_token_stream().to_string())
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
        ("{ ", "{ "),
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
pub fn reachable(
    api: &Api,
    roots: impl IntoIterator<Item = String>,
) -> std::collections::BTreeSet<String> {
    let mut seen = std::collections::BTreeSet::new();
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

    #[test]
    fn reads_types_and_methods_of_public_types() {
        let source = r#"
            pub struct Client { config: u8 }
            impl Client {
                pub async fn get_posts(&self, location_id: &str, limit: Option<i64>) -> Result<Response<Posts>, Error<GetPostsError>> { todo!() }
                fn private(&self) {}
            }
            pub struct Posts { pub items: Option<Vec<Post>>, hidden: u8 }
            pub struct Post { pub id: String }
            pub enum GetPostsError { BadRequest(BadRequestDto), Other(serde_json::Value) }
            pub type Alias = Vec<Post>;
            struct Private;
        "#;
        let api = extract(&[("lib.rs".to_owned(), source.to_owned())]).unwrap_or_default();
        let names: Vec<&str> = api.types.keys().map(String::as_str).collect();
        assert_eq!(names, ["Alias", "Client", "GetPostsError", "Post", "Posts"]);
        assert_eq!(
            api.types.get("Posts"),
            Some(&TypeDef::Struct(BTreeMap::from([(
                "items".to_owned(),
                "Option<Vec<Post>>".to_owned()
            )])))
        );
        let method = api.methods.get("Client::get_posts").cloned();
        assert_eq!(
            method,
            Some(Method {
                is_async: true,
                params: vec![
                    ("location_id".to_owned(), "&str".to_owned()),
                    ("limit".to_owned(), "Option<i64>".to_owned())
                ],
                output: "Result<Response<Posts>, Error<GetPostsError>>".to_owned(),
            })
        );
        assert_eq!(api.methods.len(), 1);
        let returned = reachable(
            &api,
            mentioned(&method.map(|m| m.output).unwrap_or_default()),
        );
        assert!(returned.contains("Post") && returned.contains("GetPostsError"));
    }
}
