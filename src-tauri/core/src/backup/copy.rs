//! Copying a database file and checking the copy: one snapshot copied page
//! by page with SQLite's online backup API, and the checks that say a file
//! is a whole MRC Desk database this version can use.

use std::path::Path;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{CoreError, Result};
use crate::keyring::DbKey;
use crate::store::{connect, SCHEMA_VERSION};
use crate::validate::Checks;
use crate::vocab::vocabulary;

/// The tables whose row counts prove a copy is whole.
const COUNTED: &[&str] = &["migrant", "visit", "assistance", "case_file", "referral", "partner", "follow_up"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TableCount {
    pub table: String,
    #[ts(type = "number")]
    pub rows: i64,
}

pub(super) fn counts(conn: &Connection) -> Result<Vec<TableCount>> {
    COUNTED
        .iter()
        .filter(|t| table_exists(conn, t).unwrap_or(false))
        .map(|t| Ok(TableCount { table: t.to_string(), rows: conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))? }))
        .collect()
}

fn table_exists(conn: &Connection, table: &str) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1")?.exists([table])?)
}

pub(super) fn refuse(code: &str, message: impl Into<String>) -> CoreError {
    let mut c = Checks::new();
    c.fail("file", code, message);
    c.finish().unwrap_err()
}

vocabulary! {
    /// What a backup or restore is doing, for its progress bar.
    CopyStage { Copying = "copying", Checking = "checking" }
}

/// How far a backup or restore has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct CopyProgress {
    pub stage: CopyStage,
    /// Of the copying stage; checking reports no share.
    pub percent: u8,
}

/// Pages per step of a copy: 64 MB at SQLite's 4 KiB pages, so a progress
/// bar moves every fraction of a second and the steps cost nothing. Tests
/// step a few pages at a time, so a small database takes many steps.
#[cfg(not(test))]
const STEP_PAGES: i32 = 16_384;
#[cfg(test)]
const STEP_PAGES: i32 = 8;

/// Opens a database file read-only, with the centre's key when it has one:
/// every backup of an encrypted database is encrypted under the same key.
pub(super) fn open_read_only(path: &Path, key: Option<&DbKey>) -> Result<Connection> {
    connect(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX, key).map_err(|e| match e {
        CoreError::WrongKey => refuse("wrong_key", "is not encrypted with this centre's key (a backup of another installation, or a copy from before encryption)"),
        e => refuse("unreadable", format!("cannot be opened: {e}")),
    })
}

/// The schema version of an MRC Desk database this version can use; refuses
/// any other file. Reads only the header and the schema, so it is instant.
pub(super) fn identify(conn: &Connection) -> Result<i64> {
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| refuse("corrupt", format!("is not a readable database: {e}")))?;
    if version > SCHEMA_VERSION {
        return Err(refuse("newer_version", format!("was made by a newer MRC Desk (schema {version}; this one knows {SCHEMA_VERSION}): update MRC Desk first")));
    }
    let installed = table_exists(conn, "installation").map_err(|e| refuse("corrupt", format!("is not a readable database: {e}")))?;
    if version == 0 || !installed {
        return Err(refuse("not_mrc_desk", "is not an MRC Desk database"));
    }
    Ok(version)
}

/// SQLite's quick check reads every page of every table and index and checks
/// each page, each record's format and the file's page accounting. It leaves
/// out whether every index entry matches its row, which is what makes the
/// full integrity check take minutes instead of seconds on a large register
/// (7 minutes against 20 seconds at a million migrants); a byte changed
/// inside a stored value goes unseen by either check in a table.
fn check_pages(conn: &Connection) -> Result<()> {
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| refuse("corrupt", format!("is not a readable database: {e}")))?;
    if check != "ok" {
        return Err(refuse("corrupt", format!("failed the integrity check: {check}")));
    }
    Ok(())
}

/// Opens a backup read-only and checks it is a whole MRC Desk database this
/// version can use. Nothing is written to it.
pub fn verify(path: &Path, key: Option<&DbKey>) -> Result<(i64, Vec<TableCount>)> {
    let conn = open_read_only(path, key)?;
    let version = identify(&conn)?;
    super::cache::reading_ahead(path, || check_pages(&conn))?;
    Ok((version, counts(&conn)?))
}

/// Copies every page of `source` into a new file at `target`, as one
/// snapshot: the caller holds a read transaction on `source`, so saves made
/// meanwhile through other connections neither restart nor enter the copy.
/// `read_ahead` names the source's file to read in order on another thread
/// while SQLite copies (see `cache`): only for a file no other connection of
/// this process has open.
pub(super) fn copy_pages(source: &Connection, target: &Path, key: Option<&DbKey>, read_ahead: Option<&Path>, progress: &mut dyn FnMut(CopyProgress)) -> Result<()> {
    // SQLCipher copies pages between files under the same key.
    let mut dest = connect(target, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE, key)?;
    // The copy is written under a temporary name and synced once at the end,
    // so it needs no journal and no sync per step.
    dest.pragma_update(None, "journal_mode", "OFF")?;
    dest.pragma_update(None, "synchronous", "OFF")?;
    match read_ahead {
        Some(file) => super::cache::reading_ahead(file, || step_through(source, &mut dest, progress))?,
        None => step_through(source, &mut dest, progress)?,
    }
    // The source's pages say WAL; a backup must be one self-contained file.
    dest.pragma_update(None, "journal_mode", "DELETE")?;
    drop(dest);
    std::fs::File::open(target)?.sync_all()?;
    progress(CopyProgress { stage: CopyStage::Copying, percent: 100 });
    Ok(())
}

fn step_through(source: &Connection, dest: &mut Connection, progress: &mut dyn FnMut(CopyProgress)) -> Result<()> {
    let backup = Backup::new(source, dest)?;
    loop {
        match backup.step(STEP_PAGES)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {
                let p = backup.progress();
                let percent = if p.pagecount > 0 { 100 - (p.remaining as i64 * 100 / p.pagecount as i64) } else { 0 };
                progress(CopyProgress { stage: CopyStage::Copying, percent: percent.clamp(0, 100) as u8 });
            }
            _ => std::thread::sleep(std::time::Duration::from_millis(20)),
        }
    }
}

/// A read transaction begun now: SQLite begins a transaction at its first
/// read, and a backup step finding none would take a snapshot of its own
/// each step, restarting the copy whenever a save comes between steps.
pub(super) fn snapshot(source: &Connection) -> Result<rusqlite::Transaction<'_>> {
    let tx = source.unchecked_transaction()?;
    tx.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0))?;
    Ok(tx)
}

/// Makes the directory entry of a renamed file durable too.
pub(crate) fn sync_dir(file: &Path) {
    if let Some(dir) = file.parent() {
        // Not every filesystem (a FAT USB stick) lets a folder be synced; the file itself already is.
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
}

/// Copies `source` into a new file at `target` (written under a temporary
/// name first, so a cut-off copy never looks like a backup) and verifies the
/// copy against the source's row counts, read from the same snapshot.
pub(super) fn copy_database(source: &Connection, target: &Path, key: Option<&DbKey>, progress: &mut dyn FnMut(CopyProgress)) -> Result<(i64, Vec<TableCount>)> {
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let partial = target.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    let snapshot = snapshot(source)?;
    // Counted after the copy, from the same snapshot, when its pages are in memory.
    let mut copy = || copy_pages(&snapshot, &partial, key, None, progress);
    let copied = match source.path().filter(|p| !p.is_empty()) {
        Some(live) => super::cache::reading_ahead_elsewhere(Path::new(live), copy),
        None => copy(),
    };
    let copied = copied.and_then(|()| counts(&snapshot));
    snapshot.finish()?;
    let checked = copied.and_then(|expected| {
        progress(CopyProgress { stage: CopyStage::Checking, percent: 100 });
        let (version, got) = verify(&partial, key)?;
        if got != expected {
            return Err(CoreError::Corrupt(format!("the backup's row counts {got:?} differ from the database's {expected:?}")));
        }
        Ok((version, got))
    });
    let (version, got) = checked.inspect_err(|_| {
        let _ = std::fs::remove_file(&partial);
    })?;
    std::fs::rename(&partial, target)?;
    sync_dir(target);
    // Nobody reads a backup soon: its pages are better spent on the live database's.
    super::cache::forget(target);
    Ok((version, got))
}
