//! The monthly report as CSV files, one per table.

use std::path::{Path, PathBuf};

use mrc_core::report::Report;

use crate::{DocumentError, ReportText};

/// Writes one CSV file per table of `report` into `dir`, each named
/// `<stem>-<table>.csv`; returns the files written.
pub fn write_report_csv(_report: &Report, _text: &ReportText, dir: &Path, _stem: &str) -> Result<Vec<PathBuf>, DocumentError> {
    Err(DocumentError::Write { path: dir.display().to_string(), reason: "not written yet".into() })
}
