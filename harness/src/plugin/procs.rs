//! Every process group the harness starts, so that none outlives the run:
//! groups are registered when spawned and terminated when their plugin is
//! done with them (normally or not), and [`terminate_all`] ends whatever is
//! left when the harness itself is interrupted (SIGINT, SIGTERM, SIGHUP).
//!
//! A process that leaves its group (`setsid`) escapes; the README's trust
//! model says so.

use std::collections::HashSet;
use std::process::Child;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a group gets between SIGTERM and SIGKILL.
pub const GRACE: Duration = Duration::from_millis(500);

/// Set in every plugin process's environment, so tests (and users) can find
/// processes the harness started.
pub const TAG_ENV: &str = "IE_HARNESS_PLUGIN";

static LIVE: Mutex<Option<HashSet<i32>>> = Mutex::new(None);
/// Set once the harness is shutting down: a group spawned after that (a
/// runner thread restarting a plugin) is killed at once.
static STOPPING: AtomicBool = AtomicBool::new(false);

fn with_live<R>(f: impl FnOnce(&mut HashSet<i32>) -> R) -> R {
    // A poisoned lock still holds a valid set: a panic elsewhere must not
    // stop us from cleaning up.
    let mut guard = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    f(guard.get_or_insert_with(HashSet::new))
}

/// Records a newly spawned group (its leader's pid is the group id).
pub fn register(pgid: u32) {
    let late = with_live(|s| {
        s.insert(pgid as i32);
        STOPPING.load(Ordering::SeqCst)
    });
    if late {
        signal_group(pgid as i32, libc::SIGKILL);
    }
}

fn signal_group(pgid: i32, sig: i32) {
    // SAFETY: signalling a process group we created.
    unsafe { libc::kill(-pgid, sig) };
}

/// How a group leader ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    Signal(i32),
}

impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Exit::Code(c) => write!(f, "exited with status {c}"),
            Exit::Signal(s) => write!(f, "killed by signal {s}{}", signal_name(s)),
        }
    }
}

fn signal_name(s: i32) -> &'static str {
    match s {
        libc::SIGSEGV => " (SIGSEGV)",
        libc::SIGABRT => " (SIGABRT)",
        libc::SIGKILL => " (SIGKILL)",
        libc::SIGBUS => " (SIGBUS)",
        libc::SIGILL => " (SIGILL)",
        libc::SIGTERM => " (SIGTERM)",
        _ => "",
    }
}

/// How the group's leader ended, if it has, without reaping it: while the
/// leader is an unreaped zombie its pid cannot be reused, so signalling the
/// group afterwards can never reach a stranger.
pub fn peek_exit(child: &Child) -> Option<Exit> {
    let pid = child.id() as i32;
    // SAFETY: waitid with WNOWAIT only inspects our own child.
    unsafe {
        let mut info: libc::siginfo_t = std::mem::zeroed();
        let r = libc::waitid(
            libc::P_PID,
            pid as libc::id_t,
            &mut info,
            libc::WEXITED | libc::WNOHANG | libc::WNOWAIT,
        );
        if r != 0 || info.si_pid() != pid {
            return None;
        }
        Some(match info.si_code {
            libc::CLD_EXITED => Exit::Code(info.si_status()),
            _ => Exit::Signal(info.si_status()),
        })
    }
}

fn leader_exited(child: &Child) -> bool {
    peek_exit(child).is_some()
}

/// Waits up to `grace` for the leader to exit on its own.
pub fn wait_exit(child: &Child, grace: Duration) -> Option<Exit> {
    let deadline = Instant::now() + grace;
    loop {
        if let Some(exit) = peek_exit(child) {
            return Some(exit);
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Ends a plugin's process group: SIGTERM, up to [`GRACE`] for the leader to
/// exit, then SIGKILL for the whole group (stragglers included), then reaps
/// the leader. Safe to call on a group that already exited.
pub fn terminate(child: &mut Child) {
    let pgid = child.id() as i32;
    if !leader_exited(child) {
        signal_group(pgid, libc::SIGTERM);
        wait_exit(child, GRACE);
    }
    signal_group(pgid, libc::SIGKILL);
    let _ = child.wait();
    with_live(|s| s.remove(&pgid));
}

/// Ends a group whose leader was asked to exit (stdin closed): up to
/// [`GRACE`] to do so, then [`terminate`], which also kills any child the
/// plugin left behind in its group.
pub fn finish(child: &mut Child) {
    wait_exit(child, GRACE);
    terminate(child);
}

/// Terminates every registered group at once (TERM, grace, KILL). For the
/// signal handler: it does not reap, the process is about to exit.
pub fn terminate_all() {
    STOPPING.store(true, Ordering::SeqCst);
    let groups: Vec<i32> = with_live(|s| s.drain().collect());
    for &g in &groups {
        signal_group(g, libc::SIGTERM);
    }
    if !groups.is_empty() {
        std::thread::sleep(GRACE);
    }
    for &g in &groups {
        signal_group(g, libc::SIGKILL);
    }
}

/// Number of groups still registered (for tests).
pub fn live_groups() -> usize {
    with_live(|s| s.len())
}
