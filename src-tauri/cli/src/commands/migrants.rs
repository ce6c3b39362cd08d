//! `mrc migrants ...`: the list, a profile, delete and restore.

use std::io::Write;
use std::path::Path;

use mrc_core::consent::ConsentWithdrawal;
use mrc_core::migrant::{ConsentScope, MigrantFilter, MigrantQuery, MigrantSort};

use crate::args::{ListArgs, MigrantsCommand, Sort};
use crate::db;
use crate::error::Result;
use crate::output;

pub fn run(path: &Path, command: MigrantsCommand, out: &mut dyn Write) -> Result<()> {
    match command {
        MigrantsCommand::List(args) => list(path, args, out),
        MigrantsCommand::Show { id, json } => {
            let desk = db::open_existing(path)?;
            let profile = desk.migrant_profile(id)?;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&profile)?)?;
            } else {
                output::profile(&profile, out)?;
            }
            Ok(())
        }
        MigrantsCommand::Delete { id } => {
            db::open_existing(path)?.delete_migrant(id)?;
            writeln!(out, "Deleted migrant {id} (`mrc migrants restore {id}` brings them back).")?;
            Ok(())
        }
        MigrantsCommand::Export { id, out: file, language } => {
            let access = db::open_existing(path)?.subject_access_file(id, &file)?;
            let printed = mrc_documents::Language::from_code(&language).unwrap_or(mrc_documents::Language::Russian);
            let pdf = mrc_documents::subject_access_pdf(&access, &mrc_documents::ReportText::new(printed)).map_err(|e| crate::error::CliError::Message(e.to_string()))?;
            let pdf_path = file.with_extension("pdf");
            std::fs::write(&pdf_path, pdf)?;
            writeln!(out, "Everything held about migrant {id} is in {} and, to read, {}.", file.display(), pdf_path.display())?;
            Ok(())
        }
        MigrantsCommand::Anonymise { id } => {
            db::open_existing(path)?.anonymise_migrant(id)?;
            writeln!(out, "Anonymised migrant {id}: names, contacts, documents and notes are gone; the report still counts their work.")?;
            Ok(())
        }
        MigrantsCommand::RetentionDue => {
            let list = db::open_existing(path)?.retention_due()?;
            writeln!(out, "{} people with every case closed before {} ({} years):", list.total, list.closed_before, list.years)?;
            for d in &list.due {
                writeln!(out, "{}\t{} {}\t{}", d.person.id, d.person.family_name, d.person.given_name, d.last_closed_on)?;
            }
            Ok(())
        }
        MigrantsCommand::WithdrawConsent { id, scope, note } => {
            // An unknown scope reaches the core as none, which names the field.
            let scope = ConsentScope::parse(&scope);
            let m = db::open_existing(path)?.withdraw_consent(ConsentWithdrawal { migrant_id: id, scope, note })?;
            let left: Vec<&str> = m.consent_scope.iter().map(|s| s.as_str()).collect();
            writeln!(out, "Withdrawn. Consent now covers: {}.", if left.is_empty() { "nothing".to_string() } else { left.join(", ") })?;
            Ok(())
        }
        MigrantsCommand::Restore { id } => {
            db::open_existing(path)?.restore_migrant(id)?;
            writeln!(out, "Restored migrant {id}.")?;
            Ok(())
        }
    }
}

fn list(path: &Path, args: ListArgs, out: &mut dyn Write) -> Result<()> {
    let desk = db::open_existing(path)?;
    let query = MigrantQuery {
        text: args.search.unwrap_or_default(),
        sort: match args.sort {
            Sort::Name => MigrantSort::Name,
            Sort::Recent => MigrantSort::Recent,
        },
        page: args.page - 1,
        page_size: args.page_size,
        filter: Some(MigrantFilter {
            sex: args.sex,
            age_from: args.age_from,
            age_to: args.age_to,
            citizenship: args.citizenship.to_ascii_uppercase(),
            registered_from: args.registered_from,
            registered_to: args.registered_to,
            ..Default::default()
        }),
    };
    let page = desk.list_migrants(&query)?;
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&page)?)?;
    } else {
        output::migrant_table(&page, out)?;
    }
    Ok(())
}
