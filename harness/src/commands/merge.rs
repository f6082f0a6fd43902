//! `harness merge`: shard reports back into the single-run report.

use crate::cli::MergeArgs;
use crate::config::EvalConfig;
use crate::output::{self, OutLock, Presentation};
use crate::{plan, Error, Result};

pub fn run(a: &MergeArgs, how: Presentation) -> Result<i32> {
    let cwd = plan::cwd()?;
    let out = plan::output(&a.output, &EvalConfig::default(), &cwd)?;
    let checks = out.checks()?;
    let parts = a
        .partials
        .iter()
        .map(|p| Ok((p.display().to_string(), plan::read_report(&cwd.join(p))?)))
        .collect::<Result<Vec<_>>>()?;
    let report = crate::merge::merge(parts).map_err(|e| Error::BadInput(e.to_string()))?;
    let _lock = OutLock::acquire(&out.out)?;
    output::finish(report, &out, &checks, how)
}
