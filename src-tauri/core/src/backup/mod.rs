//! Backups: copies of the live database made with SQLite's online backup
//! API, verified after writing, kept in rotation in the app-data folder, and
//! restored only after the same verification.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, Duration, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use crate::permission::Action;
use crate::desk::Desk;
use crate::error::{CoreError, Result};
use crate::keyring::{self, DbKey};
use crate::store::Store;
use crate::vocab::vocabulary;

mod copy;
mod cache;

use copy::{copy_database, copy_pages, identify, open_read_only, refuse, snapshot};
pub(crate) use copy::sync_dir;
pub use cache::forget as drop_from_cache;
pub use copy::{verify, CopyProgress, CopyStage, TableCount};

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
pub(crate) fn keep_before_upgrade(conn: &Connection, db_path: &Path, key: Option<&DbKey>) -> Result<()> {
    let dir = backups_dir(db_path);
    let target = dir.join(file_name(BackupKind::PreUpgrade, crate::record::now()));
    copy_database(conn, &target, key, &mut |_| {})?;
    keep_key_file(db_path, &target)?;
    rotate(&dir)
}

/// A backup of an encrypted database takes a copy of the key file along
/// with the recovery slot only: the recovery key opens it wherever it goes
/// (the installation itself restores it with its own key), and no
/// password, old or current, does.
pub(crate) fn keep_key_file(db_path: &Path, backup: &Path) -> Result<()> {
    if let Some(keys) = keyring::KeyFile::load(db_path)? {
        keys.for_backup().save(backup)?;
    }
    Ok(())
}

/// Whether `path` is named as a backup is.
pub(crate) fn is_backup(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| parse_name(n).is_some())
}

/// Removes a backup and the key file beside it.
fn remove_backup(path: &Path) -> Result<()> {
    std::fs::remove_file(path)?;
    let _ = std::fs::remove_file(keyring::path_for(path));
    Ok(())
}

/// Backs up the database at `db_path` into `dir` now. It reads through a
/// connection of its own, so the desk goes on saving while a large
/// database is copied, and the copy is the database as it was at the start.
pub fn back_up(db_path: &Path, key: Option<&DbKey>, dir: &Path, kind: BackupKind, progress: &mut dyn FnMut(CopyProgress)) -> Result<BackupInfo> {
    let source = crate::store::connect(db_path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX, key)?;
    let created_at = crate::record::now();
    let path = dir.join(file_name(kind, created_at));
    let (schema_version, counts) = copy_database(&source, &path, key, progress)?;
    keep_key_file(db_path, &path)?;
    let size_bytes = std::fs::metadata(&path)?.len();
    Ok(BackupInfo { path: path.display().to_string(), kind, created_at, schema_version, size_bytes, counts })
}

/// Makes the automatic backup when the last one is a day old (or there is
/// none), then applies rotation. Returns the backup made, if any.
pub fn back_up_if_due(db_path: &Path, key: Option<&DbKey>, dir: &Path, now: DateTime<Utc>) -> Result<Option<BackupInfo>> {
    let existing = list(dir)?;
    let automatic = |b: &&BackupInfo| matches!(b.kind, BackupKind::Daily | BackupKind::Weekly | BackupKind::Monthly);
    if existing.iter().filter(automatic).any(|b| now - b.created_at < Duration::hours(24)) {
        return Ok(None);
    }
    let made = back_up(db_path, key, dir, automatic_kind(&existing, now), &mut |_| {})?;
    rotate(dir)?;
    Ok(Some(made))
}

/// Writes the automatic backup just made (`kind`) a second time into the
/// centre's copy folder, if it has one, with the same rotation there. A
/// folder that is missing (a USB stick not plugged in) is said so, and the
/// backup in the app-data folder stands.
pub fn copy_to_second_folder(db_path: &Path, key: Option<&DbKey>, folder: &Path, kind: BackupKind) -> Result<BackupInfo> {
    if !folder.is_dir() {
        return Err(refuse("folder_missing", format!("the backup copy folder {} is not there (a disk not connected?)", folder.display())));
    }
    let made = back_up(db_path, key, folder, kind, &mut |_| {})?;
    rotate(folder)?;
    Ok(made)
}

/// A backup copied beside the database and checked, ready to take its
/// place. Dropped unused, the copy is removed.
pub struct PreparedRestore {
    copy: PathBuf,
    from: PathBuf,
}

impl Drop for PreparedRestore {
    fn drop(&mut self) {
        // After a switch the copy is the database itself, under another name.
        if self.copy.exists() {
            let _ = std::fs::remove_file(&self.copy);
        }
    }
}

/// A page copy that breaks on the file's own content means the file is damaged.
fn damaged_as_refusal(e: CoreError) -> CoreError {
    match &e {
        CoreError::Storage(rusqlite::Error::SqliteFailure(f, _)) if matches!(f.code, rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => {
            refuse("corrupt", format!("is not a readable database: {e}"))
        }
        _ => e,
    }
}

/// Copies `file` beside the database at `db_path` and checks the copy, so
/// what is checked is exactly what will be put in place, and the copy's
/// checking reads it back from where it was written. The desk goes on
/// working meanwhile; a file that is not an MRC Desk database of this
/// version or older is refused at once, before anything is copied.
pub fn prepare_restore(file: &Path, db_path: &Path, key: Option<&DbKey>, progress: &mut dyn FnMut(CopyProgress)) -> Result<PreparedRestore> {
    let source = open_read_only(file, key)?;
    identify(&source)?;
    let prepared = PreparedRestore { copy: db_path.with_extension("restoring"), from: file.to_path_buf() };
    let _ = std::fs::remove_file(&prepared.copy);
    {
        let snapshot = snapshot(&source).map_err(damaged_as_refusal)?;
        copy_pages(&snapshot, &prepared.copy, key, Some(file), progress).map_err(damaged_as_refusal)?;
    }
    drop(source);
    // The file restored from is not read again: room in the cache for the copy's check.
    cache::forget(file);
    progress(CopyProgress { stage: CopyStage::Checking, percent: 100 });
    verify(&prepared.copy, key)?;
    Ok(prepared)
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
            remove_backup(Path::new(&old.path))?;
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
    /// The database file; backups and restores need one on disk.
    fn db_file(&self) -> Result<PathBuf> {
        let path = self.store().path().ok_or_else(|| CoreError::Corrupt("an in-memory database has no file to back up or restore".into()))?;
        Ok(path.to_path_buf())
    }

    /// Where this database's automatic backups are kept.
    pub fn backups_dir(&self) -> Result<PathBuf> {
        self.allowed(Action::Backups)?;
        Ok(backups_dir(&self.db_file()?))
    }

    /// The second folder automatic backups are also written to, if the centre chose one.
    /// Read without a role check: the automatic backups need it when nobody is signed in.
    pub fn backup_copy_folder(&self) -> Result<Option<PathBuf>> {
        let folder: Option<String> = self.store().read(|conn| Ok(conn.query_row("SELECT backup_copy_folder FROM installation", [], |r| r.get(0)).optional()?.flatten()))?;
        Ok(folder.map(PathBuf::from))
    }

    /// Chooses (or, with `None`, stops) the second folder for automatic backups; it must exist now.
    pub fn set_backup_copy_folder(&mut self, folder: Option<&str>) -> Result<()> {
        self.allowed(Action::Backups)?;
        let folder = folder.map(str::trim).filter(|f| !f.is_empty());
        if let Some(f) = folder {
            let mut c = crate::validate::Checks::new();
            if !Path::new(f).is_absolute() {
                c.fail("backup_copy_folder", "not_absolute", "must be a full path to a folder");
            } else if !Path::new(f).is_dir() {
                c.fail("backup_copy_folder", "not_a_folder", format!("{f} is not a folder on this computer"));
            }
            c.finish()?;
        }
        self.store_mut().write(|tx| {
            tx.execute("UPDATE installation SET backup_copy_folder = ?1, updated_at = ?2", rusqlite::params![folder, crate::record::now()])?;
            Ok(())
        })
    }

    /// Backs the database up into `dir` now, verified, under a dated name.
    pub fn back_up_to(&self, dir: &Path, kind: BackupKind) -> Result<BackupInfo> {
        self.allowed(Action::Backups)?;
        back_up(&self.db_file()?, self.store().key(), dir, kind, &mut |_| {})
    }

    /// Replaces the database with a verified copy of a backup: `prepare_restore`, then `switch_to`.
    pub fn restore_from(&mut self, file: &Path, backups_dir: &Path, progress: &mut dyn FnMut(CopyProgress)) -> Result<BackupInfo> {
        let prepared = prepare_restore(file, &self.db_file()?, self.store().key(), progress)?;
        self.switch_to(prepared, backups_dir)
    }

    /// Puts a prepared backup in place of the database. The current file is
    /// moved into the backups folder (a rename, instant at any size) so a
    /// wrong restore can itself be undone; if the backup cannot be opened,
    /// the current file is moved back and nothing has changed.
    pub fn switch_to(&mut self, prepared: PreparedRestore, backups_dir: &Path) -> Result<BackupInfo> {
        self.allowed(Action::Backups)?;
        let db_path = self.db_file()?;
        std::fs::create_dir_all(backups_dir)?;
        let created_at = crate::record::now();
        let aside = backups_dir.join(file_name(BackupKind::PreRestore, created_at));
        // Not counted: counting every row of a large register takes seconds, and the file is kept as it was.
        let schema_version = self.store().schema_version()?;
        let key = self.store().key().cloned();

        // No other connection may hold the file while it is moved: this fails
        // (and changes nothing) while a backup is still reading it.
        self.store().make_self_contained()?;
        drop(self.replace_store(Store::open_in_memory()?));
        let moved = std::fs::rename(&db_path, &aside).map_err(CoreError::from).and_then(|()| {
            std::fs::rename(&prepared.copy, &db_path)?;
            sync_dir(&db_path);
            sync_dir(&aside);
            Store::open_with(&db_path, key.clone())
        });
        let store = match moved {
            Ok(store) => store,
            Err(e) => {
                put_back(&db_path, &aside);
                self.replace_store(Store::open_with(&db_path, key)?);
                self.keep_person_after_restore()?;
                return Err(e);
            }
        };
        self.replace_store(store);
        self.keep_person_after_restore()?;
        self.keep_keys()?;
        keep_key_file(&db_path, &aside)?;
        // Only now, and never the file just restored from: it may be the
        // oldest "before a restore" copy that rotation would drop.
        rotate_except(backups_dir, Some(&prepared.from))?;
        let size_bytes = std::fs::metadata(&aside)?.len();
        Ok(BackupInfo { path: aside.display().to_string(), kind: BackupKind::PreRestore, created_at, schema_version, size_bytes, counts: vec![] })
    }
}

/// Undoes a switch that failed half-way: the file set aside goes back.
fn put_back(db_path: &Path, aside: &Path) {
    if aside.exists() {
        // What sits at the database's place now is the backup's copy, or nothing.
        let _ = std::fs::remove_file(db_path);
        let _ = std::fs::rename(aside, db_path);
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

#[cfg(test)]
mod second_folder_tests {
    use super::*;
    use crate::centre::{SetupInput, StaffInput};

    fn set_up(dir: &Path) -> Desk {
        let mut desk = Desk::open(&dir.join("mrc-desk.db")).unwrap();
        let staff = StaffInput { full_name: "Aida Sarsenova".into(), role: Some(crate::centre::StaffRole::Administrator), password: crate::sample::PASSWORD.into() };
        crate::sample::start_centre(&mut desk, SetupInput { centre_name: "MRC Almaty".into(), country: "KZ".into(), city: "Almaty".into(), staff, language: "kk".into() }).unwrap();
        desk
    }

    #[test]
    fn a_second_folder_gets_its_own_verified_copy() {
        let dir = tempfile::tempdir().unwrap();
        let stick = tempfile::tempdir().unwrap();
        let mut desk = set_up(dir.path());
        assert_eq!(desk.backup_copy_folder().unwrap(), None);
        desk.set_backup_copy_folder(Some(&stick.path().display().to_string())).unwrap();
        let folder = desk.backup_copy_folder().unwrap().unwrap();
        let made = copy_to_second_folder(&desk.db_file().unwrap(), None, &folder, BackupKind::Daily).unwrap();
        assert!(Path::new(&made.path).starts_with(stick.path()));
        assert_eq!(list(stick.path()).unwrap().len(), 1);
        desk.set_backup_copy_folder(None).unwrap();
        assert_eq!(desk.backup_copy_folder().unwrap(), None);
    }

    #[test]
    fn a_folder_that_is_not_there_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let mut desk = set_up(dir.path());
        let err = desk.set_backup_copy_folder(Some("/no/such/stick")).unwrap_err();
        assert!(matches!(&err, CoreError::Validation(f) if f[0].field == "backup_copy_folder" && f[0].code == "not_a_folder"), "{err:?}");
        let err = desk.set_backup_copy_folder(Some("relative/folder")).unwrap_err();
        assert!(matches!(&err, CoreError::Validation(f) if f[0].code == "not_absolute"), "{err:?}");
        let gone = dir.path().join("unplugged");
        let err = copy_to_second_folder(&desk.db_file().unwrap(), None, &gone, BackupKind::Daily).unwrap_err();
        assert!(err.to_string().contains("not there"), "{err}");
    }
}
