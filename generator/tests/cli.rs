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
    // 2,754 files: every one a document but `vim/version.rst`, the table of API versions.
    assert_eq!(
        text.lines()
            .filter(|l| l.contains(": skipped: "))
            .collect::<Vec<_>>(),
        [
            "spec/pyvmomi/vim/version.rst: skipped: its title `vSphere API supported versions` \
          names no type, so it documents none"
        ]
    );
    assert_eq!(count("documents:"), 2753);
    assert_eq!(count("managed objects:"), 111);
    assert_eq!(count("methods:"), 615);
    assert_eq!(count("properties:"), 221);
    assert_eq!(count("data types:"), 1747);
    assert_eq!(count("faults:"), 634);
    assert_eq!(count("enums:"), 261);
    assert_eq!(count("warnings:"), 0);
    assert_eq!(count("skipped files:"), 1);
}

/// Debian's `python-pyvmomi-doc` as installed (`cargo xtask test` installs it): the same
/// documents as `spec/pyvmomi`, plus the package's README index, changelog, copyright and
/// examples, each skipped with its reason.
#[test]
fn stats_reads_the_installed_debian_package() {
    let dir = "/usr/share/doc/python-pyvmomi-doc";
    assert!(
        std::path::Path::new(dir).is_dir(),
        "{dir} is missing: `apt-get install python-pyvmomi-doc` (cargo xtask test does)"
    );
    let out = generator().args(["stats", dir]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let skipped: Vec<&str> = text.lines().filter(|l| l.contains(": skipped: ")).collect();
    let p = |rest: &str| format!("{dir}/{rest}");
    assert_eq!(
        skipped,
        [
            p("README.rst.gz: skipped: an index page: it only lists links"),
            p("changelog.Debian.gz: skipped: not documentation (a changelog)"),
            p("copyright: skipped: not documentation (a copyright notice)"),
            p("examples/getallvms.py: skipped: not documentation (example code)"),
            p("examples/poweronvm.py: skipped: not documentation (example code)"),
            p(
                "vim/version.rst: skipped: its title `vSphere API supported versions` names \
               no type, so it documents none"
            ),
        ]
    );
    let counts: Vec<&str> = text
        .lines()
        .filter(|l| !l.contains(": skipped: "))
        .collect();
    assert_eq!(
        counts,
        [
            "documents:       2753",
            "managed objects: 111",
            "methods:         615",
            "properties:      221",
            "data types:      1747",
            "faults:          634",
            "enums:           261",
            "warnings:        0",
            "skipped files:   6",
            "evidence pairs:  0",
            "unpaired names:  0",
            "wire-only types: 0",
            "repeated inherited fields and members dropped: 1",
            // The 5.5 RST set never says what a task's `info.result` holds.
            "task results:    0 of 132 task methods",
            // "… null is returned" in a return value's description.
            "null returns:    12 made optional",
            "body arrays:     0 parameters' array dimension from their request-body type",
        ]
    );
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
