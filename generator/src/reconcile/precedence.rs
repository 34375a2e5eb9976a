//! The written precedence: which format wins when documents disagree on a fact.
//!
//! One row per fact. Earlier formats win. A format missing from a row never supplies
//! that fact. Descriptions are not ranked: the richest (longest) one wins.

use crate::model::Format;
use Format::*;

/// Facts the reconciler chooses between sources, with the order of trust.
const PRECEDENCE: &[(&str, &[Format])] = &[
    // The pyvmomi RST is generated from the type system itself; the others are renderings.
    (
        "type",
        &[
            Override,
            PyvmomiRst,
            VijsonText,
            OpenApiMarkdown,
            DocsMarkdown,
        ],
    ),
    // The VI/JSON pages say Required/Optional explicitly for every field.
    (
        "optional",
        &[
            Override,
            VijsonText,
            PyvmomiRst,
            DocsMarkdown,
            OpenApiMarkdown,
        ],
    ),
    (
        "secret",
        &[
            Override,
            VijsonText,
            PyvmomiRst,
            DocsMarkdown,
            OpenApiMarkdown,
        ],
    ),
    (
        "privilege",
        &[
            Override,
            PyvmomiRst,
            VijsonText,
            OpenApiMarkdown,
            DocsMarkdown,
        ],
    ),
    // The tables Markdown states a since-version for every method, `1.0` included.
    (
        "since",
        &[
            Override,
            DocsMarkdown,
            PyvmomiRst,
            OpenApiMarkdown,
            VijsonText,
        ],
    ),
    (
        "returns",
        &[
            Override,
            PyvmomiRst,
            VijsonText,
            OpenApiMarkdown,
            DocsMarkdown,
        ],
    ),
    (
        "params",
        &[
            Override,
            PyvmomiRst,
            VijsonText,
            DocsMarkdown,
            OpenApiMarkdown,
        ],
    ),
    ("http", &[Override, VijsonText, OpenApiMarkdown]),
    ("request_type", &[Override, VijsonText, OpenApiMarkdown]),
    (
        "deprecated",
        &[
            Override,
            VijsonText,
            OpenApiMarkdown,
            PyvmomiRst,
            DocsMarkdown,
        ],
    ),
    (
        "base",
        &[
            Override,
            PyvmomiRst,
            VijsonText,
            OpenApiMarkdown,
            DocsMarkdown,
        ],
    ),
];

/// The rank of `format` for `fact` (lower wins); `None` when it may not supply the fact.
pub fn rank(fact: &str, format: Format) -> Option<usize> {
    let order = PRECEDENCE
        .iter()
        .find(|(f, _)| *f == fact)
        .map(|(_, order)| *order)
        .unwrap_or(&[
            Override,
            PyvmomiRst,
            VijsonText,
            OpenApiMarkdown,
            DocsMarkdown,
        ]);
    order.iter().position(|f| *f == format)
}

/// The precedence row of `fact`, as text for reports.
pub fn describe(fact: &str) -> String {
    let order = PRECEDENCE
        .iter()
        .find(|(f, _)| *f == fact)
        .map(|(_, order)| *order)
        .unwrap_or(&[]);
    order
        .iter()
        .map(|f| format_name(*f))
        .collect::<Vec<_>>()
        .join(" > ")
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
