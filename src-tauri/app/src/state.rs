//! The open desk, shared by all commands. A command runs with the desk
//! locked and inside a panic guard, so a bug answers with an error and the
//! app keeps running.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::Mutex;

use mrc_core::Desk;

use crate::error::{CommandError, CommandResult};

pub struct AppState {
    desk: Mutex<Option<Desk>>,
    /// Why the database could not be opened, shown instead of any data.
    open_error: Option<CommandError>,
}

impl AppState {
    pub fn open(db_path: &Path) -> AppState {
        match Desk::open(db_path) {
            Ok(desk) => AppState { desk: Mutex::new(Some(desk)), open_error: None },
            Err(e) => {
                crate::log::line(&format!("cannot open the database: {}", e.code()));
                AppState { desk: Mutex::new(None), open_error: Some(e.into()) }
            }
        }
    }

    /// Runs command `name` on the desk; failures are logged by name and code only.
    pub fn with<T, E: Into<CommandError>>(&self, name: &str, f: impl FnOnce(&mut Desk) -> Result<T, E>) -> CommandResult<T> {
        let result = self.run(f);
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

    fn run<T, E: Into<CommandError>>(&self, f: impl FnOnce(&mut Desk) -> Result<T, E>) -> CommandResult<T> {
        // A panic in an earlier command poisons the lock; the desk itself is
        // still consistent because every write is one transaction.
        let mut guard = self.desk.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let Some(desk) = guard.as_mut() else {
            return Err(self.open_error.clone().unwrap_or_else(|| CommandError::internal("the database is not open")));
        };
        match catch_unwind(AssertUnwindSafe(|| f(desk))) {
            Ok(result) => result.map_err(Into::into),
            Err(panic) => {
                let what = panic.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| panic.downcast_ref::<String>().cloned()).unwrap_or_default();
                crate::log::line(&format!("internal error: {what}"));
                Err(CommandError::internal(format!("internal error: {what}")))
            }
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
