//! The one error type of the core. Every rule the core enforces surfaces as a
//! variant here, so the UI and the CLI can branch on a stable code.

use serde::Serialize;
use ts_rs::TS;

/// One problem with one field of an input, in words a machine can translate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FieldError {
    /// The input field, as named in the input struct (`family_name`, `documents.0.number`).
    pub field: String,
    /// A stable code the UI looks up in its catalogue (`required`, `future_date`...).
    pub code: String,
    /// The same problem in plain English, for the CLI and logs.
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("{}", describe(.0))]
    Validation(Vec<FieldError>),
    #[error("{kind} {id} was not found")]
    NotFound { kind: &'static str, id: String },
    #[error("cannot move from {from} to {to}")]
    InvalidTransition { from: String, to: String },
    #[error("{kind} {id} is still in use by other records: deactivate it instead")]
    InUse { kind: &'static str, id: String },
    #[error("{count} people already registered look like this one: open one of them, or confirm that this is someone new")]
    LikelyDuplicate { count: usize },
    #[error("a {role} may not {action}")]
    NotAllowed { action: &'static str, role: &'static str },
    #[error("this person's file was anonymised: nothing can be added to it or changed")]
    Anonymised,
    #[error("nobody is signed in: sign in first")]
    NotSignedIn,
    #[error("the desk is locked: enter your password to go on")]
    DeskLocked,
    #[error("the password is not right")]
    WrongPassword,
    #[error("too many wrong passwords: try again in {seconds} s")]
    TooManyAttempts { seconds: i64 },
    #[error("this account has no password yet: an administrator sets one")]
    NoPassword,
    #[error("the database cannot be opened with the key kept beside it: the key file belongs to another database")]
    WrongKey,
    #[error("the database is encrypted and its key file {path} is missing: put back the copy kept with a backup")]
    KeyFileMissing { path: String },
    #[error("the database {path} is missing, but its key file is there: put back the database (or a backup of it) before starting")]
    DatabaseMissing { path: String },
    #[error("the centre is not set up yet: run the first-run set-up")]
    NotSetUp,
    #[error("the centre is already set up")]
    AlreadySetUp,
    #[error("this database was written by a newer MRC Desk (schema {found}, this version knows {known})")]
    SchemaTooNew { found: i64, known: i64 },
    #[error("database error: {0}")]
    Storage(rusqlite::Error),
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
    #[error("stored data could not be read: {0}")]
    Corrupt(String),
}

/// Problems of the disk and the file get codes of their own, because the
/// person at the desk can act on them (close the other copy, free space).
fn storage_code(e: &rusqlite::Error) -> &'static str {
    use rusqlite::ErrorCode::*;
    match e.sqlite_error_code() {
        Some(DatabaseBusy) | Some(DatabaseLocked) => "locked",
        Some(DiskFull) => "disk_full",
        Some(ReadOnly) => "read_only",
        Some(CannotOpen) | Some(PermissionDenied) => "cannot_open",
        Some(NotADatabase) | Some(DatabaseCorrupt) => "corrupt",
        _ => "storage",
    }
}

fn describe(errors: &[FieldError]) -> String {
    let parts: Vec<String> = errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
    format!("invalid input: {}", parts.join("; "))
}

impl CoreError {
    /// The stable code the UI and scripts branch on.
    pub fn code(&self) -> &'static str {
        match self {
            CoreError::Validation(_) => "validation",
            CoreError::NotFound { .. } => "not_found",
            CoreError::InvalidTransition { .. } => "invalid_transition",
            CoreError::InUse { .. } => "in_use",
            CoreError::LikelyDuplicate { .. } => "likely_duplicate",
            CoreError::NotAllowed { .. } => "not_allowed",
            CoreError::Anonymised => "anonymised",
            CoreError::NotSignedIn => "not_signed_in",
            CoreError::DeskLocked => "desk_locked",
            CoreError::WrongPassword => "wrong_password",
            CoreError::TooManyAttempts { .. } => "too_many_attempts",
            CoreError::NoPassword => "no_password",
            CoreError::WrongKey => "wrong_key",
            CoreError::KeyFileMissing { .. } => "key_file_missing",
            CoreError::DatabaseMissing { .. } => "database_missing",
            CoreError::NotSetUp => "not_set_up",
            CoreError::AlreadySetUp => "already_set_up",
            CoreError::SchemaTooNew { .. } => "schema_too_new",
            CoreError::Storage(e) => storage_code(e),
            CoreError::Io(_) => "io",
            CoreError::Corrupt(_) => "corrupt",
        }
    }

    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            CoreError::Validation(errors) => errors,
            _ => &[],
        }
    }

    pub(crate) fn not_found(kind: &'static str, id: impl ToString) -> Self {
        CoreError::NotFound { kind, id: id.to_string() }
    }
}

impl From<rusqlite::Error> for CoreError {
    fn from(e: rusqlite::Error) -> Self {
        // The triggers of migration 0010 guard an anonymised file whatever writes it.
        match &e {
            rusqlite::Error::SqliteFailure(_, Some(message)) if message == "anonymised" => CoreError::Anonymised,
            _ => CoreError::Storage(e),
        }
    }
}

impl From<serde_json::Error> for CoreError {
    fn from(e: serde_json::Error) -> Self {
        CoreError::Corrupt(e.to_string())
    }
}

pub type Result<T> = std::result::Result<T, CoreError>;

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite(code: i32) -> CoreError {
        CoreError::Storage(rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None))
    }

    #[test]
    fn disk_and_file_problems_have_their_own_codes() {
        use rusqlite::ffi::*;
        let codes: Vec<&str> = [SQLITE_BUSY, SQLITE_FULL, SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_NOTADB, SQLITE_CONSTRAINT]
            .into_iter()
            .map(|c| sqlite(c).code())
            .collect();
        assert_eq!(codes, vec!["locked", "disk_full", "read_only", "cannot_open", "corrupt", "storage"]);
    }

    #[test]
    fn a_database_held_by_another_program_is_reported_as_locked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("held.db");
        let mut desk = crate::Desk::open(&path).unwrap();
        let other = rusqlite::Connection::open(&path).unwrap();
        other.execute_batch("BEGIN EXCLUSIVE").unwrap();
        desk.store_mut().connection().busy_timeout(std::time::Duration::from_millis(50)).unwrap();
        let err = desk.set_up(crate::centre::SetupInput {
            centre_name: "x".into(), country: "TJ".into(), city: "y".into(), language: "en".into(),
            staff: crate::centre::StaffInput { full_name: "z".into(), role: Some(crate::centre::StaffRole::Administrator), password: crate::sample::PASSWORD.into() },
        }).unwrap_err();
        assert_eq!(err.code(), "locked");
    }
}
