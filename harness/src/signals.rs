//! Ctrl-C, SIGTERM and SIGHUP: end every plugin process group the harness
//! started (TERM, a grace period, KILL), keep the previous reports and the
//! resume marker, and exit with 128 + the signal number (130 for Ctrl-C).
//!
//! The handler runs on a thread of its own. It first records the signal, so
//! the main thread, which may be finishing meanwhile, never writes a report
//! set after an interruption (`output::write_set` checks [`interrupted`]).

use crate::plugin::procs;
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;
use std::io::Write;
use std::sync::atomic::{AtomicI32, Ordering};

static SIGNAL: AtomicI32 = AtomicI32::new(0);

/// The exit code an interruption calls for (128 + signal), once one arrived.
pub fn interrupted() -> Option<i32> {
    match SIGNAL.load(Ordering::SeqCst) {
        0 => None,
        sig => Some(128 + sig),
    }
}

/// Installs the handler. `hint` is printed when a signal arrives (how to
/// resume, for `eval`).
pub fn install(hint: Option<String>) {
    let Ok(mut signals) = Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            SIGNAL.store(sig, Ordering::SeqCst);
            procs::terminate_all();
            let name = match sig {
                SIGINT => "interrupted (SIGINT)",
                SIGTERM => "terminated (SIGTERM)",
                _ => "hung up (SIGHUP)",
            };
            let mut msg = format!("\n{name}: plugin processes ended; the previous reports are unchanged");
            if let Some(h) = &hint {
                msg.push_str(&format!("; {h}"));
            }
            // Not eprintln!: a closed stderr must not stop the exit.
            let _ = writeln!(std::io::stderr(), "{msg}");
            std::process::exit(128 + sig);
        }
    });
}
