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

/// File-name suffixes and the format they name, checked in order.
const SUFFIXES: &[(&str, Format)] = &[
    (".rst", Format::PyvmomiRst),
    (".rst.gz", Format::PyvmomiRst),
    (".tables.md", Format::DocsMarkdown),
    (".openapi.md", Format::OpenApiMarkdown),
    (".vijson.txt", Format::VijsonText),
];

/// Whether `path` names a document this generator reads.
pub fn is_document(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    SUFFIXES.iter().any(|(suffix, _)| name.ends_with(suffix))
}

/// Every document below `dir`, sorted by path (deterministic order).
pub fn documents_under(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if is_document(&path) {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Reads `path` (decompressing `.gz`), checks it is UTF-8 and decides its format.
/// `display` is the path used in diagnostics and source locations.
pub fn read_document(path: &Path, display: &str) -> Result<Document, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| io_error(display, &e.to_string()))?;
    document_from_bytes(display, &bytes)
}

/// Builds a document from raw bytes; the name decides gzip and (first) the format.
pub fn document_from_bytes(display: &str, bytes: &[u8]) -> Result<Document, Diagnostic> {
    let bytes = if display.ends_with(".gz") {
        gunzip(display, bytes)?
    } else {
        bytes.to_vec()
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
            let src = SourceText::new(display, prefix);
            return Err(
                Diagnostic::error(&src, src.pos(valid), "the document is not valid UTF-8")
                    .expected("UTF-8 text")
                    .found(format!("byte 0x{:02x}", bytes[valid])),
            );
        }
    };
    let name = display.strip_suffix(".gz").unwrap_or(display);
    let format = SUFFIXES
        .iter()
        .filter(|(suffix, _)| !suffix.ends_with(".gz"))
        .find(|(suffix, _)| name.ends_with(suffix))
        .map(|(_, f)| *f)
        .or_else(|| sniff(&text));
    let source = SourceText::new(display, text);
    match format {
        Some(format) => Ok(Document { source, format }),
        None => Err(Diagnostic::error(
            &source,
            Pos { line: 1, column: 1 },
            "cannot tell which documentation format this is",
        )
        .expected("pyvmomi RST, tables Markdown, OpenAPI Markdown or VI/JSON page text")
        .found(source.text.trim_start())),
    }
}

/// Guesses the format of a document whose name does not say.
fn sniff(text: &str) -> Option<Format> {
    let t = text.trim_start();
    if t.starts_with(".. _") || t.contains("\n====") {
        Some(Format::PyvmomiRst)
    } else if t.contains("All URIs are relative to") {
        Some(Format::OpenApiMarkdown)
    } else if t.contains("| service name |") || t.contains("|:---") {
        Some(Format::DocsMarkdown)
    } else if t.contains("\nRequest\nURI\n") {
        Some(Format::VijsonText)
    } else {
        None
    }
}

fn gunzip(display: &str, bytes: &[u8]) -> Result<Vec<u8>, Diagnostic> {
    let src = SourceText::new(display, "");
    if !bytes.starts_with(&[0x1f, 0x8b]) {
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
