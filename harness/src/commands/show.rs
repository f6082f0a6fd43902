//! `harness show ARTICLE`: one article, gold beside predictions, from a
//! saved report.

use crate::cli::ShowArgs;
use crate::output::Presentation;
use crate::report::render::show;
use crate::{exit, plan, Error, Result};

pub fn run(a: &ShowArgs, how: Presentation) -> Result<i32> {
    let report = plan::read_report(&a.report)?;
    if let Some(name) = &a.plugin {
        if report.plugin(name).is_none() {
            let names: Vec<&str> = report.plugins.iter().map(|p| p.name.as_str()).collect();
            return Err(Error::Usage(format!(
                "--plugin {name:?}: {} has no such plugin (it has: {})",
                a.report.display(),
                names.join(", ")
            )));
        }
    }
    let text = show::render(&report, &a.article, a.plugin.as_deref(), how.colour).ok_or_else(|| {
        Error::Usage(format!(
            "{}: no article {:?} in this report",
            a.report.display(),
            a.article
        ))
    })?;
    crate::out::print(&text);
    Ok(exit::OK)
}
