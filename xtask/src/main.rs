//! Project tasks: `cargo xtask regenerate | check | test`.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{bail, Context, Result};

mod doc_html;

fn main() -> ExitCode {
    let task = std::env::args().nth(1);
    let result = match task.as_deref() {
        Some("regenerate") => regenerate(),
        Some("check") => check(),
        Some("test") => test(),
        _ => {
            eprintln!("usage: cargo xtask regenerate | check | test");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Cargo's target directory: `CARGO_TARGET_DIR` when set, else `target/` in the workspace.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|t| if t.is_relative() { root().join(t) } else { t })
        .unwrap_or_else(|| root().join("target"))
}

/// Everything `generated/` should hold, computed in memory from the documents.
fn expected_outputs() -> Result<Vec<(PathBuf, String)>> {
    let build = generator::pipeline::build(&root())?;
    for w in &build.warnings {
        eprintln!("{w}");
    }
    let emitted: std::collections::HashSet<&str> = build
        .model
        .data_types
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    eprintln!(
        "read {} documents ({} files skipped); full model: {} managed objects, {} data types, {} faults, {} enums; \
         SDK: {} managed objects, {} data types, {} faults, {} enums; {} conflicts, {} overrides applied, \
         {} repeated inherited fields and members dropped, {} of {} task methods name their result type, {} returns documented as possibly null made optional; \
         {} parameters' array dimension taken from their request-body type, \
         {} VI/JSON request-body types not emitted (each method takes its parameters)",
        build.documents,
        build.skipped.len(),
        build.full.managed_objects.len(),
        build.full.data_types.len(),
        build.full.fault_types.len(),
        build.full.enums.len(),
        build.model.managed_objects.len(),
        build.model.data_types.len(),
        build.model.fault_types.len(),
        build.model.enums.len(),
        build.conflicts.len(),
        build.overrides.len(),
        build.repeated_fields.len(),
        build.task_results,
        generator::model::task_methods(&build.full),
        build.null_returns,
        build.body_arrays,
        generator::select::request_body_types(&build.full)
            .into_iter()
            .filter(|n| !emitted.contains(n))
            .count()
    );
    let outputs = generator::pipeline::outputs(&build)?;
    eprintln!("{}", outputs.docs_summary);
    eprintln!("secrets: {}", build.secrets);
    eprintln!("deprecations: {}", build.deprecations);
    // The process ends soon after: freeing the models' millions of small allocations one
    // by one would cost about a tenth of the run, for nothing.
    std::mem::forget(build);
    Ok(outputs.files)
}

/// The crate as the stored model gives it, for when the documents are not here.
fn outputs_from_stored_model() -> Result<Vec<(PathBuf, String)>> {
    let root = root();
    let sdk = generator::pipeline::read_sdk_config(&root)?;
    let full = generator::pipeline::read_stored_model(&root)?;
    let names = generator::plan::NameTable::new(&full);
    let model = sdk.select(&full)?;
    Ok(generator::pipeline::crate_files(&model, &names)?.files)
}

/// `cargo xtask regenerate`: spec/ → generated/. Files under `generated/model/` and
/// `generated/src/` that are no longer generated are removed.
fn regenerate() -> Result<()> {
    let root = root();
    let outputs = expected_outputs()?;
    for rel in stale_files(&root, &outputs, GENERATED_DIRS)? {
        std::fs::remove_file(root.join(&rel))?;
        eprintln!("removed {}", rel.display());
    }
    for (rel, contents) in outputs {
        let path = root.join(&rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let unchanged = std::fs::read_to_string(&path).is_ok_and(|old| old == contents);
        if !unchanged {
            std::fs::write(&path, contents)
                .with_context(|| format!("writing {}", rel.display()))?;
            eprintln!("wrote {}", rel.display());
        }
    }
    Ok(())
}

/// The folders whose every file is generated: a file there that is not in the outputs is
/// stale.
const GENERATED_DIRS: &[&str] = &[generator::pipeline::MODEL_DIR, "generated/src"];

/// Files under `dirs` (relative to `root`, searched recursively) that `outputs` does not
/// have.
fn stale_files(root: &Path, outputs: &[(PathBuf, String)], dirs: &[&str]) -> Result<Vec<PathBuf>> {
    let mut stale = Vec::new();
    let mut pending: Vec<PathBuf> = dirs.iter().map(|d| root.join(d)).collect();
    while let Some(dir) = pending.pop() {
        if !dir.is_dir() {
            continue;
        }
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            if !outputs.iter().any(|(p, _)| *p == rel) {
                stale.push(rel);
            }
        }
    }
    stale.sort();
    Ok(stale)
}

/// `cargo xtask check`: fails with a diff when generated/ is stale. With every doc set
/// present it checks documents → model → crate; when one is missing it says so and checks
/// the stored model → crate.
fn check() -> Result<()> {
    let root = root();
    let expected = match expected_outputs() {
        Ok(outputs) => outputs,
        Err(e) => match e.downcast_ref::<generator::pipeline::BuildError>() {
            Some(missing @ generator::pipeline::BuildError::MissingDocSet { .. }) => {
                eprintln!(
                    "skipped the parse stage: {missing}\nchecking only generated/model → the crate"
                );
                outputs_from_stored_model()?
            }
            _ => return Err(e),
        },
    };
    let mut stale = Vec::new();
    for (rel, expected) in &expected {
        let actual = std::fs::read_to_string(root.join(rel)).unwrap_or_default();
        if actual != *expected {
            let diff = similar::TextDiff::from_lines(&actual, expected);
            print!(
                "{}",
                diff.unified_diff().context_radius(3).header(
                    &format!("a/{}", rel.display()),
                    &format!("b/{}", rel.display())
                )
            );
            stale.push(rel.display().to_string());
        }
    }
    let checks_model = expected
        .iter()
        .any(|(p, _)| p.starts_with(generator::pipeline::MODEL_DIR));
    let dirs = if checks_model {
        GENERATED_DIRS
    } else {
        &GENERATED_DIRS[1..]
    };
    for rel in stale_files(&root, &expected, dirs)? {
        stale.push(format!("{} (no longer generated)", rel.display()));
    }
    if !stale.is_empty() {
        bail!(
            "generated/ is stale ({}): run `cargo xtask regenerate` and commit the result",
            stale.join(", ")
        );
    }
    eprintln!("generated/ is up to date");
    Ok(())
}

/// Runs a command in the repository root, failing when it fails.
fn run(program: &str, args: &[&str], envs: &[(&str, &str)]) -> Result<()> {
    eprintln!("$ {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .envs(envs.iter().copied())
        .current_dir(root())
        .status()
        .with_context(|| format!("starting {program}"))?;
    if !status.success() {
        bail!("`{program} {}` failed ({status})", args.join(" "));
    }
    Ok(())
}

/// Debian packages the tests need (vcsim is built from govmomi's source; the generator's
/// CLI is tested on the pyvmomi doc package as installed), and a file each one installs, to
/// tell whether it is present.
const DEBIAN_PACKAGES: &[(&str, &str)] = &[
    ("golang-go", "/usr/bin/go"),
    (
        "golang-github-vmware-govmomi-dev",
        "/usr/share/gocode/src/github.com/vmware/govmomi/simulator/model.go",
    ),
    (
        "python-pyvmomi-doc",
        "/usr/share/doc/python-pyvmomi-doc/vim/VirtualMachine.rst.gz",
    ),
];

/// Installs the Debian packages that are absent (needs root, as on CI machines).
fn install_debian_packages() -> Result<()> {
    let missing: Vec<&str> = DEBIAN_PACKAGES
        .iter()
        .filter(|(_, file)| !Path::new(file).exists())
        .map(|(package, _)| *package)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("installing Debian packages: {}", missing.join(" "));
    run("apt-get", &["update", "-q"], &[])?;
    let mut args = vec!["install", "-y", "-q", "--no-install-recommends"];
    args.extend(&missing);
    run("apt-get", &args, &[("DEBIAN_FRONTEND", "noninteractive")]).context(
        "installing the packages the tests need failed; install them by hand with \
         `apt-get install -y golang-go golang-github-vmware-govmomi-dev python-pyvmomi-doc`",
    )
}

/// `cargo xtask test`: everything CI checks.
fn test() -> Result<()> {
    install_debian_packages()?;
    // generated/ is formatted by prettyplease when it is emitted, not by rustfmt.
    run(
        "cargo",
        &[
            "fmt",
            "--check",
            "-p",
            "generator",
            "-p",
            "vsphere-runtime",
            "-p",
            "vsphere-tests",
            "-p",
            "vcsim-harness",
            "-p",
            "xtask",
            "-p",
            "vsphere-helpers",
            "-p",
            "vsphere-cli",
        ],
        &[],
    )?;
    run(
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    )?;
    check()?;
    run(
        "cargo",
        &["doc", "--workspace", "--no-deps"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    )?;
    let pages = doc_html::check(&target_dir().join("doc"))?;
    eprintln!("rustdoc HTML: {pages} pages of the vsphere crate read, no markup left as text");
    run("cargo", &["test", "--workspace"], &[])?;
    Ok(())
}
