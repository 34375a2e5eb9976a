//! Parser for the pyvmomi reStructuredText reference (`spec/pyvmomi/**/*.rst[.gz]`), in its
//! normal layout and in a whitespace-collapsed copy (every newline turned into a space).
//!
//! # The format
//!
//! One document describes one type:
//!
//! * named hyperlink targets `.. _name: url` for every name the page links to;
//! * a title (the qualified type name) underlined with `=`;
//! * a header: description paragraphs and a field list — `:extends: base_` (or `:extends:`
//!   with the base `` `base`_ `` on the next line, as fault pages write it), `:since:`,
//!   enum bookkeeping (`:contained by:`, `:type:`, `:name:`) and a `**deprecated**` marker;
//! * sections, each a definition list whose terms are less indented than their definitions:
//!   - `Attributes` underlined with `-` (managed object properties):
//!     `name (type):` + `privilege: X` + description;
//!   - `Methods` underlined with `-`: signature `Name(a, b):` + description, `since:`,
//!     and the blocks `Privilege:`, `Args:` (``name (type[, optional][, since `v`_]):``),
//!     `Returns:` (`None` or `` `type`_: ``) and `Raises:` (`` `fault`_: ``);
//!   - `Attributes:` (data objects and faults): `name (type[, optional]):` or the fault
//!     spelling `name (type): is optional.` / `name (type)`;
//!   - `values:` underlined with `-` (enums): a value at the margin, its description indented.
//!
//! A type is written `` `vim.Foo`_ ``, an array `` [`vim.Foo`_] ``. Python names (`str`,
//! `bool`, `datetime`, …) map to vmodl primitives; any other type must have a hyperlink
//! target on the page, otherwise the reference is an error.
//!
//! # Logical lines
//!
//! The parser works on *segments* (logical lines), each optionally carrying the underline
//! that follows a heading. In the normal layout a segment is a physical line with its
//! indentation; a line followed by a run of `=`/`-` at least as long is a heading.
//!
//! In the collapsed layout indentation and line breaks are gone, so segments are re-derived
//! from structural tokens by `split_collapsed`, a state machine that walks the words and
//! starts a new segment wherever a token that is valid in the current section begins:
//!
//! * before the title: hyperlink targets (`.. _name:` plus a one-word URL);
//! * the title: the text between the last target and the first run of `=`, keeping the
//!   longest tail that fits the underline (RST's rule that an underline covers its title);
//! * a heading: one word starting with a letter followed by a run of `-`/`=` as long as
//!   it or up to two longer (`Attributes`, `Methods`, `values:`; the generator's underlines
//!   match their titles, and a longer run is more likely flattened ASCII art);
//! * in the header: field-list items (`:word:` plus one reference or word), `**deprecated**`,
//!   `Attributes:`;
//! * in attribute lists and `Args:`: a complete declaration ``name (`type`_, …)`` followed by
//!   `:` or whitespace (a declaration that is cut off with no `)` left in the document also
//!   starts a segment, so that it is reported), and `privilege: X`;
//! * among methods: signatures `Name(a, b):`, ``since: `v`_``, `Privilege:`, `Args:`,
//!   `Returns:`, `Raises:`, the first `None` / `` `type`_: `` after `Returns:`, and
//!   `` `fault`_: `` after `Raises:`.
//!
//! The same classifier (`classify`) and the same section transitions (`Ctx::after`)
//! drive both the splitter and the parser, so both layouts yield the same facts. What the
//! collapsed layout cannot carry is reported, not guessed: descriptions lose paragraph
//! breaks (list items are recovered from ` * `), `Loc`s all say line 1, and enum values
//! cannot be told from their descriptions (a warning; no values).
//!
//! # Output
//!
//! Managed objects (pages with `Attributes`/`Methods` sections), enums (`values:`) and data
//! types (everything else, faults included — the reconciler classifies faults by their
//! base chain). Descriptions are plain text with whitespace normalised, paragraphs
//! separated by a blank line and list items (`* `, `1. `) on their own lines;
//! `` `Name`_ `` becomes `[[Name]]`, `` `text <url>`_ `` becomes `[text](url)`, references
//! to Python types stay plain words. A `**deprecated**` marker on a type becomes a final
//! `Deprecated.` paragraph of its description (types have no `deprecated` field); a
//! method's `Deprecated…` sentence is also copied to `Method::deprecated`.
//!
//! Facts the model has no place for are left out knowingly: `privilege` on data-object fields, and the enum bookkeeping fields. The version table
//! page (`vim/version.rst`, whose title is not a type name) yields an empty model and a
//! warning.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::common::{reporter_for, shorten, Reporter};
use super::Parsed;
use crate::diag::{Diagnostic, SourceText};
use crate::model::{
    wire_name_of, DataType, EnumType, EnumValue, FaultRef, Field, ManagedObject, Method, Model,
    Param, Property, Returns, TypeRef, Version,
};

/// Parses one pyvmomi reStructuredText document (normal or whitespace-collapsed layout).
pub fn parse(src: &SourceText) -> Result<Parsed, Diagnostic> {
    let text = src.text.as_str();
    if text.trim().is_empty() {
        return Err(
            Diagnostic::error(src, src.pos(text.len()), "the document is empty")
                .expected("hyperlink targets (`.. _name: url`) and a title underlined with `=`")
                .found("end of document"),
        );
    }
    let collapsed = !text.trim().contains('\n');
    let segs = if collapsed {
        split_collapsed(text)
    } else {
        split_lines(text)
    };
    Parser::new(src, segs, collapsed).run()
}

// ---------------------------------------------------------------------------------------
// Segments
// ---------------------------------------------------------------------------------------

/// The run of `=` or `-` under a heading.
#[derive(Clone, Copy, Debug)]
struct Underline {
    ch: u8,
}

/// A logical line.
#[derive(Clone, Copy, Debug)]
struct Seg<'a> {
    /// Byte offset of the first character of `text`.
    start: usize,
    /// The line without surrounding whitespace.
    text: &'a str,
    /// Leading whitespace of the physical line; `None` in the collapsed layout.
    indent: Option<usize>,
    /// Set when the segment is a heading.
    underline: Option<Underline>,
}

fn is_run(s: &str, ch: u8) -> bool {
    s.len() >= 3 && s.bytes().all(|b| b == ch)
}

fn run_char(s: &str) -> Option<u8> {
    [b'=', b'-'].into_iter().find(|&c| is_run(s, c))
}

/// Normal layout: one segment per non-blank line; a line at the margin followed by an
/// underline at least as long becomes a heading.
fn split_lines(text: &str) -> Vec<Seg<'_>> {
    let mut lines = Vec::new();
    let mut off = 0;
    for line in text.split_inclusive('\n') {
        lines.push((off, line.trim_end_matches(['\n', '\r'])));
        off += line.len();
    }
    let mut segs = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let (start, line) = lines[i];
        i += 1;
        let body = line.trim_start();
        let indent = line.len() - body.len();
        let body = body.trim_end();
        if body.is_empty() {
            continue;
        }
        let mut seg = Seg {
            start: start + indent,
            text: body,
            indent: Some(indent),
            underline: None,
        };
        if indent == 0 && run_char(body).is_none() {
            if let Some(&(_, next)) = lines.get(i) {
                let next = next.trim_end();
                if let Some(ch) = run_char(next) {
                    if next.len() >= body.chars().count() {
                        seg.underline = Some(Underline { ch });
                        i += 1;
                    }
                }
            }
        }
        segs.push(seg);
    }
    segs
}

/// Collapsed layout: re-derives logical lines from structural tokens (see the module
/// documentation).
fn split_collapsed(text: &str) -> Vec<Seg<'_>> {
    let words = word_spans(text);
    let closes = text.rfind(')');
    let mut segs = Vec::new();
    fn push<'a>(segs: &mut Vec<Seg<'a>>, text: &'a str, from: usize, to: usize) {
        let t = text[from..to].trim();
        if !t.is_empty() {
            let lead = text[from..to].len() - text[from..to].trim_start().len();
            segs.push(Seg {
                start: from + lead,
                text: t,
                indent: None,
                underline: None,
            });
        }
    }

    // Before the title: targets, then the title above the first `=` run.
    let title_idx = words.iter().position(|&(s, e)| is_run(&text[s..e], b'='));
    let pre_end = title_idx.unwrap_or(words.len());
    let mut pending: Option<usize> = None;
    let mut i = 0;
    while i < pre_end {
        let s = words[i].0;
        if let Some((Head::Target { .. }, len)) = target(&text[s..]) {
            if let Some(from) = pending.take() {
                push(&mut segs, text, from, s);
            }
            push(&mut segs, text, s, s + len);
            while i < pre_end && words[i].0 < s + len {
                i += 1;
            }
        } else {
            pending.get_or_insert(s);
            i += 1;
        }
    }
    let Some(u) = title_idx else {
        if let Some(from) = pending {
            push(&mut segs, text, from, text.len());
        }
        return segs;
    };
    let (us, ue) = words[u];
    // The title is the longest run of trailing words that the underline covers.
    let first = words[..u]
        .iter()
        .position(|&(s, _)| pending.is_some_and(|p| s >= p))
        .unwrap_or(u);
    let mut title_from = u;
    for k in (first..u).rev() {
        if text[words[k].0..us].trim_end().chars().count() <= ue - us {
            title_from = k;
        } else {
            break;
        }
    }
    if first < title_from {
        push(&mut segs, text, words[first].0, words[title_from].0);
    }
    let title_start = words.get(title_from).map_or(us, |w| w.0.min(us));
    segs.push(Seg {
        start: title_start,
        text: text[title_start..us].trim_end(),
        indent: None,
        underline: Some(Underline { ch: b'=' }),
    });

    // After the title: cut wherever a token valid in the current section begins.
    let mut ctx = Ctx::Header;
    let mut open = words.get(u + 1).map(|w| w.0);
    let mut i = u + 1;
    while i < words.len() {
        let (s, e) = words[i];
        if let Some(&(ns, ne)) = words.get(i + 1) {
            if let Some(ch) = run_char(&text[ns..ne]) {
                let title_len = text[s..e].chars().count();
                let plausible = text.as_bytes()[s].is_ascii_alphabetic()
                    && (title_len..=title_len + 2).contains(&(ne - ns));
                if plausible {
                    if let Some(from) = open {
                        push(&mut segs, text, from, s);
                    }
                    segs.push(Seg {
                        start: s,
                        text: &text[s..e],
                        indent: None,
                        underline: Some(Underline { ch }),
                    });
                    ctx = Ctx::after_heading(&text[s..e], ch);
                    i += 2;
                    open = words.get(i).map(|w| w.0);
                    continue;
                }
            }
        }
        let closes_after = closes.is_some_and(|c| c > s);
        if let Some((head, len)) = classify(ctx, &text[s..], false, closes_after) {
            if let Some(from) = open {
                push(&mut segs, text, from, s);
            }
            open = Some(s);
            ctx = ctx.after(&head);
            i += 1;
            while i < words.len() && words[i].0 < s + len {
                i += 1;
            }
            continue;
        }
        i += 1;
    }
    if let Some(from) = open {
        push(&mut segs, text, from, text.len());
    }
    segs
}

fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                out.push((s, i));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

// ---------------------------------------------------------------------------------------
// Structural tokens
// ---------------------------------------------------------------------------------------

/// Where in the document a segment is, which decides the tokens that can start it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ctx {
    Preamble,
    Header,
    MoAttrs,
    DataAttrs,
    Methods,
    Method(Part),
    Values,
    Unknown,
}

/// A block inside a method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Part {
    Body,
    Privilege,
    Args,
    Returns,
    ReturnsDone,
    Raises,
}

impl Ctx {
    /// The section a heading opens.
    fn after_heading(title: &str, ch: u8) -> Ctx {
        match (title, ch) {
            ("Attributes", b'-') => Ctx::MoAttrs,
            ("Methods", b'-') => Ctx::Methods,
            ("values:", b'-') => Ctx::Values,
            _ => Ctx::Unknown,
        }
    }

    /// The context after a token.
    fn after(self, head: &Head<'_>) -> Ctx {
        match head {
            Head::DataAttributes => Ctx::DataAttrs,
            Head::Signature { .. } => Ctx::Method(Part::Body),
            Head::Block(p) => Ctx::Method(*p),
            Head::ReturnsNone | Head::ReturnsType(_) => Ctx::Method(Part::ReturnsDone),
            _ => self,
        }
    }
}

/// A type as a declaration writes it: `` `name`_ `` or `` [`name`_] ``.
#[derive(Clone, Copy, Debug)]
struct TySpec<'a> {
    name: &'a str,
    array: bool,
    /// Offset of the reference within the segment.
    off: usize,
}

/// `name (type, modifiers):` in an attribute list or an `Args:` block.
#[derive(Clone, Debug)]
struct Entry<'a> {
    name: &'a str,
    ty: TySpec<'a>,
    optional: bool,
    since: Option<&'a str>,
    privilege: Option<&'a str>,
    unknown: Vec<&'a str>,
}

/// What a segment starts with.
#[derive(Clone, Debug)]
enum Head<'a> {
    Target {
        name: &'a str,
        url: &'a str,
    },
    Field {
        name: &'a str,
        value: &'a str,
        value_off: usize,
    },
    DeprecatedMark,
    DataAttributes,
    Entry(Entry<'a>),
    /// A declaration that does not parse: offset within the segment and what was expected.
    BadEntry {
        off: usize,
        expected: &'static str,
    },
    PropPrivilege(&'a str),
    Signature {
        name: &'a str,
        params: Vec<&'a str>,
    },
    Since(&'a str),
    Block(Part),
    ReturnsNone,
    ReturnsType(TySpec<'a>),
    Fault(&'a str),
}

impl Head<'_> {
    /// Terms of a definition list; anything indented deeper than the list's terms is
    /// definition text, whatever it looks like.
    fn is_term(&self) -> bool {
        matches!(
            self,
            Head::Entry(_)
                | Head::BadEntry { .. }
                | Head::Signature { .. }
                | Head::ReturnsNone
                | Head::ReturnsType(_)
                | Head::Fault(_)
        )
    }
}

/// Recognises the token at the start of `s` (the rest of a line, or of a collapsed
/// document) in context `ctx`. Returns it and the length of its head; what follows the
/// head is text. `line_start`: `s` begins a physical line (normal layout).
/// `closes_after`: a `)` occurs after this point (collapsed layout), used to tell a cut-off
/// declaration from text.
fn classify(ctx: Ctx, s: &str, line_start: bool, closes_after: bool) -> Option<(Head<'_>, usize)> {
    if s.starts_with(".. _") && (line_start || ctx == Ctx::Preamble) {
        return target(s);
    }
    match ctx {
        Ctx::Preamble | Ctx::Values | Ctx::Unknown => None,
        Ctx::Header => field(s)
            .or_else(|| keyword(s, "**deprecated**").then_some((Head::DeprecatedMark, 14)))
            .or_else(|| keyword(s, "Attributes:").then_some((Head::DataAttributes, 11))),
        Ctx::MoAttrs => entry(s, line_start, closes_after).or_else(|| prop_privilege(s)),
        Ctx::DataAttrs => entry(s, line_start, closes_after),
        Ctx::Methods => signature(s),
        Ctx::Method(part) => signature(s).or_else(|| {
            let specific = match part {
                Part::Body => since(s),
                Part::Args => entry(s, line_start, closes_after),
                Part::Returns => returns_head(s),
                Part::Raises => fault_head(s),
                Part::Privilege | Part::ReturnsDone => None,
            };
            specific.or_else(|| block_head(s))
        }),
    }
}

/// `s` starts with `kw` followed by whitespace or the end.
fn keyword(s: &str, kw: &str) -> bool {
    s.starts_with(kw) && boundary(s, kw.len())
}

/// Position `p` of `s` is the end or whitespace.
fn boundary(s: &str, p: usize) -> bool {
    s.as_bytes().get(p).is_none_or(|b| b.is_ascii_whitespace())
}

fn skip_ws(s: &str, mut p: usize) -> usize {
    while s.as_bytes().get(p).is_some_and(|b| b.is_ascii_whitespace()) {
        p += 1;
    }
    p
}

/// Length of the identifier at the start of `s` (0 if none).
fn ident_len(s: &str) -> usize {
    let b = s.as_bytes();
    if !b
        .first()
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
    {
        return 0;
    }
    b.iter()
        .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
        .unwrap_or(b.len())
}

fn word_len(s: &str) -> usize {
    s.find(|c: char| c.is_whitespace()).unwrap_or(s.len())
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'.'
}

/// A reference at `p`: `` `name`_ `` (or `__`) or `name_`. Returns the name and the end.
fn reference(s: &str, p: usize) -> Option<(&str, usize)> {
    let b = s.as_bytes();
    if b.get(p) == Some(&b'`') {
        let close = p + 1 + s[p + 1..].find('`')?;
        if b.get(close + 1) != Some(&b'_') || close == p + 1 {
            return None;
        }
        let end = if b.get(close + 2) == Some(&b'_') {
            close + 3
        } else {
            close + 2
        };
        return Some((&s[p + 1..close], end));
    }
    let run = b[p..].iter().take_while(|&&c| is_name_byte(c)).count();
    let word = &s[p..p + run];
    let name = word.strip_suffix('_')?;
    (!name.is_empty() && !name.ends_with('_') && ident_len(name) > 0).then_some((name, p + run))
}

/// `.. _name: url` (the URL is one word and may be missing).
fn target(s: &str) -> Option<(Head<'_>, usize)> {
    let body = s.strip_prefix(".. _")?;
    let (name, after) = if let Some(quoted) = body.strip_prefix('`') {
        let close = quoted.find('`')?;
        (&quoted[..close], 4 + 1 + close + 1)
    } else {
        let b = body.as_bytes();
        let colon = (0..b.len()).find(|&i| b[i] == b':' && boundary(body, i + 1))?;
        (&body[..colon], 4 + colon)
    };
    if name.is_empty() || s.as_bytes().get(after) != Some(&b':') {
        return None;
    }
    let mut end = after + 1;
    let p = skip_ws(s, end);
    if p < s.len() && !s[p..].starts_with(".. _") {
        end = p + word_len(&s[p..]);
    }
    let url = s[after + 1..end].trim();
    Some((Head::Target { name, url }, end))
}

/// `:name: value` — the value is one reference or one word.
fn field(s: &str) -> Option<(Head<'_>, usize)> {
    let rest = s.strip_prefix(':')?;
    let close = rest.find(':')?;
    let name = &rest[..close];
    let ok = !name.is_empty()
        && !name.starts_with(' ')
        && !name.ends_with(' ')
        && name.bytes().all(|b| b.is_ascii_lowercase() || b == b' ');
    if !ok || !boundary(s, close + 2) {
        return None;
    }
    let p = skip_ws(s, close + 2);
    let end = match reference(s, p) {
        Some((_, end)) if boundary(s, end) => end,
        _ => p + word_len(&s[p..]),
    };
    Some((
        Head::Field {
            name,
            value: &s[p..end],
            value_off: p,
        },
        end,
    ))
}

/// A declaration `name (type, modifiers)` with an optional `:`.
fn entry(s: &str, line_start: bool, closes_after: bool) -> Option<(Head<'_>, usize)> {
    let n = ident_len(s);
    if n == 0 || !s[n..].starts_with(" (") {
        return None;
    }
    match parse_entry(s, n) {
        Ok((e, len)) => Some((Head::Entry(e), len)),
        Err((off, expected)) => {
            let typed = matches!(s.as_bytes().get(n + 2), None | Some(b'`') | Some(b'['));
            (line_start || (typed && !closes_after))
                .then_some((Head::BadEntry { off, expected }, s.len()))
        }
    }
}

const EXPECT_TYPE: &str = "a type reference such as `` `vim.Foo`_ `` or `` [`str`_] ``";

fn parse_entry(s: &str, n: usize) -> Result<(Entry<'_>, usize), (usize, &'static str)> {
    let (ty, mut privilege, mut p) = tyspec(s, n + 2)?;
    let mut e = Entry {
        name: &s[..n],
        ty,
        optional: false,
        since: None,
        privilege: None,
        unknown: Vec::new(),
    };
    loop {
        p = skip_ws(s, p);
        match s.as_bytes().get(p) {
            Some(b')') => {
                p += 1;
                break;
            }
            Some(b',') => {
                p = skip_ws(s, p + 1);
                let rest = &s[p..];
                if rest.starts_with("optional") && !rest[8..].starts_with(is_ident_char) {
                    e.optional = true;
                    p += 8;
                } else if let Some(r) = rest.strip_prefix("since ") {
                    let q = skip_ws(s, s.len() - r.len());
                    let (label, end) = reference(s, q).ok_or((q, "a version reference"))?;
                    e.since = Some(label);
                    p = end;
                } else if let Some(r) = rest.strip_prefix("privilege:") {
                    let q = skip_ws(s, s.len() - r.len());
                    let w = s[q..]
                        .find([',', ')', ' '])
                        .ok_or((s.len(), "`)` closing the declaration"))?;
                    privilege = Some(&s[q..q + w]);
                    p = q + w;
                } else {
                    let w = rest
                        .find([',', ')'])
                        .ok_or((s.len(), "`)` closing the declaration"))?;
                    e.unknown.push(rest[..w].trim());
                    p += w;
                }
            }
            _ => return Err((p, "`,` or `)` after the type")),
        }
    }
    e.privilege = privilege;
    if s[p..].starts_with(':') {
        p += 1;
    }
    if !boundary(s, p) {
        return Err((p, "`:` or the end of the declaration"));
    }
    Ok((e, p))
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// A type at `p`; also returns a `privilege:` written inside array brackets.
type TyParse<'a> = (TySpec<'a>, Option<&'a str>, usize);

fn tyspec(s: &str, p: usize) -> Result<TyParse<'_>, (usize, &'static str)> {
    let array = s[p..].starts_with('[');
    let q = if array { p + 1 } else { p };
    let Some((name, mut end)) = reference(s, q) else {
        let unclosed = s[q..].starts_with('`') && s[q + 1..].find('`').is_none();
        return Err(if unclosed {
            (q, "a reference closed with `` `_ ``")
        } else {
            (q, EXPECT_TYPE)
        });
    };
    let ty = TySpec {
        name,
        array,
        off: q,
    };
    let mut privilege = None;
    if array {
        if let Some(r) = s[end..].strip_prefix(", privilege:") {
            let a = skip_ws(s, s.len() - r.len());
            let w = s[a..].find([']', ' ']).unwrap_or(s.len() - a);
            privilege = Some(&s[a..a + w]);
            end = skip_ws(s, a + w);
        }
        if !s[end..].starts_with(']') {
            return Err((end, "`]` closing the array type"));
        }
        end += 1;
    }
    Ok((ty, privilege, end))
}

/// `privilege: X` under a managed object property.
fn prop_privilege(s: &str) -> Option<(Head<'_>, usize)> {
    let r = s.strip_prefix("privilege:")?;
    let p = skip_ws(s, s.len() - r.len());
    let w = word_len(&s[p..]);
    (w > 0).then(|| (Head::PropPrivilege(&s[p..p + w]), p + w))
}

/// `Name(a, b):`
fn signature(s: &str) -> Option<(Head<'_>, usize)> {
    let n = ident_len(s);
    if n == 0 || s.as_bytes().get(n) != Some(&b'(') {
        return None;
    }
    let mut params = Vec::new();
    let mut p = n + 1;
    loop {
        p = skip_ws(s, p);
        if s[p..].starts_with(')') {
            if !params.is_empty() {
                return None;
            }
            break;
        }
        let k = ident_len(&s[p..]);
        if k == 0 {
            return None;
        }
        params.push(&s[p..p + k]);
        p = skip_ws(s, p + k);
        match s.as_bytes().get(p) {
            Some(b',') => p += 1,
            Some(b')') => break,
            _ => return None,
        }
    }
    p += 1;
    (s[p..].starts_with(':') && boundary(s, p + 1)).then(|| {
        (
            Head::Signature {
                name: &s[..n],
                params,
            },
            p + 1,
        )
    })
}

/// `since: `label`_`
fn since(s: &str) -> Option<(Head<'_>, usize)> {
    let r = s.strip_prefix("since:")?;
    let p = skip_ws(s, s.len() - r.len());
    let (label, end) = reference(s, p)?;
    boundary(s, end).then_some((Head::Since(label), end))
}

fn block_head(s: &str) -> Option<(Head<'_>, usize)> {
    [
        ("Privilege:", Part::Privilege),
        ("Args:", Part::Args),
        ("Returns:", Part::Returns),
        ("Raises:", Part::Raises),
    ]
    .into_iter()
    .find(|(kw, _)| keyword(s, kw))
    .map(|(kw, part)| (Head::Block(part), kw.len()))
}

/// `None`, `` `type`_: `` or `` [`type`_]: `` after `Returns:`.
fn returns_head(s: &str) -> Option<(Head<'_>, usize)> {
    if keyword(s, "None") {
        return Some((Head::ReturnsNone, 4));
    }
    let (ty, _, end) = tyspec(s, 0).ok()?;
    (s[end..].starts_with(':') && boundary(s, end + 1)).then_some((Head::ReturnsType(ty), end + 1))
}

/// `` `fault`_: `` after `Raises:`.
fn fault_head(s: &str) -> Option<(Head<'_>, usize)> {
    if !s.starts_with('`') {
        return None;
    }
    let (name, end) = reference(s, 0)?;
    (s[end..].starts_with(':') && boundary(s, end + 1)).then_some((Head::Fault(name), end + 1))
}

// ---------------------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------------------

/// A piece of description text with the indentation of its line.
#[derive(Clone, Copy, Debug)]
struct Piece<'a> {
    text: &'a str,
    indent: Option<usize>,
}

/// A definition-list item being collected: its term segment, head and definition.
struct Item<'a> {
    seg: Seg<'a>,
    entry: Entry<'a>,
    privilege: Option<&'a str>,
    pieces: Vec<Piece<'a>>,
}

/// What the title and header say.
struct Header<'a> {
    title: Seg<'a>,
    base: Option<String>,
    since: Option<Version>,
    deprecated: bool,
    pieces: Vec<Piece<'a>>,
}

/// What the sections say.
#[derive(Default)]
struct Body {
    managed: bool,
    data: bool,
    is_enum: bool,
    properties: Vec<Property>,
    methods: Vec<Method>,
    fields: Vec<Field>,
    values: Vec<EnumValue>,
}

struct Parser<'a> {
    src: &'a SourceText,
    segs: Vec<Seg<'a>>,
    pos: usize,
    collapsed: bool,
    /// Offset of the last `)` (collapsed layout: tells cut-off declarations from text).
    last_close: Option<usize>,
    targets: HashMap<&'a str, &'a str>,
    warnings: Vec<Diagnostic>,
}

reporter_for!(Parser);

impl<'a> Parser<'a> {
    fn new(src: &'a SourceText, segs: Vec<Seg<'a>>, collapsed: bool) -> Self {
        let mut targets = HashMap::new();
        for seg in &segs {
            if let Some((Head::Target { name, url }, _)) = target(seg.text) {
                targets.entry(name).or_insert(url);
            }
        }
        Parser {
            src,
            segs,
            pos: 0,
            collapsed,
            last_close: src.text.rfind(')'),
            targets,
            warnings: Vec::new(),
        }
    }

    fn peek(&self) -> Option<Seg<'a>> {
        self.segs.get(self.pos).copied()
    }

    fn classify(&self, ctx: Ctx, seg: Seg<'a>) -> Option<(Head<'a>, usize)> {
        let closes_after = self.last_close.is_some_and(|c| c > seg.start);
        classify(ctx, seg.text, !self.collapsed, closes_after)
    }

    /// The text of `seg` after a head of length `len`, as a description piece.
    fn rest(seg: Seg<'a>, len: usize) -> Option<Piece<'a>> {
        let text = seg.text.get(len..)?.trim();
        (!text.is_empty()).then_some(Piece {
            text,
            indent: seg.indent,
        })
    }

    /// A hyperlink target line: recorded up front; text after its URL is reported.
    fn target_line(&mut self, seg: Seg<'a>, len: usize) {
        if let Some(p) = Self::rest(seg, len) {
            self.warn(
                seg.start,
                format!(
                    "unexpected text after a hyperlink target: {}",
                    shorten(p.text)
                ),
            );
        }
    }

    fn piece(seg: Seg<'a>) -> Piece<'a> {
        Piece {
            text: seg.text,
            indent: seg.indent,
        }
    }

    /// Whether `seg` is indented deeper than the list terms at `term` (never in the
    /// collapsed layout, where indentation is unknown).
    fn deeper(seg: Seg<'_>, term: Option<usize>) -> bool {
        matches!((seg.indent, term), (Some(n), Some(t)) if n > t)
    }

    fn run(mut self) -> Result<Parsed, Diagnostic> {
        let title = self.title()?;
        let name = title.text;
        if !is_qualified(name) {
            self.warn(
                title.start,
                format!("`{name}` is not a qualified type name; the page describes no type and nothing was taken from it"),
            );
            return Ok(Parsed {
                model: Model::default(),
                warnings: self.warnings,
            });
        }
        let header = self.header(title)?;
        let mut body = Body::default();
        while let Some(seg) = self.peek() {
            if let Some(u) = seg.underline {
                self.pos += 1;
                match Ctx::after_heading(seg.text, u.ch) {
                    Ctx::MoAttrs => {
                        body.managed = true;
                        self.mo_attributes(&mut body)?;
                    }
                    Ctx::Methods => {
                        body.managed = true;
                        self.methods(&mut body)?;
                    }
                    Ctx::Values => {
                        body.is_enum = true;
                        self.values(&mut body);
                    }
                    _ => {
                        self.warn(
                            seg.start,
                            format!("unknown section `{}`; its content was skipped", seg.text),
                        );
                        self.skip_section();
                    }
                }
            } else if let Some((Head::DataAttributes, len)) = self.classify(Ctx::Header, seg) {
                self.pos += 1;
                body.data = true;
                self.data_attributes(&mut body, Self::rest(seg, len))?;
            } else {
                self.warn(
                    seg.start,
                    format!("unexpected text between sections: {}", shorten(seg.text)),
                );
                self.pos += 1;
            }
        }
        let model = self.build(header, body);
        Ok(Parsed {
            model,
            warnings: self.warnings,
        })
    }

    /// Targets, then the title underlined with `=`.
    fn title(&mut self) -> Result<Seg<'a>, Diagnostic> {
        let mut stray: Vec<Seg<'a>> = Vec::new();
        while let Some(seg) = self.peek() {
            self.pos += 1;
            match seg.underline {
                Some(u) if u.ch == b'=' && !seg.text.is_empty() => {
                    for s in stray {
                        self.warn(
                            s.start,
                            format!("unexpected text before the title: {}", shorten(s.text)),
                        );
                    }
                    return Ok(seg);
                }
                Some(_) => {
                    return Err(self
                        .error(seg.start, "the document has no title")
                        .expected("a title (the qualified type name) underlined with `=`")
                        .found(if seg.text.is_empty() {
                            "a bare underline"
                        } else {
                            seg.text
                        }));
                }
                None => match target(seg.text) {
                    Some((_, len)) => self.target_line(seg, len),
                    None => stray.push(seg),
                },
            }
        }
        let (offset, found) = match stray.first() {
            Some(s) => (s.start, s.text),
            None => (self.src.text.len(), "end of document"),
        };
        Err(self
            .error(offset, "the document has no title")
            .expected("a title (the qualified type name) underlined with `=`")
            .found(found))
    }

    /// Description and field list between the title and the first section.
    fn header(&mut self, title: Seg<'a>) -> Result<Header<'a>, Diagnostic> {
        let mut h = Header {
            title,
            base: None,
            since: None,
            deprecated: false,
            pieces: Vec::new(),
        };
        while let Some(seg) = self.peek() {
            if seg.underline.is_some() {
                break;
            }
            let len = match self.classify(Ctx::Header, seg) {
                Some((Head::DataAttributes, _)) => break,
                Some((Head::Target { .. }, len)) => {
                    self.target_line(seg, len);
                    seg.text.len()
                }
                Some((Head::DeprecatedMark, len)) => {
                    h.deprecated = true;
                    len
                }
                Some((
                    Head::Field {
                        name,
                        value,
                        value_off,
                    },
                    len,
                )) => {
                    self.pos += 1;
                    self.header_field(&mut h, seg, name, value, value_off)?;
                    if let Some(p) = Self::rest(seg, len) {
                        h.pieces.push(p);
                    }
                    continue;
                }
                _ => {
                    h.pieces.push(Self::piece(seg));
                    seg.text.len()
                }
            };
            if let Some(p) = Self::rest(seg, len) {
                h.pieces.push(p);
            }
            self.pos += 1;
        }
        Ok(h)
    }

    fn header_field(
        &mut self,
        h: &mut Header<'a>,
        seg: Seg<'a>,
        name: &str,
        mut value: &'a str,
        value_off: usize,
    ) -> Result<(), Diagnostic> {
        let mut value_start = seg.start + value_off;
        if value.is_empty() && name == "extends" {
            // The fault spelling: the base on the next line.
            if let Some(next) = self.peek() {
                if next.underline.is_none()
                    && reference(next.text, 0).is_some_and(|(_, e)| e == next.text.len())
                {
                    self.pos += 1;
                    value = next.text;
                    value_start = next.start;
                }
            }
        }
        match name {
            "extends" => match reference(value, 0) {
                Some((base, end)) if end == value.len() => {
                    self.check_type_name(base, value_start)?;
                    h.base = Some(base.to_string());
                }
                _ => self.warn(
                    value_start,
                    format!("`:extends:` is not followed by a type reference (found {value:?}); no base type taken"),
                ),
            },
            "since" => match reference(value, 0) {
                Some((label, _)) => h.since = self.version(label, value_start),
                None => self.warn(value_start, format!("`:since:` value {value:?} is not a version reference")),
            },
            "type" => {
                if reference(value, 0).map(|r| r.0) != Some(h.title.text) {
                    self.warn(
                        value_start,
                        format!("`:type:` names {value:?}, not the title `{}`", h.title.text),
                    );
                }
            }
            // Enum bookkeeping: the enclosing type and one value's name; nothing to model.
            "contained by" | "name" => {}
            _ => self.warn(seg.start, format!("unknown field `:{name}:` ignored")),
        }
        Ok(())
    }

    fn version(&mut self, label: &str, offset: usize) -> Option<Version> {
        let v = Version::parse(label);
        if v.is_none() {
            self.warn(
                offset,
                format!("`{label}` is not a version label; since left unset"),
            );
        }
        v
    }

    fn skip_section(&mut self) {
        while self.peek().is_some_and(|s| s.underline.is_none()) {
            self.pos += 1;
        }
    }

    /// The items of a definition list of declarations (`Attributes`, `Attributes:`).
    fn entries(&mut self, ctx: Ctx, what: &str) -> Result<Vec<Item<'a>>, Diagnostic> {
        let mut items: Vec<Item<'a>> = Vec::new();
        let mut term: Option<usize> = None;
        while let Some(seg) = self.peek() {
            if seg.underline.is_some() {
                break;
            }
            self.pos += 1;
            let head = self
                .classify(ctx, seg)
                .filter(|(h, _)| !(h.is_term() && Self::deeper(seg, term)));
            match head {
                Some((Head::Entry(entry), len)) => {
                    term.get_or_insert(seg.indent.unwrap_or(0));
                    let mut item = Item {
                        seg,
                        privilege: entry.privilege,
                        entry,
                        pieces: Vec::new(),
                    };
                    item.pieces.extend(Self::rest(seg, len));
                    items.push(item);
                }
                Some((Head::BadEntry { off, expected }, _)) => {
                    return Err(self.bad_entry(seg, off, expected, what));
                }
                Some((Head::PropPrivilege(p), len)) if !items.is_empty() => {
                    let item = items.last_mut().expect("checked non-empty");
                    if let Some(old) = item.privilege.replace(p) {
                        let name = item.entry.name;
                        self.warn(
                            seg.start,
                            format!("second privilege for `{name}`: `{p}` replaces `{old}`"),
                        );
                    }
                    let item = items.last_mut().expect("checked non-empty");
                    item.pieces.extend(Self::rest(seg, len));
                }
                Some((Head::Target { .. }, len)) => self.target_line(seg, len),
                _ => match items.last_mut() {
                    Some(item) if Self::deeper(seg, term) || seg.indent.is_none() => {
                        item.pieces.push(Self::piece(seg))
                    }
                    _ => self.warn(
                        seg.start,
                        format!(
                            "unexpected line in {what} (expected `name (type):`): {}",
                            shorten(seg.text)
                        ),
                    ),
                },
            }
        }
        Ok(items)
    }

    fn bad_entry(&self, seg: Seg<'a>, off: usize, expected: &str, what: &str) -> Diagnostic {
        let at = seg.start + off.min(seg.text.len());
        let found = match seg.text.get(off..) {
            Some(t) if !t.is_empty() => t,
            _ if self.pos >= self.segs.len() => "end of document",
            _ => "end of line",
        };
        self.error(
            at,
            format!("malformed declaration `{}` in {what}", shorten(seg.text)),
        )
        .expected(expected)
        .found(found)
    }

    fn mo_attributes(&mut self, body: &mut Body) -> Result<(), Diagnostic> {
        let items = self.entries(Ctx::MoAttrs, "Attributes")?;
        let mut seen = HashSet::new();
        for item in items {
            let e = &item.entry;
            if !seen.insert(e.name) {
                return Err(self.duplicate(item.seg, "property", e.name));
            }
            let ty = self.type_ref(item.seg, e.ty)?;
            self.unknown_modifiers(item.seg, e);
            body.properties.push(Property {
                name: e.name.to_string(),
                ty: Some(ty),
                optional: e.optional.then_some(true),
                privilege: item.privilege.map(str::to_string),
                since: e.since.and_then(|l| self.version(l, item.seg.start)),
                description: self.describe(&item.pieces),
                http: None,
                source: self.src.loc(item.seg.start),
                origin: Default::default(),
            });
        }
        Ok(())
    }

    fn data_attributes(
        &mut self,
        body: &mut Body,
        rest: Option<Piece<'a>>,
    ) -> Result<(), Diagnostic> {
        if let Some(p) = rest {
            // Only possible in a malformed normal-layout line; collapsed splits here.
            let at = self.segs[self.pos - 1].start;
            self.warn(
                at,
                format!("unexpected text after `Attributes:`: {}", shorten(p.text)),
            );
        }
        let items = self.entries(Ctx::DataAttrs, "Attributes:")?;
        let mut seen = HashSet::new();
        for mut item in items {
            let e = item.entry.clone();
            if !seen.insert(e.name) {
                return Err(self.duplicate(item.seg, "attribute", e.name));
            }
            let ty = self.type_ref(item.seg, e.ty)?;
            self.unknown_modifiers(item.seg, &e);
            // The fault spelling `name (type): is optional.`
            let mut optional = e.optional;
            if let Some(first) = item.pieces.first_mut() {
                if let Some(r) = first.text.strip_prefix("is optional.") {
                    optional = true;
                    first.text = r.trim_start();
                }
            }
            body.fields.push(Field {
                name: e.name.to_string(),
                ty: Some(ty),
                optional: Some(optional),
                secret: false,
                since: e.since.and_then(|l| self.version(l, item.seg.start)),
                description: self.describe(&item.pieces),
                source: self.src.loc(item.seg.start),
            });
        }
        Ok(())
    }

    fn unknown_modifiers(&mut self, seg: Seg<'a>, e: &Entry<'a>) {
        for m in &e.unknown {
            self.warn(
                seg.start,
                format!("unknown modifier `{m}` on `{}` ignored", e.name),
            );
        }
    }

    fn duplicate(&self, seg: Seg<'a>, what: &str, name: &str) -> Diagnostic {
        self.error(seg.start, format!("{what} `{name}` is documented twice"))
            .expected(format!("each {what} once"))
            .found(seg.text)
    }

    /// Resolves a declared type: Python names map to vmodl primitives; anything else must
    /// be a hyperlink target of the page.
    fn type_ref(&self, seg: Seg<'a>, ty: TySpec<'a>) -> Result<TypeRef, Diagnostic> {
        let name = match TypeRef::primitive(ty.name) {
            Some(p) => p.to_string(),
            None => {
                self.check_type_name(ty.name, seg.start + ty.off)?;
                ty.name.to_string()
            }
        };
        Ok(TypeRef {
            name,
            array: ty.array,
        })
    }

    fn check_type_name(&self, name: &str, offset: usize) -> Result<(), Diagnostic> {
        if TypeRef::primitive(name).is_some() {
            return Ok(());
        }
        if !self.targets.contains_key(name) {
            return Err(self
                .error(offset, format!("unknown type reference `{name}`"))
                .expected(format!(
                    "a hyperlink target `.. _{name}: …` on the page, or a Python type"
                ))
                .found(format!("`{name}`_")));
        }
        if TypeRef::parse(name).is_none() {
            return Err(self
                .error(offset, format!("`{name}` is not a type name"))
                .expected("a qualified name such as `vim.Foo`")
                .found(name));
        }
        Ok(())
    }

    fn methods(&mut self, body: &mut Body) -> Result<(), Diagnostic> {
        let mut sig_indent: Option<usize> = None;
        let mut seen: HashSet<&str> = HashSet::new();
        while let Some(seg) = self.peek() {
            if seg.underline.is_some() {
                break;
            }
            self.pos += 1;
            let head = self
                .classify(Ctx::Methods, seg)
                .filter(|(h, _)| !Self::deeper(seg, sig_indent) || !h.is_term());
            match head {
                Some((Head::Signature { name, params }, len)) => {
                    sig_indent.get_or_insert(seg.indent.unwrap_or(0));
                    if !seen.insert(name) {
                        return Err(self.duplicate(seg, "method", name));
                    }
                    let m = self.method(seg, name, &params, len, sig_indent)?;
                    body.methods.push(m);
                }
                Some((Head::Target { .. }, len)) => self.target_line(seg, len),
                _ => self.warn(
                    seg.start,
                    format!(
                        "unexpected line in Methods (expected a signature `Name(args):`): {}",
                        shorten(seg.text)
                    ),
                ),
            }
        }
        Ok(())
    }

    fn method(
        &mut self,
        sig: Seg<'a>,
        name: &'a str,
        sig_params: &[&'a str],
        head_len: usize,
        sig_indent: Option<usize>,
    ) -> Result<Method, Diagnostic> {
        let mut part = Part::Body;
        let mut term: Option<usize> = None;
        let mut desc: Vec<Piece<'a>> = Self::rest(sig, head_len).into_iter().collect();
        let mut since = None;
        let mut privilege: Vec<Piece<'a>> = Vec::new();
        let mut params: Vec<Item<'a>> = Vec::new();
        let mut returns_seen: Option<Seg<'a>> = None;
        let mut ret_ty: Option<Option<TypeRef>> = None;
        let mut ret_desc: Vec<Piece<'a>> = Vec::new();
        let mut faults: Vec<(Seg<'a>, &'a str, Vec<Piece<'a>>)> = Vec::new();
        let mut consumed = 0;
        let mut blocks = HashSet::new();
        while let Some(seg) = self.peek() {
            if seg.underline.is_some() {
                break;
            }
            // The method's definition is indented deeper than its signature.
            if seg.indent.is_some() && !Self::deeper(seg, sig_indent) {
                break;
            }
            let head = self
                .classify(Ctx::Method(part), seg)
                .filter(|(h, _)| !(h.is_term() && Self::deeper(seg, term)));
            if let Some((Head::Signature { .. }, _)) = head {
                if seg.indent.is_none() {
                    break;
                }
            }
            self.pos += 1;
            consumed += 1;
            let (text_part, len) = match head {
                Some((Head::Since(label), len)) => {
                    if since.is_some() {
                        self.warn(
                            seg.start,
                            format!("second `since:` for `{name}`; the last one taken"),
                        );
                    }
                    since = self.version(label, seg.start);
                    (part, len)
                }
                Some((Head::Block(p), len)) => {
                    if !blocks.insert(p) {
                        self.warn(
                            seg.start,
                            format!("second {p:?} block in `{name}`; its content is merged"),
                        );
                    }
                    part = p;
                    term = None;
                    if p == Part::Returns {
                        returns_seen = Some(seg);
                    }
                    (part, len)
                }
                Some((Head::Entry(entry), len)) => {
                    term.get_or_insert(seg.indent.unwrap_or(0));
                    params.push(Item {
                        seg,
                        privilege: entry.privilege,
                        entry,
                        pieces: Self::rest(seg, len).into_iter().collect(),
                    });
                    continue;
                }
                Some((Head::BadEntry { off, expected }, _)) => {
                    return Err(self.bad_entry(
                        seg,
                        off,
                        expected,
                        &format!("the Args of `{name}`"),
                    ));
                }
                Some((Head::ReturnsNone, len)) => {
                    term.get_or_insert(seg.indent.unwrap_or(0));
                    ret_ty = Some(None);
                    part = Part::ReturnsDone;
                    (part, len)
                }
                Some((Head::ReturnsType(ty), len)) => {
                    term.get_or_insert(seg.indent.unwrap_or(0));
                    ret_ty = Some(Some(self.type_ref(seg, ty)?));
                    part = Part::ReturnsDone;
                    (part, len)
                }
                Some((Head::Fault(fault), len)) => {
                    term.get_or_insert(seg.indent.unwrap_or(0));
                    self.check_type_name(fault, seg.start)?;
                    faults.push((seg, fault, Self::rest(seg, len).into_iter().collect()));
                    continue;
                }
                Some((Head::Target { .. }, len)) => {
                    self.target_line(seg, len);
                    continue;
                }
                _ => (part, 0),
            };
            let Some(piece) = (if len == 0 {
                Some(Self::piece(seg))
            } else {
                Self::rest(seg, len)
            }) else {
                continue;
            };
            match text_part {
                Part::Body => desc.push(piece),
                Part::Privilege => privilege.push(piece),
                Part::Args => match params.last_mut() {
                    Some(p) => p.pieces.push(piece),
                    None => self.warn(
                        seg.start,
                        format!("unexpected text in the Args of `{name}`: {}", shorten(piece.text)),
                    ),
                },
                Part::Returns => self.warn(
                    seg.start,
                    format!("unexpected text in the Returns of `{name}` (expected `None` or `` `type`_: ``): {}", shorten(piece.text)),
                ),
                Part::ReturnsDone => ret_desc.push(piece),
                Part::Raises => match faults.last_mut() {
                    Some(f) => f.2.push(piece),
                    None => self.warn(
                        seg.start,
                        format!("unexpected text in the Raises of `{name}`: {}", shorten(piece.text)),
                    ),
                },
            }
        }
        if consumed == 0 && desc.is_empty() {
            let (at, found) = match self.peek() {
                Some(s) => (s.start, s.text),
                None => (self.src.text.trim_end().len(), "end of document"),
            };
            return Err(self
                .error(at, format!("method `{name}` has no body"))
                .expected("the method's description and its Privilege/Args/Returns blocks")
                .found(found));
        }

        let arg_names: Vec<&str> = params.iter().map(|p| p.entry.name).collect();
        if arg_names != sig_params {
            self.warn(
                sig.start,
                format!(
                    "signature of `{name}` lists ({}) but Args documents ({}); Args taken",
                    sig_params.join(", "),
                    arg_names.join(", ")
                ),
            );
        }
        let mut seen = HashSet::new();
        let mut out_params = Vec::with_capacity(params.len());
        for item in &params {
            let e = &item.entry;
            if !seen.insert(e.name) {
                return Err(self.duplicate(item.seg, "parameter", e.name));
            }
            let ty = self.type_ref(item.seg, e.ty)?;
            self.unknown_modifiers(item.seg, e);
            out_params.push(Param {
                name: e.name.to_string(),
                ty: Some(ty),
                optional: Some(e.optional),
                secret: false,
                since: e.since.and_then(|l| self.version(l, item.seg.start)),
                description: self.describe(&item.pieces),
                source: self.src.loc(item.seg.start),
                origin: Default::default(),
            });
        }
        let returns = match (returns_seen, ret_ty) {
            (_, Some(ty)) => Some(Returns {
                ty,
                optional: false,
                secret: false,
                description: self.describe(&ret_desc),
            }),
            (Some(seg), None) => {
                self.warn(
                    seg.start,
                    format!("the Returns block of `{name}` names no type; return left unknown"),
                );
                None
            }
            (None, None) => None,
        };
        let privilege = privilege
            .iter()
            .flat_map(|p| p.text.split_whitespace())
            .collect::<Vec<_>>()
            .join(" ");
        let privilege = (!privilege.is_empty()).then_some(privilege);
        let faults = faults
            .into_iter()
            .map(|(seg, fault, pieces)| FaultRef {
                name: fault.to_string(),
                description: self.describe(&pieces),
                source: self.src.loc(seg.start),
            })
            .collect();
        let description = self.describe(&desc);
        let deprecated = description.as_deref().and_then(deprecation);
        Ok(Method {
            name: name.to_string(),
            params: out_params,
            returns,
            privilege,
            since,
            faults,
            description,
            deprecated,
            http: None,
            source: self.src.loc(sig.start),
            request_type: None,
            origin: Default::default(),
        })
    }

    fn values(&mut self, body: &mut Body) {
        if self.collapsed {
            if let Some(seg) = self.peek().filter(|s| s.underline.is_none()) {
                self.warn(
                    seg.start,
                    "enum values cannot be told from their descriptions in a whitespace-collapsed document; values left out".to_string(),
                );
            }
            self.skip_section();
            return;
        }
        let mut term: Option<usize> = None;
        let mut current: Option<(Seg<'a>, Vec<Piece<'a>>)> = None;
        let mut seen = HashSet::new();
        let mut done = Vec::new();
        while let Some(seg) = self.peek() {
            if seg.underline.is_some() {
                break;
            }
            self.pos += 1;
            if Self::deeper(seg, term) {
                if let Some((_, pieces)) = current.as_mut() {
                    pieces.push(Self::piece(seg));
                }
                continue;
            }
            term.get_or_insert(seg.indent.unwrap_or(0));
            if seg.text.contains(char::is_whitespace) {
                self.warn(
                    seg.start,
                    format!("enum value `{}` contains whitespace", seg.text),
                );
            }
            if !seen.insert(seg.text) {
                self.warn(
                    seg.start,
                    format!("enum value `{}` is listed twice; first kept", seg.text),
                );
                done.extend(current.take());
                continue;
            }
            done.extend(current.replace((seg, Vec::new())));
        }
        done.extend(current);
        for (seg, pieces) in done {
            body.values.push(EnumValue {
                name: seg.text.to_string(),
                description: self.describe(&pieces),
            });
        }
    }

    fn build(&mut self, h: Header<'a>, body: Body) -> Model {
        let name = h.title.text.to_string();
        let wire_name = wire_name_of(&name);
        let mut description = self.describe(&h.pieces);
        if h.deprecated {
            description = Some(match description {
                Some(d) => format!("{d}\n\nDeprecated."),
                None => "Deprecated.".to_string(),
            });
        }
        let source = self.src.loc(h.title.start);
        let mut model = Model::default();
        let kinds = [body.managed, body.is_enum, body.data]
            .iter()
            .filter(|k| **k)
            .count();
        if kinds > 1 {
            self.warn(
                h.title.start,
                "the page mixes managed-object, enum and data-object sections; classified by the first of those".to_string(),
            );
        }
        if body.managed {
            model.managed_objects.push(ManagedObject {
                name,
                wire_name,
                base: h.base,
                description,
                since: h.since,
                properties: body.properties,
                methods: body.methods,
                source,
            });
        } else if body.is_enum {
            if let Some(base) = &h.base {
                self.warn(
                    h.title.start,
                    format!("enum extends `{base}`; base ignored"),
                );
            }
            model.enums.push(EnumType {
                name,
                wire_name,
                description,
                since: h.since,
                values: body.values,
                source,
            });
        } else {
            if !body.data {
                self.warn(
                    h.title.start,
                    "no Attributes, Methods or values section; taken as a data type without fields"
                        .to_string(),
                );
            }
            model.data_types.push(DataType {
                name,
                wire_name,
                base: h.base,
                description,
                since: h.since,
                fields: body.fields,
                source,
            });
        }
        model
    }

    /// Renders description pieces (see the module documentation).
    fn describe(&self, pieces: &[Piece<'_>]) -> Option<String> {
        describe(pieces, &self.targets)
    }
}

fn is_qualified(name: &str) -> bool {
    let mut parts = 0;
    for part in name.split('.') {
        if ident_len(part) != part.len() {
            return false;
        }
        parts += 1;
    }
    parts >= 2
}

// ---------------------------------------------------------------------------------------
// Descriptions
// ---------------------------------------------------------------------------------------

#[derive(PartialEq, Eq, Clone, Copy)]
enum BlockKind {
    Para,
    Item,
}

/// Joins description pieces: each line of the normal layout is a paragraph or a list item;
/// a collapsed piece is split into items at ` * `.
fn describe(pieces: &[Piece<'_>], targets: &HashMap<&str, &str>) -> Option<String> {
    let base = pieces.iter().find_map(|p| p.indent);
    let mut out = String::new();
    let mut prev: Option<BlockKind> = None;
    let mut emit = |kind: BlockKind, marker: &str, text: &str, indent: Option<usize>| {
        let text = normalise_ws(text);
        if text.is_empty() {
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
fn split_items(text: &str) -> Vec<String> {
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
fn list_marker(line: &str) -> (BlockKind, &str, &str) {
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
fn normalise_ws(s: &str) -> Cow<'_, str> {
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
fn render_inline(text: &str, targets: &HashMap<&str, &str>, out: &mut String) {
    let b = text.as_bytes();
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'`' {
            if let Some((content, end)) = reference(text, i) {
                out.push_str(&text[copied..i]);
                push_link(content, out);
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
                    push_link(name, out);
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

fn push_link(content: &str, out: &mut String) {
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
fn deprecation(desc: &str) -> Option<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapsed_splitting_recovers_logical_lines() {
        let text = ".. _str: https://x .. _vim.Foo: ../Foo.rst vim.Foo ======= A thing. \
                    Attributes ---------- name (`str`_): privilege: System.View The name. \
                    Methods ------- Do(x): Does it. Privilege: System.View Args: x (`str`_, optional): \
                    The x. Returns: None";
        let segs = split_collapsed(text);
        let texts: Vec<&str> = segs.iter().map(|s| s.text).collect();
        assert_eq!(
            texts,
            [
                ".. _str: https://x",
                ".. _vim.Foo: ../Foo.rst",
                "vim.Foo",
                "A thing.",
                "Attributes",
                "name (`str`_):",
                "privilege: System.View The name.",
                "Methods",
                "Do(x): Does it.",
                "Privilege: System.View",
                "Args:",
                "x (`str`_, optional): The x.",
                "Returns:",
                "None",
            ]
        );
    }

    #[test]
    fn inline_markup() {
        let mut targets = HashMap::new();
        targets.insert("vmodl.DynamicData", "x");
        let mut out = String::new();
        render_inline(
            "See `Login`_ and `docs <https://x.y/z>`_, a `str`_ value, vmodl.DynamicData_. and foo_bar_",
            &targets,
            &mut out,
        );
        assert_eq!(
            out,
            "See [[Login]] and [docs](https://x.y/z), a str value, [[vmodl.DynamicData]]. and foo_bar_"
        );
    }

    #[test]
    fn deprecation_sentences() {
        assert_eq!(
            deprecation("Does it. Deprecated as of vSphere API 5.0. Use Other.").as_deref(),
            Some("Deprecated as of vSphere API 5.0.")
        );
        assert_eq!(deprecation("Deprecated.").as_deref(), Some("Deprecated."));
        assert_eq!(deprecation("This is not deprecated at all."), None);
    }
}
