//! A small block/inline tree built from pulldown-cmark events, shared by the two Markdown
//! parsers ([`super::docs_md`] and [`super::openapi_md`]), with table-shape checks and text helpers.

use std::ops::Range;
use std::sync::OnceLock;

use pulldown_cmark::{Event, OffsetIter, Options, Parser, Tag};
use regex::Regex;

use super::common::Reporter;
use crate::diag::{Diagnostic, SourceText};
use crate::model::TypeRef;

/// Deepest nesting of blocks or inlines accepted (guards the recursion).
const MAX_DEPTH: usize = 64;

/// The regex in `cell`, compiled on first use.
pub(crate) fn cached(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("the parsers' regexes are valid"))
}

/// Inline content. Adjacent text is merged; `<br>` becomes [`Inline::Break`] and
/// `<a href=…>…</a>` a [`Inline::Link`].
#[derive(Clone, Debug)]
pub(crate) enum Inline {
    /// Plain text (entities decoded).
    Text(String, Range<usize>),
    /// A code span.
    Code(String, Range<usize>),
    /// A Markdown or HTML link.
    Link {
        /// Link destination.
        dest: String,
        /// Link title (empty when none).
        title: String,
        /// Link text.
        children: Vec<Inline>,
        /// Source range.
        range: Range<usize>,
    },
    /// `*…*`.
    Emph(Vec<Inline>, Range<usize>),
    /// `**…**`.
    Strong(Vec<Inline>, Range<usize>),
    /// Inline HTML other than `<br>` and `<a>`.
    Html(String, Range<usize>),
    /// Hard line break or `<br>`.
    Break(Range<usize>),
    /// Soft line break.
    Soft(Range<usize>),
    /// Anything else (images, footnote references, …), by kind.
    Other(&'static str, Range<usize>),
}

impl Inline {
    /// Where it is in the source.
    pub(crate) fn range(&self) -> Range<usize> {
        match self {
            Inline::Text(_, r)
            | Inline::Code(_, r)
            | Inline::Emph(_, r)
            | Inline::Strong(_, r)
            | Inline::Html(_, r)
            | Inline::Break(r)
            | Inline::Soft(r)
            | Inline::Other(_, r) => r.clone(),
            Inline::Link { range, .. } => range.clone(),
        }
    }

    /// Moves its source range (and its children's) `by` bytes on: for inlines parsed from
    /// a slice that starts `by` bytes into the document.
    pub(crate) fn shift(&mut self, by: usize) {
        let (range, children) = match self {
            Inline::Text(_, r)
            | Inline::Code(_, r)
            | Inline::Html(_, r)
            | Inline::Break(r)
            | Inline::Soft(r)
            | Inline::Other(_, r) => (r, None),
            Inline::Emph(c, r) | Inline::Strong(c, r) => (r, Some(c)),
            Inline::Link {
                range, children, ..
            } => (range, Some(children)),
        };
        *range = range.start + by..range.end + by;
        for child in children.into_iter().flatten() {
            child.shift(by);
        }
    }
}

/// What [`inlines_of_slice`] finds: the paragraphs' inlines, and every other block's kind
/// and start.
pub(crate) type SliceInlines = (Vec<Inline>, Vec<(&'static str, usize)>);

/// The inlines of the text `start..end` of `src`, parsed on its own (positions kept), for a
/// table cell whose text holds unescaped `|`; blocks other than paragraphs are returned by
/// kind and where they start, for the caller to report.
pub(crate) fn inlines_of_slice(
    src: &SourceText,
    start: usize,
    end: usize,
) -> Result<SliceInlines, Diagnostic> {
    let sub = SourceText::new(src.path.clone(), &src.text[start..end]);
    let mut inlines = Vec::new();
    let mut others = Vec::new();
    for block in parse(&sub)? {
        match block {
            Block::Paragraph {
                inlines: mut more, ..
            } => {
                more.iter_mut().for_each(|i| i.shift(start));
                inlines.append(&mut more);
            }
            other => others.push((other.kind(), start + other.range().start)),
        }
    }
    Ok((inlines, others))
}

/// A table cell.
#[derive(Clone, Debug)]
pub(crate) struct Cell {
    /// Its content.
    pub inlines: Vec<Inline>,
    /// Where it is (empty for a cell the table parser added to pad a short row).
    pub range: Range<usize>,
    /// Whether the row did not have this cell (added to match the header).
    pub padded: bool,
}

/// A table row (or the header row).
#[derive(Clone, Debug)]
pub(crate) struct Row {
    /// Its cells, padded or truncated to the header's column count.
    pub cells: Vec<Cell>,
    /// The row's source, including its newline.
    pub range: Range<usize>,
}

/// A GFM table.
#[derive(Clone, Debug)]
pub(crate) struct Table {
    /// Header row.
    pub head: Row,
    /// Body rows.
    pub rows: Vec<Row>,
    /// The whole table.
    pub range: Range<usize>,
}

/// Block content.
#[derive(Clone, Debug)]
pub(crate) enum Block {
    /// ATX or setext heading.
    Heading {
        /// 1–6.
        level: u8,
        /// Heading text.
        inlines: Vec<Inline>,
        /// Source range.
        range: Range<usize>,
    },
    /// A paragraph (also inline content directly inside a tight list item).
    Paragraph {
        /// Its content.
        inlines: Vec<Inline>,
        /// Source range.
        range: Range<usize>,
    },
    /// A table.
    Table(Table),
    /// `---`.
    Rule(Range<usize>),
    /// Fenced or indented code.
    Code(Range<usize>),
    /// `> …`.
    Quote {
        /// Quoted blocks.
        blocks: Vec<Block>,
        /// Source range.
        range: Range<usize>,
    },
    /// A bulleted or numbered list (its content is not needed by the parsers).
    List(Range<usize>),
    /// An HTML block.
    Html(Range<usize>),
    /// Anything else, by kind.
    Other {
        /// What it is.
        what: &'static str,
        /// Source range.
        range: Range<usize>,
    },
}

impl Block {
    /// Where it is in the source.
    pub(crate) fn range(&self) -> Range<usize> {
        match self {
            Block::Heading { range, .. }
            | Block::Paragraph { range, .. }
            | Block::Quote { range, .. }
            | Block::Other { range, .. }
            | Block::Code(range)
            | Block::List(range)
            | Block::Html(range)
            | Block::Rule(range) => range.clone(),
            Block::Table(t) => t.range.clone(),
        }
    }

    /// What kind of block it is, for messages.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Block::Heading { .. } => "a heading",
            Block::Paragraph { .. } => "a paragraph",
            Block::Table(_) => "a table",
            Block::Rule(_) => "a rule",
            Block::Code(_) => "a code block",
            Block::Quote { .. } => "a block quote",
            Block::List(_) => "a list",
            Block::Html(_) => "an HTML block",
            Block::Other { what, .. } => what,
        }
    }
}

/// Builds the block tree of a document from pulldown-cmark's events (tables enabled).
pub(crate) fn parse(src: &SourceText) -> Result<Vec<Block>, Diagnostic> {
    let mut builder = Builder {
        src,
        events: Parser::new_ext(&src.text, Options::ENABLE_TABLES).into_offset_iter(),
    };
    builder.blocks(0)
}

struct Builder<'s> {
    src: &'s SourceText,
    events: OffsetIter<'s>,
}

fn is_block_tag(tag: &Tag<'_>) -> bool {
    !matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

impl<'s> Builder<'s> {
    fn check_depth(&self, depth: usize, range: &Range<usize>) -> Result<(), Diagnostic> {
        if depth < MAX_DEPTH {
            return Ok(());
        }
        Err(Diagnostic::error(
            self.src,
            self.src.pos(range.start),
            "the Markdown is nested too deeply",
        )
        .expected(format!("at most {MAX_DEPTH} levels of nesting"))
        .found(&self.src.text[range.clone()]))
    }

    /// Blocks up to the end of the enclosing container (or of the document).
    fn blocks(&mut self, depth: usize) -> Result<Vec<Block>, Diagnostic> {
        let mut out = Vec::new();
        let mut loose: Vec<Inline> = Vec::new();
        while let Some((event, range)) = self.events.next() {
            let block = match event {
                Event::End(_) => break,
                Event::Rule => Block::Rule(range),
                Event::Start(tag) if is_block_tag(&tag) => {
                    self.check_depth(depth, &range)?;
                    self.block(tag, range, depth + 1)?
                }
                other => {
                    loose.push(self.inline(other, range, depth)?);
                    continue;
                }
            };
            flush_loose(&mut loose, &mut out);
            out.push(block);
        }
        flush_loose(&mut loose, &mut out);
        Ok(out)
    }

    fn block(
        &mut self,
        tag: Tag<'s>,
        range: Range<usize>,
        depth: usize,
    ) -> Result<Block, Diagnostic> {
        Ok(match tag {
            Tag::Paragraph => Block::Paragraph {
                inlines: self.inlines(depth)?,
                range,
            },
            Tag::Heading { level, .. } => Block::Heading {
                level: level as u8,
                inlines: self.inlines(depth)?,
                range,
            },
            Tag::BlockQuote(_) => Block::Quote {
                blocks: self.blocks(depth)?,
                range,
            },
            Tag::CodeBlock(_) => {
                self.skip();
                Block::Code(range)
            }
            Tag::HtmlBlock => {
                self.skip();
                Block::Html(range)
            }
            Tag::List(_) => {
                self.skip();
                Block::List(range)
            }
            Tag::Table(_) => Block::Table(self.table(range, depth)?),
            Tag::Item => Block::Quote {
                blocks: self.blocks(depth)?,
                range,
            },
            Tag::FootnoteDefinition(_) => self.other("a footnote definition", range),
            Tag::MetadataBlock(_) => self.other("a metadata block", range),
            _ => self.other("an unsupported block", range),
        })
    }

    fn other(&mut self, what: &'static str, range: Range<usize>) -> Block {
        self.skip();
        Block::Other { what, range }
    }

    /// Consumes events up to the end of the element just started.
    fn skip(&mut self) {
        let mut open = 1usize;
        for (event, _) in self.events.by_ref() {
            match event {
                Event::Start(_) => open += 1,
                Event::End(_) => {
                    open -= 1;
                    if open == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }

    fn table(&mut self, range: Range<usize>, depth: usize) -> Result<Table, Diagnostic> {
        let mut head = None;
        let mut rows = Vec::new();
        while let Some((event, row_range)) = self.events.next() {
            match event {
                Event::Start(Tag::TableHead) => head = Some(self.row(row_range, depth)?),
                Event::Start(Tag::TableRow) => rows.push(self.row(row_range, depth)?),
                Event::Start(_) => self.skip(),
                Event::End(_) => break,
                _ => {}
            }
        }
        let head = head.unwrap_or(Row {
            cells: Vec::new(),
            range: range.start..range.start,
        });
        Ok(Table { head, rows, range })
    }

    fn row(&mut self, range: Range<usize>, depth: usize) -> Result<Row, Diagnostic> {
        let mut cells = Vec::new();
        while let Some((event, cell_range)) = self.events.next() {
            match event {
                Event::Start(Tag::TableCell) => {
                    let inlines = self.inlines(depth)?;
                    let padded = cell_range.is_empty() && cell_range.start >= range.end;
                    cells.push(Cell {
                        inlines,
                        range: cell_range,
                        padded,
                    });
                }
                Event::Start(_) => self.skip(),
                Event::End(_) => break,
                _ => {}
            }
        }
        Ok(Row { cells, range })
    }

    /// Inline content up to the end of the enclosing element.
    fn inlines(&mut self, depth: usize) -> Result<Vec<Inline>, Diagnostic> {
        let mut out = Vec::new();
        while let Some((event, range)) = self.events.next() {
            if let Event::End(_) = event {
                break;
            }
            out.push(self.inline(event, range, depth)?);
        }
        Ok(normalize(out))
    }

    fn inline(
        &mut self,
        event: Event<'s>,
        range: Range<usize>,
        depth: usize,
    ) -> Result<Inline, Diagnostic> {
        Ok(match event {
            Event::Text(t) => Inline::Text(t.into_string(), range),
            Event::Code(t) => Inline::Code(t.into_string(), range),
            Event::InlineHtml(t) | Event::Html(t) => Inline::Html(t.into_string(), range),
            Event::SoftBreak => Inline::Soft(range),
            Event::HardBreak => Inline::Break(range),
            Event::Start(tag) => {
                self.check_depth(depth, &range)?;
                match tag {
                    Tag::Emphasis => Inline::Emph(self.inlines(depth + 1)?, range),
                    Tag::Strong => Inline::Strong(self.inlines(depth + 1)?, range),
                    Tag::Link {
                        dest_url, title, ..
                    } => Inline::Link {
                        dest: dest_url.into_string(),
                        title: title.into_string(),
                        children: self.inlines(depth + 1)?,
                        range,
                    },
                    Tag::Image { .. } => {
                        self.skip();
                        Inline::Other("an image", range)
                    }
                    _ => {
                        self.skip();
                        Inline::Other("unsupported inline markup", range)
                    }
                }
            }
            Event::FootnoteReference(_) => Inline::Other("a footnote reference", range),
            Event::InlineMath(_) | Event::DisplayMath(_) => Inline::Other("math", range),
            Event::TaskListMarker(_) => Inline::Other("a task list marker", range),
            Event::Rule | Event::End(_) => Inline::Other("misplaced block markup", range),
        })
    }
}

fn flush_loose(loose: &mut Vec<Inline>, out: &mut Vec<Block>) {
    if loose.is_empty() {
        return;
    }
    let inlines = normalize(std::mem::take(loose));
    let start = inlines.first().map_or(0, |i| i.range().start);
    let end = inlines.last().map_or(start, |i| i.range().end);
    out.push(Block::Paragraph {
        inlines,
        range: start..end,
    });
}

/// Turns `<br>` into breaks and `<a href>…</a>` into links, then merges adjacent text.
fn normalize(inlines: Vec<Inline>) -> Vec<Inline> {
    static OPEN_A: OnceLock<Regex> = OnceLock::new();
    static CLOSE_A: OnceLock<Regex> = OnceLock::new();
    static BR: OnceLock<Regex> = OnceLock::new();
    let open_a = cached(
        &OPEN_A,
        r#"(?i)^<a\s+href\s*=\s*(?:"([^"]*)"|'([^']*)')\s*>$"#,
    );
    let close_a = cached(&CLOSE_A, r"(?i)^</a\s*>$");
    let br = cached(&BR, r"(?i)^<br\s*/?>$");

    let is_close = |i: &Inline| matches!(i, Inline::Html(h, _) if close_a.is_match(h.trim()));
    // Index of the next `</a>` at or after each position (linear precomputation).
    let mut next_close = vec![None; inlines.len() + 1];
    for i in (0..inlines.len()).rev() {
        next_close[i] = if is_close(&inlines[i]) {
            Some(i)
        } else {
            next_close[i + 1]
        };
    }

    let mut grouped: Vec<Inline> = Vec::with_capacity(inlines.len());
    let mut items = inlines.into_iter().enumerate().peekable();
    while let Some((index, inline)) = items.next() {
        match inline {
            Inline::Html(html, range) if br.is_match(html.trim()) => {
                grouped.push(Inline::Break(range))
            }
            Inline::Html(html, range) => {
                let href = open_a.captures(html.trim()).map(|c| {
                    c.get(1)
                        .or_else(|| c.get(2))
                        .map_or(String::new(), |m| m.as_str().to_string())
                });
                match (href, next_close[index + 1]) {
                    (Some(dest), Some(close)) => {
                        let mut children = Vec::new();
                        let mut end = range.end;
                        for (i, child) in items.by_ref() {
                            if i == close {
                                end = child.range().end;
                                break;
                            }
                            children.push(child);
                        }
                        grouped.push(Inline::Link {
                            dest,
                            title: String::new(),
                            children: normalize(children),
                            range: range.start..end,
                        });
                    }
                    _ => grouped.push(Inline::Html(html, range)),
                }
            }
            other => grouped.push(other),
        }
    }

    let mut merged: Vec<Inline> = Vec::with_capacity(grouped.len());
    for inline in grouped {
        if let (Some(Inline::Text(text, range)), Inline::Text(more, more_range)) =
            (merged.last_mut(), &inline)
        {
            text.push_str(more);
            range.end = range.end.max(more_range.end);
            continue;
        }
        merged.push(inline);
    }
    merged
}

/// The text of inline content without markup (link texts, no HTML).
pub(crate) fn plain(inlines: &[Inline]) -> String {
    let mut out = String::new();
    plain_into(inlines, &mut out);
    out
}

fn plain_into(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(t, _) | Inline::Code(t, _) => out.push_str(t),
            Inline::Link { children, .. }
            | Inline::Emph(children, _)
            | Inline::Strong(children, _) => plain_into(children, out),
            Inline::Break(_) | Inline::Soft(_) => out.push(' '),
            Inline::Html(..) | Inline::Other(..) => {}
        }
    }
}

/// Writes a code span as description markup: `` `text` `` (a text holding a backtick is
/// kept as prose, since the markup has no escape for it).
pub(crate) fn push_code(text: &str, out: &mut String) {
    if text.contains('`') || text.trim().is_empty() {
        out.push_str(text);
    } else {
        out.push('`');
        out.push_str(text);
        out.push('`');
    }
}

/// Normalises whitespace: runs of blanks become one space, lines are trimmed, and
/// blank lines separate paragraphs (`"\n\n"`); leading and trailing space is dropped.
pub(crate) fn squash(text: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    for line in text.split('\n') {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.is_empty() {
            if !lines.is_empty() {
                paragraphs.push(lines.join("\n"));
                lines.clear();
            }
        } else {
            lines.push(words.join(" "));
        }
    }
    if !lines.is_empty() {
        paragraphs.push(lines.join("\n"));
    }
    paragraphs.join("\n\n")
}

/// Whether a header row has exactly these column names (case-insensitive).
pub(crate) fn header_is(head: &Row, names: &[&str]) -> bool {
    head.cells.len() == names.len()
        && head
            .cells
            .iter()
            .zip(names)
            .all(|(cell, name)| squash(&plain(&cell.inlines)).eq_ignore_ascii_case(name))
}

/// Checks a row's shape against its header: closed with `|` when the header is, and
/// with between `min` and `max` cells actually written (no padding, nothing extra).
pub(crate) fn check_row(
    src: &SourceText,
    head: &Row,
    row: &Row,
    min: usize,
    max: usize,
) -> Result<(), Diagnostic> {
    let text = &src.text;
    let row_text = text[row.range.clone()].trim_end();
    let content_end = row.range.start + row_text.len();
    let row_line = row_text.lines().next().unwrap_or("");
    if text[head.range.clone()].trim_end().ends_with('|') && !row_text.ends_with('|') {
        return Err(
            Diagnostic::error(src, src.pos(content_end), "a table row is cut off")
                .expected("`|` closing the row")
                .found(row_line),
        );
    }
    let written = row.cells.iter().filter(|c| !c.padded).count();
    if written < min {
        return Err(Diagnostic::error(
            src,
            src.pos(content_end),
            format!("a table row has {written} cell(s) where {min} are needed"),
        )
        .expected(if min == max {
            format!("{min} cells")
        } else {
            format!("{min} to {max} cells")
        })
        .found(row_line));
    }
    if let Some(last) = row.cells.iter().rev().find(|c| !c.padded) {
        let rest = &text[last.range.end.min(content_end)..content_end];
        let rest = rest.strip_prefix('|').unwrap_or(rest);
        let extra = rest.trim();
        if written > max || (!extra.is_empty() && extra != "|") {
            let at = content_end - rest.trim_start().len();
            return Err(Diagnostic::error(
                src,
                src.pos(at),
                "a table row has more cells than its header",
            )
            .expected(format!("at most {max} cells"))
            .found(row_line));
        }
    }
    Ok(())
}

/// The rest of the line at `offset`, or `end of file`, for a diagnostic's "found".
pub(crate) fn found_at(src: &SourceText, offset: usize) -> String {
    let rest = &src.text[offset.min(src.text.len())..];
    match rest.lines().find(|l| !l.trim().is_empty()) {
        Some(line) => line.trim().to_string(),
        None => "end of file".to_string(),
    }
}

/// A type written as a vmodl name or an alias: `string`, `bool`, `vim.UserSession`,
/// `vim.UserSession[]`; aliases become vmodl primitives.
pub(crate) fn type_from(text: &str) -> Option<TypeRef> {
    let text = text.trim();
    let (name, array) = match text.strip_suffix("[]") {
        Some(inner) => (inner.trim(), true),
        None => (text, false),
    };
    let name = TypeRef::primitive(name).map(str::to_string).or_else(|| {
        TypeRef::parse(name)
            .filter(|t| {
                !t.array
                    && !t.name.starts_with('.')
                    && !t.name.ends_with('.')
                    && !t.name.contains("..")
            })
            .map(|t| t.name)
    })?;
    Some(TypeRef { name, array })
}

/// Warnings about blocks a Markdown parser does not understand, for every [`Reporter`].
pub(super) trait BlockWarnings<'s>: Reporter<'s> {
    /// Records that `block` (found where `context` says) was not understood and left out.
    fn warn_block(&mut self, block: &Block, context: &str) {
        let w = not_understood(self.source(), block, context);
        self.warnings_mut().push(w);
    }
}

impl<'s, T: Reporter<'s>> BlockWarnings<'s> for T {}

/// The warning for a block a parser does not understand (`context` says where it stood).
pub(super) fn not_understood(src: &SourceText, block: &Block, context: &str) -> Diagnostic {
    let range = block.range();
    let msg = format!(
        "{} {context} was not understood and is left out: {:?}",
        block.kind(),
        first_line(&src.text[range.clone()])
    );
    Diagnostic::warning(src, src.pos(range.start), msg)
}

/// The first line of `s`, leading newlines skipped.
pub(super) fn first_line(s: &str) -> &str {
    s.trim_start_matches('\n').lines().next().unwrap_or("")
}

/// `userName`, `NotFound`: letters, digits and `_`, not starting with a digit.
pub(super) fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
