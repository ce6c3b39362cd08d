//! `mrc bench-report`: generates two years of work for a very large centre,
//! then times the month's report (every section, previous period and year to
//! date), the twelve-month trend and the XLSX, PDF and CSV files. A
//! measurement, not a test: it always exits 0 when it could measure.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use mrc_core::report::{Period, Report, ReportFormat, ReportRequest, TrendPoint};
use mrc_core::scale::{seed_scale, ScaleOptions};
use mrc_core::Desk;
use mrc_documents::{export_report, Language, ReportText};

use crate::args::LargeCentreArgs;
use crate::commands::seed::set_up_demo_centre;
use crate::error::{CliError, Result};
use crate::output::thousands;

/// Fixed, so every run on every machine reports on the same data.
const UNTIL: (i32, u32, u32) = (2026, 11, 1);
const MONTH: &str = "2026-10";
/// Changes whenever `scale` writes different data for the same seed.
const GENERATOR: &str = "v4";

pub(crate) struct Timings(pub(crate) Vec<Duration>);

impl Timings {
    pub(crate) fn line(&self) -> String {
        let mut sorted = self.0.clone();
        sorted.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        format!(
            "median {:>8.1} ms   min {:>8.1} ms   max {:>8.1} ms",
            ms(sorted[sorted.len() / 2]),
            ms(sorted[0]),
            ms(sorted[sorted.len() - 1])
        )
    }
}

fn time<T>(runs: u32, mut f: impl FnMut() -> Result<T>) -> Result<(Timings, T)> {
    let mut last = f()?; // warm-up: statements prepared, pages read once
    let mut all = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        last = f()?;
        all.push(started.elapsed());
    }
    Ok((Timings(all), last))
}

fn database(args: &LargeCentreArgs, keep: &Option<tempfile::TempDir>) -> Result<PathBuf> {
    let dir = match (&args.keep_in, keep) {
        (Some(dir), _) => dir.clone(),
        (None, Some(temp)) => temp.path().to_path_buf(),
        (None, None) => return Err(CliError::Message("no folder for the database".into())),
    };
    std::fs::create_dir_all(&dir)?;
    // The generator's version is in the name, so a kept database of an older generator is not reused.
    Ok(dir.join(format!("bench-centre-{GENERATOR}-{}-{}-{}.db", args.migrants, args.records_per_migrant, args.seed)))
}

fn seed(path: &Path, args: &LargeCentreArgs, out: &mut dyn Write) -> Result<Desk> {
    let mut desk = Desk::open(path)?;
    if desk.state()?.centre.is_some() {
        writeln!(out, "  reusing     {}", path.display())?;
        mrc_core::sample::sign_in_role(&mut desk, mrc_core::centre::StaffRole::Supervisor)?;
        return Ok(desk);
    }
    set_up_demo_centre(&mut desk)?;
    let until = NaiveDate::from_ymd_opt(UNTIL.0, UNTIL.1, UNTIL.2).unwrap_or_default();
    let opts = ScaleOptions { seed: args.seed, migrants: args.migrants, records_per_migrant: args.records_per_migrant, until };
    let started = Instant::now();
    let step = (args.migrants / 10).max(1);
    let summary = seed_scale(&mut desk, &opts, |done| {
        if done % step == 0 || done == args.migrants {
            eprintln!("  ... {} migrants written ({:.0} s)", thousands(done), started.elapsed().as_secs_f64());
        }
    })?;
    writeln!(
        out,
        "  generated   {} migrants, {} visits, {} assistance records, {} cases, {} referrals in {:.1} s",
        thousands(summary.migrants),
        thousands(summary.visits),
        thousands(summary.assistance),
        thousands(summary.cases),
        thousands(summary.referrals),
        started.elapsed().as_secs_f64()
    )?;
    // A large centre takes longer to generate than the desk stays unlocked
    // (10 minutes by default): sign in afresh, as a caseworker would.
    mrc_core::sample::sign_in_role(&mut desk, mrc_core::centre::StaffRole::Supervisor)?;
    Ok(desk)
}

fn file_size(path: &Path) -> u64 {
    let wal = path.with_extension("db-wal");
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) + std::fs::metadata(wal).map(|m| m.len()).unwrap_or(0)
}

fn write_file(report: &Report, trend: &[TrendPoint], format: ReportFormat, dir: &Path) -> Result<()> {
    let name = format!("report.{}", format.as_str());
    export_report(report, trend, &ReportText::new(Language::English), format, &dir.join(name)).map_err(|e| CliError::Message(e.to_string()))?;
    Ok(())
}

/// The large centre a benchmark runs on, generated or reused (--keep-in).
/// Fields drop in order: the database closes before a temporary folder goes.
pub(crate) struct LargeCentre {
    pub(crate) desk: Desk,
    pub(crate) path: PathBuf,
    _temp: Option<tempfile::TempDir>,
}

/// Opens (generating if needed) the centre for benchmark `what` and writes
/// the benchmark's heading: where the database is and its size.
pub(crate) fn open_large_centre(args: &LargeCentreArgs, what: &str, out: &mut dyn Write) -> Result<LargeCentre> {
    let temp = match args.keep_in {
        Some(_) => None,
        None => Some(tempfile::Builder::new().prefix(&format!("mrc-bench-{what}-")).tempdir()?),
    };
    let path = database(args, &temp)?;
    writeln!(out, "MRC Desk {what} benchmark")?;
    writeln!(out, "  database    {}", path.display())?;
    out.flush()?;
    let desk = seed(&path, args, out)?;
    let size = file_size(&path);
    writeln!(
        out,
        "  size        {:.0} MB, {:.0} MB per 100,000 migrants",
        size as f64 / 1e6,
        size as f64 / 1e6 / (args.migrants as f64 / 100_000.0)
    )?;
    Ok(LargeCentre { desk, path, _temp: temp })
}

pub fn run(args: LargeCentreArgs, out: &mut dyn Write) -> Result<()> {
    let centre = open_large_centre(&args, "report", out)?;
    let desk = &centre.desk;

    let actor = desk.actor()?;
    let month = Period::month(MONTH).unwrap_or(Period { from: NaiveDate::MIN, to: NaiveDate::MIN });
    let request = ReportRequest { centre_id: Some(actor.centre_id), from: month.from, to: month.to, for_sharing: false };
    let (report_t, report) = time(args.runs, || Ok(desk.report(&request)?))?;
    let persons = report.headline.first().and_then(|h| h.current).unwrap_or(0);
    let records = report.headline.iter().find(|h| h.id == mrc_core::report::HeadlineId::AssistanceRecords).and_then(|h| h.current).unwrap_or(0);
    writeln!(out, "  month       {MONTH}: {} persons assisted, {} assistance records", thousands(persons as usize), thousands(records as usize))?;
    writeln!(out, "  report      {}   (whole month, previous month, year to date)", report_t.line())?;
    let sharing = ReportRequest { for_sharing: true, ..request.clone() };
    let (sharing_t, _) = time(args.runs, || Ok(desk.report(&sharing)?))?;
    writeln!(out, "  for sharing {}", sharing_t.line())?;
    let (trend_t, trend) = time(args.runs, || Ok(desk.report_trend(request.centre_id, request.to, false)?))?;
    writeln!(out, "  trend       {}   (12 months)", trend_t.line())?;
    let files = tempfile::tempdir()?;
    for format in [ReportFormat::Xlsx, ReportFormat::Pdf, ReportFormat::Csv] {
        // The file alone, from the report and trend computed above...
        let (t, _) = time(args.runs, || write_file(&report, &trend, format, files.path()))?;
        writeln!(out, "  {:<11} {}   (file written from the computed report)", format.as_str(), t.line())?;
        // ...and what a supervisor waits for when exporting: all of it.
        let (t, _) = time(args.runs, || {
            let report = desk.report(&request)?;
            let trend = desk.report_trend(request.centre_id, request.to, false)?;
            write_file(&report, &trend, format, files.path())
        })?;
        writeln!(out, "  {:<11} {}   (report, trend and file)", "", t.line())?;
    }
    Ok(())
}
