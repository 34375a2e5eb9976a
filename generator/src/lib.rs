//! The vSphere SDK generator: documentation in four formats → one reconciled model → Rust.
//!
//! Stages, one module each: [`load`] reads documents, [`parse`] turns each format into a
//! partial [`model::Model`], [`reconcile`] merges them (recording disagreements),
//! [`overrides`] applies `spec/overrides.yaml`, [`select`] keeps what `spec/sdk.yaml`
//! needs, [`plan`] works out the type graph once (names, boxes, derives), and [`emit`]
//! writes the outputs.

pub mod diag;
pub mod docs_report;
pub mod emit;
pub mod load;
pub mod model;
pub mod overrides;
pub mod parallel;
pub mod parse;
pub mod pipeline;
pub mod plan;
pub mod reconcile;
pub mod report;
pub mod secrets;
pub mod select;
