//! (stub, being written)

use super::Parsed;
use crate::diag::{Diagnostic, SourceText};

/// Parses one document of this format.
pub fn parse(src: &SourceText) -> Result<Parsed, Diagnostic> {
    let _ = src;
    Ok(Parsed::default())
}
