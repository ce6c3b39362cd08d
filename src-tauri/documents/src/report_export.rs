//! Writing a report in any of its formats, for the desktop app and the CLI
//! alike, so both produce the same files from the same numbers.

use std::path::{Path, PathBuf};

use mrc_core::report::{Report, ReportFormat, TrendPoint};

use crate::{report_pdf, write_report_csv, write_report_xlsx, DocumentError, ReportText};

fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), DocumentError> {
    let failed = |e: std::io::Error| DocumentError::Write { path: path.display().to_string(), reason: e.to_string() };
    // Written aside and renamed, so a full disk never leaves half a report.
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let partial = path.with_file_name(format!(".{name}.partial"));
    let written = std::fs::write(&partial, bytes).and_then(|()| std::fs::rename(&partial, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written.map_err(failed)
}

/// Writes `report` as `format` to `out` (for CSV: a folder, one file per
/// table, named after `out`'s file stem). Returns the files written.
pub fn export_report(report: &Report, trend: &[TrendPoint], text: &ReportText, format: ReportFormat, out: &Path) -> Result<Vec<PathBuf>, DocumentError> {
    match format {
        ReportFormat::Csv => {
            let (dir, stem) = csv_target(out);
            write_report_csv(report, text, &dir, &stem)
        }
        ReportFormat::Xlsx => write_report_xlsx(report, text, out).map(|_| vec![out.to_path_buf()]),
        ReportFormat::Pdf => write_whole(out, &report_pdf(report, trend, text)?).map(|_| vec![out.to_path_buf()]),
        ReportFormat::Json => {
            let json = serde_json::to_vec_pretty(report).map_err(|e| DocumentError::Write { path: out.display().to_string(), reason: e.to_string() })?;
            write_whole(out, &json).map(|_| vec![out.to_path_buf()])
        }
    }
}

/// CSV goes into a folder: `out` itself when it is one, else its parent
/// with `out`'s name (without extension) as the files' prefix.
fn csv_target(out: &Path) -> (PathBuf, String) {
    if out.is_dir() {
        return (out.to_path_buf(), "report".to_owned());
    }
    let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    let stem = out.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "report".to_owned());
    (dir, stem)
}
