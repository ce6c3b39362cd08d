//! `mrc init`: the first-run set-up: the centre and its administrator.

use std::io::Write;
use std::path::Path;

use mrc_core::centre::{SetupInput, StaffInput, StaffRole};

use crate::args::InitArgs;
use crate::db;
use crate::error::{CliError, Result};

pub fn run(path: &Path, args: InitArgs, out: &mut dyn Write) -> Result<()> {
    let password = db::password("MRC_PASSWORD", &format!("Choose a password for {} (12 characters or more; a few words are good): ", args.staff))?;
    if std::env::var("MRC_PASSWORD").is_err() && db::password("MRC_PASSWORD", "The same password again: ")? != password {
        return Err(CliError::Message("the two passwords differ: nothing was set up".into()));
    }
    let mut desk = db::open_or_create(path)?;
    let state = desk.set_up(SetupInput {
        centre_name: args.centre,
        country: args.country,
        city: args.city,
        staff: StaffInput { full_name: args.staff, role: Some(StaffRole::Administrator), password },
        language: args.language,
    })?;
    if let Some(centre) = &state.centre {
        writeln!(out, "Set up {} ({}, {}).", centre.name, centre.city, centre.country)?;
    }
    if let Some(staff) = state.staff.first() {
        writeln!(out, "{} is the administrator: open the other accounts with `mrc staff add`.", staff.full_name)?;
    }
    writeln!(out, "Database: {} (encrypted; its key file is {})", path.display(), mrc_core::keyring::path_for(path).display())?;
    // The one moment the recovery key is shown: without it, a forgotten
    // administrator password leaves the data closed for good.
    let code = desk.make_recovery_key()?;
    writeln!(out, "Recovery key: {code}")?;
    writeln!(out, "Print it or write it down now and keep it apart from this computer: it is shown only once.")?;
    Ok(())
}
