//! Properties gathered from one or more object schemas, in document order.
use openapiv3::{ReferenceOr, Schema};

#[derive(Default)]
pub struct Properties {
    entries: Vec<(String, ReferenceOr<Box<Schema>>, bool, String)>,
}

impl Properties {
    /// Adds a property; a later schema's property replaces an earlier one of the same name.
    pub fn insert(
        &mut self,
        key: String,
        schema: ReferenceOr<Box<Schema>>,
        required: bool,
        pointer: String,
    ) {
        if let Some(entry) = self.entries.iter_mut().find(|e| e.0 == key) {
            entry.1 = schema;
            entry.2 |= required;
            entry.3 = pointer;
        } else {
            self.entries.push((key, schema, required, pointer));
        }
    }

    pub fn contains(&self, key: &str) -> bool {
        self.entries.iter().any(|e| e.0 == key)
    }

    pub fn iter(
        &self,
    ) -> impl Iterator<Item = (&String, &ReferenceOr<Box<Schema>>, &bool, &String)> {
        self.entries.iter().map(|(k, s, r, p)| (k, s, r, p))
    }
}
