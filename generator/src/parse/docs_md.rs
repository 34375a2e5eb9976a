//! Parser for pyvmomi documentation converted to Markdown with tables
//! (`spec/docs/*.tables.md`).
//!
//! Layout of a document:
//!
//! * a setext title (`vim.SessionManager` underlined with `===`) and a description;
//! * a property table `| property | type | optional | priv | desc |`;
//! * per method, a setext heading `Login([userName](#string "string"), …)` whose link
//!   texts are the parameter names and link titles their types, an optional
//!   ` raises [vim.fault.X](…), …` line, a `| service name | … |` key/value table
//!   (`since version`, `privilege`, `return type`) and a `### Faults` table.
//!
//! The format has no method descriptions and does not say whether parameters are
//! optional; those facts stay `None`. An empty `return type` cell means "unknown", not void.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use super::common::{reporter_for, Reporter};
use super::html::{docs_text, tag_markup};
use super::markdown::BlockWarnings;
use super::markdown::{
    cached, check_row, first_line, found_at, header_is, inlines_of_slice, is_identifier, plain,
    push_code, squash, type_from, Block, Inline, Row, Table,
};
use super::Parsed;
use crate::diag::{Diagnostic, SourceText};
use crate::model::{
    wire_name_of, DataType, EnumType, EnumValue, FaultRef, Field, ManagedObject, Method, Model,
    Param, Property, Returns, TypeRef, Version,
};

/// Column names of the property table.
const PROPERTY_HEADER: &[&str] = &["property", "type", "optional", "priv", "desc"];
/// Column names of a fault's property table (no privilege, no description).
const FAULT_PROPERTY_HEADER: &[&str] = &["property", "type", "optional"];
/// Column names of an enum's value table in the enum collection.
const ENUM_HEADER: &[&str] = &["name", "description"];
/// Column names of a method's fault table.
const FAULT_HEADER: &[&str] = &["fault", "description"];
/// Rows every method's `service name` table must have.
const REQUIRED_KEYS: &[&str] = &["since version", "privilege", "return type"];

/// Parses one document of this format.
pub fn parse(src: &SourceText) -> Result<Parsed, Diagnostic> {
    let blocks = super::markdown::parse(src)?;
    let mut parser = DocsParser {
        src,
        type_name: String::new(),
        warnings: Vec::new(),
    };
    let model = if is_enum_collection(&blocks) {
        parser.enum_collection(&blocks)?
    } else {
        parser.document(&blocks)?
    };
    Ok(Parsed {
        model,
        warnings: parser.warnings,
    })
}

/// What the paragraphs and the property table before the first method say.
#[derive(Default)]
struct Preamble {
    /// Index of the first block after it.
    end: usize,
    description: Vec<String>,
    properties: Vec<Property>,
    /// `inherits from [vim.X](…)`.
    base: Option<String>,
    /// `as of [vSphere API 5.5](…)`.
    since: Option<Version>,
    /// Whether property names are anchors (`<a href='name'>name</a>`), as only managed
    /// objects' are.
    anchored: bool,
    /// A `### DEPRECATED` heading: the type is deprecated (the set says no more).
    deprecated: bool,
}

/// State while reading one document.
struct DocsParser<'s> {
    src: &'s SourceText,
    /// Qualified name of the documented type (target of same-page references).
    type_name: String,
    warnings: Vec<Diagnostic>,
}

/// What a property table says beyond its rows.
#[derive(Default)]
struct PropertyRows {
    /// Whether some property name is an anchor link.
    anchored: bool,
}

/// What a method's key/value table states.
struct ServiceTable {
    since: Option<Version>,
    privilege: Option<String>,
    returns: Option<TypeRef>,
}

reporter_for!(DocsParser);

impl<'s> DocsParser<'s> {
    /// One type's document: a managed object when it has methods or anchored properties,
    /// else a data object (faults and managed objects without either are told apart from
    /// data objects by their bases, once every document is read).
    fn document(&mut self, blocks: &[Block]) -> Result<Model, Diagnostic> {
        let (title, title_at) = self.title(blocks)?;
        self.type_name = title.clone();
        let pre = self.preamble(blocks)?;
        let methods = self.methods(blocks, pre.end)?;
        let description = (!pre.description.is_empty()).then(|| pre.description.join("\n\n"));
        let source = self.src.loc(title_at);
        if !methods.is_empty() || pre.anchored {
            return Ok(Model {
                managed_objects: vec![ManagedObject {
                    wire_name: wire_name_of(&title),
                    name: title,
                    base: pre.base,
                    description,
                    since: pre.since,
                    deprecated: pre.deprecated.then(|| "Deprecated.".to_string()),
                    properties: pre.properties,
                    methods,
                    source,
                }],
                ..Model::default()
            });
        }
        let fields = pre.properties.into_iter().map(field_of).collect();
        Ok(Model {
            data_types: vec![DataType {
                wire_name: wire_name_of(&title),
                name: title,
                base: pre.base,
                description,
                since: pre.since,
                deprecated: pre.deprecated.then(|| "Deprecated.".to_string()),
                fields,
                source,
            }],
            ..Model::default()
        })
    }

    /// The enum collection (`enums.md`): per enum a heading `<a name='vim.X.Y'>Y</a> - vim.X`,
    /// a description and a `| name | description |` table of its values.
    fn enum_collection(&mut self, blocks: &[Block]) -> Result<Model, Diagnostic> {
        let mut model = Model::default();
        let mut current: Option<EnumType> = None;
        for block in &blocks[1..] {
            match block {
                Block::Heading { inlines, range, .. } => {
                    model.enums.extend(current.take());
                    let Some(name) = anchor_name(inlines) else {
                        return Err(self
                            .error(range.start, "an enum heading does not name its enum")
                            .expected("`<a name='vim.X.Y'>Y</a> - vim.X`")
                            .found(first_line(&self.src.text[range.clone()])));
                    };
                    current = Some(EnumType {
                        wire_name: wire_name_of(&name),
                        name,
                        source: self.src.loc(range.start),
                        ..EnumType::default()
                    });
                }
                Block::Paragraph { inlines, range } => match current.as_mut() {
                    Some(e) if e.values.is_empty() => {
                        let text = self.describe(inlines);
                        e.description = text;
                    }
                    _ => self.warn(
                        range.start,
                        "text outside an enum's description is left out",
                    ),
                },
                Block::Table(table) if header_is(&table.head, ENUM_HEADER) => {
                    let Some(e) = current.as_mut() else {
                        return Err(self
                            .error(
                                table.head.range.start,
                                "a value table before any enum heading",
                            )
                            .expected("`<a name='vim.X.Y'>Y</a> - vim.X` underlined with `===`")
                            .found(first_line(&self.src.text[table.head.range.clone()])));
                    };
                    for row in &table.rows {
                        check_row(self.src, &table.head, row, 2, 2)?;
                        let name = squash(&plain(&row.cells[0].inlines));
                        let description = self.describe(&row.cells[1].inlines);
                        e.values.push(EnumValue { name, description });
                    }
                }
                other => self.warn_block(other, "in the enum collection"),
            }
        }
        model.enums.extend(current);
        Ok(model)
    }

    /// The `vim.Type` title and where it is.
    fn title(&self, blocks: &[Block]) -> Result<(String, usize), Diagnostic> {
        let src = self.src;
        let Some(first) = blocks.first() else {
            return Err(self
                .error(src.text.len(), "the document is empty")
                .expected("a `vim.Type` title underlined with `===`")
                .found("end of file"));
        };
        let (title, title_at) = match first {
            Block::Heading {
                level: 1,
                inlines,
                range,
            } => (squash(&plain(inlines)), range.start),
            other => {
                return Err(self
                    .error(
                        other.range().start,
                        "the document does not start with a type title",
                    )
                    .expected("a `vim.Type` title underlined with `===`")
                    .found(first_line(&src.text[other.range()])))
            }
        };
        if !is_qualified_name(&title) {
            return Err(self
                .error(title_at, "the title is not a qualified type name")
                .expected("a name such as `vim.SessionManager`")
                .found(&title));
        }
        Ok((title, title_at))
    }

    /// Description paragraphs and the property table before the first method: the index of
    /// the first method heading, the description paragraphs and the properties.
    fn preamble(&mut self, blocks: &[Block]) -> Result<Preamble, Diagnostic> {
        let mut pre = Preamble {
            end: 1,
            ..Preamble::default()
        };
        let mut property_lines: HashMap<String, u32> = HashMap::new();
        while let Some(block) = blocks.get(pre.end) {
            if matches!(block, Block::Heading { level, .. } if *level <= 2) {
                break;
            }
            match block {
                Block::Paragraph { inlines, range } => {
                    self.preamble_paragraph(inlines, range.start, &mut pre)
                }
                Block::Table(table)
                    if header_is(&table.head, PROPERTY_HEADER)
                        || header_is(&table.head, FAULT_PROPERTY_HEADER) =>
                {
                    let rows = self.properties(table, &mut pre.properties, &mut property_lines)?;
                    pre.anchored |= rows.anchored;
                }
                Block::Heading { inlines, .. }
                    if squash(&plain(inlines)).eq_ignore_ascii_case("deprecated") =>
                {
                    pre.deprecated = true
                }
                other => self.warn_block(other, "before the first method"),
            }
            pre.end += 1;
        }
        Ok(pre)
    }

    /// A paragraph before the first method: lines `inherits from [vim.X](…)` and `as of
    /// [vSphere API 5.5](…)` (the line's link is the fact), and description text.
    fn preamble_paragraph(&mut self, inlines: &[Inline], at: usize, pre: &mut Preamble) {
        let mut prose: Vec<Inline> = Vec::new();
        for line in inlines.split(|i| matches!(i, Inline::Soft(_) | Inline::Break(_))) {
            let text = squash(&plain(line));
            let link = line.iter().find_map(|i| match i {
                Inline::Link { children, .. } => Some(squash(&plain(children))),
                _ => None,
            });
            match (
                text.starts_with("inherits from "),
                text.starts_with("as of "),
                link,
            ) {
                (true, _, Some(base)) if is_qualified_name(&base) => pre.base = Some(base),
                (_, true, Some(label)) => match Version::parse(&label) {
                    Some(v) => pre.since = Some(v),
                    None => self.warn(
                        at,
                        format!("since-version {label:?} is not a version; left out"),
                    ),
                },
                _ => {
                    if !prose.is_empty() {
                        prose.push(Inline::Soft(at..at));
                    }
                    prose.extend_from_slice(line);
                }
            }
        }
        pre.description.extend(self.describe(&prose));
    }

    /// The methods from `index` on, one section per level-2 heading.
    fn methods(&mut self, blocks: &[Block], mut index: usize) -> Result<Vec<Method>, Diagnostic> {
        let src = self.src;
        let mut methods: Vec<Method> = Vec::new();
        let mut method_lines: HashMap<String, u32> = HashMap::new();
        while let Some(block) = blocks.get(index) {
            let Block::Heading {
                level,
                inlines,
                range,
            } = block
            else {
                // Only headings stop the preamble loop and the section scan below.
                self.warn_block(block, "between methods");
                index += 1;
                continue;
            };
            let heading = || first_line(&src.text[range.clone()]);
            if *level == 1 {
                return Err(self
                    .error(range.start, "a second type title in one document")
                    .expected("a method heading underlined with `---`")
                    .found(heading()));
            }
            let end = blocks[index + 1..]
                .iter()
                .position(|b| matches!(b, Block::Heading { level, .. } if *level <= 2))
                .map_or(blocks.len(), |p| index + 1 + p);
            let next_offset = blocks.get(end).map_or(src.text.len(), |b| b.range().start);
            let method =
                self.method(inlines, range.clone(), &blocks[index + 1..end], next_offset)?;
            if let Some(line) = method_lines.get(&method.name) {
                let message = format!(
                    "method `{}` is documented twice (first at line {line})",
                    method.name
                );
                return Err(self
                    .error(range.start, message)
                    .expected("each method documented once")
                    .found(heading()));
            }
            method_lines.insert(method.name.clone(), method.source.line);
            methods.push(method);
            index = end;
        }
        Ok(methods)
    }

    fn properties(
        &mut self,
        table: &Table,
        out: &mut Vec<Property>,
        seen: &mut HashMap<String, u32>,
    ) -> Result<PropertyRows, Diagnostic> {
        let src = self.src;
        let columns = table.head.cells.len();
        let mut rows = PropertyRows::default();
        for row in &table.rows {
            let overflow = overflowing_last_cell(src, &table.head, row, columns - 1)
                .filter(|_| columns == PROPERTY_HEADER.len());
            if overflow.is_none() {
                check_row(src, &table.head, row, columns, columns)?;
            }
            let cells = &row.cells;
            rows.anchored |= matches!(cells[0].inlines.as_slice(), [Inline::Link { .. }]);
            let name = squash(&plain(&cells[0].inlines));
            if !is_identifier(&name) {
                self.warn(
                    cells[0].range.start,
                    format!(
                        "property row without a property name is left out: {:?}",
                        first_line(&src.text[row.range.clone()])
                    ),
                );
                continue;
            }
            let line = src.pos(row.range.start).line;
            if let Some(first) = seen.get(&name) {
                return Err(self
                    .error(
                        cells[0].range.start,
                        format!("property `{name}` is documented twice (first at line {first})"),
                    )
                    .expected("each property listed once")
                    .found(first_line(&src.text[row.range.clone()])));
            }
            seen.insert(name.clone(), line);
            let ty = self.cell_type(
                &cells[1].inlines,
                cells[1].range.start,
                &format!("property `{name}`"),
            );
            let optional_text = squash(&plain(&cells[2].inlines));
            let optional = match optional_text.as_str() {
                "true" => Some(true),
                "false" => Some(false),
                // `None` is how the converter writes "not stated".
                "None" | "" => None,
                other => {
                    self.warn(
                        cells[2].range.start,
                        format!("property `{name}`: optional value {other:?} is not `true`, `false` or `None`; left unknown"),
                    );
                    None
                }
            };
            let privilege = cells
                .get(3)
                .map(|c| squash(&plain(&c.inlines)))
                .filter(|p| p != "None")
                .and_then(non_empty);
            let description = match overflow {
                Some((start, end)) => {
                    let (inlines, others) = inlines_of_slice(src, start, end)?;
                    for (kind, at) in others {
                        self.warn(
                            at,
                            format!("{kind} in a description was not understood and is left out"),
                        );
                    }
                    self.describe(&inlines)
                }
                None => cells.get(4).and_then(|c| self.describe(&c.inlines)),
            };
            out.push(Property {
                name,
                ty,
                optional,
                privilege,
                since: None,
                deprecated: None,
                description,
                http: None,
                source: src.loc(row.range.start),
                origin: Default::default(),
            });
        }
        Ok(rows)
    }

    /// A type written in a table cell: a link (`[vim.UserSession](…)`) or a bare name (`string`).
    fn cell_type(&mut self, inlines: &[Inline], offset: usize, what: &str) -> Option<TypeRef> {
        let text = squash(&plain(inlines));
        if text.is_empty() || text == "None" {
            return None;
        }
        let ty = type_from(&text);
        if ty.is_none() {
            self.warn(
                offset,
                format!("{what}: {text:?} is not a type reference; type left unknown"),
            );
        }
        ty
    }

    fn method(
        &mut self,
        heading: &[Inline],
        range: Range<usize>,
        body: &[Block],
        next_offset: usize,
    ) -> Result<Method, Diagnostic> {
        let src = self.src;
        let (name, params) = self.signature(heading, range.clone())?;
        let mut raises: Vec<FaultRef> = Vec::new();
        let mut service: Option<ServiceTable> = None;
        let mut table_faults: Option<Vec<FaultRef>> = None;
        let mut deprecated: Option<String> = None;
        // What stands where the service table should be, for the error when it is missing.
        let mut first_unexpected: Option<usize> = None;

        let mut index = 0;
        while let Some(block) = body.get(index) {
            index += 1;
            match block {
                Block::Rule(_) => {}
                Block::Paragraph { inlines, range } if starts_with_raises(inlines) => {
                    raises.extend(self.raises(inlines, range.clone()));
                }
                Block::Table(table)
                    if service.is_none() && table_key(&table.head) == "service name" =>
                {
                    service = Some(self.service_table(&name, table)?);
                }
                Block::Heading {
                    level: 3, inlines, ..
                } if squash(&plain(inlines)).eq_ignore_ascii_case("faults") => {
                    match body.get(index) {
                        Some(Block::Table(table)) if header_is(&table.head, FAULT_HEADER) => {
                            index += 1;
                            let faults = self.fault_table(table)?;
                            match &mut table_faults {
                                Some(existing) => existing.extend(faults),
                                None => table_faults = Some(faults),
                            }
                        }
                        _ => {
                            let msg = format!("method `{name}`: `### Faults` heading without a `| fault | description |` table");
                            self.warn(block.range().start, msg);
                        }
                    }
                }
                // `### Deprecated` and a paragraph: the deprecation note.
                Block::Heading {
                    level: 3, inlines, ..
                } if squash(&plain(inlines)).eq_ignore_ascii_case("deprecated") => {
                    match body.get(index) {
                        Some(Block::Paragraph { inlines, .. }) => {
                            index += 1;
                            deprecated = self.describe(inlines);
                        }
                        _ => {
                            let msg = format!(
                                "method `{name}`: `### Deprecated` heading without a paragraph"
                            );
                            self.warn(block.range().start, msg);
                        }
                    }
                }
                other => {
                    first_unexpected.get_or_insert(other.range().start);
                    let context = format!("in the section of method `{name}`");
                    self.warn_block(other, &context);
                }
            }
        }

        let Some(service) = service else {
            let at = first_unexpected.unwrap_or(next_offset);
            return Err(self
                .error(at, format!("method `{name}` has no `service name` table"))
                .expected(format!(
                    "the `| service name | {name} |` table of the method"
                ))
                .found(found_at(src, at)));
        };

        // Faults: the table's (with descriptions), then any only named on the `raises` line.
        let mut faults = table_faults.unwrap_or_default();
        for fault in raises {
            if !faults.iter().any(|f| f.name == fault.name) {
                faults.push(fault);
            }
        }

        Ok(Method {
            name,
            params,
            returns: service.returns.map(|ty| Returns {
                ty: Some(ty),
                optional: false,
                secret: false,
                description: None,
            }),
            privilege: service.privilege,
            privilege_on: Default::default(),
            since: service.since,
            faults,
            description: None,
            deprecated,
            http: None,
            source: src.loc(range.start),
            request_type: None,
            task_result: None,
            origin: Default::default(),
        })
    }

    /// `Name([param](#type "type"), …)` → the name and the parameters.
    fn signature(
        &mut self,
        heading: &[Inline],
        range: Range<usize>,
    ) -> Result<(String, Vec<Param>), Diagnostic> {
        static SIGNATURE: OnceLock<Regex> = OnceLock::new();
        let signature = cached(
            &SIGNATURE,
            r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(\s*(?:\x01\s*(?:,\s*\x01\s*)*)?\)\s*$",
        );
        let src = self.src;
        let mut skeleton = String::new();
        let mut links = Vec::new();
        for inline in heading {
            match inline {
                Inline::Text(text, _) => skeleton.push_str(text),
                Inline::Link { .. } => {
                    skeleton.push('\u{1}');
                    links.push(inline);
                }
                other => {
                    let r = other.range();
                    return Err(self
                        .error(r.start, "unexpected markup in a method heading")
                        .expected("`Name([param](#type \"type\"), …)`")
                        .found(&src.text[r]));
                }
            }
        }
        let Some(captures) = signature.captures(&skeleton) else {
            return Err(self
                .error(
                    range.start,
                    "a method heading is not of the form `Name(params)`",
                )
                .expected("`Name([param](#type \"type\"), …)` underlined with `---`")
                .found(first_line(&src.text[range])));
        };
        let name = captures[1].to_string();
        let params = links
            .into_iter()
            .filter_map(|link| match link {
                Inline::Link {
                    title,
                    children,
                    range: link_range,
                    ..
                } => Some((title, children, link_range)),
                _ => None,
            })
            .map(|(title, children, at)| {
                self.signature_param(&name, title, children, at.clone(), range.start)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok((name, params))
    }

    /// One `[name](#type "type")` link of a method heading: a parameter with its type.
    fn signature_param(
        &self,
        method: &str,
        title: &str,
        children: &[Inline],
        link_range: Range<usize>,
        heading_at: usize,
    ) -> Result<Param, Diagnostic> {
        let src = self.src;
        let param = squash(&plain(children));
        let link_text = &src.text[link_range.clone()];
        if !is_identifier(&param) {
            return Err(self
                .error(
                    link_range.start,
                    format!("method `{method}`: parameter name {param:?} is not an identifier"),
                )
                .expected("`[name](#type \"type\")`")
                .found(link_text));
        }
        if title.trim().is_empty() {
            return Err(self
                .error(
                    link_range.start,
                    format!("method `{method}`: parameter `{param}` has no type"),
                )
                .expected(format!(
                    "a link title naming the type, as in `[{param}](#string \"string\")`"
                ))
                .found(link_text));
        }
        let Some(ty) = type_from(title) else {
            return Err(self
                .error(link_range.start, format!("method `{method}`: parameter `{param}` has an unknown type reference {title:?}"))
                .expected("a vmodl type name such as `string` or `vim.UserSession[]`")
                .found(link_text));
        };
        Ok(Param {
            name: param,
            ty: Some(ty),
            source: src.loc(heading_at),
            ..Param::default()
        })
    }

    /// ` raises [vim.fault.X](…), [vim.fault.Y](…)` → fault references without descriptions.
    fn raises(&mut self, inlines: &[Inline], range: Range<usize>) -> Vec<FaultRef> {
        let mut faults = Vec::new();
        for inline in inlines {
            match inline {
                Inline::Text(text, r) => {
                    let rest = text.trim().strip_prefix("raises").unwrap_or(text).trim();
                    if !rest.chars().all(|c| c == ',' || c.is_whitespace()) {
                        self.warn(
                            r.start,
                            format!("text {rest:?} on a `raises` line was not understood"),
                        );
                    }
                }
                Inline::Soft(_) | Inline::Break(_) => {}
                Inline::Link {
                    children, range: r, ..
                } => {
                    let name = squash(&plain(children));
                    if is_qualified_name(&name) {
                        faults.push(FaultRef {
                            name,
                            description: None,
                            source: self.src.loc(range.start),
                        });
                    } else {
                        self.warn(
                            r.start,
                            format!("{name:?} on a `raises` line is not a fault type name"),
                        );
                    }
                }
                other => {
                    let r = other.range();
                    let msg = format!(
                        "{:?} on a `raises` line was not understood",
                        &self.src.text[r.clone()]
                    );
                    self.warn(r.start, msg);
                }
            }
        }
        faults
    }

    fn service_table(&mut self, name: &str, table: &Table) -> Result<ServiceTable, Diagnostic> {
        let src = self.src;
        check_row(src, &table.head, &table.head, 2, 2)?;
        let service = squash(&plain(&table.head.cells[1].inlines));
        if service != name {
            let msg = format!(
                "method `{name}`: the service table names `{service}`; using the heading's name"
            );
            self.warn(table.head.cells[1].range.start, msg);
        }
        let mut seen: Vec<&'static str> = Vec::new();
        let mut result = ServiceTable {
            since: None,
            privilege: None,
            returns: None,
        };
        for row in &table.rows {
            check_row(src, &table.head, row, 2, 2)?;
            let key = squash(&plain(&row.cells[0].inlines)).to_ascii_lowercase();
            let value = &row.cells[1];
            let Some(known) = REQUIRED_KEYS.iter().copied().find(|k| *k == key) else {
                let msg =
                    format!("method `{name}`: row `{key}` of the service table was not understood");
                self.warn(row.range.start, msg);
                continue;
            };
            if seen.contains(&known) {
                let msg = format!("method `{name}`: row `{key}` repeated in the service table; the first one is used");
                self.warn(row.range.start, msg);
                continue;
            }
            seen.push(known);
            let text = squash(&plain(&value.inlines));
            match known {
                "since version" => {
                    result.since = match text.as_str() {
                        "" | "None" => None,
                        label => {
                            let version = Version::parse(label);
                            if version.is_none() {
                                let msg = format!("method `{name}`: {label:?} is not a version label; since left unknown");
                                self.warn(value.range.start, msg);
                            }
                            version
                        }
                    }
                }
                "privilege" => result.privilege = non_empty(text).filter(|p| p != "None"),
                _ => {
                    let what = format!("method `{name}` return type");
                    result.returns = self.cell_type(&value.inlines, value.range.start, &what);
                }
            }
        }
        if let Some(missing) = REQUIRED_KEYS.iter().find(|k| !seen.contains(k)) {
            let at = table_end(src, table);
            return Err(self
                .error(at, format!("the service table of method `{name}` is cut off: it has no `{missing}` row"))
                .expected(format!("a `| {missing} | … |` row"))
                .found(found_at(src, at)));
        }
        Ok(result)
    }

    fn fault_table(&mut self, table: &Table) -> Result<Vec<FaultRef>, Diagnostic> {
        let src = self.src;
        let mut faults: Vec<FaultRef> = Vec::new();
        for row in &table.rows {
            check_row(src, &table.head, row, 2, 2)?;
            let name = squash(&plain(&row.cells[0].inlines));
            if !is_qualified_name(&name) {
                let msg = format!(
                    "fault row {:?} does not name a fault type; left out",
                    first_line(&src.text[row.range.clone()])
                );
                self.warn(row.range.start, msg);
                continue;
            }
            if faults.iter().any(|f| f.name == name) {
                self.warn(
                    row.range.start,
                    format!("fault `{name}` listed twice; the first row is used"),
                );
                continue;
            }
            // Some rows repeat the fault's name as its "description": that says nothing.
            let description = self.describe(&row.cells[1].inlines).filter(|d| *d != name);
            faults.push(FaultRef {
                name,
                description,
                source: src.loc(row.range.start),
            });
        }
        Ok(faults)
    }

    /// Renders inline content as description text (see the crate's conventions).
    fn describe(&mut self, inlines: &[Inline]) -> Option<String> {
        let mut out = String::new();
        self.render(inlines, &mut out);
        non_empty(squash(&out))
    }

    fn render(&mut self, inlines: &[Inline], out: &mut String) {
        for inline in inlines {
            match inline {
                Inline::Text(text, _) => out.push_str(&docs_text(text)),
                Inline::Code(text, _) => push_code(text, out),
                Inline::Soft(_) => out.push(' '),
                Inline::Break(_) => out.push_str("\n\n"),
                Inline::Strong(children, _) => {
                    out.push_str("**");
                    self.render(children, out);
                    out.push_str("**");
                }
                Inline::Emph(children, _) => self.render(children, out),
                Inline::Link {
                    dest,
                    children,
                    range,
                    ..
                } => {
                    let text = squash(&plain(children));
                    match link_target(dest, &text, &self.type_name) {
                        Target::Reference(target) => {
                            out.push_str("[[");
                            out.push_str(&target);
                            out.push_str("]]");
                        }
                        Target::External => {
                            out.push_str(&format!("[{text}]({dest})"));
                        }
                        Target::Unknown => {
                            self.warn(
                                range.start,
                                format!(
                                    "link target {dest:?} was not understood; kept its text only"
                                ),
                            );
                            out.push_str(&text);
                        }
                    }
                }
                Inline::Html(html, range) => match tag_markup(html) {
                    Some(markup) => out.push_str(markup),
                    // `<hostname>`, `<uuid>`: a placeholder of the prose, not a tag.
                    None if is_placeholder(html) => out.push_str(html),
                    None => self.warn(
                        range.start,
                        format!("inline HTML {html:?} was not understood and is left out"),
                    ),
                },
                Inline::Other(what, range) => {
                    self.warn(
                        range.start,
                        format!("{what} in a description was not understood and is left out"),
                    );
                }
            }
        }
    }
}

/// Where a link in a description points.
enum Target {
    /// Another part of the API: rendered `[[target]]`.
    Reference(String),
    /// A web page: rendered `[text](url)`.
    External,
    /// Neither.
    Unknown,
}

/// `vim.fault.X.md` → `vim.fault.X`; `vim.SessionManager.md#cloneSession` (text
/// `CloneSession`) → `vim.SessionManager.CloneSession`; `#member` → `<this type>.member`.
fn link_target(dest: &str, text: &str, this_type: &str) -> Target {
    if ["http://", "https://", "mailto:", "ftp://"]
        .iter()
        .any(|p| dest.starts_with(p))
    {
        return Target::External;
    }
    let (file, anchor) = match dest.split_once('#') {
        Some((file, anchor)) => (file, Some(anchor)),
        None => (dest, None),
    };
    let file = file.rsplit('/').next().unwrap_or(file);
    let stem = if file.is_empty() {
        this_type
    } else if let Some(stem) = file.strip_suffix(".md") {
        stem
    } else {
        return Target::Unknown;
    };
    if stem.is_empty() || !stem.split('.').all(is_identifier) {
        return Target::Unknown;
    }
    match anchor.filter(|a| !a.is_empty() && *a != "None") {
        None => Target::Reference(stem.to_string()),
        Some(anchor) if is_identifier(anchor) => {
            // The text names the member as the API does (`RetrieveServiceContent`); the
            // anchor is pyvmomi's spelling (`retrieveContent`).
            let member = if is_identifier(text) { text } else { anchor };
            Target::Reference(format!("{stem}.{member}"))
        }
        Some(_) => Target::Unknown,
    }
}

/// Whether a paragraph is a ` raises …` line.
fn starts_with_raises(inlines: &[Inline]) -> bool {
    matches!(inlines.first(), Some(Inline::Text(t, _)) if t.trim_start().starts_with("raises"))
}

/// The first header cell of a table, lower-cased.
fn table_key(head: &super::markdown::Row) -> String {
    head.cells
        .first()
        .map(|c| squash(&plain(&c.inlines)).to_ascii_lowercase())
        .unwrap_or_default()
}

/// Offset just after a table's last row (where a missing row would have been).
fn table_end(src: &SourceText, table: &Table) -> usize {
    let end = table.rows.last().map_or(table.range.end, |r| r.range.end);
    let text = &src.text[..end.min(src.text.len())];
    if text.ends_with('\n') {
        end
    } else {
        text.len()
    }
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// `vim.fault.InvalidLogin`: dot-separated identifiers.
fn is_qualified_name(s: &str) -> bool {
    !s.is_empty() && s.split('.').all(is_identifier)
}

/// For a row whose cell `last` (the header's last column) holds unescaped `|`, so that the
/// row has more cells than its header: where that cell's text starts and where it ends
/// (before the row's closing `|`). `None` for a row the header closes and it does not:
/// that row is cut off, not overflowing.
fn overflowing_last_cell(
    src: &SourceText,
    head: &Row,
    row: &Row,
    last: usize,
) -> Option<(usize, usize)> {
    let end = row.range.start + src.text[row.range.clone()].trim_end().len();
    let closed = src.text[..end].ends_with('|');
    if src.text[head.range.clone()].trim_end().ends_with('|') && !closed {
        return None;
    }
    let cell = row.cells.get(last).filter(|c| !c.padded)?;
    let rest = &src.text[cell.range.end.min(end)..end];
    if rest.strip_prefix('|').unwrap_or(rest).trim().is_empty() {
        return None;
    }
    let close = if closed { end - 1 } else { end };
    Some((cell.range.start, close))
}

/// A data object's field from a row of its property table.
fn field_of(p: Property) -> Field {
    Field {
        name: p.name,
        ty: p.ty,
        optional: p.optional,
        secret: false,
        since: p.since,
        deprecated: None,
        description: p.description,
        source: p.source,
        origin: Default::default(),
    }
}

/// Whether the document is the enum collection: its sections are headed by enum anchors
/// (one is enough; a heading without one is then an error).
fn is_enum_collection(blocks: &[Block]) -> bool {
    let mut headings = blocks.iter().skip(1).filter_map(|b| match b {
        Block::Heading { inlines, .. } => Some(inlines),
        _ => None,
    });
    headings.any(|h| anchor_name(h).is_some())
}

/// The qualified name in an enum heading `<a name='vim.X.Y'>Y</a> - vim.X`.
fn anchor_name(inlines: &[Inline]) -> Option<String> {
    static NAME: OnceLock<Regex> = OnceLock::new();
    let re = cached(&NAME, r#"^<a name=['"]([A-Za-z0-9_.]+)['"]>$"#);
    match inlines.first() {
        Some(Inline::Html(html, _)) => re
            .captures(html.trim())
            .map(|c| c[1].to_string())
            .filter(|n| is_qualified_name(n)),
        _ => None,
    }
}

/// Whether inline "HTML" is a placeholder the prose wrote in angle brackets (`<hostname>`,
/// `<messageCatalogKeyPrefix>`): one name, no attributes, no closing slash.
fn is_placeholder(html: &str) -> bool {
    html.strip_prefix('<')
        .and_then(|h| h.strip_suffix('>'))
        .is_some_and(|name| {
            name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
}

#[cfg(test)]
mod tests {
    use super::is_placeholder;

    #[test]
    fn placeholders_are_single_names_in_angle_brackets() {
        for p in ["<hostname>", "<messageCatalogKeyPrefix>", "<port-id>"] {
            assert!(is_placeholder(p), "{p}");
        }
        for h in ["<img src=\"x.gif\"/>", "</false>", "<>", "<1x>", "<a b>"] {
            assert!(!is_placeholder(h), "{h}");
        }
    }
}
