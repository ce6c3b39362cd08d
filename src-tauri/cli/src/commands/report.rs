//! `mrc report`: the monthly report written by the same code as the app's
//! export, so scripts and the dashboard agree.

use std::io::Write;
use std::path::Path;

use chrono::{Datelike, Months};
use mrc_core::report::{Period, ReportFormat, ReportRequest};
use mrc_documents::{export_report, Language, ReportText};

use crate::args::{ReportArgs, ReportFormatArg};
use crate::db;
use crate::error::{CliError, Result};

fn period_of(args: &ReportArgs) -> Result<Period> {
    if let (Some(from), Some(to)) = (args.from, args.to) {
        return Ok(Period { from, to });
    }
    let month = match &args.period {
        Some(text) => text.clone(),
        None => {
            let today = mrc_core::record::local_day(mrc_core::record::now());
            let first = today.with_day(1).unwrap_or(today);
            first.checked_sub_months(Months::new(1)).unwrap_or(first).format("%Y-%m").to_string()
        }
    };
    Period::month(&month).ok_or_else(|| CliError::Message(format!("--period: '{month}' is not a month written YYYY-MM")))
}

fn format_of(arg: ReportFormatArg) -> ReportFormat {
    match arg {
        ReportFormatArg::Xlsx => ReportFormat::Xlsx,
        ReportFormatArg::Csv => ReportFormat::Csv,
        ReportFormatArg::Pdf => ReportFormat::Pdf,
        ReportFormatArg::Json => ReportFormat::Json,
    }
}

pub fn run(path: &Path, args: ReportArgs, out: &mut dyn Write) -> Result<()> {
    let language = Language::from_code(&args.language)
        .ok_or_else(|| CliError::Message(format!("--language: no report in '{}' (en, ru)", args.language)))?;
    let period = period_of(&args)?;
    let desk = db::open_existing(path)?;
    let actor = desk.actor()?;
    let centre_id = if args.all_centres { None } else { Some(actor.centre_id) };
    let request = ReportRequest { centre_id, from: period.from, to: period.to, for_sharing: args.for_sharing };
    let report = desk.report(&request)?;
    let trend = desk.report_trend(centre_id, period.to, args.for_sharing)?;
    let written = export_report(&report, &trend, &ReportText::new(language), format_of(args.format), &args.out)
        .map_err(|e| CliError::Message(e.to_string()))?;
    for file in written {
        writeln!(out, "{}", file.display())?;
    }
    Ok(())
}
