//! The top-level error: every failure the binary can report, with its exit
//! code. It sits below every stage; stages that have their own error types
//! convert into it where they are defined.

use crate::diag::Diagnostic;
use crate::exit;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{} problem(s) in the gold set", .0.len())]
    BadGold(Vec<Diagnostic>),
    #[error("{what} not found: {}", path.display())]
    Missing { what: &'static str, path: PathBuf },
    #[error("{0}")]
    PluginLoad(String),
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{0}")]
    BadInput(String),
    /// A flag or argument value that clap could not check by itself.
    #[error("{0}")]
    Usage(String),
    /// Another run holds the output directory.
    #[error("{0}")]
    Busy(String),
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::BadGold(_) => exit::BAD_GOLD,
            Error::Missing { .. } => exit::MISSING_INPUT,
            Error::PluginLoad(_) => exit::PLUGIN_FAILED,
            Error::Io { .. } => exit::IO,
            Error::BadInput(_) => exit::BAD_INPUT,
            Error::Usage(_) => exit::USAGE,
            Error::Busy(_) => exit::BUSY,
        }
    }

    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                Error::Missing { what: "file", path }
            } else {
                Error::Io { path, source }
            }
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
