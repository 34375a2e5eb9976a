//! Rust names of the API's types, decided once over the whole reconciled doc set (before
//! `spec/sdk.yaml` selects), so that selecting more or less never renames a type.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::model::Model;

/// Qualified vmodl name → Rust name, for every data, fault, enum and managed object type,
/// and the method names that need their managed object's name in their error enum.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NameTable {
    types: HashMap<String, String>,
    ambiguous_methods: HashSet<String>,
}

impl NameTable {
    /// Names every type of `full`. A type is named by its wire name; types that share a
    /// wire name are all named after their qualified name instead (`vim.fault.Foo` →
    /// `VimFaultFoo`), so no one of them takes the short name by accident of order.
    pub fn new(full: &Model) -> Self {
        let mut by_wire: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let all = full
            .data_types
            .iter()
            .chain(&full.fault_types)
            .map(|d| (&d.name, &d.wire_name))
            .chain(full.enums.iter().map(|e| (&e.name, &e.wire_name)))
            .chain(full.managed_objects.iter().map(|m| (&m.name, &m.wire_name)))
            .chain(
                full.referenced_managed_objects
                    .iter()
                    .map(|m| (&m.name, &m.wire_name)),
            );
        for (name, wire) in all {
            let names = by_wire.entry(wire.as_str()).or_default();
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
        let mut types = HashMap::new();
        for (wire, names) in by_wire {
            for name in &names {
                let rust = if names.len() == 1 {
                    wire.to_string()
                } else {
                    upper_camel(name)
                };
                types.insert(name.to_string(), rust);
            }
        }
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for m in full.managed_objects.iter().flat_map(|mo| &mo.methods) {
            *counts.entry(&m.name).or_default() += 1;
        }
        let ambiguous_methods = counts
            .into_iter()
            .filter(|(_, n)| *n > 1)
            .map(|(m, _)| m.to_string())
            .collect();
        NameTable {
            types,
            ambiguous_methods,
        }
    }

    /// The Rust name of the type with qualified name `qualified`, if the doc set has it.
    pub fn type_name(&self, qualified: &str) -> Option<&str> {
        self.types.get(qualified).map(String::as_str)
    }

    /// Whether several managed objects define a method called `method`.
    pub fn is_ambiguous_method(&self, method: &str) -> bool {
        self.ambiguous_methods.contains(method)
    }
}

/// `vim.fault.Foo` → `VimFaultFoo`.
fn upper_camel(qualified: &str) -> String {
    qualified
        .split(['.', '_'])
        .flat_map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase())
                .into_iter()
                .chain(chars)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_wire_names_fall_back_to_qualified_names() {
        assert_eq!(upper_camel("vim.fault.NotFound"), "VimFaultNotFound");
        let full: Model = serde_yaml::from_str(
            r#"
managed_objects: []
data_types:
  - { name: vim.Foo, wire_name: Foo, fields: [], source: { file: a, line: 1 } }
  - { name: vim.Bar, wire_name: Bar, fields: [], source: { file: a, line: 1 } }
fault_types:
  - { name: vim.fault.Foo, wire_name: Foo, fields: [], source: { file: a, line: 1 } }
enums: []
"#,
        )
        .unwrap();
        let names = NameTable::new(&full);
        assert_eq!(names.type_name("vim.Bar"), Some("Bar"));
        assert_eq!(names.type_name("vim.Foo"), Some("VimFoo"));
        assert_eq!(names.type_name("vim.fault.Foo"), Some("VimFaultFoo"));
        assert_eq!(names.type_name("vim.Baz"), None);
    }
}
