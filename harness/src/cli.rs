//! The command line (clap derive), and nothing else: flags are checked for
//! form and range here (a bad value is a usage error, exit 2), combined with
//! the config file into a checked plan in `plan`, and acted on in `commands`.
//! Flags whose value may also come from `eval.toml` are `Option`s, so the
//! plan can tell "given" from "default".

use crate::gold::Shard;
use crate::interop::Format;
use crate::predictions::OnBadLine;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Parser)]
#[command(
    name = "harness",
    version,
    about = "Evaluate information-extraction plugins against a hand-labelled gold set."
)]
pub struct Cli {
    /// Colour in the terminal table: auto (a terminal, and NO_COLOR unset), always, never.
    #[arg(long, global = true, value_enum, default_value_t = Colour::Auto, value_name = "WHEN")]
    pub color: Colour,
    /// No progress bars or warnings; only the final table and errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// More detail (the comparison's flipped mentions, every failed article).
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Colour {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run plugins over the gold articles, score them and write the reports.
    Eval(EvalArgs),
    /// Score predictions produced elsewhere (JSON lines, a gold-format
    /// directory, brat, Label Studio or CoNLL).
    Score(ScoreArgs),
    /// Work with the gold set.
    #[command(subcommand)]
    Gold(GoldCommand),
    /// Show what changed between two report.json files.
    Compare(CompareArgs),
    /// Combine the partial reports of `--shard K/N` runs into the report a
    /// single run would have produced.
    Merge(MergeArgs),
    /// One article's gold and predictions side by side, from a saved report.
    Show(ShowArgs),
    /// Label gold in the browser: a local annotation workbench (or, with
    /// --adjudicate, merge two passes into one gold set).
    Annotate(AnnotateArgs),
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
    /// Agreement between two annotations of the same articles: span and
    /// value F1 per field, Cohen's kappa on tokens, and every disagreement.
    Agree(AgreeArgs),
    /// Rewrite every gold file in the canonical layout (stable key order and
    /// formatting, so files diff cleanly); --check only reports.
    Fmt {
        /// The gold directory.
        #[arg(default_value = "gold")]
        dir: PathBuf,
        /// Exit 1 (and write nothing) if a file is not canonical.
        #[arg(long)]
        check: bool,
    },
    /// Write the gold set in another tool's format: brat, Label Studio or
    /// CoNLL (docs/interop.md).
    Export(ExportArgs),
    /// Read gold made in another tool (brat, Label Studio, CoNLL) into a new
    /// gold directory, checked like `gold check`.
    Import(ImportArgs),
    /// Copy a text into the gold directory byte for byte, with an empty
    /// gold file beside it, ready for `harness annotate`.
    Add {
        /// The article text (UTF-8, copied as is: line endings and accents kept).
        file: PathBuf,
        /// The gold directory.
        #[arg(long)]
        gold: PathBuf,
        /// The article id (default: the file name without extension).
        #[arg(long)]
        id: Option<String>,
    },
    /// Counts: articles, mentions per field, per article and per source.
    Stats {
        /// The gold directory or JSON-lines gold file.
        #[arg(default_value = "gold")]
        dir: PathBuf,
        /// Print the statistics as JSON on stdout.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The format to write.
    #[arg(long, value_enum)]
    pub to: Format,
    /// The gold directory or JSON-lines gold file.
    pub gold: PathBuf,
    /// A new or empty directory for the files.
    pub out: PathBuf,
    /// CoNLL: a third column with each mention's JSON value (and each
    /// ignore region's reason) on its B- line, which importing the file as
    /// gold, or scoring it, needs.
    #[arg(long)]
    pub conll_values: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The format to read.
    #[arg(long, value_enum)]
    pub from: Format,
    /// brat: a directory of ID.txt and ID.ann; label-studio: the
    /// project's JSON export; conll: the .conll file.
    #[arg(value_name = "IN")]
    pub input: PathBuf,
    /// A new or empty directory for the gold (ID.json, articles/ID.txt).
    pub out: PathBuf,
    /// Where the article texts are, as ID.txt: needed for CoNLL, which
    /// carries tokens only; for brat, texts not beside their .ann.
    #[arg(long)]
    pub text_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct AgreeArgs {
    /// The first annotation (a gold directory or JSON-lines file).
    pub a: PathBuf,
    /// The second annotation of the same articles.
    pub b: PathBuf,
    /// Print the agreement as JSON on stdout.
    #[arg(long)]
    pub json: bool,
    /// Disagreements listed on stderr (all of them are in --json).
    #[arg(long, default_value_t = 50)]
    pub show: usize,
    /// Only articles whose id matches (exact, or a prefix ending in `*`).
    /// Repeatable.
    #[arg(long)]
    pub only: Vec<String>,
}

/// Seconds, finite and positive, at most a week.
fn seconds(s: &str) -> Result<Duration, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a number of seconds"))?;
    if !v.is_finite() || v <= 0.0 {
        return Err(format!("{s:?} must be a positive, finite number of seconds"));
    }
    if v > 7.0 * 86_400.0 {
        return Err(format!("{s:?} is more than a week"));
    }
    Ok(Duration::from_secs_f64(v))
}

/// The IoU threshold, in [0, 1].
fn unit_interval(s: &str) -> Result<f64, String> {
    let v: f64 = s.trim().parse().map_err(|_| format!("{s:?} is not a number"))?;
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{s:?} is not between 0 and 1"))
    }
}

/// `K/N`, or `auto` to read it from the job engine's environment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShardArg {
    Fixed(Shard),
    Auto,
}

fn shard(s: &str) -> Result<ShardArg, String> {
    if s == "auto" {
        Ok(ShardArg::Auto)
    } else {
        s.parse().map(ShardArg::Fixed)
    }
}

#[derive(Debug, Args, Clone, Default)]
pub struct ScoringArgs {
    /// Minimum span overlap (intersection over union, 0 = any shared character).
    #[arg(long, value_parser = unit_interval)]
    pub min_overlap: Option<f64>,
    /// Bootstrap resamples for confidence intervals (0: no intervals).
    #[arg(long, value_parser = clap::value_parser!(u32).range(0..=1_000_000))]
    pub resamples: Option<u32>,
    /// Approximate-randomization trials for paired tests (0: none).
    #[arg(long, value_parser = clap::value_parser!(u32).range(0..=10_000_000))]
    pub trials: Option<u32>,
    /// Seed for resampling (recorded in the report).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Threads for scoring and resampling (default: all cores). The numbers
    /// do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
}

#[derive(Debug, Args, Clone, Default)]
pub struct OutputArgs {
    /// Directory for the reports (report.json, scores.csv, articles.csv,
    /// summary.md, report.html, junit.xml, errors.jsonl). Default: reports.
    #[arg(short, long)]
    pub out: Option<PathBuf>,
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

#[derive(Debug, Args, Clone, Default)]
pub struct GoldArgs {
    /// The gold directory, or a JSON-lines gold file (`*.jsonl`, text
    /// inline). Default: gold.
    #[arg(long)]
    pub gold: Option<PathBuf>,
    /// Only the articles of this named subset of the gold (`gold/subsets.toml`).
    #[arg(long)]
    pub subset: Option<String>,
    /// Only the first N articles (after --subset), for a quick trial.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: Option<u64>,
    /// Evaluate only part K of N of the articles and write a partial report
    /// for `harness merge`; `auto` reads K and N from Slurm, Kubernetes,
    /// GitLab or GitHub Actions (see docs/scale-out.md).
    #[arg(long, value_name = "K/N|auto", value_parser = shard)]
    pub shard: Option<ShardArg>,
}

#[derive(Debug, Args, Clone, Default)]
pub struct EvalArgs {
    /// The eval config file (default: ./eval.toml when it exists). Flags
    /// override it.
    #[arg(long)]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub gold: GoldArgs,
    /// A plugin: a library path, `cmd:COMMAND` (process protocol), or a
    /// manifest `*.json` with a library or command and a config. Repeatable;
    /// replaces the config file's plugins.
    #[arg(short, long = "plugin")]
    pub plugins: Vec<String>,
    /// Finish the interrupted run whose reports go to --out, taking every
    /// finished call from the output cache.
    #[arg(long, conflicts_with_all = ["plugins", "no_cache", "config"])]
    pub resume: bool,
    /// Instances of each plugin working at once (worker and command plugins,
    /// and in-process libraries that declare themselves thread-safe).
    /// Default: the number of cores.
    #[arg(short, long, value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Neither read nor write the output cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Where plugin outputs are cached (default: OUT/.cache). Shards may
    /// share one.
    #[arg(long)]
    pub cache_dir: Option<PathBuf>,
    /// Load libraries in the harness process (faster, no crash protection).
    #[arg(long)]
    pub in_process: bool,
    /// Per-article timeout in seconds (worker and command plugins). Default: 30.
    #[arg(long, value_parser = seconds, value_name = "SECONDS")]
    pub timeout: Option<Duration>,
    /// Whole-run budget per plugin in seconds; later articles are skipped.
    #[arg(long, value_parser = seconds, value_name = "SECONDS")]
    pub budget: Option<Duration>,
    /// Address-space limit for worker processes, in MiB (0 = none). Default: 4096.
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..=1 << 24))]
    pub memory_mb: Option<u64>,
    /// Largest accepted response, in MiB. Default: 64.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub max_output_mb: Option<u64>,
    /// Skip a plugin after this many consecutive failed articles. Default: 5.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_failures: Option<u64>,
    /// Call every article N times and report the spread across repeats
    /// (the first repeat gives the headline numbers).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub repeat: Option<u16>,
    /// Retries of an article whose plugin answers `retry_after_s`. Default: 2.
    #[arg(long, value_parser = clap::value_parser!(u16).range(0..=100))]
    pub retries: Option<u16>,
    #[command(flatten)]
    pub scoring: ScoringArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// The form of a predictions input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Default)]
pub enum PredictionsFormat {
    /// JSON lines `{"id", "mentions"}`, or a gold-format directory.
    #[default]
    Jsonl,
    /// A directory of brat `<id>.ann` files (values in AnnotatorNotes).
    Brat,
    /// A Label Studio JSON export (values in the per-region text area).
    LabelStudio,
    /// CoNLL BIO with a value column on B- lines (docs/interop.md).
    Conll,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    #[command(flatten)]
    pub gold: GoldArgs,
    /// With JSON-lines gold: keep the text and findings (for the error
    /// browser and errors.jsonl) of this many articles from the start;
    /// counts always cover every article.
    #[arg(long, default_value_t = 1000)]
    pub keep_details: usize,
    /// Predictions: a JSON-lines file or a gold-format directory, or a
    /// file or directory in the format --predictions-format names.
    /// Repeatable.
    #[arg(long = "predictions", required = true)]
    pub predictions: Vec<PathBuf>,
    /// The predictions' format.
    #[arg(long, value_enum, default_value_t = PredictionsFormat::Jsonl)]
    pub predictions_format: PredictionsFormat,
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
pub struct ShowArgs {
    /// The article id.
    pub article: String,
    /// The report to read.
    #[arg(long, default_value = "reports/report.json")]
    pub report: PathBuf,
    /// Only this plugin (default: every plugin in the report).
    #[arg(long)]
    pub plugin: Option<String>,
}

#[derive(Debug, Args)]
pub struct AnnotateArgs {
    /// The gold directory to label (with --adjudicate: where the merged
    /// gold is written).
    #[arg(long)]
    pub gold: PathBuf,
    /// Pre-annotate articles that have no mentions yet with this plugin
    /// (a library, `cmd:COMMAND` or a manifest); its mentions stay marked
    /// unreviewed until a person accepts them.
    #[arg(long, conflicts_with = "adjudicate")]
    pub plugin: Option<String>,
    /// Open this article first.
    #[arg(long)]
    pub article: Option<String>,
    /// Port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Print the URL but do not open a browser.
    #[arg(long)]
    pub no_open: bool,
    /// Adjudicate two passes over the same articles (gold directories A and
    /// B) into --gold.
    #[arg(long, num_args = 2, value_names = ["A", "B"])]
    pub adjudicate: Option<Vec<PathBuf>>,
}

#[derive(Debug, Args)]
pub struct WorkerArgs {
    #[arg(long)]
    pub library: PathBuf,
    #[arg(long, default_value = "{}")]
    pub config: String,
    #[arg(long, default_value_t = 64 << 20)]
    pub max_output_bytes: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn bad_numbers_are_usage_errors() {
        for bad in [
            &["harness", "eval", "--timeout", "inf"][..],
            &["harness", "eval", "--timeout", "nan"],
            &["harness", "eval", "--timeout", "1e300"],
            &["harness", "eval", "--timeout", "0"],
            &["harness", "eval", "--budget", "-1"],
            &["harness", "eval", "--budget", "nan"],
            &["harness", "eval", "--jobs", "0"],
            &["harness", "eval", "--max-output-mb", "5000"],
            &["harness", "eval", "--max-output-mb", "18446744073709551615"],
            &["harness", "eval", "--min-overlap", "2"],
            &["harness", "eval", "--shard", "0/3"],
        ] {
            let e = Cli::try_parse_from(bad).expect_err(&bad.join(" "));
            assert_eq!(e.exit_code(), crate::exit::USAGE, "{}", bad.join(" "));
        }
        let ok = Cli::try_parse_from(["harness", "eval", "--timeout", "0.5", "-j", "2", "-o", "x"]).unwrap();
        let Command::Eval(a) = ok.command else { panic!() };
        assert_eq!(a.timeout, Some(Duration::from_millis(500)));
        assert_eq!(a.jobs, Some(2));
    }
}
