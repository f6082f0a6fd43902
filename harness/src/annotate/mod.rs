//! `harness annotate`: a local annotation workbench for the gold format,
//! served by the harness itself on 127.0.0.1 to one browser page.
//!
//! - `server`: the HTTP shell (token, Host and Origin checks, the page);
//! - `api`: the JSON endpoints, one function each;
//! - `store`: reading and saving gold files (hash-checked, atomic,
//!   canonical), and `status` for which articles are done;
//! - `doc` and `problems`: the page's labels and what is wrong with them,
//!   by the gold loader's own checks plus guideline warnings;
//! - `guess`: a normalized value for a freshly marked span;
//! - `preannotate` and `adjudicate`: a plugin's proposals, and the choices
//!   between two passes.
//!
//! The page itself is `assets/` (plain HTML, CSS and JS, embedded).

mod adjudicate;
mod api;
mod doc;
pub mod guess;
mod preannotate;
mod problems;
mod server;
mod status;
mod store;

use crate::plugin::PluginSpec;
use std::path::PathBuf;

pub use server::Running;

/// What to serve.
#[derive(Clone, Debug)]
pub struct Options {
    /// The gold directory (with `adjudicate`: where the merged gold goes).
    pub gold: PathBuf,
    /// Pre-annotate articles without mentions with this plugin.
    pub plugin: Option<PluginSpec>,
    /// The article the page opens first.
    pub article: Option<String>,
    /// 0 for any free port.
    pub port: u16,
    /// Two passes to adjudicate into `gold`.
    pub adjudicate: Option<(PathBuf, PathBuf)>,
}

/// An API failure: the HTTP status it is answered with, and why.
#[derive(Debug)]
pub(crate) enum ApiError {
    BadRequest(String),
    NotFound(String),
    /// The gold file changed on disk since the page loaded it; its hash now.
    Conflict {
        hash: String,
    },
    /// The labels break the gold format: nothing was written.
    Unprocessable(Vec<problems::Problem>),
    Internal(String),
}

impl From<crate::Error> for ApiError {
    fn from(e: crate::Error) -> ApiError {
        ApiError::Internal(e.to_string())
    }
}

/// Binds 127.0.0.1 and starts serving; the URL (with its access token) is
/// in the returned handle.
pub fn start(opts: Options) -> Result<Running, crate::Error> {
    server::start(api::Api::new(&opts)?, opts.port)
}
