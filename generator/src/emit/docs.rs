//! Rustdoc attributes from the spec's prose, made safe: the spec's Markdown must not turn into
//! doctests, rustdoc warnings or clippy's doc lints (see [`super::markdown`] for the rules).

use proc_macro2::TokenStream;
use quote::quote;

use super::markdown;
use crate::ir::Doc;

/// `#[doc = "..."]` lines for an item, and `#[deprecated]` when the spec deprecates it.
pub fn outer(doc: &Doc) -> TokenStream {
    let lines = lines(doc);
    let deprecated = deprecated(doc);
    quote!(#(#[doc = #lines])* #deprecated)
}

/// `#[doc = "..."]` lines for an item, with a closing note of the generator's own, and
/// `#[deprecated]` when the spec deprecates it.
pub fn outer_with_note(doc: &Doc, note: &str) -> TokenStream {
    let mut lines = lines(doc);
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(format!(" {note}"));
    let deprecated = deprecated(doc);
    quote!(#(#[doc = #lines])* #deprecated)
}

/// `#[deprecated]` for an item the spec marks `deprecated: true`, with the reason as its note
/// (Markdown made safe as for docs); nothing otherwise.
pub fn deprecated(doc: &Doc) -> TokenStream {
    match &doc.deprecated {
        None => quote!(),
        Some(deprecation) => match &deprecation.note {
            Some(note) => {
                let note = sanitize(note).join(" ");
                quote!(#[deprecated(note = #note)])
            }
            None => quote!(#[deprecated]),
        },
    }
}

/// The doc lines, with a blank line between prose and example.
pub fn lines(doc: &Doc) -> Vec<String> {
    let mut lines: Vec<String> = doc.text.as_deref().map(sanitize).unwrap_or_default();
    if let Some(format) = &doc.format {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(format!("Format: {}", code(format)));
    }
    if let Some(example) = &doc.example {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(format!(
            "Example: `{}`",
            plain_line(&example.replace('`', "'"))
        ));
    }
    lines
        .into_iter()
        .map(|l| if l.is_empty() { l } else { format!(" {l}") })
        .collect()
}

/// The prose as lines of Markdown that rustdoc and clippy accept without a warning.
pub fn sanitize(text: &str) -> Vec<String> {
    let text = normalize(text);
    // Blank lines around the prose go; the first line keeps its indentation, which can give
    // a list its structure.
    let text = text.trim_end();
    let first = text
        .char_indices()
        .find(|(_, c)| !c.is_whitespace())
        .map_or(text.len(), |(i, _)| {
            text.get(..i)
                .and_then(|before| before.rfind('\n'))
                .map_or(0, |j| j + 1)
        });
    let text = text.get(first..).unwrap_or_default();
    // A patch can change how the rest parses (an escaped `<details>` no longer opens an HTML
    // block, so the fences after it become code blocks), so patch until nothing changes.
    let mut patched = markdown::patch(text);
    for _ in 0..4 {
        let again = markdown::patch(&patched);
        if again == patched {
            break;
        }
        patched = again;
    }
    patched
        .lines()
        .map(|line| line.trim_end().to_owned())
        .collect()
}

/// Text the spec gives as a plain string (a title, a version), as one line of Markdown that
/// rustdoc reads without warnings.
pub fn inline(text: &str) -> String {
    sanitize(&plain_line(text)).join(" ")
}

/// A value shown as inline code in a doc line (`` `value` ``): backticks become `'`, and line
/// breaks and tabs spaces.
pub fn code(text: &str) -> String {
    format!("`{}`", plain_line(&text.replace('`', "'")))
}

/// One line of text, for an inline code span: line breaks and the characters
/// [`normalize`] removes are replaced.
fn plain_line(text: &str) -> String {
    normalize(text).replace('\n', " ")
}

/// Line breaks as `\n`, tabs as four spaces, without text-direction controls.
fn normalize(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\t', "    ")
        .chars()
        .filter(|c| !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::sanitize;

    fn doc(text: &str) -> String {
        sanitize(text).join("\n")
    }

    #[test]
    fn code_blocks_are_text() {
        assert_eq!(doc("```\nlet x = 1;\n```"), "```text\nlet x = 1;\n```");
        assert_eq!(doc("```json\n{}\n```"), "```text\n{}\n```");
        assert_eq!(doc("```should-panic,c++\nx\n```"), "```text\nx\n```");
        assert_eq!(
            doc("Intro\n\n    indented\n    code"),
            "Intro\n\n```text\n    indented\n    code\n```"
        );
        assert_eq!(doc("```js\nopen"), "```text\nopen\n```");
        assert_eq!(doc("~~~~\nx\n~~~~"), "~~~~text\nx\n~~~~");
    }

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(
            doc("See https://example.com/a_b?x=1&y=2."),
            "See <https://example.com/a_b?x=1&y=2>."
        );
        assert_eq!(doc("(see http://a.io/x)"), "(see <http://a.io/x>)");
        assert_eq!(
            doc("[docs](https://a.io) <https://b.io>"),
            "[docs](https://a.io) <https://b.io>"
        );
        assert_eq!(doc("`https://a.io`"), "`https://a.io`");
    }

    #[test]
    fn html_is_kept_where_its_tags_pair_up() {
        assert_eq!(doc("A List<Pet> here"), "A List&lt;Pet> here");
        assert_eq!(doc("one<br>two <b>bold</b>"), "one<br>two <b>bold</b>");
        assert_eq!(doc("<!-- note -->\ntext"), "<!-- note -->\ntext");
        assert_eq!(doc("<div>\nblock\n</div>"), "<div>\nblock\n</div>");
        assert_eq!(
            doc("<div><span style=\"a: b;\n c: d\">!</span> <i>x</div>"),
            "<div><span style=\"a: b;\n c: d\">!</span> &lt;i>x</div>"
        );
        // An unclosed comment in a paragraph is text to Markdown and rustdoc alike.
        assert_eq!(doc("a </b> b <!-- open"), "a &lt;/b> b <!-- open");
        assert_eq!(doc("<script>x</script>"), "&lt;script>x&lt;/script>");
    }

    #[test]
    fn brackets_that_name_no_link_are_escaped() {
        assert_eq!(
            doc("filter[status] and [x]"),
            "filter\\[status\\] and \\[x\\]"
        );
        assert_eq!(doc("[a]\n\n[a]: https://a.io"), "[a]\n\n[a]: https://a.io");
        assert_eq!(doc("- [x] done"), "- [x] done");
        assert_eq!(doc("note[^1]"), "note\\[^1]");
        assert_eq!(
            doc("note[^1]\n\n[^1]: the note"),
            "note[^1]\n\n[^1]: the note"
        );
        assert_eq!(doc("see [Pet](Pet) or [x](/x)"), "see Pet or [x](/x)");
    }

    #[test]
    fn list_continuations_are_indented() {
        assert_eq!(doc("- one\ntwo\n- three"), "- one\n  two\n- three");
        assert_eq!(doc("1. one\n        two"), "1. one\n   two");
        assert_eq!(doc("> quoted\nlazy"), "> quoted\n> lazy");
        assert_eq!(
            doc("  - two\n      far\n  - next"),
            "  - two\n    far\n  - next"
        );
    }

    /// Markdown's special characters in many orders: patching never panics.
    #[test]
    fn odd_markdown_never_panics() {
        let alphabet: Vec<char> = "<>[]`*-_ \n\t>#|!(){}:/h1.~\\^\"'&;é".chars().collect();
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..5_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let length = (state % 40) as usize;
            let text: String = (0..length)
                .map(|i| {
                    let x = state.rotate_left(i as u32 * 5);
                    alphabet[(x % alphabet.len() as u64) as usize]
                })
                .collect();
            let _ = sanitize(&text);
            let _ = sanitize(&format!("https://a.io/{text}\n- {text}\n    {text}"));
        }
    }

    #[test]
    fn control_characters() {
        assert_eq!(doc("a\r\nb\rc\td\u{202E}e"), "a\nb\nc    de");
    }
}
