//! Shared helpers for the generator's integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use generator::diag::Diagnostic;
use generator::load::{document_from_bytes, read_document};
use generator::parse::{parse_document, Parsed};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Reads and parses a file under the repository root (path relative to it).
pub fn parse_repo_file(rel: &str) -> Result<Parsed, Diagnostic> {
    let doc = read_document(&repo_root().join(rel), rel)?;
    parse_document(&doc)
}

/// Parses in-memory bytes as if they were the file `name`.
pub fn parse_bytes(name: &str, bytes: &[u8]) -> Result<Parsed, Diagnostic> {
    let doc = document_from_bytes(name, bytes)?;
    parse_document(&doc)
}

/// Renders a parse result as the YAML the golden files hold: the model, then warnings.
pub fn parsed_yaml(parsed: &Parsed) -> String {
    let mut out = serde_yaml::to_string(&parsed.model).unwrap();
    out.push_str("# warnings:\n");
    for w in &parsed.warnings {
        out.push_str(&format!("# {w}\n"));
    }
    out
}

/// Compares `actual` with `tests/golden/<rel>`; with `UPDATE_GOLDEN=1` rewrites the file instead.
pub fn assert_golden(rel: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(rel);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden file {}; run with UPDATE_GOLDEN=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from the parser's output at line {} (run with UPDATE_GOLDEN=1 after checking):\n  expected: {:?}\n  actual:   {:?}",
            path.display(),
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}
