//! The monthly report as an XLSX workbook.

use std::path::Path;

use mrc_core::report::Report;

use crate::{DocumentError, ReportText};

/// Writes `report` to `out` as an XLSX workbook.
pub fn write_report_xlsx(_report: &Report, _text: &ReportText, out: &Path) -> Result<(), DocumentError> {
    Err(DocumentError::Write { path: out.display().to_string(), reason: "not written yet".into() })
}
