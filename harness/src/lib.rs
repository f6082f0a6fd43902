//! The evaluation harness as a library: the `harness` binary is a thin shell
//! over these modules. Data flows one way (see ARCHITECTURE.md):
//!
//! cli → plan → gold + plugins → run → outcomes → score (raw counts) →
//! report model (+ gate, compare) → renderers → output.

// Bottom: no dependency on any other module of the crate but each other.
pub mod diag;
pub mod digest;
pub mod error;
pub mod exit;
pub mod files;
pub mod mention;
pub mod naming;
pub mod out;
pub mod outcome;

// Inputs and the stages of a run.
pub mod agree;
pub mod cache;
pub mod gold;
pub mod interop;
pub mod plugin;
pub mod predictions;
pub mod progress;
pub mod run;
pub mod score;
pub mod stream;
pub mod worker;

// Reports and what reads them.
pub mod compare;
pub mod gate;
pub mod merge;
pub mod report;

// The command layers.
pub mod annotate;
pub mod cli;
pub mod commands;
pub mod config;
pub mod output;
pub mod plan;
pub mod resume;
pub mod signals;

pub use error::{Error, Result};
