//! `mrc staff`: the centre's accounts.

use std::io::Write;
use std::path::Path;

use mrc_core::centre::{StaffInput, StaffRole};

use crate::args::{Role, StaffCommand};
use crate::db;
use crate::error::{CliError, Result};

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
        StaffCommand::Recover { name } => {
            let keys = mrc_core::keyring::KeyFile::load(path)?.ok_or_else(|| CliError::Message("this database is not encrypted: sign in with a password instead".into()))?;
            let staff = keys.desk_state().staff.into_iter().find(|s| s.full_name.eq_ignore_ascii_case(name.trim()));
            let staff = staff.ok_or_else(|| CliError::Message(format!("no account named '{name}'")))?;
            let code = db::password("MRC_RECOVERY_KEY", "Recovery key: ")?;
            let password = db::password("MRC_NEW_PASSWORD", &format!("New password for {}: ", staff.full_name))?;
            mrc_core::encryption::recover(path, &keys, &code, staff.id, &password)?;
            writeln!(out, "{} has a new password and can sign in with it.", staff.full_name)?;
        }
    }
    Ok(())
}
