//! From a JSON pointer back to the text: the line, column and bytes a diagnostic points at.
//!
//! The stages work on `serde_json::Value`s, which forget where they came from, so positions are
//! found after the fact: one pass over each file's text with a parser that keeps spans
//! (`saphyr-parser`'s events for YAML, a small scanner for JSON) looks up only the pointers
//! that diagnostics name. A pointer that leads nowhere (a missing field) falls back to the
//! deepest part of it that exists, which is where the missing thing belongs.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use saphyr_parser::{Event, Marker, Parser};

use crate::diag::{Diagnostic, escape};

/// Where a pointer sits in a file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// 1-based line and column (the column in characters, as editors count).
    pub line: usize,
    pub column: usize,
    /// The bytes to underline: a scalar's text, a key for a mapping or list, or one line.
    pub range: Range<usize>,
    /// False when the pointer's last part is missing and an ancestor was found instead.
    pub exact: bool,
}

/// Fills the line, column and range of every diagnostic (and its related places) whose file
/// text is known. Positions a parser already gave are kept.
pub fn fill(diagnostics: &mut [Diagnostic], texts: &BTreeMap<String, String>) {
    let mut wanted: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for d in diagnostics.iter() {
        if d.line.is_none() {
            wanted
                .entry(d.file.as_str())
                .or_default()
                .insert(d.pointer.clone());
        }
        for r in d.related.iter().filter(|r| r.line.is_none()) {
            wanted
                .entry(r.file.as_str())
                .or_default()
                .insert(r.pointer.clone());
        }
    }
    let mut found: HashMap<(String, String), Found> = HashMap::new();
    for (file, pointers) in wanted {
        let Some(text) = texts.get(file) else {
            continue;
        };
        let pointers: Vec<&str> = pointers.iter().map(String::as_str).collect();
        let results = locate_all(text, crate::load::is_json(file), &pointers);
        for (pointer, result) in pointers.iter().zip(results) {
            if let Some(result) = result {
                found.insert((file.to_owned(), (*pointer).to_owned()), result);
            }
        }
    }
    for d in diagnostics.iter_mut() {
        match d.line {
            Some((line, column)) => {
                if d.range.is_none() {
                    d.range = texts
                        .get(&d.file)
                        .and_then(|text| at_position(text, line, column));
                }
            }
            None => {
                if let Some(f) = found.get(&(d.file.clone(), d.pointer.clone())) {
                    d.line = Some((f.line, f.column));
                    d.range = Some(f.range.clone());
                }
            }
        }
        for r in d.related.iter_mut().filter(|r| r.line.is_none()) {
            if let Some(f) = found.get(&(r.file.clone(), r.pointer.clone())) {
                r.line = Some((f.line, f.column));
                r.range = Some(f.range.clone());
            }
        }
    }
}

/// Finds each pointer in `source`; `json` picks the JSON scanner over the YAML parser.
pub fn locate_all(source: &str, json: bool, pointers: &[&str]) -> Vec<Option<Found>> {
    // Every prefix of a wanted pointer, so a missing tail can fall back to its parent.
    let mut wanted: BTreeSet<String> = BTreeSet::new();
    for pointer in pointers {
        let mut prefix = String::new();
        wanted.insert(String::new());
        for token in pointer.split('/').skip(1) {
            prefix.push('/');
            prefix.push_str(token);
            wanted.insert(prefix.clone());
        }
    }
    let nodes = if json {
        JsonScanner::scan(source, &wanted)
    } else {
        yaml_nodes(source, &wanted, None)
    };
    let lines = Lines::new(source);
    let ranges: Vec<Option<(Range<usize>, bool)>> = pointers
        .iter()
        .map(|pointer| {
            let mut candidate: &str = pointer;
            let mut exact = true;
            loop {
                if let Some(node) = nodes.get(candidate) {
                    return Some((node.underline(source), exact));
                }
                let (parent, _) = candidate.rsplit_once('/')?;
                candidate = parent;
                exact = false;
            }
        })
        .collect();
    let starts: Vec<usize> = ranges.iter().flatten().map(|(r, _)| r.start).collect();
    let mut positions = lines.positions(source, &starts).into_iter();
    ranges
        .into_iter()
        .map(|found| {
            let (range, exact) = found?;
            let (line, column) = positions.next()?;
            Some(Found {
                line,
                column,
                range,
                exact,
            })
        })
        .collect()
}

/// Finds one pointer in `source`.
#[cfg(test)]
pub fn locate(source: &str, json: bool, pointer: &str) -> Option<Found> {
    locate_all(source, json, &[pointer])
        .into_iter()
        .next()
        .flatten()
}

/// The range to underline for a position a parser reported (1-based line and column): the
/// character there, or the end of the line when the position is past it.
pub fn at_position(source: &str, line: usize, column: usize) -> Option<Range<usize>> {
    let lines = Lines::new(source);
    let start = lines.byte_at(source, line, column.saturating_sub(1))?;
    let end = source
        .get(start..)
        .and_then(|rest| rest.chars().next())
        .filter(|c| *c != '\n' && *c != '\r')
        .map_or(start, |c| start + c.len_utf8());
    Some(start..end)
}

/// One node of the document: where its key is (inside a mapping) and where its value starts.
#[derive(Debug, Clone)]
struct Node {
    key: Option<Range<usize>>,
    /// The scalar's text, or for a mapping or list the position where it starts.
    value: Range<usize>,
    scalar: bool,
}

impl Node {
    fn underline(&self, source: &str) -> Range<usize> {
        if self.scalar && !self.value.is_empty() {
            return self.value.clone();
        }
        if let Some(key) = &self.key {
            return key.clone();
        }
        // A list item or the root: all of it when it fits on one line, else its first line.
        let whole = source.get(self.value.clone()).unwrap_or_default();
        if !whole.is_empty() && !whole.contains(['\n', '\r']) {
            return self.value.clone();
        }
        let start = self.value.start.min(source.len());
        let rest = source.get(start..).unwrap_or_default();
        let line = rest.split(['\n', '\r']).next().unwrap_or_default();
        let end = start + line.trim_end().len();
        start..end.max(start)
    }
}

/// Byte offsets where lines start, to turn parser markers into byte ranges and back.
struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    fn new(source: &str) -> Lines {
        let mut starts = vec![0];
        let bytes = source.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
            i += 1;
        }
        Lines { starts }
    }

    /// The byte offset of the `column`th character (0-based) of the 1-based `line`.
    fn byte_at(&self, source: &str, line: usize, column: usize) -> Option<usize> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let rest = source.get(start..)?;
        let offset = rest
            .char_indices()
            .nth(column)
            .map_or(rest.len(), |(i, _)| i);
        Some(start + offset)
    }

    /// The 1-based line and character column of each byte offset. Columns are counted in
    /// one pass over the offsets in order, so many places on one long line (a minified
    /// document) cost the line's length once, not once per place.
    fn positions(&self, source: &str, bytes: &[usize]) -> Vec<(usize, usize)> {
        let mut order: Vec<usize> = (0..bytes.len()).collect();
        order.sort_by_key(|i| bytes.get(*i).copied().unwrap_or_default());
        let mut out = vec![(1, 1); bytes.len()];
        // The last offset counted, its line, and the characters from that line's start to it.
        let mut last: Option<(usize, usize, usize)> = None;
        for i in order {
            let byte = bytes.get(i).copied().unwrap_or_default().min(source.len());
            let line = self.starts.partition_point(|&s| s <= byte).max(1);
            let line_start = self.starts.get(line - 1).copied().unwrap_or(0);
            let (from, counted) = match last {
                Some((previous, previous_line, counted)) if previous_line == line => {
                    (previous, counted)
                }
                _ => (line_start, 0),
            };
            let column = counted
                + source
                    .get(from..byte)
                    .map_or(byte.saturating_sub(from), |s| s.chars().count());
            last = Some((byte, line, column));
            if let Some(slot) = out.get_mut(i) {
                *slot = (line, column + 1);
            }
        }
        out
    }
}

/// Character offsets (as the YAML parser counts) to byte offsets, walking forward from the
/// last one asked for: the parser's events come in order, so a long line is walked once.
struct CharToByte<'s> {
    source: &'s str,
    chars: usize,
    bytes: usize,
}

impl<'s> CharToByte<'s> {
    fn new(source: &'s str) -> Self {
        CharToByte {
            source,
            chars: 0,
            bytes: 0,
        }
    }

    fn byte(&mut self, chars: usize) -> usize {
        if chars < self.chars {
            // Backwards: rare, start over.
            self.chars = 0;
            self.bytes = 0;
        }
        let rest = self.source.get(self.bytes..).unwrap_or_default();
        let step = chars - self.chars;
        let advance = rest.char_indices().nth(step).map_or(rest.len(), |(i, _)| i);
        self.bytes += advance;
        self.chars = chars;
        self.bytes
    }
}

/// What a YAML mapping is waiting for next.
enum Key {
    Expecting,
    Scalar(String, Range<usize>),
    /// A key that is itself a mapping or list: nothing under it can be named by a pointer.
    Complex,
}

enum Frame {
    Map {
        key: Key,
        is_key: bool,
        /// The keys seen so far with where they are, to find duplicates.
        seen: HashMap<String, Range<usize>>,
    },
    Seq {
        index: usize,
        is_key: bool,
    },
}

/// A key written twice in one mapping: the parsers keep the last silently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// The pointer both occurrences name.
    pub pointer: String,
    pub first: Found,
    pub second: Found,
}

/// Every key that appears twice in one mapping (first document only, for YAML).
pub fn duplicate_keys(source: &str, json: bool) -> Vec<Duplicate> {
    let wanted = BTreeSet::new();
    let mut duplicates = Vec::new();
    let mut raw = Vec::new();
    if json {
        JsonScanner::scan_with(source, &wanted, Some(&mut raw));
    } else {
        yaml_nodes(source, &wanted, Some(&mut raw));
    }
    let lines = Lines::new(source);
    let starts: Vec<usize> = raw
        .iter()
        .flat_map(|(_, first, second)| [first.start, second.start])
        .collect();
    let mut positions = lines.positions(source, &starts).into_iter();
    let mut found = |range: Range<usize>| {
        let (line, column) = positions.next().unwrap_or((1, 1));
        Found {
            line,
            column,
            range,
            exact: true,
        }
    };
    for (pointer, first, second) in raw {
        let first = found(first);
        let second = found(second);
        duplicates.push(Duplicate {
            pointer,
            first,
            second,
        });
    }
    duplicates
}

/// A duplicate key as the walkers find it: pointer, first key range, second key range.
type RawDuplicate = (String, Range<usize>, Range<usize>);

/// Walks the first document of a YAML text and records the wanted nodes (and, if asked, the
/// duplicate keys).
fn yaml_nodes(
    source: &str,
    wanted: &BTreeSet<String>,
    mut duplicates: Option<&mut Vec<RawDuplicate>>,
) -> HashMap<String, Node> {
    let mut offsets = CharToByte::new(source);
    let mut to_byte = |m: &Marker| offsets.byte(m.index());
    let mut found = HashMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    // The pointer of each open container, root first.
    let mut paths: Vec<String> = Vec::new();
    let mut started = false;
    for event in Parser::new_from_str(source) {
        let Ok((event, span)) = event else {
            break;
        };
        let range = to_byte(&span.start)..to_byte(&span.end);
        let is_node = matches!(
            event,
            Event::Scalar(..)
                | Event::Alias(_)
                | Event::MappingStart(..)
                | Event::SequenceStart(..)
        );
        if is_node {
            if started && stack.is_empty() {
                break; // A second document.
            }
            started = true;
            // Where this node sits: as a key, or as a value under some token.
            let parent = paths.last().cloned().unwrap_or_default();
            let (is_key, pointer, key_range) = match stack.last_mut() {
                None => (false, Some(String::new()), None),
                Some(Frame::Map { key, seen, .. }) => match key {
                    Key::Expecting => {
                        if let (Some(out), Event::Scalar(text, ..)) = (duplicates.as_mut(), &event)
                        {
                            match seen.get(text.as_ref()) {
                                Some(first) => out.push((
                                    format!("{parent}/{}", escape(text)),
                                    first.clone(),
                                    range.clone(),
                                )),
                                None => {
                                    seen.insert(text.to_string(), range.clone());
                                }
                            }
                        }
                        *key = match &event {
                            Event::Scalar(text, ..) => Key::Scalar(text.to_string(), range.clone()),
                            _ => Key::Complex,
                        };
                        (true, None, None)
                    }
                    Key::Scalar(text, key_range) => (
                        false,
                        Some(format!("{parent}/{}", escape(text))),
                        Some(key_range.clone()),
                    ),
                    Key::Complex => (false, None, None),
                },
                Some(Frame::Seq { index, .. }) => (false, Some(format!("{parent}/{index}")), None),
            };
            if let Some(pointer) = &pointer {
                if wanted.contains(pointer) {
                    let scalar = matches!(event, Event::Scalar(..) | Event::Alias(_));
                    found.insert(
                        pointer.clone(),
                        Node {
                            key: key_range,
                            value: if scalar {
                                range.clone()
                            } else {
                                range.start..range.start
                            },
                            scalar,
                        },
                    );
                }
            }
            match event {
                Event::MappingStart(..) => {
                    stack.push(Frame::Map {
                        key: Key::Expecting,
                        is_key,
                        seen: HashMap::new(),
                    });
                    // Under a complex key, no pointer matches: a NUL never appears in one.
                    paths.push(pointer.unwrap_or_else(|| "\0".to_owned()));
                }
                Event::SequenceStart(..) => {
                    stack.push(Frame::Seq { index: 0, is_key });
                    paths.push(pointer.unwrap_or_else(|| "\0".to_owned()));
                }
                _ if !is_key => finish_value(&mut stack),
                _ => {}
            }
        } else if matches!(event, Event::MappingEnd | Event::SequenceEnd) {
            let was_key = match stack.pop() {
                Some(Frame::Map { is_key, .. } | Frame::Seq { is_key, .. }) => is_key,
                None => false,
            };
            paths.pop();
            if !was_key {
                finish_value(&mut stack);
            }
            if stack.is_empty() {
                break;
            }
        } else if matches!(event, Event::DocumentEnd | Event::StreamEnd) && started {
            break;
        }
    }
    found
}

/// A value is complete: its mapping waits for the next key, its list moves to the next item.
fn finish_value(stack: &mut [Frame]) {
    match stack.last_mut() {
        Some(Frame::Map { key, .. }) => *key = Key::Expecting,
        Some(Frame::Seq { index, .. }) => *index += 1,
        None => {}
    }
}

/// A JSON reader that keeps byte positions, enough to find nodes; it gives up (keeping what it
/// found) at the first thing that is not JSON.
struct JsonScanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    wanted: &'a BTreeSet<String>,
    found: HashMap<String, Node>,
    duplicates: Option<Vec<RawDuplicate>>,
}

/// Deeper than this the scanner stops; `serde_json` itself refuses such documents.
const MAX_DEPTH: usize = 256;

impl<'a> JsonScanner<'a> {
    fn scan(text: &'a str, wanted: &'a BTreeSet<String>) -> HashMap<String, Node> {
        Self::scan_with(text, wanted, None)
    }

    fn scan_with(
        text: &'a str,
        wanted: &'a BTreeSet<String>,
        duplicates: Option<&mut Vec<RawDuplicate>>,
    ) -> HashMap<String, Node> {
        let mut scanner = JsonScanner {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            wanted,
            found: HashMap::new(),
            duplicates: duplicates.as_ref().map(|_| Vec::new()),
        };
        scanner.value(&mut String::new(), None, 0);
        if let (Some(out), Some(found)) = (duplicates, scanner.duplicates) {
            out.extend(found);
        }
        scanner.found
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        self.skip_space();
        (self.peek()? == byte).then(|| self.pos += 1)
    }

    /// Reads one value at `pointer` (a buffer shared by the whole walk: tokens are pushed for
    /// children and truncated after). Subtrees no wanted pointer reaches are skipped without
    /// building their pointers, unless duplicate keys are being looked for.
    fn value(
        &mut self,
        pointer: &mut String,
        key: Option<Range<usize>>,
        depth: usize,
    ) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_space();
        let start = self.pos;
        // `wanted` holds every prefix of every wanted pointer, so a subtree is wanted exactly
        // when its own pointer is.
        let record = self.wanted.contains(pointer.as_str());
        if !record && self.duplicates.is_none() {
            return self.skip_value(depth);
        }
        let pointer_len = pointer.len();
        match self.peek()? {
            b'{' => {
                if record {
                    self.record(pointer, key.clone(), start..start, false);
                }
                self.pos += 1;
                self.skip_space();
                if self.peek()? == b'}' {
                    self.pos += 1;
                    if record {
                        self.record(pointer, key, start..self.pos, false);
                    }
                    return Some(());
                }
                let mut seen: HashMap<String, Range<usize>> = HashMap::new();
                loop {
                    self.skip_space();
                    let key_start = self.pos;
                    let name = self.string()?;
                    let key_range = key_start..self.pos;
                    pointer.push('/');
                    pointer.push_str(&escape(&name));
                    if let Some(out) = self.duplicates.as_mut() {
                        match seen.get(&name) {
                            Some(first) => {
                                out.push((pointer.clone(), first.clone(), key_range.clone()))
                            }
                            None => {
                                seen.insert(name, key_range.clone());
                            }
                        }
                    }
                    self.eat(b':')?;
                    self.value(pointer, Some(key_range), depth + 1)?;
                    pointer.truncate(pointer_len);
                    self.skip_space();
                    match self.peek()? {
                        b',' => self.pos += 1,
                        b'}' => {
                            self.pos += 1;
                            if record {
                                self.record(pointer, key, start..self.pos, false);
                            }
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            b'[' => {
                if record {
                    self.record(pointer, key.clone(), start..start, false);
                }
                self.pos += 1;
                self.skip_space();
                if self.peek()? == b']' {
                    self.pos += 1;
                    if record {
                        self.record(pointer, key, start..self.pos, false);
                    }
                    return Some(());
                }
                let mut index = 0usize;
                loop {
                    pointer.push('/');
                    pointer.push_str(&index.to_string());
                    self.value(pointer, None, depth + 1)?;
                    pointer.truncate(pointer_len);
                    index += 1;
                    self.skip_space();
                    match self.peek()? {
                        b',' => self.pos += 1,
                        b']' => {
                            self.pos += 1;
                            if record {
                                self.record(pointer, key, start..self.pos, false);
                            }
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            b'"' => {
                self.string()?;
                if record {
                    self.record(pointer, key, start..self.pos, true);
                }
                Some(())
            }
            _ => {
                while matches!(self.peek(), Some(b) if b.is_ascii_alphanumeric() || b"+-.".contains(&b))
                {
                    self.pos += 1;
                }
                if self.pos == start {
                    return None;
                }
                if record {
                    self.record(pointer, key, start..self.pos, true);
                }
                Some(())
            }
        }
    }

    /// Moves past one value without looking inside it.
    fn skip_value(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_space();
        let start = self.pos;
        match self.peek()? {
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                self.pos += 1;
                self.skip_space();
                if self.peek()? == close {
                    self.pos += 1;
                    return Some(());
                }
                loop {
                    if open == b'{' {
                        self.skip_space();
                        self.skip_string()?;
                        self.eat(b':')?;
                    }
                    self.skip_value(depth + 1)?;
                    self.skip_space();
                    match self.peek()? {
                        b',' => self.pos += 1,
                        b if b == close => {
                            self.pos += 1;
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            b'"' => self.skip_string(),
            _ => {
                while matches!(self.peek(), Some(b) if b.is_ascii_alphanumeric() || b"+-.".contains(&b))
                {
                    self.pos += 1;
                }
                (self.pos != start).then_some(())
            }
        }
    }

    /// Moves past a string literal without decoding it.
    fn skip_string(&mut self) -> Option<()> {
        if self.peek()? != b'"' {
            return None;
        }
        self.pos += 1;
        loop {
            let rest = self.bytes.get(self.pos..)?;
            let stop = rest.iter().position(|b| *b == b'"' || *b == b'\\')?;
            self.pos += stop;
            if self.peek()? == b'"' {
                self.pos += 1;
                return Some(());
            }
            // A backslash: skip it and the byte it escapes (a `\u` escape's digits are plain).
            self.pos += 2;
        }
    }

    fn record(
        &mut self,
        pointer: &str,
        key: Option<Range<usize>>,
        value: Range<usize>,
        scalar: bool,
    ) {
        self.found
            .insert(pointer.to_owned(), Node { key, value, scalar });
    }

    /// Reads a string literal and returns its value.
    fn string(&mut self) -> Option<String> {
        if self.peek()? != b'"' {
            return None;
        }
        self.pos += 1;
        let mut out = String::new();
        loop {
            let rest = self.text.get(self.pos..)?;
            let stop = rest.find(['"', '\\'])?;
            out.push_str(rest.get(..stop)?);
            self.pos += stop;
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    return Some(out);
                }
                _ => {
                    self.pos += 1;
                    let escaped = self.peek()?;
                    self.pos += 1;
                    let c = match escaped {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return None,
                    };
                    out.push(c);
                }
            }
        }
    }

    /// The character of a `\u` escape (the `\u` already read), joining surrogate pairs.
    fn unicode_escape(&mut self) -> Option<char> {
        let high = self.hex4()?;
        if (0xD800..0xDC00).contains(&high) {
            if self.text.get(self.pos..self.pos + 2)? != "\\u" {
                return Some(char::REPLACEMENT_CHARACTER);
            }
            self.pos += 2;
            let low = self.hex4()?;
            let code = 0x10000 + ((high - 0xD800) << 10) + (low.checked_sub(0xDC00)? & 0x3FF);
            return Some(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
        }
        Some(char::from_u32(high).unwrap_or(char::REPLACEMENT_CHARACTER))
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.pos..self.pos + 4)?;
        let value = u32::from_str_radix(digits, 16).ok()?;
        self.pos += 4;
        Some(value)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    const YAML: &str = "\
openapi: 3.1.0
info:
  title: 'Pets'
paths:
  /pets/{id}:
    get:
      parameters:
        - name: id
          in: path
        - $ref: '#/components/parameters/Limit'
      responses: {}
";

    fn at(source: &str, json: bool, pointer: &str) -> (usize, usize, String, bool) {
        let found = locate(source, json, pointer).unwrap();
        let text = source.get(found.range.clone()).unwrap().to_owned();
        (found.line, found.column, text, found.exact)
    }

    #[test]
    fn yaml_scalars_keys_and_items() {
        assert_eq!(at(YAML, false, "/openapi"), (1, 10, "3.1.0".into(), true));
        assert_eq!(
            at(YAML, false, "/info/title"),
            (3, 10, "'Pets'".into(), true)
        );
        assert_eq!(at(YAML, false, "/info"), (2, 1, "info".into(), true));
        assert_eq!(
            at(YAML, false, "/paths/~1pets~1{id}/get"),
            (5 + 1, 5, "get".into(), true)
        );
        assert_eq!(
            at(YAML, false, "/paths/~1pets~1{id}/get/parameters/1/$ref"),
            (10, 17, "'#/components/parameters/Limit'".into(), true)
        );
        assert_eq!(
            at(YAML, false, "/paths/~1pets~1{id}/get/parameters/0/in"),
            (9, 15, "path".into(), true)
        );
        assert_eq!(
            at(YAML, false, "/paths/~1pets~1{id}/get/parameters/0"),
            (8, 11, "name: id".into(), true)
        );
    }

    #[test]
    fn a_missing_tail_falls_back_to_its_parent() {
        assert_eq!(
            at(YAML, false, "/paths/~1pets~1{id}/get/operationId"),
            (6, 5, "get".into(), false)
        );
        assert_eq!(
            at(YAML, false, "/components/x"),
            (1, 1, "openapi: 3.1.0".into(), false)
        );
    }

    #[test]
    fn json_nodes() {
        let json = "{\n  \"openapi\": \"3.1.0\",\n  \"paths\": {\"/a~b\": {\"get\": [1, {\"x\\u0041\": true}]}}\n}";
        assert_eq!(
            at(json, true, "/openapi"),
            (2, 14, "\"3.1.0\"".into(), true)
        );
        assert_eq!(
            at(json, true, "/paths/~1a~0b"),
            (3, 13, "\"/a~b\"".into(), true)
        );
        assert_eq!(
            at(json, true, "/paths/~1a~0b/get/1/xA"),
            (3, 45, "true".into(), true)
        );
        assert_eq!(
            at(json, true, "/paths/~1a~0b/get/1"),
            (3, 33, "{\"x\\u0041\": true}".into(), true)
        );
    }

    #[test]
    fn non_ascii_columns_count_characters() {
        let yaml = "info:\n  title: \"é\"\n  version: 1\n";
        assert_eq!(at(yaml, false, "/info/version"), (3, 12, "1".into(), true));
        let yaml = "x: 'é'\ny: 2\n";
        assert_eq!(at(yaml, false, "/y"), (2, 4, "2".into(), true));
    }

    #[test]
    fn duplicate_keys_are_found() {
        let yaml = "a:\n  b: 1\n  c: 2\n  b: 3\nlist:\n  - {x: 1, x: 2}\n";
        let found = duplicate_keys(yaml, false);
        let summary: Vec<_> = found
            .iter()
            .map(|d| (d.pointer.as_str(), d.first.line, d.second.line))
            .collect();
        assert_eq!(summary, [("/a/b", 2, 4), ("/list/0/x", 6, 6)]);
        let json = "{\"a\": {\"b\": 1, \"b\": 2}, \"c\": [{}]}";
        let found = duplicate_keys(json, true);
        assert_eq!(found.len(), 1);
        assert_eq!(found.first().map(|d| d.pointer.as_str()), Some("/a/b"));
    }

    #[test]
    fn broken_text_never_panics() {
        for text in [
            "{",
            "[1,",
            "\"\\u12",
            "a: [b, {c: d",
            "- - -\n  :",
            "\u{feff}x: 1",
            "{\"a\":\"\\ud800\\u0041\"}",
        ] {
            for json in [true, false] {
                let _ = locate(text, json, "/a/b/0");
            }
        }
        assert_eq!(at_position("ab\ncd", 2, 2), Some(4..5));
        assert_eq!(at_position("ab\ncd", 9, 2), None);
    }
}
