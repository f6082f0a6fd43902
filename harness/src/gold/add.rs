//! New articles in a gold directory: the text copied in byte for byte, an
//! empty gold file beside it in the canonical layout. Used by `harness gold
//! add` and by the workbench when adjudication writes a new article.

use super::{canonical, check_id, GoldArticle};
use crate::digest::sha256_hex;
use crate::Error;
use std::path::{Path, PathBuf};

/// Where an article's text and gold file go in `dir`.
pub fn paths(dir: &Path, id: &str) -> (PathBuf, PathBuf) {
    (
        dir.join("articles").join(format!("{id}.txt")),
        dir.join(format!("{id}.json")),
    )
}

/// An article with no labels yet, its text at `articles/<id>.txt` of `dir`.
pub fn empty(dir: &Path, id: &str, text: String) -> GoldArticle {
    GoldArticle {
        id: id.to_string(),
        file: paths(dir, id).1,
        source: Some(format!("articles/{id}.txt")),
        sha256: sha256_hex(text.as_bytes()),
        text,
        ignore: Vec::new(),
        ignore_reasons: Vec::new(),
        mentions: Vec::new(),
    }
}

/// Reads `bytes` as an article text: UTF-8 without a byte order mark (the
/// loader refuses both, and offsets count the stored code points).
pub fn article_text(bytes: Vec<u8>, what: &Path) -> Result<String, Error> {
    if bytes.starts_with("\u{feff}".as_bytes()) {
        return Err(Error::BadInput(format!(
            "{}: starts with a UTF-8 byte order mark (BOM); remove it first, since tools that strip it would shift every offset",
            what.display()
        )));
    }
    String::from_utf8(bytes).map_err(|e| Error::BadInput(format!("{}: not UTF-8: {e}", what.display())))
}

/// Copies `text` into `dir` as article `id` with an empty gold file, and
/// returns that article. Refuses an unsafe id and never overwrites a text
/// or gold file that is already there.
pub fn add(dir: &Path, id: &str, text: String) -> Result<GoldArticle, Error> {
    check_id(id).map_err(Error::Usage)?;
    let (text_path, gold_path) = paths(dir, id);
    for p in [&text_path, &gold_path] {
        if p.exists() {
            return Err(Error::BadInput(format!(
                "{} already exists; choose another id with --id, or remove it first",
                p.display()
            )));
        }
    }
    let article = empty(dir, id, text);
    crate::files::atomic_write(&text_path, article.text.as_bytes())?;
    crate::files::atomic_write(&gold_path, canonical(&article).as_bytes())?;
    Ok(article)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_byte_for_byte_and_never_overwrites() {
        let dir = crate::files::scratch_dir("gold-add");
        let text = "Ngày 4/6/2024\r\nle\u{323}\u{302} 7,1\u{a0}%".to_string();
        let a = add(&dir, "new1", text.clone()).unwrap();
        assert_eq!(std::fs::read(dir.join("articles/new1.txt")).unwrap(), text.as_bytes());
        let (loaded, diags) = super::super::load_file(&dir.join("new1.json"));
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(loaded.unwrap().sha256, a.sha256);
        assert!(add(&dir, "new1", "other".into()).is_err());
        assert!(add(&dir, "../../etc/passwd", "x".into()).is_err());
        assert!(article_text(b"\xef\xbb\xbfx".to_vec(), Path::new("f")).is_err());
        assert!(article_text(b"\xff".to_vec(), Path::new("f")).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
