//! Diagnostics: errors and warnings that point at `file:line:column`.

use std::fmt;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor::Buffer};

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The document cannot be used.
    Error,
    /// Content the parser did not understand and left out of the model.
    Warning,
}

/// A message about a place in a document.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Document path.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column (in characters).
    pub column: u32,
    /// What is wrong.
    pub message: String,
    /// What the parser expected there, if it can say.
    pub expected: Option<String>,
    /// What it found instead.
    pub found: Option<String>,
}

impl Diagnostic {
    /// An error at `pos` in `src`.
    pub fn error(src: &SourceText, pos: Pos, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, src, pos, message)
    }

    /// A warning at `pos` in `src`.
    pub fn warning(src: &SourceText, pos: Pos, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, src, pos, message)
    }

    fn new(severity: Severity, src: &SourceText, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            file: src.path.clone(),
            line: pos.line,
            column: pos.column,
            message: message.into(),
            expected: None,
            found: None,
        }
    }

    /// Adds what was expected.
    pub fn expected(mut self, what: impl Into<String>) -> Self {
        self.expected = Some(what.into());
        self
    }

    /// Adds what was found (shortened to one line of at most 60 characters).
    pub fn found(mut self, what: impl AsRef<str>) -> Self {
        self.found = Some(shorten(what.as_ref()));
        self
    }

    /// Renders the diagnostic with a source snippet, for terminals and logs.
    pub fn render(&self, text: &str) -> String {
        let file = SimpleFile::new(self.file.as_str(), text);
        let offset = byte_offset(text, self.line, self.column);
        let end = (offset + 1).min(text.len()).max(offset);
        let mut notes = Vec::new();
        if let Some(e) = &self.expected {
            notes.push(format!("expected: {e}"));
        }
        if let Some(f) = &self.found {
            notes.push(format!("found: {f}"));
        }
        let cs = match self.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        }
        .with_message(&self.message)
        .with_labels(vec![Label::primary((), offset..end)])
        .with_notes(notes);
        let mut buffer = Buffer::no_color();
        let config = term::Config::default();
        match term::emit(&mut buffer, &config, &file, &cs) {
            Ok(()) => String::from_utf8_lossy(buffer.as_slice()).into_owned(),
            Err(_) => self.to_string(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {kind}: {}",
            self.file, self.line, self.column, self.message
        )?;
        if let Some(e) = &self.expected {
            write!(f, "; expected {e}")?;
        }
        if let Some(found) = &self.found {
            write!(f, ", found {found:?}")?;
        }
        Ok(())
    }
}

/// The first line of `s`, cut at 60 characters, with `…` when anything was left out: for
/// quoting document text in messages.
pub fn shorten(s: &str) -> String {
    let line = s.lines().next().unwrap_or("");
    let mut out: String = line.chars().take(60).collect();
    if line.chars().count() > 60 || s.lines().nth(1).is_some() {
        out.push('…');
    }
    out
}

fn byte_offset(text: &str, line: u32, column: u32) -> usize {
    let start = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1) as usize)
        .map(str::len)
        .sum::<usize>();
    let rest = &text[start.min(text.len())..];
    let col = rest
        .char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map(|(i, _)| i)
        .unwrap_or(rest.len());
    start + col
}

/// A 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    /// 1-based line.
    pub line: u32,
    /// 1-based column in characters.
    pub column: u32,
}

/// A document's text with its path, able to turn byte offsets into positions.
#[derive(Clone, Debug)]
pub struct SourceText {
    /// Path as given by the caller (used in diagnostics and `Loc`s).
    pub path: String,
    /// The whole text.
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceText {
    /// Wraps `text` read from `path`.
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceText {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// The position of a byte offset into `text`.
    pub fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self.text[start..offset].chars().count() + 1;
        Pos {
            line: line as u32 + 1,
            column: column as u32,
        }
    }

    /// A `Loc` (file and line) for a byte offset. Unlike [`SourceText::pos`] it does not
    /// count columns, so it stays cheap on long (collapsed) lines.
    pub fn loc(&self, offset: usize) -> crate::model::Loc {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset);
        crate::model::Loc::new(self.path.clone(), line as u32)
    }

    /// The byte offset where 1-based `line` starts.
    pub fn line_start(&self, line: u32) -> usize {
        self.line_starts
            .get(line.saturating_sub(1) as usize)
            .copied()
            .unwrap_or(self.text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let src = SourceText::new("x.rst", "ab\ncdé f\n");
        assert_eq!(src.pos(0), Pos { line: 1, column: 1 });
        assert_eq!(src.pos(3), Pos { line: 2, column: 1 });
        assert_eq!(src.pos(8), Pos { line: 2, column: 5 });
    }

    #[test]
    fn display_names_file_line_column_expected_and_found() {
        let src = SourceText::new("a.md", "x\nyz\n");
        let d = Diagnostic::error(&src, src.pos(2), "bad table")
            .expected("a `|` row")
            .found("yz");
        assert_eq!(
            d.to_string(),
            "a.md:2:1: error: bad table; expected a `|` row, found \"yz\""
        );
        let rendered = d.render(&src.text);
        assert!(rendered.contains("a.md:2:1"), "{rendered}");
    }
}
