//! `spec/secrets.yaml`: which fields, parameters and return values carry credentials.
//!
//! No document marks secrets, so the generator decides by a written rule:
//!
//! ```yaml
//! rules:                       # by member name, for text-typed fields and parameters
//!   - name: "*Password"        # `*X`: names ending in X (X itself included), any case
//!     reason: a password
//! members:                     # what no name rule reaches (a return value, a field)
//!   - target: vim.SessionManager.AcquireCloneTicket
//!     reason: the returned ticket logs in as the session
//! not_secret:                  # what a rule marks but is no credential
//!   - target: vmodl.query.PropertyCollector.RetrieveResult.token
//!     reason: a paging cursor
//! ```
//! Every decision is recorded on the member (`origin[secret]` = the entry's line), so the
//! stored model says why a member is secret. An entry that marks nothing, names nothing or
//! changes nothing is an error at its line.

use serde::Deserialize;

use crate::model::{Fact, Loc, Model, TypeRef};
use crate::overrides::{data_type_mut, resolve, yaml_position, Target};

/// The whole secrets file.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretRules {
    /// Name rules, applied to every text-typed field and parameter.
    #[serde(default)]
    pub rules: Vec<NameRule>,
    /// Members marked secret by name.
    #[serde(default)]
    pub members: Vec<Listed>,
    /// Members a name rule marks that carry no credential.
    #[serde(default)]
    pub not_secret: Vec<Listed>,
}

/// A rule on member names.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameRule {
    /// `*Suffix` or an exact name, compared without regard to case.
    pub name: String,
    /// Why such members are credentials.
    pub reason: String,
    /// 1-based line of the entry (filled in on load).
    #[serde(skip)]
    pub line: u32,
}

/// A member named by its dotted path (`Type.field`, `Type.Method.param`, `Type.Method`).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Listed {
    /// The member.
    pub target: String,
    /// Why.
    pub reason: String,
    /// 1-based line of the entry (filled in on load).
    #[serde(skip)]
    pub line: u32,
}

/// Why the secrets file could not be read or applied.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct SecretsError {
    /// The secrets file.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// What is wrong.
    pub message: String,
}

/// What applying the rules did, for the generator's summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SecretCounts {
    /// Fields and parameters a name rule marked.
    pub by_rule: usize,
    /// Members `members` marked.
    pub listed: usize,
    /// Members `not_secret` unmarked.
    pub exempted: usize,
}

impl std::fmt::Display for SecretCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} members marked secret by name rules, {} listed, {} exempted",
            self.by_rule, self.listed, self.exempted
        )
    }
}

impl NameRule {
    /// Whether a member called `name` of type `ty` falls under this rule: only text
    /// (`string`, `string[]`) carries a credential a name can reveal.
    fn matches(&self, name: &str, ty: Option<&TypeRef>) -> bool {
        if ty.is_none_or(|t| t.name != "string") {
            return false;
        }
        let name = name.to_ascii_lowercase();
        match self.name.strip_prefix('*') {
            Some(suffix) => name.ends_with(&suffix.to_ascii_lowercase()),
            None => name == self.name.to_ascii_lowercase(),
        }
    }
}

impl SecretRules {
    /// Parses the YAML text of `file`.
    pub fn parse(file: &str, text: &str) -> Result<SecretRules, SecretsError> {
        let mut parsed: SecretRules = serde_yaml::from_str(text).map_err(|e| {
            let (line, column) = yaml_position(&e);
            SecretsError {
                file: file.to_string(),
                line,
                column,
                message: format!("invalid secret rules: {e}"),
            }
        })?;
        // serde_yaml keeps no positions: each entry's line is the first unclaimed line
        // holding its key and value.
        let lines: Vec<&str> = text.lines().collect();
        let mut claimed = vec![false; lines.len()];
        let mut locate = |key: &str, value: &str| -> u32 {
            let found = lines.iter().enumerate().position(|(i, l)| {
                !claimed[i] && l.contains(key) && l.contains(value) && !l.trim().starts_with('#')
            });
            match found {
                Some(i) => {
                    claimed[i] = true;
                    i as u32 + 1
                }
                None => 1,
            }
        };
        for r in &mut parsed.rules {
            r.line = locate("name:", &r.name);
        }
        for l in parsed.members.iter_mut().chain(&mut parsed.not_secret) {
            l.line = locate("target:", &l.target);
        }
        let error = |line, message| SecretsError {
            file: file.to_string(),
            line,
            column: 1,
            message,
        };
        for r in &parsed.rules {
            if r.reason.trim().is_empty() {
                return Err(error(
                    r.line,
                    format!("rule `{}` has an empty reason", r.name),
                ));
            }
            let bare = r.name.trim_start_matches('*');
            if bare.is_empty() || bare.contains('*') {
                return Err(error(
                    r.line,
                    format!("rule `{}`: expected `*Suffix` or a name", r.name),
                ));
            }
        }
        for l in parsed.members.iter().chain(&parsed.not_secret) {
            if l.reason.trim().is_empty() {
                return Err(error(l.line, format!("`{}` has an empty reason", l.target)));
            }
        }
        Ok(parsed)
    }

    /// Marks the secret members of `model` (name rules, then `members`, then `not_secret`),
    /// recording each decision's line in the member's origin.
    pub fn apply(&self, file: &str, model: &mut Model) -> Result<SecretCounts, SecretsError> {
        let error = |line, message| SecretsError {
            file: file.to_string(),
            line,
            column: 1,
            message,
        };
        let mut counts = SecretCounts::default();
        for rule in &self.rules {
            let at = Loc::new(file, rule.line);
            let mut marked = 0;
            for mo in &mut model.managed_objects {
                for m in &mut mo.methods {
                    for p in m.params.iter_mut().filter(|p| !p.secret) {
                        if rule.matches(&p.name, p.ty.as_ref()) {
                            p.secret = true;
                            p.origin.insert(Fact::Secret, at.clone());
                            marked += 1;
                        }
                    }
                }
            }
            for d in model.data_types.iter_mut().chain(&mut model.fault_types) {
                for f in d.fields.iter_mut().filter(|f| !f.secret) {
                    if rule.matches(&f.name, f.ty.as_ref()) {
                        f.secret = true;
                        f.origin.insert(Fact::Secret, at.clone());
                        marked += 1;
                    }
                }
            }
            if marked == 0 {
                return Err(error(
                    rule.line,
                    format!(
                        "rule `{}` marks nothing that an earlier rule has not",
                        rule.name
                    ),
                ));
            }
            counts.by_rule += marked;
        }
        for listed in &self.members {
            set(model, listed, file, true).map_err(|m| error(listed.line, m))?;
            counts.listed += 1;
        }
        for listed in &self.not_secret {
            set(model, listed, file, false).map_err(|m| error(listed.line, m))?;
            counts.exempted += 1;
        }
        Ok(counts)
    }
}

/// Sets the secret flag of `listed`'s target to `secret`, which must change it.
fn set(model: &mut Model, listed: &Listed, file: &str, secret: bool) -> Result<(), String> {
    let path = &listed.target;
    let target = resolve(model, path).ok_or_else(|| format!("`{path}` names nothing"))?;
    let at = Loc::new(file, listed.line);
    let (flag, origin, fact) = match target {
        Target::Param(mo, m, p) => {
            let p = &mut model.managed_objects[mo].methods[m].params[p];
            (&mut p.secret, &mut p.origin, Fact::Secret)
        }
        Target::Field(d, f) => {
            let f = &mut data_type_mut(model, d).fields[f];
            (&mut f.secret, &mut f.origin, Fact::Secret)
        }
        Target::Method(mo, m) => {
            let m = &mut model.managed_objects[mo].methods[m];
            let Some(r) = m.returns.as_mut().filter(|r| r.ty.is_some()) else {
                return Err(format!("`{path}` returns nothing"));
            };
            (&mut r.secret, &mut m.origin, Fact::ReturnsSecret)
        }
        Target::Property(..) | Target::DataType(..) => {
            return Err(format!(
                "`{path}` is a property or a type; a field, a parameter or a method (its return value) is expected"
            ))
        }
    };
    if *flag == secret {
        let state = if secret { "already" } else { "not" };
        let by = origin
            .get(&fact)
            .map(|l| format!(" (by {l})"))
            .unwrap_or_default();
        return Err(format!(
            "`{path}` is {state} secret{by}: the entry changes nothing"
        ));
    }
    *flag = secret;
    origin.insert(fact, at);
    Ok(())
}

/// How a member is secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SecretKind {
    /// A data-object field.
    Field,
    /// A method parameter.
    Param,
    /// A method's return value.
    Return,
}

impl SecretKind {
    /// The kind's name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            SecretKind::Field => "field",
            SecretKind::Param => "parameter",
            SecretKind::Return => "return value",
        }
    }
}

/// A secret member of a model.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SecretMember {
    /// The data type, the managed object and method of a parameter, or the managed object
    /// of a return value (qualified names).
    pub owner: String,
    /// The same owner by wire names (`SessionManager.Login`, `UserSession`).
    pub owner_wire: String,
    /// The field or parameter name; the method name for a return value.
    pub member: String,
    /// Field, parameter or return value.
    pub kind: SecretKind,
    /// The spec entry that marked it, when one is recorded.
    pub marked_by: Option<Loc>,
}

/// Every secret member of `model`, sorted by owner, member and kind.
pub fn secret_members(model: &Model) -> Vec<SecretMember> {
    let mut out = Vec::new();
    for d in model.data_types.iter().chain(&model.fault_types) {
        for f in d.fields.iter().filter(|f| f.secret) {
            out.push(SecretMember {
                owner: d.name.clone(),
                owner_wire: d.wire_name.clone(),
                member: f.name.clone(),
                kind: SecretKind::Field,
                marked_by: f.origin.get(&Fact::Secret).cloned(),
            });
        }
    }
    for mo in &model.managed_objects {
        for m in &mo.methods {
            let owner = format!("{}.{}", mo.name, m.name);
            let owner_wire = format!("{}.{}", mo.wire_name, m.name);
            for p in m.params.iter().filter(|p| p.secret) {
                out.push(SecretMember {
                    owner: owner.clone(),
                    owner_wire: owner_wire.clone(),
                    member: p.name.clone(),
                    kind: SecretKind::Param,
                    marked_by: p.origin.get(&Fact::Secret).cloned(),
                });
            }
            if m.returns.as_ref().is_some_and(|r| r.secret) {
                out.push(SecretMember {
                    owner: mo.name.clone(),
                    owner_wire: mo.wire_name.clone(),
                    member: m.name.clone(),
                    kind: SecretKind::Return,
                    marked_by: m.origin.get(&Fact::ReturnsSecret).cloned(),
                });
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Model {
        serde_yaml::from_str(
            "managed_objects:
- name: vim.S
  wire_name: S
  source: {file: x, line: 1}
  properties: []
  methods:
  - name: Login
    source: {file: x, line: 2}
    faults: []
    params:
    - {name: userPassword, type: string, optional: false, secret: false, source: {file: x, line: 3}}
    - {name: passwordCount, type: int, optional: false, secret: false, source: {file: x, line: 4}}
    returns: string
  - name: Next
    source: {file: x, line: 5}
    faults: []
    params:
    - {name: token, type: string, optional: false, secret: false, source: {file: x, line: 6}}
data_types:
- name: vim.D
  wire_name: D
  source: {file: x, line: 7}
  fields:
  - {name: PASSWORD, type: 'string[]', optional: true, source: {file: x, line: 8}}
  - {name: password, type: vim.D, optional: true, source: {file: x, line: 9}}
fault_types: []
enums: []
",
        )
        .unwrap()
    }

    const RULES: &str = "rules:
  - name: \"*Password\"
    reason: a password
  - name: \"*Token\"
    reason: a token
members:
  - target: vim.S.Login
    reason: returns a ticket
not_secret:
  - target: vim.S.Next.token
    reason: a cursor
";

    #[test]
    fn rules_mark_text_members_by_name_and_record_the_line() {
        let mut m = model();
        let rules = SecretRules::parse("s.yaml", RULES).unwrap();
        let counts = rules.apply("s.yaml", &mut m).unwrap();
        assert_eq!(
            counts,
            SecretCounts {
                by_rule: 3,
                listed: 1,
                exempted: 1
            }
        );
        let marked: Vec<String> = secret_members(&m)
            .iter()
            .map(|s| {
                let by = s.marked_by.as_ref().unwrap();
                format!("{}.{} {} {by}", s.owner, s.member, s.kind.as_str())
            })
            .collect();
        assert_eq!(
            marked,
            [
                "vim.D.PASSWORD field s.yaml:2",
                "vim.S.Login return value s.yaml:7",
                "vim.S.Login.userPassword parameter s.yaml:2",
            ]
        );
        // The exemption is recorded too.
        let next = &m.managed_objects[0].methods[1].params[0];
        assert!(!next.secret);
        assert_eq!(next.origin[&Fact::Secret], Loc::new("s.yaml", 10));
    }

    #[test]
    fn entries_that_change_nothing_are_errors_at_their_line() {
        let apply = |text: &str| {
            let rules = SecretRules::parse("s.yaml", text)?;
            rules.apply("s.yaml", &mut model())
        };
        let err = |text: &str| apply(text).unwrap_err().to_string();
        assert_eq!(
            err("rules:\n  - name: \"*Password\"\n    reason: p\n  - name: \"*Cookie\"\n    reason: c\n"),
            "s.yaml:4:1: rule `*Cookie` marks nothing that an earlier rule has not"
        );
        assert_eq!(
            err("members:\n  - target: vim.S.Next.token\n    reason: r\nnot_secret:\n  - target: vim.S.Next.token\n    reason: r\n  - target: vim.S.Next.token\n    reason: r\n"),
            "s.yaml:7:1: `vim.S.Next.token` is not secret (by s.yaml:5): the entry changes nothing"
        );
        assert_eq!(
            err("members:\n  - target: vim.S.Nope\n    reason: r\n"),
            "s.yaml:2:1: `vim.S.Nope` names nothing"
        );
        assert_eq!(
            err("members:\n  - target: vim.D\n    reason: r\n"),
            "s.yaml:2:1: `vim.D` is a property or a type; a field, a parameter or a method (its return value) is expected"
        );
        assert_eq!(
            err("rules:\n  - name: \"*\"\n    reason: r\n"),
            "s.yaml:2:1: rule `*`: expected `*Suffix` or a name"
        );
        assert_eq!(
            err("rules:\n  - name: x\n    reason: \" \"\n"),
            "s.yaml:2:1: rule `x` has an empty reason"
        );
        assert!(err("rules: 3\n").starts_with("s.yaml:1:8: invalid secret rules:"));
    }
}
