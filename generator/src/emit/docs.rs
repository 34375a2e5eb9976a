//! Description markup from the model (see [`crate::model`]) → rustdoc Markdown with
//! working intra-doc links.
//!
//! A cross-reference `[[Target]]` resolves by exact name only: a type by its qualified or
//! wire name, a member as `Type.member` (a method, a property — also one a base object
//! declares —, a field or an enum value), a bare member inside the item it belongs to.
//! A target that names nothing the SDK emits becomes inline code and is counted
//! ([`Linker::stats`]).

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use proc_macro2::TokenStream;
use quote::quote;

use super::rust_names::{field_ident, variant_ident, TypeTable};
use crate::model::ManagedObject;
use crate::plan::TypeKey;

/// How the cross-references of the emitted documentation resolved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkStats {
    /// References that became intra-doc links.
    pub resolved: usize,
    /// References naming nothing the SDK emits, by target, with how often each occurs.
    pub unresolved: BTreeMap<String, usize>,
}

impl LinkStats {
    /// How many references did not resolve.
    pub fn unresolved_count(&self) -> usize {
        self.unresolved.values().sum()
    }
}

/// Resolves `[[Target]]` references against the emitted items and renders descriptions.
pub struct Linker<'t, 'p, 'm> {
    types: &'t TypeTable<'p, 'm>,
    /// Wire name → qualified name, for every emitted type whose wire name is unique.
    by_wire: HashMap<&'m str, &'m str>,
    resolved: AtomicUsize,
    unresolved: Mutex<BTreeMap<String, usize>>,
}

impl<'t, 'p, 'm> Linker<'t, 'p, 'm> {
    /// A linker for the items `types` emits.
    pub fn new(types: &'t TypeTable<'p, 'm>) -> Self {
        let model = types.plan().model();
        let names = model
            .managed_objects
            .iter()
            .map(|m| (m.wire_name.as_str(), m.name.as_str()))
            .chain(
                model
                    .data_types
                    .iter()
                    .chain(&model.fault_types)
                    .map(|d| (d.wire_name.as_str(), d.name.as_str())),
            )
            .chain(
                model
                    .enums
                    .iter()
                    .map(|e| (e.wire_name.as_str(), e.name.as_str())),
            );
        let mut by_wire: HashMap<&str, &str> = HashMap::new();
        let mut ambiguous: Vec<&str> = Vec::new();
        for (wire, qualified) in names {
            if let Some(previous) = by_wire.insert(wire, qualified) {
                if previous != qualified {
                    ambiguous.push(wire);
                }
            }
        }
        for wire in ambiguous {
            by_wire.remove(wire);
        }
        Linker {
            types,
            by_wire,
            resolved: AtomicUsize::new(0),
            unresolved: Mutex::new(BTreeMap::new()),
        }
    }

    /// How the references rendered so far resolved.
    pub fn stats(&self) -> LinkStats {
        LinkStats {
            resolved: self.resolved.load(Ordering::Relaxed),
            unresolved: self
                .unresolved
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone(),
        }
    }

    /// The emitted type `name` names seen from inside `context`: its own qualified or
    /// wire name, or a name relative to the scopes around `context` (inside
    /// `vim.SessionManager`, `GenericServiceTicket` is `vim.SessionManager.GenericServiceTicket`).
    fn type_in_scope(&self, name: &str, context: Option<&str>) -> Option<(&'m str, TypeKey)> {
        if let Some(found) = self.type_named(name) {
            return Some(found);
        }
        let mut scope = context?;
        loop {
            if let Some(found) = self.type_named(&format!("{scope}.{name}")) {
                return Some(found);
            }
            scope = scope.rsplit_once('.')?.0;
        }
    }

    /// The qualified name of an emitted type named `name` (qualified or wire name).
    fn type_named(&self, name: &str) -> Option<(&'m str, TypeKey)> {
        let plan = self.types.plan();
        let qualified: &str = match plan.lookup(name) {
            Some(_) => name,
            None => self.by_wire.get(name)?,
        };
        let key = plan.lookup(qualified)?;
        let model = plan.model();
        let stored: &'m str = match key {
            TypeKey::Managed(i) => &model.managed_objects[i].name,
            TypeKey::Enum(i) => &model.enums[i].name,
            TypeKey::Data(_) => &plan.data_type(qualified)?.name,
        };
        Some((stored, key))
    }

    /// The intra-doc path of `target`, seen from inside the item `context` (a qualified
    /// type name) if any.
    fn resolve(&self, target: &str, context: Option<&str>) -> Option<String> {
        let target = target.trim().trim_end_matches("()");
        if let Some((qualified, _)) = self.type_in_scope(target, context) {
            return Some(format!("crate::{}", self.types.type_ident(qualified)));
        }
        match target.rsplit_once(['.', '#']) {
            Some((owner, member)) if !owner.is_empty() => {
                let (owner, key) = self.type_in_scope(owner, context)?;
                self.member_path(owner, key, member)
            }
            _ => {
                let (owner, key) = self.type_named(context?)?;
                self.member_path(owner, key, target)
            }
        }
    }

    /// The path of `member` of type `owner`: a method or property (its own or a base
    /// object's), a field (its own or inherited), or an enum value.
    fn member_path(&self, owner: &str, key: TypeKey, member: &str) -> Option<String> {
        let plan = self.types.plan();
        let model = plan.model();
        match key {
            TypeKey::Managed(i) => {
                let mo = &model.managed_objects[i];
                let chain = std::iter::once(mo).chain(
                    plan.managed_bases(mo)
                        .into_iter()
                        .map(|b| &model.managed_objects[b]),
                );
                chain
                    .into_iter()
                    .find_map(|declaring| self.managed_member(declaring, member))
            }
            TypeKey::Data(_) => {
                let d = plan.data_type(owner)?;
                let field = plan.all_fields(d).iter().find(|f| f.name == member)?;
                Some(format!(
                    "crate::{}::{}",
                    self.types.type_ident(owner),
                    field_ident(&field.name)
                ))
            }
            TypeKey::Enum(i) => {
                let e = &model.enums[i];
                let value = e.values.iter().find(|v| v.name == member)?;
                Some(format!(
                    "crate::{}::{}",
                    self.types.type_ident(owner),
                    variant_ident(&value.name)
                ))
            }
        }
    }

    /// A method (by its wire name, or the pyvmomi spelling with a lower-case first letter)
    /// or property `member` declared by `mo`.
    fn managed_member(&self, mo: &ManagedObject, member: &str) -> Option<String> {
        let handle = self.types.type_ident(&mo.name);
        if let Some(m) = mo
            .methods
            .iter()
            .find(|m| m.name == member || upper_first(member).as_deref() == Some(&m.name))
        {
            return Some(format!("crate::{handle}::{}", field_ident(&m.name)));
        }
        let p = mo.properties.iter().find(|p| p.name == member)?;
        Some(format!("crate::{handle}::{}", field_ident(&p.name)))
    }

    /// Renders a description as rustdoc Markdown; `context` is the qualified name of the
    /// type it documents (or the type whose member it documents).
    pub fn markdown(&self, text: &str, context: Option<&str>) -> String {
        let mut lines: Vec<String> = Vec::new();
        let mut in_code = false;
        for line in text.lines() {
            let trimmed = line.trim();
            if trimmed.starts_with("```") {
                lines.push(if in_code { "```" } else { "```text" }.to_string());
                in_code = !in_code;
                continue;
            }
            if in_code {
                lines.push(line.to_string());
                continue;
            }
            match list_item(trimmed) {
                Some((marker, body)) => {
                    let body = body.trim_start_matches('|').trim();
                    if !body.is_empty() {
                        lines.push(format!("{marker}{}", self.inline(body, context)));
                    }
                }
                None => lines.push(self.inline(trimmed, context)),
            }
        }
        if in_code {
            lines.push("```".to_string());
        }
        let mut out = String::with_capacity(text.len() + 16);
        let mut paragraph_break = false;
        for line in lines {
            if line.is_empty() {
                paragraph_break = !out.is_empty();
                continue;
            }
            if !out.is_empty() {
                out.push_str(if paragraph_break { "\n\n" } else { "\n" });
            }
            out.push_str(&line);
            paragraph_break = false;
        }
        out
    }

    /// Inline markup of one line: references, code, bold; the rest escaped as prose.
    fn inline(&self, text: &str, context: Option<&str>) -> String {
        let mut out = String::with_capacity(text.len() + 8);
        let mut rest = text;
        while let Some(at) = rest.find(['[', '`', '*']) {
            let (before, from) = rest.split_at(at);
            if let Some((len, rendered)) = self.markup_at(from, context) {
                out.push_str(&escape(before, out.is_empty()));
                out.push_str(&rendered);
                rest = &from[len..];
            } else {
                let cut = at + from.chars().next().map_or(1, char::len_utf8);
                out.push_str(&escape(&rest[..cut], out.is_empty()));
                rest = &rest[cut..];
            }
        }
        out.push_str(&escape(rest, out.is_empty()));
        out
    }

    /// The markup starting `s` (a reference, a code span, bold text): its length and how
    /// it renders; `None` when `s` starts no complete markup.
    fn markup_at(&self, s: &str, context: Option<&str>) -> Option<(usize, String)> {
        if let Some(body) = s.strip_prefix("[[") {
            let end = body.find("]]")?;
            let inner = &body[..end];
            let (target, shown) = match inner.split_once('|') {
                Some((t, text)) => (t, text),
                None => (inner, display_name(inner)),
            };
            let shown = shown.replace('`', "");
            let rendered = match self.resolve(target, context) {
                Some(path) => {
                    self.resolved.fetch_add(1, Ordering::Relaxed);
                    format!("[`{shown}`]({path})")
                }
                None => {
                    *self
                        .unresolved
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .entry(target.trim().to_string())
                        .or_default() += 1;
                    format!("`{shown}`")
                }
            };
            return Some((end + 4, rendered));
        }
        if s.starts_with('[') {
            let len = markdown_link_len(s)?;
            return Some((len, s[..len].to_string()));
        }
        for fence in ["``", "`"] {
            if let Some(body) = s.strip_prefix(fence) {
                let end = body.find(fence)?;
                let code = body[..end].trim();
                if code.is_empty() || code.contains('`') {
                    return None;
                }
                let rendered = if code.contains("[[") {
                    self.inline(code, context)
                } else {
                    format!("`{code}`")
                };
                return Some((end + 2 * fence.len(), rendered));
            }
        }
        let body = s.strip_prefix("**")?;
        let end = body.find("**")?;
        let bold = body[..end].trim();
        if bold.is_empty() {
            return None;
        }
        Some((end + 4, format!("**{}**", self.inline(bold, context))))
    }
}

/// Description markup as plain text, for a compiler message (`#[deprecated(note)]`):
/// references become the names they show, code and bold markers go.
/// `#[deprecated(note = …)]` for an item the documents deprecate, or nothing.
pub fn deprecated_attr(note: Option<&String>) -> Option<TokenStream> {
    note.map(|note| {
        let note = plain_text(note.trim());
        quote!(#[deprecated(note = #note)])
    })
}

pub fn plain_text(markup: &str) -> String {
    let mut out = String::with_capacity(markup.len());
    let mut rest = markup;
    while let Some(start) = rest.find("[[") {
        out.push_str(&rest[..start]);
        let body = &rest[start + 2..];
        let Some(end) = body.find("]]") else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let inner = &body[..end];
        out.push_str(match inner.split_once('|') {
            Some((_, text)) => text,
            None => display_name(inner),
        });
        rest = &body[end + 2..];
    }
    out.push_str(rest);
    out.replace("**", "").replace('`', "")
}

/// `retrieveContent` → `RetrieveContent` (pyvmomi's spelling of a method name).
fn upper_first(s: &str) -> Option<String> {
    let mut chars = s.chars();
    let first = chars.next()?;
    first
        .is_ascii_lowercase()
        .then(|| first.to_ascii_uppercase().to_string() + chars.as_str())
}

/// A list item's marker (`- ` for `- `/`* ` items, `1. ` kept) and its text.
fn list_item(line: &str) -> Option<(&str, &str)> {
    if let Some(body) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
        return Some(("- ", body));
    }
    if line == "-" || line == "*" {
        return Some(("- ", ""));
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0 && digits < 3 && line[digits..].starts_with(". "))
        .then(|| line.split_at(digits + 2))
}

/// The short name shown for a link: `SessionManager.CloneSession` → `CloneSession`.
fn display_name(target: &str) -> &str {
    target
        .rsplit(['.', '#'])
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or(target)
}

/// Escapes text so rustdoc reads it as plain prose: brackets, angle brackets and
/// emphasis markers are escaped, and at the start of a line what would begin a block
/// (`#`, `+ `, `-`, `=`, `>`); bare URLs become autolinks.
fn escape(text: &str, line_start: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let end = rest
                .find(|c: char| c.is_whitespace() || c == ')' || c == '"' || c == '\'' || c == '>')
                .unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            i += url.len();
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        match c {
            '[' | ']' | '*' | '_' | '`' | '\\' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '#' | '+' | '-' | '=' if i == 0 && line_start => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        i += c.len_utf8();
    }
    out
}

/// Length of a `[text](http…)` link at the start of `s`.
fn markdown_link_len(s: &str) -> Option<usize> {
    if !s.starts_with('[') {
        return None;
    }
    let close = s.find("](")?;
    if s[1..close].contains(['[', ']', '\n']) {
        return None;
    }
    let url_start = close + 2;
    if !s[url_start..].starts_with("http") {
        return None;
    }
    let end = s[url_start..].find([')', ' ', '\n'])? + url_start;
    (s.as_bytes()[end] == b')').then_some(end + 1)
}

/// `#[doc = …]` attributes for a block of Markdown (one per line).
pub fn doc_attrs(markdown: &str) -> TokenStream {
    let lines = markdown.lines().map(|l| {
        let line = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use crate::plan::{NameTable, Plan};

    fn with_linker(model: &Model, check: impl FnOnce(&Linker<'_, '_, '_>)) {
        let names = NameTable::new(model);
        let plan = Plan::new(model, &names);
        let types = TypeTable::new(&plan);
        check(&Linker::new(&types));
    }

    #[test]
    fn escapes_markdown_and_wraps_urls() {
        assert_eq!(
            escape("a <b> [c] *d* & e|f", true),
            "a &lt;b&gt; \\[c\\] \\*d\\* &amp; e\\|f"
        );
        assert_eq!(
            escape("see https://x.org/a.", true),
            "see <https://x.org/a>."
        );
        assert_eq!(escape("# x", true), "\\# x");
        assert_eq!(escape("- x", false), "- x");
    }

    #[test]
    fn lists_paragraphs_code_and_bold_render_as_markdown() {
        with_linker(&Model::default(), |linker| {
            let text = "Types:\n- One — the *first*\n* Two\n-\n\nAfter.\n\n```\n  <a> *b*\n```\nUse `x_y` or ``z`` and **Note:** this.";
            assert_eq!(
                linker.markdown(text, None),
                "Types:\n- One — the \\*first\\*\n- Two\n\nAfter.\n\n```text\n  <a> *b*\n```\nUse `x_y` or `z` and **Note:** this."
            );
        });
    }

    #[test]
    fn plain_text_shows_reference_names() {
        assert_eq!(
            plain_text(
                "As of 2.5, use [[vim.Folder.CreateClusterEx]] or [[a.B|that **one**]], `x`."
            ),
            "As of 2.5, use CreateClusterEx or that one, x."
        );
    }

    #[test]
    fn unpaired_markers_and_web_links() {
        with_linker(&Model::default(), |linker| {
            assert_eq!(
                linker.markdown("a ` b ** c [d](https://x.org) [e]", None),
                "a \\` b \\*\\* c [d](https://x.org) \\[e\\]"
            );
        });
    }

    #[test]
    fn unresolved_references_become_code_and_are_counted() {
        with_linker(&Model::default(), |linker| {
            assert_eq!(
                linker.markdown("see [[Foo.Bar]] and [[Foo.Bar|the bar]].", None),
                "see `Bar` and `the bar`."
            );
            let stats = linker.stats();
            assert_eq!(stats.resolved, 0);
            assert_eq!(stats.unresolved.get("Foo.Bar"), Some(&2));
        });
    }
}
