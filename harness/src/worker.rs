//! `harness worker`: loads one library and serves it over the process
//! protocol, so a crash, hang or runaway allocation kills only this process.
//!
//! stdout belongs to the protocol: after loading, file descriptor 1 is
//! pointed at stderr and the protocol is written to a duplicate of the
//! original stdout, so a `println!` inside the library lands in the stderr
//! tail instead of corrupting the exchange.

use crate::plugin::dylib::Library;
use crate::plugin::{Backend, ErrorKind, Limits};
use extractor_api::protocol::{Handshake, Reply, Request};
use serde_json::value::RawValue;
use std::io::{BufRead, Write};
use std::os::fd::FromRawFd;
use std::path::Path;

/// Takes fd 1 for the protocol and points it at stderr for everything else.
fn protocol_stdout() -> Result<std::fs::File, String> {
    std::io::stdout().flush().map_err(|e| e.to_string())?;
    // SAFETY: plain descriptor juggling on our own fds; the duplicate is
    // owned by the returned File.
    unsafe {
        let proto = libc::dup(1);
        if proto < 0 || libc::dup2(2, 1) < 0 {
            return Err(format!("cannot redirect stdout: {}", std::io::Error::last_os_error()));
        }
        libc::fcntl(proto, libc::F_SETFD, libc::FD_CLOEXEC);
        Ok(std::fs::File::from_raw_fd(proto))
    }
}

pub fn serve(library: &Path, config: &str, max_output_bytes: usize) -> Result<(), String> {
    let config: serde_json::Value = serde_json::from_str(config).map_err(|e| format!("--config is not JSON: {e}"))?;
    let out = protocol_stdout()?;
    let lib = Library::load(library).map_err(|e| e.to_string())?;
    let limits = Limits {
        max_output_bytes,
        ..Limits::default()
    };
    let mut plugin = lib.instance(&config, limits).map_err(|e| e.to_string())?;
    let info = plugin.info().clone();
    let mut out = std::io::BufWriter::new(out);
    let hello = Handshake {
        abi: Some(info.abi.clone()),
        sha256: Some(info.sha256.clone()),
        ..Handshake::new(&info.name, &info.version, &info.fields)
    };
    let mut send = |line: String| -> Result<(), String> {
        out.write_all(line.as_bytes())
            .and_then(|_| out.write_all(b"\n"))
            .and_then(|_| out.flush())
            .map_err(|e| e.to_string())
    };
    send(serde_json::to_string(&hello).expect("handshakes serialize"))?;
    for line in std::io::stdin().lock().lines() {
        let line = line.map_err(|e| e.to_string())?;
        let req: Request = serde_json::from_str(&line).map_err(|e| format!("bad request: {e}"))?;
        let reply = match plugin.call(&req.id, &req.text) {
            Ok(bytes) => relay(&req.id, &bytes),
            Err(e) => failure(&req.id, e.kind, e.message),
        };
        send(reply)?;
    }
    Ok(())
}

fn failure(id: &str, kind: ErrorKind, message: String) -> String {
    let reply: Reply<Box<RawValue>> = Reply {
        error_kind: Some(kind.to_string()),
        ..Reply::error(Some(id.to_string()), message)
    };
    serde_json::to_string(&reply).expect("replies serialize")
}

/// The library's payload as one reply line with the request id; mentions
/// pass through unparsed (the harness validates them). A payload that is not
/// a reply becomes an error of the right kind.
fn relay(id: &str, bytes: &[u8]) -> String {
    let Ok(s) = std::str::from_utf8(bytes) else {
        return failure(id, ErrorKind::InvalidUtf8, "response is not UTF-8".into());
    };
    match serde_json::from_str::<Reply<Box<RawValue>>>(s) {
        Ok(mut reply) => {
            reply.id = Some(id.to_string());
            serde_json::to_string(&reply).expect("replies serialize")
        }
        Err(e) => failure(
            id,
            ErrorKind::BadOutput,
            format!(
                "response is not a valid payload: {e} (starts {:?})",
                s.chars().take(80).collect::<String>()
            ),
        ),
    }
}
