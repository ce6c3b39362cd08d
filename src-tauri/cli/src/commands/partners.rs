//! `mrc partners ...`: the directory, and sharing it with other centres as CSV.

use std::io::Write;
use std::path::Path;

use mrc_core::partner::{Partner, PartnerQuery};
use mrc_core::partner_csv::{read_import_file, ImportMode};

use crate::args::PartnersCommand;
use crate::db;
use crate::error::{CliError, Result};
use crate::output;

pub fn run(path: &Path, command: PartnersCommand, out: &mut dyn Write) -> Result<()> {
    match command {
        PartnersCommand::List { json, all } => {
            let desk = db::open_existing(path)?;
            let partners = desk.list_partners(&PartnerQuery { include_inactive: all, ..Default::default() })?;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&partners)?)?;
            } else {
                table(&partners, out)?;
            }
            Ok(())
        }
        PartnersCommand::Export { out: file, all } => {
            let desk = db::open_existing(path)?;
            let text = desk.export_partners_csv(all)?;
            let count = desk.list_partners(&PartnerQuery { include_inactive: all, ..Default::default() })?.len();
            std::fs::write(&file, text.as_bytes()).map_err(|e| CliError::Message(format!("could not write {}: {e}", file.display())))?;
            writeln!(out, "Exported {count} partner{} to {}.", if count == 1 { "" } else { "s" }, file.display())?;
            Ok(())
        }
        PartnersCommand::Import { file, skip_invalid } => import(path, &file, skip_invalid, out),
    }
}

fn import(path: &Path, file: &Path, skip_invalid: bool, out: &mut dyn Write) -> Result<()> {
    let text = read_import_file(file)?;
    let mut desk = db::open_existing(path)?;
    let mode = if skip_invalid { ImportMode::SkipInvalid } else { ImportMode::AllOrNothing };
    let report = desk.import_partners_csv(&text, mode)?;
    writeln!(out, "added {}, updated {}, rejected {}", report.added, report.updated, report.rejected.len())?;
    for row in &report.rejected {
        let problems: Vec<String> = row.problems.iter().map(|p| format!("{}: {}", p.field, p.message)).collect();
        writeln!(out, "line {}: {}", row.line, problems.join("; "))?;
    }
    if mode == ImportMode::AllOrNothing && !report.rejected.is_empty() {
        out.flush()?;
        return Err(CliError::Message("nothing was imported: correct the rejected rows, or import the valid ones with --skip-invalid".into()));
    }
    Ok(())
}

fn table(partners: &[Partner], out: &mut dyn Write) -> Result<()> {
    if partners.is_empty() {
        writeln!(out, "No partners found.")?;
        return Ok(());
    }
    let header = ["NAME", "KIND", "SERVICES", "CITY", "COUNTRY", "PHONES", "ACTIVE"];
    let rows: Vec<Vec<String>> = partners
        .iter()
        .map(|p| {
            let services: Vec<&str> = p.services.iter().map(|s| s.as_str()).collect();
            vec![
                p.name.clone(),
                p.kind.to_string(),
                services.join(", "),
                p.city.clone(),
                p.country.clone(),
                p.phones.clone(),
                (if p.active { "yes" } else { "no" }).to_string(),
            ]
        })
        .collect();
    // No column is cut: a directory is read to be copied from.
    output::table(&header, &[usize::MAX; 7], &rows, out)?;
    writeln!(out, "{} partner{}.", partners.len(), if partners.len() == 1 { "" } else { "s" })?;
    Ok(())
}
