//! Following a `$ref` to `#/components/<kind>/<name>`: one lookup for every kind of component.

use indexmap::IndexMap;
use openapiv3::{Components, Header, Parameter, ReferenceOr, RequestBody, Response};

use super::Lowerer;
use crate::diag::unescape;

/// A kind of component a `$ref` can name.
pub(super) trait Component: Clone + Sized {
    /// The key under `#/components/`.
    const KIND: &'static str;
    fn all(components: &Components) -> &IndexMap<String, ReferenceOr<Self>>;
}

impl Component for Parameter {
    const KIND: &'static str = "parameters";
    fn all(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.parameters
    }
}

impl Component for RequestBody {
    const KIND: &'static str = "requestBodies";
    fn all(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.request_bodies
    }
}

impl Component for Response {
    const KIND: &'static str = "responses";
    fn all(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.responses
    }
}

impl Component for Header {
    const KIND: &'static str = "headers";
    fn all(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.headers
    }
}

impl Lowerer<'_, '_> {
    /// The component `item` is or refers to, following a chain of references. When it leads
    /// nowhere, warns `this {what} $ref does not lead to {a_noun} under ...; {consequence}`.
    pub(super) fn deref<T: Component>(
        &mut self,
        item: &ReferenceOr<T>,
        pointer: &str,
        (what, a_noun, consequence): (&str, &str, &str),
    ) -> Option<T> {
        // A reference that could not be followed was reported when bundling, with this skip.
        if self.doc.unresolved.contains(pointer) {
            return None;
        }
        let mut current = item;
        // Bounded: resolve reports reference loops, this only keeps the walk finite.
        for _ in 0..8 {
            match current {
                ReferenceOr::Item(found) => return Some(found.clone()),
                ReferenceOr::Reference { reference } => {
                    let prefix = format!("#/components/{}/", T::KIND);
                    let next = reference
                        .strip_prefix(prefix.as_str())
                        .and_then(|key| T::all(self.api.components.as_ref()?).get(&unescape(key)));
                    match next {
                        Some(next) => current = next,
                        None => break,
                    }
                }
            }
        }
        let kind = T::KIND;
        self.warn(
            pointer,
            format!("this {what} `$ref` does not lead to {a_noun} under `#/components/{kind}`; {consequence}"),
            format!("point the reference at `#/components/{kind}/...`"),
        );
        None
    }
}
