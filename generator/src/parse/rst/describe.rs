//! Descriptions: pieces of text turned into plain text with normalised whitespace, lists and
//! links, and the deprecation sentence found in them.

use std::borrow::Cow;
use std::collections::HashMap;

use super::parser::Piece;
use super::tokens::*;
use crate::model::TypeRef;

#[derive(PartialEq, Eq, Clone, Copy)]
pub(super) enum BlockKind {
    Para,
    Item,
}

/// Joins description pieces: each line of the normal layout is a paragraph or a list item;
/// a collapsed piece is split into items at ` * `.
pub(super) fn describe(pieces: &[Piece<'_>], targets: &HashMap<&str, &str>) -> Option<String> {
    let base = pieces.iter().find_map(|p| p.indent);
    let mut out = String::new();
    let mut prev: Option<BlockKind> = None;
    let mut emit = |kind: BlockKind, marker: &str, text: &str, indent: Option<usize>| {
        let text = normalise_ws(text);
        if text.is_empty() {
            return;
        }
        // `* Name` then `* -- what it is`: the pyvmomi pages split one item in two.
        if let (BlockKind::Item, Some(BlockKind::Item), Some(rest)) =
            (kind, prev, text.strip_prefix("--"))
        {
            out.push_str(" — ");
            render_inline(rest.trim_start(), targets, &mut out);
            return;
        }
        if let Some(prev) = prev {
            let continuation =
                prev == BlockKind::Item && matches!((indent, base), (Some(i), Some(b)) if i > b);
            out.push_str(if kind == BlockKind::Item || continuation {
                "\n"
            } else {
                "\n\n"
            });
        }
        out.push_str(marker);
        render_inline(&text, targets, &mut out);
        prev = Some(kind);
    };
    for p in pieces {
        match p.indent {
            Some(_) => {
                let (kind, marker, text) = list_marker(p.text);
                emit(kind, marker, text, p.indent);
            }
            None => {
                let parts = split_items(p.text);
                let (kind, marker, text) = list_marker(&parts[0]);
                emit(kind, marker, text, None);
                for item in &parts[1..] {
                    emit(BlockKind::Item, "* ", item, None);
                }
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Splits collapsed text into the text before the first list item and the items: a lone
/// `*` word starts an item. Runs of whitespace are normalised on the way.
pub(super) fn split_items(text: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    for word in text.split_whitespace() {
        if word == "*" {
            parts.push(String::new());
            continue;
        }
        let last = parts.last_mut().expect("never empty");
        if !last.is_empty() {
            last.push(' ');
        }
        last.push_str(word);
    }
    parts
}

/// A line's list marker (`* `, `- `, `1. `), if any.
pub(super) fn list_marker(line: &str) -> (BlockKind, &str, &str) {
    let t = line.trim();
    if t == "*" {
        return (BlockKind::Item, "* ", "");
    }
    if let Some(r) = t.strip_prefix("* ") {
        return (BlockKind::Item, "* ", r);
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && digits < 3 && t[digits..].starts_with(". ") {
        return (BlockKind::Item, &t[..digits + 2], &t[digits + 2..]);
    }
    (BlockKind::Para, "", t)
}

/// Collapses whitespace runs to one space (borrowing when there is nothing to do).
pub(super) fn normalise_ws(s: &str) -> Cow<'_, str> {
    let s = s.trim();
    let clean = !s
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b' ' && w[1] == b' ')
        && !s.bytes().any(|b| b.is_ascii_whitespace() && b != b' ');
    if clean {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    Cow::Owned(out)
}

/// `` `Name`_ `` → `[[Name]]`, `` `text <url>`_ `` → `[text](url)`, Python type names and
/// anything else stay text; a bare `Name_` becomes `[[Name]]` when the page defines `Name`.
pub(super) fn render_inline(text: &str, targets: &HashMap<&str, &str>, out: &mut String) {
    let b = text.as_bytes();
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'`' {
            if let Some((content, end)) = reference(text, i) {
                out.push_str(&text[copied..i]);
                push_link(content, targets.get(content).copied(), out);
                i = end;
                copied = i;
                continue;
            }
            if text[i..].starts_with("``_") {
                // An empty reference: nothing to link.
                out.push_str(&text[copied..i]);
                i += 3;
                copied = i;
                continue;
            }
            i += 1;
            continue;
        }
        let word_start = i == 0 || !is_name_byte(b[i - 1]);
        if word_start && (c.is_ascii_alphabetic() || c == b'_') {
            let run = b[i..].iter().take_while(|&&x| is_name_byte(x)).count();
            let word = text[i..i + run].trim_end_matches('.');
            if let Some(name) = word.strip_suffix('_') {
                if !name.ends_with('_') && targets.contains_key(name) {
                    out.push_str(&text[copied..i]);
                    push_link(name, targets.get(name).copied(), out);
                    i += word.len();
                    copied = i;
                    continue;
                }
            }
            i += run;
            continue;
        }
        i += 1;
    }
    out.push_str(&text[copied..]);
}

/// Writes a reference `content` whose hyperlink target (`.. _content: url`) is `url`: a
/// page of the reference becomes `[[qualified.Type]]` or `[[qualified.Type.member]]`
/// (the member as the text names it, or the anchor when the text is prose), a web page or
/// the version table stays text.
pub(super) fn push_link(content: &str, url: Option<&str>, out: &mut String) {
    if let Some(url) = url {
        if url.starts_with("http://") || url.starts_with("https://") {
            out.push_str(content);
            return;
        }
        if let Some(target) = page_target(content, url) {
            out.push_str("[[");
            out.push_str(&target);
            if target.rsplit('.').next() != Some(content) && !content.contains('.') {
                out.push('|');
                out.push_str(content);
            }
            out.push_str("]]");
            return;
        }
    }
    push_named_link(content, out);
}

/// `../../vim/host/NetCapabilities.rst#usesServiceConsoleNic` → `vim.host.NetCapabilities`
/// and the member: the reference's text when it is one identifier, else the anchor.
/// `None` for the version table and for what is no page of the reference.
fn page_target(content: &str, url: &str) -> Option<String> {
    let (path, anchor) = match url.split_once('#') {
        Some((p, a)) => (p, Some(a).filter(|a| !a.is_empty())),
        None => (url, None),
    };
    let mut path = path;
    while let Some(rest) = path.strip_prefix("../").or_else(|| path.strip_prefix("./")) {
        path = rest;
    }
    let page = path.strip_suffix(".rst")?.replace('/', ".");
    if page == "vim.version" || page.is_empty() || !page.split('.').all(|p| ident_len(p) == p.len())
    {
        return None;
    }
    let Some(anchor) = anchor else {
        return Some(page);
    };
    let member = if ident_len(content) == content.len() {
        content
    } else {
        anchor
    };
    Some(format!("{page}.{member}"))
}

/// A reference without a target of the page: `[[Name]]`, a Python type name as text.
fn push_named_link(content: &str, out: &mut String) {
    if let Some(inner) = content.strip_suffix('>') {
        if let Some(lt) = inner.rfind('<') {
            let label = inner[..lt].trim();
            let url = inner[lt + 1..].trim();
            let label = if label.is_empty() { url } else { label };
            out.push('[');
            out.push_str(label);
            out.push_str("](");
            out.push_str(url);
            out.push(')');
            return;
        }
    }
    if !content.contains('.') && TypeRef::primitive(content).is_some() {
        out.push_str(content);
    } else {
        out.push_str("[[");
        out.push_str(content);
        out.push_str("]]");
    }
}

/// A sentence starting with "Deprecated" (as of …), if the description has one.
pub(super) fn deprecation(desc: &str) -> Option<String> {
    let lower = desc.to_ascii_lowercase();
    let mut from = 0;
    while let Some(k) = lower[from..].find("deprecated") {
        let at = from + k;
        from = at + 10;
        let before = desc[..at].trim_end_matches(' ');
        let sentence_start =
            before.is_empty() || before.ends_with(['.', '!', '?', '\n']) || before.ends_with('*');
        if !sentence_start {
            continue;
        }
        let rest = &desc[at..];
        let b = rest.as_bytes();
        let mut end = rest.find('\n').unwrap_or(rest.len());
        for (i, &c) in b.iter().enumerate().take(end) {
            if c == b'.'
                && b.get(i + 1)
                    .is_none_or(|n| n.is_ascii_whitespace() || n.is_ascii_uppercase())
            {
                end = i + 1;
                break;
            }
        }
        return Some(rest[..end].trim().to_string());
    }
    None
}
