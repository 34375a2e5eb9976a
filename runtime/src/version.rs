//! API versions, for gating methods a server does not have.

use std::fmt;

/// A vSphere API version (`2.5u2`, `6.7.1`, `8.0.2.0`), ordered by release.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ApiVersion {
    numbers: [u32; 4],
    update: u32,
}

impl ApiVersion {
    /// A version from its numeric parts and update number (`2.5u2` is `[2, 5, 0, 0], 2`).
    pub const fn new(numbers: [u32; 4], update: u32) -> Self {
        ApiVersion { numbers, update }
    }

    /// Parses an `about.apiVersion` string such as `8.0.2.0` or `2.5u2`.
    pub fn parse(text: &str) -> Option<ApiVersion> {
        let text = text.trim();
        let (digits, update) = match text.split_once('u') {
            Some((d, u)) => (d, u.parse().ok()?),
            None => (text, 0),
        };
        let mut numbers = [0u32; 4];
        let mut parts = digits.split('.');
        for slot in &mut numbers {
            match parts.next() {
                Some(p) => *slot = p.parse().ok()?,
                None => break,
            }
        }
        if parts.next().is_some() || digits.is_empty() {
            return None;
        }
        Some(ApiVersion { numbers, update })
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d] = self.numbers;
        write!(f, "{a}.{b}")?;
        if c != 0 || d != 0 {
            write!(f, ".{c}")?;
        }
        if d != 0 {
            write!(f, ".{d}")?;
        }
        if self.update != 0 {
            write!(f, "u{}", self.update)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::ApiVersion;

    #[test]
    fn orders_releases() {
        let v = |s| ApiVersion::parse(s).unwrap();
        assert!(v("2.5") < v("2.5u2"));
        assert!(v("2.5u2") < v("4.0"));
        assert!(v("6.7.1") < v("8.0.2.0"));
        assert_eq!(v("8.0.2.0").to_string(), "8.0.2");
        assert_eq!(ApiVersion::parse("x"), None);
    }
}
