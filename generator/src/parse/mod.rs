//! One parser per documentation format. Each turns a document into a partial [`Model`]
//! plus warnings for content it did not understand; malformed input is an error.

mod common;
pub mod docs_md;
mod html;
mod markdown;
pub mod openapi_md;
mod openapi_types;
pub mod rst;
pub mod vijson_text;

use crate::diag::Diagnostic;
use crate::load::Document;
use crate::model::{Format, Model};

/// What a parser got out of one document.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    /// The facts the document states.
    pub model: Model,
    /// Content that was not understood (never silently dropped).
    pub warnings: Vec<Diagnostic>,
}

/// Parses a document with the parser for its format.
pub fn parse_document(doc: &Document) -> Result<Parsed, Diagnostic> {
    match doc.format {
        Format::PyvmomiRst => rst::parse(&doc.source),
        Format::DocsMarkdown => docs_md::parse(&doc.source),
        Format::OpenApiMarkdown => openapi_md::parse(&doc.source),
        Format::VijsonText => vijson_text::parse(&doc.source),
        Format::Override => unreachable!("overrides are not documents"),
    }
}
