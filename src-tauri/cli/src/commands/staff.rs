//! `mrc staff`: the centre's accounts.

use std::io::Write;
use std::path::Path;

use mrc_core::centre::{StaffInput, StaffRole};

use crate::args::{Role, StaffCommand};
use crate::db;
use crate::error::Result;

pub fn role(r: Role) -> StaffRole {
    match r {
        Role::Caseworker => StaffRole::Caseworker,
        Role::Supervisor => StaffRole::Supervisor,
        Role::Administrator => StaffRole::Administrator,
        Role::Viewer => StaffRole::Viewer,
    }
}

pub fn run(path: &Path, command: StaffCommand, out: &mut dyn Write) -> Result<()> {
    match command {
        StaffCommand::List => {
            // The names and roles are what the sign-in screen shows: no need to sign in.
            for s in db::sign_in_screen(path)?.staff {
                let state = if !s.active { "closed" } else if s.has_password { "" } else { "no password yet" };
                writeln!(out, "{}\t{}\t{}\t{}", s.id, s.full_name, s.role, state)?;
            }
        }
        StaffCommand::Add { name, role: r } => {
            let mut desk = db::open_existing(path)?;
            let password = db::password("MRC_NEW_PASSWORD", &format!("First password for {name}: "))?;
            let staff = desk.add_staff(StaffInput { full_name: name, role: Some(role(r)), password })?;
            writeln!(out, "Opened an account for {} ({}): {}", staff.full_name, staff.role, staff.id)?;
        }
    }
    Ok(())
}
