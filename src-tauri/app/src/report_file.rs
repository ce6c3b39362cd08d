//! Saves the report where the user chose, in the language of the UI.

use std::collections::HashMap;
use std::path::Path;

use mrc_core::report::{ReportFormat, ReportRequest};
use mrc_core::Desk;
use mrc_documents::{export_report, Language, ReportText};
use serde::Deserialize;
use ts_rs::TS;

use crate::error::CommandError;

/// What the UI adds to a report request to save it.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ReportExport {
    pub request: ReportRequest,
    pub format: ReportFormat,
    pub path: String,
    pub language: String,
    /// Country names by ISO code, as the UI shows them.
    pub countries: HashMap<String, String>,
}

pub fn write(desk: &mut Desk, export: ReportExport) -> Result<Vec<String>, CommandError> {
    let language = Language::from_code(&export.language).unwrap_or(Language::English);
    let report = desk.report(&export.request)?;
    let trend = desk.report_trend(export.request.centre_id, export.request.to, export.request.for_sharing)?;
    let text = ReportText::new(language).with_countries(export.countries);
    let written = export_report(&report, &trend, &text, export.format, Path::new(&export.path))
        .map_err(|e| CommandError::invalid("path", "cannot_write", e.to_string()))?;
    desk.record_export("report_file", serde_json::json!({ "format": export.format, "files": written, "from": export.request.from, "to": export.request.to }))?;
    Ok(written.into_iter().map(|p| p.display().to_string()).collect())
}
