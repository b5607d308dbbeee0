//! Where normalised values came from, and where original values went.
//!
//! Normalising moves values (`/definitions/Pet` to `/components/schemas/Pet`, a Swagger 2.0
//! body parameter to `requestBody`). Two tables keep the way back and the way forward, both
//! keyed by pointer prefixes and read the same way `resolve::Document::locate` reads its
//! origins: the longest prefix that matches wins and the rest of the pointer is carried over.

use std::collections::BTreeMap;

use crate::diag::{Diagnostic, Location};

/// A map from pointer prefixes to pointers, read by longest matching prefix.
#[derive(Debug, Clone)]
pub struct PrefixMap<T> {
    entries: BTreeMap<String, T>,
}

impl<T> Default for PrefixMap<T> {
    fn default() -> Self {
        PrefixMap {
            entries: BTreeMap::new(),
        }
    }
}

impl<T> PrefixMap<T> {
    pub fn insert(&mut self, prefix: String, value: T) {
        self.entries.insert(prefix, value);
    }

    /// The entry of the longest prefix of `pointer` (itself included), and the rest of it.
    pub fn find<'p>(&self, pointer: &'p str) -> Option<(&T, &'p str)> {
        let mut candidate = pointer;
        loop {
            if let Some(value) = self.entries.get(candidate) {
                return Some((value, pointer.get(candidate.len()..).unwrap_or_default()));
            }
            candidate = candidate.rsplit_once('/')?.0;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The way back: a normalised place (file and pointer prefix) to the place the user wrote.
#[derive(Debug, Default)]
pub struct Moves {
    by_file: BTreeMap<String, PrefixMap<Location>>,
    /// Diagnostics from this index on were raised on the normalised documents; the ones
    /// before (loading, normalising) already point at the user's text.
    pub(super) from: usize,
}

impl Moves {
    /// Records that the value at `pointer` of `file` (normalised) was written at `origin`.
    pub fn note(&mut self, file: &str, pointer: &str, origin: Location) {
        self.by_file
            .entry(file.to_owned())
            .or_default()
            .insert(pointer.to_owned(), origin);
    }

    /// The place in the user's text of a place in the normalised documents.
    pub fn locate(&self, file: &str, pointer: &str) -> Location {
        let found = self
            .by_file
            .get(file)
            .and_then(|map| map.find(pointer))
            .map(|(origin, rest)| {
                Location::new(origin.file.as_str(), format!("{}{rest}", origin.pointer))
            });
        found.unwrap_or_else(|| Location::new(file, pointer))
    }

    /// Points every diagnostic raised after normalising (and its related places) back at
    /// the user's text. One value written once may have become several (a 2.0 body schema
    /// under each media type of `consumes`): what they say is said once.
    pub fn restore(&self, diagnostics: &mut Vec<Diagnostic>) {
        if self.by_file.is_empty() {
            return;
        }
        for d in diagnostics.iter_mut().skip(self.from) {
            if d.line.is_none() {
                let at = self.locate(&d.file, &d.pointer);
                d.file = at.file;
                d.pointer = at.pointer;
            }
            for r in d.related.iter_mut().filter(|r| r.line.is_none()) {
                let at = self.locate(&r.file, &r.pointer);
                r.file = at.file;
                r.pointer = at.pointer;
            }
        }
        let mut kept: Vec<Diagnostic> = Vec::with_capacity(diagnostics.len());
        for d in diagnostics.drain(..) {
            if !kept.contains(&d) {
                kept.push(d);
            }
        }
        *diagnostics = kept;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_prefix_wins_and_the_rest_is_kept() {
        let mut moves = Moves::default();
        moves.note(
            "a.yaml",
            "/components/schemas",
            Location::new("a.yaml", "/definitions"),
        );
        moves.note(
            "a.yaml",
            "/components/schemas/Pet/nullable",
            Location::new("a.yaml", "/definitions/Pet/x-nullable"),
        );
        let at = moves.locate("a.yaml", "/components/schemas/Pet/properties/name");
        assert_eq!(at.pointer, "/definitions/Pet/properties/name");
        let at = moves.locate("a.yaml", "/components/schemas/Pet/nullable");
        assert_eq!(at.pointer, "/definitions/Pet/x-nullable");
        // A sibling that merely starts with the same characters is not under the prefix.
        let at = moves.locate("a.yaml", "/components/schemasX");
        assert_eq!(at.pointer, "/components/schemasX");
        let at = moves.locate("b.yaml", "/components/schemas/Pet");
        assert_eq!(at, Location::new("b.yaml", "/components/schemas/Pet"));
    }
}
