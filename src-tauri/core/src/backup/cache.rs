//! The operating system's file cache around large copies. A check walks a
//! database's b-trees, jumping across the file: from memory that takes
//! seconds, from disk millions of scattered reads and minutes. So the file
//! is read from start to end alongside the check, and copies that will not
//! be read again are dropped from the cache to leave room for those that will.
//!
//! Never in this process for the live database: on Unix, closing any
//! descriptor of a file drops every POSIX lock this process holds on it,
//! SQLite's included. Backups and their copies, which no other connection
//! writes, are read here; the live database is read by another process.

use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// Runs `check` while another thread reads `path` in order, once, ahead of it.
pub(super) fn reading_ahead<T>(path: &Path, check: impl FnOnce() -> T) -> T {
    let done = AtomicBool::new(false);
    std::thread::scope(|scope| {
        scope.spawn(|| read_through(path, &done));
        let out = check();
        done.store(true, Ordering::Relaxed);
        out
    })
}

/// Runs `copy` while another process reads the live database at `path` in
/// order, so its locks are not this process's and SQLite's stay whole.
#[cfg(unix)]
pub(super) fn reading_ahead_elsewhere<T>(path: &Path, copy: impl FnOnce() -> T) -> T {
    use std::process::{Command, Stdio};
    let reader = Command::new("cat").arg(path).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).spawn();
    let out = copy();
    // Without `cat` the copy only reads for itself.
    if let Ok(mut reader) = reader {
        let _ = reader.kill();
        let _ = reader.wait();
    }
    out
}

/// Elsewhere a lock belongs to its handle: reading in a thread is safe.
#[cfg(not(unix))]
pub(super) fn reading_ahead_elsewhere<T>(path: &Path, copy: impl FnOnce() -> T) -> T {
    reading_ahead(path, copy)
}

fn read_through(path: &Path, done: &AtomicBool) {
    let Ok(mut file) = std::fs::File::open(path) else { return };
    advise(&file, Advice::Sequential);
    let mut buffer = vec![0u8; 4 << 20];
    while !done.load(Ordering::Relaxed) {
        // An error only means the check reads for itself.
        match file.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
    }
}

/// Drops the file's pages from the cache (written ones must be synced
/// first); benchmarks use it, with the database closed, to time a copy
/// from a cold disk.
pub fn forget(path: &Path) {
    if let Ok(file) = std::fs::File::open(path) {
        advise(&file, Advice::DontNeed);
    }
}

enum Advice {
    Sequential,
    DontNeed,
}

#[cfg(unix)]
fn advise(file: &std::fs::File, advice: Advice) {
    let advice = match advice {
        Advice::Sequential => rustix::fs::Advice::Sequential,
        Advice::DontNeed => rustix::fs::Advice::DontNeed,
    };
    // Advice only: a system that ignores it is merely slower.
    let _ = rustix::fs::fadvise(file, 0, None, advice);
}

#[cfg(not(unix))]
fn advise(_file: &std::fs::File, _advice: Advice) {}
