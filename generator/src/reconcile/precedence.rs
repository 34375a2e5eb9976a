//! The written precedence: which format wins when documents disagree on a fact.
//!
//! Every [`Fact`] has a [`Rule`] (the `match` in [`rule`] has no catch-all arm, so a new
//! fact does not compile without one). In a ranked row earlier formats win, and a format
//! missing from the row never supplies that fact. Descriptions are not facts: of those
//! with nearly the most words (95% or more of the wordiest), the format ranked first by
//! [`description_rank`] wins.

use crate::model::{Fact, Format};
use Format::*;

/// How the reconciler decides a fact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// The highest-ranked format that states the fact wins (earlier wins).
    Ranked(&'static [Format]),
    /// A yes/no fact that holds when any document says so.
    AnyDocument,
}

/// The rows most facts share: the pyvmomi RST is generated from the type system itself;
/// the others are renderings.
const TYPE_SYSTEM_FIRST: &[Format] = &[
    Override,
    PyvmomiRst,
    VijsonText,
    OpenApiMarkdown,
    DocsMarkdown,
];

/// How `fact` is decided.
pub fn rule(fact: Fact) -> Rule {
    match fact {
        Fact::Type | Fact::Privilege | Fact::Returns | Fact::Base => {
            Rule::Ranked(TYPE_SYSTEM_FIRST)
        }
        // The VI/JSON pages say Required/Optional explicitly for every field.
        Fact::Optional => Rule::Ranked(&[
            Override,
            VijsonText,
            PyvmomiRst,
            DocsMarkdown,
            OpenApiMarkdown,
        ]),
        // The tables Markdown states a since-version for every method, `1.0` included.
        Fact::Since => Rule::Ranked(&[
            Override,
            DocsMarkdown,
            PyvmomiRst,
            OpenApiMarkdown,
            VijsonText,
        ]),
        Fact::Params => Rule::Ranked(&[
            Override,
            PyvmomiRst,
            VijsonText,
            DocsMarkdown,
            OpenApiMarkdown,
        ]),
        Fact::Http | Fact::RequestType => Rule::Ranked(&[Override, VijsonText, OpenApiMarkdown]),
        Fact::Deprecated => Rule::Ranked(&[
            Override,
            VijsonText,
            OpenApiMarkdown,
            PyvmomiRst,
            DocsMarkdown,
        ]),
        // A credential, or a return value that may be unset, named by any one document is
        // one: a document that does not mention it is silent, not saying "no".
        Fact::Secret | Fact::ReturnsSecret | Fact::ReturnsOptional => Rule::AnyDocument,
    }
}

/// Where a parameter's array dimension comes from, apart from its element type: the
/// method's VI/JSON request-body type (`PowerOnMultiVMRequestType`, in the OpenAPI
/// Markdown set) states the shape the wire carries (`List[ManagedObjectReference]`),
/// where the method pages of the pyvmomi RST drop the `[]` of many parameters
/// (`vm (vim.VirtualMachine)`); so the body's field outranks every method page, and only
/// an override (applied after reconciling) outranks it. The element type stays the one
/// [`Fact::Type`]'s row chose (`vim.VirtualMachine`, more specific than the body's
/// `ManagedObjectReference`).
pub const BODY_ARRAY: Format = OpenApiMarkdown;

/// How descriptions rank among those of about the same length (lower wins): the tables
/// Markdown keeps the paragraphs and lists of the HTML it embeds; the pyvmomi RST keeps
/// lists but runs paragraphs together; the OpenAPI Markdown and the VI/JSON pages flatten
/// both into one line.
pub fn description_rank(format: Format) -> usize {
    match format {
        Override => 0,
        DocsMarkdown => 1,
        PyvmomiRst => 2,
        OpenApiMarkdown => 3,
        VijsonText => 4,
    }
}

/// The rank of `format` for `fact` (lower wins); `None` when it may not supply the fact
/// or the fact is not ranked.
pub fn rank(fact: Fact, format: Format) -> Option<usize> {
    match rule(fact) {
        Rule::Ranked(order) => order.iter().position(|f| *f == format),
        Rule::AnyDocument => None,
    }
}

/// The rule of `fact`, as text for reports.
pub fn describe(fact: Fact) -> String {
    match rule(fact) {
        Rule::Ranked(order) => order
            .iter()
            .map(|f| format_name(*f))
            .collect::<Vec<_>>()
            .join(" > "),
        Rule::AnyDocument => "any document".to_string(),
    }
}

/// A short name for a format, as used in reports.
pub fn format_name(format: Format) -> &'static str {
    match format {
        PyvmomiRst => "pyvmomi-rst",
        DocsMarkdown => "tables-md",
        OpenApiMarkdown => "openapi-md",
        VijsonText => "vijson-page",
        Override => "overrides",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_outrank_every_document_on_every_ranked_fact() {
        for fact in Fact::ALL {
            if let Rule::Ranked(order) = rule(fact) {
                assert_eq!(order.first(), Some(&Override), "{fact}");
                assert_eq!(rank(fact, Override), Some(0));
            }
        }
    }

    #[test]
    fn rows_read_as_reports_show_them() {
        assert_eq!(
            describe(Fact::Since),
            "overrides > tables-md > pyvmomi-rst > openapi-md > vijson-page"
        );
        assert_eq!(rank(Fact::Http, PyvmomiRst), None);
        assert_eq!(rank(Fact::Secret, VijsonText), None);
        assert_eq!(describe(Fact::Secret), "any document");
    }
}
