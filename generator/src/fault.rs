//! Faults planted on purpose, so the tests can show that a bug in any stage is caught and
//! reported as an internal error ([`crate::Severity::Bug`]) rather than crashing or passing
//! for a problem in the spec. Not for users: unless [`VAR`] is set, nothing here does anything.
//!
//! `SDKGEN_FAULT=STAGE` panics at that stage: `load`, `overlay`, `normalize`, `resolve`,
//! `lower`, `span` (on the calling thread), `emit` or `render` (on a file's own thread).
//! `SDKGEN_FAULT=unparsable` makes the emitted tokens of `src/client.rs` something that
//! does not parse.

use std::any::Any;

/// The environment variable that plants a fault.
pub const VAR: &str = "SDKGEN_FAULT";

fn planted(stage: &str) -> bool {
    std::env::var_os(VAR).is_some_and(|v| v == stage)
}

/// Panics when [`VAR`] names `stage`.
#[allow(clippy::panic)] // the point: a panic planted for the tests
pub(crate) fn point(stage: &str) {
    if planted(stage) {
        panic!("a fault planted at the {stage} stage ({VAR})");
    }
}

/// Whether emitted code should be made unparsable (for `path`).
pub(crate) fn unparsable(path: &str) -> bool {
    path == "src/client.rs" && planted("unparsable")
}

/// The message a panic was raised with, when it has one.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}
