//! Splits a page's Markdown into blocks, each with its page line, using pulldown-cmark's
//! offsets. Knows nothing about what the page means.
//!
//! The scraper ends every line inside a collapsible schema item with a backslash, which
//! CommonMark reads as a hard line break: an `Array [` ... `]` group of fields is one paragraph.
//! A line holding only that backslash is where the site had a paragraph break, so the
//! paragraph is split there into the paragraphs the site showed.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// A piece of inline text: what a schema item's header is made of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    /// `**name**`, its text flattened.
    Strong(String),
    /// `` `value` ``.
    Code(String),
}

/// One block of the page, in page order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// `## Responses`, its text without the site's "Direct link" anchor.
    Heading {
        level: usize,
        text: String,
        line: usize,
        /// Where its links point (the site's anchor names the page's own address).
        links: Vec<String>,
    },
    Para(Para),
    /// One item of a bullet or ordered list; `list` is the line its list starts on.
    Item {
        text: String,
        /// Its Markdown source, marker included (`1. Upload`).
        source: String,
        line: usize,
        list: usize,
    },
    /// A fenced or indented code block; `closed` is false when the page ends inside it.
    Code {
        info: String,
        text: String,
        line: usize,
        closed: bool,
    },
    /// A table, rule or HTML block: read by nothing.
    Other {
        line: usize,
    },
}

/// A paragraph as the site showed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Para {
    pub inlines: Vec<Inline>,
    /// Its Markdown source, without the scraper's line-end backslashes.
    pub source: String,
    /// Where its links point.
    pub links: Vec<String>,
    pub line: usize,
}

impl Para {
    /// The text a reader sees, soft line breaks kept as `\n`.
    pub fn plain(&self) -> String {
        let mut out = String::new();
        for inline in &self.inlines {
            match inline {
                Inline::Text(text) | Inline::Strong(text) | Inline::Code(text) => {
                    out.push_str(text)
                }
            }
        }
        clean(&out)
    }
}

impl Block {
    pub fn line(&self) -> usize {
        match self {
            Block::Heading { line, .. }
            | Block::Item { line, .. }
            | Block::Code { line, .. }
            | Block::Other { line } => *line,
            Block::Para(para) => para.line,
        }
    }
}

/// Line numbers of byte offsets.
struct Lines {
    starts: Vec<usize>,
    first: usize,
}

impl Lines {
    fn new(text: &str, first: usize) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(at, _)| at + 1));
        Lines { starts, first }
    }

    fn of(&self, offset: usize) -> usize {
        self.first + self.starts.partition_point(|&start| start <= offset) - 1
    }
}

/// The blocks of `text`, whose first line is page line `first_line`.
pub fn blocks(text: &str, first_line: usize) -> Vec<Block> {
    let lines = Lines::new(text, first_line);
    let mut out = Vec::new();
    let mut state = State::default();
    let parser = Parser::new_ext(text, Options::ENABLE_TABLES).into_offset_iter();
    for (event, range) in parser {
        state.event(event, range, text, &lines, &mut out);
    }
    out
}

/// One run of inline text between hard breaks.
#[derive(Default)]
struct Segment {
    inlines: Vec<Inline>,
    range: Option<Range<usize>>,
}

impl Segment {
    fn is_blank(&self) -> bool {
        self.inlines.iter().all(|inline| match inline {
            Inline::Text(text) => text.trim().is_empty(),
            _ => false,
        })
    }
}

#[derive(Default)]
struct State {
    /// Open inline containers: a paragraph, heading or list item.
    collecting: bool,
    segments: Vec<Segment>,
    strong: usize,
    strong_text: String,
    heading: Option<usize>,
    /// (start line, depth) of open lists, and the open items.
    lists: Vec<usize>,
    items: usize,
    code: Option<(String, Range<usize>)>,
    code_text: String,
    table: usize,
    links: Vec<String>,
    item_start: usize,
    item_end: usize,
}

impl State {
    fn event(
        &mut self,
        event: Event<'_>,
        range: Range<usize>,
        text: &str,
        lines: &Lines,
        out: &mut Vec<Block>,
    ) {
        if self.table > 0 {
            match event {
                Event::Start(Tag::Table(_)) => self.table += 1,
                Event::End(TagEnd::Table) => self.table -= 1,
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(Tag::Table(_)) => {
                self.table = 1;
                out.push(Block::Other {
                    line: lines.of(range.start),
                });
            }
            Event::Start(Tag::Paragraph) if self.items == 0 => self.begin(),
            Event::Start(Tag::Paragraph) => {}
            Event::End(TagEnd::Paragraph) => {
                if self.items == 0 {
                    self.finish_paragraph(text, lines, out);
                } else {
                    // A loose list item: its paragraphs read as one line.
                    self.segments.push(Segment::default());
                }
            }
            Event::Start(Tag::Heading { level, .. }) => {
                self.begin();
                self.heading = Some(level as usize);
            }
            Event::End(TagEnd::Heading(_)) => {
                let level = self.heading.take().unwrap_or(1);
                let segments = std::mem::take(&mut self.segments);
                self.collecting = false;
                let text = heading_text(&segments);
                out.push(Block::Heading {
                    level,
                    text,
                    line: lines.of(range.start),
                    links: std::mem::take(&mut self.links),
                });
            }
            Event::Start(Tag::List(_)) => self.lists.push(lines.of(range.start)),
            Event::End(TagEnd::List(_)) => {
                self.lists.pop();
            }
            Event::Start(Tag::Item) => {
                if self.items > 0 {
                    self.finish_item(text, lines, out);
                }
                self.items += 1;
                self.item_start = range.start;
                self.begin();
                self.segments.push(Segment {
                    inlines: Vec::new(),
                    range: Some(range.start..range.start),
                });
            }
            Event::End(TagEnd::Item) => {
                self.item_end = range.end;
                self.finish_item(text, lines, out);
                self.items = self.items.saturating_sub(1);
                if self.items > 0 {
                    self.begin();
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.trim().to_owned(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((info, range));
                self.code_text.clear();
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((info, range)) = self.code.take() {
                    let source = text.get(range.clone()).unwrap_or_default();
                    out.push(Block::Code {
                        closed: fence_closed(source, &info),
                        info,
                        text: std::mem::take(&mut self.code_text),
                        line: lines.of(range.start),
                    });
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                if self.collecting {
                    self.links.push(dest_url.into_string());
                }
                self.extend(range);
            }
            Event::Start(Tag::Emphasis | Tag::Strikethrough | Tag::Image { .. }) => {
                self.extend(range);
            }
            Event::Start(Tag::Strong) => {
                self.strong += 1;
                self.extend(range);
            }
            Event::End(TagEnd::Strong) => {
                self.strong = self.strong.saturating_sub(1);
                if self.strong == 0 {
                    let strong = std::mem::take(&mut self.strong_text);
                    self.inline(Inline::Strong(strong), range);
                }
            }
            Event::Text(chunk) => {
                if self.code.is_some() {
                    self.code_text.push_str(&chunk);
                } else if self.strong > 0 {
                    self.strong_text.push_str(&chunk);
                } else {
                    self.inline(Inline::Text(chunk.into_string()), range);
                }
            }
            Event::Code(code) => {
                if self.strong > 0 {
                    self.strong_text.push_str(&code);
                } else {
                    self.inline(Inline::Code(code.into_string()), range);
                }
            }
            Event::SoftBreak => {
                if self.strong > 0 {
                    self.strong_text.push(' ');
                } else {
                    self.inline(Inline::Text("\n".to_owned()), range);
                }
            }
            Event::HardBreak if self.collecting => self.segments.push(Segment::default()),
            Event::Html(_) | Event::Rule if !self.collecting => out.push(Block::Other {
                line: lines.of(range.start),
            }),
            _ => {}
        }
    }

    fn begin(&mut self) {
        self.collecting = true;
        self.links.clear();
        self.segments = vec![Segment::default()];
        self.strong = 0;
        self.strong_text.clear();
    }

    /// Widens the current segment's source range to cover an inline construct (a link's
    /// `[text](target "title")`, not only its text).
    fn extend(&mut self, range: Range<usize>) {
        if !self.collecting {
            return;
        }
        if let Some(segment) = self.segments.last_mut() {
            segment.range = Some(match &segment.range {
                Some(existing) => existing.start.min(range.start)..existing.end.max(range.end),
                None => range,
            });
        }
    }

    fn inline(&mut self, inline: Inline, range: Range<usize>) {
        if !self.collecting {
            return;
        }
        if self.segments.is_empty() {
            self.segments.push(Segment::default());
        }
        if let Some(segment) = self.segments.last_mut() {
            // Adjacent text runs (pulldown-cmark splits at escapes) join into one.
            match (segment.inlines.last_mut(), &inline) {
                (Some(Inline::Text(last)), Inline::Text(more)) => last.push_str(more),
                _ => segment.inlines.push(inline),
            }
            segment.range = Some(match &segment.range {
                Some(existing) => existing.start.min(range.start)..existing.end.max(range.end),
                None => range,
            });
        }
    }

    /// Emits the paragraph's parts: runs of segments between blank ones.
    fn finish_paragraph(&mut self, text: &str, lines: &Lines, out: &mut Vec<Block>) {
        self.collecting = false;
        let segments = std::mem::take(&mut self.segments);
        let mut group: Vec<Segment> = Vec::new();
        for segment in segments.into_iter().chain([Segment::default()]) {
            if segment.is_blank() {
                if let Some(mut para) = paragraph(&group, text, lines) {
                    para.links = self.links.clone();
                    out.push(Block::Para(para));
                }
                group.clear();
            } else {
                group.push(segment);
            }
        }
    }

    fn finish_item(&mut self, text: &str, lines: &Lines, out: &mut Vec<Block>) {
        if !self.collecting {
            return;
        }
        let end = self.item_end.max(self.item_start);
        let source = text
            .get(self.item_start..end)
            .unwrap_or_default()
            .trim()
            .to_owned();
        self.collecting = false;
        let segments = std::mem::take(&mut self.segments);
        let start = segments
            .iter()
            .find_map(|s| s.range.as_ref().map(|r| r.start))
            .unwrap_or_default();
        let parts: Vec<String> = segments
            .iter()
            .map(|s| plain(&s.inlines))
            .filter(|s| !s.is_empty())
            .collect();
        out.push(Block::Item {
            text: parts.join(" "),
            source,
            line: lines.of(start),
            list: self.lists.last().copied().unwrap_or_default(),
        });
    }
}

fn plain(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for inline in inlines {
        match inline {
            Inline::Text(text) | Inline::Strong(text) | Inline::Code(text) => out.push_str(text),
        }
    }
    clean(&out)
}

/// Trims white space, reads no-break spaces as spaces and drops the zero-width space the
/// site puts in heading anchors.
pub fn clean(text: &str) -> String {
    text.replace('\u{200b}', "")
        .replace('\u{a0}', " ")
        .trim()
        .to_owned()
}

fn paragraph(group: &[Segment], text: &str, lines: &Lines) -> Option<Para> {
    let first = group.first()?;
    let start = first.range.as_ref().map(|r| r.start)?;
    let mut inlines: Vec<Inline> = Vec::new();
    let mut source = String::new();
    for (index, segment) in group.iter().enumerate() {
        if index > 0 {
            inlines.push(Inline::Text("\n".to_owned()));
            source.push('\n');
        }
        inlines.extend(segment.inlines.iter().cloned());
        if let Some(range) = &segment.range {
            let raw = text.get(range.clone()).unwrap_or_default();
            source.push_str(raw.trim_end().trim_end_matches('\\').trim());
        }
    }
    Some(Para {
        inlines,
        source: source.trim().to_owned(),
        links: Vec::new(),
        line: lines.of(start),
    })
}

/// A heading's text without the anchor link the site appends (`[​](url "Direct link to X")`).
fn heading_text(segments: &[Segment]) -> String {
    let all: Vec<Inline> = segments.iter().flat_map(|s| s.inlines.clone()).collect();
    plain(&all)
}

/// Whether a fenced block's source ends with a closing fence (an indented block always does).
fn fence_closed(source: &str, info: &str) -> bool {
    let trimmed = source.trim_end();
    let first = trimmed.lines().next().unwrap_or_default().trim_start();
    let fence: String = first
        .chars()
        .take_while(|&c| c == '`' || c == '~')
        .collect();
    if fence.len() < 3 {
        // An indented code block.
        return info.is_empty();
    }
    let mut lines = trimmed.lines();
    lines.next();
    lines.next_back().is_some_and(|last| {
        let last = last.trim();
        last.starts_with(&fence) && last.chars().all(|c| c == '`' || c == '~')
    })
}

/// Drops the line-end backslash the scraper puts inside code blocks that show arrays: JSON
/// never ends a line with one, so dropping it is safe.
pub fn strip_continuations(code: &str) -> String {
    code.lines()
        .map(|line| {
            let line = line.trim_end();
            line.strip_suffix('\\').unwrap_or(line)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The words a reader sees in Markdown `text`, white space collapsed: what two descriptions
/// are compared by. Link targets, emphasis and escapes are not words; an admonition
/// (`:::info` ... `:::`, Docusaurus) shows its kind or title as a word of its own.
pub fn plain_text(text: &str) -> String {
    let mut source = String::with_capacity(text.len());
    for line in text.lines() {
        match line.trim().strip_prefix(":::") {
            Some(rest) => {
                let rest = rest.trim();
                if rest.is_empty() {
                    continue;
                }
                let kind: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
                let title = rest
                    .get(kind.len()..)
                    .unwrap_or_default()
                    .trim()
                    .trim_start_matches('[')
                    .trim_end_matches(']');
                source.push_str(if title.is_empty() { &kind } else { title });
                source.push_str("\n\n");
            }
            None => {
                source.push_str(line);
                source.push('\n');
            }
        }
    }
    let mut words = String::new();
    let mut html = String::new();
    for event in Parser::new_ext(&source, Options::ENABLE_TABLES) {
        if let Event::Html(chunk) | Event::InlineHtml(chunk) = &event {
            html.push_str(chunk);
            continue;
        }
        if !html.is_empty() {
            words.push_str(&html_text(&html));
            html.clear();
        }
        match event {
            Event::Text(chunk) | Event::Code(chunk) => words.push_str(&chunk),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(_)
            | Event::Start(Tag::Item | Tag::Paragraph | Tag::Heading { .. }) => words.push(' '),
            _ => {}
        }
    }
    words.push_str(&html_text(&html));
    normalize(&clean(&words))
}

/// The text of an HTML fragment: its tags dropped, common entities decoded.
fn html_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    let mut quote: Option<char> = None;
    for c in html.chars() {
        match (in_tag, quote, c) {
            (true, Some(q), _) if c == q => quote = None,
            (true, Some(_), _) => {}
            (true, None, '"' | '\'') => quote = Some(c),
            (true, None, '>') => {
                in_tag = false;
                out.push(' ');
            }
            (true, None, _) => {}
            (false, _, '<') => in_tag = true,
            (false, _, _) => out.push(c),
        }
    }
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// What two texts are compared by: their words, punctuation-only marks (an icon like `!`)
/// left out.
pub fn comparable(text: &str) -> String {
    plain_text(text)
        .split(' ')
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .collect::<Vec<_>>()
        .join(" ")
}

fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(blocks: &[Block]) -> Vec<(usize, String)> {
        blocks
            .iter()
            .map(|block| match block {
                Block::Heading {
                    level, text, line, ..
                } => (*line, format!("h{level} {text}")),
                Block::Para(para) => (para.line, format!("p {}", para.plain())),
                Block::Item {
                    text, line, list, ..
                } => (*line, format!("item@{list} {text}")),
                Block::Code {
                    text, line, closed, ..
                } => (*line, format!("code closed={closed} {}", text.trim())),
                Block::Other { line } => (*line, "other".to_owned()),
            })
            .collect()
    }

    #[test]
    fn splits_headings_paragraphs_lists_and_code_with_line_numbers() {
        let page = "## Request [\u{200b}](https://x/index.html\\#request \"Direct link to Request\")\n\
                    \n\
                    - 200\n\
                    - 400\n\
                    \n\
                    **items** object\\[\\]\n\
                    \n\
                    Array \\[\\\n\
                    \\\n\
                    **id** string\\\n\
                    \\\n\
                    first line\\\n\
                    second line\\\n\
                    \\\n\
                    \\]\n\
                    \n\
                    ```json\n\
                    [1]\n\
                    ```\n\
                    \n\
                    ```\n\
                    open\n";
        let blocks = blocks(page, 10);
        assert_eq!(
            texts(&blocks),
            vec![
                (10, "h2 Request".to_owned()),
                (12, "item@12 200".to_owned()),
                (13, "item@12 400".to_owned()),
                (15, "p items object[]".to_owned()),
                (17, "p Array [".to_owned()),
                (19, "p id string".to_owned()),
                (21, "p first line\nsecond line".to_owned()),
                (24, "p ]".to_owned()),
                (26, "code closed=true [1]".to_owned()),
                (30, "code closed=false open".to_owned()),
            ]
        );
        let Some(Block::Para(para)) = blocks.get(5) else {
            panic!("{blocks:?}");
        };
        assert_eq!(
            para.inlines,
            vec![
                Inline::Strong("id".to_owned()),
                Inline::Text(" string".to_owned())
            ]
        );
        assert_eq!(para.source, "**id** string");
    }

    #[test]
    fn plain_text_keeps_the_words() {
        assert_eq!(
            plain_text(
                "Status: in\\_progress,\n  [Link](https://x \"t\") `code`\n\n:::info\nPro plan.\n:::"
            ),
            "Status: in_progress, Link code info Pro plan."
        );
        assert_eq!(
            plain_text("### Heading:\n    indented code\n"),
            "Heading: indented code"
        );
    }

    #[test]
    fn drops_line_end_backslashes_in_code() {
        assert_eq!(strip_continuations("[\\\n  1\\\n]"), "[\n  1\n]");
    }
}
