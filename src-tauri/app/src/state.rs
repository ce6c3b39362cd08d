//! The open desk, shared by all commands. A command runs with the desk
//! locked and inside a panic guard, so a bug answers with an error and the
//! app keeps running.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use mrc_core::permission::Action;
use mrc_core::Desk;

use crate::error::{CommandError, CommandResult};

pub struct AppState {
    desk: Mutex<Option<Desk>>,
    /// Why the database could not be opened, shown instead of any data.
    open_error: Option<CommandError>,
    db_path: PathBuf,
    /// Held by whatever copies the database file (a backup, a restore), so
    /// a restore never moves the file while a backup is reading it.
    copy: Mutex<()>,
}

impl AppState {
    pub fn open(db_path: &Path) -> AppState {
        let (desk, open_error) = match Desk::open(db_path) {
            Ok(desk) => (Some(desk), None),
            Err(e) => {
                crate::log::line(&format!("cannot open the database: {}", e.code()));
                (None, Some(e.into()))
            }
        };
        AppState { desk: Mutex::new(desk), open_error, db_path: db_path.to_path_buf(), copy: Mutex::new(()) }
    }

    /// Runs command `name` on the desk; failures are logged by name and code only.
    pub fn with<T, E: Into<CommandError>>(&self, name: &str, f: impl FnOnce(&mut Desk) -> Result<T, E>) -> CommandResult<T> {
        logged(name, self.run(f))
    }

    /// Runs command `name` on the database file without locking the desk, so
    /// the work goes on while a large file is copied; one copy at a time.
    /// `action`, when given, is first checked against the person signed in
    /// (the automatic backups run for nobody in particular).
    pub fn copying<T, E: Into<CommandError>>(&self, name: &str, action: Option<Action>, f: impl FnOnce(&Path) -> Result<T, E>) -> CommandResult<T> {
        let _one_at_a_time = self.copy.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let result = self.run(|desk| match action {
            Some(a) => desk.allowed(a).map(|_| ()),
            None => Ok(()),
        });
        logged(name, result.and_then(|()| guarded(|| f(&self.db_path))))
    }

    fn run<T, E: Into<CommandError>>(&self, f: impl FnOnce(&mut Desk) -> Result<T, E>) -> CommandResult<T> {
        // A panic in an earlier command poisons the lock; the desk itself is
        // still consistent because every write is one transaction.
        let mut guard = self.desk.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let Some(desk) = guard.as_mut() else {
            return Err(self.open_error.clone().unwrap_or_else(|| CommandError::internal("the database is not open")));
        };
        guarded(|| f(desk))
    }
}

/// Logs a failed command by name and code only.
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

    /// Makes a database that claims a schema newer than this build knows.
    fn make_newer_database(path: &Path) {
        let store = mrc_core::store::Store::open(path).unwrap();
        store.connection().pragma_update(None, "user_version", 999).unwrap();
    }
}
