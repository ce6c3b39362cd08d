//! The open desk, shared by all commands. A command runs with the desk
//! locked and inside a panic guard, so a bug answers with an error and the
//! app keeps running. An encrypted database is closed while nobody is
//! signed in: only the sign-in screen's commands reach its key file.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use mrc_core::encryption::{self, Opened};
use mrc_core::keyring::{DbKey, KeyFile};
use mrc_core::permission::Action;
use mrc_core::{CoreError, Desk};

use crate::error::{CommandError, CommandResult};

/// The database as the commands find it.
enum Door {
    Open(Desk),
    /// Encrypted and closed: the key file until someone signs in.
    Closed(KeyFile),
}

pub struct AppState {
    door: Mutex<Option<Door>>,
    /// Why the database could not be opened, shown instead of any data.
    open_error: Option<CommandError>,
    db_path: PathBuf,
    /// Held by whatever copies the database file (a backup, a restore), so
    /// a restore never moves the file while a backup is reading it.
    copy: Mutex<()>,
}

impl AppState {
    pub fn open(db_path: &Path) -> AppState {
        let (door, open_error) = match encryption::open(db_path) {
            Ok(Opened::Open(desk)) => (Some(Door::Open(desk)), None),
            Ok(Opened::Sealed(keys)) => (Some(Door::Closed(keys)), None),
            Err(e) => {
                crate::log::line(&format!("cannot open the database: {}", e.code()));
                (None, Some(e.into()))
            }
        };
        AppState { door: Mutex::new(door), open_error, db_path: db_path.to_path_buf(), copy: Mutex::new(()) }
    }

    /// Runs command `name` on the desk; failures are logged by name and code only.
    pub fn with<T, E: Into<CommandError>>(&self, name: &str, f: impl FnOnce(&mut Desk) -> Result<T, E>) -> CommandResult<T> {
        logged(name, self.run(f))
    }

    /// Runs command `name` on the desk with no copy of the file under way:
    /// for the commands that may encrypt the file (set-up, a first password),
    /// which moves it.
    pub fn with_no_copying<T, E: Into<CommandError>>(&self, name: &str, f: impl FnOnce(&mut Desk) -> Result<T, E>) -> CommandResult<T> {
        let _no_copy = self.copy.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        self.with(name, f)
    }

    /// Runs command `name` on the open desk, or, while the database is
    /// closed, `closed` on its key file; `closed` may open it (a sign-in).
    pub fn at_door<T>(
        &self,
        name: &str,
        open: impl FnOnce(&mut Desk) -> Result<T, CoreError>,
        closed: impl FnOnce(&mut KeyFile, &Path) -> Result<(T, Option<Desk>), CoreError>,
    ) -> CommandResult<T> {
        let mut guard = self.door.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let result = match guard.as_mut() {
            Some(Door::Closed(keys)) => guarded(|| {
                // The CLI may have changed the key file (an account, a recovery) since it was read.
                keys.reread(&self.db_path)?;
                closed(keys, &self.db_path)
            })
            .map(|(answer, opened)| {
                if let Some(desk) = opened {
                    *guard = Some(Door::Open(desk));
                }
                answer
            }),
            Some(Door::Open(desk)) => guarded(|| open(desk)),
            None => Err(self.not_open()),
        };
        close_if_nobody_is_in(&mut guard);
        logged(name, result)
    }

    /// Whether the database is open (someone signed in, or not yet encrypted).
    pub fn is_open(&self) -> bool {
        matches!(*self.door.lock().unwrap_or_else(|poisoned| poisoned.into_inner()), Some(Door::Open(_)))
    }

    fn not_open(&self) -> CommandError {
        self.open_error.clone().unwrap_or_else(|| CommandError::internal("the database is not open"))
    }

    /// Runs command `name` on the database file without locking the desk, so
    /// the work goes on while a large file is copied; one copy at a time.
    /// `action`, when given, is first checked against the person signed in
    /// (the automatic backups run for nobody in particular).
    /// The copy reads the file with the database's key (none for a plain one).
    pub fn copying<T, E: Into<CommandError>>(&self, name: &str, action: Option<Action>, f: impl FnOnce(&Path, Option<&DbKey>) -> Result<T, E>) -> CommandResult<T> {
        let _one_at_a_time = self.copy.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let key = self.run(|desk| {
            if let Some(a) = action {
                desk.allowed(a)?;
            }
            Ok::<_, CoreError>(desk.store().key().cloned())
        });
        logged(name, key.and_then(|key| guarded(|| f(&self.db_path, key.as_ref()))))
    }

    fn run<T, E: Into<CommandError>>(&self, f: impl FnOnce(&mut Desk) -> Result<T, E>) -> CommandResult<T> {
        // A panic in an earlier command poisons the lock; the desk itself is
        // still consistent because every write is one transaction.
        let mut guard = self.door.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let result = match guard.as_mut() {
            Some(Door::Open(desk)) => guarded(|| f(desk)),
            Some(Door::Closed(_)) => Err(CoreError::NotSignedIn.into()),
            None => Err(self.not_open()),
        };
        close_if_nobody_is_in(&mut guard);
        result
    }
}

/// An encrypted database closes when nobody is signed in any more (a
/// sign-out, a restore that does not know the person): its key leaves memory.
fn close_if_nobody_is_in(door: &mut Option<Door>) {
    let closing = match door {
        Some(Door::Open(desk)) if desk.is_sealed() && !desk.is_signed_in() => desk.key_file().cloned(),
        _ => None,
    };
    if let Some(keys) = closing {
        *door = Some(Door::Closed(keys));
    }
}

/// Logs a failed command by name and code only.
/// Runs command `name`'s work that needs no desk (it was handed what it
/// needs), logged and with a panic turned into an error like any command's.
pub fn apart<T, E: Into<CommandError>>(name: &str, f: impl FnOnce() -> Result<T, E>) -> CommandResult<T> {
    logged(name, guarded(f))
}

fn logged<T>(name: &str, result: CommandResult<T>) -> CommandResult<T> {
    if let Err(e) = &result {
        // Validation messages may quote what was typed: log the code alone.
        if e.code == "validation" {
            crate::log::line(&format!("{name}: refused ({} field(s))", e.fields.len()));
        } else {
            crate::log::line(&format!("{name}: {}", e.code));
        }
    }
    result
}

/// Turns a panic into an error the window can show.
fn guarded<T, E: Into<CommandError>>(f: impl FnOnce() -> Result<T, E>) -> CommandResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result.map_err(Into::into),
        Err(panic) => {
            let what = panic.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| panic.downcast_ref::<String>().cloned()).unwrap_or_default();
            crate::log::line(&format!("internal error: {what}"));
            Err(CommandError::internal(format!("internal error: {what}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_and_the_desk_keeps_working() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(&dir.path().join("desk.db"));
        let err = state.with("test", |_| -> mrc_core::Result<()> { panic!("boom") }).unwrap_err();
        assert_eq!((err.code.as_str(), err.message.as_str()), ("internal", "internal error: boom"));
        let desk = state.with("test", |desk| desk.state()).unwrap();
        assert!(desk.centre.is_none());
    }

    #[test]
    fn a_database_that_cannot_be_opened_answers_every_command_with_why() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("newer.db");
        make_newer_database(&path);
        let state = AppState::open(&path);
        let err = state.with("test", |desk| desk.state()).unwrap_err();
        assert_eq!(err.code, "schema_too_new");
    }

    #[test]
    fn a_plain_database_with_accounts_is_encrypted_at_start_and_closes_at_sign_out() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("desk.db");
        let admin = {
            let mut desk = Desk::open(&path).unwrap();
            let setup = mrc_core::centre::SetupInput {
                centre_name: "MRC Osh".into(),
                country: "KG".into(),
                city: "Osh".into(),
                staff: mrc_core::centre::StaffInput { full_name: "Admin".into(), role: Some(mrc_core::centre::StaffRole::Administrator), password: String::new() },
                language: "en".into(),
            };
            mrc_core::sample::start_centre(&mut desk, setup).unwrap().signed_in.unwrap()
        };
        let state = AppState::open(&path);
        assert!(!state.is_open(), "closed until someone signs in");
        let screen = state.at_door("desk_state", |desk| desk.state(), |keys, _| Ok((keys.desk_state(), None))).unwrap();
        assert_eq!((screen.signed_in, screen.staff.len()), (None, 1));
        assert_eq!(state.with("migrant_list", |desk| desk.list_migrants(&Default::default())).unwrap_err().code, "not_signed_in");
        let sign_in = |password: &str| {
            state.at_door("session_sign_in", |desk| desk.sign_in(admin, password), |keys, db| {
                let desk = mrc_core::encryption::sign_in(db, keys, admin, password)?;
                Ok((desk.state()?, Some(desk)))
            })
        };
        assert_eq!(sign_in("not the password").unwrap_err().code, "wrong_password");
        assert_eq!(sign_in(mrc_core::sample::PASSWORD).unwrap().signed_in, Some(admin));
        assert!(state.is_open());
        state.with("session_sign_out", |desk| desk.sign_out()).unwrap();
        assert!(!state.is_open(), "signing out closes the data");
    }

    /// Makes a database that claims a schema newer than this build knows.
    fn make_newer_database(path: &Path) {
        let store = mrc_core::store::Store::open(path).unwrap();
        store.connection().pragma_update(None, "user_version", 999).unwrap();
    }
}
