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
    #[error("a case cannot move from {from} to {to}")]
    InvalidTransition { from: String, to: String },
    #[error("{kind} {id} is still in use by other records: deactivate it instead")]
    InUse { kind: &'static str, id: String },
    #[error("the centre is not set up yet: run the first-run set-up")]
    NotSetUp,
    #[error("the centre is already set up")]
    AlreadySetUp,
    #[error("this database was written by a newer MRC Desk (schema {found}, this version knows {known})")]
    SchemaTooNew { found: i64, known: i64 },
    #[error("database error: {0}")]
    Storage(#[from] rusqlite::Error),
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
    #[error("stored data could not be read: {0}")]
    Corrupt(String),
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
            CoreError::NotSetUp => "not_set_up",
            CoreError::AlreadySetUp => "already_set_up",
            CoreError::SchemaTooNew { .. } => "schema_too_new",
            CoreError::Storage(_) => "storage",
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

impl From<serde_json::Error> for CoreError {
    fn from(e: serde_json::Error) -> Self {
        CoreError::Corrupt(e.to_string())
    }
}

pub type Result<T> = std::result::Result<T, CoreError>;
