//! `harness worker`: loads one library and serves it over the process
//! protocol, so a crash, hang or runaway allocation kills only this process.

use crate::plugin::dylib::Library;
use crate::plugin::process::{PROTOCOL, PROTOCOL_VERSION};
use crate::plugin::{Backend, ErrorKind};
use std::io::{BufRead, Write};
use std::path::Path;

pub fn serve(library: &Path, config: &str) -> Result<(), String> {
    let config: serde_json::Value = serde_json::from_str(config).map_err(|e| format!("--config is not JSON: {e}"))?;
    let lib = Library::load(library).map_err(|e| e.to_string())?;
    let mut plugin = lib.instance(&config).map_err(|e| e.to_string())?;
    let info = plugin.info().clone();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let hello = serde_json::json!({
        "protocol": PROTOCOL,
        "protocol_version": PROTOCOL_VERSION,
        "name": info.name,
        "version": info.version,
        "fields": info.fields,
        "abi": info.abi,
        "sha256": info.sha256,
    });
    writeln!(out, "{hello}")
        .and_then(|_| out.flush())
        .map_err(|e| e.to_string())?;
    for line in std::io::stdin().lock().lines() {
        let line = line.map_err(|e| e.to_string())?;
        let req: extractor_api::Request = serde_json::from_str(&line).map_err(|e| format!("bad request: {e}"))?;
        let reply = match plugin.call(&req.id, &req.text) {
            Ok(bytes) => relay(&req.id, &bytes),
            Err(e) => serde_json::json!({"id": req.id, "error": e.message, "error_kind": e.kind}),
        };
        writeln!(out, "{reply}")
            .and_then(|_| out.flush())
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Re-encodes the library's response as one line with the request id; bytes
/// that are not a JSON object become an error of the right kind.
fn relay(id: &str, bytes: &[u8]) -> serde_json::Value {
    let err = |kind: ErrorKind, msg: String| serde_json::json!({"id": id, "error": msg, "error_kind": kind});
    let Ok(s) = std::str::from_utf8(bytes) else {
        return err(ErrorKind::InvalidUtf8, "response is not UTF-8".into());
    };
    match serde_json::from_str::<serde_json::Value>(s) {
        Ok(serde_json::Value::Object(mut m)) => {
            m.insert("id".into(), id.into());
            serde_json::Value::Object(m)
        }
        Ok(_) => err(ErrorKind::BadOutput, "response is not a JSON object".into()),
        Err(e) => err(
            ErrorKind::BadOutput,
            format!(
                "response is not valid JSON: {e} (starts {:?})",
                s.chars().take(80).collect::<String>()
            ),
        ),
    }
}
