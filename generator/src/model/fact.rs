//! The names of the facts the reconciler chooses and overrides correct.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One fact about a model item, e.g. a parameter's `type` or a method's `since`.
///
/// Variants are declared in the alphabetical order of their names, so a
/// `BTreeMap<Fact, _>` serializes its keys in the same order as a map keyed by the names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fact {
    /// A data or managed object type's base type.
    Base,
    /// A method's deprecation note.
    Deprecated,
    /// A method's or property's VI/JSON binding.
    Http,
    /// Whether a value may be unset.
    Optional,
    /// A method's parameter names.
    Params,
    /// The privilege a method or property requires.
    Privilege,
    /// A method's VI/JSON request-body type.
    RequestType,
    /// A method's return type.
    Returns,
    /// Whether a method's return value may be unset.
    ReturnsOptional,
    /// Whether a method's return value is a credential.
    ReturnsSecret,
    /// Whether a parameter or field carries a credential.
    Secret,
    /// The version that introduced an item.
    Since,
    /// A parameter's, property's or field's type.
    Type,
}

impl Fact {
    /// Every fact, in the order of [`Ord`] (alphabetical by name).
    pub const ALL: [Fact; 13] = [
        Fact::Base,
        Fact::Deprecated,
        Fact::Http,
        Fact::Optional,
        Fact::Params,
        Fact::Privilege,
        Fact::RequestType,
        Fact::Returns,
        Fact::ReturnsOptional,
        Fact::ReturnsSecret,
        Fact::Secret,
        Fact::Since,
        Fact::Type,
    ];

    /// The fact's name as written in `overrides.yaml`, `model.yaml` and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Fact::Base => "base",
            Fact::Deprecated => "deprecated",
            Fact::Http => "http",
            Fact::Optional => "optional",
            Fact::Params => "params",
            Fact::Privilege => "privilege",
            Fact::RequestType => "request_type",
            Fact::Returns => "returns",
            Fact::ReturnsOptional => "returns_optional",
            Fact::ReturnsSecret => "returns_secret",
            Fact::Secret => "secret",
            Fact::Since => "since",
            Fact::Type => "type",
        }
    }
}

impl fmt::Display for Fact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not a [`Fact`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a fact")]
pub struct UnknownFact(pub String);

impl FromStr for Fact {
    type Err = UnknownFact;

    fn from_str(name: &str) -> Result<Fact, UnknownFact> {
        Fact::ALL
            .into_iter()
            .find(|f| f.as_str() == name)
            .ok_or_else(|| UnknownFact(name.to_string()))
    }
}

impl Serialize for Fact {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Fact {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Fact, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::Fact;

    #[test]
    fn order_of_facts_is_the_order_of_their_names() {
        for pair in Fact::ALL.windows(2) {
            assert!(pair[0] < pair[1], "{} before {}", pair[0], pair[1]);
            assert!(pair[0].as_str() < pair[1].as_str(), "{}", pair[1]);
        }
    }

    #[test]
    fn names_round_trip() {
        for fact in Fact::ALL {
            assert_eq!(fact.as_str().parse::<Fact>(), Ok(fact));
            let yaml = serde_yaml::to_string(&fact).unwrap();
            assert_eq!(yaml.trim(), fact.as_str());
            assert_eq!(serde_yaml::from_str::<Fact>(&yaml).unwrap(), fact);
        }
        assert!("privilge".parse::<Fact>().is_err());
    }
}
