//! `harness compare`: what changed between two saved reports.

use crate::cli::CompareArgs;
use crate::report::render::comparison;
use crate::{exit, plan, Result};

pub fn run(a: &CompareArgs) -> Result<i32> {
    let (base, new) = (plan::read_report(&a.base)?, plan::read_report(&a.new)?);
    let c = crate::compare::compare(&a.base.display().to_string(), &base, &new);
    crate::out::eprint(&comparison::render(&c));
    if a.json {
        crate::out::print(&(serde_json::to_string_pretty(&c).expect("comparisons serialize") + "\n"));
    }
    Ok(exit::OK)
}
