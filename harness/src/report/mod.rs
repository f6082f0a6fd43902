//! Reports: the model (`model`), how it is built from runs (`build`), the
//! metadata (`meta`), the renderers (`render`) and atomic writing (`write`).

pub mod build;
pub mod meta;
pub mod model;
pub mod render;

pub use build::{build, ScoreOptions};
pub use model::*;
