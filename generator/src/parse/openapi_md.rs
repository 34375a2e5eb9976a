//! Parser for OpenAPI-Generator Markdown of the VI/JSON Python client
//! (`spec/docs/*.openapi.md`).
//!
//! Layout of a document:
//!
//! * a title `# vmware_vi.SessionManagerApi`, the base-URL line and an endpoint table
//!   (`Method | HTTP request | Description`) mapping operation ids to `**POST** /path`;
//! * per operation a `# **session_manager_login**` section: the signature
//!   `> UserSession session_manager_login(mo_id, login_request_type)`, a summary, a
//!   description carrying `***Since:***` and `***Required privileges:***` markers, an
//!   example (ignored), `### Parameters`, `### Return type`, authorization and header
//!   sections (ignored) and `### HTTP response details`, whose `500` row lists faults.
//!
//! `GET` operations read properties; the others are methods. Names are wire names and
//! come from the last path segment (`/SessionManager/{moId}/LoginBySSPI` → `LoginBySSPI`).
//! The only parameters the format shows are the managed object id and the request-body
//! object (`LoginRequestType`), whose fields it does not state, so methods get no params.
//!
//! Documents titled with a bare type name (`# ServiceContent`) are type documents, read by
//! `parse::openapi_types`.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use super::common::{reporter_for, Reporter};
use super::html::decode_entities;
use super::html::{replace_tags, tag_markup};
use super::markdown::BlockWarnings;
use super::markdown::{
    cached, check_row, first_line, found_at, header_is, is_identifier, plain, push_code, squash,
    Block, Inline, Row, Table,
};
use super::Parsed;
use crate::diag::{Diagnostic, SourceText};
use crate::model::{
    FaultRef, HttpBinding, ManagedObject, Method, Model, Property, Returns, TypeRef, Version,
};

/// Column names of the endpoint table.
const ENDPOINT_HEADER: &[&str] = &["Method", "HTTP request", "Description"];
/// Column names of an operation's parameter table.
const PARAM_HEADER: &[&str] = &["Name", "Type", "Description", "Notes"];
/// Column names of an operation's response table.
const RESPONSE_HEADER: &[&str] = &["Status code", "Description", "Response headers"];
/// Placeholder descriptions that say nothing.
const EMPTY_DESCRIPTIONS: &[&str] = &["OK", "No Content", "Failure", "-"];

/// Parses one document of this format.
pub fn parse(src: &SourceText) -> Result<Parsed, Diagnostic> {
    let blocks = super::markdown::parse(src)?;
    if let Some(Block::Heading { inlines, .. }) = blocks.first() {
        if super::openapi_types::is_type_title(&squash(&plain(inlines))) {
            return super::openapi_types::parse(src, &blocks);
        }
    }
    let mut parser = ApiParser {
        src,
        warnings: Vec::new(),
    };
    let managed = parser.document(&blocks)?;
    Ok(Parsed {
        model: Model {
            managed_objects: vec![managed],
            ..Model::default()
        },
        warnings: parser.warnings,
    })
}

/// State while reading one document.
struct ApiParser<'s> {
    src: &'s SourceText,
    warnings: Vec<Diagnostic>,
}

/// What precedes the first operation section.
struct Preamble {
    /// Index of the first operation heading.
    first_operation: usize,
    /// The endpoint table's rows.
    endpoints: Vec<Endpoint>,
    /// Each operation id's row.
    by_op: HashMap<String, usize>,
}

/// The members read so far, and the line each name was first documented at.
#[derive(Default)]
struct Members {
    methods: Vec<Method>,
    properties: Vec<Property>,
    names: HashMap<String, u32>,
}

/// One operation section: its heading text and range, its blocks, and where the next
/// section starts.
struct Section<'b> {
    op: String,
    range: std::ops::Range<usize>,
    body: &'b [Block],
    next_offset: usize,
}

/// A row of the endpoint table.
struct Endpoint {
    /// HTTP verb (`GET`, `POST`).
    verb: String,
    /// Path, e.g. `/SessionManager/{moId}/Login`.
    path: String,
    /// Member name: the path's last segment.
    name: String,
    /// The row's description.
    summary: Option<String>,
    /// Where the row is.
    offset: usize,
    /// Whether an operation section documents it.
    documented: bool,
}

/// What an operation section states.
struct Operation {
    /// Return type: `None` for void.
    returns: Option<TypeRef>,
    return_description: Option<String>,
    description: Option<String>,
    since: Option<Version>,
    privilege: Option<String>,
    deprecated: Option<String>,
    faults: Vec<FaultRef>,
    /// The request-body type named in the parameters table.
    request_type: Option<String>,
}

/// A piece of rendered text: plain text, or a `***Marker***` (`Since:`, a fault name).
enum Seg {
    Text(String),
    Marker(String, usize),
}

reporter_for!(ApiParser);

impl<'s> ApiParser<'s> {
    fn document(&mut self, blocks: &[Block]) -> Result<ManagedObject, Diagnostic> {
        let (name, title_at) = self.title(blocks)?;
        let Preamble {
            first_operation: mut index,
            mut endpoints,
            by_op,
        } = self.preamble(blocks, &name)?;
        // Operation sections, one per level-1 heading.
        let mut members = Members::default();
        let mut sections: HashMap<String, u32> = HashMap::new();
        while let Some(block) = blocks.get(index) {
            let Block::Heading { inlines, range, .. } = block else {
                // Sections end at level-1 headings, so this only follows the preamble.
                self.warn_block(block, "between operations");
                index += 1;
                continue;
            };
            let end = blocks[index + 1..]
                .iter()
                .position(|b| matches!(b, Block::Heading { level: 1, .. }))
                .map_or(blocks.len(), |p| index + 1 + p);
            let section = Section {
                op: squash(&plain(inlines)),
                range: range.clone(),
                body: &blocks[index + 1..end],
                next_offset: blocks
                    .get(end)
                    .map_or(self.src.text.len(), |b| b.range().start),
            };
            index = end;
            self.section(section, &mut sections, &mut endpoints, &by_op, &mut members)?;
        }
        self.undocumented(&endpoints, &mut members)?;
        Ok(ManagedObject {
            wire_name: name.clone(),
            name,
            properties: members.properties,
            methods: members.methods,
            source: self.src.loc(title_at),
            ..ManagedObject::default()
        })
    }

    /// The `# vmware_vi.XApi` title: the managed object's name and where the title is.
    fn title(&self, blocks: &[Block]) -> Result<(String, usize), Diagnostic> {
        static TITLE: OnceLock<Regex> = OnceLock::new();
        let title_re = cached(
            &TITLE,
            r"^(?:[A-Za-z_][A-Za-z0-9_]*\.)*([A-Za-z_][A-Za-z0-9_]*)Api$",
        );
        let src = self.src;
        let Some(first) = blocks.first() else {
            return Err(self
                .error(src.text.len(), "the document is empty")
                .expected("a `# <package>.<Type>Api` title")
                .found("end of file"));
        };
        let Block::Heading {
            level: 1,
            inlines,
            range: title_range,
        } = first
        else {
            return Err(self
                .error(
                    first.range().start,
                    "the document does not start with an API title",
                )
                .expected("a `# <package>.<Type>Api` title")
                .found(first_line(&src.text[first.range()])));
        };
        let title = squash(&plain(inlines));
        match title_re.captures(&title) {
            Some(c) => Ok((c[1].to_string(), title_range.start)),
            None => Err(self
                .error(title_range.start, "the title does not name an API class")
                .expected("a title such as `# vmware_vi.SessionManagerApi`")
                .found(&title)),
        }
    }

    /// The base URL line and the endpoint table before the first operation: the index of
    /// the first operation heading, the endpoints, and each operation's endpoint.
    fn preamble(&mut self, blocks: &[Block], name: &str) -> Result<Preamble, Diagnostic> {
        let mut index = 1;
        let mut endpoints: Vec<Endpoint> = Vec::new();
        let mut by_op: HashMap<String, usize> = HashMap::new();
        let mut have_table = false;
        while let Some(block) = blocks.get(index) {
            if matches!(block, Block::Heading { level: 1, .. }) {
                break;
            }
            match block {
                Block::Paragraph { inlines, .. }
                    if plain(inlines).starts_with("All URIs are relative to") => {}
                Block::Table(table) if header_is(&table.head, ENDPOINT_HEADER) => {
                    have_table = true;
                    self.endpoints(table, name, &mut endpoints, &mut by_op)?;
                }
                other => self.warn_block(other, "before the first operation"),
            }
            index += 1;
        }
        if !have_table {
            let src = self.src;
            let at = blocks
                .get(index)
                .map_or(src.text.len(), |b| b.range().start);
            return Err(self
                .error(at, "the document has no endpoint table")
                .expected("the `Method | HTTP request | Description` table")
                .found(found_at(src, at)));
        }
        Ok(Preamble {
            first_operation: index,
            endpoints,
            by_op,
        })
    }

    /// One operation section: a method (POST) or a property read (GET) of the endpoint
    /// table's row for it.
    fn section(
        &mut self,
        section: Section<'_>,
        sections: &mut HashMap<String, u32>,
        endpoints: &mut [Endpoint],
        by_op: &HashMap<String, usize>,
        members: &mut Members,
    ) -> Result<(), Diagnostic> {
        let src = self.src;
        let Section { op, range, .. } = &section;
        let line = src.pos(range.start).line;
        let heading = || first_line(&src.text[range.clone()]);
        if !is_identifier(op) {
            return Err(self
                .error(
                    range.start,
                    "an operation heading does not name an operation",
                )
                .expected("`# **operation_id**`")
                .found(heading()));
        }
        if let Some(first) = sections.insert(op.clone(), line) {
            return Err(self
                .error(
                    range.start,
                    format!("operation `{op}` is documented twice (first at line {first})"),
                )
                .expected("each operation documented once")
                .found(heading()));
        }
        let operation = self.operation(op, section.body, section.next_offset)?;
        let Some(&endpoint_index) = by_op.get(op) else {
            self.warn(
                range.start,
                format!("operation `{op}` is not in the endpoint table, so its HTTP path and name are unknown; left out"),
            );
            return Ok(());
        };
        let endpoint = &mut endpoints[endpoint_index];
        endpoint.documented = true;
        let (verb, path, member) = (
            endpoint.verb.clone(),
            endpoint.path.clone(),
            endpoint.name.clone(),
        );
        if let Some(first) = members.names.insert(member.clone(), line) {
            return Err(self
                .error(
                    range.start,
                    format!("`{member}` is documented twice (first at line {first})"),
                )
                .expected("each method and property documented once")
                .found(heading()));
        }
        let http = Some(HttpBinding {
            verb: verb.clone(),
            path,
        });
        let source = src.loc(range.start);
        if verb == "GET" {
            let property = self.property(member, operation, http, source, range.start);
            members.properties.push(property);
        } else {
            members.methods.push(Method {
                name: member,
                returns: Some(Returns {
                    ty: operation.returns,
                    optional: false,
                    secret: false,
                    description: operation.return_description,
                }),
                privilege: operation.privilege,
                since: operation.since,
                faults: operation.faults,
                description: operation.description,
                deprecated: operation.deprecated,
                http,
                source,
                request_type: operation.request_type,
                ..Method::default()
            });
        }
        Ok(())
    }

    /// Endpoints without a section: the table row is all that is known.
    fn undocumented(
        &mut self,
        endpoints: &[Endpoint],
        members: &mut Members,
    ) -> Result<(), Diagnostic> {
        let src = self.src;
        for endpoint in endpoints.iter().filter(|e| !e.documented) {
            let msg = format!(
                "`{} {}` has no operation section; only its endpoint row is recorded",
                endpoint.verb, endpoint.path
            );
            self.warn(endpoint.offset, msg);
            if members.names.contains_key(&endpoint.name) {
                return Err(self
                    .error(
                        endpoint.offset,
                        format!("`{}` is listed twice", endpoint.name),
                    )
                    .expected("each method and property listed once")
                    .found(found_at(src, endpoint.offset)));
            }
            let line = src.pos(endpoint.offset).line;
            members.names.insert(endpoint.name.clone(), line);
            let http = Some(HttpBinding {
                verb: endpoint.verb.clone(),
                path: endpoint.path.clone(),
            });
            if endpoint.verb == "GET" {
                members.properties.push(Property {
                    name: endpoint.name.clone(),
                    description: endpoint.summary.clone(),
                    http,
                    source: src.loc(endpoint.offset),
                    ..Property::default()
                });
            } else {
                members.methods.push(Method {
                    name: endpoint.name.clone(),
                    description: endpoint.summary.clone(),
                    http,
                    source: src.loc(endpoint.offset),
                    ..Method::default()
                });
            }
        }
        Ok(())
    }

    fn property(
        &mut self,
        name: String,
        operation: Operation,
        http: Option<HttpBinding>,
        source: crate::model::Loc,
        offset: usize,
    ) -> Property {
        if operation.returns.is_none() {
            self.warn(offset, format!("property `{name}` is read with an operation that returns nothing; type left unknown"));
        }
        if !operation.faults.is_empty() {
            let names: Vec<&str> = operation.faults.iter().map(|f| f.name.as_str()).collect();
            self.warn(
                offset,
                format!("property `{name}`: faults {names:?} cannot be recorded for a property"),
            );
        }
        if let Some(text) = &operation.return_description {
            self.warn(offset, format!("property `{name}`: response description {text:?} cannot be recorded for a property"));
        }
        Property {
            name,
            ty: operation.returns,
            optional: None,
            privilege: operation.privilege,
            since: operation.since,
            deprecated: operation.deprecated,
            description: operation.description,
            http,
            source,
            origin: Default::default(),
        }
    }

    fn endpoints(
        &mut self,
        table: &Table,
        api: &str,
        out: &mut Vec<Endpoint>,
        by_op: &mut HashMap<String, usize>,
    ) -> Result<(), Diagnostic> {
        static REQUEST: OnceLock<Regex> = OnceLock::new();
        let request = cached(
            &REQUEST,
            r"^(GET|POST|PUT|PATCH|DELETE)\s+(/(?:[^/\s]+/)*([A-Za-z_][A-Za-z0-9_]*))$",
        );
        let src = self.src;
        for row in &table.rows {
            // An empty description is written as a closing `| `, leaving two cells.
            let closed = src.text[row.range.clone()].trim_end().ends_with('|');
            check_row(src, &table.head, row, if closed { 2 } else { 3 }, 3)?;
            let op = squash(&plain(&row.cells[0].inlines));
            if !is_identifier(&op) {
                return Err(self
                    .error(
                        row.cells[0].range.start,
                        "an endpoint row does not name an operation",
                    )
                    .expected("`[**operation_id**](…#operation_id)`")
                    .found(first_line(&src.text[row.range.clone()])));
            }
            let http = squash(&plain(&row.cells[1].inlines));
            let Some(captures) = request.captures(&http) else {
                return Err(self
                    .error(
                        row.cells[1].range.start,
                        format!("endpoint `{op}` has no HTTP request"),
                    )
                    .expected("`**POST** /Type/{moId}/Name`")
                    .found(src.text[row.cells[1].range.clone()].trim()));
            };
            let path = captures[2].to_string();
            if !path.starts_with(&format!("/{api}/")) {
                self.warn(
                    row.cells[1].range.start,
                    format!("endpoint path `{path}` is not below `/{api}/`"),
                );
            }
            if by_op.contains_key(&op) {
                return Err(self
                    .error(
                        row.range.start,
                        format!("operation `{op}` is listed twice in the endpoint table"),
                    )
                    .expected("each operation listed once")
                    .found(first_line(&src.text[row.range.clone()])));
            }
            by_op.insert(op, out.len());
            let summary = self.text(&row.cells[2].inlines);
            out.push(Endpoint {
                verb: captures[1].to_string(),
                name: captures[3].to_string(),
                path,
                summary,
                offset: row.range.start,
                documented: false,
            });
        }
        Ok(())
    }

    fn operation(
        &mut self,
        op: &str,
        body: &[Block],
        next_offset: usize,
    ) -> Result<Operation, Diagnostic> {
        let src = self.src;
        let returns = match body.first() {
            Some(Block::Quote { blocks, range }) => self.signature(op, blocks, range.clone())?,
            other => {
                let at = other.map_or(next_offset, |b| b.range().start);
                return Err(self
                    .error(at, format!("operation `{op}` has no signature"))
                    .expected(format!("a `> ReturnType {op}(mo_id, …)` line"))
                    .found(found_at(src, at)));
            }
        };
        let mut operation = Operation {
            returns,
            return_description: None,
            description: None,
            since: None,
            privilege: None,
            deprecated: None,
            faults: Vec::new(),
            request_type: None,
        };

        // Summary and description paragraphs, up to the first subsection.
        let mut index = 1;
        let mut paragraphs: Vec<Vec<Seg>> = Vec::new();
        while let Some(block) = body.get(index) {
            match block {
                Block::Heading { .. } => break,
                Block::Paragraph { inlines, .. } if is_back_links(inlines) => {}
                Block::Paragraph { inlines, .. } => {
                    let mut segs = Vec::new();
                    self.render(inlines, &mut segs);
                    paragraphs.push(segs);
                }
                other => self.warn_block(other, &format!("in the description of `{op}`")),
            }
            index += 1;
        }
        self.description(op, paragraphs, &mut operation);

        // Subsections.
        while let Some(block) = body.get(index) {
            let end = body[index + 1..]
                .iter()
                .position(|b| matches!(b, Block::Heading { .. }))
                .map_or(body.len(), |p| index + 1 + p);
            // The navigation line may close any subsection.
            let content: Vec<&Block> = body[index + 1..end]
                .iter()
                .filter(
                    |b| !matches!(b, Block::Paragraph { inlines, .. } if is_back_links(inlines)),
                )
                .collect();
            let Block::Heading { inlines, range, .. } = block else {
                // Only reached for blocks after the description, which stop at headings.
                index = end;
                continue;
            };
            index = end;
            let title = squash(&plain(inlines));
            match title.to_ascii_lowercase().as_str() {
                // The example is client code, and authorization and headers are the
                // same for every operation of the API.
                "example" | "authorization" | "http request headers" => {}
                "parameters" => operation.request_type = self.parameters(op, &content)?,
                "return type" => self.return_type(op, &content, &operation)?,
                "http response details" => self.responses(op, &content, &mut operation)?,
                _ => {
                    let msg =
                        format!("section `{title}` of `{op}` was not understood and is left out");
                    self.warn(range.start, msg);
                }
            }
        }
        Ok(operation)
    }

    /// `> UserSession session_manager_login(mo_id, login_request_type)` → the return type.
    fn signature(
        &mut self,
        op: &str,
        blocks: &[Block],
        range: Range<usize>,
    ) -> Result<Option<TypeRef>, Diagnostic> {
        static SIGNATURE: OnceLock<Regex> = OnceLock::new();
        let signature = cached(
            &SIGNATURE,
            r"^(?:(\S.*?)\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*\(([^()]*)\)$",
        );
        let src = self.src;
        let (text, start) = match blocks {
            [Block::Paragraph { inlines, range }] => (squash(&plain(inlines)), range.start),
            _ => (String::new(), range.start),
        };
        let Some(captures) = signature.captures(&text) else {
            return Err(self
                .error(start, format!("the signature of `{op}` is not understood"))
                .expected(format!("`> ReturnType {op}(mo_id, …)`"))
                .found(first_line(&src.text[range])));
        };
        if &captures[2] != op {
            return Err(self
                .error(
                    start,
                    format!("the signature under `{op}` is for `{}`", &captures[2]),
                )
                .expected(format!("`> ReturnType {op}(mo_id, …)`"))
                .found(first_line(&src.text[range])));
        }
        let written = captures.get(1).map_or("", |m| m.as_str());
        wire_type(written).ok_or_else(|| {
            self.error(
                start,
                format!("the return type `{written}` of `{op}` is an unknown type reference"),
            )
            .expected("a type name, `List[Type]` or nothing")
            .found(first_line(&src.text[range.clone()]))
        })
    }

    /// Splits summary/description paragraphs into description, markers and deprecation.
    fn description(&mut self, op: &str, paragraphs: Vec<Vec<Seg>>, operation: &mut Operation) {
        static DEPRECATED: OnceLock<Regex> = OnceLock::new();
        let deprecated_re = cached(&DEPRECATED, r"(?s)^(Deprecated\b.*?\.)(?:\s+|$)");
        let mut texts: Vec<String> = Vec::new();
        for segs in paragraphs {
            let mut text = String::new();
            let mut marker: Option<(String, usize, String)> = None;
            for seg in segs {
                match seg {
                    Seg::Text(t) => match &mut marker {
                        Some((_, _, value)) => value.push_str(&t),
                        None => text.push_str(&t),
                    },
                    Seg::Marker(name, offset) => {
                        if let Some(done) = marker.take() {
                            self.marker(op, done, operation);
                        }
                        marker = Some((name, offset, String::new()));
                    }
                }
            }
            if let Some(done) = marker.take() {
                self.marker(op, done, operation);
            }
            let text = squash(&text);
            if !text.is_empty() {
                texts.push(text);
            }
        }
        // The first paragraph is the summary; the description usually repeats it.
        let mut body = texts.split_off(texts.len().min(1));
        let summary = texts.pop();
        if let Some(first) = body.first_mut() {
            if let Some(c) = deprecated_re.captures(first) {
                operation.deprecated = Some(c[1].to_string());
                *first = first[c[0].len()..].trim().to_string();
            }
        }
        body.retain(|p| !p.is_empty());
        let mut parts = Vec::new();
        match (summary, body.first()) {
            (Some(s), Some(b)) if b.starts_with(&s) => {}
            (Some(s), _) => parts.push(s),
            (None, _) => {}
        }
        parts.extend(body);
        operation.description = (!parts.is_empty()).then(|| parts.join("\n\n"));
    }

    fn marker(
        &mut self,
        op: &str,
        (name, offset, value): (String, usize, String),
        operation: &mut Operation,
    ) {
        let value = squash(&value);
        match name.trim_end_matches(':').trim() {
            "Since" => {
                operation.since = Version::parse(&value);
                if operation.since.is_none() {
                    self.warn(
                        offset,
                        format!("`{op}`: {value:?} is not a version label; since left unknown"),
                    );
                }
            }
            "Required privileges" => operation.privilege = (!value.is_empty()).then_some(value),
            other => self.warn(
                offset,
                format!(
                    "`{op}`: marker `{other}` (value {value:?}) was not understood and is left out"
                ),
            ),
        }
    }

    /// The parameters table; returns the request-body type it names, if any.
    fn parameters(&mut self, op: &str, content: &[&Block]) -> Result<Option<String>, Diagnostic> {
        let src = self.src;
        let mut request_type = None;
        for block in content {
            let Block::Table(table) = block else {
                self.warn_block(block, &format!("in the parameters of `{op}`"));
                continue;
            };
            if !header_is(&table.head, PARAM_HEADER) {
                self.warn_block(block, &format!("in the parameters of `{op}`"));
                continue;
            }
            for row in &table.rows {
                check_row(src, &table.head, row, 3, 4)?;
                let name = squash(&plain(&row.cells[0].inlines));
                let ty = squash(&plain(&row.cells[1].inlines));
                // `mo_id` is the path parameter; the `…RequestType` object is the request
                // body, whose fields this format does not list.
                if name == "mo_id" {
                    continue;
                }
                if ty.ends_with("RequestType") {
                    request_type = Some(ty);
                    continue;
                }
                let msg = format!(
                    "`{op}`: parameter `{name}` of type `{ty}` was not understood and is left out"
                );
                self.warn(row.range.start, msg);
            }
        }
        Ok(request_type)
    }

    /// Checks the `### Return type` section against the signature.
    fn return_type(
        &mut self,
        op: &str,
        content: &[&Block],
        operation: &Operation,
    ) -> Result<(), Diagnostic> {
        let src = self.src;
        let [Block::Paragraph { inlines, range }] = content else {
            if let Some(block) = content.first() {
                self.warn_block(block, &format!("in the return type of `{op}`"));
            }
            return Ok(());
        };
        let text = squash(&plain(inlines));
        let stated = if text == "void (empty response body)" {
            None
        } else {
            let Some(ty) = wire_type(&text).filter(|t| t.is_some()) else {
                return Err(self
                    .error(
                        range.start,
                        format!("the return type of `{op}` is an unknown type reference"),
                    )
                    .expected("`**Type**`, `[**Type**](Type.md)` or `void (empty response body)`")
                    .found(first_line(&src.text[range.clone()])));
            };
            // A link must point at the page of the type it names.
            if let [Inline::Link {
                dest, range: link, ..
            }] = inlines.as_slice()
            {
                let file = dest.rsplit('/').next().unwrap_or(dest);
                let target = file.strip_suffix(".md").unwrap_or(file);
                let written = element_name(&text);
                if target != written {
                    return Err(self
                        .error(
                            link.start,
                            format!("the return type `{text}` of `{op}` links to `{dest}`"),
                        )
                        .expected(format!("a link to `{written}.md`"))
                        .found(&src.text[link.clone()]));
                }
            }
            ty
        };
        if stated != operation.returns {
            let show =
                |t: &Option<TypeRef>| t.as_ref().map_or("nothing".to_string(), |t| t.to_string());
            let msg = format!(
                "`{op}`: the return type section says {} but the signature says {}; using the signature",
                show(&stated),
                show(&operation.returns)
            );
            self.warn(range.start, msg);
        }
        Ok(())
    }

    fn responses(
        &mut self,
        op: &str,
        content: &[&Block],
        operation: &mut Operation,
    ) -> Result<(), Diagnostic> {
        let src = self.src;
        for block in content {
            let Block::Table(table) = block else {
                self.warn_block(block, &format!("in the responses of `{op}`"));
                continue;
            };
            if !header_is(&table.head, RESPONSE_HEADER) {
                self.warn_block(block, &format!("in the responses of `{op}`"));
                continue;
            }
            for row in &table.rows {
                check_row(src, &table.head, row, 3, 3)?;
                let code = squash(&plain(&row.cells[0].inlines));
                let cell = &row.cells[1];
                match code.as_str() {
                    "200" => {
                        operation.return_description = self
                            .text(&cell.inlines)
                            .filter(|d| !EMPTY_DESCRIPTIONS.contains(&d.as_str()));
                    }
                    "204" => {
                        let text = self.text(&cell.inlines);
                        if let Some(t) = text.filter(|d| !EMPTY_DESCRIPTIONS.contains(&d.as_str()))
                        {
                            self.warn(
                                cell.range.start,
                                format!("`{op}`: 204 response text {t:?} is left out"),
                            );
                        }
                    }
                    "500" => operation.faults = self.faults(op, row),
                    other => {
                        let msg = format!(
                            "`{op}`: response `{other}` was not understood and is left out"
                        );
                        self.warn(row.range.start, msg);
                    }
                }
            }
        }
        Ok(())
    }

    /// `***InvalidLogin***: if …  ***NoPermission***: if …` → fault references.
    fn faults(&mut self, op: &str, row: &Row) -> Vec<FaultRef> {
        let cell = &row.cells[1];
        let mut segs = Vec::new();
        self.render(&cell.inlines, &mut segs);
        let mut before = String::new();
        let mut found: Vec<(String, usize, String)> = Vec::new();
        for seg in segs {
            match seg {
                Seg::Marker(name, offset) => found.push((name, offset, String::new())),
                Seg::Text(t) => match found.last_mut() {
                    Some((_, _, text)) => text.push_str(&t),
                    None => before.push_str(&t),
                },
            }
        }
        let before = squash(&before);
        if !before.is_empty() && !EMPTY_DESCRIPTIONS.contains(&before.as_str()) {
            self.warn(
                cell.range.start,
                format!("`{op}`: fault text {before:?} names no fault and is left out"),
            );
        }
        let mut faults: Vec<FaultRef> = Vec::new();
        for (name, offset, text) in found {
            let name = name.trim().trim_end_matches(':').trim().to_string();
            if !is_identifier(&name) {
                self.warn(
                    offset,
                    format!("`{op}`: {name:?} in the 500 response is not a fault name; left out"),
                );
                continue;
            }
            if faults.iter().any(|f| f.name == name) {
                self.warn(
                    offset,
                    format!("`{op}`: fault `{name}` listed twice; the first is used"),
                );
                continue;
            }
            let text = squash(text.trim_start().trim_start_matches(':'));
            faults.push(FaultRef {
                name,
                description: (!text.is_empty()).then_some(text),
                source: self.src.loc(row.range.start),
            });
        }
        faults
    }

    /// Renders inline content as description text.
    fn text(&mut self, inlines: &[Inline]) -> Option<String> {
        let mut segs = Vec::new();
        self.render(inlines, &mut segs);
        let mut out = String::new();
        for seg in segs {
            match seg {
                Seg::Text(t) => out.push_str(&t),
                Seg::Marker(name, _) => out.push_str(&name),
            }
        }
        let out = squash(&out);
        (!out.is_empty()).then_some(out)
    }

    fn render(&mut self, inlines: &[Inline], out: &mut Vec<Seg>) {
        let push = |out: &mut Vec<Seg>, text: &str| match out.last_mut() {
            Some(Seg::Text(t)) => t.push_str(text),
            _ => out.push(Seg::Text(text.to_string())),
        };
        for inline in inlines {
            match inline {
                Inline::Text(text, _) => {
                    push(out, &replace_tags(&decode_entities(&unescape(text))))
                }
                Inline::Code(text, _) => {
                    let mut code = String::new();
                    push_code(text, &mut code);
                    push(out, &code)
                }
                Inline::Soft(_) => push(out, " "),
                Inline::Break(_) => push(out, "\n"),
                // `***Since:***`, `***InvalidLogin***`: markers.
                Inline::Emph(_, range) | Inline::Strong(_, range) if is_marker(inline) => {
                    out.push(Seg::Marker(
                        squash(&plain(children_of(inline))),
                        range.start,
                    ));
                }
                // `*SessionManager.CloneSession*`: a cross-reference.
                Inline::Emph(children, _) if is_reference(&plain(children)) => {
                    let target = reference_target(&plain(children));
                    push(out, &format!("[[{target}]]"));
                }
                Inline::Emph(children, _) | Inline::Strong(children, _) => {
                    self.render(children, out)
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
                                range.start,
                                format!(
                                    "link target {dest:?} was not understood; kept its text only"
                                ),
                            );
                            push(out, &text);
                        }
                    }
                }
                Inline::Html(html, range) => match tag_markup(html) {
                    Some(markup) => push(out, markup),
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

/// Whether an inline is `***…***` (emphasis wrapping strong, or the reverse).
pub(super) fn is_marker(inline: &Inline) -> bool {
    match inline {
        Inline::Emph(children, _) => matches!(children.as_slice(), [Inline::Strong(..)]),
        Inline::Strong(children, _) => matches!(children.as_slice(), [Inline::Emph(..)]),
        _ => false,
    }
}

/// The innermost children of a `***…***` marker.
pub(super) fn children_of(inline: &Inline) -> &[Inline] {
    match inline {
        Inline::Emph(children, _) | Inline::Strong(children, _) => match children.as_slice() {
            [Inline::Strong(inner, _)] | [Inline::Emph(inner, _)] => inner,
            _ => children,
        },
        _ => &[],
    }
}

/// `SessionManager.CloneSession`, `GenericServiceTicket#sslCertificate`, `ManagedEntity`:
/// emphasised API names. A single word must be CamelCase, so `*Note*` is not one.
pub(super) fn is_reference(text: &str) -> bool {
    static REFERENCE: OnceLock<Regex> = OnceLock::new();
    let reference = cached(
        &REFERENCE,
        r"^[A-Z][A-Za-z0-9_]*(?:[.#][A-Za-z_][A-Za-z0-9_]*)*$",
    );
    reference.is_match(text)
        && (text.contains(['.', '#']) || text.chars().skip(1).any(|c| c.is_ascii_uppercase()))
}

/// The `[[…]]` target of an emphasised reference: `Type.member` (`#` read as `.`), and an
/// enum written `HostConfigChangeOperation_enum` by its name.
pub(super) fn reference_target(text: &str) -> String {
    let target = text.replace('#', ".");
    match target.split_once('.') {
        Some((ty, member)) => match ty.strip_suffix("_enum") {
            Some(e) => format!("{e}.{member}"),
            None => target,
        },
        None => target.strip_suffix("_enum").unwrap_or(&target).to_string(),
    }
}

/// The `[[Back to top]](#) …` navigation line.
fn is_back_links(inlines: &[Inline]) -> bool {
    plain(inlines).trim_start().starts_with("[Back to top]")
}

/// A VI/JSON Python type: `str` → `string`, `List[X]` → `X[]`, `XEnum` → the enum `X`;
/// `None`/empty → void (`Some(None)`); anything else unknown (`None`).
fn wire_type(text: &str) -> Option<Option<TypeRef>> {
    let text = text.trim();
    if text.is_empty() || text == "None" {
        return Some(None);
    }
    let (name, array) = match text.strip_prefix("List[").and_then(|t| t.strip_suffix(']')) {
        Some(inner) => (inner.trim(), true),
        None => (text, false),
    };
    let name = match super::openapi_types::python_primitive(name) {
        Some(primitive) => primitive.to_string(),
        None if is_identifier(name) => match name.strip_suffix("Enum") {
            Some(wire) if !wire.is_empty() => wire.to_string(),
            _ => name.to_string(),
        },
        None => return None,
    };
    Some(Some(TypeRef { name, array }))
}

/// `List[UserSession]` → `UserSession`.
fn element_name(text: &str) -> &str {
    text.strip_prefix("List[")
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(text)
        .trim()
}

/// Drops the backslash of `\.`-style escapes the generator doubled (`1\\.` → `1.`).
pub(super) fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
            continue;
        }
        out.push(c);
    }
    out
}

/// A link of the documentation text as the model writes it: `[text](url)` for a web link,
/// `[[Type]]` for a link to another document of the set; `None` for any other target.
pub(super) fn rendered_link(dest: &str, text: &str) -> Option<String> {
    if ["http://", "https://", "mailto:"]
        .iter()
        .any(|p| dest.starts_with(p))
    {
        return Some(format!("[{text}]({dest})"));
    }
    dest.strip_suffix(".md")
        .filter(|s| is_identifier(s))
        .map(|stem| format!("[[{stem}]]"))
}
