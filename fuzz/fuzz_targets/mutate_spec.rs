//! The project's own spec, in OpenAPI 3.0 and 3.1 and in Swagger 2.0, broken by structured
//! mutations the input bytes choose (the last byte picks the version).

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

#[path = "../../tests/tests/fuzz_support/check.rs"]
mod check;
#[path = "../../tests/tests/fuzz_support/mutate.rs"]
mod mutate;

static SPECS: LazyLock<[Value; 3]> = LazyLock::new(|| {
    let parse = |text: &str| serde_yaml::from_str(text).unwrap_or(Value::Null);
    [
        parse(include_str!("../../spec/openapi.yaml")),
        parse(include_str!("../../tests/fixtures/spec-openapi-3-1/openapi.yaml")),
        parse(include_str!("../../tests/fixtures/spec-swagger-2/openapi.yaml")),
    ]
});

fuzz_target!(|data: &[u8]| {
    let (pick, rest) = data.split_last().map_or((0, data), |(p, r)| (*p, r));
    let spec = &SPECS[usize::from(pick) % SPECS.len()];
    let (name, text) = mutate::mutated_text(spec, rest);
    check::check(name, &text);
});
