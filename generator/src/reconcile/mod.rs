//! Merges the partial models of several documents into one.
//!
//! Identity across formats goes through wire names (`SessionManagerLocalTicket` is
//! `vim.SessionManager.LocalTicket`, `InvalidLogin` is `vim.fault.InvalidLogin`) and
//! case-insensitive method keys (`session_manager_login_by_sspi` is `LoginBySSPI`).
//! Methods, properties, fields and faults are united; for every other fact the
//! [`precedence`] table decides, and each disagreement becomes a [`Conflict`].

pub mod deprecations;
pub mod identity;
pub mod precedence;
mod returns;
mod tasks;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use identity::Identity;
use precedence::Rule;

use crate::model::{
    lower_camel, DataType, EnumType, Fact, FaultRef, Field, Format, Loc, ManagedObject, Method,
    Model, Param, Property, Returns, SubtypePrivilege, TypeRef, MANAGED_ROOT, TASK_TYPE,
};

/// One document's model with the format it was written in.
#[derive(Clone, Debug)]
pub struct SourceModel {
    /// The document's format (keys the precedence).
    pub format: Format,
    /// What the parser got out of it.
    pub model: Model,
}

/// A fact on which documents disagree, and what was chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// What the fact is about, e.g. `vim.SessionManager.Login.userName`.
    pub subject: String,
    /// Which fact, e.g. `optional`.
    pub fact: Fact,
    /// Every value stated, with where.
    pub candidates: Vec<(Format, Loc, String)>,
    /// The value kept.
    pub chosen: String,
}

impl Conflict {
    /// Every value stated, with its source: `pyvmomi-rst (a.rst:3) says `x`, …`.
    pub fn stated(&self) -> String {
        self.candidates
            .iter()
            .map(|(format, loc, value)| {
                format!(
                    "{} ({loc}) says `{value}`",
                    precedence::format_name(*format)
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` {}: {}; chose `{}` (precedence: {})",
            self.subject,
            self.fact,
            self.stated(),
            self.chosen,
            precedence::describe(self.fact)
        )
    }
}

/// The merged model and the record of how it was merged.
#[derive(Clone, Debug, Default)]
pub struct Reconciled {
    /// One model with every fact chosen.
    pub model: Model,
    /// Every disagreement between documents.
    pub conflicts: Vec<Conflict>,
    /// Names that could not be matched to a qualified type (kept as written).
    pub unresolved: Vec<(Loc, String)>,
    /// How qualified names and wire names were paired.
    pub identity: Identity,
    /// Fields a document listed as a type's own that a base type declares (the 8.0.1 set
    /// repeats `dynamicProperty` on some types), and methods and properties a managed
    /// object's page lists that a base object declares (the 8.0.1 set repeats
    /// `ManagedEntity`'s on every entity, some without their parameters), dropped as
    /// `Type.member`.
    pub repeated_fields: Vec<String>,
    /// How many task methods got their result type from their documentation.
    pub task_results: usize,
    /// How many single return values were made optional because their description
    /// says they may be null.
    pub null_returns: usize,
    /// How many parameters took their array dimension from their method's VI/JSON
    /// request-body type (see [`precedence`]).
    pub body_arrays: usize,
    /// How many items are deprecated, by kind.
    pub deprecations: deprecations::DeprecationCounts,
}

/// Merges `sources` into one model.
pub fn reconcile(mut sources: Vec<SourceModel>) -> Reconciled {
    managed_by_base(&mut sources);
    let identity = Identity::build(&sources);
    let index = NameIndex {
        identity: &identity,
    };
    let mut out = Reconciled::default();
    let sources: Vec<SourceModel> = sources
        .into_iter()
        .map(|s| SourceModel {
            format: s.format,
            model: index.qualify_model(s.model, &mut out.unresolved),
        })
        .collect();

    let mut merger = Merger {
        conflicts: &mut out.conflicts,
        identity: &identity,
        specific: TypeKinds::of(&sources),
        bodies: request_bodies(&sources),
        body_arrays: 0,
    };
    let managed = group(&sources, |m| &m.managed_objects, |mo| mo.name.clone());
    for (_, versions) in managed {
        out.model
            .managed_objects
            .push(merger.managed_object(&versions));
    }
    let data = group(&sources, |m| &m.data_types, |d| d.name.clone());
    for (_, versions) in data {
        out.model.data_types.push(merger.data_type(&versions));
    }
    out.body_arrays = merger.body_arrays;
    let enums = group(&sources, |m| &m.enums, |e| e.name.clone());
    for (_, versions) in enums {
        out.model.enums.push(merge_enum(&versions, &identity));
    }
    out.repeated_fields = drop_inherited_repeats(&mut out.model);
    out.repeated_fields
        .extend(drop_inherited_members(&mut out.model));
    classify_faults(&mut out.model);
    out.deprecations = deprecations::mark_deprecated(&mut out.model);
    out.task_results = tasks::record_task_results(&mut out.model);
    out.null_returns = returns::mark_null_returns(&mut out.model);
    out.identity = identity;
    out
}

/// The bases above `first` (itself included), nearest first, as `base_of` gives them; at
/// most 64, so that a cycle in the documents ends.
fn base_chain<'a>(
    first: Option<&'a str>,
    base_of: impl Fn(&str) -> Option<&'a str>,
) -> impl Iterator<Item = &'a str> {
    std::iter::successors(first, move |b| base_of(b)).take(64)
}

/// Removes from each data type the fields one of its base types declares, and names them.
fn drop_inherited_repeats(model: &mut Model) -> Vec<String> {
    let declared: HashMap<String, (Option<String>, HashSet<String>)> = model
        .data_types
        .iter()
        .chain(&model.fault_types)
        .map(|d| {
            let fields = d.fields.iter().map(|f| f.name.clone()).collect();
            (d.name.clone(), (d.base.clone(), fields))
        })
        .collect();
    let mut dropped = Vec::new();
    for d in model.data_types.iter_mut().chain(&mut model.fault_types) {
        let inherited: HashSet<&str> =
            base_chain(d.base.as_deref(), |b| declared.get(b)?.0.as_deref())
                .filter_map(|b| declared.get(b))
                .flat_map(|(_, fields)| fields.iter().map(String::as_str))
                .collect();
        let name = &d.name;
        d.fields.retain(|f| {
            let repeated = inherited.contains(f.name.as_str());
            if repeated {
                dropped.push(format!("{name}.{}", f.name));
            }
            !repeated
        });
    }
    dropped
}

/// Removes from each managed object the methods one of its base objects declares, and
/// the properties a base declares with the same type (a subtype's handle reaches them
/// through its base's), and names them. A property a subtype narrows
/// (`vim.TaskHistoryCollector.filter`, `vim.profile.host.HostProfile.config`) stays.
///
/// A repeated method whose page states another privilege than its declaration is
/// recorded on the declaration, under the subtype (`Method::privilege_on`).
fn drop_inherited_members(model: &mut Model) -> Vec<String> {
    struct Declared {
        base: Option<String>,
        /// Each method's privilege.
        methods: HashMap<String, Option<String>>,
        properties: HashMap<String, Option<crate::model::TypeRef>>,
    }
    let declared: HashMap<String, Declared> = model
        .managed_objects
        .iter()
        .map(|m| {
            let d = Declared {
                base: m.base.clone(),
                methods: m
                    .methods
                    .iter()
                    .map(|x| (x.name.clone(), x.privilege.clone()))
                    .collect(),
                properties: m
                    .properties
                    .iter()
                    .map(|p| (p.name.clone(), p.ty.clone()))
                    .collect(),
            };
            (m.name.clone(), d)
        })
        .collect();
    let mut dropped = Vec::new();
    // (declaring type, method, subtype, what the subtype's page says)
    let mut on_subtypes: Vec<(String, String, String, SubtypePrivilege)> = Vec::new();
    for mo in &mut model.managed_objects {
        let bases: Vec<(&str, &Declared)> =
            base_chain(mo.base.as_deref(), |b| declared.get(b)?.base.as_deref())
                .filter_map(|b| declared.get(b).map(|d| (b, d)))
                .collect();
        let name = &mo.name;
        mo.methods.retain(|m| {
            let Some((by, stated)) = bases
                .iter()
                .find_map(|(b, d)| d.methods.get(&m.name).map(|p| (*b, p)))
            else {
                return true;
            };
            dropped.push(format!("{name}.{}", m.name));
            if let Some(privilege) = m.privilege.as_ref().filter(|p| Some(*p) != stated.as_ref()) {
                let found = SubtypePrivilege {
                    privilege: privilege.clone(),
                    source: m.source.clone(),
                };
                on_subtypes.push((by.to_string(), m.name.clone(), name.clone(), found));
            }
            false
        });
        mo.properties.retain(|p| {
            let repeated = bases
                .iter()
                .any(|(_, b)| b.properties.get(&p.name).is_some_and(|ty| *ty == p.ty));
            if repeated {
                dropped.push(format!("{name}.{}", p.name));
            }
            !repeated
        });
    }
    let index: HashMap<String, usize> = model
        .managed_objects
        .iter()
        .enumerate()
        .map(|(i, m)| (m.name.clone(), i))
        .collect();
    for (by, method, subtype, found) in on_subtypes {
        let declaring = &mut model.managed_objects[index[&by]];
        if let Some(m) = declaring.methods.iter_mut().find(|m| m.name == method) {
            m.privilege_on.insert(subtype, found);
        }
    }
    dropped
}

/// Makes every data type that another document calls a managed object, or whose base
/// chain reaches one, a managed object: the tables Markdown cannot tell a managed object
/// with no methods and no properties (`vim.OpaqueNetwork`, `vim.VirtualizationManager`)
/// from a data object but by its name or base. Its fields are properties.
fn managed_by_base(sources: &mut [SourceModel]) {
    let managed: HashSet<String> = sources
        .iter()
        .flat_map(|s| &s.model.managed_objects)
        .map(|m| m.name.clone())
        .collect();
    let bases: HashMap<String, String> = sources
        .iter()
        .flat_map(|s| &s.model.data_types)
        .filter_map(|d| Some((d.name.clone(), d.base.clone()?)))
        .collect();
    let reaches_managed = |name: &str| {
        base_chain(bases.get(name).map(String::as_str), |b| {
            bases.get(b).map(String::as_str)
        })
        .any(|b| managed.contains(b))
    };
    for source in sources {
        let model = &mut source.model;
        let (objects, data): (Vec<DataType>, Vec<DataType>) = std::mem::take(&mut model.data_types)
            .into_iter()
            .partition(|d| managed.contains(&d.name) || reaches_managed(&d.name));
        model.data_types = data;
        model.managed_objects.extend(objects.into_iter().map(|d| {
            ManagedObject {
                name: d.name,
                wire_name: d.wire_name,
                base: d.base,
                description: d.description,
                since: d.since,
                deprecated: d.deprecated,
                properties: d
                    .fields
                    .into_iter()
                    .map(|f| Property {
                        name: f.name,
                        ty: f.ty,
                        optional: f.optional,
                        since: f.since,
                        description: f.description,
                        source: f.source,
                        ..Property::default()
                    })
                    .collect(),
                methods: Vec::new(),
                source: d.source,
            }
        }));
    }
}

/// Moves every data type whose base chain reaches `vmodl.MethodFault`, or that a method
/// lists among its faults (the 8.0.1 set states no bases), to `fault_types`.
pub fn classify_faults(model: &mut Model) {
    let thrown: HashSet<String> = model
        .managed_objects
        .iter()
        .flat_map(|mo| &mo.methods)
        .flat_map(|m| &m.faults)
        .map(|f| f.name.clone())
        .collect();
    let bases: HashMap<String, Option<String>> = model
        .data_types
        .iter()
        .chain(&model.fault_types)
        .map(|d| (d.name.clone(), d.base.clone()))
        .collect();
    let is_fault = |name: &str| {
        name == "vmodl.MethodFault"
            || base_chain(bases.get(name).and_then(Option::as_deref), |b| {
                bases.get(b).and_then(Option::as_deref)
            })
            .any(|b| b == "vmodl.MethodFault")
    };
    let (faults, data): (Vec<DataType>, Vec<DataType>) = std::mem::take(&mut model.data_types)
        .into_iter()
        .chain(std::mem::take(&mut model.fault_types))
        .partition(|d| thrown.contains(&d.name) || is_fault(&d.name));
    model.data_types = data;
    model.fault_types = faults;
}

/// Groups items of all sources by key, keeping first-seen order of keys and, within a
/// key, the order of the sources.
fn group<'a, T: 'a>(
    sources: &'a [SourceModel],
    items: impl Fn(&'a Model) -> &'a Vec<T>,
    key: impl Fn(&T) -> String,
) -> Vec<(String, Vec<(Format, &'a T)>)> {
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, Vec<(Format, &'a T)>> = HashMap::new();
    let mut by_trust: Vec<&SourceModel> = sources.iter().collect();
    by_trust.sort_by_key(|s| precedence::rank(Fact::Params, s.format).unwrap_or(usize::MAX));
    for source in by_trust {
        for item in items(&source.model) {
            let k = key(item);
            let entry = groups.entry(k.clone()).or_insert_with(|| {
                order.push(k);
                Vec::new()
            });
            entry.push((source.format, item));
        }
    }
    order
        .into_iter()
        .map(|k| {
            let v = groups.remove(&k).unwrap_or_default();
            (k, v)
        })
        .collect()
}

/// Renames every type reference of a document to the name the model keys it by.
struct NameIndex<'a> {
    identity: &'a Identity,
}

impl NameIndex<'_> {
    fn qualify(&self, name: &str) -> Option<String> {
        self.identity.model_name(name)
    }

    fn qualify_or_keep(
        &self,
        name: &str,
        loc: &Loc,
        unresolved: &mut Vec<(Loc, String)>,
    ) -> String {
        match self.qualify(name) {
            Some(q) => q,
            None => {
                unresolved.push((loc.clone(), name.to_string()));
                name.to_string()
            }
        }
    }

    fn qualify_type(
        &self,
        ty: &mut Option<TypeRef>,
        loc: &Loc,
        unresolved: &mut Vec<(Loc, String)>,
    ) {
        if let Some(t) = ty {
            t.name = self.qualify_or_keep(&t.name, loc, unresolved);
        }
    }

    fn qualify_model(&self, mut model: Model, unresolved: &mut Vec<(Loc, String)>) -> Model {
        for mo in &mut model.managed_objects {
            mo.name = self.qualify_or_keep(&mo.name, &mo.source, unresolved);
            for p in &mut mo.properties {
                self.qualify_type(&mut p.ty, &p.source, unresolved);
            }
            for m in &mut mo.methods {
                for p in &mut m.params {
                    self.qualify_type(&mut p.ty, &p.source, unresolved);
                }
                if let Some(r) = &mut m.returns {
                    self.qualify_type(&mut r.ty, &m.source, unresolved);
                }
                for f in &mut m.faults {
                    f.name = self.qualify_or_keep(&f.name, &f.source, unresolved);
                }
            }
        }
        for d in model.data_types.iter_mut().chain(&mut model.fault_types) {
            d.name = self.qualify_or_keep(&d.name, &d.source, unresolved);
            // A base the index cannot place (e.g. `DataObject`) is the format's word for the
            // root data type: keep it only when it is qualified.
            d.base = d.base.take().and_then(|b| self.qualify(&b));
            for f in &mut d.fields {
                self.qualify_type(&mut f.ty, &f.source, unresolved);
            }
        }
        for e in &mut model.enums {
            e.name = self.qualify_or_keep(&e.name, &e.source, unresolved);
        }
        model
    }
}

fn is_qualified(name: &str) -> bool {
    name.starts_with("vim.") || name.starts_with("vmodl.")
}

/// Chooses facts and records conflicts.
struct Merger<'c> {
    conflicts: &'c mut Vec<Conflict>,
    identity: &'c Identity,
    /// Every enum and managed object name: the types more specific than `string` and
    /// than a reference to any managed object.
    specific: TypeKinds,
    /// The fields of the VI/JSON request-body types (`PowerOnMultiVMRequestType`), by
    /// the type's wire name: each method's parameters as the wire carries them.
    bodies: HashMap<String, Vec<Field>>,
    /// How many parameters took their array dimension from a request-body type.
    body_arrays: usize,
}

/// The fields of every request-body type the sources document, by wire name (the first
/// document of each wins; one set documents them).
fn request_bodies(sources: &[SourceModel]) -> HashMap<String, Vec<Field>> {
    let mut bodies = HashMap::new();
    for d in sources.iter().flat_map(|s| &s.model.data_types) {
        if Method::of_request_type(&d.wire_name).is_some() {
            bodies
                .entry(d.wire_name.clone())
                .or_insert_with(|| d.fields.clone());
        }
    }
    bodies
}

/// The names of enums and of managed objects, after qualification.
#[derive(Default)]
struct TypeKinds {
    enums: HashSet<String>,
    managed: HashSet<String>,
}

impl TypeKinds {
    fn of(sources: &[SourceModel]) -> Self {
        let mut kinds = TypeKinds::default();
        for s in sources {
            kinds
                .enums
                .extend(s.model.enums.iter().map(|e| e.name.clone()));
            kinds
                .managed
                .extend(s.model.managed_objects.iter().map(|m| m.name.clone()));
        }
        kinds
    }

    /// Whether `specific` says more than `generic` and nothing else: an enum where the other
    /// says `string`, a managed object where it says any managed object.
    fn refines(&self, generic: &TypeRef, specific: &TypeRef) -> bool {
        generic.array == specific.array
            && match generic.name.as_str() {
                "string" => self.enums.contains(&specific.name),
                MANAGED_ROOT => self.managed.contains(&specific.name),
                _ => false,
            }
    }
}

impl Merger<'_> {
    /// Picks the value of `fact` from the highest-ranked source that states one.
    fn choose<T: Clone + PartialEq + fmt::Display>(
        &mut self,
        subject: &str,
        fact: Fact,
        candidates: Vec<(Format, Loc, Option<T>)>,
        origin: &mut BTreeMap<Fact, Loc>,
    ) -> Option<T> {
        let mut stated: Vec<(Format, Loc, T)> = candidates
            .into_iter()
            .filter_map(|(f, l, v)| v.map(|v| (f, l, v)))
            .filter(|(f, _, _)| precedence::rank(fact, *f).is_some())
            .collect();
        stated.sort_by_key(|(f, _, _)| precedence::rank(fact, *f));
        let (_, loc, chosen) = stated.first()?.clone();
        if stated.iter().any(|(_, _, v)| *v != chosen) {
            self.conflicts.push(Conflict {
                subject: subject.to_string(),
                fact,
                candidates: stated
                    .iter()
                    .map(|(f, l, v)| (*f, l.clone(), v.to_string()))
                    .collect(),
                chosen: chosen.to_string(),
            });
        }
        origin.insert(fact, loc);
        Some(chosen)
    }

    /// Picks a type like [`Merger::choose`], after dropping every stated type another one
    /// refines (`string` when another document names the enum): the specific one is no
    /// disagreement, the wire carries both alike.
    fn choose_type(
        &mut self,
        subject: &str,
        candidates: Vec<(Format, Loc, Option<TypeRef>)>,
        origin: &mut BTreeMap<Fact, Loc>,
    ) -> Option<TypeRef> {
        let kept = self.without_refined(candidates, |t: &TypeRef| Some(t));
        self.choose(subject, Fact::Type, kept, origin)
    }

    /// The candidates whose type (as `ty` reads it) no other candidate's type refines.
    fn without_refined<V>(
        &self,
        candidates: Vec<(Format, Loc, Option<V>)>,
        ty: impl Fn(&V) -> Option<&TypeRef>,
    ) -> Vec<(Format, Loc, Option<V>)> {
        let stated: Vec<TypeRef> = candidates
            .iter()
            .filter_map(|(_, _, v)| v.as_ref().and_then(&ty).cloned())
            .collect();
        candidates
            .into_iter()
            .filter(|(_, _, v)| {
                v.as_ref()
                    .and_then(&ty)
                    .is_none_or(|t| !stated.iter().any(|s| self.specific.refines(t, s)))
            })
            .collect()
    }

    fn managed_object(&mut self, versions: &[(Format, &ManagedObject)]) -> ManagedObject {
        let (_, first) = versions[0];
        let name = first.name.clone();
        let mut origin = BTreeMap::new();
        let mut properties = Vec::new();
        for (_, props) in sub_group(versions, |mo| &mo.properties, |p| lower_camel(&p.name)) {
            properties.push(self.property(&name, &props));
        }
        let mut methods = Vec::new();
        for (_, ms) in sub_group(versions, |mo| &mo.methods, |m| method_key(&m.name)) {
            methods.push(self.method(&name, &ms));
        }
        let base = self.choose(
            &name,
            Fact::Base,
            versions
                .iter()
                .map(|(f, mo)| (*f, mo.source.clone(), mo.base.clone()))
                .collect(),
            &mut origin,
        );
        let since = self.choose(
            &name,
            Fact::Since,
            versions
                .iter()
                .map(|(f, mo)| (*f, mo.source.clone(), mo.since.clone()))
                .collect(),
            &mut origin,
        );
        ManagedObject {
            wire_name: self.identity.wire_name(&name),
            name,
            base,
            description: richest(versions.iter().map(|(f, mo)| (*f, mo.description.as_ref()))),
            since,
            deprecated: richest(versions.iter().map(|(f, mo)| (*f, mo.deprecated.as_ref()))),
            properties,
            methods,
            source: first.source.clone(),
        }
    }

    fn property(&mut self, owner: &str, versions: &[(Format, &Property)]) -> Property {
        let first = versions[0].1;
        let subject = format!("{owner}.{}", first.name);
        let mut origin = BTreeMap::new();
        let ty = self.choose_type(
            &subject,
            cands(versions, |p| p.ty.clone(), |p| &p.source),
            &mut origin,
        );
        let optional = self.choose(
            &subject,
            Fact::Optional,
            cands(versions, |p| p.optional, |p| &p.source),
            &mut origin,
        );
        let privilege = self.choose(
            &subject,
            Fact::Privilege,
            cands(versions, |p| p.privilege.clone(), |p| &p.source),
            &mut origin,
        );
        let since = self.choose(
            &subject,
            Fact::Since,
            cands(versions, |p| p.since.clone(), |p| &p.source),
            &mut origin,
        );
        let http = self.choose(
            &subject,
            Fact::Http,
            cands(versions, |p| p.http.clone().map(Http), |p| &p.source),
            &mut origin,
        );
        Property {
            name: first.name.clone(),
            ty,
            optional,
            privilege,
            since,
            deprecated: richest(versions.iter().map(|(f, p)| (*f, p.deprecated.as_ref()))),
            description: richest(versions.iter().map(|(f, p)| (*f, p.description.as_ref()))),
            http: http.map(|h| h.0),
            source: first.source.clone(),
            origin,
        }
    }

    fn method(&mut self, owner: &str, versions: &[(Format, &Method)]) -> Method {
        // The name as the most trusted document spells it.
        let first = versions[0].1;
        let subject = format!("{owner}.{}", first.name);
        let mut origin = BTreeMap::new();
        let request_type = self.choose(
            &subject,
            Fact::RequestType,
            cands(versions, |m| m.request_type.clone(), |m| &m.source),
            &mut origin,
        );
        let body = request_type
            .as_ref()
            .and_then(|rt| self.bodies.get(rt))
            .cloned()
            .unwrap_or_default();
        let params = self.method_params(&subject, versions, &body, &mut origin);
        let returns = self.method_returns(&subject, versions, &mut origin);
        let privilege = self.choose(
            &subject,
            Fact::Privilege,
            cands(versions, |m| m.privilege.clone(), |m| &m.source),
            &mut origin,
        );
        let since = self.choose(
            &subject,
            Fact::Since,
            cands(versions, |m| m.since.clone(), |m| &m.source),
            &mut origin,
        );
        let http = self.choose(
            &subject,
            Fact::Http,
            cands(versions, |m| m.http.clone().map(Http), |m| &m.source),
            &mut origin,
        );
        // Whether it is deprecated is the fact (a document silent on it says nothing);
        // the note, like a description, is the richest of those written.
        let deprecated = self
            .choose(
                &subject,
                Fact::Deprecated,
                cands(
                    versions,
                    |m| m.deprecated.as_ref().map(|_| true),
                    |m| &m.source,
                ),
                &mut origin,
            )
            .and_then(|_| richest(versions.iter().map(|(f, m)| (*f, m.deprecated.as_ref()))));
        if let Some(rt) = &request_type {
            self.check_request_type(&subject, &first.name, rt, versions);
        }
        Method {
            name: wire_method_name(versions),
            params,
            returns,
            privilege,
            privilege_on: Default::default(),
            since,
            faults: method_faults(versions),
            description: richest(versions.iter().map(|(f, m)| (*f, m.description.as_ref()))),
            deprecated,
            http: http.map(|h| h.0),
            request_type,
            task_result: None,
            source: first.source.clone(),
            origin,
        }
    }

    /// Parameter lists: sources that state parameters must agree on the names; each
    /// parameter's facts are then merged across them, its array dimension checked against
    /// the request-body type's field of its name (`body`).
    fn method_params(
        &mut self,
        subject: &str,
        versions: &[(Format, &Method)],
        body: &[Field],
        origin: &mut BTreeMap<Fact, Loc>,
    ) -> Vec<Param> {
        let stating: Vec<(Format, &Method)> = versions
            .iter()
            .filter(|(f, m)| !m.params.is_empty() || states_signature(*f))
            .map(|(f, m)| (*f, *m))
            .collect();
        let names = stating
            .iter()
            .map(|(f, m)| {
                let names = m.params.iter().map(|p| p.name.clone()).collect();
                (*f, m.source.clone(), Some(ParamNames(names)))
            })
            .collect();
        let _ = self.choose(subject, Fact::Params, names, origin);
        sub_group(&stating, |m| &m.params, |p| lower_camel(&p.name))
            .into_iter()
            .map(|(_, ps)| {
                let field = body.iter().find(|f| f.name == ps[0].1.name);
                self.param(subject, &ps, field)
            })
            .collect()
    }

    /// The return type by precedence; its flags by their rule; the richest description.
    fn method_returns(
        &mut self,
        subject: &str,
        versions: &[(Format, &Method)],
        origin: &mut BTreeMap<Fact, Loc>,
    ) -> Option<Returns> {
        let stated = versions
            .iter()
            .map(|(f, m)| {
                let ty = m.returns.as_ref().map(|r| ReturnType(r.ty.clone()));
                (*f, m.source.clone(), ty)
            })
            .collect();
        // A return another document refines (`vim.Task` for a reference to any managed
        // object) is no disagreement.
        let task = TypeRef::scalar(TASK_TYPE);
        let stated = self
            .without_refined(stated, |r: &ReturnType| r.0.as_ref())
            .into_iter()
            .map(|(f, loc, mut ty)| {
                // A `…_Task` method returns its task: the VI/JSON pages only say "a
                // reference".
                if let Some(t) = ty.as_mut().and_then(|r| r.0.as_mut()) {
                    if task_named(versions, f) && self.specific.refines(t, &task) {
                        *t = task.clone();
                    }
                }
                (f, loc, ty)
            })
            .collect();
        let returns_ty = self.choose(subject, Fact::Returns, stated, origin)?;
        Some(Returns {
            ty: returns_ty.0,
            optional: flag(
                Fact::ReturnsOptional,
                versions
                    .iter()
                    .map(|(f, m)| (*f, m.returns.as_ref().is_some_and(|r| r.optional))),
            ),
            secret: flag(
                Fact::ReturnsSecret,
                versions
                    .iter()
                    .map(|(f, m)| (*f, m.returns.as_ref().is_some_and(|r| r.secret))),
            ),
            description: richest(
                versions
                    .iter()
                    .map(|(f, m)| (*f, m.returns.as_ref().and_then(|r| r.description.as_ref()))),
            ),
        })
    }

    /// `AcquireGenericServiceTicketRequestType` belongs to `AcquireGenericServiceTicket`:
    /// a body type named for another method is a disagreement about identity.
    fn check_request_type(
        &mut self,
        subject: &str,
        method: &str,
        request_type: &str,
        versions: &[(Format, &Method)],
    ) {
        // `PowerOnVMRequestType` is the body of `PowerOnVM_Task`: task methods' bodies are
        // named without the suffix.
        let owner = Method::of_request_type(request_type).map(lower_camel);
        let method = method.strip_suffix("_Task").unwrap_or(method);
        if owner.as_deref() == Some(lower_camel(method).as_str()) {
            return;
        }
        self.conflicts.push(Conflict {
            subject: subject.to_string(),
            fact: Fact::RequestType,
            candidates: versions
                .iter()
                .filter_map(|(f, m)| m.request_type.clone().map(|t| (*f, m.source.clone(), t)))
                .collect(),
            chosen: format!("{request_type} (names another method)"),
        });
    }

    fn param(
        &mut self,
        method: &str,
        versions: &[(Format, &Param)],
        body: Option<&Field>,
    ) -> Param {
        let first = versions[0].1;
        let subject = format!("{method}.{}", first.name);
        let mut origin = BTreeMap::new();
        let candidates = cands(versions, |p| p.ty.clone(), |p| &p.source);
        let ty = self.choose_type(&subject, candidates.clone(), &mut origin);
        let ty = self.body_shape(&subject, ty, candidates, body, &mut origin);
        let optional = self.choose(
            &subject,
            Fact::Optional,
            cands(versions, |p| p.optional, |p| &p.source),
            &mut origin,
        );
        let secret = flag(Fact::Secret, versions.iter().map(|(f, p)| (*f, p.secret)));
        let since = self.choose(
            &subject,
            Fact::Since,
            cands(versions, |p| p.since.clone(), |p| &p.source),
            &mut origin,
        );
        Param {
            name: first.name.clone(),
            ty,
            optional,
            secret,
            since,
            description: richest(versions.iter().map(|(f, p)| (*f, p.description.as_ref()))),
            source: first.source.clone(),
            origin,
        }
    }

    /// A parameter's type `ty` with the array dimension its request-body field `body`
    /// states (`List[…]` on the wire), which outranks the method pages
    /// ([`precedence::BODY_ARRAY`]); the element type stays the one chosen. A change is
    /// a conflict on the type, with the method pages' `candidates` and the body's field.
    fn body_shape(
        &mut self,
        subject: &str,
        ty: Option<TypeRef>,
        candidates: Vec<(Format, Loc, Option<TypeRef>)>,
        body: Option<&Field>,
        origin: &mut BTreeMap<Fact, Loc>,
    ) -> Option<TypeRef> {
        let Some((field, stated)) = body.and_then(|f| f.ty.as_ref().map(|t| (f, t))) else {
            return ty;
        };
        let Some(mut ty) = ty else {
            origin.insert(Fact::Type, field.source.clone());
            return Some(stated.clone());
        };
        if ty.array == stated.array {
            return Some(ty);
        }
        ty.array = stated.array;
        self.body_arrays += 1;
        let mut candidates: Vec<(Format, Loc, String)> = candidates
            .into_iter()
            .filter_map(|(f, l, t)| t.map(|t| (f, l, t.to_string())))
            .collect();
        candidates.push((
            precedence::BODY_ARRAY,
            field.source.clone(),
            stated.to_string(),
        ));
        self.conflicts.push(Conflict {
            subject: subject.to_string(),
            fact: Fact::Type,
            candidates,
            chosen: ty.to_string(),
        });
        origin.insert(Fact::Type, field.source.clone());
        Some(ty)
    }

    fn data_type(&mut self, versions: &[(Format, &DataType)]) -> DataType {
        let first = versions[0].1;
        let name = first.name.clone();
        let mut origin = BTreeMap::new();
        let base = self.choose(
            &name,
            Fact::Base,
            cands(versions, |d| d.base.clone(), |d| &d.source),
            &mut origin,
        );
        let since = self.choose(
            &name,
            Fact::Since,
            cands(versions, |d| d.since.clone(), |d| &d.source),
            &mut origin,
        );
        let mut fields = Vec::new();
        for (_, fs) in sub_group(versions, |d| &d.fields, |f| lower_camel(&f.name)) {
            let f0 = fs[0].1;
            let subject = format!("{name}.{}", f0.name);
            let mut forigin = BTreeMap::new();
            let ty = self.choose_type(
                &subject,
                cands(&fs, |f| f.ty.clone(), |f| &f.source),
                &mut forigin,
            );
            let optional = self.choose(
                &subject,
                Fact::Optional,
                cands(&fs, |f| f.optional, |f| &f.source),
                &mut forigin,
            );
            let fsince = self.choose(
                &subject,
                Fact::Since,
                cands(&fs, |f| f.since.clone(), |f| &f.source),
                &mut forigin,
            );
            fields.push(Field {
                name: f0.name.clone(),
                ty,
                optional,
                secret: flag(
                    Fact::Secret,
                    fs.iter().map(|(format, f)| (*format, f.secret)),
                ),
                since: fsince,
                deprecated: richest(
                    fs.iter()
                        .map(|(format, f)| (*format, f.deprecated.as_ref())),
                ),
                description: richest(
                    fs.iter()
                        .map(|(format, f)| (*format, f.description.as_ref())),
                ),
                source: f0.source.clone(),
                origin: Default::default(),
            });
        }
        DataType {
            wire_name: self.identity.wire_name(&name),
            name,
            base,
            description: richest(versions.iter().map(|(f, d)| (*f, d.description.as_ref()))),
            since,
            deprecated: richest(versions.iter().map(|(f, d)| (*f, d.deprecated.as_ref()))),
            fields,
            source: first.source.clone(),
        }
    }
}

fn merge_enum(versions: &[(Format, &EnumType)], identity: &Identity) -> EnumType {
    let mut merged = versions[0].1.clone();
    for (_, e) in &versions[1..] {
        for v in &e.values {
            if !merged.values.iter().any(|m| m.name == v.name) {
                merged.values.push(v.clone());
            }
        }
    }
    merged.wire_name = identity.wire_name(&merged.name);
    merged
}

/// Whether the version of a method from `format` names it as a task (`…_Task`).
fn task_named(versions: &[(Format, &Method)], format: Format) -> bool {
    versions
        .iter()
        .any(|(f, m)| *f == format && m.name.ends_with("_Task"))
}

/// What identifies a method across formats: its name, case and underscores aside, without
/// the `_Task` suffix the pyvmomi reference leaves out (`CreateVM` there is the wire's
/// `CreateVM_Task`).
fn method_key(name: &str) -> String {
    lower_camel(name.strip_suffix("_Task").unwrap_or(name))
}

/// A method's wire name: as the VI/JSON formats spell it (they name the HTTP path), else
/// as the first document does.
fn wire_method_name(versions: &[(Format, &Method)]) -> String {
    versions
        .iter()
        .find(|(f, _)| matches!(f, Format::VijsonText | Format::OpenApiMarkdown))
        .or(versions.first())
        .map(|(_, m)| m.name.clone())
        .unwrap_or_default()
}

/// The union of the faults the documents list, each with its richest description.
fn method_faults(versions: &[(Format, &Method)]) -> Vec<FaultRef> {
    sub_group(versions, |m| &m.faults, |f| f.name.clone())
        .into_iter()
        .map(|(_, fs)| {
            let (_, first) = fs[0];
            FaultRef {
                name: first.name.clone(),
                description: richest(
                    fs.iter()
                        .map(|(format, f)| (*format, f.description.as_ref())),
                ),
                source: first.source.clone(),
            }
        })
        .collect()
}

/// Whether a format states a method's (possibly empty) signature, as the RST and the
/// tables Markdown do; the OpenAPI Markdown and page text only list request-body fields.
fn states_signature(format: Format) -> bool {
    matches!(format, Format::PyvmomiRst | Format::DocsMarkdown)
}

/// A yes/no fact every version states (a silent document says `false`), decided by its
/// precedence rule.
fn flag(fact: Fact, mut versions: impl Iterator<Item = (Format, bool)>) -> bool {
    match precedence::rule(fact) {
        Rule::AnyDocument => versions.any(|(_, value)| value),
        Rule::Ranked(_) => versions
            .filter_map(|(format, value)| precedence::rank(fact, format).map(|r| (r, value)))
            .min_by_key(|(r, _)| *r)
            .is_some_and(|(_, value)| value),
    }
}

/// Candidates for a fact from every version of an item.
fn cands<T, V>(
    versions: &[(Format, &T)],
    get: impl Fn(&T) -> Option<V>,
    loc: impl Fn(&T) -> &Loc,
) -> Vec<(Format, Loc, Option<V>)> {
    versions
        .iter()
        .map(|(f, x)| (*f, loc(x).clone(), get(x)))
        .collect()
}

/// Groups the children of several versions of an item by key, first-seen order.
fn sub_group<'a, P, C: 'a>(
    parents: &[(Format, &'a P)],
    children: impl Fn(&'a P) -> &'a Vec<C>,
    key: impl Fn(&C) -> String,
) -> Vec<(String, Vec<(Format, &'a C)>)> {
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, Vec<(Format, &'a C)>> = HashMap::new();
    for (format, parent) in parents {
        for child in children(parent) {
            let k = key(child);
            groups
                .entry(k.clone())
                .or_insert_with(|| {
                    order.push(k);
                    Vec::new()
                })
                .push((*format, child));
        }
    }
    order
        .into_iter()
        .map(|k| {
            let v = groups.remove(&k).unwrap_or_default();
            (k, v)
        })
        .collect()
}

/// The description to keep, by [`precedence::description_rank`]: among those with at
/// least 95% of the words of the wordiest, the best-ranked format's.
fn richest<'a>(descriptions: impl Iterator<Item = (Format, Option<&'a String>)>) -> Option<String> {
    let candidates: Vec<(Format, &String, usize)> = descriptions
        .filter_map(|(format, d)| Some((format, d?)))
        .filter(|(_, d)| !d.trim().is_empty())
        .map(|(format, d)| {
            // Words, not list markers or dashes.
            let words = d
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .count();
            (format, d, words)
        })
        .collect();
    let most = candidates.iter().map(|c| c.2).max()?;
    candidates
        .into_iter()
        .filter(|c| c.2 * 100 >= most * 95)
        .min_by_key(|c| precedence::description_rank(c.0))
        .map(|c| c.1.clone())
}

/// A method's parameter names, compared as identities (`lower_camel`: case and
/// underscores aside), since the OpenAPI set spells them in snake_case.
#[derive(Clone)]
struct ParamNames(Vec<String>);

impl PartialEq for ParamNames {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .zip(&other.0)
                .all(|(a, b)| lower_camel(a) == lower_camel(b))
    }
}

impl fmt::Display for ParamNames {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({})", self.0.join(", "))
    }
}

#[derive(Clone, PartialEq)]
struct ReturnType(Option<TypeRef>);

impl fmt::Display for ReturnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(t) => write!(f, "{t}"),
            None => f.write_str("void"),
        }
    }
}

#[derive(Clone, PartialEq)]
struct Http(crate::model::HttpBinding);

impl fmt::Display for Http {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.0.verb, self.0.path)
    }
}
