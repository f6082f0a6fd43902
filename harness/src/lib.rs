//! The evaluation harness as a library: the `harness` binary is a thin shell
//! over these modules.
//!
//! Data flows one way: gold + plugins → `run` → raw counts (`score`) →
//! `report` model → renderers; `gate` and `compare` read report models.

pub mod cache;
pub mod cli;
pub mod commands;
pub mod compare;
pub mod error;
pub mod exit;
pub mod gate;
pub mod gold;
pub mod merge;
pub mod plugin;
pub mod predictions;
pub mod report;
pub mod run;
pub mod score;
pub mod stream;
pub mod worker;

pub use error::{Error, Result};
