//! `mrc import FILE`: a register of migrants from Excel or CSV, through the
//! core's three steps (propose a mapping, preview, import), as the app's
//! mapping screen will.

use std::io::{IsTerminal, Write};
use std::path::Path;

use mrc_core::register_import::{
    propose_mapping, read_register_file, DateOrder, ImportMode, ImportOptions, ImportProgress, ImportStage, Mapping, MatchKind, RegisterPreview, RowOutcome,
    RowStatus, Sheet, Target,
};

use crate::args::{DateOrderArg, ImportArgs};
use crate::db;
use crate::error::{CliError, Result};
use crate::output::thousands;

/// A dry run lists every invalid row, and this many of the others.
const LISTED_MATCHES: usize = 50;

pub fn run(path: &Path, args: ImportArgs, out: &mut dyn Write) -> Result<()> {
    let sheet = read_register_file(&args.file, args.sheet.as_deref())?;
    let mapping = match &args.mapping {
        Some(file) => read_mapping(file)?,
        None => propose_mapping(&sheet.headers),
    };
    if args.print_mapping {
        writeln!(out, "{}", serde_json::to_string_pretty(&mapping)?)?;
        return Ok(());
    }
    if args.mapping.is_none() {
        show_mapping(&sheet, &mapping, out)?;
    }
    let options = ImportOptions {
        date_order: match args.date_order {
            DateOrderArg::Dmy => DateOrder::DayFirst,
            DateOrderArg::Mdy => DateOrder::MonthFirst,
        },
    };
    if args.dry_run {
        let desk = db::open_existing(path)?;
        let preview = desk.preview_register(&sheet, &mapping, &options)?;
        return show_preview(&preview, &mapping, out);
    }
    let mut desk = db::open_existing(path)?;
    let mode = if args.skip_invalid { ImportMode::SkipInvalid } else { ImportMode::AllOrNothing };
    let report = desk.import_register(&sheet, &mapping, &options, mode, &mut progress)?;
    writeln!(
        out,
        "added {}, already registered {}, repeated in the file {}, visits added {}, assistance added {}, rejected {}",
        report.added,
        report.already_registered,
        report.repeated_in_file,
        report.visits_added,
        report.assistance_added,
        report.rejected.len()
    )?;
    for row in &report.rejected {
        writeln!(out, "{}", row_line(row, &mapping))?;
    }
    if mode == ImportMode::AllOrNothing && !report.rejected.is_empty() {
        out.flush()?;
        return Err(CliError::Message("nothing was imported: correct the rejected rows, or import the valid ones with --skip-invalid".into()));
    }
    Ok(())
}

fn read_mapping(file: &Path) -> Result<Mapping> {
    let text = std::fs::read_to_string(file).map_err(|e| CliError::Message(format!("could not read {}: {e}", file.display())))?;
    serde_json::from_str(&text).map_err(|e| CliError::Message(format!("{} is not a mapping ({e}): start from what --print-mapping writes", file.display())))
}

/// Progress for a person watching a long import; scripts and tests read stdout only.
fn progress(p: ImportProgress) {
    let mut err = std::io::stderr();
    if !err.is_terminal() {
        return;
    }
    let stage = match p.stage {
        ImportStage::Checking => "checked",
        ImportStage::Writing => "written",
    };
    let end = if p.done == p.total { "\n" } else { "" };
    let _ = write!(err, "\r{stage} {} of {} rows{end}", thousands(p.done as usize), thousands(p.total as usize));
}

/// A, B, ... Z, AA: the column as the spreadsheet names it.
fn column_letters(column: u32) -> String {
    let mut n = column;
    let mut letters = Vec::new();
    while n > 0 {
        let rest = (n - 1) % 26;
        letters.push(char::from(b'A' + rest as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

fn show_mapping(sheet: &Sheet, mapping: &Mapping, out: &mut dyn Write) -> Result<()> {
    let place = sheet.sheet_name.as_ref().map(|s| format!("sheet '{s}', ")).unwrap_or_default();
    writeln!(out, "Columns ({place}header on row {}), as guessed from the headers:", sheet.header_row)?;
    let width = mapping.columns.iter().map(|c| c.header.chars().count()).max().unwrap_or(0);
    for c in &mapping.columns {
        let target = c.target.map_or("(ignored)".to_string(), |t| format!("-> {t}"));
        let pad = " ".repeat(width - c.header.chars().count());
        writeln!(out, "  {:<3} {}{pad}  {target}", column_letters(c.column), c.header)?;
    }
    writeln!(out, "Defaults for empty cells and missing columns: {}", defaults(mapping).join(", "))?;
    writeln!(out, "To change this: mrc import FILE --print-mapping > map.json, edit map.json, then mrc import FILE --mapping map.json")?;
    Ok(())
}

fn defaults(mapping: &Mapping) -> Vec<String> {
    let d = &mapping.defaults;
    let documents = mapping.columns.iter().any(|c| c.target == Some(Target::DocumentNumber));
    let set = [
        ("sex", d.sex.map(|v| v.to_string())),
        ("citizenship", d.citizenship.clone()),
        ("migration_status", d.migration_status.map(|v| v.to_string())),
        ("document_kind", documents.then(|| d.document_kind.to_string())),
        ("visit_channel", d.visit_channel.map(|v| v.to_string())),
        ("visit_purpose", d.visit_purpose.map(|v| v.to_string())),
        ("assistance_outcome", d.assistance_outcome.map(|v| v.to_string())),
    ];
    set.into_iter().filter_map(|(name, value)| value.map(|v| format!("{name} = {v}"))).collect()
}

fn show_preview(preview: &RegisterPreview, mapping: &Mapping, out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "{} rows: {} new, {} already registered, {} repeated in the file, {} invalid; {} visits and {} assistance records to add",
        preview.rows, preview.new, preview.already_registered, preview.repeated_in_file, preview.invalid, preview.visits, preview.assistance
    )?;
    if !preview.ignored_columns.is_empty() {
        writeln!(out, "Ignored columns: {}", preview.ignored_columns.join(", "))?;
    }
    for row in preview.outcomes.iter().filter(|o| o.status == RowStatus::Invalid) {
        writeln!(out, "{}", row_line(row, mapping))?;
    }
    let matches: Vec<&RowOutcome> = preview.outcomes.iter().filter(|o| matches!(o.status, RowStatus::AlreadyRegistered | RowStatus::RepeatedInFile)).collect();
    for row in matches.iter().take(LISTED_MATCHES) {
        writeln!(out, "{}", row_line(row, mapping))?;
    }
    if matches.len() > LISTED_MATCHES {
        writeln!(out, "... and {} more rows of people already known", matches.len() - LISTED_MATCHES)?;
    }
    writeln!(out, "Nothing was written (dry run).")?;
    Ok(())
}

/// `row 5: Дата рождения (birth_date): must not be in the future`, or who the row's person is.
fn row_line(row: &RowOutcome, mapping: &Mapping) -> String {
    let how = match row.matched_by {
        Some(MatchKind::Document) => ", same document number",
        Some(MatchKind::NameAndBirthDate) => ", same name and date of birth",
        Some(MatchKind::Phone) => ", same phone and given name",
        None => "",
    };
    let who = match (row.status, row.existing_id, row.same_as_row) {
        (RowStatus::Invalid, _, _) => None,
        (_, Some(id), _) => Some(format!("already registered as {id} ({}{how})", row.name)),
        (_, None, Some(first)) => Some(format!("the person of row {first} ({}{how})", row.name)),
        _ => None,
    };
    if let Some(who) = who {
        let added: Vec<&str> = [(row.adds_visit, "visit"), (row.adds_assistance, "assistance")].iter().filter(|(a, _)| *a).map(|(_, w)| *w).collect();
        let adds = if added.is_empty() { String::new() } else { format!(": adds the {}", added.join(" and ")) };
        return format!("row {}: {who}{adds}", row.row);
    }
    let problems: Vec<String> = row
        .problems
        .iter()
        .map(|p| match mapping.column_for(&p.field) {
            Some(column) => format!("{} ({}): {}", column.header, p.field, p.message),
            None => format!("{}: {}", p.field, p.message),
        })
        .collect();
    format!("row {}: {}", row.row, problems.join("; "))
}
