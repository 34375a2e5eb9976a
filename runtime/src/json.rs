//! VI/JSON encoding: the traits every value of the API implements for JSON, the writer
//! request bodies are written with, and the runtime's own impls for primitives.
//!
//! Reading goes through a parsed [`serde_json::Value`]: a body is parsed once, then each
//! value reads its part of the tree. Writing appends bytes to a [`JsonWriter`], in the
//! form serde_json would give (no whitespace; strings and numbers as serde_json writes
//! them), with a data object's `_typeName` first.

use std::fmt;

use serde_json::Value;

use crate::{DateTime, ManagedObjectReference, Secret, VersionGate};

/// Why a VI/JSON value could not be read: what was expected where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct JsonError(pub String);

impl JsonError {
    /// `value` is not what `expected` says.
    pub fn invalid(value: &Value, expected: &str) -> Self {
        let mut text = value.to_string();
        if text.len() > 60 {
            let mut end = 60;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.truncate(end);
            text.push('…');
        }
        JsonError(format!("expected {expected}, found {text}"))
    }

    /// A required member was absent.
    pub fn missing(owner: &str, field: &str) -> Self {
        JsonError(format!("`{owner}` has no `{field}` member"))
    }

    /// Puts `context` (a member name, a type) before the message.
    pub fn within(self, context: &str) -> Self {
        JsonError(format!("{context}: {}", self.0))
    }
}

/// Writes a value as JSON.
pub trait JsonWrite {
    /// Appends the value.
    fn write_json(&self, w: &mut JsonWriter);
}

/// Reads a value from JSON.
pub trait JsonRead: Sized {
    /// Reads the value `v` holds.
    fn read_json(v: &Value) -> Result<Self, JsonError>;
}

/// A JSON writer for request bodies.
#[derive(Debug, Default)]
pub struct JsonWriter {
    buf: Vec<u8>,
    /// Whether the object being written has no member yet.
    first: bool,
    gate: VersionGate,
    /// Whether secrets are written as [`REDACTED`](crate::wirelog::REDACTED) (for logs).
    redact: bool,
}

impl JsonWriter {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// A writer for logs: every [`Secret`] is written as `"[REDACTED]"`.
    pub fn redacting() -> Self {
        JsonWriter {
            redact: true,
            ..Self::default()
        }
    }

    /// The version gate (see [`VersionGate`]): set it before writing to record the
    /// first item newer than its server.
    pub fn gate_mut(&mut self) -> &mut VersionGate {
        &mut self.gate
    }

    /// How many bytes are written so far (to tell whether a value wrote anything).
    pub fn written(&self) -> usize {
        self.buf.len()
    }

    /// The bytes written so far.
    pub fn finish(self) -> Vec<u8> {
        self.buf
    }

    /// Opens an object: `{`, with `"_typeName":"ty"` as its first member when given.
    pub fn begin_object(&mut self, ty: Option<&str>) {
        self.buf.push(b'{');
        self.first = true;
        if let Some(ty) = ty {
            self.key("_typeName");
            self.string(ty);
        }
    }

    /// Closes an object.
    pub fn end_object(&mut self) {
        self.buf.push(b'}');
        self.first = false;
    }

    /// Writes a member name (and the comma before it); its value comes next.
    pub fn key(&mut self, name: &str) {
        if !self.first {
            self.buf.push(b',');
        }
        self.first = true;
        self.string(name);
        self.buf.push(b':');
    }

    /// Writes an array of `values`.
    pub fn array<T: JsonWrite>(&mut self, values: &[T]) {
        self.buf.push(b'[');
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.buf.push(b',');
            }
            v.write_json(self);
        }
        self.buf.push(b']');
        self.first = false;
    }

    /// Writes a string, escaped as serde_json escapes it.
    pub fn string(&mut self, s: &str) {
        self.serde(s);
    }

    /// Writes `null`.
    pub fn null(&mut self) {
        self.raw(b"null");
    }

    /// Writes pre-encoded JSON text.
    pub fn raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
        self.first = false;
    }

    /// Writes a value with serde_json (primitives, [`serde_json::Value`]).
    pub fn serde<T: serde::Serialize + ?Sized>(&mut self, value: &T) {
        // Writing into a Vec fails only for values serde_json refuses (non-string map
        // keys), which no caller passes.
        let _ = serde_json::to_writer(&mut self.buf, value);
        self.first = false;
    }
}

/// Writes `value` as a JSON text.
pub fn to_vec<T: JsonWrite + ?Sized>(value: &T) -> Vec<u8> {
    let mut w = JsonWriter::new();
    value.write_json(&mut w);
    w.finish()
}

/// Writes `value` as a JSON string.
pub fn to_string<T: JsonWrite + ?Sized>(value: &T) -> String {
    String::from_utf8(to_vec(value)).expect("the JSON writer writes UTF-8")
}

/// Parses `bytes` and reads a `T` from it (an empty body reads as `null`).
pub fn from_slice<T: JsonRead>(bytes: &[u8]) -> Result<T, JsonError> {
    T::read_json(&parse(bytes)?)
}

/// Parses `text` and reads a `T` from it.
pub fn from_str<T: JsonRead>(text: &str) -> Result<T, JsonError> {
    from_slice(text.as_bytes())
}

/// Parses a body into a tree; an empty (or all-whitespace) body is `null`.
pub fn parse(bytes: &[u8]) -> Result<Value, JsonError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(bytes).map_err(|e| JsonError(e.to_string()))
}

// ---------------------------------------------------------------------------------------
// Primitive types

impl JsonWrite for str {
    fn write_json(&self, w: &mut JsonWriter) {
        w.string(self);
    }
}

impl JsonWrite for String {
    fn write_json(&self, w: &mut JsonWriter) {
        w.string(self);
    }
}

impl JsonRead for String {
    fn read_json(v: &Value) -> Result<Self, JsonError> {
        v.as_str()
            .map(str::to_string)
            .ok_or_else(|| JsonError::invalid(v, "a string"))
    }
}

impl JsonWrite for bool {
    fn write_json(&self, w: &mut JsonWriter) {
        w.raw(if *self { b"true" } else { b"false" });
    }
}

impl JsonRead for bool {
    fn read_json(v: &Value) -> Result<Self, JsonError> {
        v.as_bool()
            .ok_or_else(|| JsonError::invalid(v, "a boolean"))
    }
}

macro_rules! integers {
    ($($t:ty => $what:literal),*) => {$(
        impl JsonWrite for $t {
            fn write_json(&self, w: &mut JsonWriter) {
                w.serde(self);
            }
        }

        impl JsonRead for $t {
            fn read_json(v: &Value) -> Result<Self, JsonError> {
                v.as_i64()
                    .and_then(|n| <$t>::try_from(n).ok())
                    .ok_or_else(|| JsonError::invalid(v, $what))
            }
        }
    )*};
}

integers!(i8 => "a byte", i16 => "a short", i32 => "an int", i64 => "a long");

macro_rules! floats {
    ($($t:ty => $what:literal),*) => {$(
        impl JsonWrite for $t {
            fn write_json(&self, w: &mut JsonWriter) {
                w.serde(self);
            }
        }

        impl JsonRead for $t {
            fn read_json(v: &Value) -> Result<Self, JsonError> {
                v.as_f64()
                    .map(|n| n as $t)
                    .ok_or_else(|| JsonError::invalid(v, $what))
            }
        }
    )*};
}

floats!(f32 => "a float", f64 => "a double");

impl JsonWrite for DateTime {
    fn write_json(&self, w: &mut JsonWriter) {
        w.serde(self);
    }
}

impl JsonRead for DateTime {
    fn read_json(v: &Value) -> Result<Self, JsonError> {
        serde::Deserialize::deserialize(v).map_err(|_| JsonError::invalid(v, "a dateTime"))
    }
}

impl JsonWrite for ManagedObjectReference {
    /// `{"_typeName":"ManagedObjectReference","type":"Folder","value":"group-d1"}`.
    fn write_json(&self, w: &mut JsonWriter) {
        w.begin_object(Some("ManagedObjectReference"));
        w.key("type");
        w.string(&self.type_);
        w.key("value");
        w.string(&self.value);
        w.end_object();
    }
}

impl JsonRead for ManagedObjectReference {
    fn read_json(v: &Value) -> Result<Self, JsonError> {
        let member = |name: &str| {
            v.get(name)
                .and_then(Value::as_str)
                .ok_or_else(|| JsonError::missing("ManagedObjectReference", name))
        };
        if !v.is_object() {
            return Err(JsonError::invalid(v, "a ManagedObjectReference"));
        }
        Ok(ManagedObjectReference::new(
            member("type")?,
            member("value")?,
        ))
    }
}

impl JsonWrite for Value {
    fn write_json(&self, w: &mut JsonWriter) {
        w.serde(self);
    }
}

impl JsonRead for Value {
    fn read_json(v: &Value) -> Result<Self, JsonError> {
        Ok(v.clone())
    }
}

impl<T: JsonWrite> JsonWrite for Secret<T> {
    fn write_json(&self, w: &mut JsonWriter) {
        if w.redact {
            w.string(crate::wirelog::REDACTED);
        } else {
            self.expose().write_json(w);
        }
    }
}

impl<T: JsonRead> JsonRead for Secret<T> {
    fn read_json(v: &Value) -> Result<Self, JsonError> {
        T::read_json(v).map(Secret::new)
    }
}

impl<T: JsonWrite + ?Sized> JsonWrite for Box<T> {
    fn write_json(&self, w: &mut JsonWriter) {
        (**self).write_json(w);
    }
}

impl<T: JsonRead> JsonRead for Box<T> {
    fn read_json(v: &Value) -> Result<Self, JsonError> {
        T::read_json(v).map(Box::new)
    }
}

impl<T: JsonWrite + ?Sized> JsonWrite for &T {
    fn write_json(&self, w: &mut JsonWriter) {
        (**self).write_json(w);
    }
}

impl fmt::Display for JsonWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.buf))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primitives_write_as_serde_json_does() {
        for s in ["", "a\"b\\c", "line\nfeed\u{1}", "ünï✓ </script>"] {
            assert_eq!(to_string(s), serde_json::to_string(s).unwrap());
            assert_eq!(from_str::<String>(&to_string(s)).unwrap(), s);
        }
        assert_eq!(to_string(&true), "true");
        assert_eq!(to_string(&-42i32), "-42");
        assert_eq!(to_string(&i64::MIN), i64::MIN.to_string());
        assert_eq!(to_string(&0.1f64), "0.1");
        assert_eq!(to_string(&1.0f64), "1.0");
        assert_eq!(to_string(&f64::NAN), "null");
        assert_eq!(
            to_string(&ManagedObjectReference::new("Folder", "group-d1")),
            r#"{"_typeName":"ManagedObjectReference","type":"Folder","value":"group-d1"}"#
        );
        assert_eq!(to_string(&Secret::new("pw".to_string())), r#""pw""#);
    }

    #[test]
    fn primitives_read_and_refuse_garbage() {
        assert_eq!(from_str::<i8>("-128").unwrap(), -128);
        assert_eq!(
            from_str::<i8>("300").unwrap_err().0,
            "expected a byte, found 300"
        );
        assert!(from_str::<i32>("1.5").is_err());
        assert_eq!(
            from_str::<f64>("27.634850449700018").unwrap(),
            27.634850449700018
        );
        assert_eq!(from_str::<f64>("3").unwrap(), 3.0);
        assert!(from_str::<bool>("\"true\"").is_err());
        let moref: ManagedObjectReference =
            from_str(r#"{"_typeName":"ManagedObjectReference","type":"Folder","value":"f"}"#)
                .unwrap();
        assert_eq!(moref, ManagedObjectReference::new("Folder", "f"));
        assert_eq!(
            from_str::<ManagedObjectReference>(r#"{"type":"Folder"}"#)
                .unwrap_err()
                .0,
            "`ManagedObjectReference` has no `value` member"
        );
        let long = "x".repeat(100);
        let e = from_str::<i32>(&format!("\"{long}\"")).unwrap_err().0;
        assert!(e.ends_with("…") && e.len() < 90, "{e}");
    }

    #[test]
    fn date_times_write_as_chrono_serializes() {
        let t: DateTime = from_str("\"2024-01-02T03:04:05.123456Z\"").unwrap();
        assert_eq!(to_string(&t), serde_json::to_string(&t).unwrap());
        assert!(from_str::<DateTime>("\"yesterday\"").is_err());
    }
}
