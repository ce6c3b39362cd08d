//! `mrc audit`: checking and exporting the audit log.

use std::io::Write;
use std::path::Path;

use mrc_core::audit::AuditQuery;

use crate::args::AuditCommand;
use crate::db;
use crate::error::{CliError, Result};

pub fn run(path: &Path, command: AuditCommand, out: &mut dyn Write) -> Result<()> {
    let desk = db::open_existing(path)?;
    match command {
        AuditCommand::Verify => {
            let check = desk.verify_audit()?;
            if check.intact {
                writeln!(out, "The audit log is whole: {} entries, each chained to the one before.", check.entries)?;
            } else {
                let at = check.broken_at.map(|id| id.to_string()).unwrap_or_default();
                return Err(CliError::Message(format!(
                    "the audit log was tampered with: {} (at entry {at}; {} entries)",
                    check.problem.unwrap_or_default(),
                    check.entries
                )));
            }
        }
        AuditCommand::Export { out: file, staff, record } => {
            let staff_id = match staff {
                Some(name) => Some(
                    desk.state()?.staff.into_iter().find(|s| s.full_name.eq_ignore_ascii_case(name.trim())).map(|s| s.id)
                        .ok_or_else(|| CliError::Message(format!("no staff member named '{name}'")))?,
                ),
                None => None,
            };
            let csv = desk.audit_csv(&AuditQuery { staff_id, record_id: record, ..Default::default() })?;
            std::fs::write(&file, &csv)?;
            writeln!(out, "Wrote {} entries to {}", csv.lines().count().saturating_sub(1), file.display())?;
        }
    }
    Ok(())
}
