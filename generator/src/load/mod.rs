//! Reading documents from disk: gzip, UTF-8 validation and format detection.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Pos, Severity, SourceText};
use crate::model::Format;

/// A document read into memory, with the format it is in.
#[derive(Clone, Debug)]
pub struct Document {
    /// Its text and path.
    pub source: SourceText,
    /// Which parser reads it.
    pub format: Format,
}

mod classify;

pub use classify::{is_index_page, not_documentation, sniff, SkipReason};

/// File-name suffixes and the format they hint at. Only a hint: a document's content
/// decides its format ([`sniff`]); the suffix is used when the content matches no format's
/// signature (an empty or truncated document still reaches its parser's error messages).
const SUFFIX_HINTS: &[(&str, Format)] = &[
    (".rst", Format::PyvmomiRst),
    (".tables.md", Format::DocsMarkdown),
    (".openapi.md", Format::OpenApiMarkdown),
    (".vijson.txt", Format::VijsonText),
];

/// What reading one file gave: a document to parse, or a file that is not one.
#[derive(Clone, Debug)]
pub enum Loaded {
    /// A reference document.
    Document(Document),
    /// A file that documents no type, and why.
    Skipped(Skipped),
}

/// A file left out, with the reason; every one is counted and reported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The file, as displayed.
    pub file: String,
    /// Why it is not parsed.
    pub reason: SkipReason,
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: skipped: {}", self.file, self.reason)
    }
}

/// Every file below `dir`, sorted by path (deterministic order). Nothing is filtered by
/// name: [`load_file`] decides what each one is.
pub fn documents_under(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Reads `path` and decides what it is: a document (format by content) or a skipped file.
/// `display` is the path used in diagnostics and source locations.
pub fn load_file(path: &Path, display: &str) -> Result<Loaded, Diagnostic> {
    if let Some(what) = not_documentation(display) {
        return Ok(skipped(display, SkipReason::NotDocumentation(what)));
    }
    let bytes = std::fs::read(path).map_err(|e| io_error(display, &e.to_string()))?;
    load_documentation(display, &bytes)
}

/// [`load_file`] on bytes already read.
pub fn load_bytes(display: &str, bytes: &[u8]) -> Result<Loaded, Diagnostic> {
    match not_documentation(display) {
        Some(what) => Ok(skipped(display, SkipReason::NotDocumentation(what))),
        None => load_documentation(display, bytes),
    }
}

/// A file that is not excluded by name: a document, or a page that documents no type.
fn load_documentation(display: &str, bytes: &[u8]) -> Result<Loaded, Diagnostic> {
    let text = decode(display, bytes)?;
    let sniffed = sniff(&text);
    if let Some(reason) = classify::skip_reason(sniffed, &text) {
        return Ok(skipped(display, reason));
    }
    with_format(display, text, sniffed).map(Loaded::Document)
}

fn skipped(display: &str, reason: SkipReason) -> Loaded {
    Loaded::Skipped(Skipped {
        file: display.to_string(),
        reason,
    })
}

/// Reads `path` as one document (decompressing gzip), checks it is UTF-8 and decides its
/// format by content. Unlike [`load_file`], never skips: for a file known to be a document.
pub fn read_document(path: &Path, display: &str) -> Result<Document, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| io_error(display, &e.to_string()))?;
    document_from_bytes(display, &bytes)
}

/// Builds a document from raw bytes: gzip by its magic bytes (or a `.gz` name), the format by
/// content, the name's suffix only as a hint when the content matches no format.
pub fn document_from_bytes(display: &str, bytes: &[u8]) -> Result<Document, Diagnostic> {
    let text = decode(display, bytes)?;
    let sniffed = sniff(&text);
    with_format(display, text, sniffed)
}

/// Decompresses (when gzip) and checks UTF-8.
fn decode(display: &str, bytes: &[u8]) -> Result<String, Diagnostic> {
    let bytes = if display.ends_with(".gz") || bytes.starts_with(&GZIP_MAGIC) {
        gunzip(display, bytes)?
    } else {
        bytes.to_vec()
    };
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let src = SourceText::new(display, prefix);
        Diagnostic::error(&src, src.pos(valid), "the document is not valid UTF-8")
            .expected("UTF-8 text")
            .found(format!("byte 0x{:02x}", bytes[valid]))
    })
}

/// The document with the sniffed format, or the name's hint, or an error saying why none.
fn with_format(
    display: &str,
    text: String,
    sniffed: Option<Format>,
) -> Result<Document, Diagnostic> {
    let name = display.strip_suffix(".gz").unwrap_or(display);
    let hinted = || {
        SUFFIX_HINTS
            .iter()
            .find(|(suffix, _)| name.ends_with(suffix))
            .map(|(_, f)| *f)
    };
    let source = SourceText::new(display, text);
    match sniffed.or_else(hinted) {
        Some(format) => Ok(Document { source, format }),
        None => Err(Diagnostic::error(
            &source,
            Pos { line: 1, column: 1 },
            "cannot tell which documentation format this is: its content has none of the \
             marks of the four formats (RST `.. _` targets, a `# vmware_vi.` title or \
             `Name | Type | Description | Notes` table, `|:--` tables, VI/JSON `Request`/`URI` \
             sections)",
        )
        .expected("pyvmomi RST, tables Markdown, OpenAPI Markdown or VI/JSON page text")
        .found(source.text.trim_start())),
    }
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

fn gunzip(display: &str, bytes: &[u8]) -> Result<Vec<u8>, Diagnostic> {
    let src = SourceText::new(display, "");
    if !bytes.starts_with(&GZIP_MAGIC) {
        let found = match bytes.get(..2) {
            Some(b) => format!("bytes 0x{:02x} 0x{:02x}", b[0], b[1]),
            None => "a file shorter than a gzip header".to_string(),
        };
        return Err(
            Diagnostic::error(&src, Pos { line: 1, column: 1 }, "not a gzip file")
                .expected("gzip magic bytes 0x1f 0x8b")
                .found(found),
        );
    }
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .take(MAX_DECOMPRESSED_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| {
            Diagnostic::error(&src, Pos { line: 1, column: 1 }, "corrupt gzip stream")
                .expected("a complete gzip stream")
                .found(e.to_string())
        })?;
    if out.len() as u64 > MAX_DECOMPRESSED_BYTES {
        return Err(Diagnostic::error(
            &src,
            Pos { line: 1, column: 1 },
            "the decompressed document is too large",
        )
        .expected(format!("at most {MAX_DECOMPRESSED_BYTES} bytes of text"))
        .found(format!("more than {MAX_DECOMPRESSED_BYTES} bytes")));
    }
    Ok(out)
}

/// Largest decompressed `.gz` document accepted (the largest real one is under 200 KB), so
/// a crafted archive cannot exhaust memory.
pub const MAX_DECOMPRESSED_BYTES: u64 = 64 * 1024 * 1024;

fn io_error(display: &str, message: &str) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        file: display.to_string(),
        line: 1,
        column: 1,
        message: format!("cannot read the document: {message}"),
        expected: None,
        found: None,
    }
}
