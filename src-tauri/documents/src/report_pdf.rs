//! The monthly report as an A4 PDF.

use mrc_core::report::{Report, TrendPoint};

use crate::{DocumentError, ReportText};

/// The report as PDF bytes; `trend` is the twelve months drawn as a chart.
pub fn report_pdf(_report: &Report, _trend: &[TrendPoint], _text: &ReportText) -> Result<Vec<u8>, DocumentError> {
    Err(DocumentError::Font { font: "report", reason: "not written yet".into() })
}
