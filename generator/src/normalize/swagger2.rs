//! Swagger 2.0 into OpenAPI 3.0.

use std::collections::BTreeMap;

use serde_json::Value;

use super::Normalizer;

pub(super) fn normalize(_n: &mut Normalizer<'_, '_>, _files: &mut BTreeMap<String, Value>) {}
