//! The parser proper: the title, the header fields, then the sections of a managed object,
//! a data type or an enum, each turned into model items.

use std::collections::{HashMap, HashSet};

use super::describe::*;
use super::segments::*;
use super::tokens::*;
use crate::diag::{Diagnostic, SourceText};
use crate::model::{
    wire_name_of, DataType, EnumType, EnumValue, FaultRef, Field, ManagedObject, Method, Model,
    Param, Property, Returns, TypeRef, Version,
};
use crate::parse::common::{reporter_for, shorten, Reporter};
use crate::parse::Parsed;

/// A piece of description text with the indentation of its line.
#[derive(Clone, Copy, Debug)]
pub(super) struct Piece<'a> {
    pub(super) text: &'a str,
    pub(super) indent: Option<usize>,
}

/// A definition-list item being collected: its term segment, head and definition.
pub(super) struct Item<'a> {
    pub(super) seg: Seg<'a>,
    pub(super) entry: Entry<'a>,
    pub(super) privilege: Option<&'a str>,
    pub(super) pieces: Vec<Piece<'a>>,
}

/// What a method's lines have said so far, block by block.
pub(super) struct MethodLines<'a> {
    /// The block the current line belongs to.
    part: Part,
    /// Indentation of the block's terms (entries, return type, faults).
    term: Option<usize>,
    desc: Vec<Piece<'a>>,
    since: Option<Version>,
    privilege: Vec<Piece<'a>>,
    params: Vec<Item<'a>>,
    returns_seen: Option<Seg<'a>>,
    ret_ty: Option<Option<TypeRef>>,
    ret_desc: Vec<Piece<'a>>,
    faults: Vec<(Seg<'a>, &'a str, Vec<Piece<'a>>)>,
    /// Blocks already seen (a second one is merged, with a warning).
    blocks: HashSet<Part>,
}

impl<'a> MethodLines<'a> {
    fn new(desc: Vec<Piece<'a>>) -> Self {
        MethodLines {
            part: Part::Body,
            term: None,
            desc,
            since: None,
            privilege: Vec::new(),
            params: Vec::new(),
            returns_seen: None,
            ret_ty: None,
            ret_desc: Vec::new(),
            faults: Vec::new(),
            blocks: HashSet::new(),
        }
    }
}

/// What the title and header say.
pub(super) struct Header<'a> {
    pub(super) title: Seg<'a>,
    pub(super) base: Option<String>,
    pub(super) since: Option<Version>,
    pub(super) deprecated: bool,
    pub(super) pieces: Vec<Piece<'a>>,
}

/// What the sections say.
#[derive(Default)]
pub(super) struct Body {
    pub(super) managed: bool,
    pub(super) data: bool,
    pub(super) is_enum: bool,
    pub(super) properties: Vec<Property>,
    pub(super) methods: Vec<Method>,
    pub(super) fields: Vec<Field>,
    pub(super) values: Vec<EnumValue>,
}

pub(super) struct Parser<'a> {
    pub(super) src: &'a SourceText,
    pub(super) segs: Vec<Seg<'a>>,
    pub(super) pos: usize,
    pub(super) collapsed: bool,
    /// Offset of the last `)` (collapsed layout: tells cut-off declarations from text).
    pub(super) last_close: Option<usize>,
    pub(super) targets: HashMap<&'a str, &'a str>,
    pub(super) warnings: Vec<Diagnostic>,
}

reporter_for!(Parser);

impl<'a> Parser<'a> {
    pub(super) fn new(src: &'a SourceText, segs: Vec<Seg<'a>>, collapsed: bool) -> Self {
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

    pub(super) fn run(mut self) -> Result<Parsed, Diagnostic> {
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
                deprecated: None,
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
                deprecated: None,
                description: self.describe(&item.pieces),
                source: self.src.loc(item.seg.start),
                origin: Default::default(),
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
        let mut acc = MethodLines::new(Self::rest(sig, head_len).into_iter().collect());
        let mut consumed = 0;
        while let Some(seg) = self.peek() {
            if seg.underline.is_some() {
                break;
            }
            // The method's definition is indented deeper than its signature.
            if seg.indent.is_some() && !Self::deeper(seg, sig_indent) {
                break;
            }
            let head = self
                .classify(Ctx::Method(acc.part), seg)
                .filter(|(h, _)| !(h.is_term() && Self::deeper(seg, acc.term)));
            if let Some((Head::Signature { .. }, _)) = head {
                if seg.indent.is_none() {
                    break;
                }
            }
            self.pos += 1;
            consumed += 1;
            let Some((text_part, len)) = self.method_head(&mut acc, seg, name, head)? else {
                continue;
            };
            let piece = if len == 0 {
                Some(Self::piece(seg))
            } else {
                Self::rest(seg, len)
            };
            if let Some(piece) = piece {
                self.method_text(&mut acc, seg, name, text_part, piece);
            }
        }
        if consumed == 0 && acc.desc.is_empty() {
            let (at, found) = match self.peek() {
                Some(s) => (s.start, s.text),
                None => (self.src.text.trim_end().len(), "end of document"),
            };
            return Err(self
                .error(at, format!("method `{name}` has no body"))
                .expected("the method's description and its Privilege/Args/Returns blocks")
                .found(found));
        }
        self.finish_method(sig, name, sig_params, acc)
    }

    /// Takes in a method line that starts with a token. Returns the block the rest of the
    /// line's text belongs to and where it starts, or `None` when the line is used up.
    fn method_head(
        &mut self,
        acc: &mut MethodLines<'a>,
        seg: Seg<'a>,
        name: &str,
        head: Option<(Head<'a>, usize)>,
    ) -> Result<Option<(Part, usize)>, Diagnostic> {
        let term_here = |acc: &mut MethodLines<'a>| {
            acc.term.get_or_insert(seg.indent.unwrap_or(0));
        };
        match head {
            Some((Head::Since(label), len)) => {
                if acc.since.is_some() {
                    self.warn(
                        seg.start,
                        format!("second `since:` for `{name}`; the last one taken"),
                    );
                }
                acc.since = self.version(label, seg.start);
                Ok(Some((acc.part, len)))
            }
            Some((Head::Block(p), len)) => {
                if !acc.blocks.insert(p) {
                    self.warn(
                        seg.start,
                        format!("second {p:?} block in `{name}`; its content is merged"),
                    );
                }
                acc.part = p;
                acc.term = None;
                if p == Part::Returns {
                    acc.returns_seen = Some(seg);
                }
                Ok(Some((acc.part, len)))
            }
            Some((Head::Entry(entry), len)) => {
                term_here(acc);
                acc.params.push(Item {
                    seg,
                    privilege: entry.privilege,
                    entry,
                    pieces: Self::rest(seg, len).into_iter().collect(),
                });
                Ok(None)
            }
            Some((Head::BadEntry { off, expected }, _)) => {
                Err(self.bad_entry(seg, off, expected, &format!("the Args of `{name}`")))
            }
            Some((Head::ReturnsNone, len)) => {
                term_here(acc);
                acc.ret_ty = Some(None);
                acc.part = Part::ReturnsDone;
                Ok(Some((acc.part, len)))
            }
            Some((Head::ReturnsType(ty), len)) => {
                term_here(acc);
                acc.ret_ty = Some(Some(self.type_ref(seg, ty)?));
                acc.part = Part::ReturnsDone;
                Ok(Some((acc.part, len)))
            }
            Some((Head::Fault(fault), len)) => {
                term_here(acc);
                self.check_type_name(fault, seg.start)?;
                acc.faults
                    .push((seg, fault, Self::rest(seg, len).into_iter().collect()));
                Ok(None)
            }
            Some((Head::Target { .. }, len)) => {
                self.target_line(seg, len);
                Ok(None)
            }
            _ => Ok(Some((acc.part, 0))),
        }
    }

    /// Adds a piece of text to the block it belongs to (warning where none can take it).
    fn method_text(
        &mut self,
        acc: &mut MethodLines<'a>,
        seg: Seg<'a>,
        name: &str,
        part: Part,
        piece: Piece<'a>,
    ) {
        let unexpected = |block: &str| {
            format!(
                "unexpected text in the {block} of `{name}`: {}",
                shorten(piece.text)
            )
        };
        match part {
            Part::Body => acc.desc.push(piece),
            Part::Privilege => acc.privilege.push(piece),
            Part::Args => match acc.params.last_mut() {
                Some(p) => p.pieces.push(piece),
                None => self.warn(seg.start, unexpected("Args")),
            },
            Part::Returns => self.warn(
                seg.start,
                format!("unexpected text in the Returns of `{name}` (expected `None` or `` `type`_: ``): {}", shorten(piece.text)),
            ),
            Part::ReturnsDone => acc.ret_desc.push(piece),
            Part::Raises => match acc.faults.last_mut() {
                Some(f) => f.2.push(piece),
                None => self.warn(seg.start, unexpected("Raises")),
            },
        }
    }

    /// The method from what its lines said.
    fn finish_method(
        &mut self,
        sig: Seg<'a>,
        name: &str,
        sig_params: &[&'a str],
        acc: MethodLines<'a>,
    ) -> Result<Method, Diagnostic> {
        let arg_names: Vec<&str> = acc.params.iter().map(|p| p.entry.name).collect();
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
        let params = self.method_params(&acc.params)?;
        let returns = match (acc.returns_seen, acc.ret_ty) {
            (_, Some(ty)) => Some(Returns {
                ty,
                optional: false,
                secret: false,
                description: self.describe(&acc.ret_desc),
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
        let privilege = acc
            .privilege
            .iter()
            .flat_map(|p| p.text.split_whitespace())
            .collect::<Vec<_>>()
            .join(" ");
        let faults = acc
            .faults
            .into_iter()
            .map(|(seg, fault, pieces)| FaultRef {
                name: fault.to_string(),
                description: self.describe(&pieces),
                source: self.src.loc(seg.start),
            })
            .collect();
        let description = self.describe(&acc.desc);
        Ok(Method {
            name: name.to_string(),
            params,
            returns,
            privilege: (!privilege.is_empty()).then_some(privilege),
            since: acc.since,
            faults,
            deprecated: description.as_deref().and_then(deprecation),
            description,
            source: self.src.loc(sig.start),
            ..Method::default()
        })
    }

    /// The parameters the Args block documents, in order; a name given twice is an error.
    fn method_params(&mut self, items: &[Item<'a>]) -> Result<Vec<Param>, Diagnostic> {
        let mut seen = HashSet::new();
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let e = &item.entry;
            if !seen.insert(e.name) {
                return Err(self.duplicate(item.seg, "parameter", e.name));
            }
            let ty = self.type_ref(item.seg, e.ty)?;
            self.unknown_modifiers(item.seg, e);
            out.push(Param {
                name: e.name.to_string(),
                ty: Some(ty),
                optional: Some(e.optional),
                since: e.since.and_then(|l| self.version(l, item.seg.start)),
                description: self.describe(&item.pieces),
                source: self.src.loc(item.seg.start),
                ..Param::default()
            });
        }
        Ok(out)
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
                deprecated: None,
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
                deprecated: None,
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

pub(super) fn is_qualified(name: &str) -> bool {
    let mut parts = 0;
    for part in name.split('.') {
        if ident_len(part) != part.len() {
            return false;
        }
        parts += 1;
    }
    parts >= 2
}
