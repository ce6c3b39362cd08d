//! What a failed command sends to the UI: data it can branch on, never a
//! Rust debug string.

use mrc_core::{CoreError, FieldError};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
pub struct CommandError {
    /// Stable code: `validation`, `not_found`, `invalid_transition`, `internal`...
    pub code: String,
    /// Plain English, for logs; the UI shows its own translation of `code`.
    pub message: String,
    /// The first field at fault, when there is one.
    pub field: Option<String>,
    /// Every field at fault, for forms.
    pub fields: Vec<FieldError>,
}

impl From<CoreError> for CommandError {
    fn from(e: CoreError) -> Self {
        let fields = e.field_errors().to_vec();
        CommandError { code: e.code().into(), message: e.to_string(), field: fields.first().map(|f| f.field.clone()), fields }
    }
}

impl CommandError {
    /// A problem with one field of a request the shell itself reads.
    pub fn invalid(field: &str, code: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        let fields = vec![FieldError { field: field.into(), code: code.into(), message: message.clone() }];
        CommandError { code: "validation".into(), message: format!("invalid input: {field}: {message}"), field: Some(field.into()), fields }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        CommandError { code: "internal".into(), message: message.into(), field: None, fields: vec![] }
    }
}

pub type CommandResult<T> = Result<T, CommandError>;
