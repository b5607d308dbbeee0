//! The project's own spec, broken by structured mutations the input bytes choose.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

#[path = "../../tests/tests/fuzz_support/mutate.rs"]
mod mutate;

static SPEC: LazyLock<Value> = LazyLock::new(|| {
    serde_yaml::from_str(include_str!("../../spec/openapi.yaml")).unwrap_or(Value::Null)
});

fuzz_target!(|data: &[u8]| {
    let (name, text) = mutate::mutated_text(&SPEC, data);
    mutate::check(name, &text);
});
