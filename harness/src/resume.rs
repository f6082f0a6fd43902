//! The resume marker: until its reports are written, `eval` leaves
//! `OUT/.eval-in-progress.json` holding its checked plan (as data, with
//! absolute paths), so `harness eval --resume --out OUT` repeats exactly
//! that run from any working directory, taking every finished call from the
//! output cache.

use crate::plan::EvalPlan;
use crate::Error;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

const MARKER: &str = ".eval-in-progress.json";
/// Bump when the plan's shape changes.
const MARKER_VERSION: u32 = 2;

#[derive(Serialize, Deserialize)]
struct Marker {
    marker_version: u32,
    plan: EvalPlan,
}

pub fn marker(out: &Path) -> PathBuf {
    out.join(MARKER)
}

/// Records the plan of a run that is starting.
pub fn begin(plan: &EvalPlan) -> Result<(), Error> {
    let m = Marker {
        marker_version: MARKER_VERSION,
        plan: plan.clone(),
    };
    let json = serde_json::to_vec_pretty(&m).expect("plans serialize");
    crate::files::atomic_write(&marker(&plan.output.out), &json)
}

/// The run finished and its reports are written.
pub fn end(plan: &EvalPlan) {
    let _ = std::fs::remove_file(marker(&plan.output.out));
}

/// The plan of the interrupted run in `out`.
pub fn plan(out: &Path) -> Result<EvalPlan, Error> {
    let path = marker(out);
    if !path.exists() {
        return Err(Error::BadInput(format!(
            "--resume: no interrupted run in {} (no {MARKER}); every run there finished",
            out.display()
        )));
    }
    let src = std::fs::read_to_string(&path).map_err(Error::io(&path))?;
    let m: Marker = serde_json::from_str(&src).map_err(|e| {
        Error::BadInput(format!(
            "{}: not a run marker of this harness version ({e}); start the run again without --resume",
            path.display()
        ))
    })?;
    if m.marker_version != MARKER_VERSION {
        return Err(Error::BadInput(format!(
            "{}: marker version {} (this harness writes {MARKER_VERSION}); start the run again without --resume",
            path.display(),
            m.marker_version
        )));
    }
    Ok(m.plan)
}
