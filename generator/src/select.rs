//! `spec/sdk.yaml`: which managed objects the SDK exposes, and the transitive closure of
//! the types they need (fields, params, returns, base types, subtypes, faults).

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

use serde::Deserialize;

use crate::model::{
    wire_name_of, DataType, EnumType, ManagedObject, Model, TypeName, TypeRef, ROOT_TYPES,
};

/// The whole `sdk.yaml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SdkConfig {
    /// The documentation sets to read, in order.
    pub doc_sets: Vec<DocSet>,
    /// Managed objects to emit: `all`, or a list in order.
    pub managed_objects: ManagedObjects,
}

/// What `managed_objects:` in `sdk.yaml` selects.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum ManagedObjects {
    /// `all`: every documented managed object, whole, in name order.
    All(AllKeyword),
    /// These, in order, each optionally limited to some methods and properties.
    Listed(Vec<Selection>),
}

/// The word `all`.
#[derive(Clone, Copy, Debug, Deserialize)]
pub enum AllKeyword {
    /// `all`.
    #[serde(rename = "all")]
    All,
}

/// A folder of documents the generator reads (formats are told by content).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocSet {
    /// A short name, used in messages.
    pub name: String,
    /// The folder, relative to the repository root.
    pub path: String,
    /// What the set is and where it comes from (shown when it is missing).
    pub about: String,
}

/// One managed object to emit, optionally limited to some methods and properties.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    /// Qualified name, e.g. `vim.SessionManager`.
    pub name: String,
    /// Only these methods (all when absent).
    pub methods: Option<Vec<String>>,
    /// Only these properties (all when absent).
    pub properties: Option<Vec<String>>,
}

/// Why a selection failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    /// `sdk.yaml` is not valid.
    #[error("{file}:{line}:{column}: invalid sdk.yaml: {message}")]
    Config {
        /// The file.
        file: String,
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
        /// serde's message.
        message: String,
    },
    /// A selected name is not in the documents.
    #[error("sdk.yaml selects `{0}`, which no document defines")]
    Unknown(String),
    /// A needed type is referenced but not documented.
    #[error("`{referrer}` refers to type `{name}`, which no document defines")]
    Undocumented {
        /// The type nobody defines.
        name: String,
        /// Who refers to it.
        referrer: String,
    },
}

impl SdkConfig {
    /// Parses the YAML text of `file`.
    pub fn parse(file: &str, text: &str) -> Result<SdkConfig, SelectError> {
        serde_yaml::from_str(text).map_err(|e| {
            let (line, column) = e
                .location()
                .map(|l| (l.line() as u32, l.column() as u32))
                .unwrap_or((1, 1));
            SelectError::Config {
                file: file.to_string(),
                line,
                column,
                message: e.to_string(),
            }
        })
    }

    /// The part of `full` this configuration selects, with every type it needs.
    pub fn select(&self, full: &Model) -> Result<Model, SelectError> {
        let index = FullIndex::new(full);
        let mut out = Model::default();
        let mut queue = VecDeque::new();
        let selections: Vec<Selection> = match &self.managed_objects {
            ManagedObjects::Listed(list) => list.clone(),
            ManagedObjects::All(_) => {
                let mut names: Vec<&str> = index.managed.keys().copied().collect();
                names.sort_unstable();
                names
                    .into_iter()
                    .map(|name| Selection {
                        name: name.to_string(),
                        methods: None,
                        properties: None,
                    })
                    .collect()
            }
        };
        for sel in &selections {
            let mo = select_object(&index, sel)?;
            queue_object_types(&mut queue, &mo);
            out.managed_objects.push(mo);
        }
        if let ManagedObjects::All(_) = self.managed_objects {
            // Every documented type too, reached or not, but the VI/JSON request bodies:
            // each method takes its parameters.
            let bodies = request_body_types(full);
            let all = full.data_types.iter().chain(&full.fault_types);
            let names = all
                .map(|d| &d.name)
                .chain(full.enums.iter().map(|e| &e.name));
            for name in names.filter(|n| !bodies.contains(n.as_str())) {
                queue.push_back((name.clone(), "sdk.yaml: all".to_string(), false));
            }
        }
        let refs = close_over_types(&index, &mut out, queue)?;
        out.data_types.sort_by(|a, b| a.name.cmp(&b.name));
        out.fault_types.sort_by(|a, b| a.name.cmp(&b.name));
        out.enums.sort_by(|a, b| a.name.cmp(&b.name));
        out.referenced_managed_objects = refs
            .into_iter()
            .map(|name| TypeName {
                wire_name: wire_name_of(&name),
                name,
            })
            .collect();
        Ok(out)
    }
}

/// The data types that are VI/JSON request bodies (`<Method>RequestType`, a task
/// method's without `_Task`, holding a
/// documented method's parameters): left out of a selection of `all`, since each method
/// takes its parameters.
pub fn request_body_types(full: &Model) -> BTreeSet<&str> {
    // Request bodies spell the method with an upper-case first letter (`SetCustomValue`
    // for `setCustomValue`).
    let upper_first = |s: &str| {
        let mut c = s.chars();
        c.next()
            .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
            .unwrap_or_default()
    };
    let methods: HashSet<String> = full
        .managed_objects
        .iter()
        .flat_map(|m| &m.methods)
        .map(|m| upper_first(m.name.strip_suffix("_Task").unwrap_or(&m.name)))
        .collect();
    full.data_types
        .iter()
        .map(|d| d.name.as_str())
        .filter(|n| {
            n.strip_suffix("RequestType")
                .is_some_and(|method| methods.contains(method))
        })
        .collect()
}

/// A type name waiting to be selected: (name, who refers to it, whether its subtypes come too).
type Pending = (String, String, bool);

/// Name lookups into the full model, first definition winning (as `Model`'s own lookups).
struct FullIndex<'m> {
    managed: HashMap<&'m str, &'m ManagedObject>,
    data: HashMap<&'m str, &'m DataType>,
    faults: HashSet<&'m str>,
    enums: HashMap<&'m str, &'m EnumType>,
    subtypes: HashMap<&'m str, Vec<&'m str>>,
}

impl<'m> FullIndex<'m> {
    fn new(full: &'m Model) -> Self {
        let mut index = FullIndex {
            managed: HashMap::new(),
            data: HashMap::new(),
            faults: full.fault_types.iter().map(|f| f.name.as_str()).collect(),
            enums: HashMap::new(),
            subtypes: HashMap::new(),
        };
        for m in &full.managed_objects {
            index.managed.entry(&m.name).or_insert(m);
        }
        for d in full.data_types.iter().chain(&full.fault_types) {
            index.data.entry(&d.name).or_insert(d);
            if let Some(base) = &d.base {
                index.subtypes.entry(base).or_default().push(&d.name);
            }
        }
        for e in &full.enums {
            index.enums.entry(&e.name).or_insert(e);
        }
        index
    }
}

/// The managed object `sel` names, limited to the methods and properties it lists.
fn select_object(index: &FullIndex<'_>, sel: &Selection) -> Result<ManagedObject, SelectError> {
    let mut mo = (*index
        .managed
        .get(sel.name.as_str())
        .ok_or_else(|| SelectError::Unknown(sel.name.clone()))?)
    .clone();
    if let Some(methods) = &sel.methods {
        if let Some(m) = methods
            .iter()
            .find(|m| !mo.methods.iter().any(|x| &x.name == *m))
        {
            return Err(SelectError::Unknown(format!("{}.{m}", sel.name)));
        }
        mo.methods.retain(|m| methods.contains(&m.name));
    }
    if let Some(props) = &sel.properties {
        if let Some(p) = props
            .iter()
            .find(|p| !mo.properties.iter().any(|x| &x.name == *p))
        {
            return Err(SelectError::Unknown(format!("{}.{p}", sel.name)));
        }
        mo.properties.retain(|p| props.contains(&p.name));
    }
    Ok(mo)
}

/// Queues the types of `mo`'s properties, parameters, returns and faults.
fn queue_object_types(queue: &mut VecDeque<Pending>, mo: &ManagedObject) {
    for p in &mo.properties {
        push_type(queue, &p.ty, &format!("{}.{}", mo.name, p.name));
    }
    for m in &mo.methods {
        let referrer = format!("{}.{}", mo.name, m.name);
        for p in &m.params {
            push_type(queue, &p.ty, &referrer);
        }
        if let Some(r) = &m.returns {
            push_type(queue, &r.ty, &referrer);
        }
        // A declared fault brings its subtypes: they arrive in its variant.
        for f in &m.faults {
            queue.push_back((f.name.clone(), referrer.clone(), true));
        }
    }
}

/// Adds every type `queue` leads to (fields, bases, subtypes) to `out`; returns the
/// managed objects referred to but not selected.
fn close_over_types(
    index: &FullIndex<'_>,
    out: &mut Model,
    mut queue: VecDeque<Pending>,
) -> Result<BTreeSet<String>, SelectError> {
    let selected: HashSet<&str> = out
        .managed_objects
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    let mut seen: HashSet<String> = HashSet::new();
    let mut expanded: HashSet<String> = HashSet::new();
    let mut refs = BTreeSet::new();
    while let Some((name, referrer, with_subtypes)) = queue.pop_front() {
        if TypeRef::scalar(name.as_str()).is_primitive() {
            continue;
        }
        if index.managed.contains_key(name.as_str()) || name == "vmodl.ManagedObject" {
            if !selected.contains(name.as_str()) {
                refs.insert(name);
            }
            continue;
        }
        let expand = with_subtypes && !ROOT_TYPES.contains(&name.as_str());
        if expand && expanded.insert(name.clone()) {
            for sub in index.subtypes.get(name.as_str()).into_iter().flatten() {
                queue.push_back((sub.to_string(), name.clone(), true));
            }
        }
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(e) = index.enums.get(name.as_str()) {
            out.enums.push((*e).clone());
        } else if let Some(d) = index.data.get(name.as_str()) {
            if let Some(base) = &d.base {
                queue.push_back((base.clone(), name.clone(), false));
            }
            for f in &d.fields {
                push_type(&mut queue, &f.ty, &format!("{name}.{}", f.name));
            }
            if index.faults.contains(name.as_str()) {
                out.fault_types.push((*d).clone());
            } else {
                out.data_types.push((*d).clone());
            }
        } else {
            return Err(SelectError::Undocumented { name, referrer });
        }
    }
    Ok(refs)
}

fn push_type(queue: &mut VecDeque<Pending>, ty: &Option<TypeRef>, referrer: &str) {
    if let Some(t) = ty {
        queue.push_back((t.name.clone(), referrer.to_string(), true));
    }
}
