//! Documentation text from the model → rustdoc Markdown with working intra-doc links.
//!
//! Descriptions in the model mark cross-references as `[[Target]]` (any format's
//! reference syntax is turned into that by its parser). A target that names something
//! the SDK emits becomes an intra-doc link; any other becomes inline code.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust_names::field_ident;
use crate::model::{snake_case, wire_name_of, Model};

/// Resolves `[[Target]]` references against the emitted items.
pub struct Linker<'m> {
    model: &'m Model,
}

impl<'m> Linker<'m> {
    /// A linker for the items emitted from `model`.
    pub fn new(model: &'m Model) -> Self {
        Linker { model }
    }

    /// The intra-doc path of `target`, seen from inside managed object `context` (its
    /// qualified name) if any.
    fn resolve(&self, target: &str, context: Option<&str>) -> Option<String> {
        let target = target.trim().trim_end_matches("()");
        let (owner, member) = match target.rsplit_once(['.', '#']) {
            Some((o, m)) if !o.is_empty() => (Some(o), m),
            _ => (None, target),
        };
        // A whole type: `vim.UserSession`, `UserSession`.
        if let Some(path) = self.type_path(target) {
            return Some(path);
        }
        // A member of a managed object: `SessionManager.CloneSession`, or a bare
        // `CloneSession` seen from inside `SessionManager`.
        let owners: Vec<&str> = match owner {
            Some(o) => vec![o],
            None => context.into_iter().collect(),
        };
        for o in owners {
            let Some(mo) = self
                .model
                .managed_objects
                .iter()
                .find(|m| m.name == o || m.wire_name == o || m.wire_name == wire_name_of(o))
            else {
                continue;
            };
            if let Some(m) = mo.methods.iter().find(|m| m.name == member) {
                return Some(format!("crate::{}::{}", mo.wire_name, field_ident(&m.name)));
            }
            if let Some(p) = mo.properties.iter().find(|p| p.name == member) {
                return Some(format!("crate::{}::{}", mo.wire_name, snake_case(&p.name)));
            }
        }
        // A field of a data type: `GenericServiceTicket#sslCertificate`.
        if let Some(o) = owner {
            let d = self
                .model
                .data_types
                .iter()
                .chain(&self.model.fault_types)
                .find(|d| d.name == o || d.wire_name == o || d.wire_name.ends_with(o))?;
            if d.fields.iter().any(|f| f.name == member) {
                return Some(format!("crate::{}::{}", d.wire_name, field_ident(member)));
            }
        }
        None
    }

    fn type_path(&self, name: &str) -> Option<String> {
        if let Some(mo) = self
            .model
            .managed_objects
            .iter()
            .find(|m| m.name == name || m.wire_name == name)
        {
            return Some(format!("crate::{}", mo.wire_name));
        }
        self.model
            .data_types
            .iter()
            .chain(&self.model.fault_types)
            .map(|d| (&d.name, &d.wire_name))
            .chain(self.model.enums.iter().map(|e| (&e.name, &e.wire_name)))
            .find(|(n, w)| *n == name || *w == name)
            .map(|(_, w)| format!("crate::{w}"))
    }

    /// Renders a description as rustdoc Markdown.
    pub fn markdown(&self, text: &str, context: Option<&str>) -> String {
        let mut out = String::with_capacity(text.len() + 16);
        let mut rest = text;
        while let Some(start) = rest.find("[[") {
            out.push_str(&escape(&rest[..start]));
            let after = &rest[start + 2..];
            match after.find("]]") {
                Some(end) => {
                    let target = &after[..end];
                    match self.resolve(target, context) {
                        Some(path) => {
                            out.push_str(&format!("[`{}`]({path})", display_name(target)))
                        }
                        None => out.push_str(&format!("`{}`", target.replace('`', ""))),
                    }
                    rest = &after[end + 2..];
                }
                None => {
                    out.push_str(&escape(&rest[start..]));
                    rest = "";
                }
            }
        }
        out.push_str(&escape(rest));
        out
    }
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
/// emphasis markers are escaped, bare URLs become autolinks, Markdown links
/// `[text](url)` written by the parsers are kept.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < text.len() {
        let rest = &text[i..];
        if let Some(link_len) = markdown_link_len(rest) {
            out.push_str(&rest[..link_len]);
            i += link_len;
            continue;
        }
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
            '[' | ']' | '*' | '_' | '`' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '#' if i == 0 || bytes[i - 1] == b'\n' => out.push_str("\\#"),
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

    #[test]
    fn escapes_markdown_and_wraps_urls() {
        assert_eq!(escape("a <b> [c] *d*"), "a &lt;b&gt; \\[c\\] \\*d\\*");
        assert_eq!(escape("see https://x.org/a."), "see <https://x.org/a>.");
        assert_eq!(
            escape("[docs](https://x.org) ok"),
            "[docs](https://x.org) ok"
        );
    }

    #[test]
    fn unresolved_references_become_code() {
        let model = Model::default();
        let linker = Linker::new(&model);
        assert_eq!(linker.markdown("see [[Foo.Bar]].", None), "see `Foo.Bar`.");
    }
}
