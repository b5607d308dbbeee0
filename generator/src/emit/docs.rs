//! Rustdoc attributes from the spec's prose, made safe: the spec's Markdown must not turn into
//! doctests or warnings.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Doc;

/// `#[doc = "..."]` lines for an item.
pub fn outer(doc: &Doc) -> TokenStream {
    let lines = lines(doc);
    quote!(#(#[doc = #lines])*)
}

/// `#[doc = "..."]` lines for an item, with a closing note of the generator's own.
pub fn outer_with_note(doc: &Doc, note: &str) -> TokenStream {
    let mut lines = lines(doc);
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(format!(" {note}"));
    quote!(#(#[doc = #lines])*)
}

/// The doc lines, with a blank line between prose and example.
pub fn lines(doc: &Doc) -> Vec<String> {
    let mut lines: Vec<String> = doc.text.as_deref().map(sanitize).unwrap_or_default();
    if let Some(format) = &doc.format {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(format!("Format: `{format}`"));
    }
    if let Some(example) = &doc.example {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(format!("Example: `{}`", example.replace('`', "'")));
    }
    lines
        .into_iter()
        .map(|l| if l.is_empty() { l } else { format!(" {l}") })
        .collect()
}

/// Splits prose into lines; code fences without a language become `text` (so rustdoc does not
/// compile them) and indentation outside fences is dropped (it would make a code block too).
pub fn sanitize(text: &str) -> Vec<String> {
    let mut in_fence = false;
    let mut out = Vec::new();
    for line in text.trim().lines() {
        let trimmed = line.trim_start();
        if let Some(lang) = trimmed.strip_prefix("```") {
            if !in_fence && (lang.trim().is_empty() || lang.trim() == "rust") {
                out.push("```text".to_owned());
            } else {
                out.push(trimmed.to_owned());
            }
            in_fence = !in_fence;
            continue;
        }
        out.push(if in_fence {
            line.trim_end().to_owned()
        } else {
            trimmed.trim_end().to_owned()
        });
    }
    if in_fence {
        out.push("```".to_owned());
    }
    out
}
