//! Deprecations the documents write in prose: a description paragraph that opens with
//! "Deprecated" ("Deprecated as of vSphere API 6.5 use [[X.y]].", "Deprecated.", the
//! paragraph the RST and tables Markdown parsers write for a type's deprecation marker)
//! deprecates what it describes. Its first sentence is the note. A deprecation a
//! document states apart from the description (a method's or a property's note) is kept
//! as it is.

use std::fmt;

use crate::model::Model;

/// How many items of each kind are deprecated after [`mark_deprecated`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeprecationCounts {
    /// Managed object types.
    pub managed_objects: usize,
    /// Methods.
    pub methods: usize,
    /// Properties of managed objects.
    pub properties: usize,
    /// Data object and fault types.
    pub types: usize,
    /// Fields of data object and fault types.
    pub fields: usize,
}

impl fmt::Display for DeprecationCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} managed objects, {} methods, {} properties, {} data types, {} fields deprecated",
            self.managed_objects, self.methods, self.properties, self.types, self.fields
        )
    }
}

/// The note of a description that deprecates its item: the first sentence of its first
/// paragraph that opens with "Deprecated" (any case).
pub fn note_of(description: &str) -> Option<String> {
    description.split("\n\n").map(str::trim).find_map(|para| {
        let head = para.get(..10)?;
        let after = para[10..].chars().next();
        if !head.eq_ignore_ascii_case("deprecated") || after.is_some_and(|c| c.is_alphanumeric()) {
            return None;
        }
        let end = para.find(". ").map_or(para.len(), |i| i + 1);
        Some(para[..end].trim().to_string())
    })
}

/// Sets `deprecated` on every item whose description deprecates it and that has no note
/// yet; returns how many items of each kind are deprecated.
pub fn mark_deprecated(model: &mut Model) -> DeprecationCounts {
    fn mark(deprecated: &mut Option<String>, description: &Option<String>) -> usize {
        if deprecated.is_none() {
            *deprecated = description.as_deref().and_then(note_of);
        }
        usize::from(deprecated.is_some())
    }
    let mut counts = DeprecationCounts::default();
    for mo in &mut model.managed_objects {
        counts.managed_objects += mark(&mut mo.deprecated, &mo.description);
        for m in &mut mo.methods {
            counts.methods += mark(&mut m.deprecated, &m.description);
        }
        for p in &mut mo.properties {
            counts.properties += mark(&mut p.deprecated, &p.description);
        }
    }
    for d in model.data_types.iter_mut().chain(&mut model.fault_types) {
        counts.types += mark(&mut d.deprecated, &d.description);
        for f in &mut d.fields {
            counts.fields += mark(&mut f.deprecated, &f.description);
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::note_of;

    #[test]
    fn a_paragraph_opening_with_deprecated_gives_its_first_sentence() {
        assert_eq!(
            note_of("Deprecated as of vSphere API 6.5 use [[X.y]]. When EVC is on…").as_deref(),
            Some("Deprecated as of vSphere API 6.5 use [[X.y]].")
        );
        assert_eq!(
            note_of("The VMotion data.\n\nDeprecated.").as_deref(),
            Some("Deprecated.")
        );
        assert_eq!(
            note_of("deprecated as of vSphere API Ver 5.5").as_deref(),
            Some("deprecated as of vSphere API Ver 5.5")
        );
        assert_eq!(
            note_of("Deprecated: use y").as_deref(),
            Some("Deprecated: use y")
        );
        // Deprecation mentioned in passing, or another word, deprecates nothing.
        assert_eq!(note_of("A valid but deprecated address."), None);
        assert_eq!(note_of("This replaces the deprecated [[X]]."), None);
        assert_eq!(note_of("Deprecatedness"), None);
        assert_eq!(note_of("Deprecat"), None);
    }
}
