//! Structural tokens: what a segment is in its context (a heading, a field, an entry, a
//! signature, a block head) and the small scanners that tell.

/// Where in the document a segment is, which decides the tokens that can start it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ctx {
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
pub(super) enum Part {
    Body,
    Privilege,
    Args,
    Returns,
    ReturnsDone,
    Raises,
}

impl Ctx {
    /// The section a heading opens.
    pub(super) fn after_heading(title: &str, ch: u8) -> Ctx {
        match (title, ch) {
            ("Attributes", b'-') => Ctx::MoAttrs,
            ("Methods", b'-') => Ctx::Methods,
            ("values:", b'-') => Ctx::Values,
            _ => Ctx::Unknown,
        }
    }

    /// The context after a token.
    pub(super) fn after(self, head: &Head<'_>) -> Ctx {
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
pub(super) struct TySpec<'a> {
    pub(super) name: &'a str,
    pub(super) array: bool,
    /// Offset of the reference within the segment.
    pub(super) off: usize,
}

/// `name (type, modifiers):` in an attribute list or an `Args:` block.
#[derive(Clone, Debug)]
pub(super) struct Entry<'a> {
    pub(super) name: &'a str,
    pub(super) ty: TySpec<'a>,
    pub(super) optional: bool,
    pub(super) since: Option<&'a str>,
    pub(super) privilege: Option<&'a str>,
    pub(super) unknown: Vec<&'a str>,
}

/// What a segment starts with.
#[derive(Clone, Debug)]
pub(super) enum Head<'a> {
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
    pub(super) fn is_term(&self) -> bool {
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
pub(super) fn classify(
    ctx: Ctx,
    s: &str,
    line_start: bool,
    closes_after: bool,
) -> Option<(Head<'_>, usize)> {
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
pub(super) fn keyword(s: &str, kw: &str) -> bool {
    s.starts_with(kw) && boundary(s, kw.len())
}

/// Position `p` of `s` is the end or whitespace.
pub(super) fn boundary(s: &str, p: usize) -> bool {
    s.as_bytes().get(p).is_none_or(|b| b.is_ascii_whitespace())
}

pub(super) fn skip_ws(s: &str, mut p: usize) -> usize {
    while s.as_bytes().get(p).is_some_and(|b| b.is_ascii_whitespace()) {
        p += 1;
    }
    p
}

/// Length of the identifier at the start of `s` (0 if none).
pub(super) fn ident_len(s: &str) -> usize {
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

pub(super) fn word_len(s: &str) -> usize {
    s.find(|c: char| c.is_whitespace()).unwrap_or(s.len())
}

pub(super) fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'.'
}

/// A reference at `p`: `` `name`_ `` (or `__`) or `name_`. Returns the name and the end.
pub(super) fn reference(s: &str, p: usize) -> Option<(&str, usize)> {
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
pub(super) fn target(s: &str) -> Option<(Head<'_>, usize)> {
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
pub(super) fn field(s: &str) -> Option<(Head<'_>, usize)> {
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
pub(super) fn entry(s: &str, line_start: bool, closes_after: bool) -> Option<(Head<'_>, usize)> {
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

pub(super) const EXPECT_TYPE: &str = "a type reference such as `` `vim.Foo`_ `` or `` [`str`_] ``";

pub(super) fn parse_entry(s: &str, n: usize) -> Result<(Entry<'_>, usize), (usize, &'static str)> {
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

pub(super) fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// A type at `p`; also returns a `privilege:` written inside array brackets.
pub(super) type TyParse<'a> = (TySpec<'a>, Option<&'a str>, usize);

pub(super) fn tyspec(s: &str, p: usize) -> Result<TyParse<'_>, (usize, &'static str)> {
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
pub(super) fn prop_privilege(s: &str) -> Option<(Head<'_>, usize)> {
    let r = s.strip_prefix("privilege:")?;
    let p = skip_ws(s, s.len() - r.len());
    let w = word_len(&s[p..]);
    (w > 0).then(|| (Head::PropPrivilege(&s[p..p + w]), p + w))
}

/// `Name(a, b):`
pub(super) fn signature(s: &str) -> Option<(Head<'_>, usize)> {
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
pub(super) fn since(s: &str) -> Option<(Head<'_>, usize)> {
    let r = s.strip_prefix("since:")?;
    let p = skip_ws(s, s.len() - r.len());
    let (label, end) = reference(s, p)?;
    boundary(s, end).then_some((Head::Since(label), end))
}

pub(super) fn block_head(s: &str) -> Option<(Head<'_>, usize)> {
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
pub(super) fn returns_head(s: &str) -> Option<(Head<'_>, usize)> {
    if keyword(s, "None") {
        return Some((Head::ReturnsNone, 4));
    }
    let (ty, _, end) = tyspec(s, 0).ok()?;
    (s[end..].starts_with(':') && boundary(s, end + 1)).then_some((Head::ReturnsType(ty), end + 1))
}

/// `` `fault`_: `` after `Raises:`.
pub(super) fn fault_head(s: &str) -> Option<(Head<'_>, usize)> {
    if !s.starts_with('`') {
        return None;
    }
    let (name, end) = reference(s, 0)?;
    (s[end..].starts_with(':') && boundary(s, end + 1)).then_some((Head::Fault(name), end + 1))
}
