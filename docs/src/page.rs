//! Reads one scraped page of the API docs site into the operation model, or refuses it with
//! the reason and the page line where reading stopped.
//!
//! The site renders OpenAPI with docusaurus-plugin-openapi-docs; the scrape is its HTML turned
//! back into Markdown. An operation page is, in order:
//! - front matter (`source:`, `scraped:`, `title: Summary | Site`), a "Skip to main content"
//!   link to the page's own address;
//! - `# Summary`, then a code block `METHOD https://host/path/:param`;
//! - `deprecated` and the site's deprecation notice, when the operation is deprecated;
//! - the description (any Markdown), then `### Requirements` with `#### Scope(s)`,
//!   `#### Auth Method(s)` and `#### Token Type(s)`, each a line of `` `names` ``;
//! - `## Request`: `### Header|Path|Query|Cookie Parameters`, each parameter a schema item;
//!   then the body's media types as a list, `### Body` (`**required**` when it is) and its
//!   schema items;
//! - `## Responses`: the statuses as a list (the tabs), then per status in that order: its
//!   description, and when it has content, the media types, the tabs `Schema` /
//!   `Example (auto)` / `Example`, `**Schema**`, the schema items and a code block per
//!   example tab;
//! - the API explorer (`## Share your feedback` onward), whose "Body" code block is the
//!   request body's example.
//!
//! A schema item is `**name** type` with `required`, `nullable` or `deprecated` glued on
//! (`stringrequired`, `object[]`; the type is the format when there is one: `date-time`),
//! then its description, `**Possible values:** [...]`, `Default value:`, `Example:`. The
//! fields of an array's items sit between `Array [` and `]`; `oneOf` / `anyOf` is a line of
//! its own followed by the alternatives' tab labels. Where an object's fields end is not
//! marked: see `nest`.

use crate::markdown::{self, Block, Inline, Para};
use crate::model::{Body, Field, Loc, Mark, Operation, Param, Response, Type, Values, Variants};
use crate::nest::{self, Tree};
use serde::Serialize;
use serde_json::Value;
use std::fmt;

/// A page, read.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Page {
    pub source: Option<String>,
    pub scraped: Option<String>,
    pub title: Option<String>,
    /// The page's own address, from its "Skip to main content" link or heading anchors.
    pub url: Option<String>,
    /// The last segment of that address: `get-instagram-page-group`.
    pub slug: Option<String>,
    /// The site's section (`category:`, else the address segment before the slug).
    pub category: Option<String>,
    pub operation: Operation,
}

/// Why a page is not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RefusalKind {
    /// The page stops before its end.
    Truncated,
    /// An index, overview or guide page.
    NotAnOperation,
    /// The page documents another operation than its front matter says.
    WrongOperation,
    /// Not the site's scraped Markdown at all (HTML, JSON, binary, something else).
    OtherFormat,
}

impl RefusalKind {
    pub fn describe(self) -> &'static str {
        match self {
            RefusalKind::Truncated => "truncated",
            RefusalKind::NotAnOperation => "not an operation page",
            RefusalKind::WrongOperation => "a different operation than its front matter says",
            RefusalKind::OtherFormat => "not a page of the docs site",
        }
    }
}

/// Why a page cannot be read, and the line where reading stopped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Refusal {
    pub kind: RefusalKind,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

fn refuse<T>(kind: RefusalKind, line: usize, message: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal {
        kind,
        line,
        message: message.into(),
    })
}

const METHODS: [&str; 8] = [
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE",
];

/// The sentence the site puts under a deprecated operation's `deprecated` badge.
const DEPRECATION_NOTICE: &str = "This endpoint has been deprecated and may be replaced or removed in future versions of the API.";

pub fn parse(text: &str) -> Result<Page, Refusal> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text.replace("\r\n", "\n");
    other_format(&text)?;
    let mut page = Page::default();
    let (body_start, offset) = front_matter(&text, &mut page)?;
    let rest = text.get(offset..).unwrap_or_default();
    let blocks = markdown::blocks(rest, body_start);
    let mut reader = Reader {
        blocks: &blocks,
        at: 0,
        page,
        last_line: body_start,
    };
    reader.read()?;
    Ok(reader.page)
}

/// Refuses what is plainly not the site's Markdown: nothing, HTML, JSON.
fn other_format(text: &str) -> Result<(), Refusal> {
    let start = text.trim_start();
    let line = text.len() - start.len();
    let line = text.get(..line).unwrap_or_default().matches('\n').count() + 1;
    let lower = start
        .get(..start.len().min(200))
        .unwrap_or(start)
        .to_lowercase();
    if start.is_empty() {
        return refuse(RefusalKind::OtherFormat, 1, "the page is empty");
    }
    if lower.starts_with("<!doctype") || lower.starts_with("<html") {
        return refuse(
            RefusalKind::OtherFormat,
            line,
            "this is an HTML page; expected the site's page scraped to Markdown",
        );
    }
    if (start.starts_with('{') || start.starts_with('['))
        && serde_json::from_str::<Value>(start).is_ok()
    {
        return refuse(
            RefusalKind::OtherFormat,
            line,
            "this is a JSON document; expected the site's page scraped to Markdown",
        );
    }
    Ok(())
}

/// Reads `---` / `key: value` lines / `---`; returns the line and byte offset after it.
fn front_matter(text: &str, page: &mut Page) -> Result<(usize, usize), Refusal> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or_default();
    if first.trim() != "---" {
        return refuse(
            RefusalKind::OtherFormat,
            1,
            format!(
                "expected the site's page scraped to Markdown: front matter (a `---` line, \
                 `source:`, `scraped:` and `title:` lines, `---`) first; found `{}`",
                shorten(first.trim())
            ),
        );
    }
    let mut offset = first.len();
    for (index, line) in lines.enumerate() {
        offset += line.len();
        let line = line.trim();
        if line == "---" {
            return Ok((index + 3, offset));
        }
        if let Some((key, value)) = line.split_once(':') {
            let value = Some(value.trim().to_owned()).filter(|v| !v.is_empty());
            match key.trim() {
                "source" => page.source = value,
                "scraped" => page.scraped = value,
                "title" => page.title = value,
                "category" => page.category = value,
                _ => {}
            }
        }
    }
    refuse(
        RefusalKind::Truncated,
        1,
        "the front matter opened here is never closed by a `---` line (the page looks truncated)",
    )
}

struct Reader<'b> {
    blocks: &'b [Block],
    at: usize,
    page: Page,
    /// The line of the last block read: where reading stopped, if the page ends early.
    last_line: usize,
}

impl<'b> Reader<'b> {
    fn peek(&self) -> Option<&'b Block> {
        self.blocks.get(self.at)
    }

    fn next(&mut self) -> Option<&'b Block> {
        let block = self.blocks.get(self.at)?;
        self.at += 1;
        self.last_line = block.line();
        Some(block)
    }

    fn read(&mut self) -> Result<(), Refusal> {
        let title_line = self.title()?;
        let request_line = self.request_line(title_line)?;
        self.check_title(title_line)?;
        self.page.operation.at = Loc::Line(request_line);
        self.deprecation();
        self.description();
        let mut responses_seen = false;
        let mut explorer = false;
        let mut pending_body_example = false;
        let mut request_example: Option<(Value, usize)> = None;
        while let Some(block) = self.peek() {
            match block {
                Block::Heading { level, text, .. } => {
                    let name = text.to_lowercase();
                    self.next();
                    match (*level, name.as_str()) {
                        _ if explorer => {}
                        (3, "requirements") => self.requirements(),
                        (2, "request") => self.request()?,
                        (2, "responses") if !responses_seen => {
                            responses_seen = true;
                            self.responses()?;
                        }
                        // "Share your feedback", then the API explorer.
                        (2, _) if responses_seen => explorer = true,
                        _ => {}
                    }
                }
                Block::Para(para) if explorer => {
                    let text = para.plain();
                    pending_body_example = text == "Body required" || text == "Body";
                    self.next();
                }
                Block::Code {
                    text, line, closed, ..
                } if explorer && pending_body_example => {
                    pending_body_example = false;
                    let (text, line) = (text.clone(), *line);
                    if !*closed {
                        return refuse(RefusalKind::Truncated, line, unclosed("body example"));
                    }
                    self.next();
                    if let Ok(value) = serde_json::from_str(&markdown::strip_continuations(&text)) {
                        request_example = Some((value, line));
                    }
                }
                Block::Code { line, closed, .. } if !*closed => {
                    return refuse(RefusalKind::Truncated, *line, unclosed("code block"));
                }
                _ => {
                    self.next();
                }
            }
        }
        if !responses_seen {
            return refuse(
                RefusalKind::Truncated,
                self.last_line,
                "the page ends before its `## Responses` section (the page looks truncated)",
            );
        }
        if let Some(body) = &mut self.page.operation.body {
            if let Some((example, line)) = request_example {
                body.auto_example = Some(example);
                body.example_at = Loc::Line(line);
            }
            place(body);
        }
        Ok(())
    }

    /// Finds `# Title`; the "Skip to main content" link before it gives the page's address.
    fn title(&mut self) -> Result<usize, Refusal> {
        while let Some(block) = self.next() {
            match block {
                Block::Heading {
                    level: 1,
                    text,
                    line,
                    links,
                } => {
                    if self.page.url.is_none() {
                        self.set_url(links.first().map(String::as_str));
                    }
                    self.page.operation.summary = Some(text.clone());
                    self.page.operation.summary_at = Loc::Line(*line);
                    return Ok(*line);
                }
                Block::Para(para) => {
                    if self.page.url.is_none() && para.plain().starts_with("Skip to main content") {
                        self.set_url(para.links.first().map(String::as_str));
                    }
                    if para.plain().contains("📄️") {
                        return refuse(
                            RefusalKind::NotAnOperation,
                            para.line,
                            format!(
                                "this is an index page (links to {} other pages), not an operation page",
                                self.count_cards()
                            ),
                        );
                    }
                }
                Block::Heading { line, .. } => {
                    return refuse(
                        RefusalKind::NotAnOperation,
                        *line,
                        "expected `# Title` and the request line of an operation page; this page has none",
                    );
                }
                _ => {}
            }
        }
        refuse(
            RefusalKind::NotAnOperation,
            self.last_line,
            "expected `# Title` and the request line of an operation page; this page has none",
        )
    }

    fn count_cards(&self) -> usize {
        self.blocks
            .iter()
            .filter_map(|block| match block {
                Block::Para(para) => Some(para.plain().matches("📄️").count()),
                _ => None,
            })
            .sum()
    }

    fn set_url(&mut self, url: Option<&str>) {
        let Some(url) = url else {
            return;
        };
        let url = url.split(['#', '?']).next().unwrap_or(url);
        let url = url.trim_end_matches("index.html").trim_end_matches('/');
        let mut segments = url.rsplit('/');
        self.page.slug = segments.next().map(str::to_owned);
        if self.page.category.is_none() {
            self.page.category = segments.next().map(str::to_owned);
        }
        self.page.url = Some(url.to_owned());
    }

    /// The `METHOD URL` code block right under the title.
    fn request_line(&mut self, title_line: usize) -> Result<usize, Refusal> {
        let title = self.page.operation.summary.clone().unwrap_or_default();
        while let Some(block) = self.peek() {
            match block {
                Block::Code {
                    text, line, closed, ..
                } => {
                    let first = text.lines().map(str::trim).find(|l| !l.is_empty());
                    let Some((method, url)) = first.and_then(method_and_url) else {
                        return refuse(
                            RefusalKind::NotAnOperation,
                            *line,
                            format!(
                                "expected `METHOD URL` in the code block under the title, like \
                                 `GET https://services.leadconnectorhq.com/contacts/:contactId`; \
                                 found `{}`",
                                shorten(first.unwrap_or_default())
                            ),
                        );
                    };
                    if !closed {
                        return refuse(RefusalKind::Truncated, *line, unclosed("code block"));
                    }
                    let line = *line;
                    self.next();
                    let (base_url, path) = split_url(&url);
                    let operation = &mut self.page.operation;
                    operation.method = method;
                    operation.path = path;
                    operation.base_urls = vec![base_url]
                        .into_iter()
                        .filter(|b| !b.is_empty())
                        .collect();
                    return Ok(line);
                }
                Block::Heading { text, line, .. } => {
                    let what = if text.eq_ignore_ascii_case("authentication") {
                        "the API's overview page"
                    } else {
                        "a guide or overview page"
                    };
                    return refuse(
                        RefusalKind::NotAnOperation,
                        *line,
                        format!(
                            "`# {title}` (line {title_line}) is {what}, not an operation page: \
                             no `METHOD URL` code block under the title"
                        ),
                    );
                }
                _ => {
                    self.next();
                }
            }
        }
        if self.blocks.len() <= self.at && self.last_line == title_line {
            return refuse(
                RefusalKind::Truncated,
                title_line,
                "the page ends right after its title (the page looks truncated)",
            );
        }
        refuse(
            RefusalKind::NotAnOperation,
            title_line,
            format!(
                "`# {title}` is not an operation page: no `METHOD URL` code block under the title"
            ),
        )
    }

    /// The front matter's title is the page's: `Summary | Site`.
    fn check_title(&self, title_line: usize) -> Result<(), Refusal> {
        let (Some(front), Some(heading)) = (&self.page.title, &self.page.operation.summary) else {
            return Ok(());
        };
        let front_summary = front.rsplit_once(" | ").map_or(front.as_str(), |(s, _)| s);
        let same = |a: &str, b: &str| {
            crate::model::normalize_text(a).eq_ignore_ascii_case(&crate::model::normalize_text(b))
        };
        if same(front_summary, heading) || same(front, heading) {
            return Ok(());
        }
        refuse(
            RefusalKind::WrongOperation,
            title_line,
            format!(
                "the page documents `{heading}` but its front matter's title says `{front}`: \
                 the scrape mixed two pages"
            ),
        )
    }

    fn deprecation(&mut self) {
        let is = |block: Option<&Block>, text: &str| matches!(block, Some(Block::Para(p)) if p.plain().eq_ignore_ascii_case(text));
        if is(self.peek(), "deprecated") && is(self.blocks.get(self.at + 1), DEPRECATION_NOTICE) {
            self.next();
            self.next();
            self.page.operation.deprecated = true;
        }
    }

    /// Everything up to `### Requirements` or the first `##` section.
    fn description(&mut self) {
        if let Some(block) = self.peek() {
            self.page.operation.description_at = Loc::Line(block.line());
        }
        let mut parts: Vec<String> = Vec::new();
        let mut last_list = None;
        while let Some(block) = self.peek() {
            match block {
                Block::Heading { level, text, .. }
                    if *level <= 2 || text.eq_ignore_ascii_case("requirements") =>
                {
                    break;
                }
                Block::Heading { level, text, .. } => {
                    parts.push(format!("{} {text}", "#".repeat(*level)));
                }
                Block::Para(para) => parts.push(para.source.clone()),
                Block::Item { source, list, .. } => {
                    // Items of one list stay one list.
                    match parts.last_mut() {
                        Some(last) if last_list == Some(*list) => {
                            last.push('\n');
                            last.push_str(source);
                        }
                        _ => parts.push(source.clone()),
                    }
                    last_list = Some(*list);
                    self.next();
                    continue;
                }
                Block::Code { text, closed, .. } => {
                    if !closed {
                        break;
                    }
                    parts.push(format!("```\n{}\n```", text.trim_end()));
                }
                Block::Other { .. } => {}
            }
            last_list = None;
            self.next();
        }
        if !parts.is_empty() {
            self.page.operation.description = Some(parts.join("\n\n"));
        }
    }

    fn requirements(&mut self) {
        let auth = &mut self.page.operation.auth;
        let mut list: Option<&mut Vec<String>> = None;
        if let Some(line) = self.blocks.get(self.at.saturating_sub(1)).map(Block::line) {
            auth.at = Loc::Line(line);
        }
        while let Some(block) = self.blocks.get(self.at) {
            match block {
                Block::Heading { level, .. } if *level <= 3 => break,
                Block::Heading { text, .. } => {
                    let name = text.to_lowercase();
                    list = if name.starts_with("scope") {
                        Some(&mut auth.scopes)
                    } else if name.starts_with("auth method") {
                        Some(&mut auth.methods)
                    } else if name.starts_with("token type") {
                        Some(&mut auth.token_types)
                    } else {
                        None
                    };
                }
                Block::Para(para) => {
                    if let Some(list) = list.as_mut() {
                        list.extend(code_spans(para));
                    }
                }
                _ => {}
            }
            self.at += 1;
            self.last_line = block.line();
        }
        for list in [&mut auth.scopes, &mut auth.methods, &mut auth.token_types] {
            list.sort();
            list.dedup();
        }
    }

    /// `## Request`: parameters, then the body.
    fn request(&mut self) -> Result<(), Refusal> {
        let mut location: Option<&'static str> = None;
        let mut media: Vec<String> = Vec::new();
        let mut schema: Option<SchemaReader> = None;
        let mut bodies = 0;
        while let Some(block) = self.peek() {
            if let Block::Heading { level, .. } = block {
                if *level <= 2 {
                    break;
                }
            }
            self.next();
            match block {
                Block::Heading { text, line, .. } => {
                    let name = text.to_lowercase();
                    location = match name.as_str() {
                        "header parameters" => Some("header"),
                        "path parameters" => Some("path"),
                        "query parameters" => Some("query"),
                        "cookie parameters" => Some("cookie"),
                        _ => None,
                    };
                    if name.starts_with("body") {
                        bodies += 1;
                        if bodies == 1 {
                            let mut body = Body {
                                required: name.contains("required"),
                                media_types: std::mem::take(&mut media),
                                at: Loc::Line(*line),
                                ..Body::default()
                            };
                            body.ty = Type {
                                base: Some("object".to_owned()),
                                ..Type::default()
                            };
                            schema = Some(SchemaReader::new(body));
                        } else if let Some(reader) = schema.as_mut() {
                            // The next media type's tab: its schema is not read.
                            reader.skipping = true;
                        }
                    }
                }
                Block::Item { text, .. } if schema.is_none() && is_media_type(text) => {
                    media.push(text.clone());
                }
                Block::Para(para) => {
                    if let Some(location) = location {
                        self.param(location, para)?;
                    } else if let Some(reader) = schema.as_mut() {
                        reader.para(para)?;
                    }
                }
                Block::Item { text, line, .. } => {
                    if let Some(reader) = schema.as_mut() {
                        reader.item(text, *line);
                    }
                }
                Block::Code { line, closed, .. } if !closed => {
                    return refuse(RefusalKind::Truncated, *line, unclosed("code block"));
                }
                _ => {}
            }
        }
        if let Some(reader) = schema {
            self.page.operation.body = Some(reader.finish_unplaced()?);
        }
        Ok(())
    }

    /// One paragraph of a parameter section.
    fn param(&mut self, location: &'static str, para: &Para) -> Result<(), Refusal> {
        let params = &mut self.page.operation.params;
        if let Some(header) = item_header(para)? {
            params.push(Param {
                name: header.name,
                location: location.to_owned(),
                required: header.required,
                deprecated: header.deprecated,
                ty: header.ty,
                at: Loc::Line(para.line),
                ..Param::default()
            });
            return Ok(());
        }
        let Some(param) = params.last_mut() else {
            return Ok(());
        };
        match attribute(para) {
            Some(Attribute::Qualifier(values)) => merge_values(&mut param.values, values),
            Some(Attribute::Default(value)) => param.values.default = Some(value),
            Some(Attribute::Constant(value)) => param.values.allowed = vec![value],
            Some(Attribute::Example(value)) => param.example = Some(value),
            None => append(&mut param.description, &para.source),
        }
        Ok(())
    }

    /// `## Responses`: the status tabs, then a block per status.
    fn responses(&mut self) -> Result<(), Refusal> {
        let heading_line = self.last_line;
        let start = self.at;
        let mut end = start;
        while let Some(block) = self.blocks.get(end) {
            if matches!(block, Block::Heading { level, .. } if *level <= 2) {
                break;
            }
            end += 1;
        }
        let blocks = self.blocks.get(start..end).unwrap_or_default();
        self.at = end;
        if let Some(last) = blocks.last() {
            self.last_line = last.line();
        }
        // A later section (the feedback form, the API explorer) shows the responses are all
        // there: a status with nothing under it has an empty description.
        let complete = self.blocks.get(end).is_some();
        let responses = read_responses(blocks, heading_line, complete)?;
        self.page.operation.responses = responses;
        Ok(())
    }
}

/// Splits the blocks of `## Responses` into one response per listed status.
fn read_responses(
    blocks: &[Block],
    heading_line: usize,
    complete: bool,
) -> Result<Vec<Response>, Refusal> {
    // The status tabs: the leading list items.
    let mut statuses: Vec<(String, usize)> = Vec::new();
    let mut index = 0;
    while let Some(Block::Item { text, line, .. }) = blocks.get(index) {
        if !is_status(text) {
            break;
        }
        statuses.push((text.clone(), *line));
        index += 1;
    }
    if statuses.is_empty() {
        let (line, found) = match blocks.first() {
            Some(Block::Para(para)) => (para.line, para.plain()),
            Some(Block::Item { text, line, .. }) => (*line, format!("- {text}")),
            Some(other) => (other.line(), String::new()),
            None => {
                return refuse(
                    RefusalKind::Truncated,
                    heading_line,
                    "`## Responses` lists no statuses (the page looks truncated)",
                );
            }
        };
        return refuse(
            RefusalKind::OtherFormat,
            line,
            format!(
                "expected the list of statuses (`- 200`, `- 400`, ...) after `## Responses` \
                 (line {heading_line}); found `{}`",
                shorten(&found)
            ),
        );
    }
    // Runs of description paragraphs, and the content blocks between them.
    let mut runs: Vec<Vec<Para>> = vec![Vec::new()];
    let mut contents: Vec<Body> = Vec::new();
    while let Some(block) = blocks.get(index) {
        match block {
            Block::Item { text, .. } if is_media_type(text) => {
                let (content, used) = read_content(blocks.get(index..).unwrap_or_default())?;
                contents.push(content);
                runs.push(Vec::new());
                index += used;
                continue;
            }
            Block::Para(para) => {
                if let Some(run) = runs.last_mut() {
                    run.push(para.clone());
                }
            }
            Block::Item {
                text, source, line, ..
            } => {
                // A list inside a description.
                if let Some(run) = runs.last_mut() {
                    run.push(Para {
                        inlines: vec![Inline::Text(text.clone())],
                        source: source.clone(),
                        links: Vec::new(),
                        line: *line,
                    });
                }
            }
            Block::Code { line, closed, .. } if !closed => {
                return refuse(RefusalKind::Truncated, *line, unclosed("code block"));
            }
            _ => {}
        }
        index += 1;
    }
    assign(statuses, runs, contents, heading_line, complete)
}

/// Gives each status its description and content, in the status list's order.
///
/// The page is: run 0, content 1, run 1, content 2, ..., run k. The last paragraphs of the
/// run before a content are that response's description; any paragraphs before them are the
/// descriptions of responses without content, one paragraph each. Where a run has more
/// paragraphs than that, the responses without content are taken as late as possible (the
/// extra paragraphs continue the content's description).
fn assign(
    statuses: Vec<(String, usize)>,
    runs: Vec<Vec<Para>>,
    contents: Vec<Body>,
    heading_line: usize,
    complete: bool,
) -> Result<Vec<Response>, Refusal> {
    let k = contents.len();
    if k > statuses.len() {
        return refuse(
            RefusalKind::OtherFormat,
            heading_line,
            format!(
                "the status list names {} response(s) but the page has {k} response bodies",
                statuses.len()
            ),
        );
    }
    // How many responses without content each run describes.
    let mut left = statuses.len() - k;
    let mut without: Vec<usize> = vec![0; runs.len()];
    for (i, run) in runs.iter().enumerate().rev() {
        let cap = if i < k {
            run.len().saturating_sub(1)
        } else {
            run.len()
        };
        let take = cap.min(left);
        if let Some(slot) = without.get_mut(i) {
            *slot = take;
        }
        left -= take;
    }
    let mut statuses = statuses.into_iter();
    let mut contents = contents.into_iter();
    let mut out: Vec<Response> = Vec::new();
    for (i, run) in runs.into_iter().enumerate() {
        let count = without.get(i).copied().unwrap_or_default();
        let mut paragraphs = run.into_iter();
        for _ in 0..count {
            let (Some((status, _)), Some(para)) = (statuses.next(), paragraphs.next()) else {
                break;
            };
            out.push(Response {
                status,
                description: Some(para.source.clone()),
                content: None,
                at: Loc::Line(para.line),
            });
        }
        let rest: Vec<Para> = paragraphs.collect();
        if let Some(content) = contents.next() {
            let Some((status, line)) = statuses.next() else {
                break;
            };
            let refs: Vec<&Para> = rest.iter().collect();
            out.push(Response {
                status,
                description: join_sources(&refs),
                at: Loc::Line(rest.first().map_or(line, |p| p.line)),
                content: Some(content),
            });
        } else if count > 0 {
            // The last run: extra paragraphs continue the last description.
            if let Some(last) = out.last_mut() {
                for para in rest {
                    append(&mut last.description, &para.source);
                }
            }
        }
    }
    if complete {
        for (status, line) in statuses.by_ref() {
            out.push(Response {
                status,
                description: None,
                content: None,
                at: Loc::Line(line),
            });
        }
    }
    let missing: Vec<(String, usize)> = statuses.collect();
    if let Some((_, last_status_line)) = missing.last() {
        let missing: Vec<String> = missing.iter().map(|(status, _)| status.clone()).collect();
        let line = out
            .last()
            .and_then(|r| r.at.line())
            .unwrap_or(*last_status_line);
        return refuse(
            RefusalKind::Truncated,
            line,
            format!(
                "the status list names {} response(s) but the page stops before the one(s) for \
                 {} (the page looks truncated)",
                out.len() + missing.len(),
                missing.join(", ")
            ),
        );
    }
    Ok(out)
}

fn join_sources(paras: &[&Para]) -> Option<String> {
    let parts: Vec<&str> = paras.iter().map(|p| p.source.as_str()).collect();
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

/// Reads one response's content: media types, tabs, `**Schema**`, items and a code block
/// per example tab; then skips the panels of its other media types. Returns it and how many
/// blocks it used.
fn read_content(blocks: &[Block]) -> Result<(Body, usize), Refusal> {
    let first_line = blocks.first().map_or(0, Block::line);
    let mut index = 0;
    let mut media: Vec<String> = Vec::new();
    while let Some(Block::Item { text, .. }) = blocks.get(index) {
        if !is_media_type(text) {
            break;
        }
        media.push(text.clone());
        index += 1;
    }
    let body = Body {
        media_types: media,
        at: Loc::Line(first_line),
        ..Body::default()
    };
    let (body, used) = read_panel(blocks.get(index..).unwrap_or_default(), body, true)?;
    index += used;
    let mut body = body;
    // The other media types' panels repeat the tabs: read (for a truncated one) and drop them.
    while let Some(Block::Item { text, .. }) = blocks.get(index) {
        if text != "Schema" {
            break;
        }
        let blocks = blocks.get(index..).unwrap_or_default();
        let (_, used) = read_panel(blocks, Body::default(), false)?;
        index += used;
    }
    place(&mut body);
    Ok((body, index))
}

/// One media type's panel: the tabs, `**Schema**`, the items, the example code blocks
/// (parsed when `examples`).
fn read_panel(blocks: &[Block], body: Body, examples: bool) -> Result<(Body, usize), Refusal> {
    let mut index = 0;
    let mut tabs: Vec<String> = Vec::new();
    while let Some(Block::Item { text, .. }) = blocks.get(index) {
        if is_media_type(text) {
            break;
        }
        tabs.push(text.clone());
        index += 1;
    }
    // Without tabs, a schema is followed by one example at most.
    let expected = if tabs.is_empty() {
        1
    } else {
        tabs.len().saturating_sub(1)
    };
    let mut reader = SchemaReader::new(body);
    let mut codes: Vec<(String, usize, String)> = Vec::new();
    let mut schema_line = None;
    while let Some(block) = blocks.get(index) {
        match block {
            Block::Para(para) if schema_line.is_none() && para.plain() == "Schema" => {
                schema_line = Some(para.line);
                reader.body.at = Loc::Line(para.line);
            }
            Block::Para(para) if codes.is_empty() && schema_line.is_some() => reader.para(para)?,
            Block::Item { text, line, .. }
                if codes.is_empty() && schema_line.is_some() && !is_media_type(text) =>
            {
                reader.item(text, *line);
            }
            Block::Code {
                text, line, closed, ..
            } if codes.len() < expected => {
                if !closed {
                    return refuse(RefusalKind::Truncated, *line, unclosed("example body"));
                }
                let label = tabs.get(codes.len() + 1).cloned().unwrap_or_default();
                codes.push((label, *line, text.clone()));
            }
            Block::Other { .. } => {}
            _ => break,
        }
        index += 1;
        if codes.len() == expected {
            break;
        }
    }
    let body = reader.finish_unplaced()?;
    if codes.len() < expected && !tabs.is_empty() {
        let line = schema_line
            .or_else(|| blocks.get(index.saturating_sub(1)).map(Block::line))
            .unwrap_or_default();
        return refuse(
            RefusalKind::Truncated,
            line,
            format!(
                "the response's schema (here) is not followed by the {expected} example \
                 body(ies) its tabs promise (the page looks truncated)"
            ),
        );
    }
    if !examples {
        return Ok((body, index));
    }
    let body = finish_examples(body, codes)?;
    Ok((body, index))
}

/// Parses the example code blocks, by their tab labels.
fn finish_examples(mut body: Body, codes: Vec<(String, usize, String)>) -> Result<Body, Refusal> {
    let json = body
        .media_types
        .first()
        .is_none_or(|media| media.contains("json") || media == "*/*");
    for (label, line, text) in codes {
        let text = markdown::strip_continuations(&text);
        let value = if json {
            match serde_json::from_str::<Value>(&text) {
                Ok(value) => value,
                Err(err) => {
                    return refuse(
                        RefusalKind::OtherFormat,
                        line + err.line(),
                        format!("expected the example body to be JSON: {err}"),
                    );
                }
            }
        } else {
            Value::String(text.trim_end().to_owned())
        };
        if label.is_empty() || label.contains("(auto)") {
            if body.auto_example.is_none() {
                body.auto_example = Some(value);
                if body.example_at == Loc::Nowhere {
                    body.example_at = Loc::Line(line);
                }
            }
        } else if body.example.is_none() {
            body.example = Some(value);
            body.example_at = Loc::Line(line);
        }
    }
    Ok(body)
}

/// Places the body's fields, with its own example as the oracle.
fn place(body: &mut Body) {
    let oracle = body
        .example
        .as_ref()
        .or(body.auto_example.as_ref())
        .map(Tree::of_example);
    body.guessed = nest::nest(&body.layout, &mut body.fields, oracle.as_ref());
    fix_variants(body);
}

/// A `oneOf` group belongs to the field read before it.
fn fix_variants(body: &mut Body) {
    for variants in &mut body.variants {
        if let Some(index) = variants.path.strip_prefix('#') {
            let path = index
                .parse::<usize>()
                .ok()
                .and_then(|i| body.fields.get(i))
                .map(|f| f.path.clone());
            variants.path = path.unwrap_or_default();
        }
    }
}

/// Reads the schema items of a body.
struct SchemaReader {
    body: Body,
    /// Inside a later media type's tab: read nothing.
    skipping: bool,
    /// Brackets open now, with their lines.
    open: Vec<usize>,
    /// A `oneOf` / `anyOf` line was read; its tab labels follow.
    variants: Option<Variants>,
    /// Inside the tab of a scalar alternative (its type line was read): its description
    /// and values are the alternative's, not a field's.
    in_arm: bool,
}

impl SchemaReader {
    fn new(body: Body) -> SchemaReader {
        SchemaReader {
            body,
            skipping: false,
            open: Vec::new(),
            variants: None,
            in_arm: false,
        }
    }

    fn para(&mut self, para: &Para) -> Result<(), Refusal> {
        if self.skipping {
            return Ok(());
        }
        self.end_variants();
        let text = para.plain();
        let is_arm_type = self.body.variants.last().is_some_and(|group| {
            group.labels.iter().any(|label| label == &text) && is_type_only(&text)
        });
        if is_arm_type {
            self.in_arm = true;
            return Ok(());
        }
        let structural = text == "Array [" || text == "]" || item_header(para)?.is_some();
        if self.in_arm && !structural {
            return Ok(());
        }
        self.in_arm = false;
        if text == "Array [" {
            if self.body.fields.is_empty() && self.body.layout.is_empty() {
                self.body.ty.array += 1;
            }
            self.open.push(para.line);
            self.body.layout.push(Mark::Open);
            return Ok(());
        }
        if text == "]" {
            if self.open.pop().is_none() {
                return refuse(
                    RefusalKind::OtherFormat,
                    para.line,
                    "this `]` closes no `Array [`",
                );
            }
            self.body.layout.push(Mark::Close);
            return Ok(());
        }
        if text == "oneOf" || text == "anyOf" {
            let path = match self.body.layout.iter().rev().find_map(|m| match m {
                Mark::Field(i) => Some(*i),
                _ => None,
            }) {
                Some(index) if self.body.layout.last() == Some(&Mark::Field(index)) => {
                    format!("#{index}")
                }
                _ => String::new(),
            };
            self.variants = Some(Variants {
                path,
                kind: text,
                labels: Vec::new(),
                at: Loc::Line(para.line),
            });
            return Ok(());
        }
        if let Some(header) = item_header(para)? {
            let index = self.body.fields.len();
            self.body.fields.push(Field {
                path: header.name.clone(),
                name: header.name,
                ty: header.ty,
                required: header.required,
                nullable: header.nullable,
                deprecated: header.deprecated,
                at: Loc::Line(para.line),
                ..Field::default()
            });
            self.body.layout.push(Mark::Field(index));
            return Ok(());
        }
        if self.body.layout.last() == Some(&Mark::Open) && is_type_only(&text) {
            // The item type of an array of scalars (`Array [` `string` `]`).
            return Ok(());
        }
        let Some(field) = self.body.fields.last_mut() else {
            append(&mut self.body.description, &para.source);
            return Ok(());
        };
        match attribute(para) {
            Some(Attribute::Qualifier(values)) => merge_values(&mut field.values, values),
            Some(Attribute::Default(value)) => field.values.default = Some(value),
            Some(Attribute::Constant(value)) => field.values.allowed = vec![value],
            Some(Attribute::Example(value)) => field.example = Some(value),
            None => append(&mut field.description, &para.source),
        }
        Ok(())
    }

    fn item(&mut self, text: &str, _line: usize) {
        if self.skipping {
            return;
        }
        if let Some(variants) = self.variants.as_mut() {
            variants.labels.push(text.to_owned());
            return;
        }
        let item = format!("- {text}");
        match self.body.fields.last_mut() {
            Some(field) => append(&mut field.description, &item),
            None => append(&mut self.body.description, &item),
        }
    }

    fn end_variants(&mut self) {
        if let Some(variants) = self.variants.take() {
            self.body.variants.push(variants);
        }
    }

    fn finish_unplaced(mut self) -> Result<Body, Refusal> {
        self.end_variants();
        if let Some(line) = self.open.first() {
            return refuse(
                RefusalKind::Truncated,
                *line,
                "this `Array [` is never closed by a `]` (the page looks truncated)",
            );
        }
        Ok(self.body)
    }
}

/// A schema item's first line: `**name** type` and its flags.
struct Header {
    name: String,
    ty: Type,
    required: bool,
    nullable: bool,
    deprecated: bool,
}

/// `**name** stringrequired`; `None` when the paragraph is not an item's header.
fn item_header(para: &Para) -> Result<Option<Header>, Refusal> {
    let Some((Inline::Strong(name), rest)) = para.inlines.split_first() else {
        return Ok(None);
    };
    let name = name.trim();
    if name.is_empty() || name.ends_with(':') {
        return Ok(None);
    }
    let rest: String = rest
        .iter()
        .map(|inline| match inline {
            Inline::Text(t) | Inline::Code(t) | Inline::Strong(t) => t.as_str(),
        })
        .collect();
    let rest = rest.trim();
    let mut spec = rest;
    let (mut required, mut nullable, mut deprecated) = (false, false, false);
    loop {
        let before = spec;
        for (flag, set) in [
            ("required", &mut required),
            ("nullable", &mut nullable),
            ("deprecated", &mut deprecated),
        ] {
            if let Some(head) = spec.strip_suffix(flag) {
                *set = true;
                spec = head.trim_end();
            }
        }
        if spec == before {
            break;
        }
    }
    match parse_type(spec) {
        Some(ty) => Ok(Some(Header {
            name: name.to_owned(),
            ty,
            required,
            nullable,
            deprecated,
        })),
        // Prose that starts in bold.
        None if rest.contains(char::is_whitespace) || rest.is_empty() => Ok(None),
        None => refuse(
            RefusalKind::OtherFormat,
            para.line,
            format!(
                "expected a type after **{name}** (like `string`, `number`, `object[]` or a \
                 format like `date-time`, maybe with `required` glued on); found `{}`",
                shorten(rest)
            ),
        ),
    }
}

const BASE_TYPES: [&str; 8] = [
    "string", "number", "integer", "boolean", "object", "array", "null", "any",
];

/// `string`, `date-time`, `object[]`, `string<date-time>`, or nothing.
pub fn parse_type(text: &str) -> Option<Type> {
    let mut text = text.trim();
    let mut array = 0;
    while let Some(head) = text.strip_suffix("[]") {
        array += 1;
        text = head.trim_end();
    }
    if text.is_empty() {
        return Some(Type {
            array,
            ..Type::default()
        });
    }
    let (word, format) = match text.split_once('<') {
        Some((word, format)) => (word, Some(format.strip_suffix('>')?.trim().to_owned())),
        None => (text, None),
    };
    let valid = word.starts_with(|c: char| c.is_ascii_alphabetic())
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !valid {
        return None;
    }
    let ty = if BASE_TYPES.contains(&word) {
        Type {
            base: Some(word.to_owned()),
            format,
            array,
        }
    } else if format.is_none() {
        // The site prints a schema's format instead of its type.
        Type {
            base: None,
            format: Some(word.to_owned()),
            array,
        }
    } else {
        return None;
    };
    Some(ty)
}

fn is_type_only(text: &str) -> bool {
    !text.contains(' ') && parse_type(text).is_some_and(|ty| !ty.is_empty())
}

enum Attribute {
    Qualifier(Values),
    Default(Value),
    Constant(String),
    Example(Value),
}

/// `**Possible values:** ...`, `Default value:`, `Constant value:`, `Example:`.
fn attribute(para: &Para) -> Option<Attribute> {
    let text = para.plain();
    if let Some(rest) = text.strip_prefix("Possible values:") {
        return Some(Attribute::Qualifier(qualifier(rest, para)));
    }
    let value = |rest: &str| {
        let raw = rest.trim();
        let raw = raw
            .strip_prefix('`')
            .and_then(|r| r.strip_suffix('`'))
            .unwrap_or(raw);
        serde_json::from_str::<Value>(raw).unwrap_or_else(|_| Value::String(raw.to_owned()))
    };
    if let Some(rest) = text.strip_prefix("Default value:") {
        return Some(Attribute::Default(value(rest)));
    }
    if let Some(rest) = text.strip_prefix("Constant value:") {
        let value = value(rest);
        return Some(Attribute::Constant(
            value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned),
        ));
    }
    if let Some(rest) = text.strip_prefix("Example:") {
        return Some(Attribute::Example(value(rest)));
    }
    None
}

/// The groups after "Possible values:": `[`a`, `b`]` is the enum; other code spans are
/// constraints (`>= 1`, `<= 10 characters`); the pattern is worded.
fn qualifier(rest: &str, para: &Para) -> Values {
    let mut values = Values::default();
    let mut in_brackets = false;
    let mut pattern_next = false;
    for inline in para.inlines.iter().skip(1) {
        match inline {
            Inline::Text(text) => {
                if text.contains('[') {
                    in_brackets = true;
                }
                if text.contains("regular expression") {
                    pattern_next = true;
                }
                if text.contains(']') && !text.contains('[') {
                    in_brackets = false;
                }
            }
            Inline::Code(code) if in_brackets => values.allowed.push(code.clone()),
            Inline::Code(code) if pattern_next => {
                values
                    .constraints
                    .push(format!("Value must match regular expression {code}"));
                pattern_next = false;
            }
            Inline::Code(code) => values.constraints.push(code.trim().to_owned()),
            Inline::Strong(_) => {}
        }
    }
    if values.allowed.is_empty() && values.constraints.is_empty() {
        // Written without code spans: `[a, b]`.
        let inner = rest.trim().trim_start_matches('[').trim_end_matches(']');
        values.allowed = inner
            .split(',')
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect();
    }
    values
}

fn merge_values(into: &mut Values, values: Values) {
    into.allowed.extend(values.allowed);
    into.constraints.extend(values.constraints);
}

/// The `` `quoted` `` items of a paragraph; the whole text when it has none.
fn code_spans(para: &Para) -> Vec<String> {
    let items: Vec<String> = para
        .inlines
        .iter()
        .filter_map(|inline| match inline {
            Inline::Code(code) => Some(code.trim().to_owned()),
            _ => None,
        })
        .filter(|item| !item.is_empty())
        .collect();
    if items.is_empty() {
        return vec![para.plain()];
    }
    items
}

fn append(description: &mut Option<String>, text: &str) {
    match description {
        Some(existing) => {
            existing.push_str("\n\n");
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

/// `application/json`, `*/*`, `text/plain; charset=utf-8`.
pub fn is_media_type(text: &str) -> bool {
    let essence = text.split(';').next().unwrap_or_default().trim();
    let Some((kind, sub)) = essence.split_once('/') else {
        return false;
    };
    let token = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$&-^_.+*".contains(c))
    };
    token(kind) && token(sub)
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
    fn reads_types_as_the_site_prints_them() {
        let show = |text: &str| parse_type(text).map(|t| t.to_string());
        assert_eq!(show("number"), Some("number".to_owned()));
        assert_eq!(show("object[]"), Some("object[]".to_owned()));
        assert_eq!(show("date-time"), Some("date-time".to_owned()));
        assert_eq!(
            show("string<date-time>[][]"),
            Some("date-time[][]".to_owned())
        );
        assert_eq!(show(""), Some("(no type)".to_owned()));
        assert_eq!(show("42"), None);
        assert_eq!(show("two words"), None);
    }

    #[test]
    fn reads_urls_statuses_and_media_types() {
        assert_eq!(
            split_url("https://h.example/a/:id/b?x=1"),
            ("https://h.example".to_owned(), "/a/{id}/b".to_owned())
        );
        assert!(is_status("200") && is_status("4XX") && is_status("default"));
        assert!(!is_status("application/json") && !is_status("Schema") && !is_status("999"));
        assert!(is_media_type("application/json") && is_media_type("*/*"));
        assert!(is_media_type("text/plain; charset=utf-8"));
        assert!(!is_media_type("Schema") && !is_media_type("a / b"));
    }
}
