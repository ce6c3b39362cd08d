//! What can go wrong, and how it is told: `error: <message>` on stderr, with
//! one line per field for invalid input.

use mrc_core::CoreError;

#[derive(Debug)]
pub enum CliError {
    Core(CoreError),
    Io(std::io::Error),
    Message(String),
}

impl From<CoreError> for CliError {
    fn from(e: CoreError) -> Self {
        CliError::Core(e)
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::Io(e)
    }
}

impl From<serde_json::Error> for CliError {
    fn from(e: serde_json::Error) -> Self {
        CliError::Message(format!("could not write JSON: {e}"))
    }
}

pub type Result<T> = std::result::Result<T, CliError>;

pub fn report(e: &CliError) {
    match e {
        CliError::Core(CoreError::Validation(fields)) => {
            eprintln!("error: invalid input");
            for f in fields {
                eprintln!("  {}: {}", f.field, f.message);
            }
        }
        CliError::Core(e @ CoreError::NotSetUp) => eprintln!("error: {e} (`mrc init` or `mrc seed-demo`)"),
        CliError::Core(e) => eprintln!("error: {e}"),
        CliError::Io(e) => eprintln!("error: {e}"),
        CliError::Message(m) => eprintln!("error: {m}"),
    }
}
