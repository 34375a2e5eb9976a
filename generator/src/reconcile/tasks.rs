//! The result type of task methods, read from their return value's documentation: "The
//! info.result property in the Task contains the newly created [[VirtualMachine]] upon
//! success." Only the docs' own cross-reference counts; prose without one names nothing.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Model, TypeRef};

/// `info.result …[[Name]]` within one sentence, with "an array of" / "a list of" before
/// the name marking an array.
static RESULT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"info\.result\b([^.\[]*?)\[\[([A-Za-z0-9_.]+)\]\]").expect("a valid pattern")
});

/// Sets `task_result` on every method whose return description names its task's result
/// type; returns how many it set.
pub fn record_task_results(model: &mut Model) -> usize {
    let mut by_name: HashMap<String, String> = HashMap::new();
    let types = model
        .data_types
        .iter()
        .chain(&model.fault_types)
        .map(|d| (&d.name, &d.wire_name))
        .chain(
            model
                .managed_objects
                .iter()
                .map(|m| (&m.name, &m.wire_name)),
        );
    for (qualified, wire) in types {
        by_name.insert(qualified.clone(), qualified.clone());
        by_name
            .entry(wire.clone())
            .or_insert_with(|| qualified.clone());
    }
    let mut recorded = 0;
    for method in model
        .managed_objects
        .iter_mut()
        .flat_map(|mo| mo.methods.iter_mut())
    {
        let Some(text) = method
            .returns
            .as_ref()
            .and_then(|r| r.description.as_deref())
        else {
            continue;
        };
        let Some(found) = RESULT.captures(text) else {
            continue;
        };
        let Some(qualified) = by_name.get(&found[2]) else {
            continue;
        };
        let between = found[1].to_ascii_lowercase();
        let array = between.contains("array of") || between.contains("list of");
        method.task_result = Some(if array {
            TypeRef::array_of(qualified.clone())
        } else {
            TypeRef::scalar(qualified.clone())
        });
        recorded += 1;
    }
    recorded
}
