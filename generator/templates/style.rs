//! Parameters and form bodies on the wire: OpenAPI 3.0.3's `style` and `explode` rules
//! (Parameter Object, "Style Values" and "Style Examples"), which follow RFC 6570, section 3.2,
//! for the styles it names. The same for every spec; the generator copies it into each crate.
#![allow(dead_code)]

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::runtime::Error;

/// A parameter's `style`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Simple,
    Label,
    Matrix,
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

/// How one parameter, or one property of a form body, is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rule {
    pub(crate) style: Style,
    /// Arrays and objects as one `name=value` per item or member.
    pub(crate) explode: bool,
    /// Query values keep RFC 3986's reserved characters (`allowReserved`).
    pub(crate) allow_reserved: bool,
}

impl Rule {
    pub(crate) const fn new(style: Style, explode: bool) -> Self {
        Rule { style, explode, allow_reserved: false }
    }

    pub(crate) const fn allow_reserved(mut self) -> Self {
        self.allow_reserved = true;
        self
    }
}

/// RFC 3986's unreserved characters stay; everything else is percent-encoded.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// `allowReserved`: the reserved characters stay too, except those that would change the
/// query's structure (`#`, `&`, `=`, `+`).
const RESERVED_KEPT: &AsciiSet = &UNRESERVED
    .remove(b':')
    .remove(b'/')
    .remove(b'?')
    .remove(b'[')
    .remove(b']')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b',')
    .remove(b';');

/// Parameter names keep `[` and `]`, as `deepObject` writes them (`filter[min]`).
const NAME: &AsciiSet = &UNRESERVED.remove(b'[').remove(b']');

/// A value as serde wrote it: JSON's data model, with object members in their written order.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(match serde_json::Number::from_f64(v) {
            Some(number) => Node::Number(number.to_string()),
            None => Node::Null,
        })
    }

    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut members = Vec::new();
        while let Some(member) = map.next_entry()? {
            members.push(member);
        }
        Ok(Node::Object(members))
    }
}

/// The value in serde's data model. Written as JSON and read back, so every serde attribute of
/// the generated types (renames, skips, untagged unions, flattening) applies as in a JSON body.
fn node(value: &(impl Serialize + ?Sized)) -> Result<Node, String> {
    let json = serde_json::to_vec(value).map_err(|e| format!("a value cannot be written: {e}"))?;
    serde_json::from_slice(&json).map_err(|e| format!("a value cannot be written: {e}"))
}

impl Node {
    /// RFC 6570's "undefined": `null`, an empty array or an empty object is not sent at all.
    fn is_undefined(&self) -> bool {
        match self {
            Node::Null => true,
            Node::Array(items) => items.iter().all(Node::is_undefined),
            Node::Object(members) => members.iter().all(|(_, v)| v.is_undefined()),
            _ => false,
        }
    }

    /// A primitive's text: strings as they are, numbers and booleans as JSON writes them. An
    /// array or object nested in the value (for which OpenAPI defines no style) is its JSON text.
    fn text(&self) -> String {
        match self {
            Node::Null => String::new(),
            Node::Bool(b) => b.to_string(),
            Node::Number(n) => n.clone(),
            Node::String(s) => s.clone(),
            nested => {
                let mut out = String::new();
                nested.write_json(&mut out);
                out
            }
        }
    }

    fn write_json(&self, out: &mut String) {
        match self {
            Node::Null => out.push_str("null"),
            Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Node::Number(n) => out.push_str(n),
            Node::String(s) => out.push_str(&serde_json::to_string(s).unwrap_or_default()),
            Node::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_json(out);
                }
                out.push(']');
            }
            Node::Object(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::to_string(key).unwrap_or_default());
                    out.push(':');
                    value.write_json(out);
                }
                out.push('}');
            }
        }
    }
}

/// What an RFC 6570 operator writes (section 3.2.1, "Variable Expansion", and its appendix A
/// table): the text before the first value, between values, whether each value is named, and
/// what follows a name whose value is empty.
struct Operator {
    first: &'static str,
    separator: &'static str,
    named: bool,
    if_empty: &'static str,
}

const SIMPLE: Operator = Operator { first: "", separator: ",", named: false, if_empty: "" };
const LABEL: Operator = Operator { first: ".", separator: ".", named: false, if_empty: "" };
const MATRIX: Operator = Operator { first: ";", separator: ";", named: true, if_empty: "" };
const FORM: Operator = Operator { first: "", separator: "&", named: true, if_empty: "=" };
/// Cookies: `form`, with pairs separated as a `Cookie` header separates them.
const COOKIE: Operator = Operator { first: "", separator: "; ", named: true, if_empty: "=" };

/// How names, values and the delimiters between them are written where they go.
#[derive(Clone, Copy)]
struct Escape {
    /// The characters of values that are percent-encoded; `None` keeps values as they are.
    values: Option<&'static AsciiSet>,
    names: Option<&'static AsciiSet>,
    /// The `,` that joins values, `pipeDelimited`'s `|`, `spaceDelimited`'s space and
    /// `deepObject`'s brackets.
    comma: &'static str,
    pipe: &'static str,
    space: &'static str,
    open: &'static str,
    close: &'static str,
}

/// In a URL: values percent-encoded (RFC 3986), delimiters as the Style Examples write them.
const URL: Escape = Escape {
    values: Some(UNRESERVED),
    names: Some(NAME),
    comma: ",",
    pipe: "|",
    space: "%20",
    open: "[",
    close: "]",
};

/// In a query, with `allowReserved`.
const URL_RESERVED: Escape = Escape { values: Some(RESERVED_KEPT), ..URL };

/// In a header: as it is (the header's own rules refuse what it cannot carry).
const HEADER: Escape = Escape { values: None, names: None, ..URL };

/// What `application/x-www-form-urlencoded` leaves as it is (WHATWG URL Standard,
/// "application/x-www-form-urlencoded percent-encode set"): ASCII letters, digits and `*-._`.
const FORM_SET: &AsciiSet = &NON_ALPHANUMERIC.remove(b'*').remove(b'-').remove(b'.').remove(b'_');

/// In a form body: every other character percent-encoded, delimiters included, as the
/// media type writes a form (spaces become `+` at the end).
const FORM_BODY: Escape = Escape {
    values: Some(FORM_SET),
    names: Some(FORM_SET),
    comma: "%2C",
    pipe: "%7C",
    space: "%20",
    open: "%5B",
    close: "%5D",
};

fn encode(text: &str, set: Option<&'static AsciiSet>) -> String {
    match set {
        Some(set) => utf8_percent_encode(text, set).to_string(),
        None => text.to_owned(),
    }
}

/// RFC 6570 expansion of one variable; `None` when the value is undefined.
fn expand(op: &Operator, name: &str, value: &Node, explode: bool, esc: Escape) -> Option<String> {
    if value.is_undefined() {
        return None;
    }
    let name = encode(name, esc.names);
    let mut out = String::from(op.first);
    let named = |out: &mut String, name: &str, text: &str| {
        out.push_str(name);
        out.push_str(if text.is_empty() { op.if_empty } else { "=" });
        out.push_str(text);
    };
    match value {
        Node::Array(items) => {
            let texts = items.iter().filter(|i| !i.is_undefined()).map(|i| encode(&i.text(), esc.values));
            if explode {
                for (i, text) in texts.enumerate() {
                    if i > 0 {
                        out.push_str(op.separator);
                    }
                    if op.named { named(&mut out, &name, &text) } else { out.push_str(&text) }
                }
            } else {
                if op.named {
                    out.push_str(&name);
                    out.push('=');
                }
                out.push_str(&texts.collect::<Vec<_>>().join(esc.comma));
            }
        }
        Node::Object(members) => {
            let pairs = members
                .iter()
                .filter(|(_, v)| !v.is_undefined())
                .map(|(k, v)| (encode(k, esc.names), encode(&v.text(), esc.values)));
            if explode {
                for (i, (key, text)) in pairs.enumerate() {
                    if i > 0 {
                        out.push_str(op.separator);
                    }
                    if op.named {
                        named(&mut out, &key, &text);
                    } else {
                        out.push_str(&key);
                        out.push('=');
                        out.push_str(&text);
                    }
                }
            } else {
                if op.named {
                    out.push_str(&name);
                    out.push('=');
                }
                let flat: Vec<String> = pairs.flat_map(|(k, v)| [k, v]).collect();
                out.push_str(&flat.join(esc.comma));
            }
        }
        primitive => {
            let text = encode(&primitive.text(), esc.values);
            if op.named { named(&mut out, &name, &text) } else { out.push_str(&text) }
        }
    }
    Some(out)
}

/// `name=a<delimiter>b<delimiter>c`: `spaceDelimited` and `pipeDelimited`, not exploded.
fn delimited(name: &str, value: &Node, delimiter: &str, esc: Escape) -> Option<String> {
    let texts: Vec<String> = match value {
        Node::Array(items) => items.iter().filter(|i| !i.is_undefined()).map(|i| encode(&i.text(), esc.values)).collect(),
        Node::Object(members) => members
            .iter()
            .filter(|(_, v)| !v.is_undefined())
            .flat_map(|(k, v)| [encode(k, esc.values), encode(&v.text(), esc.values)])
            .collect(),
        _ => return None,
    };
    Some(format!("{}={}", encode(name, esc.names), texts.join(delimiter)))
}

/// `name[key]=value` for every member, nesting brackets for nested objects.
fn deep_object(name: &str, value: &Node, esc: Escape, out: &mut Vec<String>) {
    match value {
        Node::Object(members) => {
            for (key, member) in members {
                let key = encode(key, esc.names);
                deep_object(&format!("{name}{}{key}{}", esc.open, esc.close), member, esc, out);
            }
        }
        Node::Array(items) => {
            for item in items {
                deep_object(name, item, esc, out);
            }
        }
        Node::Null => {}
        leaf => out.push(format!("{name}={}", encode(&leaf.text(), esc.values))),
    }
}

/// One query parameter, or one property of a form body, as `&`-separated pairs (without the
/// leading `?`); `None` when the value is undefined and nothing is sent.
fn pairs(name: &str, rule: Rule, value: &Node, esc: Escape) -> Option<String> {
    let primitive = !matches!(value, Node::Array(_) | Node::Object(_));
    match rule.style {
        Style::SpaceDelimited if !rule.explode && !primitive => delimited(name, value, esc.space, esc),
        Style::PipeDelimited if !rule.explode && !primitive => delimited(name, value, esc.pipe, esc),
        // The generator sends `deepObject` on anything but an object as `form`.
        Style::DeepObject => {
            let mut pairs = Vec::new();
            deep_object(&encode(name, esc.names), value, esc, &mut pairs);
            (!pairs.is_empty()).then(|| pairs.join("&"))
        }
        _ => expand(&FORM, name, value, rule.explode, esc),
    }
}

/// Appends a query parameter to `query` (the URL's query, without `?`).
pub(crate) fn query<E: fmt::Debug>(query: &mut String, name: &str, rule: Rule, value: &(impl Serialize + ?Sized)) -> Result<(), Error<E>> {
    let esc = if rule.allow_reserved { URL_RESERVED } else { URL };
    if let Some(pairs) = pairs(name, rule, &node(value).map_err(Error::InvalidRequest)?, esc) {
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str(&pairs);
    }
    Ok(())
}

/// The text that takes the place of `{name}` in the path: `simple`, `label` or `matrix`.
/// `whole` says the parameter is a whole segment of the path, which must not become empty,
/// `.` or `..` (URL parsers would fold it away and change the path).
pub(crate) fn path<E: fmt::Debug>(name: &str, rule: Rule, whole: bool, value: &(impl Serialize + ?Sized)) -> Result<String, Error<E>> {
    let node = node(value).map_err(Error::InvalidRequest)?;
    let op = match rule.style {
        Style::Label => &LABEL,
        Style::Matrix => &MATRIX,
        _ => &SIMPLE,
    };
    let text = expand(op, name, &node, rule.explode, URL).unwrap_or_default();
    if whole && matches!(text.as_str(), "" | "." | "..") {
        return Err(Error::InvalidRequest(format!(
            "path parameter `{name}` would be the segment {text:?}, which changes the path; give a non-empty value other than `.` and `..`"
        )));
    }
    Ok(text)
}

/// Adds a header parameter (`simple`), unless its value is undefined.
pub(crate) fn header<E: fmt::Debug>(
    request: reqwest::RequestBuilder,
    name: &'static str,
    rule: Rule,
    value: &(impl Serialize + ?Sized),
) -> Result<reqwest::RequestBuilder, Error<E>> {
    match expand(&SIMPLE, name, &node(value).map_err(Error::InvalidRequest)?, rule.explode, HEADER) {
        Some(text) => crate::runtime::header(request, name, &text),
        None => Ok(request),
    }
}

/// Appends a cookie parameter (`form`) to the `Cookie` header's value.
pub(crate) fn cookie<E: fmt::Debug>(cookies: &mut String, name: &str, rule: Rule, value: &(impl Serialize + ?Sized)) -> Result<(), Error<E>> {
    if let Some(pairs) = expand(&COOKIE, name, &node(value).map_err(Error::InvalidRequest)?, rule.explode, URL) {
        if !cookies.is_empty() {
            cookies.push_str("; ");
        }
        cookies.push_str(&pairs);
    }
    Ok(())
}

/// A parameter described by `content` with a JSON media type: its JSON text.
pub(crate) fn json<E: fmt::Debug>(value: &(impl Serialize + ?Sized)) -> Result<String, Error<E>> {
    serde_json::to_string(value).map_err(|e| Error::InvalidRequest(format!("a parameter cannot be written as JSON: {e}")))
}

/// A primitive's text, for a `text/plain` multipart part.
pub(crate) fn text(value: &(impl Serialize + ?Sized)) -> Result<String, String> {
    Ok(node(value)?.text())
}

/// An `application/x-www-form-urlencoded` body: each property as a query parameter, by its
/// Encoding Object (`encodings`, by property name) or by the default, `form` exploded, then
/// written as the media type writes a form (WHATWG URL Standard; RFC 1866, section 8.2.1,
/// which OpenAPI 3.0.3 cites): every character but letters, digits and `*-._` percent-encoded,
/// the delimiters of `explode: false` and `deepObject` too, and spaces as `+`.
pub(crate) fn form<E: fmt::Debug>(value: &(impl Serialize + ?Sized), encodings: &[(&str, Rule)]) -> Result<String, Error<E>> {
    let Node::Object(members) = node(value).map_err(Error::InvalidRequest)? else {
        return Err(Error::InvalidRequest("a form body must be an object".to_owned()));
    };
    let mut body = String::new();
    for (name, member) in &members {
        let rule = encodings
            .iter()
            .find(|(n, _)| n == name)
            .map_or(Rule::new(Style::Form, true), |(_, rule)| *rule);
        let esc = if rule.allow_reserved { Escape { values: Some(RESERVED_KEPT), ..FORM_BODY } } else { FORM_BODY };
        if let Some(pairs) = pairs(name, rule, member, esc) {
            if !body.is_empty() {
                body.push('&');
            }
            body.push_str(&pairs);
        }
    }
    Ok(body.replace("%20", "+"))
}
