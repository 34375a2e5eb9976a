//! The planning step between selection and emission: everything the emitters need to know
//! about the selected model's type graph, computed once in linear time.
//!
//! - an index from qualified name to the model item (data type, fault, enum, managed object),
//! - each data type's fields with inherited ones first, and its direct subtypes,
//! - the members of each polymorphic type's `Any…` enum (the type and all its descendants),
//! - one strongly-connected-component analysis that decides every `Box`: an own field is
//!   boxed iff it is a by-value (non-`Vec`) edge inside a cycle of by-value containment
//!   (a struct holds its base struct by value, a polymorphic value its subtypes),
//! - whether each type can derive `Default` and `Eq`, over the components' condensation,
//! - the Rust name of every type, from a [`NameTable`] of the whole doc set.
//!
//! Emitters read the plan and the model items it points to; they walk no graphs.

mod features;
mod names;
mod scc;

use std::collections::{HashMap, HashSet};

pub use features::{Features, Gate, MoSet, ALWAYS_BUILT, UNREFERENCED_FEATURE};
pub use names::NameTable;
pub use scc::{components, derivable, Components};

use crate::model::{DataType, EnumType, Field, ManagedObject, Model, MANAGED_ROOT};

/// What a qualified name stands for in the selected model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeKey {
    /// A data or fault type: its node number (data types first, then fault types).
    Data(usize),
    /// An enum: its index in `Model::enums`.
    Enum(usize),
    /// A selected managed object: its index in `Model::managed_objects`.
    Managed(usize),
}

/// The planned facts about a selected model; see the module documentation.
pub struct Plan<'m> {
    model: &'m Model,
    names: &'m NameTable,
    index: HashMap<&'m str, TypeKey>,
    /// Managed object types: selected, referenced, and `vmodl.ManagedObject`.
    managed: HashSet<&'m str>,
    /// Node `n`: `data_types[n]`, then `fault_types[n - data_types.len()]`.
    nodes: Vec<&'m DataType>,
    fields: Vec<Vec<&'m Field>>,
    subtypes: Vec<Vec<usize>>,
    /// Per node: whether it has an `Any…` enum (it has subtypes and is referenced).
    any: Vec<bool>,
    /// Per node, per own field: whether the field is boxed.
    boxed: Vec<Vec<bool>>,
    default: Vec<bool>,
    eq: Vec<bool>,
    managed_subtypes: Vec<Vec<usize>>,
    /// Which managed objects' features build each type.
    features: Option<Features>,
}

impl<'m> Plan<'m> {
    /// Plans `model` (the selected model) with Rust names from `names`.
    pub fn new(model: &'m Model, names: &'m NameTable) -> Self {
        let (index, nodes) = index_types(model);
        let managed = model
            .managed_objects
            .iter()
            .map(|m| m.name.as_str())
            .chain(
                model
                    .referenced_managed_objects
                    .iter()
                    .map(|m| m.name.as_str()),
            )
            .chain([MANAGED_ROOT])
            .collect();
        let mut plan = Plan {
            model,
            names,
            index,
            managed,
            fields: Vec::new(),
            subtypes: vec![Vec::new(); nodes.len()],
            any: Vec::new(),
            boxed: Vec::new(),
            default: Vec::new(),
            eq: Vec::new(),
            managed_subtypes: vec![Vec::new(); model.managed_objects.len()],
            features: None,
            nodes,
        };
        plan.fields = plan
            .nodes
            .iter()
            .map(|d| plan.inherited_fields(d))
            .collect();
        plan.link_subtypes();
        plan.any = plan.plan_any();
        plan.boxed = plan.plan_boxes();
        plan.default = plan.plan_default();
        plan.eq = plan.plan_eq();
        plan.features = Some(Features::new(&plan));
        plan
    }

    /// The Cargo feature reach of every type.
    pub fn features(&self) -> &Features {
        self.features.as_ref().expect("planned in Plan::new")
    }

    /// The data node (struct) number of `qualified`, for [`Features`]' gates.
    pub fn data_node(&self, qualified: &str) -> Option<usize> {
        self.node(qualified)
    }

    /// The selected base objects of `mo`, nearest first.
    pub fn managed_bases(&self, mo: &ManagedObject) -> Vec<usize> {
        let mut out = Vec::new();
        let mut next = mo.base.as_deref();
        while let Some(TypeKey::Managed(i)) = next.and_then(|b| self.lookup(b)) {
            if out.contains(&i) {
                break;
            }
            out.push(i);
            next = self.model.managed_objects[i].base.as_deref();
        }
        out
    }

    /// The model being emitted.
    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// The Rust names of the whole doc set.
    pub fn names(&self) -> &'m NameTable {
        self.names
    }

    /// What `qualified` names in the selected model.
    pub fn lookup(&self, qualified: &str) -> Option<TypeKey> {
        self.index.get(qualified).copied()
    }

    /// The data or fault type `qualified`, if selected.
    pub fn data_type(&self, qualified: &str) -> Option<&'m DataType> {
        self.node(qualified).map(|n| self.nodes[n])
    }

    /// The enum `qualified`, if selected.
    pub fn enum_type(&self, qualified: &str) -> Option<&'m EnumType> {
        match self.lookup(qualified)? {
            TypeKey::Enum(i) => Some(&self.model.enums[i]),
            _ => None,
        }
    }

    /// The managed object `qualified`, if selected.
    pub fn managed_object(&self, qualified: &str) -> Option<&'m ManagedObject> {
        match self.lookup(qualified)? {
            TypeKey::Managed(i) => Some(&self.model.managed_objects[i]),
            _ => None,
        }
    }

    /// Whether `qualified` is a managed object type (its values are references).
    pub fn is_managed(&self, qualified: &str) -> bool {
        self.managed.contains(qualified)
    }

    /// Whether the data or fault type `qualified` has an `Any…` enum: it has subtypes and
    /// something refers to it (a field, property, parameter, return value or declared
    /// fault), so a value of it may be any of them.
    pub fn is_polymorphic(&self, qualified: &str) -> bool {
        self.node(qualified).is_some_and(|n| self.any[n])
    }

    /// Every field of `d`, inherited ones first.
    pub fn all_fields(&self, d: &DataType) -> &[&'m Field] {
        self.node(&d.name).map_or(&[], |n| &self.fields[n])
    }

    /// Whether each of `d`'s own fields (`d.fields`; inherited ones live in its `base`)
    /// is held in a `Box`.
    pub fn boxed_fields(&self, d: &DataType) -> &[bool] {
        self.node(&d.name).map_or(&[], |n| &self.boxed[n])
    }

    /// The data types that directly extend `qualified`, in model order.
    pub fn subtypes(&self, qualified: &str) -> impl Iterator<Item = &'m DataType> + '_ {
        let subs = self.node(qualified).map_or(&[][..], |n| &self.subtypes[n]);
        subs.iter().map(|&s| self.nodes[s])
    }

    /// The members of the `Any…` enum of `d`: `d`, then its descendants breadth first.
    pub fn descendants(&self, d: &'m DataType) -> Vec<&'m DataType> {
        let Some(root) = self.node(&d.name) else {
            return vec![d];
        };
        let mut order = vec![root];
        let mut seen: HashSet<usize> = order.iter().copied().collect();
        let mut i = 0;
        while i < order.len() {
            for &s in &self.subtypes[order[i]] {
                if seen.insert(s) {
                    order.push(s);
                }
            }
            i += 1;
        }
        order.into_iter().map(|n| self.nodes[n]).collect()
    }

    /// The selected managed objects that directly extend `qualified`.
    pub fn managed_subtypes(
        &self,
        qualified: &str,
    ) -> impl Iterator<Item = &'m ManagedObject> + '_ {
        let subs = match self.lookup(qualified) {
            Some(TypeKey::Managed(i)) => &self.managed_subtypes[i][..],
            _ => &[],
        };
        subs.iter().map(|&i| &self.model.managed_objects[i])
    }

    /// Whether the struct of `qualified` can derive `Default`: every field is optional,
    /// a `Vec`, a primitive with a default, a reference, or such a struct, with no cycle.
    pub fn derives_default(&self, qualified: &str) -> bool {
        self.node(qualified).is_some_and(|n| self.default[n])
    }

    /// Whether the struct of `qualified` could derive `Eq` (no floating-point or `anyType`
    /// value anywhere inside). Every emitted type derives `PartialEq`.
    pub fn derives_eq(&self, qualified: &str) -> bool {
        self.node(qualified).is_some_and(|n| self.eq[n])
    }

    fn node(&self, qualified: &str) -> Option<usize> {
        match self.lookup(qualified)? {
            TypeKey::Data(n) => Some(n),
            _ => None,
        }
    }

    /// `d`'s fields with its bases' first, following the base chain once.
    fn inherited_fields(&self, d: &'m DataType) -> Vec<&'m Field> {
        let mut chain = vec![d];
        let mut seen = HashSet::new();
        let mut current = d;
        while let Some(base) = current.base.as_deref() {
            if !seen.insert(base) {
                break;
            }
            match self.data_type(base) {
                Some(b) => {
                    chain.push(b);
                    current = b;
                }
                None => break,
            }
        }
        chain.iter().rev().flat_map(|t| t.fields.iter()).collect()
    }

    /// Direct subtypes: data and fault types under their base, managed objects under
    /// theirs.
    fn link_subtypes(&mut self) {
        for (i, d) in self.nodes.iter().enumerate() {
            if let Some(base) = d.base.as_deref().and_then(|b| self.node(b)) {
                self.subtypes[base].push(i);
            }
        }
        for (i, m) in self.model.managed_objects.iter().enumerate() {
            if let Some(TypeKey::Managed(base)) = m.base.as_deref().and_then(|b| self.lookup(b)) {
                self.managed_subtypes[base].push(i);
            }
        }
    }

    /// Which nodes get an `Any…` enum: those with subtypes that a field, property,
    /// parameter, return value or declared fault refers to.
    fn plan_any(&self) -> Vec<bool> {
        fn type_name(ty: &Option<crate::model::TypeRef>) -> Option<&str> {
            ty.as_ref().map(|t| t.name.as_str())
        }
        let mut referenced = vec![false; self.nodes.len()];
        let mut mark = |name: Option<&str>| {
            if let Some(n) = name.and_then(|t| self.node(t)) {
                referenced[n] = true;
            }
        };
        for d in &self.nodes {
            d.fields.iter().for_each(|f| mark(type_name(&f.ty)));
        }
        for mo in &self.model.managed_objects {
            mo.properties.iter().for_each(|p| mark(type_name(&p.ty)));
            for m in &mo.methods {
                m.params.iter().for_each(|p| mark(type_name(&p.ty)));
                mark(m.returns.as_ref().and_then(|r| type_name(&r.ty)));
                m.faults.iter().for_each(|f| mark(Some(&f.name)));
            }
        }
        (0..self.nodes.len())
            .map(|n| referenced[n] && !self.subtypes[n].is_empty())
            .collect()
    }

    /// The by-value containment graph of the emitted layout. Nodes `0..N` are the
    /// structs, `N + n` the `Any…` enum of type `n`. A struct holds its base struct (as
    /// its `base` field) and the type of each of its own non-`Vec` fields: the struct, or
    /// the `Any…` enum when the type has subtypes, which holds every descendant struct.
    fn containment(&self) -> Vec<Vec<usize>> {
        let count = self.nodes.len();
        let held = |m: usize| if self.any[m] { count + m } else { m };
        let mut adj = vec![Vec::new(); 2 * count];
        for n in 0..count {
            let d = self.nodes[n];
            adj[n].extend(d.base.as_deref().and_then(|b| self.node(b)));
            adj[n].extend(
                d.fields
                    .iter()
                    .filter_map(|f| f.ty.as_ref().filter(|t| !t.array))
                    .filter_map(|t| self.node(&t.name))
                    .map(held),
            );
            if self.any[n] {
                let mut members = vec![n];
                let mut i = 0;
                while i < members.len() {
                    members.extend(self.subtypes[members[i]].iter().copied());
                    i += 1;
                }
                adj[count + n] = members;
            }
        }
        adj
    }

    /// Boxes every own by-value field whose value is in its owner's component: every
    /// cycle of the containment graph passes through such a field (base edges only go
    /// up the hierarchy, and `Any…` enums are reached only through fields).
    fn plan_boxes(&self) -> Vec<Vec<bool>> {
        let count = self.nodes.len();
        let comps = components(&self.containment());
        (0..count)
            .map(|n| {
                self.nodes[n]
                    .fields
                    .iter()
                    .map(|f| {
                        f.ty.as_ref()
                            .filter(|t| !t.array)
                            .and_then(|t| self.node(&t.name))
                            .map(|m| if self.any[m] { count + m } else { m })
                            .is_some_and(|m| comps.of[m] == comps.of[n])
                    })
                    .collect()
            })
            .collect()
    }

    fn plan_default(&self) -> Vec<bool> {
        let mut adj = vec![Vec::new(); self.nodes.len()];
        let local: Vec<bool> = (0..self.nodes.len())
            .map(|n| {
                self.fields[n].iter().all(|f| {
                    let Some(ty) = &f.ty else { return false };
                    if ty.array || f.optional.unwrap_or(false) {
                        return true;
                    }
                    if let Some(p) = ty.as_primitive() {
                        return p.info().default;
                    }
                    // References, enums (an empty `Other`) and `Any…` enums (an
                    // empty base value) have defaults; a struct has one unless it
                    // holds itself.
                    match self.node(&ty.name) {
                        _ if self.is_managed(&ty.name) => true,
                        Some(m) => {
                            adj[n].push(m);
                            true
                        }
                        None => self.enum_type(&ty.name).is_some(),
                    }
                })
            })
            .collect();
        derivable(&adj, &local, false)
    }

    /// `Eq` over structs (nodes `0..N`) and `Any…` enums (node `N + n` for type `n`).
    fn plan_eq(&self) -> Vec<bool> {
        let count = self.nodes.len();
        let mut adj = vec![Vec::new(); 2 * count];
        let mut local = vec![true; 2 * count];
        let held = |m: usize| if self.any[m] { count + m } else { m };
        for n in 0..count {
            adj[count + n].push(n);
            adj[count + n].extend(self.subtypes[n].iter().map(|&s| held(s)));
            for f in &self.fields[n] {
                let Some(ty) = &f.ty else {
                    local[n] = false;
                    continue;
                };
                if let Some(p) = ty.as_primitive() {
                    local[n] &= p.info().eq;
                } else if self.is_managed(&ty.name) || self.enum_type(&ty.name).is_some() {
                } else if let Some(m) = self.node(&ty.name) {
                    adj[n].push(held(m));
                } else {
                    local[n] = false;
                }
            }
        }
        let mut eq = derivable(&adj, &local, true);
        eq.truncate(count);
        eq
    }
}

/// The name index (first definition wins, data types before faults) and the data nodes.
fn index_types(model: &Model) -> (HashMap<&str, TypeKey>, Vec<&DataType>) {
    let mut index = HashMap::new();
    let nodes: Vec<&DataType> = model.data_types.iter().chain(&model.fault_types).collect();
    for (n, d) in nodes.iter().enumerate() {
        index.entry(d.name.as_str()).or_insert(TypeKey::Data(n));
    }
    for (i, e) in model.enums.iter().enumerate() {
        index.entry(e.name.as_str()).or_insert(TypeKey::Enum(i));
    }
    for (i, m) in model.managed_objects.iter().enumerate() {
        index.entry(m.name.as_str()).or_insert(TypeKey::Managed(i));
    }
    (index, nodes)
}
