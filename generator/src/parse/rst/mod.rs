//! Parser for the pyvmomi reStructuredText reference (`spec/pyvmomi/**/*.rst[.gz]`), in its
//! normal layout and in a whitespace-collapsed copy (every newline turned into a space).
//!
//! # The format
//!
//! One document describes one type:
//!
//! * named hyperlink targets `.. _name: url` for every name the page links to;
//! * a title (the qualified type name) underlined with `=`;
//! * a header: description paragraphs and a field list — `:extends: base_` (or `:extends:`
//!   with the base `` `base`_ `` on the next line, as fault pages write it), `:since:`,
//!   enum bookkeeping (`:contained by:`, `:type:`, `:name:`) and a `**deprecated**` marker;
//! * sections, each a definition list whose terms are less indented than their definitions:
//!   - `Attributes` underlined with `-` (managed object properties):
//!     `name (type):` + `privilege: X` + description;
//!   - `Methods` underlined with `-`: signature `Name(a, b):` + description, `since:`,
//!     and the blocks `Privilege:`, `Args:` (``name (type[, optional][, since `v`_]):``),
//!     `Returns:` (`None` or `` `type`_: ``) and `Raises:` (`` `fault`_: ``);
//!   - `Attributes:` (data objects and faults): `name (type[, optional]):` or the fault
//!     spelling `name (type): is optional.` / `name (type)`;
//!   - `values:` underlined with `-` (enums): a value at the margin, its description indented.
//!
//! A type is written `` `vim.Foo`_ ``, an array `` [`vim.Foo`_] ``. Python names (`str`,
//! `bool`, `datetime`, …) map to vmodl primitives; any other type must have a hyperlink
//! target on the page, otherwise the reference is an error.
//!
//! # Logical lines
//!
//! The parser works on *segments* (logical lines), each optionally carrying the underline
//! that follows a heading. In the normal layout a segment is a physical line with its
//! indentation; a line followed by a run of `=`/`-` at least as long is a heading.
//!
//! In the collapsed layout indentation and line breaks are gone, so segments are re-derived
//! from structural tokens by `split_collapsed`, a state machine that walks the words and
//! starts a new segment wherever a token that is valid in the current section begins:
//!
//! * before the title: hyperlink targets (`.. _name:` plus a one-word URL);
//! * the title: the text between the last target and the first run of `=`, keeping the
//!   longest tail that fits the underline (RST's rule that an underline covers its title);
//! * a heading: one word starting with a letter followed by a run of `-`/`=` as long as
//!   it or up to two longer (`Attributes`, `Methods`, `values:`; the generator's underlines
//!   match their titles, and a longer run is more likely flattened ASCII art);
//! * in the header: field-list items (`:word:` plus one reference or word), `**deprecated**`,
//!   `Attributes:`;
//! * in attribute lists and `Args:`: a complete declaration ``name (`type`_, …)`` followed by
//!   `:` or whitespace (a declaration that is cut off with no `)` left in the document also
//!   starts a segment, so that it is reported), and `privilege: X`;
//! * among methods: signatures `Name(a, b):`, ``since: `v`_``, `Privilege:`, `Args:`,
//!   `Returns:`, `Raises:`, the first `None` / `` `type`_: `` after `Returns:`, and
//!   `` `fault`_: `` after `Raises:`.
//!
//! The same classifier (`classify`) and the same section transitions (`Ctx::after`)
//! drive both the splitter and the parser, so both layouts yield the same facts. What the
//! collapsed layout cannot carry is reported, not guessed: descriptions lose paragraph
//! breaks (list items are recovered from ` * `), `Loc`s all say line 1, and enum values
//! cannot be told from their descriptions (a warning; no values).
//!
//! # Output
//!
//! Managed objects (pages with `Attributes`/`Methods` sections), enums (`values:`) and data
//! types (everything else, faults included — the reconciler classifies faults by their
//! base chain). Descriptions are plain text with whitespace normalised, paragraphs
//! separated by a blank line and list items (`* `, `1. `) on their own lines;
//! `` `Name`_ `` becomes `[[Name]]`, `` `text <url>`_ `` becomes `[text](url)`, references
//! to Python types stay plain words. A `**deprecated**` marker on a type becomes a final
//! `Deprecated.` paragraph of its description (types have no `deprecated` field); a
//! method's `Deprecated…` sentence is also copied to `Method::deprecated`.
//!
//! Facts the model has no place for are left out knowingly: `privilege` on data-object fields, and the enum bookkeeping fields. The version table
//! page (`vim/version.rst`, whose title is not a type name) yields an empty model and a
//! warning.

mod describe;
mod parser;
mod segments;
mod tokens;

use super::Parsed;
use crate::diag::{Diagnostic, SourceText};
use parser::Parser;
use segments::{split_collapsed, split_lines};

/// Parses one pyvmomi reStructuredText document (normal or whitespace-collapsed layout).
pub fn parse(src: &SourceText) -> Result<Parsed, Diagnostic> {
    let text = src.text.as_str();
    if text.trim().is_empty() {
        return Err(
            Diagnostic::error(src, src.pos(text.len()), "the document is empty")
                .expected("hyperlink targets (`.. _name: url`) and a title underlined with `=`")
                .found("end of document"),
        );
    }
    let collapsed = !text.trim().contains('\n');
    let segs = if collapsed {
        split_collapsed(text)
    } else {
        split_lines(text)
    };
    Parser::new(src, segs, collapsed).run()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::describe::{deprecation, render_inline};
    use super::*;

    #[test]
    fn collapsed_splitting_recovers_logical_lines() {
        let text = ".. _str: https://x .. _vim.Foo: ../Foo.rst vim.Foo ======= A thing. \
                    Attributes ---------- name (`str`_): privilege: System.View The name. \
                    Methods ------- Do(x): Does it. Privilege: System.View Args: x (`str`_, optional): \
                    The x. Returns: None";
        let segs = split_collapsed(text);
        let texts: Vec<&str> = segs.iter().map(|s| s.text).collect();
        assert_eq!(
            texts,
            [
                ".. _str: https://x",
                ".. _vim.Foo: ../Foo.rst",
                "vim.Foo",
                "A thing.",
                "Attributes",
                "name (`str`_):",
                "privilege: System.View The name.",
                "Methods",
                "Do(x): Does it.",
                "Privilege: System.View",
                "Args:",
                "x (`str`_, optional): The x.",
                "Returns:",
                "None",
            ]
        );
    }

    #[test]
    fn inline_markup() {
        let mut targets = HashMap::new();
        targets.insert("vmodl.DynamicData", "x");
        let mut out = String::new();
        render_inline(
            "See `Login`_ and `docs <https://x.y/z>`_, a `str`_ value, vmodl.DynamicData_. and foo_bar_",
            &targets,
            &mut out,
        );
        assert_eq!(
            out,
            "See [[Login]] and [docs](https://x.y/z), a str value, [[vmodl.DynamicData]]. and foo_bar_"
        );
    }

    #[test]
    fn deprecation_sentences() {
        assert_eq!(
            deprecation("Does it. Deprecated as of vSphere API 5.0. Use Other.").as_deref(),
            Some("Deprecated as of vSphere API 5.0.")
        );
        assert_eq!(deprecation("Deprecated.").as_deref(), Some("Deprecated."));
        assert_eq!(deprecation("This is not deprecated at all."), None);
    }
}
