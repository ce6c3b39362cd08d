//! Backups: copies of the live database made with SQLite's online backup
//! API, verified after writing, kept in rotation in the app-data folder, and
//! restored only after the same verification.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, Duration, Utc};
use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use ts_rs::TS;

use crate::desk::Desk;
use crate::error::{CoreError, Result};
use crate::store::SCHEMA_VERSION;
use crate::validate::Checks;
use crate::vocab::vocabulary;

vocabulary! {
    /// Why a backup was made, which decides how long rotation keeps it.
    BackupKind { Daily = "daily", Weekly = "weekly", Monthly = "monthly", Manual = "manual", PreUpgrade = "pre-upgrade", PreRestore = "pre-restore" }
}

/// How many automatic backups of each kind rotation keeps.
const KEEP: &[(BackupKind, usize)] = &[
    (BackupKind::Daily, 7),
    (BackupKind::Weekly, 4),
    (BackupKind::Monthly, 12),
    (BackupKind::PreUpgrade, 3),
    (BackupKind::PreRestore, 3),
];

/// The tables whose row counts prove a copy is whole.
const COUNTED: &[&str] = &["migrant", "visit", "assistance", "case_file", "referral", "partner", "follow_up"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TableCount {
    pub table: String,
    #[ts(type = "number")]
    pub rows: i64,
}

/// A verified backup file.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BackupInfo {
    pub path: String,
    pub kind: BackupKind,
    pub created_at: DateTime<Utc>,
    #[ts(type = "number")]
    pub schema_version: i64,
    #[ts(type = "number")]
    pub size_bytes: u64,
    pub counts: Vec<TableCount>,
}

fn counts(conn: &Connection) -> Result<Vec<TableCount>> {
    COUNTED
        .iter()
        .filter(|t| table_exists(conn, t).unwrap_or(false))
        .map(|t| Ok(TableCount { table: t.to_string(), rows: conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))? }))
        .collect()
}

fn table_exists(conn: &Connection, table: &str) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1")?.exists([table])?)
}

fn refuse(code: &str, message: impl Into<String>) -> CoreError {
    let mut c = Checks::new();
    c.fail("file", code, message);
    c.finish().unwrap_err()
}

/// Opens a backup read-only and checks it is a whole MRC Desk database this
/// version can use. Nothing is written to it.
pub fn verify(path: &Path) -> Result<(i64, Vec<TableCount>)> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| refuse("unreadable", format!("cannot be opened: {e}")))?;
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| refuse("corrupt", format!("is not a readable database: {e}")))?;
    if check != "ok" {
        return Err(refuse("corrupt", format!("failed the integrity check: {check}")));
    }
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(refuse("newer_version", format!("was made by a newer MRC Desk (schema {version}; this one knows {SCHEMA_VERSION}): update MRC Desk first")));
    }
    if version == 0 || !table_exists(&conn, "installation")? {
        return Err(refuse("not_mrc_desk", "is not an MRC Desk database"));
    }
    Ok((version, counts(&conn)?))
}

/// Copies `source` page by page into a new file at `target` (written under a
/// temporary name first, so a cut-off copy never looks like a backup) and
/// verifies the copy against the source's row counts.
pub(crate) fn copy_database(source: &Connection, target: &Path) -> Result<(i64, Vec<TableCount>)> {
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let partial = target.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    {
        let mut dest = Connection::open(&partial)?;
        Backup::new(source, &mut dest)?.run_to_completion(256, std::time::Duration::from_millis(0), None)?;
        // One self-contained file, with no -wal beside it.
        dest.pragma_update(None, "journal_mode", "DELETE")?;
    }
    let expected = counts(source)?;
    let (version, got) = verify(&partial)?;
    if got != expected {
        let _ = std::fs::remove_file(&partial);
        return Err(CoreError::Corrupt(format!("the backup's row counts {got:?} differ from the database's {expected:?}")));
    }
    std::fs::rename(&partial, target)?;
    Ok((version, got))
}

/// Where the automatic backups of the database at `db_path` live.
pub fn backups_dir(db_path: &Path) -> PathBuf {
    db_path.parent().map(|p| p.join("backups")).unwrap_or_else(|| PathBuf::from("backups"))
}

/// Milliseconds in the name: two backups in one second (a restore right after
/// a manual copy) must not overwrite each other.
fn file_name(kind: BackupKind, at: DateTime<Utc>) -> String {
    format!("mrc-desk-{}-{}.db", at.format("%Y%m%d-%H%M%S-%3f"), kind.as_str())
}

/// Reads kind and time back from a backup's file name; other files are not backups.
fn parse_name(name: &str) -> Option<(BackupKind, DateTime<Utc>)> {
    let rest = name.strip_prefix("mrc-desk-")?.strip_suffix(".db")?;
    let (stamp, kind) = (rest.get(..19)?, rest.get(20..)?);
    let at = chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S-%3f").ok()?.and_utc();
    Some((BackupKind::parse(kind)?, at))
}

/// Saves the database as it is before a schema upgrade, beside the automatic backups.
pub(crate) fn keep_before_upgrade(conn: &Connection, db_path: &Path) -> Result<()> {
    let dir = backups_dir(db_path);
    copy_database(conn, &dir.join(file_name(BackupKind::PreUpgrade, crate::record::now())))?;
    rotate(&dir)
}

/// The backups in a folder, newest first.
pub fn list(dir: &Path) -> Result<Vec<BackupInfo>> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(found) };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some((kind, created_at)) = parse_name(&name) {
            let size_bytes = entry.metadata().map(|m| m.len()).unwrap_or(0);
            found.push(BackupInfo { path: entry.path().display().to_string(), kind, created_at, schema_version: 0, size_bytes, counts: vec![] });
        }
    }
    found.sort_by(|a, b| b.created_at.cmp(&a.created_at));
    Ok(found)
}

/// Removes the automatic backups rotation no longer keeps.
fn rotate(dir: &Path) -> Result<()> {
    rotate_except(dir, None)
}

fn rotate_except(dir: &Path, keep_file: Option<&Path>) -> Result<()> {
    let all = list(dir)?;
    let spared = |b: &BackupInfo| keep_file.is_some_and(|f| Path::new(&b.path) == f);
    for (kind, keep) in KEEP {
        for old in all.iter().filter(|b| b.kind == *kind).skip(*keep).filter(|b| !spared(b)) {
            std::fs::remove_file(&old.path)?;
        }
    }
    Ok(())
}

/// The kind an automatic backup made now should be: monthly when the month
/// has none yet, else weekly when the last week has none, else daily.
fn automatic_kind(existing: &[BackupInfo], now: DateTime<Utc>) -> BackupKind {
    let has = |kind: BackupKind, since: DateTime<Utc>| existing.iter().any(|b| b.kind == kind && b.created_at >= since);
    let month_start = now.date_naive().with_day(1).unwrap_or(now.date_naive()).and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    if !has(BackupKind::Monthly, month_start) {
        BackupKind::Monthly
    } else if !has(BackupKind::Weekly, now - Duration::days(7)) {
        BackupKind::Weekly
    } else {
        BackupKind::Daily
    }
}

impl Desk {
    /// Where this database's automatic backups are kept.
    pub fn backups_dir(&self) -> Result<PathBuf> {
        self.store().path().map(backups_dir).ok_or_else(|| CoreError::Corrupt("an in-memory database has no backup folder".into()))
    }

    /// Backs the database up into `dir` now, verified, under a dated name.
    pub fn back_up_to(&self, dir: &Path, kind: BackupKind) -> Result<BackupInfo> {
        let created_at = crate::record::now();
        let path = dir.join(file_name(kind, created_at));
        let (schema_version, counts) = copy_database(self.store().connection(), &path)?;
        let size_bytes = std::fs::metadata(&path)?.len();
        Ok(BackupInfo { path: path.display().to_string(), kind, created_at, schema_version, size_bytes, counts })
    }

    /// Makes the automatic backup when the last one is a day old (or there is
    /// none), then applies rotation. Returns the backup made, if any.
    pub fn back_up_if_due(&self, dir: &Path, now: DateTime<Utc>) -> Result<Option<BackupInfo>> {
        let existing = list(dir)?;
        let automatic = |b: &&BackupInfo| matches!(b.kind, BackupKind::Daily | BackupKind::Weekly | BackupKind::Monthly);
        if existing.iter().filter(automatic).any(|b| now - b.created_at < Duration::hours(24)) {
            return Ok(None);
        }
        let made = self.back_up_to(dir, automatic_kind(&existing, now))?;
        rotate(dir)?;
        Ok(Some(made))
    }

    /// Replaces the database's content with a verified backup. The current
    /// content is first saved beside the automatic backups, so a wrong restore
    /// can itself be undone.
    pub fn restore_from(&mut self, file: &Path, backups_dir: &Path) -> Result<BackupInfo> {
        verify(file)?;
        let aside = self.back_up_to(backups_dir, BackupKind::PreRestore)?;
        let source = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        self.store_mut().replace_with(&source)?;
        self.reload_actor()?;
        // Only now, and never the file just restored from: it may be the
        // oldest "before a restore" copy that rotation would drop.
        drop(source);
        rotate_except(backups_dir, Some(file))?;
        Ok(aside)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn names_carry_kind_and_time() {
        let at = Utc.with_ymd_and_hms(2026, 11, 27, 9, 5, 1).unwrap() + Duration::milliseconds(42);
        let name = file_name(BackupKind::PreUpgrade, at);
        assert_eq!(name, "mrc-desk-20261127-090501-042-pre-upgrade.db");
        assert_eq!(parse_name(&name), Some((BackupKind::PreUpgrade, at)));
        assert_eq!(parse_name("notes.db"), None);
        assert_eq!(parse_name("mrc-desk-2026-daily.db"), None);
        assert_eq!(parse_name("mrc-desk-20261127-090501-pre-upgrade.db"), None);
    }

    #[test]
    fn the_first_backup_of_a_month_is_monthly_then_weekly_then_daily() {
        let at = |d| Utc.with_ymd_and_hms(2026, 11, d, 12, 0, 0).unwrap();
        let made = |kind, d| BackupInfo { path: String::new(), kind, created_at: at(d), schema_version: 0, size_bytes: 0, counts: vec![] };
        assert_eq!(automatic_kind(&[], at(10)), BackupKind::Monthly);
        assert_eq!(automatic_kind(&[made(BackupKind::Monthly, 1)], at(10)), BackupKind::Weekly);
        assert_eq!(automatic_kind(&[made(BackupKind::Monthly, 1), made(BackupKind::Weekly, 8)], at(10)), BackupKind::Daily);
    }
}
