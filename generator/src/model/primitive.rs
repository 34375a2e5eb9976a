//! The vmodl primitive types: one table that the parsers, the model and the emitters read.
//!
//! Each row gives a primitive's vmodl name, every spelling the documentation formats use for
//! it, its JSON-schema spellings (VI/JSON pages), the Rust type that holds it and the
//! properties the emitter needs (`Copy`, `Default`). Nothing else lists primitives.

/// A vmodl primitive type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Primitive {
    /// `string`.
    String,
    /// `boolean`.
    Boolean,
    /// `byte` (signed 8-bit).
    Byte,
    /// `short` (16-bit).
    Short,
    /// `int` (32-bit).
    Int,
    /// `long` (64-bit).
    Long,
    /// `float`.
    Float,
    /// `double`.
    Double,
    /// `dateTime` (ISO 8601).
    DateTime,
    /// `binary` (base64 text on the wire).
    Binary,
    /// `anyType`: any value, tagged with its type on the wire.
    AnyType,
    /// `anyURI`.
    AnyUri,
}

/// What is known of one primitive.
#[derive(Clone, Copy, Debug)]
pub struct PrimitiveInfo {
    /// Which primitive.
    pub primitive: Primitive,
    /// Its vmodl name, as the model writes it.
    pub name: &'static str,
    /// Every spelling of the documentation formats that means it (the vmodl name included).
    pub aliases: &'static [&'static str],
    /// JSON-schema `(type, format)` spellings; a `None` format is the type's default.
    pub json: &'static [(&'static str, Option<&'static str>)],
    /// The Rust type that holds one value, as a path.
    pub rust: &'static str,
    /// Whether the Rust type is `Copy` (passed by value).
    pub copy: bool,
    /// Whether the Rust type implements `Default`.
    pub default: bool,
    /// Whether the Rust type implements `Eq` (floats and `AnyValue` do not).
    pub eq: bool,
}

/// The table: one row per primitive.
pub const PRIMITIVES: &[PrimitiveInfo] = &[
    PrimitiveInfo {
        primitive: Primitive::String,
        name: "string",
        aliases: &[
            "string",
            "str",
            "String",
            "vmodl.TypeName",
            "vmodl.MethodName",
            "vmodl.PropertyPath",
        ],
        json: &[("string", None)],
        rust: "String",
        copy: false,
        default: true,
        eq: true,
    },
    PrimitiveInfo {
        primitive: Primitive::Boolean,
        name: "boolean",
        aliases: &["boolean", "bool", "Boolean"],
        json: &[("boolean", None)],
        rust: "bool",
        copy: true,
        default: true,
        eq: true,
    },
    PrimitiveInfo {
        primitive: Primitive::Byte,
        name: "byte",
        aliases: &["byte"],
        json: &[("integer", Some("int8"))],
        rust: "i8",
        copy: true,
        default: true,
        eq: true,
    },
    PrimitiveInfo {
        primitive: Primitive::Short,
        name: "short",
        aliases: &["short"],
        json: &[("integer", Some("int16"))],
        rust: "i16",
        copy: true,
        default: true,
        eq: true,
    },
    PrimitiveInfo {
        primitive: Primitive::Int,
        name: "int",
        aliases: &["int", "integer", "int32"],
        json: &[("integer", Some("int32")), ("integer", None)],
        rust: "i32",
        copy: true,
        default: true,
        eq: true,
    },
    PrimitiveInfo {
        primitive: Primitive::Long,
        name: "long",
        aliases: &["long", "int64"],
        json: &[("integer", Some("int64"))],
        rust: "i64",
        copy: true,
        default: true,
        eq: true,
    },
    PrimitiveInfo {
        primitive: Primitive::Float,
        name: "float",
        aliases: &["float"],
        json: &[("number", Some("float"))],
        rust: "f32",
        copy: true,
        default: true,
        eq: false,
    },
    PrimitiveInfo {
        primitive: Primitive::Double,
        name: "double",
        aliases: &["double"],
        json: &[("number", Some("double")), ("number", None)],
        rust: "f64",
        copy: true,
        default: true,
        eq: false,
    },
    PrimitiveInfo {
        primitive: Primitive::DateTime,
        name: "dateTime",
        aliases: &["dateTime", "datetime", "date-time"],
        json: &[("string", Some("date-time"))],
        rust: "vsphere_runtime::DateTime",
        copy: false,
        default: false,
        eq: true,
    },
    PrimitiveInfo {
        primitive: Primitive::Binary,
        name: "binary",
        aliases: &["binary", "base64Binary", "base64", "bytearray"],
        json: &[("string", Some("byte")), ("string", Some("binary"))],
        rust: "String",
        copy: false,
        default: true,
        eq: true,
    },
    PrimitiveInfo {
        primitive: Primitive::AnyType,
        name: "anyType",
        aliases: &["anyType", "object", "Any"],
        json: &[("object", None)],
        rust: "vsphere_runtime::AnyValue",
        copy: false,
        default: false,
        eq: false,
    },
    PrimitiveInfo {
        primitive: Primitive::AnyUri,
        name: "anyURI",
        aliases: &["anyURI"],
        json: &[("string", Some("uri"))],
        rust: "String",
        copy: false,
        default: true,
        eq: true,
    },
];

impl Primitive {
    /// The primitive with vmodl name `name` (aliases are not accepted here).
    pub fn from_name(name: &str) -> Option<Primitive> {
        PRIMITIVES
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.primitive)
    }

    /// The primitive a documentation spelling (`str`, `bool`, `datetime`, …) stands for.
    pub fn from_alias(alias: &str) -> Option<Primitive> {
        PRIMITIVES
            .iter()
            .find(|p| p.aliases.contains(&alias))
            .map(|p| p.primitive)
    }

    /// The primitive a JSON-schema type and format mean; `format: None` asks for the
    /// type's default (`integer` → `int`).
    pub fn from_json(json_type: &str, format: Option<&str>) -> Option<Primitive> {
        PRIMITIVES
            .iter()
            .find(|p| p.json.contains(&(json_type, format)))
            .map(|p| p.primitive)
    }

    /// Whether `json_type` is a JSON-schema type some primitive is written as.
    pub fn is_json_type(json_type: &str) -> bool {
        PRIMITIVES
            .iter()
            .any(|p| p.json.iter().any(|(t, _)| *t == json_type))
    }

    /// This primitive's row of the table.
    pub fn info(self) -> &'static PrimitiveInfo {
        // The table has one row per variant, in declaration order (checked by a test).
        &PRIMITIVES[self as usize]
    }

    /// Its vmodl name.
    pub fn name(self) -> &'static str {
        self.info().name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_variant_in_order() {
        for (i, row) in PRIMITIVES.iter().enumerate() {
            assert_eq!(
                row.primitive as usize, i,
                "row {} is out of order",
                row.name
            );
            assert!(
                row.aliases.contains(&row.name),
                "{} lacks its own name",
                row.name
            );
        }
        assert_eq!(PRIMITIVES.len(), Primitive::AnyUri as usize + 1);
    }

    #[test]
    fn lookups() {
        assert_eq!(Primitive::from_alias("str"), Some(Primitive::String));
        assert_eq!(Primitive::from_alias("datetime"), Some(Primitive::DateTime));
        assert_eq!(Primitive::from_alias("vim.UserSession"), None);
        assert_eq!(Primitive::from_name("str"), None);
        assert_eq!(
            Primitive::from_json("integer", Some("int64")),
            Some(Primitive::Long)
        );
        assert_eq!(Primitive::from_json("integer", None), Some(Primitive::Int));
        assert_eq!(
            Primitive::from_json("number", None),
            Some(Primitive::Double)
        );
        assert_eq!(Primitive::from_json("string", Some("password")), None);
        assert!(Primitive::is_json_type("object"));
        assert!(!Primitive::is_json_type("array"));
    }
}
