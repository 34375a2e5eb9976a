//! API versions, for gating the methods, parameters, types and fields a server does not
//! have.

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

/// While a request is encoded: the server's API version, and the first item written that
/// is newer than it (a parameter, a data object type or field). The writers
/// ([`JsonWriter`](crate::JsonWriter), [`SoapWriter`](crate::SoapWriter)) carry one; the
/// connection refuses to send a request whose gate recorded an item.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VersionGate {
    server: Option<ApiVersion>,
    too_new: Option<TooNew>,
}

/// An item of a request that is newer than the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TooNew {
    /// What it is, e.g. ``field `VirtualMachineConfigSpec.vmOpNotificationToAppEnabled` ``.
    pub item: String,
    /// The version that introduced it.
    pub since: ApiVersion,
}

impl VersionGate {
    /// A gate for a server of version `server`; `None` admits everything.
    pub fn new(server: Option<ApiVersion>) -> Self {
        VersionGate {
            server,
            too_new: None,
        }
    }

    /// Whether an item introduced in `since` is refused by this server.
    #[inline]
    pub fn refuses(&self, since: Option<ApiVersion>) -> bool {
        matches!((since, self.server), (Some(since), Some(server)) if since > server)
    }

    /// Records that `item` (introduced in `since`) was written; only the first is kept.
    pub fn record(&mut self, item: impl FnOnce() -> String, since: ApiVersion) {
        if self.too_new.is_none() {
            self.too_new = Some(TooNew {
                item: item(),
                since,
            });
        }
    }

    /// The first item written that the server does not have.
    pub fn too_new(&self) -> Option<&TooNew> {
        self.too_new.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::{ApiVersion, TooNew, VersionGate};

    #[test]
    fn orders_releases() {
        let v = |s| ApiVersion::parse(s).unwrap();
        assert!(v("2.5") < v("2.5u2"));
        assert!(v("2.5u2") < v("4.0"));
        assert!(v("6.7.1") < v("8.0.2.0"));
        assert_eq!(v("8.0.2.0").to_string(), "8.0.2");
        assert_eq!(ApiVersion::parse("x"), None);
    }

    #[test]
    fn gate_keeps_the_first_newer_item() {
        let v = |s| ApiVersion::parse(s).unwrap();
        let mut gate = VersionGate::new(Some(v("6.7")));
        assert!(!gate.refuses(None));
        assert!(!gate.refuses(Some(v("6.7"))));
        assert!(gate.refuses(Some(v("7.0"))));
        gate.record(|| "field `A.b`".into(), v("7.0"));
        gate.record(|| "field `A.c`".into(), v("8.0"));
        assert_eq!(
            gate.too_new(),
            Some(&TooNew {
                item: "field `A.b`".into(),
                since: v("7.0")
            })
        );
        assert!(!VersionGate::new(None).refuses(Some(v("8.0"))));
    }
}
