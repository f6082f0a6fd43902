//! Prints the mentions found in each article file given on the command line,
//! one JSON object per line: `{"id": ..., "mentions": [...]}`.
//!
//! `cargo run -p grammar --example dump -- gold/articles/*.txt`

use extractor_api::{serde_json, Document};

fn main() {
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
        let id = std::path::Path::new(&path)
            .file_stem()
            .map_or_else(|| path.clone(), |s| s.to_string_lossy().into_owned());
        let mentions = grammar::extract(&Document { id: &id, text: &text });
        let line = serde_json::json!({ "id": id, "mentions": mentions });
        println!("{line}");
    }
}
