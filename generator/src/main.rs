//! `generator` command line: inspect what the generator understands of documents.
//!
//! - `generator stats DIR...` — counts managed objects, methods, data types, faults and enums
//!   of the folders' documents reconciled together, and how their names were paired.
//! - `generator parse FILE...` — prints the reconciled model of the given documents as YAML.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use generator::diag::Diagnostic;
use generator::pipeline::{parse_dir, parse_files, BuildError, ParsedFiles};
use generator::reconcile::reconcile;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("stats") if args.len() >= 2 => stats(&args[1..]),
        Some("parse") if args.len() >= 2 => parse(&args[1..]),
        _ => {
            eprintln!("usage: generator stats DIR... | generator parse FILE...");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", explain(&e));
            ExitCode::FAILURE
        }
    }
}

fn stats(dirs: &[String]) -> Result<(), BuildError> {
    let mut all = ParsedFiles::default();
    for dir in dirs {
        let parsed = parse_dir(Path::new(dir), Path::new(""))?;
        all.sources.extend(parsed.sources);
        all.warnings.extend(parsed.warnings);
        all.skipped.extend(parsed.skipped);
    }
    let ParsedFiles {
        sources,
        warnings,
        skipped,
    } = all;
    report_warnings(&warnings);
    for s in &skipped {
        println!("{s}");
    }
    let documents = sources.len();
    let reconciled = reconcile(sources);
    let identity = &reconciled.identity;
    for name in &identity.unpaired {
        println!("no wire-named document for {name}");
    }
    let repeated = reconciled.repeated_fields.len();
    let task_results = reconciled.task_results;
    let null_returns = reconciled.null_returns;
    let body_arrays = reconciled.body_arrays;
    let model = reconciled.model;
    let methods: usize = model.managed_objects.iter().map(|m| m.methods.len()).sum();
    let properties: usize = model
        .managed_objects
        .iter()
        .map(|m| m.properties.len())
        .sum();
    println!("documents:       {documents}");
    println!("managed objects: {}", model.managed_objects.len());
    println!("methods:         {methods}");
    println!("properties:      {properties}");
    println!("data types:      {}", model.data_types.len());
    println!("faults:          {}", model.fault_types.len());
    println!("enums:           {}", model.enums.len());
    println!("warnings:        {}", warnings.len());
    println!("skipped files:   {}", skipped.len());
    println!("evidence pairs:  {}", identity.by_evidence);
    println!("unpaired names:  {}", identity.unpaired.len());
    println!("wire-only types: {}", identity.wire_only_count());
    println!("repeated inherited fields and members dropped: {repeated}");
    println!(
        "task results:    {task_results} of {} task methods",
        generator::model::task_methods(&model)
    );
    println!("null returns:    {null_returns} made optional");
    println!(
        "body arrays:     {body_arrays} parameters' array dimension from their request-body type"
    );
    Ok(())
}

fn parse(files: &[String]) -> Result<(), BuildError> {
    let paths: Vec<PathBuf> = files.iter().map(PathBuf::from).collect();
    let ParsedFiles {
        sources,
        warnings,
        skipped,
    } = parse_files(&paths, Path::new(""))?;
    report_warnings(&warnings);
    for s in &skipped {
        eprintln!("{s}");
    }
    let reconciled = reconcile(sources);
    print!(
        "{}",
        serde_yaml::to_string(&reconciled.model).unwrap_or_default()
    );
    for c in &reconciled.conflicts {
        eprintln!("conflict: {c}");
    }
    Ok(())
}

fn report_warnings(warnings: &[Diagnostic]) {
    for w in warnings {
        eprintln!("{w}");
    }
}

/// Renders document errors with source snippets where the file can be read again.
fn explain(e: &BuildError) -> String {
    match e {
        BuildError::Documents(diags) => diags
            .iter()
            .map(
                |d| match generator::load::read_document(Path::new(&d.file), &d.file) {
                    Ok(doc) => d.render(&doc.source.text),
                    Err(_) => d.to_string(),
                },
            )
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    }
}
