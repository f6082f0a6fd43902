//! Prints the page chrome found in each article file, one JSON object per
//! line: `{"id": ..., "chrome": [[start, end], ...]}` in code points.
//!
//! `cargo run -p grammar --example chrome -- gold/articles/*.txt`

use extractor_api::{serde_json, CharIndex};

fn main() {
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
        let id = std::path::Path::new(&path)
            .file_stem()
            .map_or_else(|| path.clone(), |s| s.to_string_lossy().into_owned());
        let idx = CharIndex::new(&text);
        let ranges: Vec<[usize; 2]> = grammar::chrome::chrome_ranges(&grammar::text::Doc::new(&text, &[]))
            .iter()
            .map(|r| [idx.char_offset(r.start), idx.char_offset(r.end)])
            .collect();
        println!("{}", serde_json::json!({ "id": id, "chrome": ranges }));
    }
}
