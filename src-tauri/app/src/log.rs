//! The app's log file, in the app-data folder: start, backups, and failed
//! commands by name and error code. Never a value a person typed, so no
//! personal data reaches it. Rotated at 1 MB, three files kept.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

const MAX_BYTES: u64 = 1024 * 1024;
const KEEP: usize = 3;

static FILE: OnceLock<Mutex<PathBuf>> = OnceLock::new();

/// Starts logging into `dir/mrc-desk.log`.
pub fn init(dir: &Path) {
    let _ = fs::create_dir_all(dir);
    let _ = FILE.set(Mutex::new(dir.join("mrc-desk.log")));
}

/// Writes one line (also to stderr, for whoever started the app from a terminal).
pub fn line(text: &str) {
    eprintln!("MRC Desk: {text}");
    let Some(file) = FILE.get() else { return };
    let path = file.lock().unwrap_or_else(|p| p.into_inner());
    rotate(&path);
    if let Ok(mut f) = OpenOptions::new().create(true).append(true).open(&*path) {
        let _ = writeln!(f, "{} {text}", chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
    }
}

/// mrc-desk.log -> mrc-desk.log.1 -> ... once the current file is full.
fn rotate(path: &Path) {
    if fs::metadata(path).map(|m| m.len() < MAX_BYTES).unwrap_or(true) {
        return;
    }
    for i in (1..KEEP).rev() {
        let _ = fs::rename(numbered(path, i), numbered(path, i + 1));
    }
    let _ = fs::rename(path, numbered(path, 1));
}

fn numbered(path: &Path, i: usize) -> PathBuf {
    PathBuf::from(format!("{}.{i}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_log_moves_aside_and_only_three_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mrc-desk.log");
        for round in 0..5 {
            fs::write(&path, vec![b'x'; MAX_BYTES as usize + round]).unwrap();
            rotate(&path);
        }
        assert!(!path.exists());
        let kept: Vec<bool> = (1..=4).map(|i| numbered(&path, i).exists()).collect();
        assert_eq!(kept, vec![true, true, true, false]);
        assert_eq!(fs::metadata(numbered(&path, 1)).unwrap().len(), MAX_BYTES + 4, "the newest is .1");
    }
}
