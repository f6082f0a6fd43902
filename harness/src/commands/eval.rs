//! `harness eval`: plugins over the gold, scored, reported.

use crate::cli::EvalArgs;
use crate::output::{self, OutLock, Presentation};
use crate::plan::{self, EvalPlan};
use crate::progress::Progress;
use crate::{report, resume, run, Result};
use std::time::{Instant, SystemTime};

pub fn run(a: &EvalArgs, how: Presentation) -> Result<i32> {
    let plan = if a.resume {
        let out = plan::output(&a.output, &Default::default(), &plan::cwd()?)?.out;
        let plan = resume::plan(&out)?;
        if !how.quiet {
            crate::out::eprintln(&format!("resuming the interrupted run in {}", out.display()));
        }
        plan
    } else {
        EvalPlan::from_args(a)?
    };
    execute(&plan, how)
}

pub fn execute(plan: &EvalPlan, how: Presentation) -> Result<i32> {
    let started = (SystemTime::now(), Instant::now());
    super::init_threads(plan.scoring.threads);
    // Everything that can be wrong with the inputs fails here, before any
    // plugin runs and before the previous reports could be touched.
    let checks = plan.output.checks()?;
    let gold = plan::load_gold(&plan.gold)?;
    let _lock = OutLock::acquire(&plan.output.out)?;
    crate::signals::install(Some(format!(
        "finish it with: harness eval --resume --out {}",
        plan.output.out.display()
    )));

    let progress = Progress::new(how.quiet);
    let prepared = run::prepare_all(&plan.plugins, &gold.articles, &plan.run, &progress);
    // Names are known now, before any article runs: a gate rule for a
    // plugin the run does not have is a mistake (a typo would pass silently).
    if let Some(cfg) = &checks.gate {
        let names = report::build::unique_names(prepared.iter().map(|p| p.name().unwrap_or(p.label()).to_string()));
        let mut known: Vec<&str> = names.iter().map(String::as_str).collect();
        if let Some((_, b)) = &checks.baseline {
            known.extend(b.plugins.iter().map(|p| p.name.as_str()));
        }
        cfg.check_plugins(known)?;
    }
    resume::begin(plan)?;
    let runs = run::execute_all(prepared, &gold.articles, &plan.run, &progress);
    drop(progress);
    let opts = plan.scoring.options;
    let mut report = report::build(&gold, &runs, &opts, super::meta("eval", &gold, &opts, started.0));
    report.meta.shard = plan.gold.shard;
    report.meta.subset = plan.gold.subset.clone();
    report.meta.duration_ms = started.1.elapsed().as_millis() as u64;
    let code = output::finish(report, &plan.output, &checks, how)?;
    resume::end(plan);
    Ok(code)
}
