//! One MRC Desk per data folder: a second start hands over to the first
//! (which comes to the front) and quits, so two windows never write the
//! same records. A Unix socket in the app-data folder is the doorbell; the
//! Tauri plugin for this needs a D-Bus session, which centre laptops and CI
//! machines do not always run.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};

use tauri::{AppHandle, Manager};

const SOCKET: &str = "mrc-desk.sock";
const FOCUS: &str = "focus";

pub enum Start {
    /// This is the only MRC Desk: it answers later starts.
    First,
    /// Another MRC Desk was running and has been asked to come forward.
    HandedOver,
}

/// Rings the running MRC Desk, or becomes the one that answers.
pub fn claim(app: &AppHandle, dir: &Path) -> std::io::Result<Start> {
    let path = dir.join(SOCKET);
    if ring(&path).is_ok() {
        return Ok(Start::HandedOver);
    }
    // Nobody answered: what is there is left from a crash.
    let _ = std::fs::remove_file(&path);
    let listener = match UnixListener::bind(&path) {
        Ok(listener) => listener,
        // Another start won the race a moment ago: hand over to it.
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => return ring(&path).map(|()| Start::HandedOver),
        Err(e) => return Err(e),
    };
    let app = app.clone();
    std::thread::spawn(move || answer(app, listener, path));
    Ok(Start::First)
}

fn ring(path: &Path) -> std::io::Result<()> {
    let mut stream = UnixStream::connect(path)?;
    writeln!(stream, "{FOCUS}")
}

fn answer(app: AppHandle, listener: UnixListener, path: PathBuf) {
    for stream in listener.incoming().flatten() {
        let mut line = String::new();
        if BufReader::new(stream).read_line(&mut line).is_ok() && line.trim() == FOCUS {
            crate::log::line("another start of MRC Desk: brought this window to the front");
            bring_forward(&app);
        }
    }
    let _ = std::fs::remove_file(path);
}

fn bring_forward(app: &AppHandle) {
    if let Some(window) = app.webview_windows().values().next() {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}
