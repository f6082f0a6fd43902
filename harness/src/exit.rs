//! Exit codes of the `harness` binary, in one place. Documented in the README.
//!
//! CI scripts branch on these, so they never change meaning.

/// Everything ran; the gate (if any) passed.
pub const OK: i32 = 0;
/// The run completed and every report was written, but the quality gate failed.
pub const GATE_FAILED: i32 = 1;
/// Bad command line (clap's own convention).
pub const USAGE: i32 = 2;
/// The gold set is invalid (`harness gold check` found problems, or `eval`
/// could not load it).
pub const BAD_GOLD: i32 = 3;
/// A named input (gold dir, plugin file, predictions, baseline) does not exist.
pub const MISSING_INPUT: i32 = 4;
/// A plugin could not be loaded at all (not a library, missing symbol, ABI
/// mismatch). Plugins failing on individual articles do not exit non-zero:
/// they become report rows.
pub const PLUGIN_LOAD: i32 = 5;
/// Reading or writing a file failed.
pub const IO: i32 = 6;
/// Bad input other than gold: a predictions file, a report file, a gate config.
pub const BAD_INPUT: i32 = 7;
