//! Exit codes of the `harness` binary, in one place. Documented in the README.
//!
//! CI scripts branch on these, so they never change meaning.

/// Everything ran; the gate (if any) passed.
pub const OK: i32 = 0;
/// The run completed and every report was written, but the quality gate failed.
pub const GATE_FAILED: i32 = 1;
/// Bad command line: an unknown flag, or a value out of range (clap's convention).
pub const USAGE: i32 = 2;
/// The gold set is invalid (`harness gold check` found problems, or `eval`
/// could not load it), or `gold agree` was given two sets of different articles.
pub const BAD_GOLD: i32 = 3;
/// A named input (gold dir, plugin file, predictions, baseline) does not exist.
pub const MISSING_INPUT: i32 = 4;
/// A plugin could not be loaded at all (not a library, missing symbol, ABI
/// mismatch, failed handshake) or failed on every article. Reports are still
/// written, with its row. Plugins failing on some articles do not exit
/// non-zero: they become report rows (and a gate decides).
pub const PLUGIN_FAILED: i32 = 5;
/// Reading or writing a file failed.
pub const IO: i32 = 6;
/// Bad input other than gold: a predictions file, a report file, a gate config.
pub const BAD_INPUT: i32 = 7;
/// Another run is writing the same output directory.
pub const BUSY: i32 = 8;
/// Interrupted by SIGHUP (128 + 1).
pub const SIGHUP: i32 = 129;
/// Interrupted by SIGINT, Ctrl-C (128 + 2).
pub const SIGINT: i32 = 130;
/// Interrupted by SIGTERM (128 + 15).
pub const SIGTERM: i32 = 143;
