//! `mrc migrants ...`: the list, a profile, delete and restore.

use std::io::Write;
use std::path::Path;

use mrc_core::migrant::{MigrantFilter, MigrantQuery, MigrantSort};

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
