//! API version labels as the documents write them, ordered by release.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A version label such as `1.0`, `VI API 2.5u2`, `vSphere API 5.1` or `8.0.2.0`.
///
/// Ordering follows the numeric release (`1.0` < `VI API 2.5` < `VI API 2.5u2` <
/// `vSphere API 4.0` < … < `8.0.2.0`); the label is kept as written.
#[derive(Clone, Debug)]
pub struct Version {
    label: String,
    numbers: [u32; 4],
    update: u32,
}

/// The pyvmomi version identifiers and the release each names, as the version tables of
/// the pyvmomi reference (`vim/version.rst`, the tables set's `vim.version.md`) list them.
const VERSION_IDS: &[(&str, &str)] = &[
    ("vim.version.version2", "VI API 2.5"),
    ("vim.version.version3", "VI API 2.5u2"),
    ("vim.version.version4", "vSphere API 4.0"),
    ("vim.version.version5", "vSphere API 4.0"),
    ("vim.version.version6", "vSphere API 4.1"),
    ("vim.version.version7", "vSphere API 5.0"),
    ("vim.version.version8", "vSphere API 5.1"),
    ("vim.version.version9", "vSphere API 5.5"),
];

impl Version {
    /// Parses a label (or a pyvmomi identifier such as `vim.version.version9`, which
    /// becomes the label of its release); `None` when it is not a version.
    pub fn parse(label: &str) -> Option<Version> {
        let label = label.trim();
        let label = VERSION_IDS
            .iter()
            .find(|(id, _)| *id == label)
            .map_or(label, |(_, release)| release);
        let rest = ["vSphere API", "VI API", "API", "vSphere"]
            .iter()
            .find_map(|prefix| label.strip_prefix(prefix))
            .unwrap_or(label)
            .trim();
        let (digits, update) = match rest.split_once('u') {
            Some((d, u)) => (d, u.parse().ok()?),
            None => (rest, 0),
        };
        let mut numbers = [0u32; 4];
        for (count, part) in digits.split('.').enumerate() {
            *numbers.get_mut(count)? = part.parse().ok()?;
        }
        Some(Version {
            label: label.to_string(),
            numbers,
            update,
        })
    }

    /// The label as written in the documents.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The numeric release, e.g. `[2, 5, 0, 0]` and update `2` for `VI API 2.5u2`.
    pub fn numbers(&self) -> ([u32; 4], u32) {
        (self.numbers, self.update)
    }

    /// `member`'s since-version when it is newer than its `owner`'s (a field added to a
    /// type, a parameter added to a method): what a client must gate besides the owner.
    pub fn added_after<'v>(
        member: Option<&'v Version>,
        owner: Option<&Version>,
    ) -> Option<&'v Version> {
        member.filter(|m| owner.is_none_or(|o| *m > o))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Version {}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.numbers, self.update).cmp(&(other.numbers, other.update))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

impl Serialize for Version {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.label)
    }
}

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Version::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not a version label: {text:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::Version;

    #[test]
    fn orders_labels_by_release() {
        let labels = [
            "1.0",
            "VI API 2.5",
            "VI API 2.5u2",
            "vSphere API 4.0",
            "vSphere API 4.1",
            "vSphere API 5.0",
            "vSphere API 5.1",
            "vSphere API 6.7.1",
            "8.0.1.0",
            "8.0.2.0",
        ];
        let parsed: Vec<_> = labels.iter().map(|l| Version::parse(l).unwrap()).collect();
        for pair in parsed.windows(2) {
            assert!(pair[0] < pair[1], "{} < {}", pair[0], pair[1]);
        }
        assert_eq!(parsed[2].label(), "VI API 2.5u2");
        assert_eq!(Version::parse("2.5").unwrap(), parsed[1]);
    }

    #[test]
    fn rejects_non_versions() {
        assert!(Version::parse("None").is_none());
        assert!(Version::parse("").is_none());
        assert!(Version::parse("1.2.3.4.5").is_none());
    }
}
