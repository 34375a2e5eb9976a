//! Type documents of the OpenAPI-Generator Markdown (`docs/<Type>.md` of the VI/JSON Python
//! client): data objects, faults, enums, boxed `Any` wrappers and `…RequestType` bodies.
//!
//! Layout: a bare `# Name` title, a description paragraph, `## Properties` with a
//! `Name | Type | Description | Notes` table (`**snake_name** | **str** or
//! [**List[Type]**](Type.md) | text | [optional]`), an `## Example` (client code, ignored)
//! and the back-links line. What the documents state and what this parser makes of it:
//!
//! * Field names are the client's snake_case; the field's name is the lowerCamelCase
//!   guess ([`snake_to_lower_camel`]), `var_`-escaped Python words unescaped.
//! * `***Since:*** vSphere API 6.7` inside a description is the type's or field's since;
//!   the rest of the text (deprecation notes, privileges) is kept as the description.
//! * Bases are not stated (allOf is flattened) and only own fields are listed (a fault such
//!   as `InvalidLogin` lists none of `MethodFault`'s), so `base` stays unknown.
//! * `XEnum` documents (an empty table, `Possible values: - \`a\`: …` in the description)
//!   are the enum `X`; references to `XEnum` mean `X`. A since ending the description is
//!   the enum's; a since inside a value's text stays in that text.
//! * A document `X` whose only field is `value` of the enum `X` ("A boxed *X_enum*") is
//!   the `Any` encoding of that enum, whose `_typeName` is the enum's own name: it adds no
//!   type (a data type `X` would clash with the enum `X`), so it yields an empty model.
//!   So are `ArrayOfX` (one `value` array of `X`) and `PrimitiveX` (one primitive `value`):
//!   the `Any` encodings of an array and of a primitive, which the runtime derives from the
//!   element type, not data types of their own.
//! * `ManagedObjectReference.md` documents the reference type itself, which the runtime
//!   provides: it yields an empty model; fields typed by it reference a managed object.
//! * Rows whose description holds unescaped `|` (an ASCII table in a description) are read
//!   from the row's text: the last `|` starts the notes cell.

use std::sync::OnceLock;

use regex::Regex;

use super::html::decode_entities;
use super::html::{replace_tags, tag_markup};
use super::markdown::{
    cached, check_row, first_line, found_at, header_is, is_identifier, plain, push_code, squash,
    Block, Inline, Row, Table,
};
use super::openapi_md::{
    children_of, is_marker, is_reference, reference_target, rendered_link, unescape,
};
use super::Parsed;
use crate::diag::{Diagnostic, SourceText};
use crate::model::{
    snake_to_lower_camel, DataType, EnumType, EnumValue, Field, Model, Primitive, TypeRef, Version,
    MANAGED_OBJECT_REFERENCE,
};

/// Column names of the properties table.
const PROPERTY_HEADER: &[&str] = &["Name", "Type", "Description", "Notes"];

/// Python spellings read wider than the primitive table's reading: the client writes `int`
/// for vmodl `int` and `long` and `float` for `float` and `double`, so a 64-bit type is the
/// one that holds every value. Sources that state the vmodl type (pyvmomi RST, VI/JSON
/// pages) outrank this format for `type` (see `reconcile::precedence`).
const PYTHON_WIDENED: &[(&str, Primitive)] =
    &[("int", Primitive::Long), ("float", Primitive::Double)];

/// Field names openapi-generator escapes as `var_<name>` (Python keywords and its own
/// reserved words).
const PYTHON_RESERVED: &[&str] = &[
    "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
    "else", "except", "false", "finally", "for", "from", "global", "if", "import", "in", "is",
    "lambda", "none", "nonlocal", "not", "or", "pass", "print", "property", "raise", "return",
    "schema", "self", "true", "try", "while", "with", "yield",
];

/// Whether a title names a type document: a bare identifier not ending in `Api`.
pub(super) fn is_type_title(title: &str) -> bool {
    is_identifier(title) && !title.ends_with("Api")
}

/// The vmodl primitive for a Python spelling (`str`, `List` elements), widened per
/// [`PYTHON_WIDENED`], otherwise through the primitive table.
pub(super) fn python_primitive(name: &str) -> Option<&'static str> {
    PYTHON_WIDENED
        .iter()
        .find(|(alias, _)| *alias == name)
        .map(|(_, p)| p.name())
        .or_else(|| TypeRef::primitive(name))
}

/// Parses a type document whose block tree is `blocks`.
pub(super) fn parse(src: &SourceText, blocks: &[Block]) -> Result<Parsed, Diagnostic> {
    let mut parser = TypeParser {
        src,
        warnings: Vec::new(),
    };
    let model = parser.document(blocks)?;
    Ok(Parsed {
        model,
        warnings: parser.warnings,
    })
}

/// State while reading one document.
struct TypeParser<'s> {
    src: &'s SourceText,
    warnings: Vec<Diagnostic>,
}

/// Rendered description text: text, code spans (enum values) and since markers.
#[derive(Clone, Debug)]
enum Seg {
    Text(String),
    Code(String),
    /// `***Since:***` at this offset; the version follows in the next text.
    Since(usize),
}

/// A description with its since-version taken out.
struct Described {
    text: Option<String>,
    since: Option<Version>,
}

impl<'s> TypeParser<'s> {
    fn error(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.src, self.src.pos(offset), message)
    }

    fn warn(&mut self, offset: usize, message: impl Into<String>) {
        let w = Diagnostic::warning(self.src, self.src.pos(offset), message);
        self.warnings.push(w);
    }

    fn warn_block(&mut self, block: &Block, context: &str) {
        let w = super::markdown::not_understood(self.src, block, context);
        self.warnings.push(w);
    }

    fn document(&mut self, blocks: &[Block]) -> Result<Model, Diagnostic> {
        let Some(Block::Heading { inlines, range, .. }) = blocks.first() else {
            unreachable!("dispatched on the title");
        };
        let name = squash(&plain(inlines));
        let title_at = range.start;
        let mut index = 1;
        let mut segs = Vec::new();
        while let Some(block) = blocks.get(index) {
            match block {
                Block::Heading { .. } => break,
                Block::Paragraph { inlines, .. } if is_back_links(inlines) => {}
                Block::Paragraph { inlines, .. } => {
                    if !segs.is_empty() {
                        segs.push(Seg::Text("\n\n".into()));
                    }
                    self.render(inlines, 0, &mut segs);
                }
                other => self.warn_block(other, "in the type description"),
            }
            index += 1;
        }
        let table = self.sections(&blocks[index..], &name, title_at)?;
        let fields = self.fields(table)?;
        let source = self.src.loc(title_at);
        let model = match name.strip_suffix("Enum") {
            Some(wire) if fields.is_empty() && !wire.is_empty() => Model {
                enums: vec![self.enum_type(wire, segs, source, title_at)],
                ..Model::default()
            },
            _ if is_boxed_enum(&name, &fields) || is_boxed_any(&name, &fields) => Model::default(),
            // The reference type itself (`type`, `value`): the runtime's, not a data type.
            _ if name == MANAGED_OBJECT_REFERENCE => Model::default(),
            _ => {
                let described = self.described(segs, &name);
                Model {
                    data_types: vec![DataType {
                        name: name.clone(),
                        wire_name: name,
                        base: None,
                        description: described.text,
                        since: described.since,
                        deprecated: None,
                        fields,
                        source,
                    }],
                    ..Model::default()
                }
            }
        };
        Ok(model)
    }

    /// The `## …` sections; returns the properties table.
    fn sections<'b>(
        &mut self,
        blocks: &'b [Block],
        name: &str,
        title_at: usize,
    ) -> Result<&'b Table, Diagnostic> {
        let src = self.src;
        let mut table = None;
        let mut index = 0;
        while let Some(Block::Heading { inlines, range, .. }) = blocks.get(index) {
            let end = blocks[index + 1..]
                .iter()
                .position(|b| matches!(b, Block::Heading { .. }))
                .map_or(blocks.len(), |p| index + 1 + p);
            let content = blocks[index + 1..end].iter().filter(
                |b| !matches!(b, Block::Paragraph { inlines, .. } if is_back_links(inlines)),
            );
            let title = squash(&plain(inlines));
            match title.as_str() {
                "Properties" => {
                    for block in content {
                        match block {
                            Block::Table(t)
                                if table.is_none() && header_is(&t.head, PROPERTY_HEADER) =>
                            {
                                table = Some(t)
                            }
                            other => self.warn_block(other, "in the properties section"),
                        }
                    }
                    if table.is_none() {
                        let at = blocks
                            .get(index + 1)
                            .map_or(src.text.len(), |b| b.range().start);
                        return Err(self
                            .error(at, "the properties section has no properties table")
                            .expected("a `Name | Type | Description | Notes` table")
                            .found(found_at(src, at)));
                    }
                }
                // Client code.
                "Example" => {}
                _ => self.warn(
                    range.start,
                    format!("section `{title}` was not understood and is left out"),
                ),
            }
            index = end;
        }
        table.ok_or_else(|| {
            self.error(
                title_at,
                format!("the type document `{name}` has no `## Properties` section"),
            )
            .expected("`## Properties` and its table")
            .found(found_at(src, title_at))
        })
    }

    fn fields(&mut self, table: &Table) -> Result<Vec<Field>, Diagnostic> {
        let mut fields: Vec<Field> = Vec::new();
        for row in &table.rows {
            let field = self.field(table, row)?;
            if fields.iter().any(|f| f.name == field.name) {
                return Err(self
                    .error(
                        row.range.start,
                        format!("field `{}` is listed twice", field.name),
                    )
                    .expected("each field listed once")
                    .found(first_line(&self.src.text[row.range.clone()])));
            }
            fields.push(field);
        }
        Ok(fields)
    }

    fn field(&mut self, table: &Table, row: &Row) -> Result<Field, Diagnostic> {
        static NAME: OnceLock<Regex> = OnceLock::new();
        let name_re = cached(&NAME, r"^[a-z][a-z0-9_]*$");
        let src = self.src;
        let overflow = overflow_description(src, row);
        if overflow.is_none() {
            check_row(src, &table.head, row, 3, 4)?;
        }
        let name_cell = &row.cells[0];
        let snake = squash(&plain(&name_cell.inlines));
        if !matches!(name_cell.inlines.as_slice(), [Inline::Strong(..)])
            || !name_re.is_match(&snake)
        {
            return Err(self
                .error(
                    name_cell.range.start,
                    "a property row does not name a field",
                )
                .expected("`**snake_case_name**`")
                .found(src.text[name_cell.range.clone()].trim()));
        }
        let ty = self.type_cell(row)?;
        let mut segs = Vec::new();
        let (notes, notes_at) = match overflow {
            Some((start, end, notes_at)) => {
                self.reparsed(start, end, &mut segs)?;
                (
                    src.text[notes_at..row_end(src, row)].trim().to_string(),
                    notes_at,
                )
            }
            None => {
                self.render(&row.cells[2].inlines, 0, &mut segs);
                let cell = &row.cells[3];
                (squash(&plain(&cell.inlines)), cell.range.start)
            }
        };
        let optional = match notes.as_str() {
            "" => Some(false),
            "[optional]" => Some(true),
            other => {
                self.warn(
                    notes_at,
                    format!("notes {other:?} were not understood; optional left unknown"),
                );
                None
            }
        };
        let described = self.described(segs, &snake);
        Ok(Field {
            name: wire_field_name(&snake),
            ty: Some(ty),
            optional,
            secret: false,
            since: described.since,
            deprecated: None,
            description: described.text,
            source: src.loc(row.range.start),
            origin: Default::default(),
        })
    }

    /// `**str**`, `**List[int]**`, `[**Type**](Type.md)`, `[**List[Type]**](Type.md)`.
    fn type_cell(&self, row: &Row) -> Result<TypeRef, Diagnostic> {
        let src = self.src;
        let cell = &row.cells[1];
        let bad = |message: &str| {
            self.error(cell.range.start, message.to_string())
                .expected("`**str**`, `**List[str]**`, `[**Type**](Type.md)` or `[**List[Type]**](Type.md)`")
                .found(src.text[cell.range.clone()].trim())
        };
        let text = squash(&plain(&cell.inlines));
        let (element, array) = match text.strip_prefix("List[").and_then(|t| t.strip_suffix(']')) {
            Some(inner) => (inner.trim(), true),
            None => (text.as_str(), false),
        };
        let name = match cell.inlines.as_slice() {
            [Inline::Strong(..)] => python_primitive(element)
                .ok_or_else(|| bad("a property's type is not a known Python type"))?
                .to_string(),
            [Inline::Link { dest, children, .. }]
                if matches!(children.as_slice(), [Inline::Strong(..)]) =>
            {
                if dest.strip_suffix(".md") != Some(element) || !is_identifier(element) {
                    return Err(bad(&format!(
                        "a property's type `{text}` links to `{dest}`"
                    )));
                }
                match (TypeRef::primitive(element), element.strip_suffix("Enum")) {
                    (Some(primitive), _) => primitive.to_string(),
                    (None, Some(wire)) if !wire.is_empty() => wire.to_string(),
                    _ => element.to_string(),
                }
            }
            _ => return Err(bad("a property's type cell is not a type")),
        };
        Ok(TypeRef { name, array })
    }

    /// Reads the description `start..end` of a row with unescaped `|` as its own paragraph.
    fn reparsed(
        &mut self,
        start: usize,
        end: usize,
        segs: &mut Vec<Seg>,
    ) -> Result<(), Diagnostic> {
        let sub = SourceText::new(self.src.path.clone(), &self.src.text[start..end]);
        let blocks = super::markdown::parse(&sub)?;
        for block in &blocks {
            match block {
                Block::Paragraph { inlines, .. } => self.render(inlines, start, segs),
                _ => self.warn(
                    start + block.range().start,
                    format!(
                        "{} in a description was not understood and is left out",
                        block.kind()
                    ),
                ),
            }
        }
        Ok(())
    }

    /// The enum `wire` from an `XEnum` document's description.
    fn enum_type(
        &mut self,
        wire: &str,
        segs: Vec<Seg>,
        source: crate::model::Loc,
        at: usize,
    ) -> EnumType {
        const MARK: &str = "Possible values:";
        let split = segs
            .iter()
            .position(|s| matches!(s, Seg::Text(t) if t.contains(MARK)));
        let Some(split) = split else {
            self.warn(
                at,
                format!("enum `{wire}` states no `{MARK}`; it has no values"),
            );
            let described = self.described(segs, wire);
            return EnumType {
                name: wire.into(),
                wire_name: wire.into(),
                description: described.text,
                since: described.since,
                values: Vec::new(),
                source,
            };
        };
        let mut head = segs;
        let mut tail = head.split_off(split);
        let Seg::Text(t) = &tail[0] else {
            unreachable!()
        };
        let (before, after) = t.split_once(MARK).expect("found above");
        head.push(Seg::Text(before.to_string()));
        tail[0] = Seg::Text(after.to_string());
        let mut described = self.described(head, wire);
        let (mut items, stray) = value_items(tail);
        if !squash(&stray).is_empty() {
            self.warn(
                at,
                format!(
                    "enum `{wire}`: text {:?} before the first value is left out",
                    squash(&stray)
                ),
            );
        }
        // A since ending the description is the enum's.
        if let Some((_, last)) = items.last_mut() {
            if let Some(version) = trailing_since(last) {
                if described.since.is_some() {
                    self.warn(
                        at,
                        format!("enum `{wire}` states two since-versions; the first is used"),
                    );
                } else {
                    described.since = Some(version);
                }
            }
        }
        let values = items
            .into_iter()
            .map(|(name, segs)| {
                let text = squash(&segs_text(&segs));
                let text = squash(text.strip_prefix(':').unwrap_or(&text));
                EnumValue {
                    name,
                    description: (!text.is_empty()).then_some(text),
                }
            })
            .collect();
        EnumType {
            name: wire.into(),
            wire_name: wire.into(),
            description: described.text,
            since: described.since,
            values,
            source,
        }
    }

    /// Text and since-version of a description (`what` names it in warnings).
    fn described(&mut self, segs: Vec<Seg>, what: &str) -> Described {
        let mut text = String::new();
        let mut since: Option<Version> = None;
        let mut pending: Option<usize> = None;
        for seg in segs {
            match seg {
                Seg::Since(at) => pending = Some(at),
                Seg::Code(t) => push_code(&t, &mut text),
                Seg::Text(t) => {
                    let Some(at) = pending.take() else {
                        text.push_str(&t);
                        continue;
                    };
                    match split_version(&t) {
                        Some((version, rest)) if since.is_none() => {
                            since = Some(version);
                            text.push_str(rest);
                        }
                        Some((version, rest)) => {
                            self.warn(
                                at,
                                format!("`{what}`: a second since-version {version} is left out"),
                            );
                            text.push_str(rest);
                        }
                        None => {
                            self.warn(
                                at,
                                format!(
                                    "`{what}`: {:?} is not a version label; kept as text",
                                    squash(&t)
                                ),
                            );
                            text.push_str("Since:");
                            text.push_str(&t);
                        }
                    }
                }
            }
        }
        if let Some(at) = pending {
            self.warn(at, format!("`{what}`: `Since:` without a version"));
        }
        let text = squash(&text);
        Described {
            text: (!text.is_empty()).then_some(text),
            since,
        }
    }

    /// Renders inline content; `base` is added to the ranges (for re-parsed text).
    fn render(&mut self, inlines: &[Inline], base: usize, out: &mut Vec<Seg>) {
        let push = |out: &mut Vec<Seg>, text: &str| match out.last_mut() {
            Some(Seg::Text(t)) => t.push_str(text),
            _ => out.push(Seg::Text(text.to_string())),
        };
        for inline in inlines {
            match inline {
                Inline::Text(text, _) => {
                    push(out, &replace_tags(&decode_entities(&unescape(text))))
                }
                Inline::Code(text, _) => out.push(Seg::Code(decode_entities(text))),
                Inline::Soft(_) => push(out, " "),
                Inline::Break(_) => push(out, "\n"),
                Inline::Emph(_, range) | Inline::Strong(_, range) if is_marker(inline) => {
                    let name = squash(&plain(children_of(inline)));
                    if name == "Since:" {
                        out.push(Seg::Since(base + range.start));
                    } else {
                        push(out, &name);
                    }
                }
                Inline::Emph(children, _) if is_reference(&plain(children)) => {
                    push(out, &format!("[[{}]]", reference_target(&plain(children))));
                }
                Inline::Emph(children, _) | Inline::Strong(children, _) => {
                    self.render(children, base, out)
                }
                Inline::Link {
                    dest,
                    children,
                    range,
                    ..
                } => {
                    let text = squash(&plain(children));
                    match rendered_link(dest, &text) {
                        Some(link) => push(out, &link),
                        None => {
                            self.warn(
                                base + range.start,
                                format!(
                                    "link target {dest:?} was not understood; kept its text only"
                                ),
                            );
                            push(out, &text);
                        }
                    }
                }
                // Markup of the documentation text (`<code>`, `<table>`): as markup, or
                // kept as written when it is no tag this parser knows.
                Inline::Html(html, _) => push(out, tag_markup(html).unwrap_or(html)),
                Inline::Other(what, range) => self.warn(
                    base + range.start,
                    format!("{what} in a description was not understood and is left out"),
                ),
            }
        }
    }
}

/// The `[[Back to Model list]](…) [[Back to API list]](…) …` navigation line.
fn is_back_links(inlines: &[Inline]) -> bool {
    plain(inlines).trim_start().starts_with("[Back to ")
}

/// Whether `fields` are those of the boxed form of the enum `name` (one `value` of `name`).
fn is_boxed_enum(name: &str, fields: &[Field]) -> bool {
    matches!(fields, [f] if f.name == "value" && f.ty == Some(TypeRef::scalar(name)))
}

/// Whether `fields` are those of an `ArrayOfX` or `PrimitiveX` wrapper (one `value`, an
/// array or a primitive).
fn is_boxed_any(name: &str, fields: &[Field]) -> bool {
    let [f] = fields else {
        return false;
    };
    let Some(ty) = f.ty.as_ref().filter(|_| f.name == "value") else {
        return false;
    };
    (name.starts_with("ArrayOf") && ty.array)
        || (name.starts_with("Primitive") && !ty.array && ty.is_primitive())
}

/// `var_from` → `from`; otherwise the lowerCamelCase guess.
fn wire_field_name(snake: &str) -> String {
    match snake.strip_prefix("var_") {
        Some(word) if PYTHON_RESERVED.contains(&word) => word.to_string(),
        _ => snake_to_lower_camel(snake),
    }
}

/// Where a row ends, trailing blanks excluded.
fn row_end(src: &SourceText, row: &Row) -> usize {
    row.range.start + src.text[row.range.clone()].trim_end().len()
}

/// For a row with more `|` than its header: the description's range and where its
/// notes start (after the row's last `|`, or the row's end when it closes with `|`).
fn overflow_description(src: &SourceText, row: &Row) -> Option<(usize, usize, usize)> {
    let end = row_end(src, row);
    let last = row.cells.iter().rev().find(|c| !c.padded)?;
    let rest = &src.text[last.range.end.min(end)..end];
    let extra = rest.strip_prefix('|').unwrap_or(rest).trim();
    if extra.is_empty() || extra == "|" || row.cells.len() < 4 {
        return None;
    }
    let start = row.cells[2].range.start;
    let bar = start + src.text[start..end].rfind('|')?;
    Some((start, bar, bar + 1))
}

/// Splits the values list after `Possible values:` into `(value, its segments)`, and the
/// text before the first value.
fn value_items(tail: Vec<Seg>) -> (Vec<(String, Vec<Seg>)>, String) {
    let mut items: Vec<(String, Vec<Seg>)> = Vec::new();
    let mut stray = String::new();
    for seg in tail {
        // A value starts with `` - `name` ``: a code span after a dash.
        let starts = |segs: &[Seg], stray: &str| match segs.last() {
            Some(Seg::Text(t)) => t.trim_end().ends_with('-'),
            None => stray.trim_end().ends_with('-'),
            _ => false,
        };
        let current: &[Seg] = items.last().map_or(&[], |(_, s)| s.as_slice());
        match seg {
            Seg::Code(name) if starts(current, &stray) => {
                match items.last_mut() {
                    Some((_, segs)) => strip_dash(segs),
                    None => {
                        let t = stray.trim_end();
                        stray = t[..t.len() - 1].to_string();
                    }
                }
                items.push((name, Vec::new()));
            }
            other => match items.last_mut() {
                Some((_, segs)) => segs.push(other),
                None => stray.push_str(&segs_text(&[other])),
            },
        }
    }
    (items, stray)
}

/// Drops the `-` that introduced the next value from the end of a value's text.
fn strip_dash(segs: &mut [Seg]) {
    if let Some(Seg::Text(t)) = segs.last_mut() {
        let trimmed = t.trim_end();
        *t = trimmed[..trimmed.len() - 1].to_string();
    }
}

/// Takes a `***Since:*** <version>` that ends a value's segments off them.
fn trailing_since(segs: &mut Vec<Seg>) -> Option<Version> {
    let n = segs.len();
    let [.., Seg::Since(_), Seg::Text(t)] = segs.as_slice() else {
        return None;
    };
    let (version, rest) = split_version(t)?;
    if !rest.trim().is_empty() {
        return None;
    }
    segs.truncate(n - 2);
    Some(version)
}

/// The text of segments, since markers written back as `Since:`.
fn segs_text(segs: &[Seg]) -> String {
    let mut out = String::new();
    for seg in segs {
        match seg {
            Seg::Text(t) | Seg::Code(t) => out.push_str(t),
            Seg::Since(_) => out.push_str("Since:"),
        }
    }
    out
}

/// ` vSphere API 6.7  Refers …` → the version and the rest.
fn split_version(text: &str) -> Option<(Version, &str)> {
    static LABEL: OnceLock<Regex> = OnceLock::new();
    let label = cached(
        &LABEL,
        r"^\s*((?:vSphere API|VI API)\s+\d+(?:\.\d+)*(?:u\d+)?)(?:\s|$)",
    );
    let c = label.captures(text)?;
    let m = c.get(1)?;
    Some((Version::parse(m.as_str())?, &text[m.end()..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_split_off() {
        let (v, rest) = split_version(" vSphere API 4.0  Refers to *Profile*.").unwrap();
        assert_eq!(v.label(), "vSphere API 4.0");
        assert_eq!(rest, "  Refers to *Profile*.");
        assert!(split_version(" vim disabled version").is_none());
        assert_eq!(
            split_version(" VI API 2.5u2").unwrap().0.label(),
            "VI API 2.5u2"
        );
    }

    #[test]
    fn field_names() {
        assert_eq!(wire_field_name("var_from"), "from");
        assert_eq!(wire_field_name("var_x"), "varX");
        assert_eq!(wire_field_name("crypto_manager"), "cryptoManager");
    }

    #[test]
    fn python_numbers_are_widened() {
        assert_eq!(python_primitive("int"), Some("long"));
        assert_eq!(python_primitive("float"), Some("double"));
        assert_eq!(python_primitive("str"), Some("string"));
        assert_eq!(python_primitive("bytearray"), Some("binary"));
        assert_eq!(python_primitive("UserSession"), None);
    }
}
