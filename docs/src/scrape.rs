//! Splits the Markdown of a scraped page into headings, text lines and code blocks, each with
//! its line number, and undoes the scraper's escapes. Knows nothing about what the page means.

/// One piece of the page.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// `## Responses`, with the scraper's "Direct link" anchor cut off.
    Heading {
        level: usize,
        text: String,
        line: usize,
    },
    /// One non-blank line outside code, unescaped and trimmed.
    Text { text: String, line: usize },
    /// A fenced block; `closed` is false when the page ends inside it.
    Code {
        info: String,
        lines: Vec<String>,
        line: usize,
        closed: bool,
    },
}

/// `lines` are the page's lines from `first_line` (1-based) on, without line ends.
pub fn blocks(lines: &[&str], first_line: usize) -> Vec<Block> {
    let mut out = Vec::new();
    let mut iter = lines.iter().enumerate();
    while let Some((index, raw)) = iter.next() {
        let line = first_line + index;
        let trimmed = raw.trim();
        if let Some(info) = trimmed.strip_prefix("```") {
            let mut code = Vec::new();
            let mut closed = false;
            for (_, inner) in iter.by_ref() {
                if inner.trim_start().starts_with("```") {
                    closed = true;
                    break;
                }
                code.push(strip_continuation(inner).to_owned());
            }
            out.push(Block::Code {
                info: info.trim().to_owned(),
                lines: code,
                line,
                closed,
            });
            continue;
        }
        let text = unescape(trimmed);
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        if let Some((level, heading)) = heading(text) {
            out.push(Block::Heading {
                level,
                text: heading,
                line,
            });
        } else {
            out.push(Block::Text {
                text: text.to_owned(),
                line,
            });
        }
    }
    out
}

fn heading(text: &str) -> Option<(usize, String)> {
    let level = text.chars().take_while(|&c| c == '#').count();
    let rest = text.get(level..)?;
    if !(1..=6).contains(&level) || !rest.starts_with(' ') {
        return None;
    }
    // The scraper keeps each heading's anchor: `Request [](https://...#request "Direct link")`.
    let rest = rest
        .find("[](")
        .map_or(rest, |at| rest.get(..at).unwrap_or(rest));
    Some((level, rest.trim().to_owned()))
}

/// Undoes Markdown escapes (`\[` is `[`) and drops the lone backslash the scraper leaves at
/// the end of lines inside arrays.
pub fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some(&next) if next.is_ascii_punctuation() => {
                out.push(next);
                chars.next();
            }
            None => {}
            Some(_) => out.push(c),
        }
    }
    out
}

/// Inside code the scraper ends array lines with ` \`; JSON never ends a line with a
/// backslash, so dropping one is safe.
fn strip_continuation(line: &str) -> &str {
    let line = line.trim_end();
    line.strip_suffix('\\').unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescapes_brackets_and_drops_trailing_backslashes() {
        assert_eq!(unescape(r"object\[\]"), "object[]");
        assert_eq!(unescape(r"**id** string\"), "**id** string");
        assert_eq!(unescape(r"\-\-\-2021"), "---2021");
        assert_eq!(unescape(r"a\b"), r"a\b");
    }

    #[test]
    fn splits_headings_text_and_code_with_line_numbers() {
        let lines = [
            "## Request [](https://x/index.html\\#request \"Direct link to Request\")",
            "",
            "Array \\[\\",
            "```json",
            "  \"a\": [\\",
            "```",
            "```",
            "open",
        ];
        let blocks = blocks(&lines, 10);
        assert_eq!(
            blocks,
            vec![
                Block::Heading {
                    level: 2,
                    text: "Request".into(),
                    line: 10
                },
                Block::Text {
                    text: "Array [".into(),
                    line: 12
                },
                Block::Code {
                    info: "json".into(),
                    lines: vec!["  \"a\": [".into()],
                    line: 13,
                    closed: true
                },
                Block::Code {
                    info: String::new(),
                    lines: vec!["open".into()],
                    line: 16,
                    closed: false
                },
            ]
        );
    }
}
