//! Who is who across formats: the pyvmomi formats name types by qualified vmodl name
//! (`vim.host.DatastoreBrowser.FileInfo`), the VI/JSON formats by wire name (`FileInfo`).
//!
//! No document states the mapping. Most wire names follow from the qualified name by rule
//! ([`wire_name_of`]); for the rest (a few hundred in the whole API, e.g.
//! `vim.PerformanceManager.CounterInfo` is `PerfCounterInfo`) the documents themselves are
//! the evidence: a wire-named type that ends with the qualified name's last segment, shares
//! its members (fields, enum values, methods and properties) and its description is the same
//! type. Each pairing is one-to-one, chosen best score first in a fixed order, so the result
//! does not depend on the order documents were read in.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::model::{
    lower_camel, wire_name_of, Model, TypeRef, MANAGED_OBJECT_REFERENCE, MANAGED_ROOT,
};

use super::{is_qualified, SourceModel};

/// The lowest score a pairing by evidence needs: e.g. every member shared, or a shared
/// description and half the members.
const MIN_SCORE: f64 = 1.0;

/// What kind of type a name belongs to; names pair only within a kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Kind {
    Managed,
    Data,
    Enum,
}

/// What the documents say about one named type, united over every document naming it.
#[derive(Default)]
struct Signature {
    kind: Option<Kind>,
    members: HashSet<String>,
    description: String,
}

/// The mapping between qualified names and wire names, in both directions.
#[derive(Clone, Debug, Default)]
pub struct Identity {
    by_wire: HashMap<String, String>,
    wire_of: HashMap<String, String>,
    /// Types only wire-named documents define (newer than every qualified set).
    wire_only: HashSet<String>,
    /// Qualified names paired by evidence rather than by rule.
    pub by_evidence: usize,
    /// Qualified names that some wire-named document set could have paired and did not.
    pub unpaired: Vec<String>,
}

impl Identity {
    /// Pairs every qualified name the sources define with a wire name.
    pub fn build(sources: &[SourceModel]) -> Self {
        let mut qualified: BTreeMap<String, Signature> = BTreeMap::new();
        let mut wired: BTreeMap<String, Signature> = BTreeMap::new();
        for s in sources {
            collect(&s.model, &mut qualified, &mut wired);
        }
        let mut identity = Identity::default();
        let mut claimed: HashSet<&str> = HashSet::new();
        let mut left: Vec<(&String, &Signature)> = Vec::new();
        for (name, sig) in &qualified {
            match wired.get_key_value(&wire_name_of(name)) {
                Some((wire, w)) if w.kind == sig.kind && !claimed.contains(wire.as_str()) => {
                    claimed.insert(wire);
                    identity.pair(name, wire);
                }
                _ => left.push((name, sig)),
            }
        }
        // The wire names still free, by kind, once (nothing is claimed while scoring).
        let mut free: HashMap<Option<Kind>, Vec<(&String, &Signature)>> = HashMap::new();
        for (wire, w) in &wired {
            if !claimed.contains(wire.as_str()) {
                free.entry(w.kind).or_default().push((wire, w));
            }
        }
        let mut candidates: Vec<(f64, &String, &String)> = Vec::new();
        for (name, sig) in &left {
            let tail = name.rsplit('.').next().unwrap_or(name);
            for &(wire, w) in free.get(&sig.kind).map(Vec::as_slice).unwrap_or_default() {
                if let Some(score) = score(name, tail, sig, wire, w) {
                    candidates.push((score, name, wire));
                }
            }
        }
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)).then(a.2.cmp(b.2)));
        let mut done: HashSet<&str> = HashSet::new();
        for (_, name, wire) in candidates {
            if done.contains(name.as_str()) || claimed.contains(wire.as_str()) {
                continue;
            }
            done.insert(name);
            claimed.insert(wire);
            identity.pair(name, wire);
            identity.by_evidence += 1;
        }
        identity.wire_only = wired
            .keys()
            .filter(|w| !identity.by_wire.contains_key(*w))
            .cloned()
            .collect();
        for (name, _) in left {
            if !done.contains(name.as_str()) {
                if !wired.is_empty() {
                    identity.unpaired.push(name.clone());
                }
                let wire = wire_name_of(name);
                identity.wire_of.insert(name.clone(), wire.clone());
                identity.by_wire.entry(wire).or_insert_with(|| name.clone());
            }
        }
        identity
    }

    fn pair(&mut self, qualified: &str, wire: &str) {
        self.by_wire.insert(wire.to_string(), qualified.to_string());
        self.wire_of.insert(qualified.to_string(), wire.to_string());
    }

    /// The name the model keys a type by: qualified names and primitives as they are, a
    /// wire name as its paired qualified name, or as itself when only wire-named documents
    /// define it; `None` for a name no document defines.
    pub fn model_name(&self, name: &str) -> Option<String> {
        // The VI/JSON formats' reference to any managed object.
        if name == MANAGED_OBJECT_REFERENCE {
            return Some(MANAGED_ROOT.to_string());
        }
        if is_qualified(name) || TypeRef::scalar(name).is_primitive() {
            return Some(name.to_string());
        }
        match self.by_wire.get(name) {
            Some(q) => Some(q.clone()),
            None => self.wire_only.contains(name).then(|| name.to_string()),
        }
    }

    /// How many types only wire-named documents define.
    pub fn wire_only_count(&self) -> usize {
        self.wire_only.len()
    }

    /// The wire name of a type: the one paired with a qualified name, else the name itself.
    pub fn wire_name(&self, name: &str) -> String {
        match self.wire_of.get(name) {
            Some(wire) => wire.clone(),
            None if is_qualified(name) => wire_name_of(name),
            None => name.to_string(),
        }
    }
}

/// How well the wire-named type `wire` matches the qualified type `name`; `None` when it
/// cannot be the same type.
fn score(name: &str, tail: &str, q: &Signature, wire: &str, w: &Signature) -> Option<f64> {
    // The cheap tests first: this runs for every unpaired name against every wire name.
    let same_tail = wire.ends_with(tail);
    let same_description = !q.description.is_empty() && q.description == w.description;
    if !same_tail && !same_description {
        return None;
    }
    let shared = if q.members.is_empty() {
        if w.members.is_empty() {
            1.0
        } else {
            0.5
        }
    } else {
        q.members.intersection(&w.members).count() as f64 / q.members.len() as f64
    };
    let plausible = same_tail || shared > 0.7;
    if !plausible {
        return None;
    }
    let score = shared + f64::from(u8::from(same_description)) + coverage(name, wire) / 2.0;
    (score >= MIN_SCORE).then_some(score)
}

/// The share of `wire`'s letters spelled by the segments of `qualified` (case aside):
/// `ClusterProfileManager` is all spelled by `vim.profile.cluster.ProfileManager`.
fn coverage(qualified: &str, wire: &str) -> f64 {
    let wire = wire.to_ascii_lowercase();
    let mut covered = vec![false; wire.len()];
    for segment in qualified.split('.').skip(1) {
        let segment = segment.to_ascii_lowercase();
        for (at, _) in wire.match_indices(&segment) {
            covered[at..at + segment.len()].fill(true);
        }
    }
    covered.iter().filter(|c| **c).count() as f64 / wire.len().max(1) as f64
}

/// Adds the signatures of a document's types to the qualified or the wire-named side.
fn collect(
    model: &Model,
    qualified: &mut BTreeMap<String, Signature>,
    wired: &mut BTreeMap<String, Signature>,
) {
    let mut add = |name: &str, kind: Kind, members: Vec<String>, description: &Option<String>| {
        let side = if is_qualified(name) {
            &mut *qualified
        } else {
            &mut *wired
        };
        let sig = side.entry(name.to_string()).or_default();
        sig.kind = Some(kind);
        sig.members.extend(members);
        if sig.description.is_empty() {
            sig.description = opening(description);
        }
    };
    for mo in &model.managed_objects {
        let members = mo
            .methods
            .iter()
            .map(|m| m.name.to_ascii_lowercase().replace('_', ""))
            .chain(mo.properties.iter().map(|p| lower_camel(&p.name)))
            .collect();
        add(&mo.name, Kind::Managed, members, &mo.description);
    }
    for d in model.data_types.iter().chain(&model.fault_types) {
        let members = d.fields.iter().map(|f| lower_camel(&f.name)).collect();
        add(&d.name, Kind::Data, members, &d.description);
    }
    for e in &model.enums {
        let members = e.values.iter().map(|v| v.name.clone()).collect();
        add(&e.name, Kind::Enum, members, &e.description);
    }
}

/// The first words of a description, letters and digits only, lower-cased: what two
/// renderings of the same text share.
fn opening(description: &Option<String>) -> String {
    // Cross-references are left out: each format names their targets its own way
    // (`[[vim.dvs.DistributedVirtualPort.Status]]`, `[[DVPortStatus]]`).
    let mut prose = String::new();
    let mut rest = description.as_deref().unwrap_or("");
    while let Some(start) = rest.find("[[") {
        prose.push_str(&rest[..start]);
        rest = match rest[start..].find("]]") {
            Some(end) => &rest[start + end + 2..],
            None => "",
        };
    }
    prose.push_str(rest);
    prose
        .chars()
        .filter(|c| c.is_alphanumeric())
        .take(48)
        .collect::<String>()
        .to_lowercase()
}
