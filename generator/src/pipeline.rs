//! The whole run: `spec/` → parsed documents → reconciled model → overrides → selection →
//! the files under `generated/`.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Severity};
use crate::load::{documents_under, read_document};
use crate::model::Model;
use crate::overrides::{OverrideChange, Overrides};
use crate::parse::parse_document;
use crate::plan::NameTable;
use crate::reconcile::{reconcile, Conflict, SourceModel};
use crate::select::SdkConfig;

/// Everything a run found out.
#[derive(Clone, Debug)]
pub struct Build {
    /// The selected, reconciled and corrected model.
    pub model: Model,
    /// The Rust name of every type of the whole corrected doc set (before selection).
    pub names: NameTable,
    /// Disagreements between documents.
    pub conflicts: Vec<Conflict>,
    /// What `overrides.yaml` changed.
    pub overrides: Vec<OverrideChange>,
    /// Parser warnings (content not understood).
    pub warnings: Vec<Diagnostic>,
    /// How many documents were read.
    pub documents: usize,
}

/// Why a run failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// One or more documents are malformed.
    #[error("{} document error(s):\n{}", .0.len(), render(.0))]
    Documents(Vec<Diagnostic>),
    /// `overrides.yaml` is wrong.
    #[error(transparent)]
    Overrides(#[from] crate::overrides::OverrideError),
    /// `sdk.yaml` is wrong or selects something undocumented.
    #[error(transparent)]
    Select(#[from] crate::select::SelectError),
    /// A file could not be read.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// The OS error.
        message: String,
    },
}

fn render(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Parses every document under `dir` (paths shown relative to `base`).
/// Returns the per-document models and warnings, or every error found.
pub fn parse_dir(
    dir: &Path,
    base: &Path,
) -> Result<(Vec<SourceModel>, Vec<Diagnostic>), BuildError> {
    let paths = documents_under(dir).map_err(|e| BuildError::Io {
        path: dir.display().to_string(),
        message: e.to_string(),
    })?;
    parse_files(&paths, base)
}

/// Parses the given documents (paths shown relative to `base`).
pub fn parse_files(
    paths: &[PathBuf],
    base: &Path,
) -> Result<(Vec<SourceModel>, Vec<Diagnostic>), BuildError> {
    let mut models = Vec::new();
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let display = path
            .strip_prefix(base)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        match read_document(path, &display)
            .and_then(|doc| parse_document(&doc).map(|p| (doc.format, p)))
        {
            Ok((format, parsed)) => {
                warnings.extend(parsed.warnings);
                models.push(SourceModel {
                    format,
                    model: parsed.model,
                });
            }
            Err(d) if d.severity == Severity::Warning => warnings.push(d),
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok((models, warnings))
    } else {
        Err(BuildError::Documents(errors))
    }
}

/// Runs the whole pipeline on the repository at `root` (which holds `spec/`).
pub fn build(root: &Path) -> Result<Build, BuildError> {
    let spec = root.join("spec");
    let read = |name: &str| {
        std::fs::read_to_string(spec.join(name)).map_err(|e| BuildError::Io {
            path: format!("spec/{name}"),
            message: e.to_string(),
        })
    };
    let sdk = SdkConfig::parse("spec/sdk.yaml", &read("sdk.yaml")?)?;
    let overrides = Overrides::parse("spec/overrides.yaml", &read("overrides.yaml")?)?;
    let (sources, warnings) = parse_dir(&spec, root)?;
    let documents = sources.len();
    let mut reconciled = reconcile(sources);
    let changes = overrides.apply("spec/overrides.yaml", &mut reconciled.model)?;
    let names = NameTable::new(&reconciled.model);
    let model = sdk.select(&reconciled.model)?;
    // Report only the disagreements about what the SDK contains.
    let conflicts = reconciled
        .conflicts
        .into_iter()
        .filter(|c| mentions_selected(&model, &c.subject))
        .collect();
    Ok(Build {
        model,
        names,
        conflicts,
        overrides: changes,
        warnings,
        documents,
    })
}

fn mentions_selected(model: &Model, subject: &str) -> bool {
    let owner_of = |name: &str| subject == name || subject.starts_with(&format!("{name}."));
    model.managed_objects.iter().any(|m| owner_of(&m.name))
        || model
            .data_types
            .iter()
            .chain(&model.fault_types)
            .any(|d| owner_of(&d.name))
}

/// The header every generated text file starts with (defined by the emitter, which writes
/// it into every Rust file; the pipeline puts it in the other files).
pub use crate::emit::GENERATED_HEADER;

/// The files `cargo xtask regenerate` writes, as (path relative to the repository root, contents).
pub fn outputs(build: &Build) -> Result<Vec<(PathBuf, String)>, syn::Error> {
    let mut model_yaml = format!("# {GENERATED_HEADER}\n");
    model_yaml.push_str(&serde_yaml::to_string(&build.model).unwrap_or_default());

    let mut conflicts =
        format!("<!-- {GENERATED_HEADER} -->\n\n# Disagreements between documents\n\n");
    conflicts.push_str(
        "One line per fact on which the documents disagree, naming each source and the value chosen.\n\
         The precedence is in `generator/src/reconcile/precedence.rs`.\n\n",
    );
    for c in &build.conflicts {
        conflicts.push_str(&format!("- {c}\n"));
    }
    conflicts.push_str("\n# Corrections from spec/overrides.yaml\n\n");
    for o in &build.overrides {
        conflicts.push_str(&format!("- {o}\n"));
    }
    let mut files = vec![
        (PathBuf::from("generated/model.yaml"), model_yaml),
        (PathBuf::from("generated/conflicts.md"), conflicts),
        (
            PathBuf::from("generated/Cargo.toml"),
            SDK_MANIFEST.replace("{header}", GENERATED_HEADER),
        ),
    ];
    for (path, text) in crate::emit::sdk_sources_named(&build.model, &build.names)? {
        files.push((PathBuf::from("generated").join(path), text));
    }
    Ok(files)
}

/// The SDK crate's manifest.
const SDK_MANIFEST: &str = r#"# {header}
[package]
name = "vsphere"
version = "0.1.0"
description = "Typed Rust SDK for the vSphere API, generated from its reference documentation"
edition.workspace = true
license.workspace = true
publish.workspace = true

[dependencies]
vsphere-runtime = { path = "../runtime" }
"#;
