//! Type references in vmodl notation (`string`, `vim.UserSession[]`).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

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

pub(super) fn ser_returns<S: Serializer>(r: &Option<Returns>, s: S) -> Result<S::Ok, S::Error> {
    match r {
        None => s.serialize_none(),
        Some(Returns { ty: None, .. }) => s.serialize_none(),
        Some(Returns { ty: Some(ty), .. }) => ty.serialize(s),
    }
}

pub(super) fn de_returns<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Returns>, D::Error> {
    let ty = Option::<TypeRef>::deserialize(d)?;
    Ok(Some(Returns {
        ty,
        optional: false,
        secret: false,
        description: None,
    }))
}

pub(super) fn ser_fault_names<S: Serializer>(f: &[FaultRef], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(f.iter().map(|f| &f.name))
}

pub(super) fn de_fault_names<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<FaultRef>, D::Error> {
    let names = Vec::<String>::deserialize(d)?;
    Ok(names
        .into_iter()
        .map(|name| FaultRef {
            name,
            description: None,
            source: Loc::new("", 0),
        })
        .collect())
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
