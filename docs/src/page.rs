//! Reads one scraped HighLevel docs page into the operation model, or says on which line the
//! page stops looking like one and what was expected there.
//!
//! The page is Markdown scraped from a Docusaurus site: front matter, `# Title`, the method and
//! URL in a code block, `#### Auth Method(s)` / `#### Token Type(s)`, `### Header|Path|Query
//! Parameters`, then `## Responses` with a status list and, per status in that order, a
//! description line, media types, `**Schema**` fields and an example body in a code block.
//! Sections may be absent (then the page documents none of that) and unknown sections are
//! skipped.
//!
//! Nesting: the scrape has lost the indentation, so an `object` field takes every field after
//! it as its child until its enclosing `Array [` ... `]` closes or the schema ends; fields of
//! an array of objects sit between `Array [` and `]`.

use crate::model::{Auth, Field, Loc, Operation, Param, Response, Type, child_path};
use crate::scrape::{self, Block};
use serde_json::Value;
use std::fmt;

/// A page, read.
#[derive(Clone, Debug, Default)]
pub struct Page {
    pub source: Option<String>,
    pub scraped: Option<String>,
    pub title: Option<String>,
    /// Scheme and host of the documented URL: `https://services.leadconnectorhq.com`.
    pub base_url: String,
    pub operation: Operation,
}

/// Why a page cannot be read, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

fn error<T>(line: usize, message: impl Into<String>) -> Result<T, PageError> {
    Err(PageError {
        line,
        message: message.into(),
    })
}

const METHODS: [&str; 8] = [
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE",
];

pub fn parse(text: &str) -> Result<Page, PageError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text
        .split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .collect();
    let mut page = Page::default();
    let body_start = front_matter(&lines, &mut page)?;
    let rest = lines.get(body_start..).unwrap_or_default();
    let mut reader = Reader::default();
    for block in scrape::blocks(rest, body_start + 1) {
        reader.block(block)?;
    }
    reader.finish(page)
}

/// Reads `---` / `key: value` lines / `---`; returns the index of the first line after it.
fn front_matter(lines: &[&str], page: &mut Page) -> Result<usize, PageError> {
    let first = lines.first().map_or("", |line| line.trim());
    if first != "---" {
        return error(
            1,
            format!(
                "expected front matter: a `---` line, then `source:`, `scraped:` and `title:` \
                 lines, then `---`; found `{}`",
                shorten(first)
            ),
        );
    }
    let Some(close) = lines.iter().skip(1).position(|line| line.trim() == "---") else {
        return error(
            1,
            "the front matter opened here is never closed by a `---` line (the page looks truncated)",
        );
    };
    for line in lines.get(1..=close).unwrap_or_default() {
        if let Some((key, value)) = line.split_once(':') {
            let value = Some(value.trim().to_owned());
            match key.trim() {
                "source" => page.source = value,
                "scraped" => page.scraped = value,
                "title" => page.title = value,
                _ => {}
            }
        }
    }
    Ok(close + 2)
}

/// Which part of the page the blocks being read belong to.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
enum Section {
    #[default]
    Intro,
    AuthMethods,
    TokenTypes,
    Params(&'static str),
    Responses,
    /// Request, Requirements, code samples, "Share your feedback": read nothing there.
    Skipped,
}

#[derive(Default)]
struct Reader {
    section: Section,
    title: Option<(String, usize)>,
    method: Option<(String, String, usize)>,
    description: Vec<String>,
    auth: Auth,
    params: Vec<Param>,
    responses: Responses,
    responses_seen: bool,
}

impl Reader {
    fn block(&mut self, block: Block) -> Result<(), PageError> {
        match block {
            Block::Heading { level, text, line } => self.heading(level, &text, line),
            Block::Text { text, line } => self.text(&text, line),
            Block::Code {
                lines,
                line,
                closed,
                ..
            } => self.code(&lines, line, closed),
        }
    }

    fn heading(&mut self, level: usize, text: &str, line: usize) -> Result<(), PageError> {
        if self.section == Section::Responses {
            self.responses.finish_block()?;
        }
        let name = text.to_lowercase();
        self.section = match name.as_str() {
            _ if level == 1 && self.title.is_none() => {
                self.title = Some((text.to_owned(), line));
                Section::Intro
            }
            _ if name.starts_with("auth method") => {
                self.auth.at = Loc::Line(line);
                Section::AuthMethods
            }
            _ if name.starts_with("token type") => {
                self.auth.token_types_at = Loc::Line(line);
                Section::TokenTypes
            }
            "header parameters" => Section::Params("header"),
            "path parameters" => Section::Params("path"),
            "query parameters" => Section::Params("query"),
            "cookie parameters" => Section::Params("cookie"),
            "responses" if !self.responses_seen => {
                self.responses_seen = true;
                self.responses.heading_line = line;
                Section::Responses
            }
            _ => Section::Skipped,
        };
        Ok(())
    }

    fn text(&mut self, text: &str, line: usize) -> Result<(), PageError> {
        match self.section {
            Section::Intro => {
                if self.method.is_some() {
                    self.description.push(text.to_owned());
                }
            }
            Section::AuthMethods => self.auth.methods.extend(backticked(text)),
            Section::TokenTypes => self.auth.token_types.extend(backticked(text)),
            Section::Params(location) => param_line(&mut self.params, location, text, line)?,
            Section::Responses => self.responses.text(text, line)?,
            Section::Skipped => {}
        }
        Ok(())
    }

    fn code(&mut self, lines: &[String], line: usize, closed: bool) -> Result<(), PageError> {
        match self.section {
            Section::Intro if self.method.is_none() => {
                let first = lines.iter().map(|l| l.trim()).find(|l| !l.is_empty());
                let Some((method, url)) = first.and_then(method_and_url) else {
                    return error(
                        line,
                        format!(
                            "expected `METHOD URL` in the code block under the title, like \
                             `GET https://services.leadconnectorhq.com/contacts/:contactId`; found `{}`",
                            shorten(first.unwrap_or_default())
                        ),
                    );
                };
                if !closed {
                    return error(line, unclosed("code block"));
                }
                self.method = Some((method, url, line));
            }
            Section::Responses => self.responses.code(lines, line, closed)?,
            _ => {}
        }
        Ok(())
    }

    fn finish(mut self, mut page: Page) -> Result<Page, PageError> {
        if self.section == Section::Responses {
            self.responses.finish_block()?;
        }
        let Some((method, url, line)) = self.method else {
            let line = self.title.as_ref().map_or(1, |(_, line)| *line);
            return error(
                line,
                "expected the method and URL in a code block under the title, like\n  ```\n  \
                 GET https://services.leadconnectorhq.com/contacts/:contactId\n  ```\nfound none",
            );
        };
        let responses = self.responses.into_responses()?;
        let (base_url, path) = split_url(&url);
        page.base_url = base_url.clone();
        let summary = self.title.map(|(title, _)| title).or_else(|| {
            // The front matter title carries the site's name: "Get X | HighLevel API".
            let title = page.title.as_deref()?;
            Some(title.split(" | ").next().unwrap_or(title).trim().to_owned())
        });
        let mut auth = self.auth;
        for list in [&mut auth.methods, &mut auth.token_types] {
            list.sort();
            list.dedup();
        }
        page.operation = Operation {
            method,
            path,
            base_urls: vec![base_url]
                .into_iter()
                .filter(|b| !b.is_empty())
                .collect(),
            summary,
            description: (!self.description.is_empty()).then(|| self.description.join(" ")),
            params: self.params,
            auth,
            responses,
            at: Loc::Line(line),
        };
        Ok(page)
    }
}

/// Reads `**name** typerequired`, `**Possible values:** [...]`, a description and
/// `Example: ...` for one parameter.
fn param_line(
    params: &mut Vec<Param>,
    location: &'static str,
    text: &str,
    line: usize,
) -> Result<(), PageError> {
    if let Some((name, rest)) = bold(text) {
        if let Some(label) = name.strip_suffix(':') {
            if let Some(param) = params.last_mut() {
                if label.eq_ignore_ascii_case("possible values") {
                    param.allowed = allowed_values(rest);
                }
            }
            return Ok(());
        }
        let (ty, required) = field_type(name, rest, line)?;
        params.push(Param {
            name: name.to_owned(),
            location: location.to_owned(),
            required,
            ty: Some(ty),
            at: Loc::Line(line),
            ..Param::default()
        });
        return Ok(());
    }
    let Some(param) = params.last_mut() else {
        return Ok(());
    };
    if let Some(example) = example(text) {
        param.example = Some(example);
    } else if let Some(values) = text.strip_prefix("Possible values:") {
        param.allowed = allowed_values(values);
    } else {
        append(&mut param.description, text);
    }
    Ok(())
}

/// The `## Responses` section: the status list, then one block per status in that order.
#[derive(Default)]
struct Responses {
    heading_line: usize,
    statuses: Vec<(String, usize)>,
    blocks: Vec<Response>,
    /// Set between `**Schema**` and the example body of the last block.
    schema: Option<Schema>,
    /// The last block has had its example body: text after it starts a new block.
    closed: bool,
}

impl Responses {
    fn text(&mut self, text: &str, line: usize) -> Result<(), PageError> {
        if let Some(item) = text.strip_prefix("- ") {
            let item = item.trim();
            if self.blocks.is_empty() {
                if is_status(item) {
                    self.statuses.push((item.to_owned(), line));
                }
            } else if item.contains('/') && !self.closed {
                if let Some(block) = self.blocks.last_mut() {
                    block.media_types.push(item.to_owned());
                }
            }
            return Ok(());
        }
        if text == "**Schema**" {
            if let Some(schema) = &self.schema {
                return error(
                    line,
                    format!(
                        "a second **Schema** before the example body of the response at line {}; \
                         expected each response to end with its example body in a code block",
                        schema.block_line
                    ),
                );
            }
            let Some(block) = self.blocks.last().filter(|_| !self.closed) else {
                return error(
                    line,
                    "expected a response description (like `Successful response`) before **Schema**",
                );
            };
            self.schema = Some(Schema::new(block.at.line().unwrap_or(line)));
            return Ok(());
        }
        if let Some(schema) = &mut self.schema {
            let Some(block) = self.blocks.last_mut() else {
                return Ok(());
            };
            return schema.line(&mut block.fields, text, line);
        }
        if self.statuses.is_empty() {
            return error(
                line,
                format!(
                    "expected the list of statuses (`- 200`, `- 400`, ...) after `## Responses` \
                     (line {}), before the first response; found `{}`",
                    self.heading_line,
                    shorten(text)
                ),
            );
        }
        // Outside a schema, a plain line is the description that opens the next response.
        self.finish_block()?;
        self.closed = false;
        self.blocks.push(Response {
            description: Some(text.to_owned()),
            at: Loc::Line(line),
            ..Response::default()
        });
        Ok(())
    }

    fn code(&mut self, lines: &[String], line: usize, closed: bool) -> Result<(), PageError> {
        if self.blocks.is_empty() || self.closed {
            return Ok(());
        }
        if !closed {
            return error(line, unclosed("example body"));
        }
        let json = lines.join("\n");
        let example = match serde_json::from_str::<Value>(&json) {
            Ok(value) => value,
            Err(err) => {
                return error(
                    line + err.line(),
                    format!("expected the example body to be JSON: {err}"),
                );
            }
        };
        self.finish_block()?;
        if let Some(block) = self.blocks.last_mut() {
            block.example = Some(example);
            block.example_at = Loc::Line(line);
        }
        self.closed = true;
        Ok(())
    }

    /// Ends the schema being read, if any.
    fn finish_block(&mut self) -> Result<(), PageError> {
        match self.schema.take() {
            Some(schema) => schema.finish(),
            None => Ok(()),
        }
    }

    fn into_responses(self) -> Result<Vec<Response>, PageError> {
        if self.statuses.len() != self.blocks.len() {
            let line = self.statuses.first().map_or(self.heading_line, |s| s.1);
            let names: Vec<&str> = self.statuses.iter().map(|s| s.0.as_str()).collect();
            return error(
                line,
                format!(
                    "the status list names {} response(s) ({}) but the page has {} response \
                     block(s); expected a description, schema and example body per status, in the \
                     list's order (the page looks truncated)",
                    self.statuses.len(),
                    names.join(", "),
                    self.blocks.len()
                ),
            );
        }
        let mut responses = Vec::new();
        for ((status, _), mut block) in self.statuses.into_iter().zip(self.blocks) {
            block.status = status;
            block.media_types.sort();
            block.media_types.dedup();
            responses.push(block);
        }
        Ok(responses)
    }
}

/// Reads the fields of one response's `**Schema**`.
struct Schema {
    block_line: usize,
    /// Open parents: an `object` field, or an `Array [` (with its line).
    scopes: Vec<Scope>,
    /// A field was read since the last scope opened.
    field_since_scope: bool,
}

struct Scope {
    prefix: String,
    array_line: Option<usize>,
}

impl Schema {
    fn new(block_line: usize) -> Schema {
        Schema {
            block_line,
            scopes: Vec::new(),
            field_since_scope: false,
        }
    }

    fn prefix(&self) -> &str {
        self.scopes.last().map_or("", |scope| scope.prefix.as_str())
    }

    fn line(&mut self, fields: &mut Vec<Field>, text: &str, line: usize) -> Result<(), PageError> {
        if text.starts_with("Array [") {
            // `Array [` right after another one (an array of arrays) nests in it; otherwise it
            // holds the items of the field just read (or of the body itself).
            let prefix = match (self.field_since_scope, self.scopes.last(), fields.last()) {
                (false, Some(top), _) if top.array_line.is_some() => format!("{}[]", top.prefix),
                (true, _, Some(field)) => format!("{}[]", field.path),
                _ => format!("{}[]", self.prefix()),
            };
            self.scopes.push(Scope {
                prefix,
                array_line: Some(line),
            });
            self.field_since_scope = false;
            return Ok(());
        }
        if text == "]" {
            while let Some(scope) = self.scopes.pop() {
                if scope.array_line.is_some() {
                    return Ok(());
                }
            }
            return error(line, "this `]` closes no `Array [`");
        }
        if let Some((name, rest)) = bold(text) {
            if let Some(label) = name.strip_suffix(':') {
                if let Some(field) = fields.last_mut() {
                    if label.eq_ignore_ascii_case("possible values") {
                        field.allowed = allowed_values(rest);
                    }
                }
                return Ok(());
            }
            let (ty, required) = field_type(name, rest, line)?;
            let path = child_path(self.prefix(), name);
            let opens_object = ty.base == "object" && ty.array == 0;
            fields.push(Field {
                path: path.clone(),
                ty,
                required,
                at: Loc::Line(line),
                ..Field::default()
            });
            self.field_since_scope = true;
            if opens_object {
                self.scopes.push(Scope {
                    prefix: path,
                    array_line: None,
                });
                self.field_since_scope = false;
            }
            return Ok(());
        }
        let Some(field) = fields.last_mut() else {
            return Ok(());
        };
        if let Some(example) = example(text) {
            field.example = Some(example);
        } else if let Some(values) = text.strip_prefix("Possible values:") {
            field.allowed = allowed_values(values);
        } else {
            append(&mut field.description, text);
        }
        Ok(())
    }

    fn finish(self) -> Result<(), PageError> {
        match self.scopes.iter().find_map(|scope| scope.array_line) {
            Some(line) => error(
                line,
                "this `Array [` is never closed by a `]` before the example body (the page looks truncated)",
            ),
            None => Ok(()),
        }
    }
}

const TYPES: [&str; 7] = [
    "string", "number", "integer", "boolean", "object", "array", "null",
];

/// Reads what follows a field's bold name: `stringrequired`, `object[]`,
/// `string<date-time>nullable`. Returns the type and whether it is required.
fn field_type(name: &str, rest: &str, line: usize) -> Result<(Type, bool), PageError> {
    let rest = rest.trim();
    let base = TYPES.iter().find(|t| rest.starts_with(**t)).copied();
    let Some(base) = base else {
        return error(
            line,
            format!(
                "expected a type after **{name}** (one of {}, maybe with `<format>`, `[]` and \
                 `required`, like `stringrequired` or `object[]`); found `{}`",
                TYPES.join(", "),
                shorten(rest)
            ),
        );
    };
    let mut tail = rest.get(base.len()..).unwrap_or_default();
    let mut format = None;
    if let Some(after) = tail.strip_prefix('<') {
        if let Some((inner, after)) = after.split_once('>') {
            format = Some(inner.trim().to_owned());
            tail = after;
        }
    }
    let mut array = 0;
    while let Some(after) = tail.trim_start().strip_prefix("[]") {
        array += 1;
        tail = after;
    }
    let ty = Type {
        base: base.to_owned(),
        format,
        array,
    };
    Ok((ty, tail.contains("required")))
}

/// `**name** rest` as (`name`, `rest`).
fn bold(text: &str) -> Option<(&str, &str)> {
    let inner = text.strip_prefix("**")?;
    let (name, rest) = inner.split_once("**")?;
    Some((name.trim(), rest.trim()))
}

/// `Example: w37s` or ``Example:`200` ``: the value, as JSON when it parses as JSON.
fn example(text: &str) -> Option<Value> {
    let raw = text.strip_prefix("Example:")?.trim();
    let raw = raw
        .strip_prefix('`')
        .and_then(|r| r.strip_suffix('`'))
        .unwrap_or(raw);
    Some(serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_owned())))
}

/// ``[ `2021-07-28`, `2023-02-21`]``, or without backticks `[a, b]`: sorted.
fn allowed_values(text: &str) -> Vec<String> {
    let mut values = backticked(text);
    if values.is_empty() {
        let inner = text.trim().trim_start_matches('[').trim_end_matches(']');
        values = inner
            .split(',')
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect();
    }
    values.sort();
    values.dedup();
    values
}

/// The `` `quoted` `` items of a line; the whole line when it has none.
fn backticked(text: &str) -> Vec<String> {
    let items: Vec<String> = text
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|item| item.trim().to_owned())
        .filter(|item| !item.is_empty())
        .collect();
    if items.is_empty() && !text.contains('`') && !text.starts_with('[') {
        return vec![text.trim().to_owned()];
    }
    items
}

fn append(description: &mut Option<String>, text: &str) {
    match description {
        Some(existing) => {
            existing.push(' ');
            existing.push_str(text);
        }
        None => *description = Some(text.to_owned()),
    }
}

fn is_status(item: &str) -> bool {
    let bytes = item.as_bytes();
    item == "default"
        || (bytes.len() == 3
            && bytes.first().is_some_and(|b| (b'1'..=b'5').contains(b))
            && (bytes.iter().skip(1).all(u8::is_ascii_digit) || item.ends_with("XX")))
}

fn method_and_url(line: &str) -> Option<(String, String)> {
    let (method, url) = line.split_once(char::is_whitespace)?;
    let method = method.to_ascii_uppercase();
    let url = url.trim();
    (METHODS.contains(&method.as_str()) && !url.is_empty() && !url.contains(char::is_whitespace))
        .then(|| (method, url.to_owned()))
}

/// `https://host/a/:id?x` as (`https://host`, `/a/{id}`).
pub fn split_url(url: &str) -> (String, String) {
    let url = url.split(['?', '#']).next().unwrap_or(url);
    let (base, path) = match url.split_once("://") {
        Some((scheme, rest)) => match rest.find('/') {
            Some(at) => (
                format!("{scheme}://{}", rest.get(..at).unwrap_or(rest)),
                rest.get(at..).unwrap_or_default(),
            ),
            None => (url.to_owned(), "/"),
        },
        None => (String::new(), url),
    };
    let path = path
        .split('/')
        .map(|segment| match segment.strip_prefix(':') {
            Some(name) => format!("{{{name}}}"),
            None => segment.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/");
    (base, path)
}

fn unclosed(what: &str) -> String {
    format!("the {what} that starts here is never closed by ``` (the page looks truncated)")
}

/// Keeps quoted page text short in messages.
fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        let head: String = text.chars().take(MAX).collect();
        format!("{head}...")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_glued_types() {
        let (ty, required) = field_type("x", "numberrequired", 1).unwrap_or_default();
        assert_eq!((ty.to_string(), required), ("number".to_owned(), true));
        let (ty, required) = field_type("x", "object[]", 1).unwrap_or_default();
        assert_eq!((ty.to_string(), required), ("object[]".to_owned(), false));
        let (ty, _) = field_type("x", "string<date-time>[][] nullable", 1).unwrap_or_default();
        assert_eq!(ty.to_string(), "string<date-time>[][]");
        let err = field_type("x", "wibble", 7).err();
        assert_eq!(err.map(|e| e.line), Some(7));
    }

    #[test]
    fn reads_urls_and_statuses() {
        assert_eq!(
            split_url("https://h.example/a/:id/b?x=1"),
            ("https://h.example".to_owned(), "/a/{id}/b".to_owned())
        );
        assert!(is_status("200") && is_status("4XX") && is_status("default"));
        assert!(!is_status("application/json") && !is_status("Schema") && !is_status("999"));
        assert_eq!(
            allowed_values("[ `b`, `a`]"),
            vec!["a".to_owned(), "b".to_owned()]
        );
        assert_eq!(
            allowed_values("[a, b]"),
            vec!["a".to_owned(), "b".to_owned()]
        );
    }
}
