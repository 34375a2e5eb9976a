//! Where `regenerate`'s time goes: each stage of `pipeline::build` + `outputs` + writing,
//! re-done with the generator's public functions and timed with `Instant`, median and
//! min/max over `STAGES_RUNS` runs (default 15 under `cargo bench`, 1 under `cargo test`).
//! Not a criterion benchmark: it prints one table.
//!
//! ```sh
//! cargo bench -p generator --bench stages
//! ```
//! "format (re-parse + unparse)" is an approximation of the `syn` + `prettyplease` share
//! of `emit`: it re-parses the emitted text with `syn::parse_file` and unparses it again,
//! since `emit::sdk_sources` does not expose its token streams.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use generator::load::{documents_under, load_bytes, Loaded};
use generator::overrides::Overrides;
use generator::parse::parse_document;
use generator::reconcile::{reconcile, SourceModel};
use generator::select::SdkConfig;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the generator lives in the workspace")
        .to_path_buf()
}

const STAGES: &[&str] = &[
    "list documents (read_dir)",
    "read files (fs::read)",
    "gunzip + UTF-8 + format",
    "parse",
    "reconcile",
    "overrides + select",
    "conflicts.md (report)",
    "emit::sdk_sources (tokens+format)",
    "  format (re-parse + unparse)",
    "generated/model (store)",
    "write files",
    "pipeline::build (whole)",
    "pipeline::outputs (whole)",
];

#[allow(unused_assignments)]
fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not: one run then.
    let default_runs = if std::env::args().any(|a| a == "--bench") {
        15
    } else {
        1
    };
    let runs: usize = std::env::var("STAGES_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_runs);
    let root = root();
    let spec = root.join("spec");
    let sdk_text = std::fs::read_to_string(spec.join("sdk.yaml")).unwrap();
    let out = std::env::temp_dir().join(format!("bench-stages-{}", std::process::id()));
    let mut samples: Vec<Vec<Duration>> = vec![Vec::new(); STAGES.len()];
    for _ in 0..runs {
        let mut t = Vec::with_capacity(STAGES.len());
        let mut lap = Instant::now();
        macro_rules! mark {
            ($t:expr) => {{
                let now = Instant::now();
                $t.push(now - lap);
                lap = now;
            }};
        }

        let sdk = SdkConfig::parse("spec/sdk.yaml", &sdk_text).unwrap();
        let paths: Vec<PathBuf> = sdk
            .doc_sets
            .iter()
            .flat_map(|set| documents_under(&root.join(&set.path)).unwrap())
            .collect();
        mark!(t);
        let raw: Vec<(String, Vec<u8>)> = paths
            .iter()
            .map(|p| {
                let display = p
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (display, std::fs::read(p).unwrap())
            })
            .collect();
        mark!(t);
        let docs: Vec<_> = raw
            .iter()
            .filter_map(|(d, b)| match load_bytes(d, b).unwrap() {
                Loaded::Document(doc) => Some(doc),
                Loaded::Skipped(_) => None,
            })
            .collect();
        mark!(t);
        let mut sources = Vec::new();
        for doc in &docs {
            let parsed = parse_document(doc).unwrap();
            sources.push(SourceModel {
                format: doc.format,
                model: parsed.model,
            });
        }
        mark!(t);
        let mut reconciled = reconcile(sources);
        mark!(t);
        let overrides = Overrides::parse(
            "spec/overrides.yaml",
            &std::fs::read_to_string(spec.join("overrides.yaml")).unwrap(),
        )
        .unwrap();
        overrides
            .apply("spec/overrides.yaml", &mut reconciled.model)
            .unwrap();
        let mut full = reconciled.model;
        full.sort_by_name();
        let model = sdk.select(&full).unwrap();
        mark!(t);
        let report = generator::report::conflicts_markdown(&full, &reconciled.conflicts, &[]);
        black_box(report.len());
        mark!(t);
        let sources = generator::emit::sdk_sources(&model).unwrap();
        mark!(t);
        for (_, text) in &sources {
            let file = syn::parse_file(text).unwrap();
            black_box(prettyplease::unparse(&file));
        }
        mark!(t);
        let stored = generator::model::store::store(&full).unwrap();
        black_box(stored.len());
        mark!(t);
        let build = generator::pipeline::build(&root).unwrap();
        let files = generator::pipeline::outputs(&build).unwrap().files;
        lap = Instant::now();
        for (rel, contents) in &files {
            let path = out.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, contents).unwrap();
        }
        mark!(t);
        let build = generator::pipeline::build(&root).unwrap();
        mark!(t);
        black_box(generator::pipeline::outputs(&build).unwrap());
        mark!(t);
        for (i, d) in t.into_iter().enumerate() {
            samples[i].push(d);
        }
    }
    let _ = std::fs::remove_dir_all(&out);
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("{} runs; median [min max] in ms", runs);
    for (name, s) in STAGES.iter().zip(&mut samples) {
        s.sort();
        println!(
            "{name:<36} {:>8.2}  [{:>7.2} {:>7.2}]",
            ms(s[s.len() / 2]),
            ms(s[0]),
            ms(s[s.len() - 1])
        );
    }
}
