//! Deciding what a file is from what it contains: a reference document of one of the four
//! formats, or a page that documents no type (an index, a README, a version table).
//!
//! File names only hint. The rules are tables: each format has the signatures that mark
//! it, checked in order; the first match decides.

use std::fmt;

use crate::model::Format;

/// Why a file under a doc set is not parsed. Each skipped file is counted and reported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// Packaging or project files that are not documentation (licence, changelog, example code).
    NotDocumentation(&'static str),
    /// A page that only lists links to other pages.
    IndexPage,
    /// A page whose title names no type (a README, a version or primitive-type table).
    NoTypeTitle(String),
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::NotDocumentation(what) => write!(f, "not documentation ({what})"),
            SkipReason::IndexPage => f.write_str("an index page: it only lists links"),
            SkipReason::NoTypeTitle(title) => {
                write!(f, "its title `{title}` names no type, so it documents none")
            }
        }
    }
}

/// Files that are never documentation, by name: `(pattern, what it is)`. A pattern is a
/// lower-case stem (the name up to its first `.`: `changelog` matches `changelog.Debian.gz`),
/// `*.ext` for a suffix or `.*` for hidden files.
const NOT_DOCUMENTATION: &[(&str, &str)] = &[
    ("copyright", "a copyright notice"),
    ("license", "a licence"),
    ("licence", "a licence"),
    ("notice", "a licence notice"),
    ("changelog", "a changelog"),
    ("*.py", "example code"),
    ("*.sh", "a script"),
    ("*.yaml", "configuration"),
    ("*.yml", "configuration"),
    (".*", "a hidden file"),
];

/// Directories whose files are never reference documents.
const NOT_DOCUMENTATION_DIRS: &[(&str, &str)] = &[("examples", "an example")];

/// Whether `path` (`/`-separated) names a file that is never documentation, and what it is.
pub fn not_documentation(path: &str) -> Option<&'static str> {
    let mut parts = path.rsplit('/');
    let name = parts.next().unwrap_or("").to_ascii_lowercase();
    let by_name = NOT_DOCUMENTATION.iter().find(|(pattern, _)| {
        if let Some(suffix) = pattern.strip_prefix('*') {
            name.ends_with(suffix)
        } else if *pattern == ".*" {
            name.starts_with('.')
        } else {
            name.split('.').next() == Some(*pattern)
        }
    });
    if let Some((_, what)) = by_name {
        return Some(what);
    }
    parts
        .filter_map(|dir| NOT_DOCUMENTATION_DIRS.iter().find(|(d, _)| *d == dir))
        .map(|(_, what)| *what)
        .next()
}

/// A signature: a test on a document's text that marks one format.
type Signature = fn(&str) -> bool;

/// Each format's signatures, checked in this order (the first format with a matching
/// signature wins). VI/JSON page text and OpenAPI Markdown have the most specific marks;
/// RST is told from the tables Markdown (both underline titles with `=`) by its explicit
/// markup, the tables Markdown by its pipe tables and links.
const SIGNATURES: &[(Format, &[Signature])] = &[
    (Format::VijsonText, &[|t| t.contains("\nRequest\nURI\n")]),
    (
        Format::OpenApiMarkdown,
        &[
            |t| first_line(t).starts_with("# vmware_vi."),
            |t| t.contains("All URIs are relative to"),
            |t| has_line(t, |l| l.trim_end() == "Name | Type | Description | Notes"),
        ],
    ),
    (
        Format::PyvmomiRst,
        &[
            |t| t.trim_start().starts_with(".. _"),
            |t| has_line(t, |l| l.starts_with(".. _") || l.starts_with(":extends:")),
        ],
    ),
    (
        Format::DocsMarkdown,
        &[
            |t| has_line(t, |l| l.starts_with("|:-")),
            |t| has_line(t, |l| l.starts_with("| service name |")),
            |t| has_line(t, |l| l.starts_with("inherits from [")),
        ],
    ),
];

/// The format `text` is written in, judged by its content alone.
pub fn sniff(text: &str) -> Option<Format> {
    SIGNATURES
        .iter()
        .find(|(_, signatures)| signatures.iter().any(|s| s(text)))
        .map(|(format, _)| *format)
}

/// Why a document should not be parsed, if it documents no type. `format` is what
/// [`sniff`] found (`None`: no format's signature matched).
pub fn skip_reason(format: Option<Format>, text: &str) -> Option<SkipReason> {
    let title = title(text);
    if is_index_page(text) && !title.as_deref().is_some_and(names_a_type) {
        return Some(SkipReason::IndexPage);
    }
    match format {
        // VI/JSON page titles are prose ("Session Manager Login Extension").
        Some(Format::VijsonText | Format::Override) => None,
        // The tables set's `enums.md` documents every enum under a prose title.
        Some(Format::DocsMarkdown) if lists_enums(text) => None,
        Some(Format::PyvmomiRst | Format::DocsMarkdown | Format::OpenApiMarkdown) | None => {
            let title = title?;
            (!names_a_type(&title)).then_some(SkipReason::NoTypeTitle(title))
        }
    }
}

/// Whether `text` is an enum collection: a heading `<a name='vim.X.Y'>Y</a> - vim.X`
/// underlined with `=`.
fn lists_enums(text: &str) -> bool {
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let underlined = lines
            .peek()
            .is_some_and(|next| next.len() > 2 && next.chars().all(|c| c == '='));
        if underlined && line.starts_with("<a name=") && line.contains("</a> - ") {
            return true;
        }
    }
    false
}

/// Whether `text` only lists links (a page with a type title may too: a type with no
/// members but its base): every line that says anything is a link (a Markdown
/// link `[x](y)`, an RST hyperlink target `.. _x: y` or reference `` `x`_ ``, bulleted or
/// not) or a section heading, apart from at most two lines of prose.
pub fn is_index_page(text: &str) -> bool {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let (mut links, mut prose) = (0, 0);
    for (i, line) in lines.iter().enumerate() {
        let heading = lines.get(i + 1).is_some_and(|next| is_underline(next));
        if line.is_empty() || is_underline(line) || heading {
            continue;
        }
        if is_link_line(line) {
            links += 1;
        } else {
            prose += 1;
        }
    }
    links > 0 && prose <= 2
}

/// A line of one repeated `=`, `-`, `~` or `^` (an RST or setext underline).
fn is_underline(line: &str) -> bool {
    let mut chars = line.chars();
    chars
        .next()
        .is_some_and(|c| "=-~^".contains(c) && line.len() >= 3 && chars.all(|d| d == c))
}

/// A line that is one link and nothing else.
fn is_link_line(line: &str) -> bool {
    let line = line.trim_start_matches(['*', '-', ' ']);
    if let Some(target) = line.strip_prefix(".. _") {
        // `.. _name: url` with no spaces in the url.
        return target
            .split_once(": ")
            .is_some_and(|(name, url)| !name.is_empty() && !url.trim().contains(' '));
    }
    if let Some(reference) = line.strip_prefix('`').and_then(|l| l.strip_suffix("`_")) {
        return !reference.is_empty() && !reference.contains('`');
    }
    line.starts_with('[') && line.ends_with(')') && line.contains("](") && !line.contains("| ")
}

/// The document's title: a first line `# X` (Markdown), or the first line underlined with
/// `=` (RST, tables Markdown).
fn title(text: &str) -> Option<String> {
    if let Some(t) = first_line(text).strip_prefix("# ") {
        return Some(t.trim().to_string());
    }
    let mut previous: Option<&str> = None;
    for line in text.lines() {
        let t = line.trim();
        if t.len() >= 3 && t.chars().all(|c| c == '=') {
            if let Some(p) = previous.filter(|p| !p.trim().is_empty()) {
                return Some(p.trim().to_string());
            }
        }
        previous = Some(line);
    }
    None
}

/// Whether a title is a type name: a dotted identifier (`vim.VirtualMachine`,
/// `vmware_vi.VirtualMachineApi`, `VirtualMachineConfigSpec`), or a tables-Markdown
/// collection heading that names one.
fn names_a_type(title: &str) -> bool {
    !title.is_empty()
        && title.split('.').all(|part| {
            part.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

fn first_line(text: &str) -> &str {
    text.trim_start().lines().next().unwrap_or("")
}

fn has_line(text: &str, test: impl Fn(&str) -> bool) -> bool {
    text.lines().any(test)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_content() {
        assert_eq!(
            sniff("# vmware_vi.VirtualMachineApi\n\nAll URIs are relative to x"),
            Some(Format::OpenApiMarkdown)
        );
        assert_eq!(
            sniff("# AboutInfo\n\n## Properties\nName | Type | Description | Notes\n"),
            Some(Format::OpenApiMarkdown)
        );
        assert_eq!(
            sniff(".. _str: https://x\n\nvim.AboutInfo\n=============\n"),
            Some(Format::PyvmomiRst)
        );
        assert_eq!(
            sniff("vim.fault.ClockSkew\n===================\ninherits from [a](b)\n"),
            Some(Format::DocsMarkdown)
        );
        assert_eq!(
            sniff("Title\n\nRequest\nURI\nPOST\n"),
            Some(Format::VijsonText)
        );
        assert_eq!(sniff("just some words\n"), None);
    }

    #[test]
    fn index_pages_and_titles_without_types() {
        assert!(is_index_page("[vim.A](vim.A.md)\n[vim.B](vim.B.md)\n"));
        assert!(is_index_page(
            "[DEPRECATED] old.\n\n.. _vim.A: vim/A.rst\n.. _vim.B: vim/B.rst\n"
        ));
        assert!(!is_index_page(
            ".. _str: https://x .. _vim.A: a.rst vim.A ===== text"
        ));
        assert!(!is_index_page("vim.A\n=====\n| a | b |\n|:-|:-|\n"));
        assert_eq!(
            skip_reason(
                Some(Format::DocsMarkdown),
                "vSphere API python binding primitive types\n=====\n| a |\n"
            ),
            Some(SkipReason::NoTypeTitle(
                "vSphere API python binding primitive types".into()
            ))
        );
        assert_eq!(
            skip_reason(
                Some(Format::OpenApiMarkdown),
                "# vmware-vi\nNo description\n"
            ),
            Some(SkipReason::NoTypeTitle("vmware-vi".into()))
        );
        assert_eq!(
            skip_reason(None, "pyVmomi documentation\n=====\n\n* Mouse over.\n"),
            Some(SkipReason::NoTypeTitle("pyVmomi documentation".into()))
        );
        assert_eq!(skip_reason(None, "vim.AboutInfo\n=====\n| a |\n"), None);
    }

    #[test]
    fn non_documentation_names() {
        assert_eq!(
            not_documentation("doc/copyright"),
            Some("a copyright notice")
        );
        assert_eq!(
            not_documentation("doc/changelog.Debian.gz"),
            Some("a changelog")
        );
        assert_eq!(not_documentation("set/LICENSE"), Some("a licence"));
        assert_eq!(not_documentation("doc/examples/x.txt"), Some("an example"));
        assert_eq!(not_documentation("set/License.txt"), Some("a licence"));
        assert_eq!(not_documentation("doc/vim/Task.rst"), None);
        assert_eq!(not_documentation("doc/vim/LicenseManager.rst"), None);
    }
}
