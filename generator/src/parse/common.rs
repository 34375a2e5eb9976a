//! What every parser shares: diagnostics at byte offsets of the document, the warnings it
//! collects, and text helpers. Locations come from [`SourceText`] (`loc`, `pos`).

use crate::diag::{Diagnostic, SourceText};

pub(crate) use crate::diag::shorten;

/// A parser reporting against one document: errors at byte offsets, warnings collected for
/// the [`super::Parsed`] result.
pub(crate) trait Reporter<'s> {
    /// The document being parsed.
    fn source(&self) -> &'s SourceText;

    /// The warnings collected so far.
    fn warnings_mut(&mut self) -> &mut Vec<Diagnostic>;

    /// An error at byte `offset` of the document.
    fn error(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        let src = self.source();
        Diagnostic::error(src, src.pos(offset), message)
    }

    /// Records a warning at byte `offset` of the document.
    fn warn(&mut self, offset: usize, message: impl Into<String>) {
        let src = self.source();
        let w = Diagnostic::warning(src, src.pos(offset), message);
        self.warnings_mut().push(w);
    }
}

/// Implements [`Reporter`] for a parser struct with `src` and `warnings` fields.
macro_rules! reporter_for {
    ($parser:ident) => {
        impl<'s> $crate::parse::common::Reporter<'s> for $parser<'s> {
            fn source(&self) -> &'s SourceText {
                self.src
            }

            fn warnings_mut(&mut self) -> &mut Vec<Diagnostic> {
                &mut self.warnings
            }
        }
    };
}

pub(crate) use reporter_for;
