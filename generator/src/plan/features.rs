//! Cargo features: one per selected managed object. A feature builds exactly the types the
//! object's methods and properties reach, by the selection's own closure rule (fields,
//! parameters, returns and declared faults bring their subtypes; a base type comes without
//! its other subtypes), plus what its base objects reach, whose features it enables.
//!
//! Types no managed object reaches (faults no method declares, types a selection of `all`
//! adds) are built under one more feature, [`UNREFERENCED_FEATURE`], reaching on from them
//! by the same rule.
//!
//! One breadth-first pass per managed object over integer adjacency lists, recording per
//! type the set of objects that reach it; an item's gate is the smallest list of features
//! whose union covers that set (an object whose base is in the set adds nothing).

use crate::model::{TypeRef, ROOT_TYPES};

use super::{Plan, TypeKey};

/// Managed objects whose closure is always built: the client's bootstrap and login.
pub const ALWAYS_BUILT: &[&str] = &["vim.ServiceInstance", "vim.SessionManager"];

/// The feature of the types no managed object reaches.
pub const UNREFERENCED_FEATURE: &str = "unreferenced-types";

/// A set of selected managed objects (indexes into `Model::managed_objects`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MoSet(Vec<u64>);

impl MoSet {
    fn with_capacity(count: usize) -> Self {
        MoSet(vec![0; count.div_ceil(64)])
    }

    /// Adds `i`; whether it was new.
    fn insert(&mut self, i: usize) -> bool {
        let (word, bit) = (i / 64, 1u64 << (i % 64));
        let new = self.0[word] & bit == 0;
        self.0[word] |= bit;
        new
    }

    /// Whether the set is empty.
    fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }

    /// Whether `i` is in the set.
    pub fn contains(&self, i: usize) -> bool {
        self.0[i / 64] & (1u64 << (i % 64)) != 0
    }

    /// Whether the sets share a member.
    pub fn intersects(&self, other: &MoSet) -> bool {
        self.0.iter().zip(&other.0).any(|(a, b)| a & b != 0)
    }

    /// Whether every member of `other` is in `self`.
    pub fn is_superset(&self, other: &MoSet) -> bool {
        self.0.iter().zip(&other.0).all(|(a, b)| b & !a == 0)
    }

    /// The members, ascending.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(w, &bits)| {
            (0..64)
                .filter(move |b| bits & (1u64 << b) != 0)
                .map(move |b| w * 64 + b)
        })
    }
}

/// When an item is compiled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Gate {
    /// Always: an always-built object reaches it.
    Always,
    /// When any of these features is on: managed object indexes, ascending, where the
    /// number of selected objects stands for [`UNREFERENCED_FEATURE`].
    AnyOf(Vec<usize>),
}

/// A type the breadth-first pass visits.
#[derive(Clone, Copy)]
enum Target {
    Node(usize),
    Enum(usize),
}

/// Which managed objects reach each type; see the module documentation.
pub struct Features {
    /// Per data node: objects whose closure holds its struct.
    member: Vec<MoSet>,
    /// Per data node: objects whose closure holds it with its subtypes (its `Any…` enum).
    expanded: Vec<MoSet>,
    /// Per enum: objects whose closure holds it.
    enums: Vec<MoSet>,
    /// The always-built objects.
    core: MoSet,
    /// Per object: its selected base objects, nearest first.
    bases: Vec<Vec<usize>>,
    /// Per data node: whether it is a root type (its subtypes never come with it).
    root: Vec<bool>,
}

impl Features {
    /// Computes the reach of every selected managed object over `plan`'s types.
    pub(super) fn new(plan: &Plan<'_>) -> Self {
        let model = plan.model;
        let count = model.managed_objects.len();
        let target = |ty: &Option<TypeRef>| match plan.lookup(&ty.as_ref()?.name)? {
            TypeKey::Data(n) => Some(Target::Node(n)),
            TypeKey::Enum(e) => Some(Target::Enum(e)),
            TypeKey::Managed(_) => None,
        };
        let base: Vec<Option<usize>> = plan
            .nodes
            .iter()
            .map(|d| d.base.as_deref().and_then(|b| plan.node(b)))
            .collect();
        let fields: Vec<Vec<Target>> = plan
            .nodes
            .iter()
            .map(|d| d.fields.iter().filter_map(|f| target(&f.ty)).collect())
            .collect();
        let root: Vec<bool> = plan
            .nodes
            .iter()
            .map(|d| ROOT_TYPES.contains(&d.name.as_str()))
            .collect();
        let empty = MoSet::with_capacity(count + 1);
        let mut f = Features {
            member: vec![empty.clone(); plan.nodes.len()],
            expanded: vec![empty.clone(); plan.nodes.len()],
            enums: vec![empty.clone(); model.enums.len()],
            core: empty,
            bases: Vec::with_capacity(count),
            root,
        };
        let mut queue: Vec<(Target, bool)> = Vec::new();
        let reach = |f: &mut Features, i: usize, queue: &mut Vec<(Target, bool)>| {
            while let Some((t, with_subtypes)) = queue.pop() {
                let n = match t {
                    Target::Enum(e) => {
                        f.enums[e].insert(i);
                        continue;
                    }
                    Target::Node(n) => n,
                };
                if with_subtypes && !f.root[n] && f.expanded[n].insert(i) {
                    queue.extend(plan.subtypes[n].iter().map(|&s| (Target::Node(s), true)));
                }
                if f.member[n].insert(i) {
                    queue.extend(base[n].map(|b| (Target::Node(b), false)));
                    queue.extend(fields[n].iter().map(|&t| (t, true)));
                }
            }
        };
        for (i, mo) in model.managed_objects.iter().enumerate() {
            if ALWAYS_BUILT.contains(&mo.name.as_str()) {
                f.core.insert(i);
            }
            f.bases.push(plan.managed_bases(mo));
            let types = mo
                .properties
                .iter()
                .map(|p| &p.ty)
                .chain(mo.methods.iter().flat_map(|m| {
                    m.params
                        .iter()
                        .map(|p| &p.ty)
                        .chain(m.returns.iter().map(|r| &r.ty))
                }));
            queue.extend(types.filter_map(target).map(|t| (t, true)));
            queue.extend(
                mo.methods
                    .iter()
                    .flat_map(|m| &m.faults)
                    .filter_map(|fault| plan.node(&fault.name))
                    .map(|n| (Target::Node(n), true)),
            );
            reach(&mut f, i, &mut queue);
        }
        f.bases.push(Vec::new());
        let unreached_nodes = (0..f.member.len()).filter(|&n| f.member[n].is_empty());
        queue.extend(unreached_nodes.map(|n| (Target::Node(n), false)));
        let unreached_enums = (0..f.enums.len()).filter(|&e| f.enums[e].is_empty());
        queue.extend(unreached_enums.map(|e| (Target::Enum(e), false)));
        reach(&mut f, count, &mut queue);
        f
    }

    /// The gate of the struct of data node `n`.
    pub fn data_gate(&self, n: usize) -> Gate {
        self.gate(&self.member[n])
    }

    /// The gate of the `Any…` enum of data node `n`: where it is held with its subtypes
    /// (a root type is never expanded; its enum goes with its struct).
    pub fn any_gate(&self, n: usize) -> Gate {
        self.gate(self.any_set(n))
    }

    /// The gate of member `variant` inside the `Any…` enum of node `n`: `Always` when the
    /// variant is built wherever the enum is, else the variant's own gate.
    pub fn variant_gate(&self, n: usize, variant: usize) -> Gate {
        let (enum_set, own) = (self.any_set(n), &self.member[variant]);
        let covered = own.intersects(&self.core)
            || (!enum_set.intersects(&self.core) && own.is_superset(enum_set));
        if covered {
            Gate::Always
        } else {
            self.gate(own)
        }
    }

    /// The gate of enum `e` (an index into `Model::enums`).
    pub fn enum_gate(&self, e: usize) -> Gate {
        self.gate(&self.enums[e])
    }

    /// The gate of managed object `i`'s methods and properties: its own feature.
    pub fn managed_gate(&self, i: usize) -> Gate {
        if self.core.contains(i) {
            Gate::Always
        } else {
            Gate::AnyOf(vec![i])
        }
    }

    /// The selected base objects of managed object `i` (the features its feature enables).
    pub fn bases(&self, i: usize) -> &[usize] {
        &self.bases[i]
    }

    /// How many data types and enums no selected object reaches (built under
    /// [`UNREFERENCED_FEATURE`]).
    pub fn unreferenced(&self) -> usize {
        let extra = self.bases.len() - 1;
        let only = |s: &MoSet| s.iter().all(|i| i == extra);
        self.member.iter().filter(|s| only(s)).count()
            + self.enums.iter().filter(|s| only(s)).count()
    }

    fn any_set(&self, n: usize) -> &MoSet {
        if self.root[n] {
            &self.member[n]
        } else {
            &self.expanded[n]
        }
    }

    fn gate(&self, set: &MoSet) -> Gate {
        if set.intersects(&self.core) {
            return Gate::Always;
        }
        Gate::AnyOf(
            set.iter()
                .filter(|&i| !self.bases[i].iter().any(|&b| set.contains(b)))
                .collect(),
        )
    }
}
