//! Generator benchmarks.
//!
//! - `parse_docset`: every document under `spec/pyvmomi`, read into memory first
//!   (gzip decompressed while reading), then only `parse_document` is timed.
//!   Throughput is the decompressed text size.
//! - `read_parse_docset`: the same from disk: listing `spec/pyvmomi`, reading and
//!   decompressing every file, and parsing it (the page cache is warm after the first
//!   sample).
//! - `regenerate`: `pipeline::build` + `pipeline::outputs` + writing every file to a
//!   temporary directory: what `cargo xtask regenerate` does, end to end.
//!
//! ```sh
//! cargo bench -p generator --bench generator
//! ```

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use generator::load::{documents_under, read_document, Document};
use generator::parse::parse_document;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the generator lives in the workspace")
        .to_path_buf()
}

/// Every pyvmomi document, read and decompressed.
fn pyvmomi_documents() -> Vec<Document> {
    let root = root();
    let paths = documents_under(&root.join("spec/pyvmomi")).expect("spec/pyvmomi is readable");
    paths
        .iter()
        .map(|p| {
            let display = p
                .strip_prefix(&root)
                .unwrap_or(p)
                .to_string_lossy()
                .into_owned();
            read_document(p, &display).unwrap_or_else(|d| panic!("{d}"))
        })
        .collect()
}

fn parse_docset(c: &mut Criterion) {
    let docs = pyvmomi_documents();
    let bytes: usize = docs.iter().map(|d| d.source.text.len()).sum();
    eprintln!(
        "parse_docset: {} documents, {} bytes of decompressed text",
        docs.len(),
        bytes
    );
    let mut group = c.benchmark_group("generator");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(15));
    group.bench_function("parse_docset", |b| {
        b.iter(|| {
            for doc in &docs {
                let parsed = parse_document(black_box(doc)).unwrap_or_else(|d| panic!("{d}"));
                black_box(parsed);
            }
        })
    });
    group.finish();
}

fn read_parse_docset(c: &mut Criterion) {
    let mut group = c.benchmark_group("generator");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(15));
    group.bench_function("read_parse_docset", |b| {
        b.iter(|| {
            for doc in pyvmomi_documents() {
                black_box(parse_document(&doc).unwrap_or_else(|d| panic!("{d}")));
            }
        })
    });
    group.finish();
}

/// A fresh, empty directory under the target directory.
fn scratch_dir() -> PathBuf {
    let base = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let dir = base.join(format!("bench-regenerate-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("creating the scratch directory");
    dir
}

fn regenerate(c: &mut Criterion) {
    let root = root();
    let out = scratch_dir();
    let mut group = c.benchmark_group("generator");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(15));
    group.bench_function("regenerate", |b| {
        b.iter(|| {
            let build = generator::pipeline::build(&root).unwrap_or_else(|e| panic!("{e}"));
            let files = generator::pipeline::outputs(&build)
                .unwrap_or_else(|e| panic!("{e}"))
                .files;
            for (rel, contents) in &files {
                let path = out.join(rel);
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).expect("creating an output directory");
                }
                std::fs::write(&path, contents).expect("writing an output file");
            }
            black_box(files.len())
        })
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&out);
}

criterion_group!(benches, parse_docset, read_parse_docset, regenerate);
criterion_main!(benches);
