//! `generated/conflicts.md`: the disagreements between documents and the corrections of
//! `spec/overrides.yaml`, readable at the scale of whole doc sets — a count per fact with
//! its precedence, then one section per item (managed object, data type, fault, enum).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use crate::model::{Fact, Model};
use crate::overrides::OverrideChange;
use crate::reconcile::{precedence, Conflict};

/// What kind of item a section is about, in the order the report lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum ItemKind {
    ManagedObject,
    DataType,
    Fault,
    Enum,
    /// A subject whose owner is not in the model (e.g. an item the selection left out).
    Unplaced,
}

impl ItemKind {
    fn heading(self) -> &'static str {
        match self {
            ItemKind::ManagedObject => "Managed objects",
            ItemKind::DataType => "Data types",
            ItemKind::Fault => "Faults",
            ItemKind::Enum => "Enums",
            ItemKind::Unplaced => "Items not in the model",
        }
    }
}

/// Finds the item a dotted subject (`vim.vm.ConfigSpec.numCPUs`) is about: the longest
/// prefix that names a type of the model.
struct Owners<'m> {
    kinds: HashMap<&'m str, ItemKind>,
}

impl<'m> Owners<'m> {
    fn new(model: &'m Model) -> Self {
        let mut kinds = HashMap::new();
        let named = [
            (
                ItemKind::ManagedObject,
                model
                    .managed_objects
                    .iter()
                    .map(|m| m.name.as_str())
                    .collect::<Vec<_>>(),
            ),
            (
                ItemKind::DataType,
                model.data_types.iter().map(|d| d.name.as_str()).collect(),
            ),
            (
                ItemKind::Fault,
                model.fault_types.iter().map(|d| d.name.as_str()).collect(),
            ),
            (
                ItemKind::Enum,
                model.enums.iter().map(|e| e.name.as_str()).collect(),
            ),
        ];
        for (kind, names) in named {
            for name in names {
                kinds.insert(name, kind);
            }
        }
        Owners { kinds }
    }

    /// `(kind, owner, the rest of the subject)`.
    fn place<'s>(&self, subject: &'s str) -> (ItemKind, &'s str, &'s str) {
        let mut end = subject.len();
        loop {
            let owner = &subject[..end];
            if let Some(kind) = self.kinds.get(owner) {
                let rest = subject[end..].trim_start_matches('.');
                return (*kind, owner, rest);
            }
            match owner.rfind('.') {
                Some(dot) => end = dot,
                None => return (ItemKind::Unplaced, subject, ""),
            }
        }
    }
}

/// The whole `conflicts.md` (without the `@generated` header line).
pub fn conflicts_markdown(
    model: &Model,
    conflicts: &[Conflict],
    overrides: &[OverrideChange],
) -> String {
    let mut out = String::from("# Disagreements between documents\n\n");
    summary(&mut out, conflicts);
    let owners = Owners::new(model);
    let mut sections: BTreeMap<(ItemKind, &str), Vec<String>> = BTreeMap::new();
    for c in conflicts {
        let (kind, owner, rest) = owners.place(&c.subject);
        sections
            .entry((kind, owner))
            .or_default()
            .push(conflict_line(rest, c));
    }
    let mut current: Option<ItemKind> = None;
    for ((kind, owner), lines) in &sections {
        if current != Some(*kind) {
            let items = sections.keys().filter(|(k, _)| k == kind).count();
            let _ = write!(out, "\n## {} ({items})\n", kind.heading());
            current = Some(*kind);
        }
        let _ = write!(out, "\n### `{owner}` ({})\n\n", lines.len());
        for line in lines {
            let _ = writeln!(out, "- {line}");
        }
    }
    let _ = writeln!(
        out,
        "\n# Corrections from spec/overrides.yaml ({})",
        overrides.len()
    );
    if !overrides.is_empty() {
        out.push('\n');
    }
    for o in overrides {
        let _ = writeln!(out, "- {o}");
    }
    out
}

/// The count of disagreements per fact, with the precedence that settled them.
fn summary(out: &mut String, conflicts: &[Conflict]) {
    let mut per_fact: BTreeMap<Fact, usize> = BTreeMap::new();
    for c in conflicts {
        *per_fact.entry(c.fact).or_default() += 1;
    }
    let _ = writeln!(
        out,
        "{} facts on which the documents disagree, grouped by the item they are about; each \
         line names every source and the value chosen. The precedence is written in \
         `generator/src/reconcile/precedence.rs`.\n",
        conflicts.len()
    );
    out.push_str("| fact | disagreements | precedence (first wins) |\n|---|---:|---|\n");
    for (fact, count) in per_fact {
        let _ = writeln!(out, "| {fact} | {count} | {} |", precedence::describe(fact));
    }
    let _ = writeln!(
        out,
        "\nA parameter's array dimension (apart from its element type) is the one its \
         method's VI/JSON request-body type states: {} outranks every method page there.",
        precedence::format_name(precedence::BODY_ARRAY)
    );
}

/// One disagreement, relative to its item: `` `sessionList` type: … ; chose `…` ``.
fn conflict_line(member: &str, c: &Conflict) -> String {
    let what = if member.is_empty() {
        c.fact.to_string()
    } else {
        format!("`{member}` {}", c.fact)
    };
    format!("{what}: {}; chose `{}`", c.stated(), c.chosen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Format, Loc};

    fn conflict(subject: &str, fact: Fact) -> Conflict {
        Conflict {
            subject: subject.into(),
            fact,
            candidates: vec![
                (Format::PyvmomiRst, Loc::new("a.rst", 3), "x".into()),
                (Format::DocsMarkdown, Loc::new("b.md", 9), "y".into()),
            ],
            chosen: "x".into(),
        }
    }

    #[test]
    fn grouped_by_kind_and_item_with_counts() {
        let model: Model = serde_yaml::from_str(
            r#"
managed_objects:
- {name: vim.SessionManager, wire_name: SessionManager, properties: [], methods: [], source: {file: a, line: 1}}
data_types:
- {name: vim.vm.ConfigSpec, wire_name: VirtualMachineConfigSpec, fields: [], source: {file: a, line: 1}}
fault_types: []
enums: []
"#,
        )
        .unwrap();
        let conflicts = [
            conflict("vim.vm.ConfigSpec.numCPUs", Fact::Type),
            conflict("vim.SessionManager.Login.userName", Fact::Optional),
            conflict("vim.SessionManager.sessionList", Fact::Type),
            conflict("vim.Gone.x", Fact::Since),
        ];
        let text = conflicts_markdown(&model, &conflicts, &[]);
        let expected = "\
## Managed objects (1)

### `vim.SessionManager` (2)

- `Login.userName` optional: pyvmomi-rst (a.rst:3) says `x`, tables-md (b.md:9) says `y`; chose `x`
- `sessionList` type: pyvmomi-rst (a.rst:3) says `x`, tables-md (b.md:9) says `y`; chose `x`

## Data types (1)

### `vim.vm.ConfigSpec` (1)

- `numCPUs` type: pyvmomi-rst (a.rst:3) says `x`, tables-md (b.md:9) says `y`; chose `x`

## Items not in the model (1)

### `vim.Gone.x` (1)

- since: pyvmomi-rst (a.rst:3) says `x`, tables-md (b.md:9) says `y`; chose `x`

# Corrections from spec/overrides.yaml (0)
";
        assert!(text.ends_with(expected), "{text}");
        assert!(text.contains("| optional | 1 |"), "{text}");
        assert!(text.contains("| type | 2 |"), "{text}");
        assert!(text.starts_with("# Disagreements between documents\n\n4 facts"));
    }
}
