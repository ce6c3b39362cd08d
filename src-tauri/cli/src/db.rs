//! Which database file to use, and opening it.

use std::path::{Path, PathBuf};

use mrc_core::Desk;

use crate::error::{CliError, Result};

/// The desktop app's file: Tauri's app-data folder for the identifier
/// `org.mrcdesk.app` (`$XDG_DATA_HOME` or `~/.local/share` on Linux).
pub fn default_path() -> Result<PathBuf> {
    let dirs = directories::BaseDirs::new().ok_or_else(|| CliError::Message("no home folder found: give the database with --db PATH".into()))?;
    Ok(dirs.data_dir().join("org.mrcdesk.app").join("mrc-desk.db"))
}

pub fn resolve(db: Option<PathBuf>) -> Result<PathBuf> {
    match db {
        Some(path) => Ok(path),
        None => default_path(),
    }
}

/// Opens the file, creating it: for the commands that set a centre up.
pub fn open_or_create(path: &Path) -> Result<Desk> {
    Ok(Desk::open(path)?)
}

/// Opens a file that must already exist, so a typo in --db does not leave an empty database behind.
pub fn open_existing(path: &Path) -> Result<Desk> {
    if !path.is_file() {
        return Err(CliError::Message(format!("no database at {}: run `mrc init` or `mrc seed-demo` first", path.display())));
    }
    Ok(Desk::open(path)?)
}
