//! The database at rest. A plain file is encrypted as soon as an
//! administrator of the centre has a password (at set-up, or on the first
//! opening of a database from before encryption, or at an administrator's
//! first password in one from before accounts); from then on it opens only with the key
//! an account's password or the recovery key unwraps from the key file (see
//! `keyring.rs`), and signing out closes it again.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use uuid::Uuid;

use crate::audit::{self, Event};
use crate::centre::StaffRole;
use crate::desk::Desk;
use crate::error::{CoreError, Result};
use crate::keyring::{self, DbKey, KeyFile, SignInScreen};
use crate::permission::Action;
use crate::record::{now, Actor};
use crate::store::Store;
use crate::validate::Checks;

/// A database as the app and the CLI find it.
pub enum Opened {
    /// A plain database (no administrator has a password yet): open.
    Open(Desk),
    /// An encrypted database: closed until someone signs in; the key file
    /// says what the sign-in screen shows.
    Sealed(KeyFile),
}

/// Opens the database at `path` as the app and the CLI do. A plain file
/// opens (created if missing), and is encrypted at once when an
/// administrator already has a password; an encrypted one stays closed.
pub fn open(path: &Path) -> Result<Opened> {
    let empty = std::fs::metadata(path).map(|m| m.len() == 0).unwrap_or(true);
    if empty && keyring::path_for(path).exists() {
        // Starting afresh here would overwrite the key file of the data that went missing.
        return Err(CoreError::DatabaseMissing { path: path.display().to_string() });
    }
    if !keyring::is_encrypted(path)? {
        let mut desk = Desk::open(path)?;
        desk.sealing = true;
        if !desk.seal_if_ready(None)? {
            return Ok(Opened::Open(desk));
        }
    }
    Ok(Opened::Sealed(key_file(path)?))
}

fn key_file(path: &Path) -> Result<KeyFile> {
    KeyFile::load(path)?.ok_or_else(|| CoreError::KeyFileMissing { path: keyring::path_for(path).display().to_string() })
}

/// Signs `staff_id` in on a closed database: the password unwraps the key,
/// the database opens, the failed sign-ins counted while it was closed go
/// into its audit log, and the sign-in itself is the desk's (its checks,
/// its log entry).
pub fn sign_in(path: &Path, keys: &mut KeyFile, staff_id: Uuid, password: &str) -> Result<Desk> {
    let key = keys.unwrap(path, staff_id, password)?;
    let mut desk = Desk::open_sealed(path, key, keys.clone())?;
    desk.sign_in(staff_id, password)?;
    desk.log_failures_before_opening(staff_id)?;
    if keys.is_transitional(staff_id) {
        desk.keep_keys_typed(staff_id, password)?;
    }
    // Plain copies left behind by an earlier encryption cut short: not a reason to refuse the sign-in.
    let _ = desk.encrypt_leftovers();
    Ok(desk)
}

/// Opens a closed database with the recovery key and gives administrator
/// `staff_id` a new password (the one they forgot), signing them in.
pub fn recover(path: &Path, keys: &KeyFile, recovery_key: &str, staff_id: Uuid, new_password: &str) -> Result<Desk> {
    let key = keys.unwrap_with_recovery(recovery_key)?;
    let mut desk = Desk::open_sealed(path, key, keys.clone())?;
    desk.recover_account(staff_id, new_password)?;
    Ok(desk)
}

/// Active accounts of the home centre with a password, and their stored hashes.
fn accounts(conn: &Connection) -> Result<Vec<(Uuid, String)>> {
    let mut stmt = conn.prepare(
        "SELECT s.id, s.password_hash FROM staff s JOIN installation i ON i.centre_id = s.centre_id \
         WHERE s.active = 1 AND s.password_hash IS NOT NULL ORDER BY s.id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What the sign-in screen shows of the real centre; none before set-up.
fn sign_in_screen(conn: &Connection) -> Result<Option<SignInScreen>> {
    let installed: Option<(Uuid, Option<Uuid>, String)> =
        conn.query_row("SELECT centre_id, practice_centre_id, language FROM installation", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()?;
    let Some((home, practice, language)) = installed else { return Ok(None) };
    let lock_minutes = conn.query_row("SELECT lock_minutes FROM centre WHERE id = ?1", [home], |r| r.get(0))?;
    Ok(Some(SignInScreen {
        centre: crate::centre::get_centre(conn, home)?,
        staff: crate::centre::list_staff(conn, home)?,
        language,
        lock_minutes,
        has_practice: practice.is_some(),
    }))
}

/// Writes the whole of the open database `conn` into a new file at
/// `target`, encrypted under `key` (SQLCipher's export: tables and their
/// rows first, then indexes, views and triggers, so no trigger fires).
fn export_encrypted(conn: &Connection, target: &Path, key: &DbKey) -> Result<()> {
    let _ = std::fs::remove_file(target);
    conn.execute("ATTACH DATABASE ?1 AS sealed KEY ?2", params![target.to_string_lossy(), key.raw_form().as_str()])?;
    let exported = conn
        .query_row("SELECT sqlcipher_export('sealed')", [], |_| Ok(()))
        .and_then(|()| conn.pragma_update(Some("sealed"), "user_version", conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))?));
    conn.execute("DETACH DATABASE sealed", [])?;
    exported?;
    std::fs::File::open(target)?.sync_all()?;
    Ok(())
}

/// Encrypts a plain file in place under `key`, through a copy moved over it.
fn encrypt_file(path: &Path, key: &DbKey) -> Result<()> {
    let sealing = path.with_extension("sealing");
    {
        let conn = crate::store::connect(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX, None)?;
        // A backup is one self-contained file; so is its encrypted copy.
        export_encrypted(&conn, &sealing, key)?;
    }
    std::fs::rename(&sealing, path)?;
    crate::backup::sync_dir(path);
    Ok(())
}

impl Desk {
    /// A database encrypted under `key`, with its key file.
    pub(crate) fn open_sealed(path: &Path, key: DbKey, keys: KeyFile) -> Result<Desk> {
        let mut desk = Desk::with_store(Store::open_keyed(path, key)?)?;
        desk.keys = Some(keys);
        desk.sealing = true;
        Ok(desk)
    }

    /// Whether the database is encrypted: signing out closes it.
    pub fn is_sealed(&self) -> bool {
        self.keys.is_some()
    }

    /// The key file as it stands, for the sign-in screen after signing out.
    pub fn key_file(&self) -> Option<&KeyFile> {
        self.keys.as_ref()
    }

    /// Encrypts the database if it is still plain and an administrator of
    /// the centre has a password (before that, accounts from before
    /// passwords may still claim theirs, which a closed file would not let
    /// them). `typed` is an account whose password is at hand (set-up, a
    /// claim): its slot gets a salt of its own. Plain copies in the backup
    /// folders are encrypted too. Answers whether it encrypted now.
    pub(crate) fn seal_if_ready(&mut self, typed: Option<(Uuid, &str)>) -> Result<bool> {
        if !self.sealing || self.keys.is_some() {
            return Ok(false);
        }
        let Some(path) = self.store().path().map(Path::to_path_buf) else { return Ok(false) };
        let (accounts, screen, open_to_claims) = self.store().read(|conn| {
            let home: Option<Uuid> = conn.query_row("SELECT centre_id FROM installation", [], |r| r.get(0)).optional()?;
            let claims = match home {
                Some(home) => crate::session::first_passwords(conn, home)?,
                None => true,
            };
            Ok((accounts(conn)?, sign_in_screen(conn)?, claims))
        })?;
        let Some(screen) = screen.filter(|_| !accounts.is_empty() && !open_to_claims) else { return Ok(false) };
        let key = DbKey::random();
        let mut keys = KeyFile::new(screen);
        keys.set_accounts(&key, &accounts, typed)?;
        let sealing = path.with_extension("sealing");
        export_encrypted(self.store().connection(), &sealing, &key)?;
        // The key file first: a crash before the move leaves the plain file,
        // which the next opening encrypts again under a new key and key file.
        keys.save(&path)?;
        self.store().make_self_contained()?;
        drop(self.replace_store(Store::open_in_memory()?));
        let moved = std::fs::rename(&sealing, &path).map_err(CoreError::from).and_then(|()| {
            crate::backup::sync_dir(&path);
            Store::open_keyed(&path, key.clone())
        });
        match moved {
            Ok(store) => drop(self.replace_store(store)),
            Err(e) => {
                // The desk must not go on writing to memory: it takes the file as it now is.
                let store = if keyring::is_encrypted(&path)? { Store::open_keyed(&path, key.clone())? } else { Store::open(&path)? };
                let sealed = store.key().is_some();
                drop(self.replace_store(store));
                if !sealed {
                    return Err(e);
                }
            }
        }
        self.keys = Some(keys);
        // The data is encrypted: plain copies left over are dealt with again at each sign-in.
        let _ = self.encrypt_leftovers();
        Ok(true)
    }

    /// Plain copies beside an encrypted database: backups (in the backups
    /// folder and the centre's second folder) are encrypted under its key
    /// with a key file copy; half-written copies are removed. Each file on
    /// its own, so one that cannot be done does not stop the others.
    pub(crate) fn encrypt_leftovers(&self) -> Result<()> {
        let (Some(key), Some(path)) = (self.store().key(), self.store().path()) else { return Ok(()) };
        let mut folders: Vec<PathBuf> = vec![crate::backup::backups_dir(path)];
        folders.extend(self.backup_copy_folder()?);
        for stale in [path.with_extension("restoring"), path.with_extension("sealing")] {
            if stale.exists() && !keyring::is_encrypted(&stale)? {
                let _ = std::fs::remove_file(&stale);
            }
        }
        for folder in folders {
            let Ok(entries) = std::fs::read_dir(&folder) else { continue };
            for file in entries.flatten().map(|e| e.path()) {
                if keyring::is_encrypted(&file).unwrap_or(true) {
                    continue;
                }
                match file.extension().and_then(|e| e.to_str()) {
                    Some("partial") => drop(std::fs::remove_file(&file)),
                    Some("db") if crate::backup::is_backup(&file) => {
                        if encrypt_file(&file, key).is_ok() {
                            let _ = crate::backup::keep_key_file(path, &file);
                        }
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// Brings the key file in line with the accounts: a slot for each active
    /// account with a password (changed passwords wrapped anew, closed
    /// accounts dropped) and the sign-in screen as it now is.
    pub(crate) fn keep_keys(&mut self) -> Result<()> {
        self.keys_in_step(None)
    }

    /// As `keep_keys`, `staff_id`'s password being at hand (just set, or
    /// typed): their slot is wrapped under a salt of its own.
    pub(crate) fn keep_keys_typed(&mut self, staff_id: Uuid, password: &str) -> Result<()> {
        self.keys_in_step(Some((staff_id, password)))
    }

    fn keys_in_step(&mut self, typed: Option<(Uuid, &str)>) -> Result<()> {
        let Some(path) = self.store().path().map(Path::to_path_buf) else { return Ok(()) };
        if let Some(keys) = self.keys.as_mut() {
            // Failures counted by another program (the CLI) since this desk read the file stay counted.
            let _ = keys.reread(&path);
        }
        self.write_keys(typed)
    }

    /// Writes the desk's key file with the accounts and sign-in screen as
    /// they now are (or encrypts a plain database, when it can be).
    fn write_keys(&mut self, typed: Option<(Uuid, &str)>) -> Result<()> {
        let (key, path) = (self.store().key().cloned(), self.store().path().map(Path::to_path_buf));
        let (Some(mut keys), Some(key), Some(path)) = (self.keys.take(), key, path) else {
            return self.seal_if_ready(typed).map(|_| ());
        };
        let kept = self.store().read(|conn| Ok((accounts(conn)?, sign_in_screen(conn)?))).and_then(|(accounts, screen)| {
            keys.set_accounts(&key, &accounts, typed)?;
            if let Some(screen) = screen {
                keys.screen = screen;
            }
            keys.save(&path)
        });
        self.keys = Some(keys);
        kept
    }

    /// Takes `staff_id`'s slot out of the key file before their account is
    /// closed in the database.
    pub(crate) fn drop_slot(&mut self, staff_id: Uuid) -> Result<()> {
        let Some(path) = self.store().path().map(Path::to_path_buf) else { return Ok(()) };
        let Some(keys) = self.keys.as_mut() else { return Ok(()) };
        keys.remove_account(staff_id);
        keys.save(&path)
    }

    /// Moves the failed sign-ins counted while the database was closed into
    /// its audit log, and clears the count of `staff_id`, who got in.
    fn log_failures_before_opening(&mut self, staff_id: Uuid) -> Result<()> {
        let Some(path) = self.store().path().map(Path::to_path_buf) else { return Ok(()) };
        let Some(keys) = self.keys.as_mut() else { return Ok(()) };
        keys.reread(&path)?;
        let failures = keys.take_unlogged();
        keys.clear_failures(staff_id);
        let home: Uuid = self.store().read(|conn| Ok(conn.query_row("SELECT centre_id FROM installation", [], |r| r.get(0))?))?;
        // In the log first: a crash before the key file is saved logs them twice, never not at all.
        self.store_mut().write(|tx| {
            for failure in &failures {
                let actor = Actor { centre_id: home, staff_id: failure.staff_id };
                audit::add(tx, &actor, Event::plain("sign_in_failed").with(serde_json::json!({ "at": failure.at, "before_opening": true })))?;
            }
            Ok(())
        })?;
        // Saved once, with the accounts as they now are.
        self.write_keys(None)
    }

    /// A new recovery key for the centre, replacing any earlier one: shown
    /// once, to be printed or written down and kept apart from the laptop.
    pub fn make_recovery_key(&mut self) -> Result<String> {
        let actor = self.allowed(Action::ManageStaff)?;
        let (key, path) = (self.store().key().cloned(), self.store().path().map(Path::to_path_buf));
        let (Some(keys), Some(key), Some(path)) = (self.keys.as_mut(), key, path) else {
            return Err(CoreError::NotAllowed { action: "make a recovery key for a database that is not encrypted", role: "administrator" });
        };
        keys.reread(&path)?;
        let code = keys.new_recovery(&key)?;
        keys.save(&path)?;
        self.audit(&actor, Event::plain("recovery_key_made"))?;
        Ok(code)
    }

    /// Whether the person at the desk should make the recovery key now: the
    /// database is encrypted, has none, and they manage accounts.
    pub(crate) fn recovery_key_missing(&self) -> bool {
        let manages = self.session.is_some_and(|s| crate::permission::allows(s.role, Action::ManageStaff));
        manages && self.keys.as_ref().is_some_and(|k| !k.has_recovery())
    }

    /// After opening with the recovery key: an active administrator of the
    /// centre gets `new_password` and is signed in; logged as a recovery.
    fn recover_account(&mut self, staff_id: Uuid, new_password: &str) -> Result<()> {
        let found: Option<(Uuid, StaffRole, bool, String)> = self.store().read(|conn| {
            Ok(conn
                .query_row(
                    "SELECT s.centre_id, s.role, s.active, s.full_name FROM staff s JOIN installation i ON i.centre_id = s.centre_id WHERE s.id = ?1",
                    [staff_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?)
        })?;
        let mut c = Checks::new();
        match &found {
            Some((_, StaffRole::Administrator, true, name)) => crate::account::check_new("password", new_password, name, &mut c),
            _ => c.fail("staff_id", "not_an_administrator", "is not an active administrator of this centre"),
        }
        c.finish()?;
        let centre_id = found.map(|f| f.0).unwrap_or_default();
        let hash = crate::account::hash(new_password)?;
        let actor = Actor { centre_id, staff_id };
        self.store_mut().write(|tx| {
            tx.execute(
                "UPDATE staff SET password_hash = ?1, failed_sign_ins = 0, last_failed_at = NULL, updated_at = ?2 WHERE id = ?3",
                params![hash, now(), staff_id],
            )?;
            audit::add(tx, &actor, Event::on("password_recovered", "staff", staff_id))
        })?;
        self.keep_keys_typed(staff_id, new_password)?;
        self.sign_in(staff_id, new_password)?;
        Ok(())
    }
}

#[cfg(test)]
#[path = "encryption_tests.rs"]
mod tests;
