//! The `generator` command line: `stats DIR` and `parse FILE...`.

mod common;

use std::process::Command;

fn generator() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_generator"));
    c.current_dir(common::repo_root());
    c
}

#[test]
fn stats_counts_the_whole_doc_set() {
    let out = generator()
        .args(["stats", "spec/pyvmomi"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let count = |key: &str| -> usize {
        let line = text
            .lines()
            .find(|l| l.starts_with(key))
            .unwrap_or_else(|| panic!("{key} in {text}"));
        line.split_whitespace().last().unwrap().parse().unwrap()
    };
    assert_eq!(count("documents:"), 2754);
    assert!(count("managed objects:") >= 100);
    assert!(count("methods:") >= 600);
    assert!(count("data types:") >= 1700);
    assert!(count("faults:") >= 600);
    assert!(count("enums:") >= 250);
}

#[test]
fn parse_prints_the_model_of_the_given_documents() {
    let out = generator()
        .args([
            "parse",
            "spec/docs/SessionManager.tables.md",
            "spec/docs/SessionManager.LoginBySSPI.vijson.txt",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let yaml = String::from_utf8(out.stdout).unwrap();
    let model: generator::model::Model = serde_yaml::from_str(&yaml).unwrap();
    let sm = model.managed_object("vim.SessionManager").unwrap();
    let sspi = sm.methods.iter().find(|m| m.name == "LoginBySSPI").unwrap();
    assert_eq!(
        sspi.http.as_ref().unwrap().path,
        "/SessionManager/{moId}/LoginBySSPI"
    );
    assert_eq!(sspi.since.as_ref().unwrap().label(), "VI API 2.5");
}

#[test]
fn a_malformed_document_reports_file_line_column() {
    let dir = std::env::temp_dir().join(format!("generator-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.tables.md");
    std::fs::write(&bad, "").unwrap();
    let out = generator().arg("parse").arg(&bad).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.tables.md:1:1"), "{err}");
    let gz = dir.join("fake.rst.gz");
    std::fs::write(&gz, "not gzip").unwrap();
    let out = generator().arg("parse").arg(&gz).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a gzip file"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_gzip_bomb_is_refused() {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![b' '; 1024 * 1024];
    for _ in 0..65 {
        enc.write_all(&zeros).unwrap();
    }
    let bomb = enc.finish().unwrap();
    assert!(bomb.len() < 200_000, "{}", bomb.len());
    let err = common::parse_bytes("bomb.rst.gz", &bomb).unwrap_err();
    assert!(err.message.contains("too large"), "{err}");
}
