//! Writing to the terminal. stdout carries machine output only (`--json`,
//! `annotate`'s URL), stderr everything for people. A closed pipe
//! (`harness … | head`) ends the program quietly with success, as ripgrep
//! and cargo do, instead of panicking.

use std::io::Write;

fn closed_pipe(e: &std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(crate::exit::OK);
    }
    // Nothing sensible is left to report to.
    std::process::exit(crate::exit::IO);
}

/// Machine output on stdout.
pub fn print(s: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        closed_pipe(&e);
    }
}

/// A message for people on stderr (a newline is added).
pub fn eprintln(s: &str) {
    eprint(&format!("{s}\n"));
}

/// Text for people on stderr, as is.
pub fn eprint(s: &str) {
    let mut err = std::io::stderr().lock();
    if let Err(e) = err.write_all(s.as_bytes()).and_then(|_| err.flush()) {
        closed_pipe(&e);
    }
}
