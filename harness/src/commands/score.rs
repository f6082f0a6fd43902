//! `harness score`: predictions made elsewhere, scored against the gold.

use crate::cli::{PredictionsFormat, ScoreArgs};
use crate::config::EvalConfig;
use crate::interop::Format;
use crate::output::{self, OutLock, Presentation};
use crate::{gold, plan, report, Error, Result};
use std::time::{Instant, SystemTime};

pub fn run(a: &ScoreArgs, how: Presentation) -> Result<i32> {
    let started = (SystemTime::now(), Instant::now());
    let cwd = plan::cwd()?;
    let none = EvalConfig::default();
    let gold_plan = plan::gold(&a.gold, &none, &cwd)?;
    let out = plan::output(&a.output, &none, &cwd)?;
    let opts = plan::scoring(&a.scoring, &none.scoring);
    super::init_threads(opts.threads);
    let opts = opts.options;
    let checks = out.checks()?;
    let predictions: Vec<_> = a.predictions.iter().map(|p| cwd.join(p)).collect();
    for p in &predictions {
        if !p.exists() {
            return Err(Error::Missing {
                what: "predictions",
                path: p.clone(),
            });
        }
    }
    let converted = match a.predictions_format {
        PredictionsFormat::Jsonl => None,
        PredictionsFormat::Brat => Some(Format::Brat),
        PredictionsFormat::LabelStudio => Some(Format::LabelStudio),
        PredictionsFormat::Conll => Some(Format::Conll),
    };
    let mut report = if gold::is_jsonl(&gold_plan.path) {
        if let Some(f) = converted {
            return Err(Error::Usage(format!(
                "--predictions-format {} takes a gold directory; a JSON-lines gold is streamed against JSON-lines predictions",
                f.name()
            )));
        }
        if gold_plan.subset.is_some() || gold_plan.limit.is_some() {
            return Err(Error::Usage(
                "--subset and --limit take a gold directory; a JSON-lines gold is streamed whole".into(),
            ));
        }
        if let Some(p) = predictions.iter().find(|p| p.is_dir()) {
            return Err(Error::BadInput(format!(
                "{}: a JSON-lines gold is scored against JSON-lines predictions, not a directory",
                p.display()
            )));
        }
        let stream = crate::stream::StreamArgs {
            gold: &gold_plan.path,
            predictions: &predictions,
            on_bad: a.on_bad_line,
            shard: gold_plan.shard,
            keep_details: a.keep_details,
        };
        crate::stream::score(
            &stream,
            &opts,
            super::bare_meta("score", &gold_plan.path, &opts, started.0),
        )?
    } else {
        let gold = plan::load_gold(&gold_plan)?;
        let runs = predictions
            .iter()
            .map(|p| match converted {
                None => crate::predictions::read(p, &gold, a.on_bad_line),
                Some(f) => crate::interop::predictions(f, p, &gold, a.on_bad_line),
            })
            .collect::<Result<Vec<_>>>()?;
        let mut r = report::build(&gold, &runs, &opts, super::meta("score", &gold, &opts, started.0));
        r.meta.shard = gold_plan.shard;
        r.meta.subset = gold_plan.subset.clone();
        r
    };
    report.meta.duration_ms = started.1.elapsed().as_millis() as u64;
    let _lock = OutLock::acquire(&out.out)?;
    output::finish(report, &out, &checks, how)
}
