//! Return values the documentation says may be null ("If no match is found, null is
//! returned", "… or null if there are no changes"): no document flags them optional, so
//! the sentence is the fact. Only a single (non-array) value can be null; an array that
//! is empty is already an empty `Vec`, and a task method's `Task` is always there.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::Model;

/// The word `null` in a return value's description.
static NULL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bnull\b").expect("a valid pattern"));

/// Marks optional every single-valued return whose description says it may be null;
/// returns how many it marked (those already optional not counted).
pub fn mark_null_returns(model: &mut Model) -> usize {
    let mut marked = 0;
    for returns in model
        .managed_objects
        .iter_mut()
        .flat_map(|mo| mo.methods.iter_mut())
        .filter_map(|m| m.returns.as_mut())
    {
        // A task method returns its `Task` whatever its result may be.
        let single = returns
            .ty
            .as_ref()
            .is_some_and(|t| !t.array && t.name != "vim.Task");
        let says_null = returns
            .description
            .as_deref()
            .is_some_and(|d| NULL.is_match(d));
        if single && says_null && !returns.optional {
            returns.optional = true;
            marked += 1;
        }
    }
    marked
}
