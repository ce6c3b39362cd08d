//! `mrc init`: the first-run set-up.

use std::io::Write;
use std::path::Path;

use mrc_core::centre::{SetupInput, StaffInput, StaffRole};

use crate::args::{InitArgs, Role};
use crate::db;
use crate::error::Result;

pub fn run(path: &Path, args: InitArgs, out: &mut dyn Write) -> Result<()> {
    let mut desk = db::open_or_create(path)?;
    let role = match args.role {
        Role::Caseworker => StaffRole::Caseworker,
        Role::Supervisor => StaffRole::Supervisor,
        Role::Administrator => StaffRole::Administrator,
    };
    let state = desk.set_up(SetupInput {
        centre_name: args.centre,
        country: args.country,
        city: args.city,
        staff: StaffInput { full_name: args.staff, role: Some(role) },
        language: args.language,
    })?;
    if let Some(centre) = &state.centre {
        writeln!(out, "Set up {} ({}, {}).", centre.name, centre.city, centre.country)?;
    }
    if let Some(staff) = state.staff.first() {
        writeln!(out, "{} ({}) is at the desk.", staff.full_name, staff.role)?;
    }
    writeln!(out, "Database: {}", path.display())?;
    Ok(())
}
