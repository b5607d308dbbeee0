//! Every Rust name the generator makes is made here: case conversion, keywords, names that
//! cannot start an identifier, and collisions.
//!
//! Collisions are resolved deterministically: the first name (in document order) keeps the
//! converted form, later ones get `_2`, `_3`, ... (`2`, `3` for types and variants). The caller
//! reports each collision as a warning naming both originals.

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};
use unicode_normalization::UnicodeNormalization;

/// Words that need `r#` as field, parameter and method names.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Types at the generated crate's root that no schema or operation type may take: the
/// client's and the runtime's own. Generated code names everything else by its full path
/// (`crate::types::Pet`, `::std::string::String`), so a schema called `Result` or `String`
/// cannot change what the code means.
pub const RESERVED_TYPES: &[&str] = &[
    "Client",
    "Error",
    "Response",
    "Upload",
    "RetryPolicy",
    "TokenSource",
    "TokenError",
];

/// Methods of the generated `Client` (and of the test support's `MockServer`) besides the
/// operations, and those of the traits they implement, which an operation of the same name
/// would hide.
pub const RESERVED_METHODS: &[&str] = &[
    "clone",
    "clone_from",
    "fmt",
    "default",
    "new",
    "with_base_url",
    "with_http_client",
    "with_timeout",
    "with_connect_timeout",
    "with_retry",
    "with_server_variables",
    "without_credentials",
    "with_token_source",
    "base_url",
    "http_client",
    // The test support's `MockServer` has a method per operation besides these.
    "start",
    "uri",
    "client",
    "received_requests",
    "wiremock",
];

/// Fields and methods every request builder has besides its parameters' setters, which
/// parameters must not take (`body` is the setter of an optional body, `new` the builder's
/// constructor; `pages` and `items` are the paging methods of a list operation).
pub const RESERVED_BUILDER: &[&str] = &[
    "new",
    "client",
    "options",
    "body",
    "send",
    "timeout",
    "header",
    "retry",
    "bearer_token",
    "pages",
    "items",
    "clone",
    "clone_from",
    "fmt",
    "into_future",
];

/// Methods every generated struct has, from its derives and the standard library's blanket
/// impls, `new`, and the methods of operator and iterator traits: a setter of the same name
/// would hide them, or be taken for one.
pub const RESERVED_TYPE_METHODS: &[&str] = &[
    "new",
    "default",
    "clone",
    "clone_from",
    "clone_into",
    "fmt",
    "eq",
    "ne",
    "serialize",
    "deserialize",
    "into_form",
    "into",
    "try_into",
    "from",
    "try_from",
    "to_owned",
    "borrow",
    "borrow_mut",
    "type_id",
    // Names clippy expects to be a standard trait's method (`should_implement_trait`).
    "add",
    "sub",
    "mul",
    "div",
    "rem",
    "neg",
    "not",
    "shl",
    "shr",
    "bitand",
    "bitor",
    "bitxor",
    "next",
    "index",
    "index_mut",
    "deref",
    "deref_mut",
    "drop",
    "hash",
    "cmp",
    "partial_cmp",
    "as_ref",
    "as_mut",
    "from_iter",
    "from_str",
    "into_iter",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// A snake_case name for a field, parameter or method. Leading underscores are kept, so `_id`
/// and `id` stay apart.
pub fn snake(raw: &str) -> String {
    let leading = raw.len() - raw.trim_start_matches('_').len();
    let converted = identifier_chars(&nfc(raw).to_snake_case());
    let mut name = format!("{}{}", "_".repeat(leading), converted);
    if converted.is_empty() {
        name = "value".to_owned();
    } else if !starts_identifier(&name) {
        name = format!("_{name}");
    }
    // Only underscores and digits (`123`, `_1`) is a name clippy rejects
    // (`just_underscores_and_digits`); a leading `v` makes it a word.
    if name.chars().all(|c| c == '_' || c.is_ascii_digit()) {
        name = format!("v{name}");
    }
    keyword_safe(name)
}

/// An UpperCamelCase name for a type or an enum variant.
pub fn camel(raw: &str) -> String {
    let mut name = identifier_chars(&nfc(raw).to_upper_camel_case());
    if name.is_empty() {
        name = "Value".to_owned();
    } else if !starts_identifier(&name) || name.starts_with('_') {
        name = format!("V{name}");
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// An associated constant's name for a number (`V1`, `V1_5`, `V_MINUS_2`).
pub fn constant(literal: &str) -> String {
    let body: String = literal
        .replace('-', "MINUS_")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "V{}{body}",
        if body.starts_with(|c: char| c.is_ascii_digit()) {
            ""
        } else {
            "_"
        }
    )
}

/// An enum variant for a string value: spelled-out punctuation when the value has no letters
/// or digits, so `.` and `-` stay distinct.
pub fn variant(raw: &str) -> String {
    if raw.chars().any(char::is_alphanumeric) {
        return camel(raw);
    }
    let spelled: String = raw.chars().map(|c| camel(&symbol_name(c))).collect();
    if spelled.is_empty() {
        "Empty".to_owned()
    } else {
        spelled
    }
}

fn symbol_name(c: char) -> String {
    let name = match c {
        '.' => "dot",
        '-' => "dash",
        '_' => "underscore",
        '/' => "slash",
        '+' => "plus",
        '*' => "star",
        ' ' => "space",
        '@' => "at",
        '#' => "hash",
        ':' => "colon",
        _ => return format!("u{:04x}", c as u32),
    };
    name.to_owned()
}

/// The characters of `name` an identifier may hold (Unicode's `XID_Continue`, as Rust's
/// identifiers; `größe` stays `größe`). Names are put in Unicode normalization form C first,
/// as rustc compares identifiers in it.
fn identifier_chars(name: &str) -> String {
    name.chars()
        .filter(|c| *c == '_' || unicode_ident::is_xid_continue(*c))
        .collect()
}

fn nfc(raw: &str) -> String {
    raw.nfc().collect()
}

/// Whether a name can start an identifier as it is.
fn starts_identifier(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c == '_' || unicode_ident::is_xid_start(c))
}

fn keyword_safe(name: String) -> String {
    if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// One scope of names (a module's types, a struct's fields, an enum's variants).
#[derive(Debug, Default)]
pub struct Namespace {
    taken: BTreeMap<String, String>,
}

/// A name given out by a [`Namespace`], and the original that had it first when it collided.
pub struct Claimed {
    pub name: String,
    pub collided_with: Option<String>,
}

impl Namespace {
    /// Takes `candidate` for `original`, or the next free numbered form of it.
    pub fn claim(&mut self, candidate: String, original: &str) -> Claimed {
        let Some(first) = self.taken.get(&candidate).cloned() else {
            self.taken.insert(candidate.clone(), original.to_owned());
            return Claimed {
                name: candidate,
                collided_with: None,
            };
        };
        // `self_` and `Self_` (keywords made usable) number as `self_2` and `Self2`.
        let base = candidate.trim_start_matches("r#").trim_end_matches('_');
        let separator = if base.starts_with(|c: char| c.is_ascii_uppercase()) {
            ""
        } else {
            "_"
        };
        let mut n = 2;
        loop {
            let next = format!("{base}{separator}{n}");
            if !self.taken.contains_key(&next) {
                self.taken.insert(next.clone(), original.to_owned());
                return Claimed {
                    name: next,
                    collided_with: Some(first),
                };
            }
            n += 1;
        }
    }

    /// Reserves names the generated code uses itself.
    pub fn reserve(&mut self, name: &str) {
        self.taken
            .insert(name.to_owned(), format!("(the generated `{name}`)"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_names() {
        assert_eq!(snake("statusCode"), "status_code");
        assert_eq!(snake("_id"), "_id");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("13-17"), "v_13_17");
        assert_eq!(snake("65+"), "v_65");
        assert_eq!(snake("123"), "v_123");
        assert_eq!(snake("_1"), "v_1");
        assert_eq!(snake("1st"), "_1st");
        assert_eq!(snake("get-pet-by-id"), "get_pet_by_id");
        assert_eq!(snake("!!"), "value");
        assert_eq!(snake("größe"), "größe");
        assert_eq!(snake("Straße-Nr"), "straße_nr");
        // NFD (o + combining diaeresis) is NFC for rustc, so it is here too.
        assert_eq!(snake("gro\u{308}ße"), "größe");
    }

    #[test]
    fn camel_names() {
        assert_eq!(camel("ListPetsResponseDTO"), "ListPetsResponseDto");
        assert_eq!(camel("type"), "Type");
        assert_eq!(camel("self"), "Self_");
        assert_eq!(camel("2020-01-31"), "V20200131");
        assert_eq!(variant("."), "Dot");
        assert_eq!(constant("1"), "V1");
        assert_eq!(constant("1.5"), "V1_5");
        assert_eq!(constant("-2"), "V_MINUS_2");
        assert_eq!(variant("-"), "Dash");
        assert_eq!(variant(""), "Empty");
        assert_eq!(camel("größe"), "Größe");
        assert_eq!(camel("日本"), "日本");
        assert_eq!(variant("ä"), "Ä");
    }

    #[test]
    fn collisions_are_numbered_and_report_the_first_original() {
        let mut ns = Namespace::default();
        assert!(ns.claim(snake("fooBar"), "fooBar").collided_with.is_none());
        let second = ns.claim(snake("foo_bar"), "foo_bar");
        assert_eq!(second.name, "foo_bar_2");
        assert_eq!(second.collided_with.as_deref(), Some("fooBar"));
        let mut types = Namespace::default();
        types.claim(camel("pet"), "pet");
        assert_eq!(types.claim(camel("Pet"), "Pet").name, "Pet2");
        types.claim(camel("Self"), "Self");
        assert_eq!(types.claim(camel("self"), "self").name, "Self2");
        let mut fields = Namespace::default();
        fields.claim(snake("self"), "self");
        assert_eq!(fields.claim(snake("Self"), "Self").name, "self_2");
    }
}
