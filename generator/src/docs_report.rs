//! `generated/docs-report.md`: how the emitted documentation came out at the scale of the
//! whole API — cross-references resolved and not (each unresolved target with its count),
//! the since-values the items carry, and every field and parameter marked secret.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::emit::LinkStats;
use crate::model::{Model, Version};

/// The counts and lists of the report.
pub struct DocsReport<'a> {
    links: &'a LinkStats,
    /// Items with a since-version, by kind.
    since: Vec<(&'static str, usize, usize)>,
    /// Each distinct since-value, with how many items carry it, in release order.
    versions: Vec<(Version, usize)>,
    /// Every secret field, parameter and return value.
    secrets: Vec<crate::secrets::SecretMember>,
}

impl<'a> DocsReport<'a> {
    /// The report on the emitted `model` and its cross-references.
    pub fn new(model: &Model, links: &'a LinkStats) -> Self {
        let mut versions: BTreeMap<String, (Version, usize)> = BTreeMap::new();
        let mut count = |v: &Option<Version>| {
            if let Some(v) = v {
                versions
                    .entry(v.label().to_string())
                    .or_insert_with(|| (v.clone(), 0))
                    .1 += 1;
            }
            v.is_some()
        };
        let mut since = Vec::new();
        let mut tally = |kind: &'static str, items: Vec<bool>| {
            since.push((kind, items.iter().filter(|b| **b).count(), items.len()));
        };
        let mos = &model.managed_objects;
        let datas: Vec<_> = model.data_types.iter().chain(&model.fault_types).collect();
        tally(
            "managed objects",
            mos.iter().map(|m| count(&m.since)).collect(),
        );
        tally(
            "methods",
            mos.iter()
                .flat_map(|m| &m.methods)
                .map(|m| count(&m.since))
                .collect(),
        );
        tally(
            "parameters",
            mos.iter()
                .flat_map(|m| &m.methods)
                .flat_map(|m| &m.params)
                .map(|p| count(&p.since))
                .collect(),
        );
        tally(
            "properties",
            mos.iter()
                .flat_map(|m| &m.properties)
                .map(|p| count(&p.since))
                .collect(),
        );
        tally(
            "data and fault types",
            datas.iter().map(|d| count(&d.since)).collect(),
        );
        tally(
            "fields",
            datas
                .iter()
                .flat_map(|d| &d.fields)
                .map(|f| count(&f.since))
                .collect(),
        );
        tally(
            "enums",
            model.enums.iter().map(|e| count(&e.since)).collect(),
        );
        let mut versions: Vec<(Version, usize)> = versions.into_values().collect();
        versions.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.0.label().cmp(b.0.label())));

        let secrets = crate::secrets::secret_members(model);
        DocsReport {
            links,
            since,
            versions,
            secrets,
        }
    }

    /// One line for the generator's summary.
    pub fn summary(&self) -> String {
        let with: usize = self.since.iter().map(|(_, n, _)| n).sum();
        format!(
            "docs: {} cross-references resolved, {} unresolved ({} distinct targets); {} since-values parsed ({} distinct); {} secret fields, parameters and return values",
            self.links.resolved,
            self.links.unresolved_count(),
            self.links.unresolved.len(),
            with,
            self.versions.len(),
            self.secrets.len()
        )
    }

    /// The report as Markdown.
    pub fn markdown(&self) -> String {
        let mut out = String::from("# Documentation report\n\n");
        let _ = writeln!(out, "{}.\n", self.summary());
        out.push_str("## Since-values\n\n| items | with a since-version | of |\n|---|---:|---:|\n");
        for (kind, with, of) in &self.since {
            let _ = writeln!(out, "| {kind} | {with} | {of} |");
        }
        out.push_str("\n| since | items |\n|---|---:|\n");
        for (v, n) in &self.versions {
            let _ = writeln!(out, "| {} | {n} |", v.label());
        }
        out.push_str("\n## Secrets\n\nRedacted in `Debug`, `Display` and logs (see the secret rule in `spec/secrets.yaml`).\n\n| owner | member | kind | marked by |\n|---|---|---|---|\n");
        for s in &self.secrets {
            let by = s
                .marked_by
                .as_ref()
                .map(|l| l.to_string())
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "| `{}` | `{}` | {} | {by} |",
                s.owner,
                s.member,
                s.kind.as_str()
            );
        }
        out.push_str("\n## Unresolved cross-references\n\nTargets naming nothing the SDK emits; they render as code.\n\n| target | occurrences |\n|---|---:|\n");
        let mut unresolved: Vec<(&String, &usize)> = self.links.unresolved.iter().collect();
        unresolved.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        for (target, n) in unresolved {
            let _ = writeln!(
                out,
                "| `{}` | {n} |",
                target.replace('|', "\\|").replace('`', "")
            );
        }
        out
    }
}
