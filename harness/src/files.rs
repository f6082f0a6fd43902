//! Atomic file writes: a temporary file in the same directory, then a rename
//! over the target. An interrupted run never leaves a half-written file and
//! never destroys the previous one.

use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Reports: flushed to disk before the rename, so they survive a power cut.
pub fn atomic_write(path: &Path, contents: &[u8]) -> Result<(), crate::Error> {
    write(path, contents, true)
}

/// Cache entries: atomic against a killed process, but not synced (one fsync
/// per article would dominate a large run; a lost entry is only a miss).
pub fn atomic_write_fast(path: &Path, contents: &[u8]) -> Result<(), crate::Error> {
    write(path, contents, false)
}

fn write(path: &Path, contents: &[u8], sync: bool) -> Result<(), crate::Error> {
    // Unique per write, so threads writing the same target never share a
    // temporary file.
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(crate::Error::io(dir))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("report");
    let seq = SEQ.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.tmp-{}-{seq}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(contents)?;
        if sync {
            f.sync_all()?;
        }
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(crate::Error::io(path))
}

/// Test support: a new, empty directory for one unit test, named after it
/// and after this process, so tests running side by side never share one.
#[cfg(test)]
pub(crate) fn scratch_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("harness-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}
