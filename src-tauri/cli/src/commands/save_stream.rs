//! `mrc save-stream` (hidden): a stream of saves for the crash-safety test.
//! Each id is printed only after its transaction committed, so whatever the
//! test reads before killing the process must be in the database after it.

use std::io::Write;
use std::path::Path;

use mrc_core::migrant::{MigrantInput, MigrationStatus, Sex};

use crate::db;
use crate::error::Result;

pub fn run(path: &Path, count: usize, out: &mut dyn Write) -> Result<()> {
    let mut desk = db::open_existing(path)?;
    for i in 0..count {
        let saved = desk.register_migrant(MigrantInput {
            family_name: format!("Сохранённый {i}"),
            given_name: "Тест".into(),
            sex: Some(Sex::Female),
            citizenship: "TJ".into(),
            migration_status: Some(MigrationStatus::Regular),
            notes: "x".repeat(2000),
            ..Default::default()
        })?;
        writeln!(out, "saved {}", saved.id)?;
        out.flush()?;
    }
    Ok(())
}
