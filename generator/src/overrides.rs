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

use serde::Deserialize;

use crate::model::{Fact, Loc, Model, Returns, TypeRef, Version};

/// A fact an override changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverrideChange {
    /// The override's target path.
    pub target: String,
    /// Which fact.
    pub fact: String,
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

impl Overrides {
    /// Parses the YAML text of `file`.
    pub fn parse(file: &str, text: &str) -> Result<Overrides, OverrideError> {
        let mut parsed: Overrides = serde_yaml::from_str(text).map_err(|e| {
            let (line, column) = e
                .location()
                .map(|l| (l.line() as u32, l.column() as u32))
                .unwrap_or((1, 1));
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
            let at = Loc::new(file, o.line);
            let err = |message: String| OverrideError {
                file: file.to_string(),
                line: o.line,
                column: 1,
                message,
            };
            let mut record = |fact: &str, before: Option<(Loc, String)>, after: String| {
                if before.as_ref().is_some_and(|(_, value)| *value == after) {
                    return;
                }
                changes.push(OverrideChange {
                    target: o.target.clone(),
                    fact: fact.to_string(),
                    before,
                    after,
                    reason: o.reason.clone(),
                    at: at.clone(),
                });
            };
            match resolve(model, &o.target) {
                Some(Target::Param(mo, m, p)) => {
                    o.only(&["type", "optional", "secret"]).map_err(err)?;
                    let param = &mut model.managed_objects[mo].methods[m].params[p];
                    if let Some(ty) = &o.ty {
                        record("type", show(&param.source, &param.ty), ty.to_string());
                        param.ty = Some(ty.clone());
                        param.origin.insert(Fact::Type, at.clone());
                    }
                    if let Some(opt) = o.optional {
                        record(
                            "optional",
                            show(&param.source, &param.optional),
                            opt.to_string(),
                        );
                        param.optional = Some(opt);
                        param.origin.insert(Fact::Optional, at.clone());
                    }
                    if let Some(secret) = o.secret {
                        record(
                            "secret",
                            show(&param.source, &Some(param.secret)),
                            secret.to_string(),
                        );
                        param.secret = secret;
                        param.origin.insert(Fact::Secret, at.clone());
                    }
                }
                Some(Target::Method(mo, m)) => {
                    o.only(&[
                        "privilege",
                        "since",
                        "returns",
                        "returns_secret",
                        "returns_optional",
                    ])
                    .map_err(err)?;
                    let method = &mut model.managed_objects[mo].methods[m];
                    if let Some(p) = &o.privilege {
                        record(
                            "privilege",
                            show(&method.source, &method.privilege),
                            p.clone(),
                        );
                        method.privilege = Some(p.clone());
                        method.origin.insert(Fact::Privilege, at.clone());
                    }
                    if let Some(v) = &o.since {
                        record("since", show(&method.source, &method.since), v.to_string());
                        method.since = Some(v.clone());
                        method.origin.insert(Fact::Since, at.clone());
                    }
                    let returns = method.returns.get_or_insert(Returns {
                        ty: None,
                        optional: false,
                        secret: false,
                        description: None,
                    });
                    if let Some(t) = &o.returns {
                        record("returns", show(&method.source, &returns.ty), t.to_string());
                        returns.ty = Some(t.clone());
                        method.origin.insert(Fact::Returns, at.clone());
                    }
                    if let Some(secret) = o.returns_secret {
                        if returns.ty.is_none() {
                            return Err(err(format!(
                                "`{}` returns nothing, so its return value cannot be secret",
                                o.target
                            )));
                        }
                        record(
                            "returns_secret",
                            show(&method.source, &Some(returns.secret)),
                            secret.to_string(),
                        );
                        returns.secret = secret;
                    }
                    if let Some(optional) = o.returns_optional {
                        if returns.ty.is_none() {
                            return Err(err(format!(
                                "`{}` returns nothing, so its return value cannot be optional",
                                o.target
                            )));
                        }
                        record(
                            "returns_optional",
                            show(&method.source, &Some(returns.optional)),
                            optional.to_string(),
                        );
                        returns.optional = optional;
                    }
                }
                Some(Target::Property(mo, p)) => {
                    o.only(&["type", "optional", "privilege", "since"])
                        .map_err(err)?;
                    let prop = &mut model.managed_objects[mo].properties[p];
                    if let Some(ty) = &o.ty {
                        record("type", show(&prop.source, &prop.ty), ty.to_string());
                        prop.ty = Some(ty.clone());
                        prop.origin.insert(Fact::Type, at.clone());
                    }
                    if let Some(opt) = o.optional {
                        record(
                            "optional",
                            show(&prop.source, &prop.optional),
                            opt.to_string(),
                        );
                        prop.optional = Some(opt);
                        prop.origin.insert(Fact::Optional, at.clone());
                    }
                    if let Some(p) = &o.privilege {
                        record("privilege", show(&prop.source, &prop.privilege), p.clone());
                        prop.privilege = Some(p.clone());
                        prop.origin.insert(Fact::Privilege, at.clone());
                    }
                    if let Some(v) = &o.since {
                        record("since", show(&prop.source, &prop.since), v.to_string());
                        prop.since = Some(v.clone());
                        prop.origin.insert(Fact::Since, at.clone());
                    }
                }
                Some(Target::Field(d, f)) => {
                    o.only(&["type", "optional", "secret", "since"])
                        .map_err(err)?;
                    let field = &mut data_types_mut(model)[d].fields[f];
                    if let Some(ty) = &o.ty {
                        record("type", show(&field.source, &field.ty), ty.to_string());
                        field.ty = Some(ty.clone());
                    }
                    if let Some(opt) = o.optional {
                        record(
                            "optional",
                            show(&field.source, &field.optional),
                            opt.to_string(),
                        );
                        field.optional = Some(opt);
                    }
                    if let Some(secret) = o.secret {
                        record(
                            "secret",
                            show(&field.source, &Some(field.secret)),
                            secret.to_string(),
                        );
                        field.secret = secret;
                    }
                    if let Some(v) = &o.since {
                        record("since", show(&field.source, &field.since), v.to_string());
                        field.since = Some(v.clone());
                    }
                }
                Some(Target::DataType(d)) => {
                    o.only(&["base", "since"]).map_err(err)?;
                    let dt = &mut data_types_mut(model)[d];
                    if let Some(b) = &o.base {
                        record("base", show(&dt.source, &dt.base), b.clone());
                        dt.base = Some(b.clone());
                    }
                    if let Some(v) = &o.since {
                        record("since", show(&dt.source, &dt.since), v.to_string());
                        dt.since = Some(v.clone());
                    }
                }
                None => {
                    return Err(err(format!(
                        "override target `{}` names nothing in the documents",
                        o.target
                    )))
                }
            }
        }
        Ok(changes)
    }
}

impl Override {
    /// Fails when the override sets a fact outside `allowed`.
    fn only(&self, allowed: &[&str]) -> Result<(), String> {
        let set = [
            ("type", self.ty.is_some()),
            ("optional", self.optional.is_some()),
            ("secret", self.secret.is_some()),
            ("privilege", self.privilege.is_some()),
            ("since", self.since.is_some()),
            ("returns", self.returns.is_some()),
            ("returns_secret", self.returns_secret.is_some()),
            ("returns_optional", self.returns_optional.is_some()),
            ("base", self.base.is_some()),
        ];
        let bad: Vec<&str> = set
            .iter()
            .filter(|(name, is_set)| *is_set && !allowed.contains(name))
            .map(|(name, _)| *name)
            .collect();
        if !bad.is_empty() {
            return Err(format!(
                "override of `{}` sets {} which its target does not have (allowed: {})",
                self.target,
                bad.join(", "),
                allowed.join(", ")
            ));
        }
        if set.iter().all(|(_, is_set)| !is_set) {
            return Err(format!("override of `{}` changes nothing", self.target));
        }
        Ok(())
    }
}

fn show<T: std::fmt::Display>(loc: &Loc, value: &Option<T>) -> Option<(Loc, String)> {
    value.as_ref().map(|v| (loc.clone(), v.to_string()))
}

/// Data and fault types as one indexable list (data first).
fn data_types_mut(model: &mut Model) -> Vec<&mut crate::model::DataType> {
    model
        .data_types
        .iter_mut()
        .chain(model.fault_types.iter_mut())
        .collect()
}

/// What an override target resolved to (indices into the model).
enum Target {
    Method(usize, usize),
    Param(usize, usize, usize),
    Property(usize, usize),
    DataType(usize),
    Field(usize, usize),
}

fn resolve(model: &Model, target: &str) -> Option<Target> {
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
