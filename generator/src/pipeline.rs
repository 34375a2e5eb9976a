//! The whole run: `spec/` → parsed documents → reconciled model → overrides → selection →
//! the files under `generated/`.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Severity};
use crate::load::{documents_under, load_file, Loaded, Skipped};
use crate::model::Model;
use crate::overrides::{OverrideChange, Overrides};
use crate::parse::parse_document;
use crate::plan::NameTable;
use crate::reconcile::{reconcile, Conflict, SourceModel};
use crate::secrets::{SecretCounts, SecretRules};
use crate::select::SdkConfig;

/// Everything a run found out.
#[derive(Clone, Debug)]
pub struct Build {
    /// The reconciled and corrected model of every document, sorted by name.
    pub full: Model,
    /// The part of `full` the SDK exposes (`spec/sdk.yaml`).
    pub model: Model,
    /// The Rust name of every type of the whole corrected doc set (before selection).
    pub names: NameTable,
    /// Disagreements between documents.
    pub conflicts: Vec<Conflict>,
    /// What `overrides.yaml` changed.
    pub overrides: Vec<OverrideChange>,
    /// What `secrets.yaml` marked.
    pub secrets: SecretCounts,
    /// Parser warnings (content not understood).
    pub warnings: Vec<Diagnostic>,
    /// How many documents were read.
    pub documents: usize,
    /// Files that are not reference documents, each with the reason.
    pub skipped: Vec<Skipped>,
    /// Fields listed as a type's own that a base declares, dropped (`Type.field`).
    pub repeated_fields: Vec<String>,
    /// How many task methods' documentation names the type of their result.
    pub task_results: usize,
    /// How many single return values the docs say may be null, made optional.
    pub null_returns: usize,
    /// How many parameters took their array dimension from their request-body type.
    pub body_arrays: usize,
    /// How many items are deprecated, by kind.
    pub deprecations: crate::reconcile::deprecations::DeprecationCounts,
}

/// What parsing a set of files gave.
#[derive(Clone, Debug, Default)]
pub struct ParsedFiles {
    /// One partial model per document.
    pub sources: Vec<SourceModel>,
    /// Parser warnings (content not understood).
    pub warnings: Vec<Diagnostic>,
    /// Files that are not reference documents.
    pub skipped: Vec<Skipped>,
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
    /// `secrets.yaml` is wrong.
    #[error(transparent)]
    Secrets(#[from] crate::secrets::SecretsError),
    /// A doc set `sdk.yaml` names is not where it says.
    #[error(
        "doc set `{name}` is missing: `{path}` does not exist (relative to the repository root). \
         It is {about}"
    )]
    MissingDocSet {
        /// The set's name in sdk.yaml.
        name: String,
        /// Where sdk.yaml says it is.
        path: String,
        /// What it is and where it comes from.
        about: String,
    },
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
/// Returns the per-document models, warnings and skipped files, or every error found.
pub fn parse_dir(dir: &Path, base: &Path) -> Result<ParsedFiles, BuildError> {
    let paths = documents_under(dir).map_err(|e| BuildError::Io {
        path: dir.display().to_string(),
        message: e.to_string(),
    })?;
    parse_files(&paths, base)
}

/// Parses the given files (paths shown relative to `base`); files that are not reference
/// documents are skipped and listed.
pub fn parse_files(paths: &[PathBuf], base: &Path) -> Result<ParsedFiles, BuildError> {
    let mut out = ParsedFiles::default();
    let mut errors = Vec::new();
    let results = crate::parallel::map(paths, |path| {
        let display = path
            .strip_prefix(base)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        load_file(path, &display).and_then(|loaded| match loaded {
            Loaded::Document(doc) => parse_document(&doc).map(|p| Ok((doc.format, p))),
            Loaded::Skipped(s) => Ok(Err(s)),
        })
    });
    for parsed in results {
        match parsed {
            Ok(Err(skipped)) => out.skipped.push(skipped),
            Ok(Ok((format, parsed))) => {
                out.warnings.extend(parsed.warnings);
                out.sources.push(SourceModel {
                    format,
                    model: parsed.model,
                });
            }
            Err(d) if d.severity == Severity::Warning => out.warnings.push(d),
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(BuildError::Documents(errors))
    }
}

/// Runs the whole pipeline on the repository at `root` (which holds `spec/`): every doc set
/// `spec/sdk.yaml` names is parsed, reconciled and corrected into the full model, and the
/// SDK's part of it is selected.
pub fn build(root: &Path) -> Result<Build, BuildError> {
    let sdk = read_sdk_config(root)?;
    let overrides = Overrides::parse("spec/overrides.yaml", &read_spec(root, "overrides.yaml")?)?;
    let secret_rules = SecretRules::parse("spec/secrets.yaml", &read_spec(root, "secrets.yaml")?)?;
    let mut parsed = ParsedFiles::default();
    for set in &sdk.doc_sets {
        let dir = root.join(&set.path);
        if !dir.is_dir() {
            return Err(BuildError::MissingDocSet {
                name: set.name.clone(),
                path: set.path.clone(),
                about: set.about.clone(),
            });
        }
        let one = parse_dir(&dir, root)?;
        parsed.sources.extend(one.sources);
        parsed.warnings.extend(one.warnings);
        parsed.skipped.extend(one.skipped);
    }
    let documents = parsed.sources.len();
    let mut reconciled = reconcile(parsed.sources);
    let secrets = secret_rules.apply("spec/secrets.yaml", &mut reconciled.model)?;
    let changes = overrides.apply("spec/overrides.yaml", &mut reconciled.model)?;
    let mut full = reconciled.model;
    full.sort_by_name();
    let names = NameTable::new(&full);
    let model = sdk.select(&full)?;
    Ok(Build {
        full,
        model,
        names,
        conflicts: reconciled.conflicts,
        overrides: changes,
        secrets,
        warnings: parsed.warnings,
        documents,
        skipped: parsed.skipped,
        repeated_fields: reconciled.repeated_fields,
        task_results: reconciled.task_results,
        null_returns: reconciled.null_returns,
        body_arrays: reconciled.body_arrays,
        deprecations: reconciled.deprecations,
    })
}

/// Reads and parses `spec/sdk.yaml`.
pub fn read_sdk_config(root: &Path) -> Result<SdkConfig, BuildError> {
    Ok(SdkConfig::parse(
        "spec/sdk.yaml",
        &read_spec(root, "sdk.yaml")?,
    )?)
}

fn read_spec(root: &Path, name: &str) -> Result<String, BuildError> {
    std::fs::read_to_string(root.join("spec").join(name)).map_err(|e| BuildError::Io {
        path: format!("spec/{name}"),
        message: e.to_string(),
    })
}

/// The header every generated text file starts with (defined by the emitter, which writes
/// it into every Rust file; the pipeline puts it in the other files).
pub use crate::emit::GENERATED_HEADER;

/// Where the stored model lives, relative to the repository root.
pub const MODEL_DIR: &str = "generated/model";

/// The files `cargo xtask regenerate` writes, as (path relative to the repository root,
/// contents): the stored model, `conflicts.md` and the crate.
pub fn outputs(build: &Build) -> Result<Outputs, OutputError> {
    let mut files = model_files(&build.full)?;
    let conflicts =
        crate::report::conflicts_markdown(&build.full, &build.conflicts, &build.overrides);
    files.push((
        PathBuf::from("generated/conflicts.md"),
        format!("<!-- {GENERATED_HEADER} -->\n\n{conflicts}"),
    ));
    let sdk = crate_files(&build.model, &build.names)?;
    files.extend(sdk.files);
    Ok(Outputs {
        files,
        docs_summary: sdk.docs_summary,
    })
}

/// What `cargo xtask regenerate` writes, and the documentation counts for its summary.
pub struct Outputs {
    /// (path relative to the repository root, contents) of every file.
    pub files: Vec<(PathBuf, String)>,
    /// One line: cross-references resolved and not, since-values, secrets.
    pub docs_summary: String,
}

/// The crate's files (with `generated/docs-report.md`), and the report's summary line.
pub struct CrateFiles {
    /// (path relative to the repository root, contents).
    pub files: Vec<(PathBuf, String)>,
    /// One line: cross-references resolved and not, since-values, secrets.
    pub docs_summary: String,
}

/// The stored model, one YAML file per package under [`MODEL_DIR`].
pub fn model_files(full: &Model) -> Result<Vec<(PathBuf, String)>, OutputError> {
    let parts = crate::model::store::store(full).map_err(|e| OutputError::Model(e.to_string()))?;
    Ok(parts
        .into_iter()
        .map(|(package, text)| {
            let path = PathBuf::from(MODEL_DIR).join(format!("{package}.yaml"));
            (path, format!("# {GENERATED_HEADER}\n{text}"))
        })
        .collect())
}

/// The SDK crate emitted from the selected model, with the Rust names of the whole doc
/// set: its manifest and sources.
pub fn crate_files(model: &Model, names: &NameTable) -> Result<CrateFiles, OutputError> {
    let sdk = crate::emit::sdk_crate(model, names)?;
    let mut manifest = SDK_MANIFEST.replace("{header}", GENERATED_HEADER);
    manifest.push_str("\n[features]\n");
    for (feature, enables) in &sdk.features {
        let list: Vec<String> = enables.iter().map(|f| format!("\"{f}\"")).collect();
        manifest.push_str(&format!("{feature} = [{}]\n", list.join(", ")));
    }
    let mut files = vec![(PathBuf::from("generated/Cargo.toml"), manifest)];
    for (path, text) in sdk.sources {
        files.push((PathBuf::from("generated").join(path), text));
    }
    let docs = crate::docs_report::DocsReport::new(model, &sdk.links);
    files.push((
        PathBuf::from("generated/docs-report.md"),
        format!("<!-- {GENERATED_HEADER} -->\n\n{}", docs.markdown()),
    ));
    Ok(CrateFiles {
        files,
        docs_summary: docs.summary(),
    })
}

/// Reads the stored model back from [`MODEL_DIR`] under `root` (every `*.yaml`, by name).
pub fn read_stored_model(root: &Path) -> Result<Model, BuildError> {
    let dir = root.join(MODEL_DIR);
    let io = |e: std::io::Error| BuildError::Io {
        path: MODEL_DIR.to_string(),
        message: e.to_string(),
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    paths.sort();
    let mut texts = Vec::new();
    for p in &paths {
        texts.push((
            p.display().to_string(),
            std::fs::read_to_string(p).map_err(io)?,
        ));
    }
    crate::model::store::load(texts.iter().map(|(n, t)| (n.as_str(), t.as_str()))).map_err(
        |message| BuildError::Io {
            path: MODEL_DIR.to_string(),
            message,
        },
    )
}

/// Why outputs could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// Emitted tokens did not parse as Rust (a generator bug).
    #[error(transparent)]
    Emit(#[from] syn::Error),
    /// The model could not be written as YAML.
    #[error("writing the stored model: {0}")]
    Model(String),
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
