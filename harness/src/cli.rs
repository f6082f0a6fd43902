//! The command line (clap derive). Documented exit codes live in `exit`.

use crate::predictions::OnBadLine;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "harness",
    version,
    about = "Evaluate information-extraction plugins against a hand-labelled gold set."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run plugins over the gold articles, score them and write the reports.
    Eval(EvalArgs),
    /// Score predictions produced elsewhere (JSON lines, or a gold-format directory).
    Score(ScoreArgs),
    /// Work with the gold set.
    #[command(subcommand)]
    Gold(GoldCommand),
    /// Show what changed between two report.json files.
    Compare(CompareArgs),
    /// Combine the partial reports of `--shard K/N` runs into the report a
    /// single run would have produced.
    Merge(MergeArgs),
    /// Internal: serve one library over the process protocol (worker isolation).
    #[command(hide = true)]
    Worker(WorkerArgs),
}

#[derive(Debug, Subcommand)]
pub enum GoldCommand {
    /// Validate every gold file and print every problem as file:line:col: message.
    Check {
        /// The gold directory or JSON-lines gold file.
        dir: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct ScoringArgs {
    /// Minimum span overlap (intersection over union, 0 = any shared character).
    #[arg(long, default_value_t = 0.0)]
    pub min_overlap: f64,
    /// Bootstrap resamples for confidence intervals.
    #[arg(long, default_value_t = 1000)]
    pub resamples: u32,
    /// Approximate-randomization trials for paired tests.
    #[arg(long, default_value_t = 10_000)]
    pub trials: u32,
    /// Seed for resampling (recorded in the report).
    #[arg(long, default_value_t = 20240604)]
    pub seed: u64,
    /// Threads for scoring and resampling (default: all cores). The numbers
    /// do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
}

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Directory for the reports (report.json, scores.csv, articles.csv,
    /// summary.md, report.html, junit.xml, errors.jsonl).
    #[arg(long, default_value = "reports")]
    pub out: PathBuf,
    /// Gate rules (TOML). Without it no gate is applied.
    #[arg(long)]
    pub gate: Option<PathBuf>,
    /// A previous report.json to compare with and gate against.
    #[arg(long)]
    pub baseline: Option<PathBuf>,
    /// Also print the report JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The gold directory, or a JSON-lines gold file (`*.jsonl`, text inline).
    #[arg(long, default_value = "gold")]
    pub gold: PathBuf,
    /// A plugin: a library path, `cmd:COMMAND` (process protocol), or a
    /// manifest `*.json` with a library or command and a config. Repeatable.
    #[arg(long = "plugin", required_unless_present = "resume")]
    pub plugins: Vec<String>,
    /// Finish the interrupted run whose reports go to --out: repeat its
    /// command line, taking every finished call from the output cache.
    #[arg(long, conflicts_with_all = ["plugins", "no_cache"])]
    pub resume: bool,
    /// Evaluate only part K of N of the articles and write a partial report
    /// for `harness merge`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<crate::gold::Shard>,
    /// Instances of each plugin working at once (worker and command plugins,
    /// and in-process libraries that declare themselves thread-safe).
    /// Default: the number of cores.
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Neither read nor write the output cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Where plugin outputs are cached (default: OUT/.cache).
    #[arg(long)]
    pub cache_dir: Option<PathBuf>,
    /// Load libraries in the harness process (faster, no crash protection).
    #[arg(long)]
    pub in_process: bool,
    /// Per-article timeout in seconds (worker and command plugins).
    #[arg(long, default_value_t = 30.0)]
    pub timeout: f64,
    /// Whole-run budget per plugin in seconds; later articles are skipped.
    #[arg(long)]
    pub budget: Option<f64>,
    /// Address-space limit for worker processes, in MiB (0 = none).
    #[arg(long, default_value_t = 4096)]
    pub memory_mb: u64,
    /// Largest accepted response, in MiB.
    #[arg(long, default_value_t = 64)]
    pub max_output_mb: usize,
    /// Skip a plugin after this many consecutive failed articles.
    #[arg(long, default_value_t = 5)]
    pub max_failures: usize,
    #[command(flatten)]
    pub scoring: ScoringArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// The gold directory, or a JSON-lines gold file (`*.jsonl`, text inline),
    /// which is streamed in bounded memory.
    #[arg(long, default_value = "gold")]
    pub gold: PathBuf,
    /// With JSON-lines gold: keep the text and findings (for the error
    /// browser and errors.jsonl) of this many articles from the start;
    /// counts always cover every article.
    #[arg(long, default_value_t = 1000)]
    pub keep_details: usize,
    /// Predictions: a JSON-lines file or a gold-format directory. Repeatable.
    #[arg(long = "predictions", required = true)]
    pub predictions: Vec<PathBuf>,
    /// Score only part K of N of the articles (a partial report for `harness merge`).
    #[arg(long, value_name = "K/N")]
    pub shard: Option<crate::gold::Shard>,
    /// What to do with a bad predictions line.
    #[arg(long, value_enum, default_value_t = OnBadLine::Stop)]
    pub on_bad_line: OnBadLine,
    #[command(flatten)]
    pub scoring: ScoringArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    pub base: PathBuf,
    pub new: PathBuf,
    /// Print the comparison as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The partial report.json files, one per shard, in any order.
    #[arg(required = true)]
    pub partials: Vec<PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct WorkerArgs {
    #[arg(long)]
    pub library: PathBuf,
    #[arg(long, default_value = "{}")]
    pub config: String,
}

#[cfg(test)]
mod tests {
    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
