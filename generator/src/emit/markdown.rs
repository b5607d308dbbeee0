//! The spec's Markdown, patched where rustdoc or clippy would warn about it.
//!
//! A description is parsed with pulldown-cmark (the parser rustdoc and clippy use, with
//! rustdoc's options) and patched at the offsets of what would warn; everything else is kept
//! as the author wrote it. The rules, each for a lint:
//!
//! - every code block is ```` ```text ```` (an untagged or indented block is a doctest, an odd
//!   language or attribute is `invalid_codeblock_attributes`), and an unclosed fence is closed;
//! - a bare URL becomes an autolink `<https://...>` (`rustdoc::bare_urls`);
//! - raw HTML is kept where its tags pair up (`<b>..</b>`, `<br>`, complete comments) and
//!   escaped elsewhere (`rustdoc::invalid_html_tags`: `List<Pet>` reads as an unclosed `<Pet>`
//!   tag); elements that run code or restyle the page are always escaped;
//! - `[x]` that names no link definition is escaped to `\[x\]`, so rustdoc does not take it for
//!   an intra-doc link (`rustdoc::broken_intra_doc_links`);
//! - a line that continues a list item's paragraph is indented to the item's content, and one
//!   that continues a block quote gets its `>` (`clippy::doc_lazy_continuation`,
//!   `clippy::doc_overindented_list_items`);
//! - tabs become spaces (`clippy::tabs_in_doc_comments`), line breaks are `\n` (a bare CR is
//!   a compile error in a doc comment) and text-direction controls are dropped (rustc's
//!   `text_direction_codepoint_in_comment`).
use std::ops::Range;

use pulldown_cmark::{BrokenLink, CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};

/// The options rustdoc parses documentation with.
fn rustdoc_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// What a line of a paragraph is inside, for the continuation rule.
enum Container {
    /// A list item whose content starts at this column.
    Item(usize),
    Quote,
}

/// The text with every construct that would warn patched (see the module docs).
pub fn patch(text: &str) -> String {
    let mut broken: Vec<Range<usize>> = Vec::new();
    let callback = |link: BrokenLink<'_>| {
        broken.push(link.span);
        None
    };
    let parser = Parser::new_with_broken_link_callback(text, rustdoc_options(), Some(callback));
    let mut edits = Edits::default();
    let mut containers: Vec<Container> = Vec::new();
    let mut in_code = false;
    let mut in_link = 0usize;
    // The raw HTML of the text, matched as a whole at the end.
    let mut html: Vec<Range<usize>> = Vec::new();
    // Adjacent text events, searched for URLs together (smart quotes and entities split text).
    let mut run: Option<Range<usize>> = None;
    for (event, range) in parser.into_offset_iter() {
        if let Event::Text(_) = &event {
            if !in_code && in_link == 0 {
                run = match run {
                    Some(r) if r.end == range.start => Some(r.start..range.end),
                    Some(r) => {
                        bare_urls(text, r, &mut edits);
                        Some(range)
                    }
                    None => Some(range),
                };
            }
            continue;
        }
        if let Some(r) = run.take() {
            bare_urls(text, r, &mut edits);
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code = true;
                code_block(text, &kind, range, &mut edits);
            }
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url,
                ..
            }) => {
                in_link += 1;
                path_like_link(text, range, &dest_url, &mut edits);
            }
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => in_link += 1,
            Event::End(TagEnd::Link | TagEnd::Image) => in_link = in_link.saturating_sub(1),
            Event::Start(Tag::Item) => {
                containers.push(Container::Item(content_column(text, range.start)))
            }
            Event::Start(Tag::BlockQuote(_)) => containers.push(Container::Quote),
            Event::End(TagEnd::Item | TagEnd::BlockQuote(_)) => {
                containers.pop();
            }
            Event::Html(_) | Event::InlineHtml(_) => html.push(range),
            Event::SoftBreak if !in_code => continuation(text, range, &containers, &mut edits),
            _ => {}
        }
    }
    if let Some(r) = run.take() {
        bare_urls(text, r, &mut edits);
    }
    escape_html(text, &html, &mut edits);
    for span in broken {
        for (i, c) in text.get(span.clone()).unwrap_or_default().char_indices() {
            let at = span.start + i;
            let escaped = at > 0 && text.as_bytes().get(at - 1) == Some(&b'\\');
            if matches!(c, '[' | ']') && !escaped {
                edits.insert(at, "\\");
            }
        }
    }
    edits.apply(text)
}

/// Replacements in the text, applied together at the end.
#[derive(Default)]
struct Edits {
    list: Vec<(Range<usize>, String)>,
    /// Text to add after the end, such as a closing fence.
    tail: String,
}

impl Edits {
    fn insert(&mut self, at: usize, text: &str) {
        self.list.push((at..at, text.to_owned()));
    }

    fn replace(&mut self, range: Range<usize>, text: &str) {
        self.list.push((range, text.to_owned()));
    }

    /// The text with every edit applied; of two that overlap, the first kept wins.
    fn apply(mut self, text: &str) -> String {
        self.list.sort_by_key(|(r, _)| (r.start, r.end));
        let mut out = String::with_capacity(text.len() + 16 * self.list.len());
        let mut done = 0;
        for (range, replacement) in self.list {
            if range.start < done || range.end > text.len() {
                continue;
            }
            out.push_str(text.get(done..range.start).unwrap_or_default());
            out.push_str(&replacement);
            done = range.end;
        }
        out.push_str(text.get(done..).unwrap_or_default());
        out.push_str(&self.tail);
        out
    }
}

fn line_start(text: &str, at: usize) -> usize {
    text.get(..at)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |i| i + 1)
}

fn line_end(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|after| after.find('\n'))
        .map_or(text.len(), |i| at + i)
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Makes a code block a ```` ```text ```` block: rustdoc compiles untagged and indented
/// blocks as Rust, and warns about attributes it does not know.
fn code_block(text: &str, kind: &CodeBlockKind<'_>, range: Range<usize>, edits: &mut Edits) {
    let first_line_start = line_start(text, range.start);
    let first_line_end = line_end(text, range.start);
    match kind {
        CodeBlockKind::Fenced(_) => {
            let column = range.start - first_line_start;
            let body = text.get(range.start..first_line_end).unwrap_or_default();
            let fence_char = body.chars().next().unwrap_or('`');
            let fence_len = body.len() - body.trim_start_matches(fence_char).len();
            let info_start = range.start + fence_len;
            if text.get(info_start..first_line_end).map(str::trim) != Some("text") {
                edits.replace(info_start..first_line_end, "text");
            }
            // A fence left open runs to the end of the description; close it, so the lines the
            // generator adds after the prose are not code.
            let last_line = text
                .get(line_start(text, range.end.saturating_sub(1))..range.end)
                .unwrap_or_default()
                .trim();
            let closed = range.end > first_line_end
                && last_line.len() >= fence_len
                && last_line.chars().all(|c| c == fence_char);
            if !closed && range.end >= text.len() {
                let fence: String = std::iter::repeat_n(fence_char, fence_len).collect();
                edits.tail = format!("\n{}{fence}", " ".repeat(column));
            }
        }
        CodeBlockKind::Indented => {
            let first_line = text
                .get(first_line_start..first_line_end)
                .unwrap_or_default();
            let indent = indentation(first_line);
            // Under a block quote or a list marker the prefix is not plain indentation; such
            // blocks are rare enough to leave.
            if indent < 4 {
                return;
            }
            let fence_indent = " ".repeat(indent - 4);
            edits.insert(first_line_start, &format!("{fence_indent}```text\n"));
            let end = text
                .get(..range.end)
                .unwrap_or_default()
                .trim_end_matches('\n')
                .len();
            edits.insert(end, &format!("\n{fence_indent}```"));
        }
    }
}

/// The column where a list item's content starts, from its marker at `at`.
fn content_column(text: &str, at: usize) -> usize {
    let start = line_start(text, at);
    // The item's range may start at its indentation rather than at the marker.
    let line = text.get(at..line_end(text, at)).unwrap_or_default();
    let rest = line.trim_start_matches(' ');
    let marker_column = at - start + (line.len() - rest.len());
    let marker = match rest.chars().next() {
        Some('-' | '+' | '*') => 1,
        _ => rest
            .find(['.', ')'])
            .filter(|i| {
                rest.get(..*i)
                    .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit()))
            })
            .map_or(1, |i| i + 1),
    };
    let after = rest.get(marker..).unwrap_or_default();
    let spaces = indentation(after);
    let spaces = if spaces == 0 || spaces > 4 || after.trim().is_empty() {
        1
    } else {
        spaces
    };
    marker_column + marker + spaces
}

/// A paragraph's next line inside a list item starts at the item's content column; inside a
/// block quote it starts with `>`.
fn continuation(text: &str, range: Range<usize>, containers: &[Container], edits: &mut Edits) {
    let next = match text.get(range.start..).and_then(|rest| rest.find('\n')) {
        Some(i) => range.start + i + 1,
        None => return,
    };
    let line = text.get(next..line_end(text, next)).unwrap_or_default();
    let indent = indentation(line);
    let quoted = containers.iter().any(|c| matches!(c, Container::Quote));
    match containers.last() {
        Some(Container::Item(column)) if !quoted && indent != *column => {
            edits.replace(next..next + indent, &" ".repeat(*column));
        }
        Some(Container::Quote) if containers.len() == 1 && !line.trim_start().starts_with('>') => {
            edits.insert(next + indent, "> ");
        }
        _ => {}
    }
}

/// An inline link whose destination has no `/`, `:`, `.`, `#` or `?` reads to rustdoc as an
/// intra-doc link to a Rust path; the spec meant a relative URL, which has no target in the
/// crate's docs. The link is replaced by its text.
fn path_like_link(text: &str, range: Range<usize>, destination: &str, edits: &mut Edits) {
    if destination.contains(['/', ':', '.', '#', '?']) {
        return;
    }
    let Some(source) = text.get(range.clone()) else {
        return;
    };
    if let (Some(inner), true) = (
        source.rfind("](").and_then(|end| source.get(1..end)),
        source.starts_with('['),
    ) {
        edits.replace(range, inner);
    }
}

/// Text outside code and links: every `http://` or `https://` URL is wrapped in `<...>`, and
/// a `[^` that is no footnote reference (those are not text) is escaped, which clippy's
/// `doc_suspicious_footnotes` asks for.
fn bare_urls(text: &str, run: Range<usize>, edits: &mut Edits) {
    let Some(segment) = text.get(run.clone()) else {
        return;
    };
    for (i, _) in segment.match_indices("[^") {
        let at = run.start + i;
        if at == 0 || text.as_bytes().get(at - 1) != Some(&b'\\') {
            edits.insert(at, "\\");
        }
    }
    let mut from = 0;
    while let Some(found) = find_url_start(segment.get(from..).unwrap_or_default()) {
        let start = from + found;
        let rest = segment.get(start..).unwrap_or_default();
        let length = url_length(rest);
        if length > "https://".len() {
            edits.insert(run.start + start, "<");
            edits.insert(run.start + start + length, ">");
        }
        from = start + length.max(1);
    }
}

fn find_url_start(text: &str) -> Option<usize> {
    let http = text.find("http://");
    let https = text.find("https://");
    match (http, https) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// How much of `text` (which starts with a scheme) is the URL: up to a space or a character
/// an autolink cannot hold, without trailing punctuation or an unbalanced `)`.
fn url_length(text: &str) -> usize {
    let mut end = text
        .find(|c: char| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '`' | '"'))
        .unwrap_or(text.len());
    loop {
        let url = text.get(..end).unwrap_or_default();
        let Some(last) = url.chars().last() else {
            return 0;
        };
        let unbalanced = last == ')' && url.matches('(').count() < url.matches(')').count();
        if matches!(
            last,
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | ']' | '*' | '_'
        ) || unbalanced
        {
            end -= last.len_utf8();
        } else {
            return end;
        }
    }
}

/// Void elements, which need no closing tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];
/// Elements that run code or restyle the page: never kept.
const UNSAFE: &[&str] = &[
    "script", "style", "iframe", "object", "embed", "link", "meta", "base",
];

/// One tag of raw HTML.
struct HtmlTag {
    /// Where its `<` is.
    at: usize,
    name: String,
    closing: bool,
    /// `<br/>`, or a void element.
    alone: bool,
}

/// Keeps the raw HTML whose tags pair up (`<b>..</b>`, `<br>`, complete comments), which
/// rustdoc renders, and escapes every other tag's `<` (`List<Pet>`, an unclosed `<div>`),
/// which rustdoc would warn about.
fn escape_html(text: &str, ranges: &[Range<usize>], edits: &mut Edits) {
    // Adjacent events are one run: a tag may span the lines of an HTML block.
    let mut runs: Vec<Range<usize>> = Vec::new();
    for range in ranges {
        match runs.last_mut() {
            Some(last) if last.end == range.start => last.end = range.end,
            _ => runs.push(range.clone()),
        }
    }
    let mut tags = Vec::new();
    let mut unmatched = Vec::new();
    for run in runs {
        let html = text.get(run.clone()).unwrap_or_default();
        let mut from = 0;
        while let Some(found) = html.get(from..).and_then(|rest| rest.find('<')) {
            let at = from + found;
            let rest = html.get(at + 1..).unwrap_or_default();
            if let Some(comment) = rest.strip_prefix("!--") {
                match comment.find("-->") {
                    Some(end) => from = at + 4 + end + 3,
                    None => {
                        unmatched.push(run.start + at);
                        from = at + 1;
                    }
                }
                continue;
            }
            let closing = rest.starts_with('/');
            let name: String = rest
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect::<String>()
                .to_ascii_lowercase();
            match tag_end(rest) {
                Some(end) if !name.is_empty() && !UNSAFE.contains(&name.as_str()) => {
                    let inner = rest.get(..end).unwrap_or_default();
                    let alone = inner.ends_with('/') || VOID.contains(&name.as_str());
                    tags.push(HtmlTag {
                        at: run.start + at,
                        name,
                        closing,
                        alone,
                    });
                    from = at + 1 + end;
                }
                _ => {
                    unmatched.push(run.start + at);
                    from = at + 1;
                }
            }
        }
    }
    // Pair opening and closing tags, innermost first.
    let mut open: Vec<&HtmlTag> = Vec::new();
    for tag in &tags {
        if tag.alone {
            continue;
        }
        if !tag.closing {
            open.push(tag);
            continue;
        }
        match open.iter().rposition(|o| o.name == tag.name) {
            Some(i) => {
                // Tags opened inside it and never closed are left over.
                for left in open.drain(i..).skip(1) {
                    unmatched.push(left.at);
                }
            }
            None => unmatched.push(tag.at),
        }
    }
    unmatched.extend(open.iter().map(|o| o.at));
    for at in unmatched {
        edits.replace(at..at + 1, "&lt;");
    }
}

/// Where a tag's `>` is in `rest` (the text after its `<`), past quoted attribute values;
/// `None` when another `<` or the end comes first.
fn tag_end(rest: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in rest.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i),
            (None, '<') => return None,
            _ => {}
        }
    }
    None
}
