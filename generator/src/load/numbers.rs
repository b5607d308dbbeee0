//! Numbers as YAML and JSON allow them, read into what a `serde_json::Value` holds.
//!
//! A `Value` holds an `i64`, a `u64` or a finite `f64`. JSON and YAML allow more: integers of
//! any length (`-9223372036854776000`, as JavaScript prints the smallest 64-bit integer) and
//! exponents beyond a float's range (`1e400`). Exactness is not needed where such numbers
//! appear in a description (bounds, examples), so they are read as the nearest value a
//! `Value` holds: a long integer as the nearest float (what `serde_json` itself does for
//! JSON), a number beyond the float range as the largest float, with a warning.

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Reads one YAML document into a `Value`, keeping every number it allows.
pub fn from_yaml(text: &str) -> Result<Value, serde_yaml::Error> {
    Json.deserialize(serde_yaml::Deserializer::from_str(text))
}

/// A JSON text with every number beyond the float range replaced by the largest float of its
/// sign, and the byte range and text of each one replaced (which `serde_json` refuses).
pub fn clamp_json(text: &str) -> (String, Vec<(std::ops::Range<usize>, String)>) {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut clamped = Vec::new();
    let mut done = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                // Past the string, its escapes included.
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    i += if c == b'\\' { 2 } else { 1 };
                    if c == b'"' {
                        break;
                    }
                }
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while matches!(
                    bytes.get(i),
                    Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                ) {
                    i += 1;
                }
                let literal = text.get(start..i).unwrap_or_default();
                if literal.parse::<f64>().is_ok_and(f64::is_infinite) {
                    out.push_str(text.get(done..start).unwrap_or_default());
                    let sign = if literal.starts_with('-') { "-" } else { "" };
                    out.push_str(&format!("{sign}{:e}", f64::MAX));
                    clamped.push((start..i, literal.to_owned()));
                    done = i;
                }
            }
            _ => i += 1,
        }
    }
    out.push_str(text.get(done..).unwrap_or_default());
    (out, clamped)
}

/// Builds a `Value` from any self-describing input, like `Value`'s own `Deserialize`, but
/// with numbers a `Value` cannot hold turned into the nearest it can.
struct Json;

impl<'de> DeserializeSeed<'de> for Json {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

fn float(value: f64) -> Value {
    let value = if value.is_infinite() {
        f64::MAX.copysign(value)
    } else {
        value
    };
    Number::from_f64(value).map_or(Value::Null, Value::Number)
}

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(match i64::try_from(v) {
            Ok(v) => Value::Number(v.into()),
            Err(_) => float(v as f64),
        })
    }

    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(match u64::try_from(v) {
            Ok(v) => Value::Number(v.into()),
            Err(_) => float(v as f64),
        })
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        Json.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Json)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(Json)?;
            entries.insert(key, value);
        }
        Ok(Value::Object(entries))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn yaml_numbers_beyond_64_bits_load() {
        let value = from_yaml("a: -9223372036854776000\nb: 123456789012345678901234567890\nc: 18446744073709551615\nd: .inf\n200: ok\n").unwrap();
        assert_eq!(value["a"].as_f64(), Some(-9.223372036854776e18));
        assert_eq!(value["b"].as_f64(), Some(1.2345678901234568e29));
        assert_eq!(value["c"].as_u64(), Some(u64::MAX));
        assert_eq!(value["d"].as_f64(), Some(f64::MAX));
        assert_eq!(value["200"], "ok");
    }

    #[test]
    fn json_numbers_beyond_the_float_range_are_clamped() {
        let text = r#"{"a": 1e400, "b": "1e400", "c": [-2E+999, 1.5, -3]}"#;
        let (clamped, replaced) = clamp_json(text);
        let value: Value = serde_json::from_str(&clamped).unwrap();
        assert_eq!(value["a"].as_f64(), Some(f64::MAX));
        assert_eq!(value["b"], "1e400");
        assert_eq!(value["c"][0].as_f64(), Some(-f64::MAX));
        assert_eq!(value["c"][1].as_f64(), Some(1.5));
        let literals: Vec<&str> = replaced.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(literals, ["1e400", "-2E+999"]);
        assert_eq!(text.get(replaced[0].0.clone()), Some("1e400"));
    }
}
