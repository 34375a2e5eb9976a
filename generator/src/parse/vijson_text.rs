//! Parser for text scraped from a VI/JSON API reference web page.
//!
//! One page documents one method (`POST …/{Type}/{moId}/{Method}`) or one property
//! (`GET …/{Type}/{moId}/{property}`) of a managed object. The text has one block per
//! line, paragraphs separated by blank lines:
//!
//! ```text
//! Session Manager Login By SSPI                 title (usually repeated)
//! <description paragraphs>                      may include `Deprecated as of …`
//! Required privileges: System.Anonymous
//! Request / URI / POST / https://{vcenter-host}/sdk/vim25/{release}/SessionManager/{moId}/LoginBySSPI / COPY
//! Path Parameters <fields>                      moId and release: not method parameters
//! Request Body
//! LoginBySSPIRequestType of type(s) application/json / Required / <JSON example> / <fields>
//! Authentication / This operation uses the following authentication methods.
//! Responses
//! 200 <return description>
//!     Returns UserSession of type(s) application/json
//!     This response body class contains all of the following: DataObject
//!     <JSON example> <fields of the returned type>
//! 500 <`Fault: when` paragraphs>
//!     Returns VimFault of type(s) application/json … <JSON example>
//! ```
//!
//! A field is a type line (`string`, `boolean`, `integer As int64 As int64`,
//! `string As date-time`, `string As password`, a type name, `array of X`, `X[]`), the
//! name, `Required` or `Optional`, then description paragraphs.

use std::collections::HashSet;

use super::common::{reporter_for, shorten, Reporter};
use super::Parsed;
use crate::diag::{Diagnostic, SourceText};
use crate::model::{
    lower_camel, DataType, FaultRef, Field, HttpBinding, Loc, ManagedObject, Method, Model, Param,
    Primitive, Property, Returns, TypeRef, Version,
};

/// HTTP verbs a URI block may name.
const HTTP_VERBS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE"];
/// What precedes the release segment in every VI/JSON URL.
const PATH_PREFIX: &str = "/sdk/vim25/";
/// Lines that open a block of the page.
const SECTION_MARKERS: &[&str] = &[
    "Request",
    "URI",
    "Path Parameters",
    "Query Parameters",
    "Header Parameters",
    "Request Body",
    "Authentication",
    "Responses",
];
/// The fixed sentence of the `Authentication` block.
const AUTH_BOILERPLATE: &str = "This operation uses the following authentication methods.";
/// Introduces the base type of a response body.
const BODY_BASE_PREFIX: &str = "This response body class contains all of the following:";
/// Separates a body's type name from its media types.
const MEDIA_SEPARATOR: &str = " of type(s) ";
/// Generic description of a success response that says nothing about the value.
const OK_PLACEHOLDER: &str = "OK";
/// Generic description of an error response that lists no faults.
const FAILURE_PLACEHOLDER: &str = "Failure";
/// The body type of every error response.
const FAULT_ENVELOPE: &str = "VimFault";
/// What a type line may look like (for diagnostics).
const TYPE_EXPECTED: &str =
    "a type such as `string`, `boolean`, `integer As int64`, `string As date-time`, a type name or `array of X`";

/// Parses one VI/JSON reference page into a managed object with one method (or
/// property) and the data type its response body describes.
pub fn parse(src: &SourceText) -> Result<Parsed, Diagnostic> {
    let mut parser = Parser::new(src);
    let model = parser.page()?;
    Ok(Parsed {
        model,
        warnings: parser.warnings,
    })
}

/// One line of the page, trimmed.
#[derive(Clone, Copy)]
struct Line<'a> {
    /// The text without surrounding whitespace.
    text: &'a str,
    /// Byte offset of `text` in the document.
    offset: usize,
}

/// A paragraph: consecutive non-blank lines, whitespace-normalised.
struct Para {
    text: String,
    /// Index of its first line.
    line: usize,
}

/// A parsed type line.
#[derive(Debug)]
struct TypeSpec {
    ty: TypeRef,
    /// `As password`.
    secret: bool,
    /// Whether the line could only be a type line (a primitive keyword, `As`, or an array).
    strong: bool,
    /// Formats (`As x`) that were not understood or contradict an earlier one.
    unknown_formats: Vec<String>,
}

/// A field as listed on the page (parameter, path parameter or data type field).
struct RawField {
    name: String,
    /// Index of the type line (where the field starts).
    start: usize,
    ty: TypeRef,
    secret: bool,
    optional: bool,
    paras: Vec<Para>,
}

/// The `Returns X of type(s) …` line of a response.
struct ReturnsLine {
    spec: TypeSpec,
    line: usize,
}

/// One response block (`200`, `500`, …).
struct Response {
    paras: Vec<Para>,
    returns: Option<ReturnsLine>,
    base: Option<String>,
    fields: Vec<RawField>,
}

/// What the page header (before the URI block) says.
#[derive(Default)]
struct Header {
    description: Vec<String>,
    deprecated: Vec<String>,
    privilege: Option<String>,
    since: Option<Version>,
}

/// The URI block.
struct Endpoint {
    verb: String,
    /// Managed object type, from the URL.
    type_name: String,
    /// Method or property name, from the URL.
    member: String,
    /// Path relative to `/sdk/vim25/{release}`.
    path: String,
    /// Index of the URL line.
    url_line: usize,
}

/// What the blocks after the URI say.
#[derive(Default)]
struct Body {
    /// Request body fields, with the index of the `Request Body` line and the body type name.
    params: Option<(usize, String, Vec<RawField>)>,
    returns: Option<Returns>,
    data_types: Vec<DataType>,
    faults: Vec<FaultRef>,
    /// Index of the first success response, once seen.
    success_line: Option<usize>,
}

struct Parser<'a> {
    src: &'a SourceText,
    lines: Vec<Line<'a>>,
    /// Index of the current line.
    i: usize,
    warnings: Vec<Diagnostic>,
}

reporter_for!(Parser);

impl<'a> Parser<'a> {
    fn new(src: &'a SourceText) -> Self {
        let mut lines = Vec::new();
        let mut start = 0;
        for raw in src.text.split('\n') {
            let lead = raw.len() - raw.trim_start().len();
            lines.push(Line {
                text: raw.trim(),
                offset: start + lead,
            });
            start += raw.len() + 1;
        }
        Parser {
            src,
            lines,
            i: 0,
            warnings: Vec::new(),
        }
    }

    // ----- line access and diagnostics -------------------------------------------------

    fn text(&self, i: usize) -> &'a str {
        self.lines.get(i).map_or("", |l| l.text)
    }

    fn at_end(&self) -> bool {
        self.i >= self.lines.len()
    }

    fn offset(&self, i: usize) -> usize {
        self.lines.get(i).map_or(self.src.text.len(), |l| l.offset)
    }

    fn loc(&self, i: usize) -> Loc {
        self.src.loc(self.offset(i))
    }

    fn found(&self, i: usize) -> String {
        match self.lines.get(i) {
            None => "end of file".to_string(),
            Some(l) if l.text.is_empty() => "a blank line".to_string(),
            Some(l) => l.text.to_string(),
        }
    }

    /// An error at the start of line `i` (or at the end of the file).
    fn error_line(&self, i: usize, message: impl Into<String>) -> Diagnostic {
        self.error_line_at(i, 0, message)
    }

    /// An error `byte` bytes into line `i`.
    fn error_line_at(&self, i: usize, byte: usize, message: impl Into<String>) -> Diagnostic {
        self.error(self.offset(i) + byte, message)
            .found(self.found(i))
    }

    /// A warning at the start of line `i`.
    fn warn_line(&mut self, i: usize, message: impl Into<String>) {
        self.warn(self.offset(i), message);
    }

    fn skip_blank(&mut self) {
        while self.i < self.lines.len() && self.lines[self.i].text.is_empty() {
            self.i += 1;
        }
    }

    fn is_marker(&self, i: usize) -> bool {
        let t = self.text(i);
        SECTION_MARKERS.contains(&t) || is_status(t)
    }

    /// Whether a field starts at line `i`: a name and `Required`/`Optional` follow it,
    /// or it can only be a type line.
    fn field_starts_at(&self, i: usize) -> bool {
        let t = self.text(i);
        if t.is_empty() || self.is_marker(i) {
            return false;
        }
        if is_name(self.text(i + 1)) && requiredness(self.text(i + 2)).is_some() {
            return true;
        }
        parse_type_text(t).is_some_and(|s| s.strong)
    }

    /// Collects paragraphs from the current line until `stop(parser, line, at_paragraph_start)`.
    fn paragraphs(&mut self, stop: impl Fn(&Self, usize, bool) -> bool) -> Vec<Para> {
        let mut paras = Vec::new();
        let mut current: Option<(usize, String)> = None;
        while self.i < self.lines.len() {
            let t = self.lines[self.i].text;
            if t.is_empty() {
                paras.extend(current.take().map(|(line, text)| Para { text, line }));
                self.i += 1;
                continue;
            }
            if stop(self, self.i, current.is_none()) {
                break;
            }
            match &mut current {
                Some((_, text)) => push_words(text, t),
                None => {
                    let mut text = String::new();
                    push_words(&mut text, t);
                    current = Some((self.i, text));
                }
            }
            self.i += 1;
        }
        paras.extend(current.map(|(line, text)| Para { text, line }));
        paras
    }

    /// Skips a paragraph that is not understood, with a warning.
    fn skip_unknown_paragraph(&mut self, message: impl Into<String>) {
        let first = self.i;
        self.warn_line(first, message);
        self.i += 1;
        while !self.at_end() && !self.text(self.i).is_empty() && !self.is_marker(self.i) {
            self.i += 1;
        }
    }

    // ----- the page --------------------------------------------------------------------

    fn page(&mut self) -> Result<Model, Diagnostic> {
        self.skip_blank();
        if self.at_end() {
            return Err(self
                .error_line(self.i, "the page is empty")
                .expected("the page title, e.g. `Session Manager Login By SSPI`"));
        }
        let title_line = self.i;
        if self.is_marker(title_line) {
            return Err(self
                .error_line(title_line, "the page has no title")
                .expected("the page title, e.g. `Session Manager Login By SSPI`"));
        }
        let title = normalise(self.text(title_line));
        self.i += 1;
        let header = self.header(&title);
        let endpoint = self.endpoint()?;
        if lower_camel(&title) != lower_camel(&format!("{}{}", endpoint.type_name, endpoint.member))
        {
            self.warn_line(
                title_line,
                format!(
                    "the title `{title}` does not match the URL's `{}` / `{}`",
                    endpoint.type_name, endpoint.member
                ),
            );
        }
        let mut body = Body::default();
        self.sections(&mut body)?;
        Ok(self.assemble(title_line, header, endpoint, body))
    }

    /// Description paragraphs, privilege, deprecation and version up to the first block.
    fn header(&mut self, title: &str) -> Header {
        let paras = self.paragraphs(|p, i, _| p.is_marker(i));
        let mut header = Header::default();
        for (n, para) in paras.into_iter().enumerate() {
            let text = para.text;
            if n == 0 && text == title {
                continue;
            }
            if let Some(rest) = text.strip_prefix("Required privileges:") {
                let privilege = rest.trim();
                if privilege.is_empty() {
                    self.warn_line(para.line, "`Required privileges:` names no privilege");
                } else if header.privilege.is_some() {
                    self.warn_line(para.line, "a second `Required privileges:` line is ignored");
                } else {
                    header.privilege = Some(privilege.to_string());
                }
            } else if text.starts_with("Deprecated") {
                header.deprecated.push(text);
            } else if let Some(since) = since_paragraph(&text) {
                match since {
                    Some(v) => header.since = Some(v),
                    None => self.warn_line(para.line, format!("unrecognised version in `{text}`")),
                }
            } else {
                header.description.push(text);
            }
        }
        header
    }

    /// `Request` / `URI` / verb / URL / `COPY`.
    fn endpoint(&mut self) -> Result<Endpoint, Diagnostic> {
        let expected = "`Request` and `URI` lines followed by the HTTP verb and the URL";
        match self.text(self.i) {
            "Request" => {
                self.i += 1;
                self.skip_blank();
                if self.text(self.i) != "URI" {
                    return Err(self
                        .error_line(self.i, "the `Request` block has no `URI` line")
                        .expected("`URI`"));
                }
            }
            "URI" => {}
            _ => {
                return Err(self
                    .error_line(self.i, "the page has no `Request`/`URI` block")
                    .expected(expected))
            }
        }
        self.i += 1;
        self.skip_blank();
        let verb = self.text(self.i);
        if !HTTP_VERBS.contains(&verb) {
            return Err(self
                .error_line(self.i, "the URI block does not name an HTTP verb")
                .expected("`GET` or `POST`"));
        }
        self.i += 1;
        self.skip_blank();
        let url_line = self.i;
        let url = self.text(url_line);
        let url_expected = "`https://{vcenter-host}/sdk/vim25/{release}/<Type>/{moId}/<Member>`";
        let Some(at) = url.find(PATH_PREFIX) else {
            return Err(self
                .error_line(url_line, "the URI block has no vim25 URL")
                .expected(url_expected));
        };
        let after = at + PATH_PREFIX.len();
        let Some(slash) = url[after..].find('/').map(|s| after + s) else {
            return Err(self
                .error_line_at(url_line, after, "the URL has no path after the release")
                .expected(url_expected));
        };
        let path = &url[slash..];
        let segments: Vec<&str> = path[1..].split('/').collect();
        match segments.as_slice() {
            [ty, "{moId}", member] if is_name(ty) && is_name(member) => {
                let endpoint = Endpoint {
                    verb: verb.to_string(),
                    type_name: ty.to_string(),
                    member: member.to_string(),
                    path: path.to_string(),
                    url_line,
                };
                self.i += 1;
                self.skip_blank();
                if self.text(self.i) == "COPY" {
                    self.i += 1;
                }
                Ok(endpoint)
            }
            _ => Err(self
                .error_line_at(
                    url_line,
                    slash,
                    "the URL path is not `/<Type>/{moId}/<Member>`",
                )
                .expected(url_expected)),
        }
    }

    /// The blocks after the URI block, in any order.
    fn sections(&mut self, body: &mut Body) -> Result<(), Diagnostic> {
        loop {
            self.skip_blank();
            if self.at_end() {
                return Ok(());
            }
            let line = self.i;
            match self.text(line) {
                "Path Parameters" => {
                    self.i += 1;
                    for f in self.field_list()? {
                        if f.name != "moId" && f.name != "release" {
                            self.warn_line(
                                f.start,
                                format!("path parameter `{}` is not modelled", f.name),
                            );
                        }
                    }
                }
                kind @ ("Query Parameters" | "Header Parameters") => {
                    self.i += 1;
                    let kind = kind.trim_end_matches('s').to_lowercase();
                    for f in self.field_list()? {
                        self.warn_line(f.start, format!("{kind} `{}` is not modelled", f.name));
                    }
                }
                "Request Body" => self.request_body(body)?,
                "Authentication" => self.authentication(),
                "Responses" => self.responses(body)?,
                t if is_status(t) => self.responses(body)?,
                "Request" | "URI" => {
                    self.skip_unknown_paragraph("a second `Request`/`URI` block is ignored")
                }
                _ if self.field_starts_at(line) => {
                    let f = self.field()?;
                    self.warn_line(
                        f.start,
                        format!("field `{}` outside any block is ignored", f.name),
                    );
                }
                t => {
                    let message = format!("unrecognised text `{}`", shorten(t));
                    self.skip_unknown_paragraph(message);
                }
            }
        }
    }

    /// `Request Body` / `<X>RequestType of type(s) …` / `Required` / JSON / fields.
    fn request_body(&mut self, body: &mut Body) -> Result<(), Diagnostic> {
        let head = self.i;
        self.i += 1;
        self.skip_blank();
        let line = self.i;
        let Some((type_name, _media)) = self.text(line).split_once(MEDIA_SEPARATOR) else {
            return Err(self
                .error_line(line, "the request body does not name its type")
                .expected("`<Method>RequestType of type(s) application/json`"));
        };
        let type_name = type_name.trim().to_string();
        self.i += 1;
        self.skip_blank();
        if requiredness(self.text(self.i)).is_some() {
            self.i += 1;
            self.skip_blank();
        }
        if starts_json(self.text(self.i)) {
            self.skip_json()?;
        }
        let fields = self.field_list()?;
        if body.params.is_some() {
            self.warn_line(head, "a second request body is ignored");
        } else {
            body.params = Some((line, type_name, fields));
        }
        Ok(())
    }

    /// `Authentication` and the lines describing it (not modelled).
    fn authentication(&mut self) {
        self.i += 1;
        loop {
            self.skip_blank();
            if self.at_end() || self.is_marker(self.i) || self.field_starts_at(self.i) {
                return;
            }
            if self.text(self.i) == AUTH_BOILERPLATE {
                self.i += 1;
            } else {
                let message = format!(
                    "authentication detail `{}` is not modelled",
                    shorten(self.text(self.i))
                );
                self.skip_unknown_paragraph(message);
            }
        }
    }

    /// `Responses` and the status blocks after it.
    fn responses(&mut self, body: &mut Body) -> Result<(), Diagnostic> {
        if self.text(self.i) == "Responses" {
            self.i += 1;
        }
        loop {
            self.skip_blank();
            let line = self.i;
            let t = self.text(line);
            if self.at_end() || !is_status(t) {
                return Ok(());
            }
            let code: u16 = t.parse().unwrap_or(0);
            self.i += 1;
            let response = self.response()?;
            match code {
                200..=299 => self.success(body, line, response),
                400..=599 => self.failure(body, line, response),
                _ => self.warn_line(line, format!("response {code} is not modelled")),
            }
        }
    }

    /// The body of one status block.
    fn response(&mut self) -> Result<Response, Diagnostic> {
        let paras = self.paragraphs(|p, i, _| p.is_marker(i) || is_returns_line(p.text(i)));
        let mut response = Response {
            paras,
            returns: None,
            base: None,
            fields: Vec::new(),
        };
        if !is_returns_line(self.text(self.i)) {
            return Ok(response);
        }
        let line = self.i;
        let rest = &self.text(line)["Returns ".len()..];
        let type_text = rest
            .split(MEDIA_SEPARATOR.trim_end())
            .next()
            .unwrap_or("")
            .trim();
        let Some(spec) = parse_type_text(type_text) else {
            return Err(self
                .error_line_at(
                    line,
                    "Returns ".len(),
                    format!("unknown response type `{type_text}`"),
                )
                .expected(TYPE_EXPECTED));
        };
        self.warn_formats(line, &spec);
        response.returns = Some(ReturnsLine { spec, line });
        self.i += 1;
        self.skip_blank();
        if let Some(base) = self.text(self.i).strip_prefix(BODY_BASE_PREFIX) {
            let base = base.trim();
            if base.is_empty() {
                self.warn_line(self.i, "the response body names no base type");
            } else {
                response.base = Some(base.to_string());
            }
            self.i += 1;
            self.skip_blank();
        }
        if starts_json(self.text(self.i)) {
            self.skip_json()?;
        } else if is_json_scalar(self.text(self.i)) {
            self.i += 1;
        }
        response.fields = self.field_list()?;
        Ok(response)
    }

    /// A `2xx` block: the return value and the data type its fields describe.
    fn success(&mut self, body: &mut Body, line: usize, response: Response) {
        if body.success_line.is_some() {
            self.warn_line(line, "a second success response is ignored");
            return;
        }
        body.success_line = Some(line);
        let description = if response.paras.len() == 1 && response.paras[0].text == OK_PLACEHOLDER {
            None
        } else {
            join_paras(response.paras.iter().map(|p| p.text.as_str()))
        };
        let Some(ret) = response.returns else {
            body.returns = Some(Returns {
                ty: None,
                optional: false,
                secret: false,
                description,
            });
            return;
        };
        let ty = ret.spec.ty;
        if ty.is_primitive() {
            if !response.fields.is_empty() || response.base.is_some() {
                self.warn_line(
                    ret.line,
                    format!("the fields listed for primitive `{ty}` are ignored"),
                );
            }
        } else if !response.fields.is_empty() || response.base.is_some() {
            let fields = response
                .fields
                .into_iter()
                .map(|f| self.data_field(f))
                .collect();
            body.data_types.push(DataType {
                name: ty.name.clone(),
                wire_name: ty.name.clone(),
                base: response.base,
                description: None,
                since: None,
                deprecated: None,
                fields,
                source: self.loc(ret.line),
            });
        }
        body.returns = Some(Returns {
            ty: Some(ty),
            optional: false,
            secret: ret.spec.secret,
            description,
        });
    }

    /// A `4xx`/`5xx` block: `Fault: when` paragraphs; the fault envelope is not modelled.
    fn failure(&mut self, body: &mut Body, line: usize, response: Response) {
        let first_new = body.faults.len();
        for para in response.paras {
            if para.text == FAILURE_PLACEHOLDER {
                continue;
            }
            if let Some((name, description)) = fault_paragraph(&para.text) {
                body.faults.push(FaultRef {
                    name: name.to_string(),
                    description: (!description.is_empty()).then(|| description.to_string()),
                    source: self.loc(para.line),
                });
            } else if let Some(last) = body.faults[first_new..].last_mut() {
                let text = match last.description.take() {
                    Some(d) => format!("{d}\n\n{}", para.text),
                    None => para.text,
                };
                last.description = Some(text);
            } else {
                let message = format!(
                    "unrecognised text `{}` in an error response",
                    shorten(&para.text)
                );
                self.warn_line(para.line, message);
            }
        }
        if let Some(ret) = response.returns {
            if ret.spec.ty.name != FAULT_ENVELOPE {
                let message = format!(
                    "error response {} returns `{}` instead of `{FAULT_ENVELOPE}`; not modelled",
                    self.text(line),
                    ret.spec.ty
                );
                self.warn_line(ret.line, message);
            }
        }
    }

    // ----- fields ----------------------------------------------------------------------

    /// Fields until the next block; non-field text is skipped with a warning.
    fn field_list(&mut self) -> Result<Vec<RawField>, Diagnostic> {
        let mut fields: Vec<RawField> = Vec::new();
        let mut seen = HashSet::new();
        loop {
            self.skip_blank();
            if self.at_end() || self.is_marker(self.i) {
                return Ok(fields);
            }
            if !self.field_starts_at(self.i) {
                let message = format!(
                    "unrecognised text `{}` where a field was expected",
                    shorten(self.text(self.i))
                );
                self.skip_unknown_paragraph(message);
                continue;
            }
            let field = self.field()?;
            if !seen.insert(field.name.clone()) {
                return Err(self
                    .error_line(field.start + 1, format!("duplicate field `{}`", field.name))
                    .expected("each field listed once"));
            }
            fields.push(field);
        }
    }

    /// Type line, name, `Required`/`Optional`, description paragraphs.
    fn field(&mut self) -> Result<RawField, Diagnostic> {
        let start = self.i;
        let type_text = self.text(start);
        let Some(spec) = parse_type_text(type_text) else {
            return Err(self
                .error_line(start, format!("unknown field type `{type_text}`"))
                .expected(TYPE_EXPECTED));
        };
        let name = self.text(start + 1);
        if !is_name(name) {
            return Err(self
                .error_line(
                    start + 1,
                    format!("the type line `{type_text}` is not followed by a field name"),
                )
                .expected("the field name on the line after its type"));
        }
        let Some(optional) = requiredness(self.text(start + 2)) else {
            return Err(self
                .error_line(
                    start + 2,
                    format!("field `{name}` does not say whether it is required"),
                )
                .expected("`Required` or `Optional`"));
        };
        self.warn_formats(start, &spec);
        self.i = start + 3;
        let paras = self
            .paragraphs(|p, i, para_start| p.is_marker(i) || (para_start && p.field_starts_at(i)));
        Ok(RawField {
            name: name.to_string(),
            start,
            ty: spec.ty,
            secret: spec.secret,
            optional,
            paras,
        })
    }

    fn warn_formats(&mut self, line: usize, spec: &TypeSpec) {
        for format in &spec.unknown_formats {
            let message = format!(
                "format `As {format}` is not understood; read the type as `{}`",
                spec.ty
            );
            self.warn_line(line, message);
        }
    }

    /// Skips a JSON example, counting brackets outside string literals.
    fn skip_json(&mut self) -> Result<(), Diagnostic> {
        let start = self.i;
        let mut depth: i64 = 0;
        while !self.at_end() {
            let mut in_string = false;
            let mut escaped = false;
            for c in self.text(self.i).chars() {
                if in_string {
                    match c {
                        _ if escaped => escaped = false,
                        '\\' => escaped = true,
                        '"' => in_string = false,
                        _ => {}
                    }
                } else {
                    match c {
                        '"' => in_string = true,
                        '{' | '[' => depth += 1,
                        '}' | ']' => depth -= 1,
                        _ => {}
                    }
                }
            }
            self.i += 1;
            if depth <= 0 {
                return Ok(());
            }
        }
        Err(self
            .error_line(start, "the JSON example starting here is never closed")
            .expected("a closing `}` before the end of the file"))
    }

    fn param(&self, f: RawField) -> Param {
        Param {
            name: f.name,
            ty: Some(f.ty),
            optional: Some(f.optional),
            secret: f.secret,
            since: None,
            description: join_paras(f.paras.iter().map(|p| p.text.as_str())),
            source: self.loc(f.start),
            origin: Default::default(),
        }
    }

    fn data_field(&mut self, f: RawField) -> Field {
        let mut since = None;
        let mut description = Vec::new();
        for para in &f.paras {
            match since_paragraph(&para.text) {
                Some(Some(v)) => since = Some(v),
                Some(None) => {
                    let message = format!("unrecognised version in `{}`", para.text);
                    self.warn_line(para.line, message);
                }
                None => description.push(para.text.as_str()),
            }
        }
        Field {
            name: f.name,
            ty: Some(f.ty),
            optional: Some(f.optional),
            secret: f.secret,
            since,
            deprecated: None,
            description: join_paras(description.into_iter()),
            source: self.loc(f.start),
            origin: Default::default(),
        }
    }

    // ----- the model -------------------------------------------------------------------

    fn assemble(
        &mut self,
        title_line: usize,
        header: Header,
        endpoint: Endpoint,
        body: Body,
    ) -> Model {
        let description = join_paras(header.description.iter().map(String::as_str));
        let deprecated = join_paras(header.deprecated.iter().map(String::as_str));
        let http = Some(HttpBinding {
            verb: endpoint.verb.clone(),
            path: endpoint.path.clone(),
        });
        if body.success_line.is_none() {
            self.warn_line(
                title_line,
                "the page documents no success response; the return type is unknown",
            );
        }
        let mut params = Vec::new();
        let mut request_type = None;
        if let Some((line, type_name, fields)) = body.params {
            let expected = format!("{}RequestType", endpoint.member);
            if type_name != expected {
                self.warn_line(
                    line,
                    format!("request body type `{type_name}` is not `{expected}`"),
                );
            }
            params = fields.into_iter().map(|f| self.param(f)).collect();
            request_type = Some(type_name);
        }
        let is_property = endpoint.verb == "GET"
            && endpoint
                .member
                .starts_with(|c: char| c.is_ascii_lowercase());
        let mut managed = ManagedObject {
            name: endpoint.type_name.clone(),
            wire_name: endpoint.type_name.clone(),
            base: None,
            description: None,
            since: None,
            deprecated: None,
            properties: Vec::new(),
            methods: Vec::new(),
            source: self.loc(endpoint.url_line),
        };
        if is_property {
            for p in &params {
                let message = format!("parameter `{}` of a property page is ignored", p.name);
                self.warn_line(p.source.line as usize - 1, message);
            }
            for f in &body.faults {
                let message = format!("fault `{}` of a property page is ignored", f.name);
                self.warn_line(f.source.line as usize - 1, message);
            }
            if deprecated.is_some() {
                self.warn_line(
                    title_line,
                    "the deprecation note of a property is not modelled",
                );
            }
            managed.properties.push(Property {
                name: endpoint.member,
                ty: body.returns.and_then(|r| r.ty),
                optional: None,
                privilege: header.privilege,
                since: header.since,
                deprecated: None,
                description,
                http,
                source: self.loc(title_line),
                origin: Default::default(),
            });
        } else {
            managed.methods.push(Method {
                name: endpoint.member,
                params,
                returns: body.returns,
                privilege: header.privilege,
                privilege_on: Default::default(),
                since: header.since,
                faults: body.faults,
                description,
                deprecated,
                http,
                source: self.loc(title_line),
                request_type,
                task_result: None,
                origin: Default::default(),
            });
        }
        Model {
            managed_objects: vec![managed],
            data_types: body.data_types,
            ..Model::default()
        }
    }
}

// ----- line classification ---------------------------------------------------------------

/// A three-digit HTTP status line.
fn is_status(t: &str) -> bool {
    t.len() == 3 && t.bytes().all(|b| b.is_ascii_digit())
}

/// `Required` → `Some(false)`, `Optional` → `Some(true)`.
fn requiredness(t: &str) -> Option<bool> {
    match t {
        "Required" => Some(false),
        "Optional" => Some(true),
        _ => None,
    }
}

/// A field, parameter or member name.
fn is_name(t: &str) -> bool {
    t.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && requiredness(t).is_none()
        && !SECTION_MARKERS.contains(&t)
}

/// A data, enum or managed type name as the page writes it (`UserSession`).
fn is_type_name(t: &str) -> bool {
    t.starts_with(|c: char| c.is_ascii_uppercase())
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}

fn is_returns_line(t: &str) -> bool {
    t.starts_with("Returns ") && t.contains(MEDIA_SEPARATOR.trim_end())
}

fn starts_json(t: &str) -> bool {
    t.starts_with('{') || t.starts_with('[')
}

/// A one-line JSON example of a primitive value: `"string"`, `false`, `0`.
fn is_json_scalar(t: &str) -> bool {
    t.starts_with('"')
        || matches!(t, "true" | "false" | "null")
        || (!is_status(t)
            && t.starts_with(|c: char| c.is_ascii_digit() || c == '-')
            && t.parse::<f64>().is_ok())
}

/// Parses a type line: `string`, `integer As int64 As int64`, `string As password`,
/// `UserSession`, `array of string`, `string[]`.
fn parse_type_text(text: &str) -> Option<TypeSpec> {
    let text = text.trim();
    let (inner, array) = if let Some(rest) = text
        .strip_prefix("array of ")
        .or_else(|| text.strip_prefix("Array of "))
    {
        (rest.trim(), true)
    } else if let Some(rest) = text.strip_suffix("[]") {
        (rest.trim(), true)
    } else {
        (text, false)
    };
    let mut parts = inner.split(" As ");
    let base = parts.next().unwrap_or("").trim();
    let formats: Vec<&str> = parts.map(str::trim).collect();
    let mut secret = false;
    let mut unknown_formats = Vec::new();
    let (name, strong) = match base {
        _ if Primitive::is_json_type(base) => {
            let mut chosen: Option<Primitive> = None;
            for &format in &formats {
                let mapped = match Primitive::from_json(base, Some(format)) {
                    Some(p) => p,
                    // `As password` marks a credential; the value is a string.
                    None if (base, format) == ("string", "password") => {
                        secret = true;
                        Primitive::String
                    }
                    None => {
                        unknown_formats.push(format.to_string());
                        continue;
                    }
                };
                match chosen {
                    Some(previous) if previous != mapped => {
                        unknown_formats.push(format.to_string())
                    }
                    _ => chosen = Some(mapped),
                }
            }
            let default = Primitive::from_json(base, None).unwrap_or(Primitive::AnyType);
            (chosen.unwrap_or(default).name(), true)
        }
        _ if is_type_name(base) => {
            unknown_formats.extend(formats.iter().map(|f| f.to_string()));
            (base, array || !formats.is_empty())
        }
        _ => return None,
    };
    let ty = if array {
        TypeRef::array_of(name)
    } else {
        TypeRef::scalar(name)
    };
    Some(TypeSpec {
        ty,
        secret,
        strong,
        unknown_formats,
    })
}

/// `Since: vSphere API 5.1` → `Some(Some(version))`; `Since: junk` → `Some(None)`;
/// anything else (including prose starting with "Since ") → `None`.
fn since_paragraph(text: &str) -> Option<Option<Version>> {
    if let Some(rest) = text.strip_prefix("Since:") {
        return Some(Version::parse(rest));
    }
    let rest = text.strip_prefix("Since ")?;
    Version::parse(rest).map(Some)
}

/// `InvalidLogin: if the user …` → (`InvalidLogin`, `if the user …`).
fn fault_paragraph(text: &str) -> Option<(&str, &str)> {
    let (name, description) = text.split_once(':')?;
    let short = name.rsplit('.').next().unwrap_or(name);
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        && short.starts_with(|c: char| c.is_ascii_uppercase());
    valid.then(|| (name, description.trim()))
}

// ----- text helpers ----------------------------------------------------------------------

/// Appends the words of `line` to `text`, single-spaced.
fn push_words(text: &mut String, line: &str) {
    for word in line.split_whitespace() {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(word);
    }
}

fn normalise(line: &str) -> String {
    let mut text = String::new();
    push_words(&mut text, line);
    text
}

/// Paragraphs joined by a blank line; `None` when there are none.
fn join_paras<'t>(paras: impl Iterator<Item = &'t str>) -> Option<String> {
    let mut out = String::new();
    for para in paras {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(para);
    }
    (!out.is_empty()).then_some(out)
}
