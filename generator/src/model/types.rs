//! Type references in vmodl notation (`string`, `vim.UserSession[]`).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::store::{compact_loc, expand_loc, storing};
use super::{FaultRef, Loc, Primitive, Returns};

/// A reference to a type by its vmodl name, e.g. `string`, `dateTime`, `vim.UserSession`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeRef {
    /// vmodl name of the element type.
    pub name: String,
    /// Whether this is an array of `name`.
    pub array: bool,
}

impl TypeRef {
    /// A scalar reference to `name`.
    pub fn scalar(name: impl Into<String>) -> Self {
        TypeRef {
            name: name.into(),
            array: false,
        }
    }

    /// An array of `name`.
    pub fn array_of(name: impl Into<String>) -> Self {
        TypeRef {
            name: name.into(),
            array: true,
        }
    }

    /// The vmodl primitive an alias (`str`, `bool`, `datetime`, …) stands for, if it is one.
    pub fn primitive(alias: &str) -> Option<&'static str> {
        Primitive::from_alias(alias).map(Primitive::name)
    }

    /// Whether this names a vmodl primitive (as opposed to a data, enum or managed type).
    pub fn is_primitive(&self) -> bool {
        self.as_primitive().is_some()
    }

    /// The vmodl primitive this names (by its vmodl name, not an alias), if any.
    pub fn as_primitive(&self) -> Option<Primitive> {
        Primitive::from_name(&self.name)
    }

    /// Parses the `name` or `name[]` notation.
    pub fn parse(text: &str) -> Option<TypeRef> {
        let text = text.trim();
        let (name, array) = match text.strip_suffix("[]") {
            Some(inner) => (inner.trim(), true),
            None => (text, false),
        };
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_');
        valid.then(|| TypeRef {
            name: name.to_string(),
            array,
        })
    }
}

impl fmt::Display for TypeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        if self.array {
            f.write_str("[]")?;
        }
        Ok(())
    }
}

impl Serialize for TypeRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TypeRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        TypeRef::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not a type reference: {text:?}")))
    }
}

/// Whether a method's `returns` is left out of the YAML: only an unknown return, and only in a
/// stored model (elsewhere it is written `null`, like a void return).
pub(super) fn returns_left_out(r: &Option<Returns>) -> bool {
    r.is_none() && storing()
}

/// The stored form of a return value with more to say than its type.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FullReturns {
    #[serde(rename = "type")]
    ty: Option<TypeRef>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    optional: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    secret: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
}

/// The forms a return value is read from: `null` (void), a type, or every fact.
#[derive(Deserialize)]
#[serde(untagged)]
enum ReturnsForm {
    Type(TypeRef),
    Full(FullReturns),
}

pub(super) fn ser_returns<S: Serializer>(r: &Option<Returns>, s: S) -> Result<S::Ok, S::Error> {
    let Some(r) = r else {
        return s.serialize_none();
    };
    let bare = !r.optional && !r.secret && r.description.is_none();
    match &r.ty {
        Some(ty) if bare || !storing() => ty.serialize(s),
        None if bare || !storing() => s.serialize_none(),
        _ => FullReturns {
            ty: r.ty.clone(),
            optional: r.optional,
            secret: r.secret,
            description: r.description.clone(),
        }
        .serialize(s),
    }
}

pub(super) fn de_returns<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Returns>, D::Error> {
    let returns = match Option::<ReturnsForm>::deserialize(d)? {
        None => Returns {
            ty: None,
            optional: false,
            secret: false,
            description: None,
        },
        Some(ReturnsForm::Type(ty)) => Returns {
            ty: Some(ty),
            optional: false,
            secret: false,
            description: None,
        },
        Some(ReturnsForm::Full(f)) => Returns {
            ty: f.ty,
            optional: f.optional,
            secret: f.secret,
            description: f.description,
        },
    };
    Ok(Some(returns))
}

/// The stored form of a fault reference.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FullFault {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    source: Loc,
}

/// The forms a fault reference is read from: its name, or every fact.
#[derive(Deserialize)]
#[serde(untagged)]
enum FaultForm {
    Name(String),
    Full(FullFault),
}

pub(super) fn ser_fault_names<S: Serializer>(f: &[FaultRef], s: S) -> Result<S::Ok, S::Error> {
    if !storing() {
        return s.collect_seq(f.iter().map(|f| &f.name));
    }
    s.collect_seq(f.iter().map(|f| FullFault {
        name: f.name.clone(),
        description: f.description.clone(),
        source: f.source.clone(),
    }))
}

pub(super) fn de_fault_names<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<FaultRef>, D::Error> {
    let forms = Vec::<FaultForm>::deserialize(d)?;
    Ok(forms
        .into_iter()
        .map(|form| match form {
            FaultForm::Name(name) => FaultRef {
                name,
                description: None,
                source: Loc::new("", 0),
            },
            FaultForm::Full(f) => FaultRef {
                name: f.name,
                description: f.description,
                source: f.source,
            },
        })
        .collect())
}

impl Serialize for Loc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if let Some(compact) = compact_loc(self) {
            return s.serialize_str(&compact);
        }
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Loc", 2)?;
        st.serialize_field("file", &self.file)?;
        st.serialize_field("line", &self.line)?;
        st.end()
    }
}

impl<'de> Deserialize<'de> for Loc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LocVisitor)
    }
}

/// Reads `{file, line}` or, in a stored model, `N:line`.
struct LocVisitor;

impl<'de> serde::de::Visitor<'de> for LocVisitor {
    type Value = Loc;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a location: `{file, line}` or, in a stored model, `N:line`")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Loc, E> {
        expand_loc(v).map_err(E::custom)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Loc, A::Error> {
        let (mut file, mut line) = (None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "file" => file = Some(map.next_value::<String>()?),
                "line" => line = Some(map.next_value::<u32>()?),
                other => {
                    return Err(serde::de::Error::unknown_field(other, &["file", "line"]));
                }
            }
        }
        let file = file.ok_or_else(|| serde::de::Error::missing_field("file"))?;
        let line = line.ok_or_else(|| serde::de::Error::missing_field("line"))?;
        Ok(Loc::new(file, line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_arrays() {
        let t = TypeRef::parse("vim.UserSession[]").unwrap();
        assert!(t.array);
        assert_eq!(t.name, "vim.UserSession");
        assert_eq!(t.to_string(), "vim.UserSession[]");
        assert_eq!(TypeRef::parse("not a type"), None);
    }

    #[test]
    fn aliases_map_to_vmodl_primitives() {
        assert_eq!(TypeRef::primitive("str"), Some("string"));
        assert_eq!(TypeRef::primitive("datetime"), Some("dateTime"));
        assert_eq!(TypeRef::primitive("vim.UserSession"), None);
    }
}
