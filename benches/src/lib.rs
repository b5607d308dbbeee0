//! Shared pieces of the benchmarks: a deterministic builder of synthetic OpenAPI documents,
//! the 200 body of the Instagram accounts endpoint at any size, a counting allocator, and
//! the timing helpers (medians, A/B interleaving, ratios).
//!
//! Every figure the benchmarks print that matters is a ratio against a baseline measured
//! in the same run: the machines are shared and noisy, so absolute times alone say little.

pub mod alloc;
pub mod body;
pub mod measure;
pub mod spec;

use std::path::PathBuf;

/// The workspace root (the folder holding `spec/`, `generator/`, ...).
pub fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// HighLevel's published Social Planner spec, read where it lives (never copied).
pub fn social_planner_spec() -> PathBuf {
    workspace_root().join("../shared/highlevel-api-docs/apps/social-media-posting.json")
}

/// `cargo bench` passes `--bench`; anything else (such as `cargo test --all-targets`) runs
/// each benchmark once as a smoke test, the way criterion does.
pub fn bench_mode() -> bool {
    std::env::args().any(|arg| arg == "--bench")
}
