//! `spec/overrides.yaml`: corrections for what the documents get wrong, each with a reason.
//!
//! ```yaml
//! overrides:
//!   - target: vim.SessionManager.TerminateSession.sessionId
//!     type: "string[]"
//!     reason: the text says "a list of sessions"; the type column says string
//! ```
//! A target names a managed object member (`Type.Method`, `Type.Method.param`,
//! `Type.property`) or a data type member (`Type`, `Type.field`). An override that names
//! nothing that exists, or sets a fact its target does not have, is an error.
//! [`TargetKind::facts`] is the table of which facts each kind of target has; applying an
//! override sets each of its [`Override::values`] through that target's slot for the fact.

use serde::Deserialize;

use std::collections::BTreeMap;

use crate::model::{
    DataType, Fact, Field, Loc, Method, Model, Param, Property, Returns, TypeRef, Version,
};

/// A fact an override changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverrideChange {
    /// The override's target path.
    pub target: String,
    /// Which fact.
    pub fact: Fact,
    /// The documents' value and where it was read, if they stated one.
    pub before: Option<(Loc, String)>,
    /// The value the override sets.
    pub after: String,
    /// The override's reason.
    pub reason: String,
    /// Where the override is written.
    pub at: Loc,
}

impl std::fmt::Display for OverrideChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}` {}: ", self.target, self.fact)?;
        match &self.before {
            Some((loc, value)) => write!(f, "documents ({loc}) say `{value}`")?,
            None => write!(f, "documents are silent")?,
        }
        write!(
            f,
            "; {} sets `{}` because {}",
            self.at,
            self.after,
            self.reason.trim()
        )
    }
}

/// The whole overrides file.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    /// Corrections in file order.
    #[serde(default)]
    pub overrides: Vec<Override>,
}

/// One correction.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// What it corrects, as a dotted path.
    pub target: String,
    /// Why the documents are wrong (required).
    pub reason: String,
    /// New type.
    #[serde(rename = "type")]
    pub ty: Option<TypeRef>,
    /// New optionality.
    pub optional: Option<bool>,
    /// Marks a credential.
    pub secret: Option<bool>,
    /// New privilege.
    pub privilege: Option<String>,
    /// New since-version.
    pub since: Option<Version>,
    /// New return type (methods).
    pub returns: Option<TypeRef>,
    /// Marks the return value as a credential (methods).
    pub returns_secret: Option<bool>,
    /// Marks the return value as possibly unset (methods).
    pub returns_optional: Option<bool>,
    /// New base type (data types).
    pub base: Option<String>,
    /// The method's wire name, where a document calls it by another (pyvmomi's RST names
    /// `CloneVM_Task` by its Python alias `Clone`): the method is renamed, replacing the
    /// method of that name another document gave.
    pub wire_name: Option<String>,
    /// 1-based line of the entry in the file (filled in on load).
    #[serde(skip)]
    pub line: u32,
}

/// Why overrides could not be applied.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct OverrideError {
    /// The overrides file.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// What is wrong.
    pub message: String,
}

/// The 1-based line and column a YAML error points at (1:1 when it names none).
pub(crate) fn yaml_position(e: &serde_yaml::Error) -> (u32, u32) {
    e.location()
        .map(|l| (l.line() as u32, l.column() as u32))
        .unwrap_or((1, 1))
}

impl Overrides {
    /// Parses the YAML text of `file`.
    pub fn parse(file: &str, text: &str) -> Result<Overrides, OverrideError> {
        let mut parsed: Overrides = serde_yaml::from_str(text).map_err(|e| {
            let (line, column) = yaml_position(&e);
            OverrideError {
                file: file.to_string(),
                line,
                column,
                message: format!("invalid overrides: {e}"),
            }
        })?;
        // serde_yaml keeps no positions: find each entry's `target:` line in file order.
        let mut lines = text.lines().enumerate();
        for o in &mut parsed.overrides {
            o.line = lines
                .by_ref()
                .find(|(_, l)| l.contains("target:") && l.contains(o.target.as_str()))
                .map(|(i, _)| i as u32 + 1)
                .unwrap_or(1);
            if o.reason.trim().is_empty() {
                return Err(OverrideError {
                    file: file.to_string(),
                    line: o.line,
                    column: 1,
                    message: format!("override of `{}` has an empty reason", o.target),
                });
            }
        }
        Ok(parsed)
    }

    /// Applies every override to `model`, recording each changed fact.
    pub fn apply(
        &self,
        file: &str,
        model: &mut Model,
    ) -> Result<Vec<OverrideChange>, OverrideError> {
        let mut changes = Vec::new();
        for o in &self.overrides {
            o.apply(model, &Loc::new(file, o.line), &mut changes)
                .map_err(|message| OverrideError {
                    file: file.to_string(),
                    line: o.line,
                    column: 1,
                    message,
                })?;
        }
        Ok(changes)
    }
}

/// A value an override sets.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A type (`type`, `returns`).
    Type(TypeRef),
    /// Yes or no (`optional`, `secret`, `returns_secret`, `returns_optional`).
    Flag(bool),
    /// A name (`privilege`, `base`).
    Text(String),
    /// A version (`since`).
    Version(Version),
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Type(t) => write!(f, "{t}"),
            Value::Flag(b) => write!(f, "{b}"),
            Value::Text(s) => f.write_str(s),
            Value::Version(v) => write!(f, "{v}"),
        }
    }
}

/// The kinds of item an override can target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetKind {
    /// A method parameter (`Type.Method.param`).
    Param,
    /// A managed object method (`Type.Method`).
    Method,
    /// A managed object property (`Type.property`).
    Property,
    /// A data object field (`Type.field`).
    Field,
    /// A data or fault type (`Type`).
    DataType,
}

impl TargetKind {
    /// Every kind.
    pub const ALL: [TargetKind; 5] = [
        TargetKind::Param,
        TargetKind::Method,
        TargetKind::Property,
        TargetKind::Field,
        TargetKind::DataType,
    ];

    /// The facts an override may set on this kind, in the order they are applied.
    pub fn facts(self) -> &'static [Fact] {
        match self {
            TargetKind::Param => &[Fact::Type, Fact::Optional, Fact::Secret],
            TargetKind::Method => &[
                Fact::Privilege,
                Fact::Since,
                Fact::Returns,
                Fact::ReturnsSecret,
                Fact::ReturnsOptional,
            ],
            TargetKind::Property => &[Fact::Type, Fact::Optional, Fact::Privilege, Fact::Since],
            TargetKind::Field => &[Fact::Type, Fact::Optional, Fact::Secret, Fact::Since],
            TargetKind::DataType => &[Fact::Base, Fact::Since],
        }
    }

    /// What the kind is called in messages.
    pub fn noun(self) -> &'static str {
        match self {
            TargetKind::Param => "a method parameter",
            TargetKind::Method => "a method",
            TargetKind::Property => "a managed-object property",
            TargetKind::Field => "a data-object field",
            TargetKind::DataType => "a data type",
        }
    }
}

impl Override {
    /// The value the override sets for `fact`, if it sets one.
    pub fn value(&self, fact: Fact) -> Option<Value> {
        match fact {
            Fact::Type => self.ty.clone().map(Value::Type),
            Fact::Optional => self.optional.map(Value::Flag),
            Fact::Secret => self.secret.map(Value::Flag),
            Fact::Privilege => self.privilege.clone().map(Value::Text),
            Fact::Since => self.since.clone().map(Value::Version),
            Fact::Returns => self.returns.clone().map(Value::Type),
            Fact::ReturnsSecret => self.returns_secret.map(Value::Flag),
            Fact::ReturnsOptional => self.returns_optional.map(Value::Flag),
            Fact::Base => self.base.clone().map(Value::Text),
            // Only the documents state these.
            Fact::Deprecated | Fact::Http | Fact::Params | Fact::RequestType => None,
        }
    }

    /// Every fact the override sets, with its value, in the order of [`Fact::ALL`].
    pub fn values(&self) -> Vec<(Fact, Value)> {
        Fact::ALL
            .into_iter()
            .filter_map(|fact| self.value(fact).map(|v| (fact, v)))
            .collect()
    }

    /// Applies this override (written at `at`) to `model`, appending what changed.
    fn apply(
        &self,
        model: &mut Model,
        at: &Loc,
        changes: &mut Vec<OverrideChange>,
    ) -> Result<(), String> {
        let target = resolve(model, &self.target).ok_or_else(|| {
            format!(
                "override target `{}` names nothing in the documents",
                self.target
            )
        })?;
        if let Some(wire) = &self.wire_name {
            let Target::Method(i, m) = target else {
                return Err(format!(
                    "override of `{}` sets `wire_name`, which only a method has",
                    self.target
                ));
            };
            let methods = &mut model.managed_objects[i].methods;
            let mut method = methods.remove(m);
            method.name = wire.clone();
            match methods.iter().position(|x| x.name == *wire) {
                Some(other) => methods[other] = method,
                None => methods.insert(m, method),
            }
            return Ok(());
        }
        let values = self.values();
        self.check(target.kind(), &values)?;
        for &fact in target.kind().facts() {
            let Some((_, value)) = values.iter().find(|(f, _)| *f == fact) else {
                continue;
            };
            let Some(Place {
                slot,
                source,
                origin,
            }) = place(model, &target, fact, &self.target)?
            else {
                unreachable!("`{fact}` is in the facts of {}", target.kind().noun());
            };
            let before = slot.shown().map(|v| (source.clone(), v));
            let after = value.to_string();
            slot.put(value);
            if let Some(origin) = origin {
                origin.insert(fact, at.clone());
            }
            if before.as_ref().is_some_and(|(_, v)| *v == after) {
                continue;
            }
            changes.push(OverrideChange {
                target: self.target.clone(),
                fact,
                before,
                after,
                reason: self.reason.clone(),
                at: at.clone(),
            });
        }
        Ok(())
    }

    /// Fails when the override sets nothing, or a fact a `kind` target does not have.
    fn check(&self, kind: TargetKind, values: &[(Fact, Value)]) -> Result<(), String> {
        let foreign: Vec<String> = values
            .iter()
            .filter(|(fact, _)| !kind.facts().contains(fact))
            .map(|(fact, _)| format!("`{fact}`"))
            .collect();
        if !foreign.is_empty() {
            let has: Vec<&str> = kind.facts().iter().map(|f| f.as_str()).collect();
            return Err(format!(
                "override of `{}` sets {}, which {} does not have (it has: {})",
                self.target,
                foreign.join(", "),
                kind.noun(),
                has.join(", ")
            ));
        }
        if values.is_empty() {
            return Err(format!("override of `{}` changes nothing", self.target));
        }
        Ok(())
    }
}

/// Where an override writes one fact of its target.
struct Place<'m> {
    /// The fact's value.
    slot: Slot<'m>,
    /// Where the documents define the target.
    source: &'m Loc,
    /// The target's provenance map, when it keeps one for this fact.
    origin: Option<&'m mut BTreeMap<Fact, Loc>>,
}

/// A fact's value in the model, by its type.
enum Slot<'m> {
    Type(&'m mut Option<TypeRef>),
    MaybeFlag(&'m mut Option<bool>),
    Flag(&'m mut bool),
    Text(&'m mut Option<String>),
    Version(&'m mut Option<Version>),
}

impl Slot<'_> {
    /// The value as the documents state it, or `None` when they are silent.
    fn shown(&self) -> Option<String> {
        match self {
            Slot::Type(v) => v.as_ref().map(ToString::to_string),
            Slot::MaybeFlag(v) => v.map(|b| b.to_string()),
            Slot::Flag(v) => Some(v.to_string()),
            Slot::Text(v) => (*v).clone(),
            Slot::Version(v) => v.as_ref().map(ToString::to_string),
        }
    }

    /// Writes `value`, which [`Override::value`] typed for the same fact.
    fn put(self, value: &Value) {
        match (self, value) {
            (Slot::Type(s), Value::Type(v)) => *s = Some(v.clone()),
            (Slot::MaybeFlag(s), Value::Flag(v)) => *s = Some(*v),
            (Slot::Flag(s), Value::Flag(v)) => *s = *v,
            (Slot::Text(s), Value::Text(v)) => *s = Some(v.clone()),
            (Slot::Version(s), Value::Version(v)) => *s = Some(v.clone()),
            (_, value) => unreachable!("a fact's slot and value agree on its type ({value:?})"),
        }
    }
}

/// Where `fact` of `target` (written as `path`) lives; `None` when the target lacks it.
fn place<'m>(
    model: &'m mut Model,
    target: &Target,
    fact: Fact,
    path: &str,
) -> Result<Option<Place<'m>>, String> {
    Ok(match *target {
        Target::Param(mo, m, p) => {
            param_place(&mut model.managed_objects[mo].methods[m].params[p], fact)
        }
        Target::Method(mo, m) => {
            return method_place(&mut model.managed_objects[mo].methods[m], fact, path)
        }
        Target::Property(mo, p) => {
            property_place(&mut model.managed_objects[mo].properties[p], fact)
        }
        Target::Field(d, f) => field_place(&mut data_type_mut(model, d).fields[f], fact),
        Target::DataType(d) => data_type_place(data_type_mut(model, d), fact),
    })
}

fn param_place(p: &mut Param, fact: Fact) -> Option<Place<'_>> {
    let slot = match fact {
        Fact::Type => Slot::Type(&mut p.ty),
        Fact::Optional => Slot::MaybeFlag(&mut p.optional),
        Fact::Secret => Slot::Flag(&mut p.secret),
        _ => return None,
    };
    Some(Place {
        slot,
        source: &p.source,
        origin: Some(&mut p.origin),
    })
}

/// A method's facts; the return value's flags keep no provenance (`Returns` has no map).
fn method_place<'m>(
    m: &'m mut Method,
    fact: Fact,
    path: &str,
) -> Result<Option<Place<'m>>, String> {
    let slot = match fact {
        Fact::Privilege => Slot::Text(&mut m.privilege),
        Fact::Since => Slot::Version(&mut m.since),
        Fact::Returns => Slot::Type(&mut m.returns.get_or_insert_with(void).ty),
        Fact::ReturnsSecret | Fact::ReturnsOptional => {
            let secret = fact == Fact::ReturnsSecret;
            let Some(r) = m.returns.as_mut().filter(|r| r.ty.is_some()) else {
                let what = if secret { "secret" } else { "optional" };
                return Err(format!(
                    "`{path}` returns nothing, so its return value cannot be {what}"
                ));
            };
            let flag = if secret {
                &mut r.secret
            } else {
                &mut r.optional
            };
            return Ok(Some(Place {
                slot: Slot::Flag(flag),
                source: &m.source,
                origin: None,
            }));
        }
        _ => return Ok(None),
    };
    Ok(Some(Place {
        slot,
        source: &m.source,
        origin: Some(&mut m.origin),
    }))
}

fn void() -> Returns {
    Returns {
        ty: None,
        optional: false,
        secret: false,
        description: None,
    }
}

fn property_place(p: &mut Property, fact: Fact) -> Option<Place<'_>> {
    let slot = match fact {
        Fact::Type => Slot::Type(&mut p.ty),
        Fact::Optional => Slot::MaybeFlag(&mut p.optional),
        Fact::Privilege => Slot::Text(&mut p.privilege),
        Fact::Since => Slot::Version(&mut p.since),
        _ => return None,
    };
    Some(Place {
        slot,
        source: &p.source,
        origin: Some(&mut p.origin),
    })
}

/// A field's facts; fields keep no provenance map.
fn field_place(f: &mut Field, fact: Fact) -> Option<Place<'_>> {
    let slot = match fact {
        Fact::Type => Slot::Type(&mut f.ty),
        Fact::Optional => Slot::MaybeFlag(&mut f.optional),
        Fact::Secret => Slot::Flag(&mut f.secret),
        Fact::Since => Slot::Version(&mut f.since),
        _ => return None,
    };
    Some(Place {
        slot,
        source: &f.source,
        origin: None,
    })
}

/// A data type's facts; data types keep no provenance map.
fn data_type_place(d: &mut DataType, fact: Fact) -> Option<Place<'_>> {
    let slot = match fact {
        Fact::Base => Slot::Text(&mut d.base),
        Fact::Since => Slot::Version(&mut d.since),
        _ => return None,
    };
    Some(Place {
        slot,
        source: &d.source,
        origin: None,
    })
}

/// Data and fault types as one indexed list (data first): the `d`th.
pub(crate) fn data_type_mut(model: &mut Model, d: usize) -> &mut DataType {
    let data = model.data_types.len();
    if d < data {
        &mut model.data_types[d]
    } else {
        &mut model.fault_types[d - data]
    }
}

/// What an override target resolved to (indices into the model).
pub(crate) enum Target {
    Method(usize, usize),
    Param(usize, usize, usize),
    Property(usize, usize),
    DataType(usize),
    Field(usize, usize),
}

impl Target {
    fn kind(&self) -> TargetKind {
        match self {
            Target::Method(..) => TargetKind::Method,
            Target::Param(..) => TargetKind::Param,
            Target::Property(..) => TargetKind::Property,
            Target::DataType(..) => TargetKind::DataType,
            Target::Field(..) => TargetKind::Field,
        }
    }
}

/// What the dotted path `target` names in `model`.
pub(crate) fn resolve(model: &Model, target: &str) -> Option<Target> {
    for (i, mo) in model.managed_objects.iter().enumerate() {
        let Some(rest) = target
            .strip_prefix(mo.name.as_str())
            .and_then(|r| r.strip_prefix('.'))
        else {
            continue;
        };
        let mut parts = rest.splitn(2, '.');
        let member = parts.next()?;
        let sub = parts.next();
        if let Some(m) = mo.methods.iter().position(|m| m.name == member) {
            return match sub {
                None => Some(Target::Method(i, m)),
                Some(p) => mo.methods[m]
                    .params
                    .iter()
                    .position(|x| x.name == p)
                    .map(|p| Target::Param(i, m, p)),
            };
        }
        if sub.is_none() {
            if let Some(p) = mo.properties.iter().position(|p| p.name == member) {
                return Some(Target::Property(i, p));
            }
        }
    }
    let types: Vec<&crate::model::DataType> =
        model.data_types.iter().chain(&model.fault_types).collect();
    if let Some(d) = types.iter().position(|d| d.name == target) {
        return Some(Target::DataType(d));
    }
    let (owner, field) = target.rsplit_once('.')?;
    let d = types.iter().position(|d| d.name == owner)?;
    types[d]
        .fields
        .iter()
        .position(|f| f.name == field)
        .map(|f| Target::Field(d, f))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One target of every kind: `vim.X.q`, `vim.X.Go`, `vim.X.Go.p`, `vim.D`, `vim.D.f`.
    fn model() -> Model {
        serde_yaml::from_str(
            "managed_objects:
- name: vim.X
  wire_name: X
  source: {file: x, line: 1}
  properties:
  - {name: q, type: string, optional: false, source: {file: x, line: 2}}
  methods:
  - name: Go
    params:
    - {name: p, type: string, optional: false, secret: false, source: {file: x, line: 4}}
    returns: string
    privilege: P
    since: '1.0'
    faults: []
    source: {file: x, line: 3}
data_types:
- name: vim.D
  wire_name: D
  source: {file: d, line: 1}
  fields:
  - {name: f, type: string, optional: false, source: {file: d, line: 2}}
fault_types: []
enums: []
",
        )
        .unwrap()
    }

    /// A target of `kind` in [`model`].
    fn path(kind: TargetKind) -> &'static str {
        match kind {
            TargetKind::Param => "vim.X.Go.p",
            TargetKind::Method => "vim.X.Go",
            TargetKind::Property => "vim.X.q",
            TargetKind::Field => "vim.D.f",
            TargetKind::DataType => "vim.D",
        }
    }

    /// An override of `target` setting `fact` to a value no document in [`model`] states.
    fn setting(target: &str, fact: Fact) -> Override {
        let mut o = Override {
            target: target.to_string(),
            reason: "test".to_string(),
            line: 7,
            ..Override::default()
        };
        let ty = Some(TypeRef::scalar("int"));
        match fact {
            Fact::Type => o.ty = ty,
            Fact::Optional => o.optional = Some(true),
            Fact::Secret => o.secret = Some(true),
            Fact::Privilege => o.privilege = Some("Q".into()),
            Fact::Since => o.since = Version::parse("2.0"),
            Fact::Returns => o.returns = ty,
            Fact::ReturnsSecret => o.returns_secret = Some(true),
            Fact::ReturnsOptional => o.returns_optional = Some(true),
            Fact::Base => o.base = Some("vmodl.DynamicData".into()),
            Fact::Deprecated | Fact::Http | Fact::Params | Fact::RequestType => {}
        }
        o
    }

    #[test]
    fn every_kind_has_exactly_the_facts_its_table_lists() {
        let mut m = model();
        for kind in TargetKind::ALL {
            let target = resolve(&m, path(kind)).unwrap();
            assert_eq!(target.kind(), kind);
            for fact in Fact::ALL {
                let has = place(&mut m, &target, fact, path(kind)).unwrap().is_some();
                assert_eq!(has, kind.facts().contains(&fact), "{kind:?} {fact}");
            }
        }
    }

    #[test]
    fn every_fact_of_every_kind_can_be_set() {
        for kind in TargetKind::ALL {
            for &fact in kind.facts() {
                let o = setting(path(kind), fact);
                assert_eq!(o.values().len(), 1, "{fact}");
                let overrides = Overrides { overrides: vec![o] };
                let mut m = model();
                let changes = overrides.apply("o.yaml", &mut m).unwrap();
                assert_eq!(changes.len(), 1, "{kind:?} {fact}");
                assert_eq!(changes[0].fact, fact);
                assert_eq!(changes[0].at, Loc::new("o.yaml", 7));
                // Applying it again changes nothing more.
                assert!(overrides.apply("o.yaml", &mut m).unwrap().is_empty());
            }
        }
    }

    #[test]
    fn a_fact_the_target_lacks_is_an_error_naming_the_facts_it_has() {
        for kind in TargetKind::ALL {
            for fact in Fact::ALL.into_iter().filter(|f| !kind.facts().contains(f)) {
                let o = setting(path(kind), fact);
                let settable = o.value(fact).is_some();
                let overrides = Overrides { overrides: vec![o] };
                let err = overrides.apply("o.yaml", &mut model()).unwrap_err();
                assert_eq!((err.file.as_str(), err.line), ("o.yaml", 7));
                let expected = if !settable {
                    "changes nothing".to_string()
                } else {
                    format!("sets `{fact}`, which {} does not have", kind.noun())
                };
                assert!(err.message.contains(&expected), "{err}");
            }
        }
    }

    #[test]
    fn a_method_override_records_its_origin_but_not_the_return_flags() {
        let mut m = model();
        let overrides = Overrides {
            overrides: vec![
                setting("vim.X.Go", Fact::Privilege),
                setting("vim.X.Go", Fact::ReturnsSecret),
            ],
        };
        overrides.apply("o.yaml", &mut m).unwrap();
        let go = &m.managed_objects[0].methods[0];
        let origin: Vec<Fact> = go.origin.keys().copied().collect();
        assert_eq!(origin, [Fact::Privilege]);
        assert!(go.returns.as_ref().unwrap().secret);
    }
}
