//! Bytes as a spec: the first byte picks JSON or YAML, the rest is the document.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/tests/fuzz_support/check.rs"]
mod check;

fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    let name = if first % 2 == 0 { "spec.json" } else { "spec.yaml" };
    check::check(name, &String::from_utf8_lossy(rest));
});
