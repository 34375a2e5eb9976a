//! The stored model: `generated/model/<package>.yaml`, the reconciled and corrected model of
//! the whole doc set, one file per vmodl package, lossless and with compact provenance.
//!
//! Everything the emitter reads is in these files, so the crate can be checked against them
//! without the documents. In a stored file every location is `N:line`, `N` indexing the
//! file's own table of source documents (the first YAML document of the file), return
//! values and fault references keep every fact, and an unknown return is left out (a
//! `null` return is a method that returns nothing). Outside the store (parser golden files,
//! `generator parse`) the readable forms are kept: `{file, line}`, a bare return type, a
//! list of fault names.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::{Loc, Model};

/// The interned source files of one stored file, while it is written or read.
#[derive(Default)]
struct SourceTable {
    files: Vec<String>,
    index: HashMap<String, u32>,
}

thread_local! {
    /// Set while a stored file is written or read; `None` otherwise.
    static TABLE: RefCell<Option<SourceTable>> = const { RefCell::new(None) };
}

/// Whether a stored file is being written or read on this thread (the compact forms apply).
pub(super) fn storing() -> bool {
    TABLE.with(|t| t.borrow().is_some())
}

/// The compact form of `loc` (`N:line`), interning its file.
pub(super) fn compact_loc(loc: &Loc) -> Option<String> {
    TABLE.with(|t| {
        let mut t = t.borrow_mut();
        let table = t.as_mut()?;
        let next = table.files.len() as u32;
        let n = *table.index.entry(loc.file.clone()).or_insert_with(|| {
            table.files.push(loc.file.clone());
            next
        });
        Some(format!("{n}:{}", loc.line))
    })
}

/// Resolves the compact form `N:line` against the table being read.
pub(super) fn expand_loc(text: &str) -> Result<Loc, String> {
    let (n, line) = text
        .split_once(':')
        .ok_or_else(|| format!("`{text}` is not a location (`N:line`)"))?;
    let n: usize = n.parse().map_err(|_| format!("`{text}`: bad file index"))?;
    let line: u32 = line.parse().map_err(|_| format!("`{text}`: bad line"))?;
    TABLE.with(|t| {
        let t = t.borrow();
        let table = t
            .as_ref()
            .ok_or_else(|| format!("`{text}`: a compact location outside a stored model"))?;
        let file = table
            .files
            .get(n)
            .ok_or_else(|| format!("`{text}`: file {n} is not in the file's source table"))?;
        Ok(Loc::new(file.clone(), line))
    })
}

/// Runs `f` with a source table set, returning its result and the table's files.
fn with_table<R>(files: Vec<String>, f: impl FnOnce() -> R) -> (R, Vec<String>) {
    let index = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.clone(), i as u32))
        .collect();
    TABLE.with(|t| *t.borrow_mut() = Some(SourceTable { files, index }));
    let result = f();
    let table = TABLE.with(|t| t.borrow_mut().take()).unwrap_or_default();
    (result, table.files)
}

/// The package an item belongs to: the leading lower-case segments of its qualified name
/// (`vim.vm.ConfigSpec` → `vim.vm`, `vim.SessionManager.LocalTicket` → `vim`); names that
/// are not qualified (types only a wire name is known for) go to `unqualified`.
pub fn package_of(name: &str) -> String {
    let Some((owner, _)) = name.rsplit_once('.') else {
        return "unqualified".to_string();
    };
    let segments: Vec<&str> = owner
        .split('.')
        .take_while(|s| s.starts_with(|c: char| c.is_ascii_lowercase()))
        .collect();
    segments.join(".")
}

/// Splits `model` by package, in package order, each part keeping the model's item order.
fn split(model: &Model) -> BTreeMap<String, Model> {
    let mut parts: BTreeMap<String, Model> = BTreeMap::new();
    for mo in &model.managed_objects {
        let part = parts.entry(package_of(&mo.name)).or_default();
        part.managed_objects.push(mo.clone());
    }
    for d in &model.data_types {
        let part = parts.entry(package_of(&d.name)).or_default();
        part.data_types.push(d.clone());
    }
    for d in &model.fault_types {
        let part = parts.entry(package_of(&d.name)).or_default();
        part.fault_types.push(d.clone());
    }
    for e in &model.enums {
        parts
            .entry(package_of(&e.name))
            .or_default()
            .enums
            .push(e.clone());
    }
    for r in &model.referenced_managed_objects {
        let part = parts.entry(package_of(&r.name)).or_default();
        part.referenced_managed_objects.push(r.clone());
    }
    parts
}

/// The stored files of `model`: `(package, YAML text without a header)`. Each text is two
/// YAML documents: the table of source files, then the package's model.
pub fn store(model: &Model) -> Result<Vec<(String, String)>, serde_yaml::Error> {
    // Packages are written in parallel: the source table is per thread.
    let parts: Vec<_> = split(model).into_iter().collect();
    crate::parallel::map(&parts, |(package, part)| {
        // The table is sorted so that a new source file does not renumber the others: one
        // pass finds the files, the second writes with their sorted indices.
        let (_, mut files) = with_table(Vec::new(), || serde_yaml::to_string(part));
        files.sort();
        let (body, files) = with_table(files, || serde_yaml::to_string(part));
        let mut text = serde_yaml::to_string(&SourceFiles { sources: files })?;
        text.push_str("---\n");
        text.push_str(&body?);
        Ok((package.clone(), text))
    })
    .into_iter()
    .collect()
}

/// Reads stored files back into one model (the parts in the order given).
pub fn load<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Model, String> {
    let mut model = Model::default();
    for (name, text) in files {
        let mut docs = serde_yaml::Deserializer::from_str(text);
        let header = docs
            .next()
            .ok_or_else(|| format!("{name}: empty stored model"))?;
        let SourceFiles { sources } =
            SourceFiles::deserialize(header).map_err(|e| format!("{name}: {e}"))?;
        let body = docs
            .next()
            .ok_or_else(|| format!("{name}: the source table is not followed by a model"))?;
        let (part, _) = with_table(sources, || Model::deserialize(body));
        model.extend(part.map_err(|e| format!("{name}: {e}"))?);
    }
    Ok(model)
}

/// The first document of a stored file.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceFiles {
    /// Source documents; locations in the model name them by index.
    sources: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages() {
        assert_eq!(package_of("vim.vm.ConfigSpec"), "vim.vm");
        assert_eq!(package_of("vim.SessionManager.LocalTicket"), "vim");
        assert_eq!(package_of("vmodl.query.PropertyCollector"), "vmodl.query");
        assert_eq!(
            package_of("VirtualMachineVendorDeviceGroupInfo"),
            "unqualified"
        );
        assert_eq!(package_of("vim"), "unqualified");
        assert_eq!(package_of("vim.event.iScsiBootFailureEvent"), "vim.event");
    }

    #[test]
    fn compact_locations_need_a_table() {
        assert!(expand_loc("0:3").is_err());
        let ((a, b), files) = with_table(Vec::new(), || {
            (
                compact_loc(&Loc::new("x.rst", 3)),
                compact_loc(&Loc::new("y.md", 9)),
            )
        });
        assert_eq!((a.as_deref(), b.as_deref()), (Some("0:3"), Some("1:9")));
        assert_eq!(files, ["x.rst", "y.md"]);
        let (loc, _) = with_table(files, || expand_loc("1:9"));
        assert_eq!(loc, Ok(Loc::new("y.md", 9)));
        let (bad, _) = with_table(vec!["x".into()], || expand_loc("4:1"));
        assert!(bad.unwrap_err().contains("file 4 is not"));
    }
}

#[cfg(test)]
mod strict_tests {
    use crate::model::Model;

    /// A key the model does not have is an error naming it, never silently dropped.
    #[test]
    fn unknown_keys_are_errors() {
        let yaml = "managed_objects: []\ndata_types:\n- name: vim.A\n  wire_name: A\n  fields: []\n  source: {file: a, line: 1}\n  sinse: '1.0'\nfault_types: []\nenums: []\n";
        let err = serde_yaml::from_str::<Model>(yaml).unwrap_err().to_string();
        assert!(err.contains("unknown field `sinse`"), "{err}");
        let err = serde_yaml::from_str::<Model>(
            "managed_objects: []\ndata_types: []\nfault_types: []\nenums: []\nextra: 1\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("unknown field `extra`"), "{err}");
    }
}
