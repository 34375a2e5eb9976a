//! Loading: a document's format comes from its content, not its name; files that document
//! no type are skipped with a reason; a file of no known format is an error naming it.

mod common;

use generator::load::{document_from_bytes, load_bytes, Loaded, SkipReason};
use generator::model::Format;

use common::{parse_bytes, parsed_yaml, repo_root};

/// One document of each format, and the format its content shows.
const SEEDS: &[(&str, Format)] = &[
    ("spec/docs/SessionManager.collapsed.rst", Format::PyvmomiRst),
    ("spec/pyvmomi/vim/AboutInfo.rst", Format::PyvmomiRst),
    ("spec/pyvmomi/vim/VirtualMachine.rst.gz", Format::PyvmomiRst),
    ("spec/docs/SessionManager.tables.md", Format::DocsMarkdown),
    (
        "spec/docs/SessionManagerApi.openapi.md",
        Format::OpenApiMarkdown,
    ),
    (
        "spec/docs/SessionManager.LoginBySSPI.vijson.txt",
        Format::VijsonText,
    ),
];

#[test]
fn a_renamed_document_parses_the_same() {
    for (rel, format) in SEEDS {
        let bytes = std::fs::read(repo_root().join(rel)).unwrap();
        let original = parsed_yaml(&parse_bytes(rel, &bytes).unwrap());
        for neutral in ["x.md", "y.txt", "z"] {
            let doc = document_from_bytes(neutral, &bytes).unwrap();
            assert_eq!(doc.format, *format, "{rel} as {neutral}");
            let renamed = parsed_yaml(&parse_bytes(neutral, &bytes).unwrap());
            assert_eq!(
                renamed.replace(&format!("file: {neutral}\n"), &format!("file: {rel}\n")),
                original,
                "{rel} as {neutral}"
            );
        }
    }
}

#[test]
fn content_overrides_a_misleading_suffix() {
    let bytes = std::fs::read(repo_root().join("spec/docs/SessionManager.tables.md")).unwrap();
    let doc = document_from_bytes("SessionManager.rst", &bytes).unwrap();
    assert_eq!(doc.format, Format::DocsMarkdown);
}

#[test]
fn pages_that_document_no_type_are_skipped_with_a_reason() {
    let cases: &[(&str, &str, SkipReason)] = &[
        (
            "INDEX.md",
            "[vim.A](vim.A.md)\n[vim.B](vim.B.md)\n",
            SkipReason::IndexPage,
        ),
        (
            "README.md",
            "# vmware-vi\nNo description provided\n\n## Requirements.\n",
            SkipReason::NoTypeTitle("vmware-vi".into()),
        ),
        (
            "vmodl.md",
            "vSphere API python binding primitive types\n===\n| SOAP name | python type |\n|:--|:--|\n",
            SkipReason::NoTypeTitle("vSphere API python binding primitive types".into()),
        ),
        (
            "changelog.Debian.gz",
            "not even gzip",
            SkipReason::NotDocumentation("a changelog"),
        ),
        (
            "docs/examples/getallvms.py",
            "import sys\n",
            SkipReason::NotDocumentation("example code"),
        ),
    ];
    for (name, text, reason) in cases {
        match load_bytes(name, text.as_bytes()).unwrap() {
            Loaded::Skipped(s) => {
                assert_eq!(&s.reason, reason, "{name}");
                assert_eq!(s.file, *name);
            }
            Loaded::Document(d) => panic!("{name} was read as {:?}", d.format),
        }
    }
}

#[test]
fn unknown_content_is_an_error_naming_the_file_and_why() {
    let err = load_bytes("notes/x.md", b"vim.Thing\n=========\nsome prose about it\n").unwrap_err();
    assert_eq!(err.file, "notes/x.md");
    assert_eq!((err.line, err.column), (1, 1));
    assert!(
        err.message
            .starts_with("cannot tell which documentation format this is: its content has none"),
        "{}",
        err.message
    );
}

#[test]
fn gzip_is_recognised_by_its_magic_bytes() {
    let bytes = std::fs::read(repo_root().join("spec/pyvmomi/vim/VirtualMachine.rst.gz")).unwrap();
    let doc = document_from_bytes("VirtualMachine.bin", &bytes).unwrap();
    assert_eq!(doc.format, Format::PyvmomiRst);
    assert!(doc
        .source
        .text
        .contains("vim.VirtualMachine\n=================="));
}
